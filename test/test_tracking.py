"""Tracking: previous landmarks place the next crop, detector cadence, confidence-triggered
re-detection, stable ids for moving faces, roll-levelled crops, and the two rules that keep false
faces from living on: a new track needs a strong detection, a track the detector keeps missing
is dropped."""

from __future__ import annotations

import numpy as np
import pytest

from thermal_fld_ros.detection.decode import Detections, box_iou
from thermal_fld_ros.layout import OUTER_EYE_LEFT, OUTER_EYE_RIGHT, face_box_from_landmarks
from thermal_fld_ros.preprocess import crop_transform
from thermal_fld_ros.tracking import Tracker, TrackerConfig, roll_and_box


def face(x: float, y: float, side: float = 60.0, roll_deg: float = 0.0) -> np.ndarray:
    """54 points of a face whose upright shape spans ``side`` px, centred at (x, y)."""
    pts = np.random.default_rng(3).uniform(-0.5, 0.5, (54, 2)).astype(np.float32)
    pts[OUTER_EYE_LEFT], pts[OUTER_EYE_RIGHT] = (-0.35, -0.15), (0.35, -0.15)
    t = np.radians(roll_deg)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]], np.float32)
    return (pts * side) @ rot.T + np.array([x, y], np.float32)


def detections(*faces: np.ndarray, score: float = 0.9) -> Detections:
    boxes = np.array([face_box_from_landmarks(f) for f in faces], np.float32).reshape(-1, 4)
    return Detections(boxes, np.full(len(faces), score, np.float32))


NO_DETECTIONS = Detections(np.zeros((0, 4), np.float32), np.zeros(0, np.float32))


def step(tracker: Tracker, faces: list[np.ndarray], score: float = 0.9) -> tuple[bool, list[int]]:
    """One frame with a perfect landmarker: returns (detector ran, reported track ids)."""
    detected = tracker.needs_detection()
    tracks = tracker.associate(detections(*faces)) if detected else tracker.advance()
    # The landmarker sees the crop a track proposes and finds the face that is under it.
    found = [min(faces, key=lambda f: np.abs(face_box_from_landmarks(f) - t.box).sum()) for t in tracks]
    kept = tracker.update(np.array(found).reshape(-1, 54, 2), np.full((len(tracks), 54), score), detected)
    return detected, [tracker.tracks[k].track_id for k, _ in enumerate(kept)]


def test_moving_face_keeps_its_id_and_detector_runs_every_n_frames():
    tracker = Tracker(TrackerConfig(detect_every=5))
    ran = []
    for i in range(12):
        detected, ids = step(tracker, [face(100 + 6 * i, 80 + 2 * i)])
        ran.append(detected)
        assert ids == [1]
    assert [i for i, r in enumerate(ran) if r] == [0, 5, 10]


def test_crop_follows_the_previous_landmarks():
    tracker = Tracker(TrackerConfig(detect_every=100))
    step(tracker, [face(100, 80)])
    moved = face(109, 84)
    tracker.update(moved[None], np.full((1, 54), 0.9), detected=False)
    np.testing.assert_allclose(tracker.tracks[0].box, face_box_from_landmarks(moved), atol=1e-3)


def test_crop_size_follows_contracted_landmarks_only_slowly():
    tracker = Tracker(TrackerConfig(detect_every=100))
    step(tracker, [face(100, 80, side=60)])
    side = tracker.tracks[0].box[2] - tracker.tracks[0].box[0]
    for _ in range(2):  # an unsure landmarker pulls its points 20 % towards the crop centre
        tracker.update(face(100, 80, side=48)[None], np.full((1, 54), 0.9), detected=False)
    shrunk = tracker.tracks[0].box[2] - tracker.tracks[0].box[0]
    assert 0.85 * side < shrunk < side  # follows, but does not collapse to the 20 % smaller extent


def test_confidence_drop_triggers_detection_and_very_low_confidence_drops_the_face():
    config = TrackerConfig(detect_every=100, min_confidence=0.5, drop_confidence=0.2)
    tracker = Tracker(config)
    step(tracker, [face(100, 80)])
    assert not tracker.needs_detection()
    step(tracker, [face(102, 80)], score=0.4)  # unsure but still reported
    assert tracker.tracks and tracker.needs_detection()
    detected, ids = step(tracker, [face(104, 80)])  # re-detected: same face, same id
    assert detected and ids == [1]
    _, ids = step(tracker, [face(106, 80)], score=0.1)
    assert ids == [] and tracker.needs_detection()


