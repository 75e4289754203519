"""The interface every landmark network implements.

- ``forward(x) -> (landmarks [N,54,2] normalised crop coords, scores [N,54] in [0,1])``: what
  ONNX export and inference see.
- ``features(x) -> [N,C,H/8,W/8]``: the stride-8 map the head reads; the distillation point of
  FD, CKD and of both DIKD injections.
- ``stages(x) -> list`` of per-stage maps (last = features(x)), for multi-block CKD.
- ``head``: a HeatmapHead; ``head.decode(f)`` also returns the heatmap logits for LD.
"""

from __future__ import annotations

import torch
from torch import nn

from thermal_fld_ros.networks.heads import HeadOutput, HeatmapHead


class LandmarkNet(nn.Module):
    """Backbone (``stages``) + HeatmapHead; subclasses build ``self.head`` and ``stages``."""

    head: HeatmapHead
    feature_channels: int

    def stages(self, x: torch.Tensor) -> list[torch.Tensor]:
        raise NotImplementedError

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.stages(x)[-1]

    def stem_in_channels(self) -> int:
        """Input channels (3 = RGB, 1 = thermal grey), read from the first conv."""
        first = next(m for m in self.modules() if isinstance(m, nn.Conv2d))
        return first.in_channels

    def decode(self, x: torch.Tensor) -> HeadOutput:
        return self.head.decode(self.features(x))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.head(self.features(x))
