"""The SF-TL54 layout: flip permutation, face box and normaliser as REFERENCE.md section 1 says."""

import numpy as np

from thermal_fld_ros import layout


def test_flip_permutation_is_an_involution_over_54_points():
    perm = layout.FLIP_PERMUTATION
    assert sorted(perm.tolist()) == list(range(layout.NUM_LANDMARKS))
    np.testing.assert_array_equal(perm[perm], np.arange(layout.NUM_LANDMARKS))


def test_flip_swaps_outer_eye_corners_and_mouth_corners_and_keeps_the_midline():
    perm = layout.FLIP_PERMUTATION
    assert perm[layout.OUTER_EYE_LEFT] == layout.OUTER_EYE_RIGHT
    assert perm[layout.MOUTH_LEFT] == layout.MOUTH_RIGHT
    for midline in (8, 27, 28, 29, 30, 33, 49, 51, 52, 53):
        assert perm[midline] == midline


def test_flipping_points_twice_restores_them():
    pts = np.random.default_rng(0).uniform(0, 100, (layout.NUM_LANDMARKS, 2)).astype(np.float32)
    once = layout.flip_landmarks(pts, image_width=100)
    assert once[layout.OUTER_EYE_LEFT, 0] == 99 - pts[layout.OUTER_EYE_RIGHT, 0]
    np.testing.assert_allclose(layout.flip_landmarks(once, image_width=100), pts, atol=1e-5)


def test_face_box_covers_landmarks_and_extends_over_the_forehead():
    pts = np.array([[10, 20], [50, 20], [30, 80]] * 18, dtype=np.float32)
    box = layout.face_box_from_landmarks(pts)
    np.testing.assert_allclose(box, [10, 20 - 0.3 * 60, 50, 80])


def test_interocular_distance_uses_outer_eye_corners():
    pts = np.zeros((layout.NUM_LANDMARKS, 2))
    pts[36], pts[45] = (10, 10), (13, 14)
    assert layout.interocular_distance(pts) == 5.0


def test_mouth_maps_onto_ibug68_indices():
    assert layout.SFTL54_TO_IBUG68[:48] == tuple(range(48))
    assert layout.SFTL54_TO_IBUG68[48:] == (48, 51, 54, 57, 62, 66)
