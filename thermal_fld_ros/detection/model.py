"""Thermal face detector: a tiny anchor-free CenterNet at stride 4.

Why this design: faces in thermal frames range from ~20 px to the whole frame and there are few of
them, so one centre heatmap + box size + sub-cell offset on a stride-4 map (fed by a small
top-down pyramid for context) covers every scale without anchors, and decodes with a 3x3 peak
search instead of NMS-heavy post-processing. Depthwise-separable blocks keep it at ~50 k parameters.

Input (also the ONNX contract, see models/face_detector.yaml): "image" float32 [N, 1, 256, 320],
the frame letterboxed and rank-normalised by ``detection.inputs.letterbox``.
Outputs: "heatmap" [N, 1, 64, 80] face-centre probability, "size" [N, 2, 64, 80] box width and
height in input pixels, "offset" [N, 2, 64, 80] centre offset inside the cell (cells).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from thermal_fld_ros.detection.inputs import INPUT_HEIGHT, INPUT_NAME, INPUT_WIDTH, OUTPUT_NAMES, SIZE_UNIT


def _conv_bn(cin: int, cout: int, kernel: int = 3, stride: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


def _separable(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(_conv_bn(cin, cin, 3, stride, groups=cin), _conv_bn(cin, cout, 1))


class FaceDetector(nn.Module):
    """Backbone strides 4..32, top-down fusion to stride 4, one 5-channel head."""

    def __init__(self, widths: tuple[int, ...] = (16, 24, 48, 64, 96), neck: int = 48) -> None:
        super().__init__()
        w0, w4, w8, w16, w32 = widths
        self.stem = _conv_bn(1, w0, 3, 2)
        self.s4 = nn.Sequential(_separable(w0, w4, 2), _separable(w4, w4))
        self.s8 = nn.Sequential(_separable(w4, w8, 2), _separable(w8, w8))
        self.s16 = nn.Sequential(_separable(w8, w16, 2), _separable(w16, w16))
        self.s32 = nn.Sequential(_separable(w16, w32, 2), _separable(w32, w32))
        self.lateral = nn.ModuleList(_conv_bn(c, neck, 1) for c in (w4, w8, w16, w32))
        self.head = nn.Sequential(_separable(neck, neck), _separable(neck, neck),
                                  nn.Conv2d(neck, 5, 1))
        # Focal-loss prior: start with a low face probability everywhere (CenterNet).
        nn.init.constant_(self.head[-1].bias[:1], -2.19)

    def raw(self, x: torch.Tensor) -> torch.Tensor:
        """Head logits [N, 5, H/4, W/4]: heatmap logit, log-size (2), offset (2)."""
        f4 = self.s4(self.stem(x))
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        top = self.lateral[3](f32)
        for feat, lateral in ((f16, self.lateral[2]), (f8, self.lateral[1]), (f4, self.lateral[0])):
            top = lateral(feat) + F.interpolate(top, size=feat.shape[-2:], mode="nearest")
        return self.head(top)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        out = self.raw(x)
        return torch.sigmoid(out[:, :1]), torch.exp(out[:, 1:3]) * SIZE_UNIT, out[:, 3:5]


def export_onnx(model: FaceDetector, path: str, opset: int = 17) -> None:
    """ONNX with a dynamic batch axis (the TensorRT profile and ORT both take N >= 1)."""
    model = model.eval()
    dummy = torch.zeros(1, 1, INPUT_HEIGHT, INPUT_WIDTH)
    axes = {name: {0: "batch"} for name in (INPUT_NAME, *OUTPUT_NAMES)}
    torch.onnx.export(model, dummy, path, input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES),
                      dynamic_axes=axes, opset_version=opset, dynamo=False)
