"""``thermal-fld build-engine``: build and cache the TensorRT engines on this robot ahead of time.

The first build takes minutes on a Jetson; the node would otherwise do it on its first frame.
Engines land in the cache the node reads (``--cache-dir``), keyed by TensorRT version, GPU,
compute capability, ONNX hash and precision, so running this again is a no-op until one changes.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from thermal_fld_ros.resources import models_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from thermal_fld_ros.backends.tensorrt_backend import DEFAULT_CACHE_DIR, DEFAULT_MAX_BATCH, PRECISIONS

    parser.add_argument("--landmark-model", type=Path, default=models_dir() / "landmarks_student.onnx")
    parser.add_argument("--detector-model", type=Path, default=models_dir() / "face_detector.onnx")
    parser.add_argument("--precision", choices=PRECISIONS, default="fp16")
    parser.add_argument("--max-faces", type=int, default=DEFAULT_MAX_BATCH,
                        help="largest landmark batch (optimisation profile 1..max)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--calibration-batches", type=int, default=32, help="INT8 only")


def run(args: argparse.Namespace) -> int:
    from thermal_fld_ros.backends import calibration, tensorrt_backend

    if not tensorrt_backend.available():
        print("thermal-fld build-engine: TensorRT 10, cuda-python and an NVIDIA GPU are needed "
              "(JetPack or NVIDIA's TensorRT packages)", file=sys.stderr)
        return 2
    jobs = [(args.landmark_model, args.max_faces, calibration.landmark_batches),
            (args.detector_model, 1, calibration.detector_batches)]
    for model, max_batch, batches in jobs:
        if not model.is_file():
            print(f"thermal-fld build-engine: {model} not found", file=sys.stderr)
            return 2
        backend = tensorrt_backend.TensorRTBackend(
            model, args.precision, max_batch, args.cache_dir,
            calibration=partial(batches, max_batch, args.calibration_batches))
        state = "built" if backend.rebuilt else "cached"
        print(f"{model.name}: {state} {args.precision} engine, batch 1..{max_batch}, in {args.cache_dir}")
        backend.close()
    return 0
