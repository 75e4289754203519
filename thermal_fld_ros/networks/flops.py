"""Parameter and multiply-accumulate counts, for the model card and the student budget.

MFLOPs in this package are multiply-accumulates (MACs) of Conv2d and Linear layers per face, the
convention of the landmark/MobileNet literature; elementwise ops, BN and the soft-argmax are
negligible and not counted.
"""

from __future__ import annotations

import torch
from torch import nn

from thermal_fld_ros.preprocess import LANDMARK_INPUT_SIZE


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_macs(model: nn.Module, in_channels: int, size: int = LANDMARK_INPUT_SIZE) -> int:
    """MACs of one forward pass on a single (in_channels, size, size) input."""
    total = 0

    def conv_hook(module: nn.Conv2d, _inp, out: torch.Tensor) -> None:
        nonlocal total
        kh, kw = module.kernel_size
        total += out.numel() * (module.in_channels // module.groups) * kh * kw

    def linear_hook(module: nn.Linear, _inp, out: torch.Tensor) -> None:
        nonlocal total
        total += out.numel() * module.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(1, in_channels, size, size))
    finally:
        for h in hooks:
            h.remove()
        model.train(was_training)
    return total
