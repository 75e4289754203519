"""Run the face detector through any backend: frame grey -> letterbox -> network -> boxes."""

from __future__ import annotations

import numpy as np

from thermal_fld_ros.backends.base import Backend
from thermal_fld_ros.detection.decode import SCORE_THRESHOLD, Detections, decode
from thermal_fld_ros.detection.inputs import letterbox


class Detector:
    """Callable detector; ``threshold`` trades recall for precision (model card figures use the default)."""

    def __init__(self, backend: Backend, threshold: float = SCORE_THRESHOLD) -> None:
        self.backend = backend
        self.threshold = threshold

    def __call__(self, grey: np.ndarray) -> Detections:
        image, geometry = letterbox(grey)
        out = self.backend.run(image[None, None])
        return decode(out["heatmap"][0], out["size"][0], out["offset"][0], geometry, self.threshold)
