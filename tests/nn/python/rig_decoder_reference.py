#!/usr/bin/python3
"""Python reference for the C++ rig decoder of core/nn (tests/nn/test_rig_decoder_interop.cpp).

A plain-PyTorch rig decoder with dynamic identity injection as described in REFERENCE.md
section 5 (the reference's models/CascadeNet.py), with timm-style names, so that state_dict()
keys are those of core/nn/rig_decoder.h: identity_embed.weight, stem.fc.*, stem.norm.*,
blocks.<i>.layer1.*, blocks.<i>.layer2.*, head.*.

Usage (run with /usr/bin/python3, which has python3-torch):
  rig_decoder_reference.py reference OUT_DIR   write Python weights, inputs and outputs for C++ to match
  rig_decoder_reference.py check OUT_DIR       load the C++ weights (strict), recompute the C++ outputs,
                                               print one JSON line of max abs differences; exit 1 if any
                                               difference exceeds 1e-5 or loading fails
"""
import argparse
import json
import os
import sys

import torch
import torch.nn as nn

# The free small size shared with the C++ test. Dropout 0, so that train-mode outputs (batch
# statistics) compare too; it has no weights, so the keys are those of any dropout.
FEATURE, RIG, IDENTITIES, IDENTITY, HIDDEN, BLOCKS, BATCH = 24, 7, 3, 16, 32, 2, 5
TOLERANCE = 1e-5


class DenseLayer(nn.Module):
    def __init__(self, cin, cout, dropout):
        super().__init__()
        self.fc = nn.Linear(cin, cout)
        self.norm = nn.BatchNorm1d(cout)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.drop(torch.relu(self.norm(self.fc(x))))


class ResidualBlock(nn.Module):
    def __init__(self, width, dropout):
        super().__init__()
        self.layer1 = DenseLayer(width, width, dropout)
        self.layer2 = DenseLayer(width, width, dropout)

    def forward(self, x):
        return x + self.layer2(self.layer1(x))


class RigDecoder(nn.Module):
    """features [B, D], avatars [B] int64 -> rigs [B, n_max] in (0, 1)."""

    def __init__(self, feature_size, rig_size, identities=10, identity_size=16, hidden=512, blocks=2, dropout=0.1):
        super().__init__()
        self.identity_embed = nn.Embedding(identities, identity_size)
        self.stem = DenseLayer(identity_size + feature_size, hidden, dropout)
        self.blocks = nn.ModuleList([ResidualBlock(hidden, dropout) for _ in range(blocks)])
        self.head = nn.Linear(hidden, rig_size)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, features, avatars):
        x = self.stem(torch.cat([self.identity_embed(avatars), features], 1))
        for block in self.blocks:
            x = block(x)
        return torch.sigmoid(self.head(x))


def make():
    return RigDecoder(FEATURE, RIG, IDENTITIES, IDENTITY, HIDDEN, BLOCKS, 0.0)


def perturb(model, seed):
    """Moves every floating tensor off its initial value (BatchNorm statistics included);
    running_var stays positive."""
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


def outputs(model, features, avatars):
    """Eval-mode output (running statistics), then train-mode output (batch statistics)."""
    with torch.no_grad():
        model.eval()
        evaluated = model(features, avatars)
        model.train()
        trained = model(features, avatars)
    return evaluated, trained


def reference(out):
    torch.manual_seed(0)
    model = make()
    perturb(model, 1)
    features = torch.randn(BATCH, FEATURE)
    avatars = torch.tensor([0, 2, 1, 0, 2], dtype=torch.int64)
    torch.save(model.state_dict(), os.path.join(out, 'py_decoder_weights.pt'))
    evaluated, trained = outputs(model, features, avatars)
    torch.save({'features': features, 'avatars': avatars, 'eval': evaluated, 'train': trained},
               os.path.join(out, 'py_decoder_io.pt'))
    print(json.dumps({'eval_mean': float(evaluated.mean())}))


def check(out):
    model = make()
    state = torch.load(os.path.join(out, 'cpp_decoder_weights.pt'), weights_only=True)
    model.load_state_dict(state, strict=True)
    io = torch.load(os.path.join(out, 'cpp_decoder_io.pt'), weights_only=True)
    evaluated, trained = outputs(model, io['features'], io['avatars'])
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
