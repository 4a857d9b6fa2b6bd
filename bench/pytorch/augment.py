"""Weak and strong augmentation like the app's (src-main/core/classify/worker/augment): parameters drawn once
per clip and applied to every frame, batched tensor ops. x: float [N, T, S, S, 3] in 0..1.
Equalize is approximated by a per-channel autocontrast (as a tensor op)."""
import math

import torch
import torch.nn.functional as F


def _frames_first(x):  # [N, T, S, S, 3] -> [N, T·3, S, S]
    n, t, s, _, c = x.shape
    return x.permute(0, 1, 4, 2, 3).reshape(n, t * c, s, s), (n, t, s, c)


def _back(y, shape):
    n, t, s, c = shape
    return y.reshape(n, t, c, s, s).permute(0, 1, 3, 4, 2)


def weak(x, g, flip):
    n = x.shape[0]
    y, shape = _frames_first(x)
    s = shape[2]
    if flip:
        mirror = torch.rand(n, generator=g) < 0.5
        y = torch.where(mirror[:, None, None, None], y.flip(-1), y)
    pad = s // 8
    padded = F.pad(y, (pad, pad, pad, pad), mode="reflect")
    offsets = torch.randint(0, 2 * pad + 1, (n, 2), generator=g).tolist()
    y = torch.stack([padded[i, :, dy:dy + s, dx:dx + s] for i, (dx, dy) in enumerate(offsets)])
    return _back(y, shape)


def _per_clip(v):
    return v[:, None, None, None, None]


def _grey(x):
    return (x * torch.tensor([0.299, 0.587, 0.114])).sum(-1, keepdim=True)


def _blend(a, b, f):  # f·a + (1−f)·b, clipped
    return (b + _per_clip(f) * (a - b)).clamp(0, 1)


def _affine(x, theta):
    y, shape = _frames_first(x)
    grid = F.affine_grid(theta, list(y.shape), align_corners=False)
    out = F.grid_sample(y - 0.5, grid, align_corners=False, padding_mode="zeros") + 0.5  # grey fill
    return _back(out, shape)


def _op(name, x, m, sign):
    """m: magnitude per clip in [0, 1]; sign: ±1 per clip (geometric ops only)."""
    n = x.shape[0]
    if name == "identity":
        return x
    if name in ("autocontrast", "equalize"):
        lo = x.amin(dim=(1, 2, 3), keepdim=True)
        hi = x.amax(dim=(1, 2, 3), keepdim=True)
        return torch.where(hi > lo, (x - lo) / (hi - lo).clamp_min(1e-6), x)
    factor = 0.05 + m * 0.9  # enhancement factor 0.05 .. 0.95, the app's and TorchSSL's range (strong-params.ts)
    if name == "brightness":
        return _blend(x, torch.zeros_like(x), factor)
    if name == "colour":
        return _blend(x, _grey(x).expand_as(x), factor)
    if name == "contrast":
        mean = _grey(x).mean(dim=(1, 2, 3, 4), keepdim=True)
        return _blend(x, mean.expand_as(x), factor)
    if name == "sharpness":
        y, shape = _frames_first(x)
        kernel = torch.tensor([[1.0, 1, 1], [1, 5, 1], [1, 1, 1]]) / 13
        blurred = F.conv2d(F.pad(y, (1, 1, 1, 1), mode="replicate"), kernel.expand(y.shape[1], 1, 3, 3), groups=y.shape[1])
        return _blend(x, _back(blurred, shape), factor)
    if name == "posterize":
        step = torch.pow(2.0, torch.round(m * 4))  # keep 8 … 4 bits
        step = _per_clip(step)
        return torch.floor(x * 255 / step) * step / 255
    if name == "solarize":
        threshold = _per_clip(1 - m)
        return torch.where(x < threshold, x, 1 - x)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = 1
    theta[:, 1, 1] = 1
    if name == "rotate":
        a = sign * m * math.radians(30)
        theta[:, 0, 0], theta[:, 0, 1] = torch.cos(a), -torch.sin(a)
        theta[:, 1, 0], theta[:, 1, 1] = torch.sin(a), torch.cos(a)
    elif name == "shear_x":
        theta[:, 0, 1] = sign * m * 0.3
    elif name == "shear_y":
        theta[:, 1, 0] = sign * m * 0.3
    elif name == "translate_x":
        theta[:, 0, 2] = sign * m * 0.3 * 2  # affine_grid coordinates span 2
    elif name == "translate_y":
        theta[:, 1, 2] = sign * m * 0.3 * 2
    else:
        raise ValueError(name)
    return _affine(x, theta)


OPS = ["autocontrast", "brightness", "colour", "contrast", "equalize", "identity", "posterize",
       "rotate", "sharpness", "shear_x", "shear_y", "solarize", "translate_x", "translate_y"]


def strong(x, g, flip, ops=2):
    """RandAugment with `ops` distinct ops per clip (the app's N = 2; the reference code's is 3), cutout, weak."""
    n, t, s = x.shape[0], x.shape[1], x.shape[2]
    if not 1 <= ops <= len(OPS):
        raise ValueError(f"ops per clip must be in 1..{len(OPS)}, not {ops}")
    chosen = torch.rand(n, len(OPS), generator=g).argsort(dim=1)[:, :ops]  # distinct, as the app's rng.sample
    for k in range(ops):
        choice = chosen[:, k]
        m = torch.rand(n, generator=g)
        sign = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
        out = x.clone()
        for k in choice.unique().tolist():
            rows = (choice == k).nonzero().flatten()
            out[rows] = _op(OPS[k], x[rows], m[rows], sign[rows])
        x = out
    # Cutout: a grey box of side up to half the image, the same on every frame of a clip.
    side = (torch.rand(n, generator=g) * s / 2).long()
    cy = torch.randint(0, s, (n,), generator=g)
    cx = torch.randint(0, s, (n,), generator=g)
    rows = torch.arange(s)
    inside_y = ((rows[None] >= (cy - side // 2)[:, None]) & (rows[None] < (cy + (side + 1) // 2)[:, None]))
    inside_x = ((rows[None] >= (cx - side // 2)[:, None]) & (rows[None] < (cx + (side + 1) // 2)[:, None]))
    box = (inside_y[:, :, None] & inside_x[:, None, :])[:, None, :, :, None]
    x = torch.where(box, torch.full_like(x, 0.5), x)
    return weak(x, g, flip)
