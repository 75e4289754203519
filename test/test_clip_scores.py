"""Clip scores: a reported face is the nearest true face within half its box height, with that
face's NME; every other reported face is a false face; ids per face count swaps and losses."""

from __future__ import annotations

import numpy as np
import pytest

from thermal_fld_ros import metrics
from thermal_fld_ros.clip_scores import MATCH_RADIUS, ClipScores
from thermal_fld_ros.data.records import Face
from thermal_fld_ros.layout import face_box_from_landmarks


def true_face(x: float, y: float) -> Face:
    points = np.random.default_rng(0).uniform(-30, 30, (54, 2)).astype(np.float32) + (x, y)
    return Face(box=face_box_from_landmarks(points), landmarks=points, visible=np.ones(54, bool))


def test_a_face_reported_on_a_true_face_is_found_with_its_nme_and_one_elsewhere_is_false():
    face = true_face(100, 100)
    near = face.landmarks + 2.0
    scores = ClipScores()
    scores.add_frame([face], {1: near, 2: face.landmarks + 200.0})
    assert (scores.truth, scores.found, scores.false_faces) == (1, 1, 1)
    assert scores.nmes == pytest.approx([metrics.nme(near, face.landmarks, face.visible)[0]])


def test_a_face_reported_beyond_the_match_radius_is_false_and_the_true_face_missed():
    face = true_face(100, 100)
    shift = 1.05 * MATCH_RADIUS * (face.box[3] - face.box[1])
    scores = ClipScores()
    scores.add_frame([face], {1: face.landmarks + (0.0, shift)})
    assert (scores.truth, scores.found, scores.false_faces) == (1, 0, 1) and scores.nmes == []


def test_ids_per_face_count_every_id_a_face_was_reported_under_in_each_clip():
    a, b = true_face(100, 100), true_face(400, 100)
    scores = ClipScores()
    for tid in (1, 1, 3):  # face a: lost once and found again under id 3
        scores.add_frame([a, b], {tid: a.landmarks, 2: b.landmarks})
    scores.add_frame([a], {7: a.landmarks}, clip=1)  # another clip: its own faces
    assert scores.ids == {(0, 0): {1, 3}, (0, 1): {2}, (1, 0): {7}}
    assert scores.track_ids_per_face == pytest.approx(4 / 3)
    assert np.isnan(ClipScores().track_ids_per_face)
