"""ONNX Runtime backend: same numbers as the PyTorch checkpoint, explicit threads, batches of any size."""

from __future__ import annotations

import numpy as np
import pytest

from thermal_fld_ros.backends import available_backends, create_backend, resolve
from thermal_fld_ros.backends.onnxruntime_backend import OnnxRuntimeBackend, available_devices


@pytest.fixture(scope="module")
def batch() -> np.ndarray:
    return np.random.default_rng(1).normal(size=(3, 1, 112, 112)).astype(np.float32)


def test_onnxruntime_matches_torch_checkpoint(student_model, batch):
    ort_out = create_backend("onnxruntime", student_model.onnx).run(batch)
    torch_out = create_backend("torch", student_model.checkpoint).run(batch)
    assert ort_out["landmarks"].shape == (3, 54, 2) and ort_out["scores"].shape == (3, 54)
    np.testing.assert_allclose(ort_out["landmarks"], torch_out["landmarks"], atol=1e-4)
    np.testing.assert_allclose(ort_out["scores"], torch_out["scores"], atol=1e-4)


def test_batch_items_are_independent(student_model, batch):
    backend = create_backend("onnxruntime", student_model.onnx)
    single = backend.run(batch[1:2])["landmarks"][0]
    np.testing.assert_allclose(backend.run(batch)["landmarks"][1], single, atol=1e-5)


def test_cpu_session_uses_the_requested_threads(student_model):
    backend = OnnxRuntimeBackend(student_model.onnx, threads=2)
    assert backend.name == "onnxruntime-cpu-2t"
    assert backend.session.get_session_options().intra_op_num_threads == 2
    assert backend.session.get_providers() == ["CPUExecutionProvider"]


def test_auto_picks_an_onnx_backend_and_unknown_names_fail(student_model):
    assert resolve("auto") in available_backends() and resolve("auto") != "torch"
    assert create_backend("auto", student_model.onnx).run(np.zeros((1, 1, 112, 112), np.float32))
    with pytest.raises(ValueError, match="unknown backend"):
        create_backend("openvino", student_model.onnx)


def test_missing_execution_provider_is_a_clear_error(student_model):
    if "cuda" in available_devices():
        pytest.skip("this onnxruntime has CUDA")
    with pytest.raises(RuntimeError, match="CUDAExecutionProvider"):
        OnnxRuntimeBackend(student_model.onnx, device="cuda")
