"""Landmarks for all faces of a frame in one batched network call, mapped back to frame pixels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermal_fld_ros.backends.base import Backend
from thermal_fld_ros.frames import Frame
from thermal_fld_ros.layout import NUM_LANDMARKS
from thermal_fld_ros.preprocess import LANDMARK_INPUT_SIZE, face_input


@dataclass(frozen=True)
class LandmarkBatch:
    """landmarks (N, 54, 2) frame pixels; scores (N, 54) in [0, 1]; temperatures_c (N, 54) or None."""

    landmarks: np.ndarray
    scores: np.ndarray
    temperatures_c: np.ndarray | None


class Landmarker:
    """Crops (``preprocess.face_input``, the training crop) -> backend -> frame coordinates."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def __call__(self, frame: Frame, boxes: np.ndarray, angles: np.ndarray | None = None) -> LandmarkBatch:
        count = len(boxes)
        if count == 0:
            empty = np.zeros((0, NUM_LANDMARKS), np.float32)
            return LandmarkBatch(np.zeros((0, NUM_LANDMARKS, 2), np.float32), empty,
                                 empty if frame.radiometric else None)
        angles = np.zeros(count) if angles is None else angles
        batch = np.empty((count, 1, LANDMARK_INPUT_SIZE, LANDMARK_INPUT_SIZE), np.float32)
        transforms = []
        for i, (box, angle) in enumerate(zip(boxes, angles)):
            batch[i, 0], transform = face_input(frame.grey, box, float(angle))
            transforms.append(transform)
        step = self.backend.max_batch or count
        outs = [self.backend.run(batch[i:i + step]) for i in range(0, count, step)]
        normalised = np.concatenate([o["landmarks"] for o in outs]) if len(outs) > 1 else outs[0]["landmarks"]
        scores = np.concatenate([o["scores"] for o in outs]) if len(outs) > 1 else outs[0]["scores"]
        crop_px = normalised.astype(np.float32) * np.float32(LANDMARK_INPUT_SIZE)
        landmarks = np.stack([t.to_image(p) for t, p in zip(transforms, crop_px)])
        return LandmarkBatch(landmarks, scores.astype(np.float32), frame.temperatures_at(landmarks))
