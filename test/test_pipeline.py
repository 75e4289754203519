"""Pipeline: frame -> faces. One batched landmark call per frame, coordinates in frame pixels,
temperatures on radiometric input, detector cadence with tracking, clear errors for bad frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from thermal_fld_ros.backends import create_backend
from thermal_fld_ros.backends.base import Backend
from thermal_fld_ros.detection.decode import Detections
from thermal_fld_ros.detection.detector import Detector
from thermal_fld_ros.frames import frame_from_array
from thermal_fld_ros.landmarker import Landmarker
from thermal_fld_ros.layout import (FOREHEAD_EXTENSION, OUTER_EYE_LEFT, OUTER_EYE_RIGHT,
                                   face_box_from_landmarks)
from thermal_fld_ros.pipeline import Pipeline, PipelineConfig
from thermal_fld_ros.resources import models_dir
from thermal_fld_ros.tracking import TrackerConfig

class FakeLandmarks(Backend):
    """A "network" that finds the bright rectangle in each crop and spreads 54 points over it so
    that their face box (layout.face_box_from_landmarks) is that rectangle. Records batch sizes."""

    name = "fake"
    model_path = Path("fake")

    def __init__(self, score: float = 0.9) -> None:
        self.score, self.batches = score, []

    def run(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        self.batches.append(len(batch))
        points = []
        for crop in batch[:, 0]:
            ys, xs = np.nonzero(crop > 0.0)
            x1, x2, y1, y2 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
            top = (y1 + FOREHEAD_EXTENSION * y2) / (1 + FOREHEAD_EXTENSION)
            u = ((np.arange(54) * 7) % 54) / 53.0  # covers 0..1, eyes (36, 45) set level below
            v = np.arange(54) / 53.0
            u[[OUTER_EYE_LEFT, OUTER_EYE_RIGHT]], v[[OUTER_EYE_LEFT, OUTER_EYE_RIGHT]] = (0.2, 0.8), 0.35
            points.append(np.stack([x1 + u * (x2 - x1), top + v * (y2 - top)], 1) / 112)
        return {"landmarks": np.array(points, np.float32),
                "scores": np.full((len(batch), 54), self.score, np.float32)}


class FakeDetector(Detector):
    def __init__(self, boxes: list[list[float]], score: float = 0.8) -> None:
        self.boxes, self.score, self.calls = np.array(boxes, np.float32), score, 0

    def __call__(self, grey: np.ndarray) -> Detections:
        self.calls += 1
        return Detections(self.boxes, np.full(len(self.boxes), self.score, np.float32))


BOXES = [[40, 30, 100, 110], [200, 60, 250, 125], [300, 300, 420, 450]]


def scene(value: float = 255.0, background: float = 0.0) -> np.ndarray:
    """A 640x512 frame whose "faces" are the bright rectangles BOXES."""
    image = np.full((512, 640), background, np.float32)
    for x1, y1, x2, y2 in BOXES:
        image[y1:y2, x1:x2] = value
    return image


def make_pipeline(score: float = 0.9, detect_every: int = 4, track: bool = True,
                  detection_score: float = 0.8):
    landmarks, detector = FakeLandmarks(score), FakeDetector(BOXES, detection_score)
    pipe = Pipeline(detector, Landmarker(landmarks), TrackerConfig(detect_every=detect_every), track)
    return pipe, landmarks, detector


def test_all_faces_go_through_one_batched_call_and_map_back_to_frame_pixels():
    pipe, landmarks, _ = make_pipeline()
    result = pipe.process(frame_from_array(scene().astype(np.uint8)))
    assert landmarks.batches == [3] and result.detector_ran
    assert [f.track_id for f in result.faces] == [1, 2, 3]
    for face, box in zip(result.faces, BOXES):  # frame pixels, within a crop pixel or so
        np.testing.assert_allclose(face_box_from_landmarks(face.landmarks), box, atol=1.5)
        np.testing.assert_allclose(face.bbox, box, atol=1.5)
        assert face.temperatures_c is None and face.landmark_scores.shape == (54,)
    assert set(result.timings_ms) == {"detect", "landmarks", "total"}
    assert (result.width, result.height) == (640, 512)


def test_radiometric_frames_report_degrees_c_at_each_landmark():
    pipe, _, _ = make_pipeline()
    temperature = scene(value=34.5, background=21.0)
    face = pipe.process(frame_from_array(temperature)).faces[0]
    x, y = face.landmarks.T  # points well inside the warm rectangle read its temperature
    inside = (x > 42) & (x < 98) & (y > 32) & (y < 108)
    assert inside.sum() > 40
    np.testing.assert_allclose(face.temperatures_c[inside], 34.5, atol=1e-3)
    assert np.all((face.temperatures_c >= 21.0 - 1e-3) & (face.temperatures_c <= 34.5 + 1e-3))
    json_face = face.to_json()
    assert len(json_face["temperatures_c"]) == 54 and len(json_face["landmarks"]) == 54


def test_tracking_runs_the_detector_every_n_frames_and_keeps_ids():
    pipe, _, detector = make_pipeline(detect_every=4)
    frame = frame_from_array(scene())
    ran = [pipe.process(frame).detector_ran for _ in range(9)]
    assert [i for i, r in enumerate(ran) if r] == [0, 4, 8] and detector.calls == 3
    assert [f.track_id for f in pipe.process(frame).faces] == [1, 2, 3]


def test_low_landmark_confidence_runs_the_detector_on_the_next_frame():
    pipe, _, detector = make_pipeline(score=0.4, detect_every=100)
    frame = frame_from_array(scene())
    for _ in range(3):
        pipe.process(frame)
    assert detector.calls == 3


def test_without_tracking_every_frame_is_independent():
    pipe, _, detector = make_pipeline(track=False)
    frame = frame_from_array(scene())
    ids = [[f.track_id for f in pipe.process(frame).faces] for _ in range(3)]
    assert ids == [[1, 2, 3]] * 3 and detector.calls == 3


@pytest.mark.parametrize("track, reported", [(True, 0), (False, 3)])
def test_weak_detections_start_no_tracks_but_are_faces_without_tracking(track, reported):
    weak = TrackerConfig.birth_score - 0.05  # over the detector's threshold, under the birth score
    pipe, _, _ = make_pipeline(track=track, detection_score=weak)
    assert len(pipe.process(frame_from_array(scene())).faces) == reported


def test_bad_frames_raise_value_error():
    pipe, _, _ = make_pipeline()
    with pytest.raises(ValueError, match="too small"):
        pipe.process(frame_from_array(np.zeros((8, 8), np.uint8)))


def test_real_models_end_to_end_through_onnxruntime(student_model, untrained_detector_onnx):
    config = PipelineConfig(backend="onnxruntime", landmark_model=student_model.onnx,
                            detector_model=untrained_detector_onnx, detection_threshold=0.0,
                            tracker=TrackerConfig(max_faces=3, drop_confidence=0.0, min_confidence=0.0,
                                                  birth_score=0.0))
    pipe = Pipeline.create(config)
    frame = frame_from_array(np.random.default_rng(0).integers(0, 255, (240, 320), dtype=np.uint8))
    result = pipe.process(frame)
    assert 1 <= len(result.faces) <= 3
    assert all(f.landmarks.shape == (54, 2) and np.isfinite(f.landmarks).all() for f in result.faces)


def test_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        Pipeline.create(PipelineConfig(landmark_model=tmp_path / "none.onnx"))


@pytest.mark.skipif(not (models_dir() / "face_detector.onnx").is_file(), reason="detector not shipped yet")
def test_shipped_detector_finds_synthetic_faces():
    from thermal_fld_ros.data.synth import SynthConfig, generate_scene, to_encoding
    from thermal_fld_ros.detection.decode import box_iou

    detector = Detector(create_backend("onnxruntime", models_dir() / "face_detector.onnx"))
    config = SynthConfig(max_faces=2, p_no_face=0.0, face_height_px=(40.0, 150.0), rgb=False)
    rng = np.random.default_rng(5)
    hits = total = 0
    for _ in range(4):
        scene = generate_scene(rng, config)
        found = detector(frame_from_array(to_encoding(scene.image, "agc_u8", rng)).grey)
        truth = np.array([f.box for f in scene.faces])
        hits += int((box_iou(truth, found.boxes).max(axis=1, initial=0) >= 0.3).sum())
        total += len(truth)
    assert hits >= 0.5 * total  # an under-trained model (see its card): located, boxes loose


def test_runtime_path_imports_neither_torch_nor_rclpy():
    """The node and ``detect`` run ONNX models: no torch (robots), no ROS (pure Python API)."""
    import subprocess
    import sys

    code = ("import sys, thermal_fld_ros.pipeline, thermal_fld_ros.overlay, thermal_fld_ros.cli.detect;"
            "print(sorted(m for m in ('torch', 'rclpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
