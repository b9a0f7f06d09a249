#!/usr/bin/python3
"""Python reference for the C++ networks of core/nn (tests/nn/test_python_interop.cpp).

A plain-PyTorch re-implementation of facebookresearch/mae's models_mae.MaskedAutoencoderViT and
models_vit.VisionTransformer(global_pool=True) over timm 0.3.2's PatchEmbed/Attention/Mlp/Block
(LayerNorm eps 1e-6, qkv_bias=True, exact GELU, no dropout), written from those sources so that
the test needs neither timm nor the MAE repository. Module attribute names and registration
order follow the originals, so state_dict() keys are identical.

Usage (run with /usr/bin/python3, which has python3-torch):
  mae_reference.py reference OUT_DIR   write Python weights, inputs and outputs for C++ to match
  mae_reference.py check OUT_DIR       load the C++ weights (strict), recompute the C++ outputs,
                                       print one JSON line of max abs differences; exit 1 if any
                                       difference exceeds 1e-5 or loading fails
  mae_reference.py fixtures OUT_DIR    write torch.save files for the pickle-reader tests
"""
import argparse
import collections
import json
import os
import sys
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# The free small size shared with the C++ test (test_python_interop.cpp).
IMAGE, PATCH, DIM, DEPTH, HEADS = 32, 8, 64, 2, 4
DEC_DIM, DEC_DEPTH, DEC_HEADS = 32, 1, 4
MASK_RATIO, EMBEDDING = 0.75, 16
TOLERANCE = 1e-5


def sincos_1d(dim, positions):
    omega = np.arange(dim // 2, dtype=np.float32)
    omega /= dim / 2.0
    omega = 1.0 / 10000 ** omega
    angles = np.einsum('m,d->md', positions.reshape(-1), omega)
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1)


def sincos_2d(dim, grid_size, cls_token):
    """util/pos_embed.py get_2d_sincos_pos_embed: columns first, then rows."""
    coords = np.arange(grid_size, dtype=np.float32)
    grid = np.stack(np.meshgrid(coords, coords), axis=0).reshape([2, 1, grid_size, grid_size])
    table = np.concatenate([sincos_1d(dim // 2, grid[0]), sincos_1d(dim // 2, grid[1])], axis=1)
    if cls_token:
        table = np.concatenate([np.zeros([1, dim]), table], axis=0)
    return table


class PatchEmbed(nn.Module):
    def __init__(self, img_size, patch_size, in_chans, embed_dim):
        super().__init__()
        self.patch_size = patch_size
        self.num_patches = (img_size // patch_size) ** 2
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.num_heads, c // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, num_heads, mlp_ratio=4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


def mae_init_weights(model):
    def init(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.constant_(m.bias, 0)
        elif isinstance(m, nn.LayerNorm):
            nn.init.constant_(m.bias, 0)
            nn.init.constant_(m.weight, 1.0)
    w = model.patch_embed.proj.weight.data
    nn.init.xavier_uniform_(w.view([w.shape[0], -1]))
    model.apply(init)


class MaskedAutoencoder(nn.Module):
    """models_mae.MaskedAutoencoderViT, with the noise as an argument (MAE draws torch.rand)."""

    def __init__(self, image=IMAGE, patch=PATCH, dim=DIM, depth=DEPTH, heads=HEADS,
                 dec_dim=DEC_DIM, dec_depth=DEC_DEPTH, dec_heads=DEC_HEADS, mask_ratio=MASK_RATIO):
        super().__init__()
        self.patch, self.mask_ratio = patch, mask_ratio
        self.patch_embed = PatchEmbed(image, patch, 3, dim)
        n = self.patch_embed.num_patches
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, n + 1, dim), requires_grad=False)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.decoder_embed = nn.Linear(dim, dec_dim, bias=True)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dec_dim))
        self.decoder_pos_embed = nn.Parameter(torch.zeros(1, n + 1, dec_dim), requires_grad=False)
        self.decoder_blocks = nn.ModuleList([Block(dec_dim, dec_heads) for _ in range(dec_depth)])
        self.decoder_norm = nn.LayerNorm(dec_dim, eps=1e-6)
        self.decoder_pred = nn.Linear(dec_dim, patch ** 2 * 3, bias=True)
        grid = int(n ** 0.5)
        self.pos_embed.data.copy_(torch.from_numpy(sincos_2d(dim, grid, True)).float().unsqueeze(0))
        self.decoder_pos_embed.data.copy_(torch.from_numpy(sincos_2d(dec_dim, grid, True)).float().unsqueeze(0))
        torch.nn.init.normal_(self.cls_token, std=0.02)
        torch.nn.init.normal_(self.mask_token, std=0.02)
        mae_init_weights(self)

    def patchify(self, imgs):
        p = self.patch
        h = w = imgs.shape[2] // p
        x = imgs.reshape(shape=(imgs.shape[0], 3, h, p, w, p))
        x = torch.einsum('nchpwq->nhwpqc', x)
        return x.reshape(shape=(imgs.shape[0], h * w, p ** 2 * 3))

    def forward(self, imgs, noise):
        x = self.patch_embed(imgs) + self.pos_embed[:, 1:, :]
        n, length, d = x.shape
        keep = int(length * (1 - self.mask_ratio))
        ids_shuffle = torch.argsort(noise, dim=1)
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        x = torch.gather(x, dim=1, index=ids_shuffle[:, :keep].unsqueeze(-1).repeat(1, 1, d))
        mask = torch.ones([n, length], device=x.device)
        mask[:, :keep] = 0
        mask = torch.gather(mask, dim=1, index=ids_restore)
        cls = self.cls_token + self.pos_embed[:, :1, :]
        x = torch.cat((cls.expand(x.shape[0], -1, -1), x), dim=1)
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x)

        x = self.decoder_embed(x)
        tokens = self.mask_token.repeat(x.shape[0], ids_restore.shape[1] + 1 - x.shape[1], 1)
        x_ = torch.cat([x[:, 1:, :], tokens], dim=1)
        x_ = torch.gather(x_, dim=1, index=ids_restore.unsqueeze(-1).repeat(1, 1, x.shape[2]))
        x = torch.cat([x[:, :1, :], x_], dim=1) + self.decoder_pos_embed
        for blk in self.decoder_blocks:
            x = blk(x)
        pred = self.decoder_pred(self.decoder_norm(x))[:, 1:, :]

        target = self.patchify(imgs)
        mean = target.mean(dim=-1, keepdim=True)
        var = target.var(dim=-1, keepdim=True)
        target = (target - mean) / (var + 1.e-6) ** .5
        loss = ((pred - target) ** 2).mean(dim=-1)
        loss = (loss * mask).sum() / mask.sum()
        return loss, pred, mask


