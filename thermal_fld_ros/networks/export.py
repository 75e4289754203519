"""ONNX export of a landmark network, and its numerical check against PyTorch.

Choices: opset 17 (TensorRT >= 8.6 and every current ONNX Runtime read it; the networks need
nothing newer), the TorchScript-based exporter (``dynamo=False``: it needs only ``onnx``, and
writes one self-contained file), dynamic batch axis, input ``image`` [N,1,112,112] float32 (the
output of preprocess.face_input), outputs ``landmarks`` [N,54,2] normalised crop coordinates and
``scores`` [N,54].
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from thermal_fld_ros.networks.base import LandmarkNet
from thermal_fld_ros.preprocess import LANDMARK_INPUT_SIZE

OPSET = 17
INPUT_NAME = "image"
OUTPUT_NAMES = ("landmarks", "scores")
#: Largest tolerated |ONNX Runtime - PyTorch| difference of landmarks (normalised units) and scores.
ATOL = 1e-4


def export_onnx(model: LandmarkNet, path: str | Path, opset: int = OPSET) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    channels = model.stem_in_channels()
    dummy = torch.zeros(2, channels, LANDMARK_INPUT_SIZE, LANDMARK_INPUT_SIZE)
    torch.onnx.export(
        model, (dummy,), str(path), dynamo=False, opset_version=opset,
        input_names=[INPUT_NAME], output_names=list(OUTPUT_NAMES),
        dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAMES[0]: {0: "batch"}, OUTPUT_NAMES[1]: {0: "batch"}},
        do_constant_folding=True)
    import onnx

    onnx.checker.check_model(onnx.load(str(path)))
    return path


def max_difference(model: LandmarkNet, path: str | Path, batch: int = 3, seed: int = 0) -> float:
    """Largest absolute output difference of ONNX Runtime vs PyTorch on random crops."""
    import onnxruntime as ort

    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, (batch, model.stem_in_channels(), LANDMARK_INPUT_SIZE,
                                LANDMARK_INPUT_SIZE)).astype(np.float32)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    got = session.run(list(OUTPUT_NAMES), {INPUT_NAME: x})
    with torch.no_grad():
        want = [t.numpy() for t in model.eval()(torch.from_numpy(x))]
    return max(float(np.abs(g - w).max()) for g, w in zip(got, want))
