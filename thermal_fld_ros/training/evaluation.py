"""Landmark predictions on full frames through the inference crop path, for eval and the ablation.

Every face with 54 ground-truth landmarks is cropped with ``preprocess.face_input`` on its
ground-truth box (exactly what the node does with a detector box), predicted, and mapped back to
image pixels with ``CropTransform.to_image``. Metrics come from ``thermal_fld_ros.metrics``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from thermal_fld_ros.data.records import LabelledImage
from thermal_fld_ros.layout import EYE_LEFT, EYE_RIGHT, MOUTH_LEFT, MOUTH_RIGHT, NOSE_TIP, NUM_LANDMARKS
from thermal_fld_ros.preprocess import LANDMARK_INPUT_SIZE, CropTransform, face_input, warp
from thermal_fld_ros.training.data import rgb_input, thermal_grey

#: (N, C, S, S) float32 crops -> (landmarks (N, 54, 2) normalised crop coords, scores (N, 54)).
Predictor = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
BATCH = 64
#: Normaliser point pair per layout size (metrics.nme): outer eye corners for 54, eye centres for 5.
NORMALISERS: dict[int, tuple[int, int] | None] = {NUM_LANDMARKS: None, 5: (0, 1)}


def to_layout(points: np.ndarray, count: int) -> np.ndarray:
    """SF-TL54 predictions (..., 54, 2) as a dataset's layout: 54 unchanged, or TFW's 5 points.

    TFW order (image-left first): eye centre, eye centre, nose tip, mouth corner, mouth corner;
    eye centres are the means of the six SF-TL54 eye points.
    """
    if count == NUM_LANDMARKS:
        return points
    if count == 5:
        return np.stack([points[..., list(EYE_LEFT), :].mean(-2), points[..., list(EYE_RIGHT), :].mean(-2),
                         points[..., NOSE_TIP, :], points[..., MOUTH_LEFT, :], points[..., MOUTH_RIGHT, :]], -2)
    raise ValueError(f"no mapping from SF-TL54 to a {count}-point layout")


@dataclass
class Predictions:
    """Per-face arrays in image pixels; ``attributes`` keeps per-face facts for subset metrics."""

    pred: np.ndarray  # (F, 54, 2)
    gt: np.ndarray  # (F, 54, 2)
    visible: np.ndarray  # (F, 54)
    scores: np.ndarray  # (F, 54)
    attributes: list[dict[str, Any]] = field(default_factory=list)


def torch_predictor(model: torch.nn.Module) -> Predictor:
    model.eval()

    def predict(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with torch.no_grad():
            landmarks, scores = model(torch.from_numpy(x))
        return landmarks.numpy(), scores.numpy()

    return predict


def onnx_predictor(path: str) -> Predictor:
    import onnxruntime as ort

    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])

    def predict(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        landmarks, scores = session.run(["landmarks", "scores"], {"image": x})
        return landmarks, scores

    return predict


def _crops(image: LabelledImage, box: np.ndarray, rgb: bool) -> tuple[np.ndarray, CropTransform]:
    grey = thermal_grey(image.image)
    crop, transform = face_input(grey, box)
    if not rgb:
        return crop[None], transform
    if image.rgb is None:
        raise ValueError(f"{image.source}: an RGB model needs the RGB pair")
    return rgb_input(warp(image.rgb, transform)), transform


def predict_images(predict: Predictor, images: Iterable[LabelledImage], rgb: bool = False) -> Predictions:
    """Predictions for every labelled face of ``images`` (ground-truth box crops), in its layout."""
    pending: list[tuple[np.ndarray, CropTransform, np.ndarray, np.ndarray, dict]] = []
    out: dict[str, list] = {"pred": [], "gt": [], "visible": [], "scores": [], "attributes": []}

    def flush() -> None:
        if not pending:
            return
        landmarks, scores = predict(np.stack([p[0] for p in pending]).astype(np.float32))
        for (_, transform, gt, vis, attrs), lm, sc in zip(pending, landmarks, scores):
            out["pred"].append(to_layout(transform.to_image(lm * LANDMARK_INPUT_SIZE), len(gt)))
            out["gt"].append(gt)
            out["visible"].append(vis)
            out["scores"].append(sc)
            out["attributes"].append(attrs)
        pending.clear()

    for image in images:
        for face in image.faces:
            if face.landmarks is None or len(face.landmarks) not in NORMALISERS:
                continue
            crop, transform = _crops(image, face.box, rgb)
            count = len(face.landmarks)
            vis = np.ones(count, bool) if face.visible is None else np.asarray(face.visible, bool)
            attrs = {**face.attributes, "source": image.source}
            pending.append((crop, transform, np.asarray(face.landmarks, np.float32), vis, attrs))
            if len(pending) == BATCH:
                flush()
    flush()
    if not out["pred"]:
        raise ValueError(f"no face with a supported landmark count {sorted(NORMALISERS)} to evaluate")
    return Predictions(pred=np.stack(out["pred"]), gt=np.stack(out["gt"]), visible=np.stack(out["visible"]),
                       scores=np.stack(out["scores"]), attributes=out["attributes"])
