"""Teacher-size network: the RGB teacher and the KTL thermal model share this architecture.

Design for a CPU budget: a ResNet-style backbone whose parameters sit at the coarse stride-16
grid (7x7 at 112 px), where a parameter costs only 49 multiply-adds, so the network has real
capacity (about 3M parameters) at about 0.2 GMAC per face. The stride-8 fused map (96 channels,
14x14) is the distillation point. Same architecture for RGB and thermal (only ``in_channels``
differs) so that DIKD's forward and reverse injections swap features of identical shape.
"""

from __future__ import annotations

import torch
from torch import nn

from thermal_fld_ros.networks.base import LandmarkNet
from thermal_fld_ros.networks.blocks import BasicBlock, ConvBNAct, TopDownFuse
from thermal_fld_ros.networks.heads import HeatmapHead


class TeacherNet(LandmarkNet):
    """stem /2 -> conv /4 -> BasicBlock /8 -> ``deep_blocks`` BasicBlocks /16 -> fuse at /8 -> head."""

    def __init__(self, in_channels: int = 3, widths: tuple[int, int, int, int] = (32, 64, 128, 256),
                 deep_blocks: int = 3, feature_channels: int = 96) -> None:
        super().__init__()
        w0, w1, w2, w3 = widths
        self.stem = nn.Sequential(ConvBNAct(in_channels, w0, 3, 2), ConvBNAct(w0, w1, 3, 2))
        self.stage8 = BasicBlock(w1, w2, 2)
        self.stage16 = nn.Sequential(BasicBlock(w2, w3, 2), *[BasicBlock(w3, w3) for _ in range(deep_blocks - 1)])
        self.fuse = TopDownFuse(w2, w3, feature_channels, depthwise=False)
        self.head = HeatmapHead(feature_channels, feature_channels, depthwise=False)
        self.feature_channels = feature_channels

    def stages(self, x: torch.Tensor) -> list[torch.Tensor]:
        s4 = self.stem(x)
        s8 = self.stage8(s4)
        s16 = self.stage16(s8)
        return [s4, s8, s16, self.fuse(s8, s16)]
