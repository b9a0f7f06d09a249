#!/usr/bin/python3
"""Python baseline for bench/bench_training.cpp: the same network, batch and optimizer as the C++
step, run through Debian's python3-torch (call it with /usr/bin/python3).

The networks are tests/nn/python/mae_reference.py (a plain-PyTorch MAE / expression encoder
whose outputs the interop test checks against ours), so both sides compute the same thing.
Inputs are random normalised tensors: the loader is measured separately (bench/RESULTS.md).

Prints one JSON line: {"step_seconds": [...]} for the timed steps (after `--warmup` steps).
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'nn', 'python'))
import mae_reference as ref  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--task', choices=['mae', 'triplet'], required=True)
    for name in ('image', 'patch', 'dim', 'depth', 'heads', 'dec-dim', 'dec-depth', 'dec-heads',
                 'batch', 'steps', 'warmup', 'threads'):
        p.add_argument('--' + name, type=int, required=True)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    n = (a.image // a.patch) ** 2
    if a.task == 'mae':
        model = ref.MaskedAutoencoder(a.image, a.patch, a.dim, a.depth, a.heads,
                                      a.dec_dim, a.dec_depth, a.dec_heads, 0.75)
        opt = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=1.5e-4,
                                betas=(0.9, 0.95), weight_decay=0.05)
        images = torch.randn(a.batch, 3, a.image, a.image)

        def loss_fn():
            return model(images, torch.rand(a.batch, n))[0]
    else:
        model = ref.ExpressionEncoder(a.image, a.patch, a.dim, a.depth, a.heads, 16)
        opt = torch.optim.SGD([q for q in model.parameters() if q.requires_grad], lr=0.002,
                              momentum=0.9, weight_decay=5e-5)
        images = torch.randn(3 * a.batch, 3, a.image, a.image)

        def loss_fn():
            e = model(images)[0]
            an, po, ne = e.split(a.batch)
            return (F.triplet_margin_loss(an, po, ne, margin=0.2)
                    + F.triplet_margin_loss(po, an, ne, margin=0.2))
    model.train()
    times = []
    for step in range(a.warmup + a.steps):
        start = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        opt.step()
        if step >= a.warmup:
            times.append(time.perf_counter() - start)
    print(json.dumps({'step_seconds': times}))


if __name__ == '__main__':
    main()
