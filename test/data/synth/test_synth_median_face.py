"""Eye-aligned median faces: every face lands on the same grid on the room 0 / forehead 1 scale,
the median skips faces that did not qualify, the figure colours where renders run warm or cool."""

import numpy as np
import pytest

from thermal_fld_ros.data.synth.median_face import (ALIGNED_EYE_DISTANCE, ALIGNED_EYES_MIDDLE,
                                                    ALIGNED_SIDE, TILE_ZOOM, aligned_face, median_face,
                                                    median_face_figure)
from thermal_fld_ros.layout import (BROW_LEFT, BROW_RIGHT, MOUTH_LEFT, MOUTH_RIGHT, NOSE_TIP,
                                    NUM_LANDMARKS, OUTER_EYE_LEFT, OUTER_EYE_RIGHT)

ROOM, FOREHEAD, EYE = 20.0, 200.0, 380.0
CENTRE = np.array([130.0, 130.0])


def _face(roll_deg=0.0, scale=1.0):
    """A frame with a warm face block and a hot mark at each outer eye corner, and its landmarks
    (eyes 60 px apart at y 120 before roll and scale about the centre)."""
    pts = np.full((NUM_LANDMARKS, 2), 130.0)
    pts[OUTER_EYE_LEFT], pts[OUTER_EYE_RIGHT] = (100, 120), (160, 120)
    pts[MOUTH_LEFT], pts[MOUTH_RIGHT] = (110, 175), (150, 175)
    pts[list(BROW_LEFT + BROW_RIGHT)] = np.c_[np.linspace(95, 165, 10), np.full(10, 105.0)]
    pts[NOSE_TIP] = (130, 150)
    a = np.radians(roll_deg)
    rotation = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    pts = (pts - CENTRE) @ rotation.T * scale + CENTRE
    grey = np.full((260, 260), ROOM)
    yy, xx = np.mgrid[0:260, 0:260]
    grey[np.hypot(xx - 130, yy - 130) < 75 * scale] = FOREHEAD
    for eye in (OUTER_EYE_LEFT, OUTER_EYE_RIGHT):
        grey[np.hypot(xx - pts[eye, 0], yy - pts[eye, 1]) < 3 * scale] = EYE
    return grey, pts


def _eye_spots():
    (mx, my), half = ALIGNED_EYES_MIDDLE, ALIGNED_EYE_DISTANCE / 2
    return [(int(round(my)), int(round(mx - half))), (int(round(my)), int(round(mx + half)))]


@pytest.mark.parametrize("roll_deg, scale", [(0.0, 1.0), (20.0, 1.0), (-15.0, 1.5)])
def test_outer_eye_corners_land_on_the_same_two_pixels_whatever_the_roll_and_size(roll_deg, scale):
    aligned = aligned_face(*_face(roll_deg, scale))
    assert aligned.shape == (ALIGNED_SIDE, ALIGNED_SIDE)
    expected = (EYE - ROOM) / (FOREHEAD - ROOM)
    for y, x in _eye_spots():
        assert np.nanmax(aligned[y - 1:y + 2, x - 1:x + 2]) > 0.5 * (1.0 + expected)


def test_aligned_face_is_on_the_room_zero_forehead_one_scale_with_nan_outside_the_frame():
    grey, pts = _face()
    aligned = aligned_face(grey[40:, :], pts - [0, 40])  # the frame's top cut off
    assert np.nanmedian(aligned[60:70, 40:56]) == pytest.approx(1.0)  # cheeks, on the face
    assert np.nanmedian(aligned[80:, :6]) == pytest.approx(0.0)  # room
    assert np.isnan(aligned[0]).all()


def test_turned_faces_do_not_qualify():
    grey, pts = _face()
    pts[NOSE_TIP, 0] += 0.3 * 60
    assert aligned_face(grey, pts) is None


def test_median_skips_faces_that_did_not_qualify_and_counts_the_rest():
    faces = [np.full((2, 2), v) for v in (0.0, 1.0, 5.0)]
    faces[1][0, 0] = np.nan  # outside that frame: the other two decide
    median, count = median_face(faces + [None])
    assert count == 3 and median[1, 1] == 1.0 and median[0, 0] == pytest.approx(2.5)
    with pytest.raises(ValueError, match="no face qualified"):
        median_face([None])


def test_figure_shows_each_median_and_colours_the_reference_minus_each_other():
    side = ALIGNED_SIDE
    warm, cool = np.full((side, side), 1.0), np.zeros((side, side))
    figure = median_face_figure({"real": (cool, 5), "renders": (warm, 7)}, "renders")
    tile = side * TILE_ZOOM
    assert figure.shape == (2 * tile, 2 * tile, 3)
    assert tuple(figure[tile + tile // 2, tile // 2]) == (255, 0, 0)  # renders warmer: red
    flipped = median_face_figure({"real": (warm, 5), "renders": (cool, 7)}, "renders")
    assert tuple(flipped[tile + tile // 2, tile // 2]) == (0, 0, 255)  # renders cooler: blue
