"""Face crops and normalisation: the one definition training and inference share."""

import numpy as np
import pytest

from thermal_fld_ros import preprocess


def test_crop_maps_box_centre_to_crop_centre_and_back():
    box = np.array([40, 60, 100, 140], dtype=np.float32)
    transform = preprocess.crop_transform(box, size=112)
    centre = transform.to_crop(np.array([[70, 100]]))
    np.testing.assert_allclose(centre, [[56, 56]], atol=1e-4)
    pts = np.array([[45, 65], [90, 130]], dtype=np.float32)
    np.testing.assert_allclose(transform.to_image(transform.to_crop(pts)), pts, atol=1e-3)


def test_crop_side_is_scale_times_longer_box_side():
    box = np.array([0, 0, 80, 40], dtype=np.float32)
    transform = preprocess.crop_transform(box, size=100, scale=1.25)
    corners = transform.to_crop(np.array([[40 - 50, 20], [40 + 50, 20]]))
    np.testing.assert_allclose(corners[:, 0], [0, 100], atol=1e-4)


def test_rotated_crop_removes_roll():
    box = np.array([0, 0, 100, 100], dtype=np.float32)
    transform = preprocess.crop_transform(box, size=100, scale=1.0, angle_deg=90)
    # a point right of the centre lands above or below it after a quarter turn
    moved = transform.to_crop(np.array([[80, 50]]))[0]
    assert abs(moved[0] - 50) < 1e-3 and abs(moved[1] - 50) == pytest.approx(30, abs=1e-3)


def test_normalisation_ignores_a_hot_object_outside_the_crop():
    rng = np.random.default_rng(0)
    frame = rng.normal(30, 2, (200, 200)).astype(np.float32)
    box = np.array([50, 50, 110, 110], dtype=np.float32)
    plain, _ = preprocess.face_input(frame, box)
    frame[150:, 150:] = 90.0  # a lamp in the corner, outside the face crop
    with_lamp, _ = preprocess.face_input(frame, box)
    np.testing.assert_allclose(plain, with_lamp, atol=1e-5)


def test_normalisation_is_invariant_to_gain_and_offset():
    rng = np.random.default_rng(1)
    crop = rng.normal(34, 1.5, (112, 112)).astype(np.float32)
    counts = crop * 59.5 + 6000  # the same scene as raw sensor counts
    np.testing.assert_allclose(preprocess.normalise(crop), preprocess.normalise(counts), atol=1e-4)
    out = preprocess.normalise(crop)
    assert out.dtype == np.float32 and -1.6 < out.min() < -0.9 and 0.9 < out.max() < 1.6


def test_flat_crop_does_not_divide_by_zero():
    out = preprocess.normalise(np.full((8, 8), 25.0, dtype=np.float32))
    assert np.isfinite(out).all()


def test_colour_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="single-channel"):
        preprocess.to_grey(np.zeros((4, 4, 3), dtype=np.uint8))
