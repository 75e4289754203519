"""The lightweight thermal student the node ships (MobileNetV2-style, about 0.3M params, 30 MMAC).

Inverted residual blocks with depthwise 3x3 convs: the cheapest plain-conv unit that exports to
ONNX and TensorRT unchanged. Stride-8 fused map (64 channels, 14x14) is the distillation point,
the same grid as the teacher's so that FD needs only a 1x1 channel adapter and LD compares
heatmaps cell by cell.
"""

from __future__ import annotations

import torch
from torch import nn

from thermal_fld_ros.networks.base import LandmarkNet
from thermal_fld_ros.networks.blocks import ConvBNAct, InvertedResidual, TopDownFuse
from thermal_fld_ros.networks.heads import HeatmapHead

#: (out channels, stride, expansion, repeats) per stage, MobileNetV2 notation.
DEFAULT_STAGES: tuple[tuple[int, int, int, int], ...] = (
    (16, 1, 1, 1),  # /2
    (24, 2, 4, 2),  # /4
    (32, 2, 4, 3),  # /8
    (64, 2, 4, 3),  # /16
    (96, 1, 4, 2),  # /16
)


class StudentNet(LandmarkNet):
    """stem /2 -> inverted residual stages -> fuse /16 into /8 -> depthwise-separable head."""

    def __init__(self, in_channels: int = 1, stem_channels: int = 16,
                 stage_spec: tuple[tuple[int, int, int, int], ...] = DEFAULT_STAGES,
                 feature_channels: int = 64, head_channels: int = 96) -> None:
        super().__init__()
        self.stem = ConvBNAct(in_channels, stem_channels, 3, 2)
        blocks: list[nn.Module] = []
        self._stride8_index = -1
        cin, stride = stem_channels, 2
        for cout, s, t, n in stage_spec:
            for i in range(n):
                blocks.append(InvertedResidual(cin, cout, s if i == 0 else 1, t))
                cin = cout
                stride *= s if i == 0 else 1
                if stride == 8:
                    self._stride8_index = len(blocks) - 1
                    c_fine = cout
        if self._stride8_index < 0 or stride != 16:
            raise ValueError("stage_spec must reach stride 8 and end at stride 16")
        self.blocks = nn.ModuleList(blocks)
        self.fuse = TopDownFuse(c_fine, cin, feature_channels, depthwise=True)
        self.head = HeatmapHead(feature_channels, head_channels, depthwise=True)
        self.feature_channels = feature_channels

    def stages(self, x: torch.Tensor) -> list[torch.Tensor]:
        x = self.stem(x)
        fine = x
        for i, block in enumerate(self.blocks):
            x = block(x)
            if i == self._stride8_index:
                fine = x
        return [fine, x, self.fuse(fine, x)]
