"""Eye-aligned median faces: where on the face renders and real frames differ, as a picture.

The realism probe says how separable renders are and the face statistics measure four named
regions; neither shows where else a difference sits. Here each frontal face that qualifies for the
statistics (``face_stats.frontal_face``) is rotated and scaled so its outer eye corners land on
the same two pixels, its grey put on the room 0 / forehead 1 scale, and the median taken per
pixel over all faces of a group. A median face of renders beside one of real frames, and their
difference, shows a crown too warm, temples that do not cool, a hairline too soft, at a glance.
Pixels outside a frame are NaN and left out of the median.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from ...layout import OUTER_EYE_LEFT, OUTER_EYE_RIGHT
from .face_stats import frontal_face

#: Side of an aligned face (pixels); the outer eye corners land this far apart, their middle here.
ALIGNED_SIDE = 96
ALIGNED_EYE_DISTANCE = 24.0
ALIGNED_EYES_MIDDLE = (48.0, 44.0)
#: Figure: grey range shown (room 0 / forehead 1 scale), difference range shown (+- this),
#: enlargement of each tile.
SHOWN_LEVELS = (-0.25, 1.25)
SHOWN_DIFFERENCE = 0.3
TILE_ZOOM = 3


def aligned_face(grey: np.ndarray, landmarks: np.ndarray) -> np.ndarray | None:
    """The face rotated and scaled onto the aligned grid, on the room 0 / forehead 1 scale
    (float32, NaN outside the frame), or None when it does not qualify (``frontal_face``)."""
    face = frontal_face(grey, landmarks)
    if face is None:
        return None
    middle = (face.points[OUTER_EYE_LEFT] + face.points[OUTER_EYE_RIGHT]) / 2
    angle = np.degrees(np.arctan2(face.across[1], face.across[0]))
    matrix = cv2.getRotationMatrix2D((float(middle[0]), float(middle[1])), float(angle),
                                     ALIGNED_EYE_DISTANCE / face.eye_distance)
    matrix[:, 2] += np.array(ALIGNED_EYES_MIDDLE) - middle
    level = ((grey.astype(np.float32) - face.room) / face.contrast).astype(np.float32)
    return cv2.warpAffine(level, matrix, (ALIGNED_SIDE, ALIGNED_SIDE), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=float("nan"))


def median_face(faces: Iterable[np.ndarray | None]) -> tuple[np.ndarray, int]:
    """Per-pixel median of the aligned faces (None entries skipped) and how many there were."""
    kept = [f for f in faces if f is not None]
    if not kept:
        raise ValueError("no face qualified for a median face")
    return np.nanmedian(np.stack(kept), axis=0), len(kept)


def median_face_figure(medians: dict[str, tuple[np.ndarray, int]], reference: str) -> np.ndarray:
    """RGB figure (``sheet.save_png``): every median face in grey on the top row; below each
    other one, ``reference`` minus it (red: the reference is warmer, blue: cooler, white: level)."""
    top = [_tile(_grey(face), f"{name} ({count})") for name, (face, count) in medians.items()]
    ref = medians[reference][0]
    bottom = [_tile(_difference(ref - face), f"{reference} - {name}") if name != reference
              else _legend(top[0].shape, reference) for name, (face, _) in medians.items()]
    return np.vstack([np.hstack(top), np.hstack(bottom)])


def _legend(shape: tuple[int, ...], reference: str) -> np.ndarray:
    tile = np.full(shape, 255, np.uint8)
    for row, text in enumerate((f"red: {reference} warmer", f"blue: {reference} cooler",
                                f"full colour: {SHOWN_DIFFERENCE:g} of", "forehead - room")):
        cv2.putText(tile, text, (4, 20 + 18 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
    return tile


def _grey(face: np.ndarray) -> np.ndarray:
    lo, hi = SHOWN_LEVELS
    level = np.clip((np.nan_to_num(face, nan=lo) - lo) / (hi - lo), 0.0, 1.0)
    return cv2.cvtColor((level * 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)


def _difference(diff: np.ndarray) -> np.ndarray:
    share = np.clip(np.nan_to_num(diff) / SHOWN_DIFFERENCE, -1.0, 1.0)
    warm, cool = np.clip(share, 0, 1), np.clip(-share, 0, 1)
    blue = 255 * (1 - warm)  # white at 0, red where positive, blue where negative
    green = 255 * (1 - warm - cool)
    red = 255 * (1 - cool)
    return np.dstack([red, green, blue]).astype(np.uint8)


def _tile(image: np.ndarray, label: str) -> np.ndarray:
    big = cv2.resize(image, None, fx=TILE_ZOOM, fy=TILE_ZOOM, interpolation=cv2.INTER_NEAREST)
    cv2.putText(big, label, (4, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 200, 0), 1, cv2.LINE_AA)
    return big
