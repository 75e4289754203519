"""Landmark head: heatmap logits decoded by soft-argmax (integral regression) + per-point scores.

Why integral regression: the expectation over a softmax heatmap is differentiable and sub-pixel
at any grid size, so a coarse stride-8 grid (14x14 at 112 px) gives sub-pixel landmarks without
a decoder, and the heatmap logits are a natural target for logit distillation. The decode is a
softmax and two weighted sums (plain ONNX ops, TensorRT friendly).

Score: the per-point confidence is the sigmoid of a second set of logits pooled under the same
softmax weights, trained to predict localisation quality (losses.score_target), so it is low for
occluded or unsure points and can filter pseudo-labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from thermal_fld_ros.layout import NUM_LANDMARKS
from thermal_fld_ros.networks.blocks import ConvBNAct


@dataclass
class HeadOutput:
    """Everything the head computes; forward() of a network returns only (landmarks, scores)."""

    landmarks: torch.Tensor  # [N, K, 2] normalised crop coordinates (0..1)
    scores: torch.Tensor  # [N, K] in [0, 1]
    heatmap_logits: torch.Tensor  # [N, K, H, W], used by logit distillation
    score_logits: torch.Tensor  # [N, K], pre-sigmoid, for the score loss (BCE with logits)


class HeatmapHead(nn.Module):
    """3x3 conv (depthwise-separable for the student) then 1x1 to K heatmaps and K score maps."""

    def __init__(self, cin: int, mid: int, depthwise: bool = False, num_points: int = NUM_LANDMARKS) -> None:
        super().__init__()
        if depthwise:
            self.conv = nn.Sequential(ConvBNAct(cin, cin, 3, groups=cin), ConvBNAct(cin, mid, 1))
        else:
            self.conv = ConvBNAct(cin, mid, 3)
        self.out = nn.Conv2d(mid, 2 * num_points, 1)
        self.num_points = num_points
        nn.init.normal_(self.out.weight, std=0.01)
        nn.init.zeros_(self.out.bias)

    def decode(self, f: torch.Tensor) -> HeadOutput:
        maps = self.out(self.conv(f))
        n, _, h, w = maps.shape
        heat, score = maps[:, : self.num_points], maps[:, self.num_points:]
        prob = torch.softmax(heat.reshape(n, self.num_points, h * w), dim=-1)
        # Cell centres in normalised crop coordinates: (j + 0.5) / w.
        xs = (torch.arange(w, dtype=f.dtype, device=f.device) + 0.5) / w
        ys = (torch.arange(h, dtype=f.dtype, device=f.device) + 0.5) / h
        prob2d = prob.reshape(n, self.num_points, h, w)
        x = (prob2d.sum(dim=2) * xs).sum(dim=-1)
        y = (prob2d.sum(dim=3) * ys).sum(dim=-1)
        score_logits = (prob * score.reshape(n, self.num_points, h * w)).sum(dim=-1)
        return HeadOutput(torch.stack((x, y), dim=-1), torch.sigmoid(score_logits), heat, score_logits)

    def forward(self, f: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.decode(f)
        return out.landmarks, out.scores
