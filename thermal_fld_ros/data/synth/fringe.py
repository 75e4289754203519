"""Soft hair outline: strands that stick out past the head mesh, drawn in screen space.

The head mesh ends in a clean silhouette, which reads as a helmet. Real hair frays: loose
strands, cooler than the scalp layer, cross the outline onto the background. A single frame
cannot tell strands glued to the surface from a screen-space field, so they are painted after
rasterisation: the nearby hair temperature spread outward over a strand length (short: long
spikes read as a drawn fringe), gated by fine streaky noise.
"""

from __future__ import annotations

import cv2
import numpy as np

#: Strand length (cm) over which loose hair reaches past the outline, and its pixel limits.
STRAND_CM = 0.6
STRAND_PX = (0.8, 10.0)
#: Density range of loose strands (share of pixels near the outline they cover).
DENSITY = (0.25, 0.6)
#: Loose strands are thinner than the hair layer: they sit this much closer to the room.
STRAND_COOLING = 0.35


def fray_hair(temp: np.ndarray, hair: np.ndarray, eligible: np.ndarray, ambient: float,
              px_per_cm: float, rng: np.random.Generator) -> np.ndarray:
    """``temp`` with loose strands spread from ``hair`` (0..1 per pixel) over the ``eligible``
    pixels (the background); returns a new array."""
    length = float(np.clip(STRAND_CM * px_per_cm, *STRAND_PX))
    weight = cv2.GaussianBlur(hair, (0, 0), length)
    spread = cv2.GaussianBlur(hair * temp, (0, 0), length) / np.maximum(weight, 1e-3)
    spread = spread + STRAND_COOLING * (ambient - spread)
    # streaky noise: strands are fine, elongated and uneven
    noise = rng.standard_normal(temp.shape, dtype=np.float32)
    sx, sy = (0.6, 0.6 + length / 5) if rng.random() < 0.5 else (0.6 + length / 5, 0.6)
    noise = cv2.GaussianBlur(noise, (0, 0), sigmaX=sx, sigmaY=sy)
    noise /= max(float(noise.std()), 1e-6)
    gate = np.clip(0.5 + 0.6 * noise, 0.0, 1.0)
    alpha = np.clip(2.5 * weight - 0.1, 0.0, 1.0) * gate * float(rng.uniform(*DENSITY))
    alpha *= eligible
    return temp + alpha * (spread - temp)