class ExpressionEncoder(nn.Module):
    """models_vit.VisionTransformer(global_pool=True, num_classes=16) + L2 normalisation, with
    MAE's fixed sin-cos pos_embed. Attribute order as timm + models_vit (head before fc_norm)."""

    def __init__(self, image=IMAGE, patch=PATCH, dim=DIM, depth=DEPTH, heads=HEADS, embedding=EMBEDDING):
        super().__init__()
        self.patch_embed = PatchEmbed(image, patch, 3, dim)
        n = self.patch_embed.num_patches
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, n + 1, dim), requires_grad=False)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.head = nn.Linear(dim, embedding)
        self.fc_norm = nn.LayerNorm(dim, eps=1e-6)
        self.pos_embed.data.copy_(torch.from_numpy(sincos_2d(dim, int(n ** 0.5), True)).float().unsqueeze(0))
        torch.nn.init.normal_(self.cls_token, std=0.02)
        mae_init_weights(self)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat((self.cls_token.expand(x.shape[0], -1, -1), x), dim=1) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        feature = self.fc_norm(x[:, 1:, :].mean(dim=1))
        return F.normalize(self.head(feature), dim=1), feature


def perturb(model, seed):
    """Moves every tensor off its initial value (biases, norms, tables) so a swapped or skipped
    tensor shows up in the outputs."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for tensor in model.state_dict().values():
            tensor.add_(0.05 * torch.randn(tensor.shape, generator=generator))


def max_diff(a, b):
    return float((a.double() - b.double()).abs().max())


def reference(out):
    torch.manual_seed(0)
    mae, encoder = MaskedAutoencoder(), ExpressionEncoder()
    perturb(mae, 1)
    perturb(encoder, 2)
    images = torch.randn(3, 3, IMAGE, IMAGE)
    noise = torch.rand(3, (IMAGE // PATCH) ** 2)
    with torch.no_grad():
        loss, pred, mask = mae(images, noise)
        embedding, feature = encoder(images)
    torch.save(mae.state_dict(), os.path.join(out, 'py_mae_weights.pt'))
    torch.save({'model': encoder.state_dict(), 'epoch': 3}, os.path.join(out, 'py_encoder_weights.pt'))
    torch.save(collections.OrderedDict(images=images, noise=noise, loss=loss, prediction=pred, mask=mask),
               os.path.join(out, 'py_mae_io.pt'))
    torch.save({'images': images, 'embedding': embedding, 'feature': feature},
               os.path.join(out, 'py_encoder_io.pt'))
    print(json.dumps({'mae_loss': float(loss)}))


def load_safely(path):
    """torch.load with weights_only=True (the default from PyTorch 2.6): the C++ files must use
    only allow-listed classes."""
    return torch.load(path, weights_only=True)


def check(out):
    diffs = {}
    mae, encoder = MaskedAutoencoder(), ExpressionEncoder()
    mae.load_state_dict(load_safely(os.path.join(out, 'cpp_mae_weights.pt')), strict=True)
    encoder.load_state_dict(load_safely(os.path.join(out, 'cpp_encoder_weights.pt')), strict=True)
    mae_io = load_safely(os.path.join(out, 'cpp_mae_io.pt'))
    encoder_io = load_safely(os.path.join(out, 'cpp_encoder_io.pt'))
    with torch.no_grad():
        loss, pred, mask = mae(mae_io['images'], mae_io['noise'])
        embedding, feature = encoder(encoder_io['images'])
    diffs['mae_loss'] = max_diff(loss, mae_io['loss'])
    diffs['mae_prediction'] = max_diff(pred, mae_io['prediction'])
    diffs['mae_mask'] = max_diff(mask, mae_io['mask'])
    diffs['encoder_embedding'] = max_diff(embedding, encoder_io['embedding'])
    diffs['encoder_feature'] = max_diff(feature, encoder_io['feature'])
    print(json.dumps(diffs))
    return 0 if all(d <= TOLERANCE for d in diffs.values()) else 1


def fixtures(out):
    def path(name):
        return os.path.join(out, name)

    # A real module state dict: OrderedDict with _metadata, values set to known ramps.
    module = nn.Sequential(collections.OrderedDict(fc=nn.Linear(3, 2), norm=nn.LayerNorm(2)))
    with torch.no_grad():
        module.fc.weight.copy_(torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.5)
        module.fc.bias.copy_(torch.tensor([-1.0, 1.0]))
        module.norm.weight.copy_(torch.tensor([2.0, 3.0]))
        module.norm.bias.copy_(torch.tensor([0.25, -0.25]))
    state = module.state_dict()
    assert hasattr(state, '_metadata')
    torch.save(state, path('metadata_state_dict.pt'))

    # An MAE-style training checkpoint: the weights under 'model' next to other objects.
    trained = nn.Linear(3, 2)  # its own parameters: the step must not change `state`
    optimizer = torch.optim.AdamW(trained.parameters(), lr=1e-3, betas=(0.9, 0.95))
    trained(torch.ones(1, 3)).sum().backward()
    optimizer.step()
    torch.save({'model': state, 'optimizer': optimizer.state_dict(), 'epoch': 799,
                'scaler': {'scale': 65536.0, '_growth_tracker': 0},
                'args': argparse.Namespace(lr=1.5e-4, model='mae_vit_base_patch16', norm_pix_loss=True)},
               path('mae_checkpoint.pt'))
    torch.save({'state_dict': state}, path('state_dict_key.pt'))

    # Dtypes.
    torch.save({'half': (torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4).half(),
                'bfloat16': (torch.arange(4, dtype=torch.float32) - 1.5).bfloat16(),
                'int64': torch.tensor([-3, 0, 5_000_000_000_123]),
                'float64': torch.tensor([1.0 / 3.0, -2.5], dtype=torch.float64),
                'int32': torch.tensor([7, -8], dtype=torch.int32),
                'uint8': torch.tensor([0, 255], dtype=torch.uint8),
                'bool': torch.tensor([True, False, True])}, path('dtypes.pt'))

    # Views sharing one storage (saved once), with offsets and strides; a 0-d tensor.
    base = torch.arange(48, dtype=torch.float32)
    torch.save(collections.OrderedDict([
        ('base', base),
        ('transposed', base.view(6, 8).t()),
        ('offset', base[10:20]),
        ('strided', base.view(6, 8)[1:5:2, ::3]),
        ('scalar', torch.tensor(3.5)),
        ('empty', torch.zeros(0, 4)),
    ]), path('views.pt'))

    # nn.Parameter values (torch._utils._rebuild_parameter) and a dict needing LONG_BINPUT.
    torch.save({'weight': nn.Parameter(torch.full((2, 2), 1.5))}, path('parameter.pt'))
    torch.save({f'tensor_{i:03d}': torch.full((1,), float(i)) for i in range(300)}, path('many.pt'))

    # MAE's position tables computed by numpy (util/pos_embed.py), for the C++ sin-cos embedding.
    torch.save({'vit_b_cls': torch.from_numpy(sincos_2d(768, 14, True)).float(),
                'dim64_grid4': torch.from_numpy(sincos_2d(64, 4, False)).float()}, path('pos_embed.pt'))

    # Unsupported contents.
    torch.save({'weight': torch.ones(2), 'step': 3}, path('non_tensor.pt'))
    torch.save([torch.ones(2)], path('list_root.pt'))
    torch.save({'q': torch.quantize_per_tensor(torch.ones(3), 0.1, 0, torch.quint8)}, path('quantized.pt'))
    torch.save({'weight': torch.ones(2)}, path('legacy.pt'), _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(nn.Linear(2, 2)), path('torchscript.pt'))
    with zipfile.ZipFile(path('metadata_state_dict.pt')) as source, \
            zipfile.ZipFile(path('missing_record.pt'), 'w') as target:
        for name in source.namelist():
            if not name.endswith('/data/0'):
                target.writestr(name, source.read(name))
    print(json.dumps({'fixtures': sorted(os.listdir(out))}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('command', choices=['reference', 'check', 'fixtures'])
    parser.add_argument('out_dir')
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out_dir, exist_ok=True)
    if args.command == 'reference':
        reference(args.out_dir)
        return 0
    if args.command == 'check':
        return check(args.out_dir)
    fixtures(args.out_dir)
    return 0


if __name__ == '__main__':
    sys.exit(main())
