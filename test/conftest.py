"""Shared fixtures: small real models made on the fly (no shipped weights needed by unit tests).

- ``student_model``: a randomly initialised StudentNet saved as a training checkpoint (.pt) and
  exported to ONNX with the landmark contract ("image" [N,1,112,112] -> "landmarks", "scores").
- ``untrained_detector_onnx``: the face detector architecture, untrained, exported to ONNX (its
  heatmap is near 0.1 everywhere, so tests that need detections lower the threshold).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import torch


@dataclass(frozen=True)
class StudentFiles:
    checkpoint: Path
    onnx: Path


@pytest.fixture(scope="session")
def student_model(tmp_path_factory: pytest.TempPathFactory) -> StudentFiles:
    from thermal_fld_ros.networks import build_network, checkpoint_dict

    folder = tmp_path_factory.mktemp("student")
    torch.manual_seed(0)
    model = build_network("student", 1).eval()
    ckpt = folder / "student.pt"
    torch.save(checkpoint_dict(model, "student", {}, 1), ckpt)
    onnx_path = folder / "student.onnx"
    axes = {name: {0: "batch"} for name in ("image", "landmarks", "scores")}
    torch.onnx.export(model, torch.zeros(1, 1, 112, 112), str(onnx_path), input_names=["image"],
                      output_names=["landmarks", "scores"], dynamic_axes=axes, dynamo=False)
    return StudentFiles(ckpt, onnx_path)


@pytest.fixture(scope="session")
def untrained_detector_onnx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from thermal_fld_ros.detection.model import FaceDetector, export_onnx

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("detector") / "detector.onnx"
    export_onnx(FaceDetector(), str(path))
    return path
