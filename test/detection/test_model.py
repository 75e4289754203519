"""Detector network and input preparation: shapes, ONNX contract, robust normalisation."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import torch

from thermal_fld_ros.detection.inputs import (INPUT_HEIGHT, INPUT_WIDTH, OUTPUT_NAMES, PAD_VALUE, STRIDE,
                                              letterbox, normalise_frame)
from thermal_fld_ros.detection.model import FaceDetector


def test_outputs_at_stride_4_with_positive_sizes():
    heat, size, offset = FaceDetector().eval()(torch.zeros(2, 1, INPUT_HEIGHT, INPUT_WIDTH))
    grid = (INPUT_HEIGHT // STRIDE, INPUT_WIDTH // STRIDE)
    assert heat.shape == (2, 1, *grid) and size.shape == offset.shape == (2, 2, *grid)
    assert (heat >= 0).all() and (heat <= 1).all() and (size > 0).all()


def test_onnx_contract_and_dynamic_batch(untrained_detector_onnx):
    session = ort.InferenceSession(str(untrained_detector_onnx), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["image"]
    assert tuple(o.name for o in session.get_outputs()) == OUTPUT_NAMES
    heat, _, _ = session.run(None, {"image": np.zeros((3, 1, INPUT_HEIGHT, INPUT_WIDTH), np.float32)})
    assert heat.shape[0] == 3


def test_letterbox_keeps_aspect_and_pads_cold():
    canvas, geometry = letterbox(np.random.default_rng(0).normal(size=(480, 640)).astype(np.float32))
    assert canvas.shape == (INPUT_HEIGHT, INPUT_WIDTH) and geometry.scale == 0.5
    assert (geometry.width, geometry.height) == (320, 240)
    assert np.all(canvas[240:] == PAD_VALUE) and canvas[:240].min() >= -1 and canvas[:240].max() <= 1


def test_normalisation_ignores_units_and_a_hot_object():
    rng = np.random.default_rng(0)
    scene = 22 + rng.normal(0, 0.3, (120, 160)).astype(np.float32)
    scene[40:80, 60:100] += 12  # a face at ~34 C
    hot = scene.copy()
    hot[:10, :10] = 400.0  # a lamp: extreme but small
    counts = scene * 100 + 27315  # the same scene in centi-Kelvin counts
    base = normalise_frame(scene)
    np.testing.assert_allclose(normalise_frame(counts), base, atol=2e-3)
    face_contrast = lambda x: x[40:80, 60:100].mean() - x[:, :50].mean()  # noqa: E731
    assert face_contrast(normalise_frame(hot)) > 0.9 * face_contrast(base)
