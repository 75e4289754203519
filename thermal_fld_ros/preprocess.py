"""Image preparation shared by training and inference, so both see identical network inputs.

Choices (documented in the README):
- Networks see one grey channel. Radiometric frames (degrees C), raw counts, 8-bit AGC output and
  de-paletted colour frames all reduce to "brighter = warmer" grey.
- Each face crop is contrast-normalised on its own robust percentiles (NORM_LOW_PCT..NORM_HIGH_PCT),
  so a hot lamp or monitor elsewhere in the frame cannot squash the face's contrast, and absolute
  temperature (which AGC cameras do not deliver) carries no weight.
- Crops are squares around the face box centre, side CROP_SCALE times the longer box side,
  optionally rotated (the tracker removes head roll with it).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

LANDMARK_INPUT_SIZE = 112
CROP_SCALE = 1.25
NORM_LOW_PCT = 1.0
NORM_HIGH_PCT = 99.0
MIN_CONTRAST = 1e-3


@dataclass(frozen=True)
class CropTransform:
    """Similarity transform from image pixels to crop pixels (2x3 matrix) and back."""

    matrix: np.ndarray
    size: int

    @property
    def inverse(self) -> np.ndarray:
        return cv2.invertAffineTransform(self.matrix)

    def to_crop(self, points: np.ndarray) -> np.ndarray:
        return _apply(self.matrix, points)

    def to_image(self, points: np.ndarray) -> np.ndarray:
        return _apply(self.inverse, points)


def _apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    pts = np.asarray(points, dtype=np.float32)
    return (pts @ matrix[:, :2].T + matrix[:, 2]).astype(np.float32)


def crop_transform(
    box: np.ndarray,
    size: int = LANDMARK_INPUT_SIZE,
    scale: float = CROP_SCALE,
    angle_deg: float = 0.0,
) -> CropTransform:
    """Square crop of side ``scale * max(w, h)`` centred on ``box``, rotated by ``angle_deg``."""
    x1, y1, x2, y2 = (float(v) for v in box)
    side = max(x2 - x1, y2 - y1, 1.0) * scale
    centre = ((x1 + x2) / 2.0, (y1 + y2) / 2.0)
    zoom = size / side
    matrix = cv2.getRotationMatrix2D(centre, angle_deg, zoom)
    matrix[:, 2] += np.array([size / 2.0, size / 2.0]) - np.array(centre)
    return CropTransform(matrix=matrix.astype(np.float64), size=size)


def warp(grey: np.ndarray, transform: CropTransform) -> np.ndarray:
    """Crop ``grey`` (H, W) float32 with ``transform``; outside the image repeats the border."""
    return cv2.warpAffine(
        grey,
        transform.matrix,
        (transform.size, transform.size),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )


def normalise(crop: np.ndarray) -> np.ndarray:
    """Map a grey crop to about [-1, 1] by its own robust percentiles (float32)."""
    lo, hi = np.percentile(crop, (NORM_LOW_PCT, NORM_HIGH_PCT))
    span = max(float(hi - lo), MIN_CONTRAST)
    out = (crop.astype(np.float32) - np.float32(lo)) * np.float32(2.0 / span) - np.float32(1.0)
    return np.clip(out, -1.5, 1.5, out=out)


def to_grey(image: np.ndarray) -> np.ndarray:
    """Any single-channel thermal image (degrees C, counts, 8-bit) as float32, warmer = larger.

    Colour palette frames must be converted first with ``palettes.to_intensity``.
    """
    if image.ndim != 2:
        raise ValueError(f"expected a single-channel image, got shape {image.shape}")
    return image.astype(np.float32, copy=False)


def face_input(grey: np.ndarray, box: np.ndarray, angle_deg: float = 0.0,
               size: int = LANDMARK_INPUT_SIZE) -> tuple[np.ndarray, CropTransform]:
    """The landmark network's input for one face: normalised (size, size) crop and its transform."""
    transform = crop_transform(box, size=size, angle_deg=angle_deg)
    return normalise(warp(grey, transform)), transform
