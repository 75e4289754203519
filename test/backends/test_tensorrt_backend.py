"""TensorRT on a real GPU (skipped here: TensorRT is not installable on these machines)."""

from __future__ import annotations

import numpy as np
import pytest

from thermal_fld_ros.backends import tensorrt_backend

needs_tensorrt = pytest.mark.skipif(
    not tensorrt_backend.available(),
    reason="needs TensorRT 10 + cuda-python + an NVIDIA GPU (JetPack / NVIDIA packages; none on PyPI)")


def test_unavailable_tensorrt_is_reported_not_raised():
    assert isinstance(tensorrt_backend.available(), bool)


@pytest.mark.gpu
@needs_tensorrt
def test_fp16_engine_matches_onnxruntime_and_is_cached(student_model, tmp_path):
    from thermal_fld_ros.backends.onnxruntime_backend import OnnxRuntimeBackend

    batch = np.random.default_rng(0).normal(size=(3, 1, 112, 112)).astype(np.float32)
    trt = tensorrt_backend.TensorRTBackend(student_model.onnx, "fp16", max_batch=4, cache_dir=tmp_path)
    assert trt.rebuilt
    ref = OnnxRuntimeBackend(student_model.onnx).run(batch)
    out = trt.run(batch)
    np.testing.assert_allclose(out["landmarks"], ref["landmarks"], atol=2e-2)
    trt.close()
    again = tensorrt_backend.TensorRTBackend(student_model.onnx, "fp16", max_batch=4, cache_dir=tmp_path)
    assert not again.rebuilt
    with pytest.raises(ValueError, match="profile"):
        again.run(np.zeros((5, 1, 112, 112), np.float32))
