"""Contact-sheet pieces: real frames cut to their face with a face sample's framing."""

import numpy as np

from thermal_fld_ros.data.synth.sheet import face_framing


def _ramp(h=120, w=160):
    """Every pixel tells where it was: value = 1000 * row + column."""
    yy, xx = np.mgrid[0:h, 0:w]
    return (1000 * yy + xx).astype(np.float32)


def test_face_framing_is_a_square_of_ratio_times_the_face_around_its_centre():
    frame = _ramp()
    crop = face_framing(frame, np.array([70.0, 50.0, 90.0, 70.0]), 2.0)  # 20 px face at (80, 60)
    assert crop.shape == (40, 40)
    assert crop[0, 0] == 1000 * 40 + 60 and crop[-1, -1] == 1000 * 79 + 99


def test_face_framing_repeats_the_frame_edge_where_the_square_leaves_it():
    frame = _ramp()
    crop = face_framing(frame, np.array([0.0, 0.0, 20.0, 20.0]), 2.0)  # face in the corner
    assert crop.shape == (40, 40)
    assert crop[0, 0] == frame[0, 0] and crop[10, 5] == frame[0, 0]  # padding copies the edge
    assert crop[-1, -1] == frame[29, 29]
