"""The app's default (2+1)D network in PyTorch, layer for layer (src-main/core/classify/worker/models):
time folded into the batch; per block i (c = width·2^i) a 3×3 stride-2 spatial conv + BN + ReLU,
then a temporal conv (kernel 3 over T, 'same') + BN + ReLU; global average pool over T, H, W;
dropout; linear. Input [N, T, S, S, 3] floats in 0..1 (the app's layout), output logits.
init="app" (default): the app's initialisation (factorised-blocks.ts, build-model.ts): convs without bias, kernels
He-normal (truncated at 2σ, σ = √(2/fan_in), as tfjs's heNormal), the linear layer Glorot-uniform with a zero bias.
bn_momentum: PyTorch's convention (0.1 = the app's keep 0.9; TorchSSL's WRN uses 0.001).
init="torch": PyTorch's defaults with conv biases, as this port was before issue 24 (the 2026-11-27 numbers)."""
import math

import torch
from torch import nn


def _he_normal_truncated(weight):
    fan_in = weight.shape[1] * weight.shape[2] * weight.shape[3]
    std = math.sqrt(2 / fan_in)
    nn.init.trunc_normal_(weight, std=std, a=-2 * std, b=2 * std)


class Block(nn.Module):
    def __init__(self, cin, cout, bias=False, bn_momentum=0.1):
        super().__init__()
        self.spatial = nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=bias)
        self.spatial_bn = nn.BatchNorm2d(cout, momentum=bn_momentum)
        # A (3, 1) conv over [N, c, T, H·W] is the temporal conv of every pixel.
        self.temporal = nn.Conv2d(cout, cout, (3, 1), padding=(1, 0), bias=bias)
        self.temporal_bn = nn.BatchNorm2d(cout, momentum=bn_momentum)

    def forward(self, x, n, t):
        x = torch.relu(self.spatial_bn(self.spatial(x)))  # [N·T, c, H, W]
        nt, c, h, w = x.shape
        x = x.reshape(n, t, c, h * w).permute(0, 2, 1, 3)  # [N, c, T, H·W]
        x = torch.relu(self.temporal_bn(self.temporal(x)))
        return x.permute(0, 2, 1, 3).reshape(nt, c, h, w)


class R2Plus1D(nn.Module):
    def __init__(self, classes=10, width=16, depth=3, dropout=0.3, init="app", bn_momentum=0.1):
        super().__init__()
        if init not in ("app", "torch"):
            raise ValueError(f"init is app or torch, not {init!r}")
        chans = [3] + [width * 2**i for i in range(depth)]
        self.blocks = nn.ModuleList(Block(chans[i], chans[i + 1], bias=init == "torch", bn_momentum=bn_momentum) for i in range(depth))
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(chans[-1], classes)
        if init == "app":
            for block in self.blocks:
                _he_normal_truncated(block.spatial.weight)
                _he_normal_truncated(block.temporal.weight)
            nn.init.xavier_uniform_(self.head.weight)
            nn.init.zeros_(self.head.bias)

    def forward(self, x):
        n, t, s, _, ch = x.shape
        x = x.permute(0, 1, 4, 2, 3).reshape(n * t, ch, s, s)
        for block in self.blocks:
            x = block(x, n, t)
        x = x.reshape(n, t, x.shape[1], -1).mean(dim=(1, 3))
        return self.head(self.dropout(x))
