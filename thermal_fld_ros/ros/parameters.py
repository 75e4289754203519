"""The node's parameters: one table that the node declares from and the launch file and README cite.

Each entry has a description and, where it makes sense, a range or a set of choices, so
``ros2 param describe`` tells a user what a value means and bad values are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from thermal_fld_ros.detection.decode import SCORE_THRESHOLD
from thermal_fld_ros.tracking import TrackerConfig


@dataclass(frozen=True)
class ParamSpec:
    name: str
    default: bool | int | float | str
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)
    #: True for settings of the inference pipeline: a change at run time rebuilds it before the
    #: next frame (sessions are re-created and tracks restart); the others apply per frame.
    rebuilds: bool = False


PARAMETERS: tuple[ParamSpec, ...] = (
    ParamSpec("backend", "auto", "Inference backend; auto picks TensorRT, then ONNX Runtime.",
              choices=("auto", "tensorrt", "onnxruntime", "torch"), rebuilds=True),
    ParamSpec("landmark_model", "", "Landmark student ONNX (or checkpoint for backend torch); "
              "empty = the shipped models/landmarks_student.onnx.", rebuilds=True),
    ParamSpec("detector_model", "", "Face detector ONNX; empty = the shipped models/face_detector.onnx.",
              rebuilds=True),
    ParamSpec("num_threads", 1, "CPU threads of ONNX Runtime / PyTorch.", 1, 16, rebuilds=True),
    ParamSpec("max_faces", 4, "Most faces processed per frame (largest first).", 1, 32, rebuilds=True),
    ParamSpec("detection_interval", 5, "Run the detector every N frames while all faces are tracked.",
              1, 1000, rebuilds=True),
    ParamSpec("detection_threshold", SCORE_THRESHOLD, "Detector score under which boxes are "
              "discarded (the shipped detector's card gives its operating point).", 0.0, 1.0, rebuilds=True),
    ParamSpec("tracking_birth_score", TrackerConfig.birth_score, "Detector score a face needs to "
              "start a track; tracked faces match down to detection_threshold.", 0.0, 1.0, rebuilds=True),
    ParamSpec("tracking_max_misses", TrackerConfig.max_misses, "Detector runs in a row that may miss "
              "a tracked face before it is dropped, however sure its landmarks.", 0, 1000, rebuilds=True),
    ParamSpec("tracking_min_score", 0.15, "Mean landmark score below which a track is re-detected.",
              0.0, 1.0, rebuilds=True),
    ParamSpec("radiometric_preset", "counts", "How mono16/16UC1 values map to degrees C: counts "
              "(not radiometric), centikelvin (Lepton), optris, or linear (scale/offset below).",
              choices=("counts", "centikelvin", "optris", "linear")),
    ParamSpec("radiometric_scale", 0.01, "degrees C per count for radiometric_preset linear.",
              -1000.0, 1000.0),
    ParamSpec("radiometric_offset", -273.15, "degrees C at count 0 for radiometric_preset linear.",
              -100000.0, 100000.0),
    ParamSpec("palette", "", "Colour palette of bgr8/rgb8 input (iron, rainbow, white_hot, "
              "black_hot); empty guesses it.", choices=("", "iron", "rainbow", "white_hot", "black_hot")),
    ParamSpec("publish_overlay", True, "Draw and publish ~/overlay when someone subscribes."),
    ParamSpec("diagnostics_period", 1.0, "Seconds between /diagnostics messages.", 0.1, 60.0),
)

BY_NAME = {spec.name: spec for spec in PARAMETERS}


def tracker_config(value: Callable[[str], Any]) -> TrackerConfig:
    """The tracker settings that the parameter values (``value(name)``) give. A
    ``tracking_min_score`` under the tracker's default drop level lowers that level to it too
    (a track must not be dropped above the score that re-detects it)."""
    min_score = value("tracking_min_score")
    return TrackerConfig(detect_every=value("detection_interval"), min_confidence=min_score,
                         drop_confidence=min(TrackerConfig.drop_confidence, min_score),
                         birth_score=value("tracking_birth_score"),
                         max_misses=value("tracking_max_misses"), max_faces=value("max_faces"))
