"""The SF-TL54 54-point landmark layout, the package's default scheme.

Points 0-47 follow iBUG-68; the mouth has six points (REFERENCE.md section 1). Everything that
needs an index (metrics, flipping, drawing, crops) takes it from here.
"""

from __future__ import annotations

import numpy as np

NUM_LANDMARKS = 54

JAW = tuple(range(0, 17))
BROW_LEFT = tuple(range(17, 22))  # image-left
BROW_RIGHT = tuple(range(22, 27))
NOSE_BRIDGE = tuple(range(27, 31))
NOSE_LOWER = tuple(range(31, 36))
EYE_LEFT = tuple(range(36, 42))  # image-left, outer corner first
EYE_RIGHT = tuple(range(42, 48))
MOUTH = tuple(range(48, 54))

OUTER_EYE_LEFT = 36
OUTER_EYE_RIGHT = 45
INNER_EYE_LEFT = 39
INNER_EYE_RIGHT = 42
NOSE_TIP = 30
MOUTH_LEFT = 48
MOUTH_RIGHT = 50

#: SF-TL54 mouth index -> iBUG-68 index; 0-47 map to themselves.
MOUTH_TO_IBUG68 = {48: 48, 49: 51, 50: 54, 51: 57, 52: 62, 53: 66}
#: iBUG-68 index for every SF-TL54 point, for converting 68-point annotations.
SFTL54_TO_IBUG68 = tuple(list(range(48)) + [MOUTH_TO_IBUG68[i] for i in MOUTH])

#: Index i of a horizontally flipped face takes point FLIP_PERMUTATION[i] of the original.
FLIP_PERMUTATION = np.array(
    list(range(16, -1, -1))
    + list(range(26, 21, -1))
    + list(range(21, 16, -1))
    + [27, 28, 29, 30]
    + list(range(35, 30, -1))
    + [45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40]
    + [50, 49, 48, 51, 52, 53],
    dtype=np.int64,
)

#: Polylines for drawing: (indices, closed).
CONTOURS: tuple[tuple[tuple[int, ...], bool], ...] = (
    (JAW, False),
    (BROW_LEFT, False),
    (BROW_RIGHT, False),
    (NOSE_BRIDGE, False),
    (NOSE_LOWER, False),
    (EYE_LEFT, True),
    (EYE_RIGHT, True),
    ((48, 49, 50, 51), True),
    ((52, 53), False),
)

#: Share of the landmark box height added above it so that the face box covers the forehead.
FOREHEAD_EXTENSION = 0.3


def flip_landmarks(points: np.ndarray, image_width: float) -> np.ndarray:
    """Mirror (..., 54, 2) points for an image flipped left-right, re-indexing left and right."""
    flipped = np.asarray(points, dtype=np.float32)[..., FLIP_PERMUTATION, :].copy()
    flipped[..., 0] = image_width - 1.0 - flipped[..., 0]
    return flipped


def face_box_from_landmarks(points: np.ndarray) -> np.ndarray:
    """Face box (x1, y1, x2, y2) of 54 landmarks: their extent, raised to include the forehead.

    The detector is trained on this box and the tracker derives the next crop from it, so both
    stages agree on what "a face box" is.
    """
    pts = np.asarray(points, dtype=np.float32)
    x1, y1 = pts.min(axis=0)
    x2, y2 = pts.max(axis=0)
    y1 = y1 - FOREHEAD_EXTENSION * (y2 - y1)
    return np.array([x1, y1, x2, y2], dtype=np.float32)


def interocular_distance(points: np.ndarray) -> np.ndarray:
    """Outer-eye-corner distance (points 36 and 45), the NME normaliser of the thermal FLD literature."""
    pts = np.asarray(points, dtype=np.float64)
    return np.linalg.norm(pts[..., OUTER_EYE_LEFT, :] - pts[..., OUTER_EYE_RIGHT, :], axis=-1)
