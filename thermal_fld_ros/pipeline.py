"""Frame in, faces with landmarks out: the ROS-free engine the node wraps.

    pipeline = Pipeline.create(PipelineConfig(backend="auto"))
    result = pipeline.process(frames.decode(msg.data, msg.encoding, msg.width, msg.height,
                                            msg.step, msg.is_bigendian, celsius))
    for face in result.faces: ...   # everything a message needs; result.timings_ms for diagnostics

``process`` raises ValueError for unusable input (the node counts and logs it). With
``track=False`` every frame is independent (detector on every frame, no ids carried over, every
detection over the detector's threshold a face: with no tracks there is no birth rule).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from thermal_fld_ros.backends import create_backend
from thermal_fld_ros.detection.decode import SCORE_THRESHOLD
from thermal_fld_ros.detection.detector import Detector
from thermal_fld_ros.frames import Frame
from thermal_fld_ros.landmarker import Landmarker
from thermal_fld_ros.layout import face_box_from_landmarks
from thermal_fld_ros.resources import models_dir
from thermal_fld_ros.tracking import Tracker, TrackerConfig

LANDMARK_MODEL = "landmarks_student.onnx"
DETECTOR_MODEL = "face_detector.onnx"
#: Smallest frame side the detector and crops make sense for.
MIN_FRAME_SIDE = 16


@dataclass(frozen=True)
class FaceResult:
    """One face in original frame pixels. ``score``: detector score on frames where the detector
    ran, else the tracking confidence (mean landmark score)."""

    bbox: np.ndarray  # (4,) x1, y1, x2, y2
    score: float
    track_id: int
    landmarks: np.ndarray  # (54, 2)
    landmark_scores: np.ndarray  # (54,)
    temperatures_c: np.ndarray | None  # (54,) degrees C, radiometric frames only

    def to_json(self) -> dict[str, Any]:
        return {
            "bbox": [round(float(v), 2) for v in self.bbox],
            "score": round(self.score, 4),
            "track_id": self.track_id,
            "landmarks": np.round(self.landmarks, 2).tolist(),
            "landmark_scores": np.round(self.landmark_scores, 4).tolist(),
            "temperatures_c": None if self.temperatures_c is None
            else np.round(self.temperatures_c, 2).tolist(),
        }


@dataclass(frozen=True)
class PipelineResult:
    faces: list[FaceResult]
    width: int
    height: int
    detector_ran: bool
    timings_ms: dict[str, float]  # "detect", "landmarks", "total"


@dataclass(frozen=True)
class PipelineConfig:
    """``backend`` runs both models (the torch backend runs a landmark checkpoint; the detector
    then uses ``detector_backend``, default the best ONNX backend)."""

    backend: str = "auto"
    landmark_model: Path = field(default_factory=lambda: models_dir() / LANDMARK_MODEL)
    detector_model: Path = field(default_factory=lambda: models_dir() / DETECTOR_MODEL)
    detector_backend: str | None = None
    threads: int = 1
    detection_threshold: float = SCORE_THRESHOLD
    track: bool = True
    tracker: TrackerConfig = field(default_factory=TrackerConfig)
    backend_options: dict[str, Any] = field(default_factory=dict)  # precision, cache_dir, ...


class Pipeline:
    def __init__(self, detector: Detector, landmarker: Landmarker, tracker: TrackerConfig,
                 track: bool = True) -> None:
        self.detector = detector
        self.landmarker = landmarker
        self.tracker = Tracker(tracker if track else replace(tracker, birth_score=0.0))
        self.track = track

    @classmethod
    def create(cls, config: PipelineConfig) -> "Pipeline":
        for path in (config.landmark_model, config.detector_model):
            if not Path(path).is_file():
                raise FileNotFoundError(f"model file {path} not found")
        options = {"threads": config.threads, "max_batch": config.tracker.max_faces,
                   **config.backend_options}
        detector_backend = config.detector_backend or ("auto" if config.backend == "torch"
                                                       else config.backend)
        detector = Detector(create_backend(detector_backend, config.detector_model,
                                           **{**options, "max_batch": 1}),
                            config.detection_threshold)
        landmarker = Landmarker(create_backend(config.backend, config.landmark_model, **options))
        return cls(detector, landmarker, config.tracker, config.track)

    def process(self, frame: Frame) -> PipelineResult:
        """Faces of one frame (tracks carried from the previous frame unless ``track`` is off)."""
        if frame.grey.ndim != 2 or min(frame.grey.shape) < MIN_FRAME_SIDE:
            raise ValueError(f"frame of shape {frame.grey.shape} is too small or not single-channel")
        if not self.track:
            self.tracker.reset()
        start = time.perf_counter()
        detected = self.tracker.needs_detection()
        tracks = self.tracker.associate(self.detector(frame.grey)) if detected else self.tracker.advance()
        after_detect = time.perf_counter()
        boxes = np.array([t.box for t in tracks], np.float32).reshape(-1, 4)
        batch = self.landmarker(frame, boxes, np.array([t.angle for t in tracks]))
        kept = self.tracker.update(batch.landmarks, batch.scores, detected)
        end = time.perf_counter()
        faces = [FaceResult(bbox=face_box_from_landmarks(batch.landmarks[i]),
                            score=self.tracker.tracks[k].score, track_id=self.tracker.tracks[k].track_id,
                            landmarks=batch.landmarks[i], landmark_scores=batch.scores[i],
                            temperatures_c=None if batch.temperatures_c is None else batch.temperatures_c[i])
                 for k, i in enumerate(kept)]
        timings = {"detect": (after_detect - start) * 1e3, "landmarks": (end - after_detect) * 1e3,
                   "total": (end - start) * 1e3}
        return PipelineResult(faces, frame.width, frame.height, detected, timings)

    def reset(self) -> None:
        """Forget all tracks (a new stream, or a jump in time)."""
        self.tracker.reset()
