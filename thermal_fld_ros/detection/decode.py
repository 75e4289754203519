"""Turn the detector's heatmap/size/offset maps into scored face boxes in frame pixels."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from thermal_fld_ros.detection.inputs import STRIDE, Letterbox

#: Default score threshold, the operating point of the shipped model (models/face_detector.yaml:
#: on held-out real frames 0.2 keeps nearly all faces at IoU 0.3 with far fewer false boxes than 0.1).
SCORE_THRESHOLD = 0.2
NMS_IOU = 0.45
MAX_DETECTIONS = 32
#: Boxes squeezed below this side (frame pixels) by clipping to the frame are dropped.
MIN_BOX_PX = 4.0


@dataclass(frozen=True)
class Detections:
    """boxes: (K, 4) float32 x1, y1, x2, y2 in frame pixels; scores: (K,) float32, best first."""

    boxes: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.scores)


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise IoU of (A, 4) and (B, 4) boxes -> (A, B)."""
    a = np.asarray(a, dtype=np.float32).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float32).reshape(-1, 4)
    tl = np.maximum(a[:, None, :2], b[None, :, :2])
    br = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(br - tl, 0.0, None), axis=2)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-9)


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float = NMS_IOU) -> np.ndarray:
    """Indices kept by greedy non-maximum suppression, best score first."""
    order = np.argsort(-scores)
    keep: list[int] = []
    while order.size:
        best = int(order[0])
        keep.append(best)
        rest = order[1:]
        order = rest[box_iou(boxes[best], boxes[rest])[0] < iou]
    return np.array(keep, dtype=np.int64)


def decode(heatmap: np.ndarray, size: np.ndarray, offset: np.ndarray, geometry: Letterbox,
           threshold: float = SCORE_THRESHOLD, max_detections: int = MAX_DETECTIONS) -> Detections:
    """Peaks of one image's maps (heatmap (1|H, W), size (2, H, W), offset (2, H, W)) -> Detections.

    A peak is a cell not smaller than its 3x3 neighbours (the CenterNet max-pool trick); boxes are
    then de-duplicated by NMS because large faces can raise two neighbouring peaks.
    """
    hm = np.asarray(heatmap, dtype=np.float32).reshape(heatmap.shape[-2:])
    peaks = (hm >= cv2.dilate(hm, np.ones((3, 3), np.uint8))) & (hm >= threshold)
    ys, xs = np.nonzero(peaks)
    scores = hm[ys, xs]
    order = np.argsort(-scores)[:max_detections]
    ys, xs, scores = ys[order], xs[order], scores[order]
    cx = (xs + offset[0, ys, xs]) * STRIDE
    cy = (ys + offset[1, ys, xs]) * STRIDE
    w, h = size[0, ys, xs], size[1, ys, xs]
    boxes = geometry.to_frame(np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1))
    limit = np.array([geometry.width, geometry.height] * 2, dtype=np.float32) / geometry.scale
    boxes = np.clip(boxes, 0.0, limit)
    sides = np.minimum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    boxes, scores = boxes[sides >= MIN_BOX_PX], scores[sides >= MIN_BOX_PX]
    keep = nms(boxes, scores)
    return Detections(boxes=boxes[keep].astype(np.float32), scores=scores[keep].astype(np.float32))
