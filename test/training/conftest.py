"""Shared tiny data for the training tests (fake learnable faces, no generator needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakes import fake_images  # noqa: E402

from thermal_fld_ros.training.data import faces_from_images  # noqa: E402
from thermal_fld_ros.training.trainer import TrainData  # noqa: E402


@pytest.fixture(scope="session")
def tiny_data() -> TrainData:
    faces = faces_from_images(fake_images(20, seed=3))
    return TrainData(train=faces[:16], val=faces[16:], real=faces[:8])
