"""ONNX export: contract names/shapes, dynamic batch, numerically equal to PyTorch (onnxruntime)."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import torch

from thermal_fld_ros.networks import build_network
from thermal_fld_ros.networks.export import ATOL, OPSET, export_onnx, max_difference

torch.set_num_threads(1)


def _non_trivial_student() -> torch.nn.Module:
    """Random weights, BN calibrated on random crops, peaked heatmaps: outputs depend on the input."""
    torch.manual_seed(0)
    model = build_network("student", 1)
    torch.nn.init.normal_(model.head.out.weight, std=5.0)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = None  # cumulative average: one pass sets the statistics fully
    model.train()
    with torch.no_grad():
        model(_blobs(8))  # BN running statistics from image-like data, not identity
    return model.eval()


def _blobs(n: int) -> torch.Tensor:
    """Dark crops with one bright square each, at different places."""
    x = torch.full((n, 1, 112, 112), -1.0)
    for i in range(n):
        r, c = 10 + 9 * i % 70, 70 - 9 * i % 60
        x[i, 0, r:r + 30, c:c + 30] = 1.0
    return x


def test_onnx_matches_torch(tmp_path) -> None:
    model = _non_trivial_student()
    path = export_onnx(model, tmp_path / "student.onnx")
    graph = onnx.load(str(path))
    assert graph.opset_import[0].version == OPSET
    assert [i.name for i in graph.graph.input] == ["image"]
    assert [o.name for o in graph.graph.output] == ["landmarks", "scores"]
    assert max_difference(model, path, batch=3) <= ATOL
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for batch in (1, 5):  # dynamic batch axis
        lm, sc = session.run(None, {"image": np.zeros((batch, 1, 112, 112), np.float32)})
        assert lm.shape == (batch, 54, 2) and sc.shape == (batch, 54)
    # outputs vary with the input (the check is not comparing constants): blob left vs right
    x = _blobs(2).numpy()
    lm, _ = session.run(None, {"image": x})
    assert np.abs(lm[0] - lm[1]).max() > 1e-3
    with torch.no_grad():
        assert np.abs(model(torch.from_numpy(x))[0].numpy() - lm).max() <= ATOL
