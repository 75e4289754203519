"""``thermal-fld detect PATH... [--output preds.jsonl] [--overlay-dir DIR] [--backend B] [--track]``

Images (8/16-bit PNG, JPEG, TIFF, BMP), ``.npy`` arrays, folders (their files, sorted) and videos.
One JSON line per image or video frame, coordinates in original pixels:
``{"image", "width", "height", "faces": [{"bbox", "score", "track_id", "landmarks",
"landmark_scores", "temperatures_c"}]}``. Video frames are named ``VIDEO#INDEX``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator, TextIO

import cv2
import numpy as np

from thermal_fld_ros.backends import BACKENDS
from thermal_fld_ros.detection.decode import SCORE_THRESHOLD
from thermal_fld_ros.frames import (LINEAR_PRESET, RADIOMETRIC_PRESETS, Celsius, Frame,
                                    frame_from_array, radiometric)
from thermal_fld_ros.tracking import TrackerConfig

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
ARRAY_SUFFIXES = (".npy",)
VIDEO_SUFFIXES = (".mp4", ".avi", ".mkv", ".mov", ".webm")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, help="images, .npy arrays, folders, videos")
    parser.add_argument("--output", type=Path, help="JSON lines file (default: stdout)")
    parser.add_argument("--overlay-dir", type=Path, help="write an overlay PNG per image here")
    parser.add_argument("--backend", default="auto", choices=BACKENDS)
    parser.add_argument("--landmark-model", type=Path, help="ONNX (or .pt for --backend torch)")
    parser.add_argument("--detector-model", type=Path)
    parser.add_argument("--track", action="store_true",
                        help="carry faces from image to image (sequences); default: independent")
    parser.add_argument("--detect-every", type=int, default=10, help="detector cadence with --track")
    parser.add_argument("--threshold", type=float, default=SCORE_THRESHOLD,
                        help="detector score threshold")
    parser.add_argument("--birth-score", type=float, default=TrackerConfig.birth_score,
                        help="with --track: detector score that starts a new track")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads per network")
    parser.add_argument("--radiometric", default="counts",
                        choices=[*RADIOMETRIC_PRESETS, LINEAR_PRESET],
                        help="16-bit counts -> degrees C preset (float arrays are degrees C)")
    parser.add_argument("--scale", type=float, default=1.0, help="degrees C per count (linear)")
    parser.add_argument("--offset", type=float, default=0.0, help="degrees C at count 0 (linear)")
    parser.add_argument("--palette", help="palette of colour images (default: guess)")


def iter_inputs(paths: list[Path]) -> Iterator[Path]:
    """Files to process: given files, and the supported files directly inside given folders."""
    suffixes = IMAGE_SUFFIXES + ARRAY_SUFFIXES + VIDEO_SUFFIXES
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(f"{path} does not exist")


def read_frames(path: Path, celsius: Celsius | None, palette: str | None) -> Iterator[tuple[str, Frame]]:
    """(name, Frame) of an image, array or every frame of a video."""
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        capture = cv2.VideoCapture(str(path))
        if not capture.isOpened():
            raise ValueError(f"{path}: cannot open video")
        index = 0
        while True:
            ok, image = capture.read()
            if not ok:
                break
            yield f"{path}#{index}", _frame(image, celsius, palette)
            index += 1
        capture.release()
        return
    if suffix in ARRAY_SUFFIXES:
        image = np.load(path)
    else:
        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if image is None:
            raise ValueError(f"{path}: cannot be decoded as an image")
    yield str(path), _frame(image, celsius, palette)


def _frame(image: np.ndarray, celsius: Celsius | None, palette: str | None) -> Frame:
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[..., :3]
    if image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8 \
            and (image[..., 0] == image[..., 1]).all() and (image[..., 1] == image[..., 2]).all():
        image = image[..., 0]  # grey stored as three equal channels (JPEG, video)
    if image.dtype.kind == "f" and image.ndim == 2:
        return frame_from_array(image.astype(np.float32, copy=False), "32FC1")
    return frame_from_array(image, celsius=celsius, palette=palette)


def run(args: argparse.Namespace) -> int:
    from thermal_fld_ros.pipeline import Pipeline, PipelineConfig

    fields = {"backend": args.backend, "threads": args.threads, "track": args.track,
              "detection_threshold": args.threshold,
              "tracker": TrackerConfig(detect_every=args.detect_every if args.track else 1,
                                       birth_score=args.birth_score)}
    if args.landmark_model:
        fields["landmark_model"] = args.landmark_model
    if args.detector_model:
        fields["detector_model"] = args.detector_model
    try:
        pipeline = Pipeline.create(PipelineConfig(**fields))
        celsius = radiometric(args.radiometric, args.scale, args.offset)
        inputs = list(iter_inputs(args.paths))
    except (FileNotFoundError, ValueError) as exc:
        print(f"thermal-fld detect: {exc}", file=sys.stderr)
        return 2
    if args.overlay_dir:
        args.overlay_dir.mkdir(parents=True, exist_ok=True)
    out: TextIO = open(args.output, "w") if args.output else sys.stdout
    failures = 0
    try:
        for path in inputs:
            if path.suffix.lower() in VIDEO_SUFFIXES:
                pipeline.reset()  # a video is its own sequence
            try:
                for name, frame in read_frames(path, celsius, args.palette):
                    failures += 0 if _detect_one(pipeline, name, frame, out, args.overlay_dir) else 1
            except ValueError as exc:
                print(f"thermal-fld detect: {exc}", file=sys.stderr)
                failures += 1
    finally:
        if args.output:
            out.close()
    return 1 if failures else 0


def _detect_one(pipeline, name: str, frame: Frame, out: TextIO, overlay_dir: Path | None) -> bool:
    try:
        result = pipeline.process(frame)
    except ValueError as exc:
        print(f"thermal-fld detect: {name}: {exc}", file=sys.stderr)
        return False
    record = {"image": name, "width": result.width, "height": result.height,
              "faces": [face.to_json() for face in result.faces]}
    out.write(json.dumps(record) + "\n")
    if overlay_dir is not None:
        from thermal_fld_ros.overlay import draw

        cv2.imwrite(str(overlay_dir / _overlay_name(name)), draw(frame, result.faces))
    return True


def _overlay_name(name: str) -> str:
    """``dir/a.png`` -> ``a.png``; video frame ``dir/v.mp4#7`` -> ``v_000007.png``."""
    path, _, index = name.partition("#")
    return f"{Path(path).stem}_{int(index):06d}.png" if index else f"{Path(path).stem}.png"
