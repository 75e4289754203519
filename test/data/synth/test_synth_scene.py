"""Backgrounds: every scene at any sensor size, with the temperatures each kind implies."""

import numpy as np
import pytest

from thermal_fld_ros.data.synth.scene import make_background


@pytest.mark.parametrize("scene", ["studio", "indoor", "car", "outdoor"])
def test_every_scene_fills_the_frame(scene):
    bg = make_background(np.random.default_rng(0), scene, 120, 160, 21.0)
    assert bg.temperature.shape == (120, 160) and bg.temperature.dtype == np.float32
    assert bg.rgb.shape == (120, 160, 3) and np.isfinite(bg.temperature).all()


def test_studio_curtain_sits_near_room_temperature():
    bg = make_background(np.random.default_rng(1), "studio", 240, 320, 22.0)
    assert abs(float(np.median(bg.temperature)) - 22.0) < 2.0


def test_clear_sky_is_far_colder_than_the_air():
    colder = [np.percentile(make_background(np.random.default_rng(s), "outdoor", 240, 320, 20.0)
                            .temperature[:5], 50) < 10.0 for s in range(5)]
    assert all(colder)


def test_warm_objects_appear_indoors():
    hottest = [make_background(np.random.default_rng(s), "indoor", 240, 320, 21.0, 1.0)
               .temperature.max() for s in range(8)]
    assert max(hottest) > 30.0


def test_studio_curtain_has_vertical_folds():
    temp = make_background(np.random.default_rng(2), "studio", 240, 320, 22.0).temperature
    across = np.abs(np.diff(temp, axis=1)).mean()
    down = np.abs(np.diff(temp, axis=0)).mean()
    assert across > 2.0 * down


def test_indoor_rooms_have_sharp_edges():
    edges = [np.abs(np.diff(make_background(np.random.default_rng(s), "indoor", 240, 320, 21.0,
                                            0.0).temperature, axis=1)).max() for s in range(8)]
    assert sum(e > 0.5 for e in edges) >= 5
