"""ONNX Runtime backend: CPU by default with explicit thread counts; CUDA / TensorRT providers
when this onnxruntime build has them and they are asked for."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thermal_fld_ros.backends.base import Backend

#: device -> execution providers, most preferred first (CPU always last as the fallback).
PROVIDERS = {
    "cpu": ("CPUExecutionProvider",),
    "cuda": ("CUDAExecutionProvider", "CPUExecutionProvider"),
    "tensorrt": ("TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"),
}
DEFAULT_THREADS = 1


def available_devices() -> list[str]:
    """Devices of PROVIDERS whose first provider this onnxruntime build offers."""
    import onnxruntime as ort

    present = set(ort.get_available_providers())
    return [device for device, providers in PROVIDERS.items() if providers[0] in present]


class OnnxRuntimeBackend(Backend):
    """One InferenceSession. ``threads`` = intra-op threads (inter-op is 1: the graphs are chains)."""

    def __init__(self, model_path: str | Path, device: str = "cpu",
                 threads: int = DEFAULT_THREADS) -> None:
        import onnxruntime as ort

        if device not in PROVIDERS:
            raise ValueError(f"unknown onnxruntime device {device!r}; known: {sorted(PROVIDERS)}")
        if device not in available_devices():
            raise RuntimeError(f"onnxruntime has no {PROVIDERS[device][0]} here "
                               f"(available: {ort.get_available_providers()})")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.model_path = Path(model_path)
        self.session = ort.InferenceSession(str(self.model_path), options,
                                            providers=list(PROVIDERS[device]))
        self.input_name = self.session.get_inputs()[0].name
        self.output_names = [o.name for o in self.session.get_outputs()]
        self.name = f"onnxruntime-{device}" + (f"-{threads}t" if device == "cpu" else "")

    def run(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        outputs = self.session.run(self.output_names, {self.input_name: batch})
        return dict(zip(self.output_names, outputs))

    def close(self) -> None:
        self.session = None
