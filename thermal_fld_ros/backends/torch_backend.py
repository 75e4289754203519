"""PyTorch backend: runs a training checkpoint directly, for debugging a model before export.

Landmark checkpoints load through ``thermal_fld_ros.networks.load_checkpoint``; detector
checkpoints (``detection.train``) through ``detection.train.load_detector``. Both lazily.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thermal_fld_ros.backends.base import Backend

LANDMARK_OUTPUTS = ("landmarks", "scores")


class TorchBackend(Backend):
    def __init__(self, model_path: str | Path, threads: int = 1) -> None:
        import torch

        from thermal_fld_ros.detection.train import DETECTOR_KIND, load_detector

        torch.set_num_threads(threads)
        self._torch = torch
        self.model_path = Path(model_path)
        ckpt = torch.load(self.model_path, map_location="cpu", weights_only=True)
        if ckpt.get("kind") == DETECTOR_KIND:
            from thermal_fld_ros.detection.inputs import OUTPUT_NAMES

            self.model = load_detector(ckpt)
            self.output_names = OUTPUT_NAMES
        else:
            from thermal_fld_ros.networks import network_from_checkpoint

            self.model = network_from_checkpoint(ckpt)
            self.output_names = LANDMARK_OUTPUTS
        self.model.eval()
        self.name = f"torch-cpu-{threads}t"

    def run(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        with self._torch.inference_mode():
            outputs = self.model(self._torch.from_numpy(np.ascontiguousarray(batch)))
        return {name: out.numpy() for name, out in zip(self.output_names, outputs)}
