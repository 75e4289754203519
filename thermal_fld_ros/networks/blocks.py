"""Building blocks shared by the teacher and the student.

Only Conv2d (plain or depthwise), BatchNorm, ReLU, nearest upsampling and addition: every block
exports to ONNX opset 17 and builds in TensorRT without plugins.
"""

from __future__ import annotations

import torch
from torch import nn


class ConvBNAct(nn.Sequential):
    """Conv (no bias) + BatchNorm + optional ReLU; the unit every network is made of."""

    def __init__(self, cin: int, cout: int, kernel: int = 3, stride: int = 1, groups: int = 1,
                 act: bool = True) -> None:
        layers: list[nn.Module] = [
            nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout),
        ]
        if act:
            layers.append(nn.ReLU(inplace=True))
        super().__init__(*layers)


class BasicBlock(nn.Module):
    """ResNet basic block (two 3x3 convs + identity/projection shortcut), the teacher's unit."""

    def __init__(self, cin: int, cout: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = ConvBNAct(cin, cout, 3, stride)
        self.conv2 = ConvBNAct(cout, cout, 3, 1, act=False)
        self.shortcut = (nn.Identity() if stride == 1 and cin == cout
                         else ConvBNAct(cin, cout, 1, stride, act=False))
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.conv2(self.conv1(x)) + self.shortcut(x))


class InvertedResidual(nn.Module):
    """MobileNetV2 block (1x1 expand, 3x3 depthwise, 1x1 linear project), the student's unit."""

    def __init__(self, cin: int, cout: int, stride: int = 1, expand: int = 4) -> None:
        super().__init__()
        hidden = cin * expand
        layers: list[nn.Module] = []
        if expand != 1:
            layers.append(ConvBNAct(cin, hidden, 1))
        layers += [ConvBNAct(hidden, hidden, 3, stride, groups=hidden), ConvBNAct(hidden, cout, 1, act=False)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.body(x)
        return x + out if self.residual else out


class TopDownFuse(nn.Module):
    """Bring the deepest (stride 16) map up to stride 8 and add it to the stride-8 map (FPN-lite).

    Landmarks need the fine stride-8 grid for localisation and the deep map for context (pose,
    which side is which); one lateral 1x1 + nearest upsample + add is the cheapest way to get both.
    """

    def __init__(self, c_fine: int, c_deep: int, c_out: int, depthwise: bool) -> None:
        super().__init__()
        self.lateral_fine = ConvBNAct(c_fine, c_out, 1, act=False)
        self.lateral_deep = ConvBNAct(c_deep, c_out, 1, act=False)
        self.up = nn.Upsample(scale_factor=2.0, mode="nearest")
        if depthwise:
            self.smooth = nn.Sequential(ConvBNAct(c_out, c_out, 3, groups=c_out), ConvBNAct(c_out, c_out, 1))
        else:
            self.smooth = ConvBNAct(c_out, c_out, 3)

    def forward(self, fine: torch.Tensor, deep: torch.Tensor) -> torch.Tensor:
        return self.smooth(torch.relu(self.lateral_fine(fine) + self.up(self.lateral_deep(deep))))
