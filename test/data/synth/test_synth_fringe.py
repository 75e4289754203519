"""Loose hair strands past the head outline."""

import numpy as np

from thermal_fld_ros.data.synth.fringe import fray_hair


def test_strands_reach_just_past_the_hair_outline_and_are_cooler_than_skin():
    temp = np.full((64, 64), 20.0, np.float32)   # background at room temperature
    hair = np.zeros((64, 64), np.float32)
    temp[:, :32], hair[:, :32] = 30.0, 1.0       # hair layer on the left half
    out = fray_hair(temp, hair, hair < 0.5, 20.0, 4.0, np.random.default_rng(0))
    np.testing.assert_array_equal(out[:, :32], temp[:, :32])  # the hair itself is untouched
    near, far = out[:, 32:34], out[:, 50:]  # strands reach about 0.6 cm (2.4 px)
    assert near.mean() > 20.8 and near.max() < 30.0
    np.testing.assert_allclose(far, 20.0, atol=1e-3)
    assert out[:, 33].std() > 0.3  # strands vary along the outline: not a uniform halo
