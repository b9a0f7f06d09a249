#!/usr/bin/python3
"""Python baseline for bench/bench_renderer.cpp: the same neural renderer, batch, loss and
optimizer as the C++ side, run through Debian's python3-torch (call it with /usr/bin/python3).

The network is tests/nn/python/renderer_reference.py (a plain-PyTorch DCGAN generator whose
outputs the interop test checks against ours). Training: Adam lr 1e-5, betas (0, 0.99), loss
L1 + 10 x masked L1 over the reference's mouth and eye boxes (REFERENCE.md section 4), random
rigs in [0, 1) and random target images. Preview: one rig, eval mode, torch.no_grad().

Prints one JSON line: {"step_seconds": [...]} for the timed steps (after `--warmup` steps).
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'nn', 'python'))
import renderer_reference as ref  # noqa: E402


def region_mask(size):
    """Mouth x [75, 175) y [175, 225) and eyes x [53, 202) y [80, 133) on 256 px, scaled."""
    mask = torch.zeros(1, 1, size, size)
    s = size / 256.0
    for x0, x1, y0, y1 in ((75, 175, 175, 225), (53, 202, 80, 133)):
        mask[:, :, int(y0 * s):int(y1 * s), int(x0 * s):int(x1 * s)] = 1.0
    return mask


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--mode', choices=['train', 'preview'], required=True)
    for name in ('image', 'width', 'rig', 'batch', 'steps', 'warmup', 'threads'):
        p.add_argument('--' + name, type=int, required=True)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = ref.NeuralRenderer(a.rig, a.image, a.width)
    times = []
    if a.mode == 'train':
        opt = torch.optim.Adam(model.parameters(), lr=1e-5, betas=(0.0, 0.99))
        rigs = torch.rand(a.batch, a.rig)
        images = torch.rand(a.batch, 3, a.image, a.image)
        mask = region_mask(a.image)
        model.train()
        for step in range(a.warmup + a.steps):
            start = time.perf_counter()
            opt.zero_grad()
            loss = ref.region_weighted_l1(model(rigs), images, mask, 10.0)
            loss.item()  # the C++ step reads the loss back too
            loss.backward()
            opt.step()
            if step >= a.warmup:
                times.append(time.perf_counter() - start)
    else:
        model.eval()
        rig = torch.rand(1, a.rig)
        with torch.no_grad():
            for step in range(a.warmup + a.steps):
                start = time.perf_counter()
                model(rig)
                if step >= a.warmup:
                    times.append(time.perf_counter() - start)
    print(json.dumps({'step_seconds': times}))


if __name__ == '__main__':
    main()
