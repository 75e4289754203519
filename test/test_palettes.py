"""Palette frames map back to grey, so colour-mapped camera previews are usable input."""

import numpy as np
import pytest

from thermal_fld_ros import palettes

RAMP = np.tile(np.arange(256, dtype=np.uint8), (8, 1))


@pytest.mark.parametrize("name", ["white_hot", "iron", "rainbow", "black_hot"])
def test_palette_round_trip_recovers_intensity_within_two_levels(name):
    back = palettes.to_intensity(palettes.apply_palette(RAMP, name), name)
    assert np.abs(back.astype(int) - RAMP).max() <= 2


@pytest.mark.parametrize("name", ["white_hot", "iron", "rainbow"])
def test_palette_is_recognised_from_colours_alone(name):
    assert palettes.guess_palette(palettes.apply_palette(RAMP, name)) == name


def test_visible_light_colours_are_refused_with_a_clear_message():
    rng = np.random.default_rng(0)
    photo = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="none of the known thermal palettes"):
        palettes.to_intensity(photo)


def test_unknown_palette_name_is_refused():
    with pytest.raises(ValueError, match="unknown palette"):
        palettes.to_intensity(np.zeros((2, 2, 3), dtype=np.uint8), "viridis")
