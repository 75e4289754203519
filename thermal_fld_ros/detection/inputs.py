"""The detector's input contract, numpy only (the node and ``detect`` run without torch).

Input "image" float32 [N, 1, INPUT_HEIGHT, INPUT_WIDTH]: the frame letterboxed (top-left aligned,
aspect kept) and rank-normalised to [-1, 1]; padding is PAD_VALUE (= coldest). Outputs live on a
stride-STRIDE grid; sizes are regressed relative to SIZE_UNIT.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

INPUT_HEIGHT = 256
INPUT_WIDTH = 320
STRIDE = 4
#: Box sizes are regressed as log(size / SIZE_UNIT) so that 10 px and 300 px faces weigh alike.
SIZE_UNIT = 32.0
#: Quantile levels of the rank normalisation (more levels = finer, slower).
RANK_LEVELS = 65
#: Value of letterbox padding after normalisation (= coldest).
PAD_VALUE = -1.0
OUTPUT_NAMES = ("heatmap", "size", "offset")
INPUT_NAME = "image"


@dataclass(frozen=True)
class Letterbox:
    """Frame -> detector input mapping: ``input = frame * scale`` (top-left aligned)."""

    scale: float
    width: int  # resized frame size inside the input
    height: int

    def to_frame(self, boxes: np.ndarray) -> np.ndarray:
        return np.asarray(boxes, dtype=np.float32) / np.float32(self.scale)


def letterbox_geometry(width: int, height: int) -> Letterbox:
    scale = min(INPUT_WIDTH / width, INPUT_HEIGHT / height)
    return Letterbox(scale=scale, width=max(1, round(width * scale)),
                     height=max(1, round(height * scale)))


def normalise_frame(grey: np.ndarray) -> np.ndarray:
    """Rank (histogram-equalising) normalisation of a grey frame to [-1, 1], float32.

    Why ranks: they do not depend on the camera's AGC curve or raw-count scale, and a hot lamp or
    monitor in view takes only its own share of the range instead of squashing the faces' contrast.
    """
    levels = np.quantile(grey[::2, ::2], np.linspace(0.0, 1.0, RANK_LEVELS))
    levels = levels + np.arange(RANK_LEVELS) * 1e-6 * max(float(levels[-1] - levels[0]), 1.0)
    targets = np.linspace(-1.0, 1.0, RANK_LEVELS, dtype=np.float32)
    return np.interp(grey, levels, targets).astype(np.float32)


def letterbox(grey: np.ndarray) -> tuple[np.ndarray, Letterbox]:
    """The detector input (INPUT_HEIGHT, INPUT_WIDTH) float32 for a (H, W) grey frame."""
    geometry = letterbox_geometry(grey.shape[1], grey.shape[0])
    interp = cv2.INTER_AREA if geometry.scale < 1.0 else cv2.INTER_LINEAR
    resized = cv2.resize(grey, (geometry.width, geometry.height), interpolation=interp)
    canvas = np.full((INPUT_HEIGHT, INPUT_WIDTH), PAD_VALUE, dtype=np.float32)
    canvas[: geometry.height, : geometry.width] = normalise_frame(resized)
    return canvas, geometry
