#!/usr/bin/python3
"""Python baseline for bench/bench_rig_decoder.cpp: the same rig-decoder training step as the C++
side (fa::nn::rigDecoderStep), run through Debian's python3-torch (call it with /usr/bin/python3).

Networks: tests/nn/python (mae_reference.ExpressionEncoder, renderer_reference.NeuralRenderer,
rig_decoder_reference.RigDecoder: the modules the interop tests check against ours). The encoder
and the two renderers are frozen (eval, requires_grad False) but in the graph; the sources'
patch means and embeddings are given (the trainer computes them once). Loss: 10 x rig MSE + 0.2 x
embedding MSE (render -> bilinear resize to floor(S*256/224), centre crop S, face normalisation
-> encoder) + 1 x image L1; Adam lr 1e-5 betas (0, 0.99); gradient norm read back as the C++
step does (clip 0). Random inputs. Prints {"step_seconds": [...]} for the timed steps.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'nn', 'python'))
import mae_reference as mae  # noqa: E402
import renderer_reference as rr  # noqa: E402
import rig_decoder_reference as rd  # noqa: E402

MEAN = torch.tensor([0.499, 0.410, 0.366]).view(1, 3, 1, 1)
STD = torch.tensor([0.297, 0.270, 0.265]).view(1, 3, 1, 1)


def encode(encoder, images, size):
    short = size * 256 // 224
    offset = int(round((short - size) / 2.0))
    x = F.interpolate(images, size=(short, short), mode='bilinear', align_corners=False)
    x = (x[:, :, offset:offset + size, offset:offset + size] - MEAN) / STD
    embedding, _ = encoder(x)
    return embedding


def main():
    p = argparse.ArgumentParser()
    for name in ('image', 'patch', 'dim', 'depth', 'heads', 'render', 'width', 'batch', 'steps', 'warmup', 'threads'):
        p.add_argument('--' + name, type=int, required=True)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    rigs = (52, 61)
    encoder = mae.ExpressionEncoder(a.image, a.patch, a.dim, a.depth, a.heads, 16)
    renderers = [rr.NeuralRenderer(n, a.render, a.width) for n in rigs]
    for m in [encoder] + renderers:
        m.eval()
        for q in m.parameters():
            q.requires_grad_(False)
    decoder = rd.RigDecoder(a.dim, max(rigs))
    decoder.train()
    opt = torch.optim.Adam(decoder.parameters(), lr=1e-5, betas=(0.0, 0.99))
    b = a.batch
    patch_mean = torch.randn(b, a.dim)
    source = F.normalize(torch.randn(b, 16), dim=1)
    avatars = torch.arange(b) % 2
    targets = torch.rand(b, max(rigs))
    images = torch.rand(b, 3, a.render, a.render)
    own = (torch.arange(max(rigs)).unsqueeze(0) < torch.tensor(rigs)[avatars].unsqueeze(1)).float()
    times = []
    for step in range(a.warmup + a.steps):
        start = time.perf_counter()
        opt.zero_grad()
        out = decoder(patch_mean, avatars)
        rendered = torch.empty(b, 3, a.render, a.render)
        parts = []
        for k, n in enumerate(rigs):
            idx = (avatars == k).nonzero().flatten()
            parts.append((idx, renderers[k](out[idx, :n])))
        order = torch.cat([i for i, _ in parts])
        rendered = torch.cat([r for _, r in parts])[torch.argsort(order)]
        rig_loss = (((out - targets) ** 2) * own).sum() / own.sum()
        emb_loss = F.mse_loss(encode(encoder, rendered, a.image), source)
        img_loss = (rendered - images).abs().mean()
        loss = 10 * rig_loss + 0.2 * emb_loss + img_loss
        loss.item()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(decoder.parameters(), float('inf')).item()
        opt.step()
        if step >= a.warmup:
            times.append(time.perf_counter() - start)
    print(json.dumps({'step_seconds': times}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