def test_two_faces_keep_distinct_stable_ids_and_a_new_face_gets_a_new_id():
    tracker = Tracker(TrackerConfig(detect_every=3))
    ids_seen = []
    for i in range(7):
        faces = [face(80 + 3 * i, 100), face(300 - 3 * i, 100)]
        if i >= 4:
            faces.append(face(200, 300))
        _, ids = step(tracker, faces)
        ids_seen.append(ids)
    assert ids_seen[0] == [1, 2] and ids_seen[3] == [1, 2]
    assert sorted(ids_seen[6]) == [1, 2, 3]  # face 3 appears at frame 4, found at detection frame 6


def test_face_missed_by_the_detector_is_carried_while_confident():
    tracker = Tracker(TrackerConfig(detect_every=1))
    step(tracker, [face(100, 80)])
    tracks = tracker.associate(NO_DETECTIONS)
    assert [t.track_id for t in tracks] == [1]


def test_a_face_missed_more_than_max_misses_runs_in_a_row_is_dropped_however_confident():
    tracker = Tracker(TrackerConfig(detect_every=1, max_misses=1))
    step(tracker, [face(100, 80)])
    found = face(100, 80)[None]
    assert [t.track_id for t in tracker.associate(NO_DETECTIONS)] == [1]  # first miss: carried
    tracker.update(found, np.full((1, 54), 0.9), detected=True)
    assert tracker.associate(NO_DETECTIONS) == []  # second in a row: gone
    assert tracker.tracks == []


def test_a_detection_in_between_resets_the_misses():
    tracker = Tracker(TrackerConfig(detect_every=1, max_misses=1))
    step(tracker, [face(100, 80)])
    for detections_this_run in [NO_DETECTIONS, detections(face(100, 80)), NO_DETECTIONS]:
        assert [t.track_id for t in tracker.associate(detections_this_run)] == [1]
        tracker.update(face(100, 80)[None], np.full((1, 54), 0.9), detected=True)


def test_a_weak_detection_starts_no_track_but_still_holds_a_tracked_face():
    tracker = Tracker(TrackerConfig(detect_every=1, birth_score=0.3, max_misses=0))
    assert tracker.associate(detections(face(100, 80), score=0.25)) == []
    assert [t.track_id for t in tracker.associate(detections(face(100, 80), score=0.3))] == [1]
    tracker.update(face(100, 80)[None], np.full((1, 54), 0.9), detected=True)
    tracks = tracker.associate(detections(face(102, 80), score=0.25))  # matched: no miss counted
    assert [(t.track_id, t.misses) for t in tracks] == [(1, 0)]


def test_detector_box_of_another_convention_keeps_the_track_id():
    tracker = Tracker(TrackerConfig(detect_every=1))
    step(tracker, [face(100, 80)])
    x1, y1, x2, y2 = tracker.tracks[0].box
    side = y2 - y1
    capped = np.array([[x1 - 0.4 * side, y1 - side, x2 + 0.4 * side, y2]], np.float32)  # cap + hair
    assert box_iou(capped, tracker.tracks[0].box)[0, 0] < TrackerConfig.match_iou
    tracks = tracker.associate(Detections(capped, np.array([0.9], np.float32)))
    assert [t.track_id for t in tracks] == [1]


def test_two_tracks_that_converge_on_one_face_report_the_older_id_once():
    tracker = Tracker(TrackerConfig(detect_every=100))
    tracker.associate(detections(face(100, 80), face(160, 80)))
    same = face(100, 80)
    kept = tracker.update(np.stack([same, same + 4.0]), np.full((2, 54), 0.9), detected=True)
    assert kept == [0] and [t.track_id for t in tracker.tracks] == [1]


def test_max_faces_caps_the_batch():
    tracker = Tracker(TrackerConfig(max_faces=2))
    tracks = tracker.associate(detections(face(50, 50), face(150, 50), face(250, 50)))
    assert len(tracks) == 2


@pytest.mark.parametrize("roll", [-25.0, 0.0, 18.0])
def test_roll_box_levels_the_eyes_in_the_crop(roll):
    points = face(200, 150, side=80, roll_deg=roll)
    box, angle = roll_and_box(points)
    assert angle == pytest.approx(roll, abs=1e-3)
    crop = crop_transform(box, angle_deg=angle).to_crop(points)
    assert crop[OUTER_EYE_LEFT, 1] == pytest.approx(crop[OUTER_EYE_RIGHT, 1], abs=1e-2)
    upright = face_box_from_landmarks(face(200, 150, side=80))
    np.testing.assert_allclose(box[2:] - box[:2], upright[2:] - upright[:2], atol=1e-2)


def test_bad_config_is_rejected():
    with pytest.raises(ValueError):
        TrackerConfig(detect_every=0)
    with pytest.raises(ValueError):
        TrackerConfig(min_confidence=0.2, drop_confidence=0.5)
    with pytest.raises(ValueError):
        TrackerConfig(max_misses=-1)
    with pytest.raises(ValueError):
        TrackerConfig(birth_score=1.5)
