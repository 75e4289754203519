"""The demo runs the node the way the launch file does."""

from __future__ import annotations

from pathlib import Path

from thermal_fld_ros.ros.demo import FASTDDS_PROFILE_ENV, _node_env


def test_demo_node_gets_the_shipped_fastdds_profile(monkeypatch):
    monkeypatch.delenv(FASTDDS_PROFILE_ENV, raising=False)
    profile = Path(_node_env()[FASTDDS_PROFILE_ENV])
    assert profile.name == "fastdds_shm.xml" and profile.is_file()


def test_a_users_own_fastdds_profile_wins(monkeypatch):
    monkeypatch.setenv(FASTDDS_PROFILE_ENV, "/etc/robot/fastdds.xml")
    assert _node_env()[FASTDDS_PROFILE_ENV] == "/etc/robot/fastdds.xml"
