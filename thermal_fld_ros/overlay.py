"""Overlay rendering: boxes, track ids, landmark contours and points (colour = landmark score)."""

from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np

from thermal_fld_ros.frames import Frame
from thermal_fld_ros.layout import CONTOURS
from thermal_fld_ros.pipeline import FaceResult

BOX_COLOUR = (0, 200, 255)  # BGR
CONTOUR_COLOUR = (255, 200, 0)
#: Upscale small frames so that text and points stay readable.
MIN_OVERLAY_WIDTH = 480


def draw(frame: Frame, faces: Sequence[FaceResult]) -> np.ndarray:
    """BGR uint8 overlay of ``faces`` on the frame (upscaled to at least MIN_OVERLAY_WIDTH)."""
    zoom = max(1, int(np.ceil(MIN_OVERLAY_WIDTH / frame.width)))
    grey = frame.to_uint8()
    if zoom > 1:
        grey = cv2.resize(grey, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_NEAREST)
    image = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    for face in faces:
        x1, y1, x2, y2 = (int(round(v * zoom)) for v in face.bbox)
        cv2.rectangle(image, (x1, y1), (x2, y2), BOX_COLOUR, 1, cv2.LINE_AA)
        cv2.putText(image, f"#{face.track_id} {face.score:.2f}", (x1, max(12, y1 - 4)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, BOX_COLOUR, 1, cv2.LINE_AA)
        points = face.landmarks * zoom
        for indices, closed in CONTOURS:
            cv2.polylines(image, [np.round(points[list(indices)]).astype(np.int32)], closed,
                          CONTOUR_COLOUR, 1, cv2.LINE_AA)
        for (x, y), score in zip(points, face.landmark_scores):
            colour = (0, int(255 * score), int(255 * (1 - score)))  # red (unsure) -> green
            cv2.circle(image, (int(round(x)), int(round(y))), 2, colour, -1, cv2.LINE_AA)
    return image
