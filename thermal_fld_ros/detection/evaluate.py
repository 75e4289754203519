"""Face-box recall and precision of the detector on the real boxed frames (Tufts, Terravic).

    tools/venv-run python -m thermal_fld_ros.detection.evaluate [--model models/face_detector.onnx]

Matching: greedy by score, one detection per ground-truth box, IoU >= 0.5 (also 0.3 reported).
Box conventions differ: Tufts/Terravic boxes are drawn forehead to chin, the package's face box
(layout.face_box_from_landmarks) is the landmark extent raised by 30 % for the forehead. The
report therefore also fits a convention mapping (median width/height ratio and centre shift of
IoU >= 0.3 matches) on one dataset and applies it to the other, so no figure is fitted on the
data it is measured on.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from thermal_fld_ros.backends import create_backend
from thermal_fld_ros.detection.decode import SCORE_THRESHOLD, box_iou
from thermal_fld_ros.detection.detector import Detector
from thermal_fld_ros.frames import frame_from_array
from thermal_fld_ros.resources import models_dir

DATASETS = ("tufts", "terravic")
SPLITS = ("heldout", "all")
MATCH_IOU = 0.5
LOOSE_IOU = 0.3


@dataclass(frozen=True)
class BoxMapping:
    """Package face box -> dataset box: scale width/height, shift centre by a share of height."""

    width_scale: float = 1.0
    height_scale: float = 1.0
    centre_dy: float = 0.0  # in units of the package box height

    def apply(self, boxes: np.ndarray) -> np.ndarray:
        boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
        w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
        cx, cy = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2 + self.centre_dy * h
        hw, hh = w * self.width_scale / 2, h * self.height_scale / 2
        return np.stack([cx - hw, cy - hh, cx + hw, cy + hh], axis=1)


@dataclass(frozen=True)
class Counts:
    images: int
    truths: int
    detections: int
    matched: int
    matched_loose: int

    @property
    def recall(self) -> float:
        return self.matched / max(self.truths, 1)

    @property
    def precision(self) -> float:
        return self.matched / max(self.detections, 1)

    def summary(self) -> dict[str, float | int]:
        return {**asdict(self), "recall@0.5": round(self.recall, 4),
                "precision@0.5": round(self.precision, 4),
                "recall@0.3": round(self.matched_loose / max(self.truths, 1), 4)}


def match(truth: np.ndarray, found: np.ndarray, scores: np.ndarray, iou_min: float) -> list[tuple[int, int]]:
    """Greedy (truth index, detection index) pairs, best-scored detections first."""
    iou = box_iou(truth, found)
    pairs, used = [], set()
    for d in np.argsort(-scores):
        candidates = [(iou[t, d], t) for t in range(len(truth)) if t not in used and iou[t, d] >= iou_min]
        if candidates:
            t = max(candidates)[1]
            used.add(t)
            pairs.append((t, int(d)))
    return pairs


def detect_dataset(detector: Detector, dataset: str,
                   split: str = "heldout") -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(truth boxes, detected boxes, scores) for every boxed frame of ``dataset`` in ``split``."""
    from thermal_fld_ros.data.real import box_holdout, iter_real

    out = []
    for record in iter_real(dataset, boxed_only=True):
        if split == "heldout" and not box_holdout(record):
            continue
        found = detector(frame_from_array(record.image).grey)
        out.append((np.array([f.box for f in record.faces], np.float32), found.boxes, found.scores))
    return out


def count(results, mapping: BoxMapping = BoxMapping()) -> Counts:
    matched = loose = truths = dets = 0
    for truth, found, scores in results:
        mapped = mapping.apply(found)
        matched += len(match(truth, mapped, scores, MATCH_IOU))
        loose += len(match(truth, mapped, scores, LOOSE_IOU))
        truths, dets = truths + len(truth), dets + len(found)
    return Counts(len(results), truths, dets, matched, loose)


def fit_mapping(results) -> BoxMapping:
    """Median size ratios and centre shift of loose (IoU >= 0.3) matches."""
    ws, hs, dys = [], [], []
    for truth, found, scores in results:
        for t, d in match(truth, found, scores, LOOSE_IOU):
            tb, fb = truth[t], found[d]
            fh = fb[3] - fb[1]
            ws.append((tb[2] - tb[0]) / max(fb[2] - fb[0], 1e-6))
            hs.append((tb[3] - tb[1]) / max(fh, 1e-6))
            dys.append(((tb[1] + tb[3]) - (fb[1] + fb[3])) / 2 / max(fh, 1e-6))
    if not ws:
        return BoxMapping()
    return BoxMapping(float(np.median(ws)), float(np.median(hs)), float(np.median(dys)))


def evaluate(model: Path, threshold: float = SCORE_THRESHOLD, backend: str = "onnxruntime",
             split: str = "heldout") -> dict:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    detector = Detector(create_backend(backend, model, threads=2), threshold)
    results = {name: detect_dataset(detector, name, split) for name in DATASETS}
    mappings = {name: fit_mapping(results[name]) for name in DATASETS}
    report = {"model": str(model), "threshold": threshold, "split": split, "datasets": {}}
    for name in DATASETS:
        other = next(n for n in DATASETS if n != name)
        report["datasets"][name] = {
            "raw": count(results[name]).summary(),
            "mapped_with_" + other: count(results[name], mappings[other]).summary(),
            "mapping_fitted_on_" + other: asdict(mappings[other]),
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=models_dir() / "face_detector.onnx")
    parser.add_argument("--threshold", type=float, default=SCORE_THRESHOLD)
    parser.add_argument("--backend", default="onnxruntime")
    parser.add_argument("--split", choices=SPLITS, default="heldout")
    args = parser.parse_args(argv)
    print(json.dumps(evaluate(args.model, args.threshold, args.backend, args.split), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
