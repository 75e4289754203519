"""Label-free checks on real thermal faces (held-out Tufts / Terravic frames) and overlay PNGs.

No landmarks exist for real frames, so two proxies are measured on the held-out faces (never
used for adaptation, data.REAL_HOLDOUT):
- mean confidence: the model's own per-point score (trained to predict localisation quality);
- flip consistency: distance between the prediction and the un-mirrored prediction of the
  mirrored crop, in % of the crop side. A model that really sees the face is mirror-equivariant;
  one that guesses a mean shape on out-of-domain input is not.
Overlays are written to a folder the caller chooses (keep it outside the repository: the real
images must never be committed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from thermal_fld_ros.layout import CONTOURS, FLIP_PERMUTATION
from thermal_fld_ros.preprocess import LANDMARK_INPUT_SIZE, face_input
from thermal_fld_ros.training.data import FaceSample
from thermal_fld_ros.training.evaluation import Predictor

#: Points with a score below this are drawn hollow in overlays.
LOW_SCORE = 0.3
OVERLAY_SIZE = 224


@dataclass
class RealCheck:
    faces: int
    mean_score: float
    flip_error_pct: float  # mean point distance to the mirrored prediction, % of crop side


def _predict(predict: Predictor, faces: list[FaceSample], flip: bool) -> tuple[np.ndarray, np.ndarray, list]:
    crops, transforms = [], []
    for f in faces:
        grey = f.thermal.astype(np.float32)
        box = f.box
        if flip:
            grey = grey[:, ::-1].copy()
            w = grey.shape[1]
            box = np.array([w - 1 - box[2], box[1], w - 1 - box[0], box[3]], np.float32)
        crop, transform = face_input(grey, box)
        crops.append(crop[None])
        transforms.append(transform)
    landmarks, scores = predict(np.stack(crops).astype(np.float32))
    if flip:  # back to the unflipped crop: x -> 1 - x, left/right re-indexed
        landmarks = landmarks[:, FLIP_PERMUTATION].copy()
        landmarks[..., 0] = 1.0 - landmarks[..., 0]
        scores = scores[:, FLIP_PERMUTATION]
    return landmarks, scores, transforms


def real_check(predict: Predictor, faces: list[FaceSample]) -> RealCheck:
    plain, scores, _ = _predict(predict, faces, flip=False)
    mirrored, _, _ = _predict(predict, faces, flip=True)
    err = np.linalg.norm(plain - mirrored, axis=-1).mean()
    return RealCheck(len(faces), float(scores.mean()), float(100 * err))


def draw(grey: np.ndarray, points: np.ndarray, scores: np.ndarray, label: str) -> np.ndarray:
    """Overlay of 54 points (image pixels) with layout contours on a contrast-stretched frame."""
    lo, hi = np.percentile(grey, (1, 99))
    img = np.clip((grey - lo) / max(hi - lo, 1e-3) * 255, 0, 255).astype(np.uint8)
    img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    for indices, closed in CONTOURS:
        pts = points[list(indices)].round().astype(np.int32)
        cv2.polylines(img, [pts], closed, (0, 200, 255), 1, cv2.LINE_AA)
    for (x, y), s in zip(points, scores):
        cv2.circle(img, (int(round(x)), int(round(y))), 2, (0, 255, 0) if s >= LOW_SCORE else (0, 0, 255),
                   -1 if s >= LOW_SCORE else 1, cv2.LINE_AA)
    cv2.putText(img, label, (3, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 0), 1, cv2.LINE_AA)
    return img


def write_overlays(predict: Predictor, faces: list[FaceSample], out_dir: Path, tag: str) -> Path:
    """One overlay per face (face region, resized to OVERLAY_SIZE) plus a contact sheet."""
    out_dir.mkdir(parents=True, exist_ok=True)
    landmarks, scores, transforms = _predict(predict, faces, flip=False)
    tiles = []
    for i, (f, lm, sc, tr) in enumerate(zip(faces, landmarks, scores, transforms)):
        points = tr.to_image(lm * LANDMARK_INPUT_SIZE)
        yaw = f.attributes.get("abs_yaw")
        label = f"{tag} {i} s={sc.mean():.2f}" + (f" |yaw|~{yaw:.0f}" if yaw is not None else "")
        img = draw(f.thermal.astype(np.float32), points, sc, label)
        scale = OVERLAY_SIZE / max(img.shape[:2])
        tile = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
        canvas = np.zeros((OVERLAY_SIZE, OVERLAY_SIZE, 3), np.uint8)
        canvas[:tile.shape[0], :tile.shape[1]] = tile
        cv2.imwrite(str(out_dir / f"{tag}_{i:03d}.png"), canvas)
        tiles.append(canvas)
    cols = 8
    rows = [np.hstack(tiles[r:r + cols] + [np.zeros_like(tiles[0])] * (cols - len(tiles[r:r + cols])))
            for r in range(0, len(tiles), cols)]
    sheet = out_dir / f"{tag}_sheet.png"
    cv2.imwrite(str(sheet), np.vstack(rows))
    return sheet
