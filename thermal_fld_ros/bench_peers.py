"""Peer tools for ``thermal-fld bench``: MediaPipe FaceMesh and dlib's 68-point predictor.

Runs INSIDE the peers' own virtual environment (.venv-bench, requirements/bench.txt: mediapipe
pins numpy 1.26), as a script, so it imports nothing from thermal_fld_ros. The bench command
writes the frames and face boxes it measured its own backends on, then runs:

    .venv-bench/bin/python thermal_fld_ros/bench_peers.py PEER FRAMES_DIR ITERATIONS

and reads one JSON row (the bench row schema plus "faces_found") from stdout. The process pins
itself to one CPU so that per-face figures are single-core like the package's own rows.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

PEERS = ("mediapipe-facemesh", "dlib-68")
#: Crop margin around a face box for the per-face runs (FaceMesh expects some context).
CROP_MARGIN = 0.25


def timed(fn, iterations: int) -> list[float]:
    """Milliseconds of each of ``iterations`` calls, after one warm-up call."""
    fn()  # warm-up (model load, first-call allocations)
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def _crop(rgb: np.ndarray, box: list[float]) -> np.ndarray:
    x1, y1, x2, y2 = box
    m = CROP_MARGIN * max(x2 - x1, y2 - y1)
    h, w = rgb.shape[:2]
    xa, ya, xb, yb = (int(max(0, x1 - m)), int(max(0, y1 - m)), int(min(w, x2 + m)), int(min(h, y2 + m)))
    return np.ascontiguousarray(rgb[ya:yb, xa:xb])


def _tflite_stats(interpreter) -> tuple[int, float]:
    """(params, MMACs) of a TFLite graph's conv / depthwise / fully-connected ops."""
    shapes = {t["index"]: t["shape"] for t in interpreter.get_tensor_details()}
    params, macs = 0, 0
    for op in interpreter._get_ops_details():
        if op["op_name"] not in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            continue
        weight, out = shapes[op["inputs"][1]], shapes[op["outputs"][0]]
        per_output = np.prod(weight[1:3]) if op["op_name"] == "DEPTHWISE_CONV_2D" else np.prod(weight[1:])
        macs += int(np.prod(out)) * int(per_output)
        params += int(np.prod(weight))
        if len(op["inputs"]) > 2 and op["inputs"][2] >= 0:
            params += int(np.prod(shapes[op["inputs"][2]]))
    return params, macs / 1e6


def mediapipe_row(frames: dict, iterations: int) -> dict:
    """Per face: FaceMesh's shipped landmark network (face_landmark.tflite, 192x192) run alone on
    the face crop, as its tracking mode does, because MediaPipe's own (visible-light) face detector
    rarely fires on thermal frames. Frame: the full FaceMesh solution (detection + mesh)."""
    import mediapipe as mp
    import tflite_runtime.interpreter as tflite

    model = Path(mp.__file__).parent / "modules" / "face_landmark" / "face_landmark.tflite"
    interpreter = tflite.Interpreter(model_path=str(model), num_threads=1)
    interpreter.allocate_tensors()
    inp = interpreter.get_input_details()[0]
    size = int(inp["shape"][1])
    one, three = frames["1"], frames["3"]
    crop = _crop(one["rgb"], one["boxes"][0])

    def landmarks_once() -> None:
        import cv2

        x = cv2.resize(crop, (size, size)).astype(np.float32)[None] / np.float32(255.0)
        interpreter.set_tensor(inp["index"], x)
        interpreter.invoke()

    per_face = timed(landmarks_once, iterations)
    counting = tflite.Interpreter(model_path=str(model), num_threads=1,
                                  experimental_op_resolver_type=tflite.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    counting.allocate_tensors()
    params, mflops = _tflite_stats(counting)
    solution = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=3)
    frame1 = timed(lambda: solution.process(one["rgb"]), iterations)
    frame3 = timed(lambda: solution.process(three["rgb"]), iterations)
    found = {key: len(solution.process(f["rgb"]).multi_face_landmarks or [])
             for key, f in (("frame_1face", one), ("frame_3faces", three))}
    row = _row("mediapipe-facemesh", f"mediapipe {mp.__version__} tflite/xnnpack 1 core", per_face,
               frame1, frame3, found)
    return {**row, "params": params, "mflops": mflops}


def dlib_row(frames: dict, iterations: int) -> dict:
    import dlib
    import face_recognition_models

    predictor = dlib.shape_predictor(face_recognition_models.pose_predictor_model_location())
    detector = dlib.get_frontal_face_detector()
    one, three = frames["1"], frames["3"]
    grey1 = np.ascontiguousarray(one["rgb"][..., 0])
    rect = dlib.rectangle(*(int(round(v)) for v in one["boxes"][0]))
    per_face = timed(lambda: predictor(grey1, rect), iterations)

    def frame_call(grey: np.ndarray) -> int:
        rects = detector(grey, 0)
        for r in rects:
            predictor(grey, r)
        return len(rects)

    grey3 = np.ascontiguousarray(three["rgb"][..., 0])
    frame1 = timed(lambda: frame_call(grey1), iterations)
    frame3 = timed(lambda: frame_call(grey3), iterations)
    found = {"frame_1face": frame_call(grey1), "frame_3faces": frame_call(grey3)}
    return _row("dlib-68", f"dlib {dlib.__version__} HOG + ERT 1 core", per_face, frame1, frame3, found)


def peak_memory_mb() -> float:
    """Peak resident memory of this process (VmHWM). Not ru_maxrss: on Linux that keeps the
    parent's peak across fork + exec, so every row would report the bench driver's memory."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024.0


def _row(name: str, backend: str, per_face: list[float], frame1: list[float], frame3: list[float],
         found: dict) -> dict:
    return {"name": name, "backend": backend,
            "per_face_ms_p50": float(np.percentile(per_face, 50)),
            "per_face_ms_p99": float(np.percentile(per_face, 99)),
            "frame_ms_p50_1face": float(np.percentile(frame1, 50)),
            "frame_ms_p50_3faces": float(np.percentile(frame3, 50)),
            "params": None, "mflops": None,
            "peak_mem_mb": peak_memory_mb(),
            "faces_found": found}


def load_frames(folder: Path) -> dict:
    """{"1": {"rgb": (H, W, 3) uint8, "boxes": [[x1, y1, x2, y2], ...]}, "3": {...}}."""
    meta = json.loads((folder / "frames.json").read_text())
    out = {}
    for key, entry in meta.items():
        grey = np.load(folder / entry["file"])
        out[key] = {"rgb": np.ascontiguousarray(np.repeat(grey[..., None], 3, axis=2)),
                    "boxes": entry["boxes"]}
    return out


def main(argv: list[str]) -> int:
    peer, folder, iterations = argv[0], Path(argv[1]), int(argv[2])
    if peer not in PEERS:
        print(f"unknown peer {peer!r}; known: {PEERS}", file=sys.stderr)
        return 2
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    frames = load_frames(folder)
    row = mediapipe_row(frames, iterations) if peer == "mediapipe-facemesh" else dlib_row(frames, iterations)
    print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
