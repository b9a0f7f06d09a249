#!/usr/bin/python3
"""Python reference for the C++ neural renderer of core/nn (tests/nn/test_renderer_interop.cpp,
bench/python/bench_renderer.py).

A plain-PyTorch DCGAN generator in the style of pytorch/examples dcgan and the FreeAvatar
reference's models/DCGAN.py: one nn.Sequential named `main` of 4x4 transposed convolutions
without bias, BatchNorm2d + ReLU after each but the last, sigmoid at the end (REFERENCE.md
section 4), so state_dict() keys are main.0.weight, main.1.weight, ... as in C++.

Usage (run with /usr/bin/python3, which has python3-torch):
  renderer_reference.py reference OUT_DIR   write Python weights, inputs and outputs for C++ to match
  renderer_reference.py check OUT_DIR       load the C++ weights (strict), recompute the C++ outputs,
                                            print one JSON line of max abs differences; exit 1 if any
                                            difference exceeds 1e-5 or loading fails
"""
import argparse
import json
import os
import sys

import torch
import torch.nn as nn

# The free small size shared with the C++ test (test_renderer_interop.cpp).
RIG, IMAGE, WIDTH, BATCH = 10, 64, 8, 3
TOLERANCE = 1e-5


class NeuralRenderer(nn.Module):
    """rigs [B, n] in [0, 1] -> images [B, 3, S, S] in [0, 1]; S in 64, 128, 256."""

    def __init__(self, rig_size, image_size=256, width=128):
        super().__init__()
        ngf = width

        def block(cin, cout, stride, padding):
            return [nn.ConvTranspose2d(cin, cout, 4, stride, padding, bias=False), nn.BatchNorm2d(cout),
                    nn.ReLU(True)]
        layers = block(rig_size, 8 * ngf, 1, 0) + block(8 * ngf, 4 * ngf, 2, 1) + block(4 * ngf, 2 * ngf, 2, 1) \
            + block(2 * ngf, ngf, 2, 1)
        side = 64
        while side < image_size:
            layers += block(ngf, ngf, 2, 1)
            side *= 2
        layers += [nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Sigmoid()]
        self.main = nn.Sequential(*layers)
        self.apply(dcgan_init)

    def forward(self, rigs):
        return self.main(rigs.view(rigs.shape[0], rigs.shape[1], 1, 1))


def dcgan_init(m):
    if isinstance(m, nn.ConvTranspose2d):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.constant_(m.bias, 0)


def region_weighted_l1(prediction, target, mask, weight):
    diff = (prediction.float() - target.float()).abs()
    return diff.mean() + weight * (diff * mask).mean()


def perturb(model, seed):
    """Moves every floating tensor off its initial value (BatchNorm statistics included) so a
    swapped or skipped tensor shows up in the outputs; running_var stays positive."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if not tensor.is_floating_point():
                continue
            noise = 0.05 * torch.randn(tensor.shape, generator=generator)
            if name.endswith('running_var'):
                noise = noise.abs()
            tensor.add_(noise)


def max_diff(a, b):
    return float((a.double() - b.double()).abs().max())


def outputs(model, rigs):
    """Eval-mode output (running statistics), then train-mode output (batch statistics)."""
    with torch.no_grad():
        model.eval()
        evaluated = model(rigs)
        model.train()
        trained = model(rigs)
    return evaluated, trained


def reference(out):
    torch.manual_seed(0)
    model = NeuralRenderer(RIG, IMAGE, WIDTH)
    perturb(model, 1)
    rigs = torch.rand(BATCH, RIG)
    torch.save(model.state_dict(), os.path.join(out, 'py_renderer_weights.pt'))
    evaluated, trained = outputs(model, rigs)
    torch.save({'rigs': rigs, 'eval': evaluated, 'train': trained}, os.path.join(out, 'py_renderer_io.pt'))
    print(json.dumps({'eval_mean': float(evaluated.mean())}))


def check(out):
    model = NeuralRenderer(RIG, IMAGE, WIDTH)
    state = torch.load(os.path.join(out, 'cpp_renderer_weights.pt'), weights_only=True)
    model.load_state_dict(state, strict=True)
    io = torch.load(os.path.join(out, 'cpp_renderer_io.pt'), weights_only=True)
    evaluated, trained = outputs(model, io['rigs'])
    diffs = {'eval': max_diff(evaluated, io['eval']), 'train': max_diff(trained, io['train'])}
    print(json.dumps(diffs))
    return 0 if all(d <= TOLERANCE for d in diffs.values()) else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('command', choices=['reference', 'check'])
    parser.add_argument('out_dir')
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out_dir, exist_ok=True)
    if args.command == 'reference':
        reference(args.out_dir)
        return 0
    return check(args.out_dir)


if __name__ == '__main__':
    sys.exit(main())
