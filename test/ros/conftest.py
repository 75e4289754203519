"""Real rclpy over Fast DDS, kept on this machine and away from other test runs."""

from __future__ import annotations

import os
import random

import pytest

#: Discovery stays on loopback so tests never send DDS traffic off the machine.
LOCAL_DISCOVERY = {"ROS_AUTOMATIC_DISCOVERY_RANGE": "LOCALHOST", "RMW_IMPLEMENTATION": "rmw_fastrtps_cpp"}


@pytest.fixture
def ros_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for this test and its child processes: local discovery, a private domain id."""
    domain = str(random.Random(os.getpid()).randint(20, 99))
    for key, value in {**LOCAL_DISCOVERY, "ROS_DOMAIN_ID": domain}.items():
        monkeypatch.setenv(key, value)
    return dict(os.environ)
