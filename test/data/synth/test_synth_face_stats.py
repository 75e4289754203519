"""Face-region statistics: where hair sits between room and forehead, how smooth forehead and
cheeks are, how warm the temples stay."""

import numpy as np
import pytest

from thermal_fld_ros.data.synth.face_stats import face_stats, summarise
from thermal_fld_ros.layout import (BROW_LEFT, BROW_RIGHT, MOUTH_LEFT, MOUTH_RIGHT, NOSE_TIP,
                                    NUM_LANDMARKS, OUTER_EYE_LEFT, OUTER_EYE_RIGHT)

ROOM, FOREHEAD, HAIR = 20.0, 200.0, 110.0


def _landmarks(nose_x=130.0, scale=1.0):
    """Eyes 60 px apart at y 120, brows at y 105, nose tip at y 150, mouth corners at y 175
    (only these points count): the cheek patches centre at y 145, x 104 and 156."""
    pts = np.full((NUM_LANDMARKS, 2), 130.0)
    pts[OUTER_EYE_LEFT], pts[OUTER_EYE_RIGHT] = (100, 120), (160, 120)
    pts[MOUTH_LEFT], pts[MOUTH_RIGHT] = (110, 175), (150, 175)
    pts[list(BROW_LEFT + BROW_RIGHT)] = np.c_[np.linspace(95, 165, 10), np.full(10, 105.0)]
    pts[NOSE_TIP] = (nose_x, 150)
    return (pts - 130.0) * scale + 130.0


def _frame(forehead=None, rng=None):
    """Room at the edges, hair above y 62, forehead skin from there down."""
    grey = np.full((240, 260), ROOM)
    grey[62:200, 60:200] = FOREHEAD if forehead is None else forehead
    grey[20:62, 60:200] = HAIR
    if rng is not None:
        grey[62:200, 60:200] += rng.normal(0.0, 4.0, (138, 140))
    return grey


def test_hair_level_runs_from_the_room_to_the_forehead():
    stats = face_stats(_frame(), _landmarks())
    assert stats.hair_level == pytest.approx((HAIR - ROOM) / (FOREHEAD - ROOM))


def test_forehead_texture_is_grain_over_contrast_not_gradients():
    grain = face_stats(_frame(rng=np.random.default_rng(0)), _landmarks())
    assert grain.forehead_texture == pytest.approx(4.0 / (FOREHEAD - ROOM), rel=0.15)
    ramp = np.linspace(170.0, 230.0, 140)[None, :] + np.linspace(0.0, 20.0, 138)[:, None]
    assert face_stats(_frame(forehead=ramp), _landmarks()).forehead_texture < 1e-6


def test_cheek_texture_sees_blotches_on_the_cheeks_only():
    rng = np.random.default_rng(1)
    grain = face_stats(_frame(rng=rng), _landmarks())
    assert grain.cheek_texture == pytest.approx(4.0 / (FOREHEAD - ROOM), rel=0.15)
    blotchy = _frame()
    blotchy[140:150, 95:110] -= 30.0  # a cool blotch on the image-left cheek
    stats = face_stats(blotchy, _landmarks())
    assert stats.cheek_texture > 0.02 and stats.forehead_texture < 1e-6


def test_temple_level_reads_the_sides_of_the_forehead():
    """Temple patches centre 0.75 eye distances out from the brows' middle (x 85 and 175), 0.15
    above them (y 96); the forehead and cheek patches lie between and below."""
    assert face_stats(_frame(), _landmarks()).temple_level == pytest.approx(1.0)
    framed = _frame()
    framed[80:115, 60:95] = HAIR  # hair down over the image-left temple only
    stats = face_stats(framed, _landmarks())
    assert stats.temple_level == pytest.approx((1.0 + (HAIR - ROOM) / (FOREHEAD - ROOM)) / 2)
    assert stats.hair_level == pytest.approx((HAIR - ROOM) / (FOREHEAD - ROOM))
    assert stats.forehead_texture < 1e-6 and stats.cheek_texture < 1e-6


def test_turned_small_and_faint_faces_do_not_count():
    assert face_stats(_frame(), _landmarks(nose_x=130.0 + 0.3 * 60)) is None
    assert face_stats(_frame(), _landmarks(scale=0.3)) is None
    assert face_stats(_frame(forehead=ROOM + 10.0), _landmarks()) is None


def test_summary_gives_quartiles_of_the_faces_that_counted():
    stats = [face_stats(_frame(forehead=level), _landmarks()) for level in (100.0, 200.0, 300.0)]
    summary = summarise(stats + [None])
    assert summary.faces == 3
    assert summary.quartiles["hair_level"][1] == pytest.approx((HAIR - ROOM) / (FOREHEAD - ROOM))


def test_forehead_grain_sees_pixel_noise_and_hardly_a_gentle_ramp():
    noisy = face_stats(_frame(rng=np.random.default_rng(2)), _landmarks())
    # side-by-side differences of N(0, 4) noise: mean |x1 - x2| = 4 * 2 / sqrt(pi)
    assert noisy.forehead_grain == pytest.approx(8.0 / np.sqrt(np.pi) / (FOREHEAD - ROOM), rel=0.15)
    ramp = np.linspace(170.0, 230.0, 140)[None, :] + np.zeros((138, 1))
    assert face_stats(_frame(forehead=ramp), _landmarks()).forehead_grain < 0.1 * noisy.forehead_grain


def test_hair_grain_sees_streaks_across_the_hair_not_along_it():
    """Streaks run down the head: pixel columns that alternate read as grain, rows do not."""
    across, along = _frame(), _frame()
    across[20:62, 60:200:2] += 5.0  # every other column of the hair band
    along[20:62:2, 60:200] += 5.0  # every other row
    assert face_stats(across, _landmarks()).hair_grain == pytest.approx(5.0 / (FOREHEAD - ROOM))
    assert face_stats(along, _landmarks()).hair_grain == 0.0
