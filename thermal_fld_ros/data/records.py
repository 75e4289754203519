"""Plain records that every data source produces and every consumer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Face:
    """One annotated face in image pixel coordinates.

    box: (4,) float32 x1, y1, x2, y2. landmarks: (K, 2) float32 or None when only a box is known
    (K = 54 for SF-TL54, 5 for TFW). visible: (K,) bool, False for self-occluded points.
    attributes: free-form facts used for per-subset metrics (yaw, pitch, roll, glasses, ...).
    """

    box: np.ndarray
    landmarks: np.ndarray | None = None
    visible: np.ndarray | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class LabelledImage:
    """A thermal image with its faces, from disk or from the synthetic generator.

    image: float32 degrees C when ``radiometric`` is True, else uint8/uint16 grey (H, W) or an
    RGB palette rendering (H, W, 3) uint8. rgb: the aligned RGB pair (H, W, 3) uint8, or None.
    """

    image: np.ndarray
    faces: list[Face]
    radiometric: bool = False
    rgb: np.ndarray | None = None
    source: str = ""
    subject: str | None = None
    split: str | None = None
