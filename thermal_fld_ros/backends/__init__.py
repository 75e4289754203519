"""Inference backends behind one interface (``Backend.run``), imported lazily.

``create_backend("auto", path)`` picks the best one present: TensorRT (GPU + tensorrt +
cuda-python), else ONNX Runtime with its CUDA provider, else ONNX Runtime on the CPU.
``torch`` runs a training checkpoint (``.pt``) for debugging.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thermal_fld_ros.backends.base import Backend

BACKENDS = ("auto", "tensorrt", "onnxruntime", "onnxruntime-cuda", "torch")


def available_backends() -> list[str]:
    """Concrete backends usable on this machine, best first."""
    from thermal_fld_ros.backends import onnxruntime_backend, tensorrt_backend

    names = ["tensorrt"] if tensorrt_backend.available() else []
    if "cuda" in onnxruntime_backend.available_devices():
        names.append("onnxruntime-cuda")
    names.append("onnxruntime")
    try:
        import torch  # noqa: F401

        names.append("torch")
    except ImportError:
        pass
    return names


def resolve(name: str) -> str:
    """``auto`` -> the best ONNX-running backend present; other names pass through."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; known: {BACKENDS}")
    if name != "auto":
        return name
    return next(b for b in available_backends() if b != "torch")


def create_backend(name: str, model_path: str | Path, **options: Any) -> Backend:
    """A backend for ``model_path``. Options: ``threads`` (CPU backends), ``precision``,
    ``max_batch``, ``cache_dir``, ``calibration`` (TensorRT)."""
    name = resolve(name)
    if name == "tensorrt":
        from thermal_fld_ros.backends.tensorrt_backend import TensorRTBackend

        keys = ("precision", "max_batch", "cache_dir", "calibration")
        return TensorRTBackend(model_path, **{k: v for k, v in options.items() if k in keys})
    if name == "torch":
        from thermal_fld_ros.backends.torch_backend import TorchBackend

        return TorchBackend(model_path, **{k: v for k, v in options.items() if k == "threads"})
    from thermal_fld_ros.backends.onnxruntime_backend import OnnxRuntimeBackend

    device = "cuda" if name == "onnxruntime-cuda" else "cpu"
    return OnnxRuntimeBackend(model_path, device=device,
                              **{k: v for k, v in options.items() if k == "threads"})


__all__ = ["BACKENDS", "Backend", "available_backends", "create_backend", "resolve"]
