"""The demo runs the node the way the launch file does, end to end over DDS, and reports what
the node did while the clip streamed."""

from __future__ import annotations

from pathlib import Path

import pytest

from thermal_fld_ros.resources import models_dir
from thermal_fld_ros.ros.demo import FASTDDS_PROFILE_ENV, _node_env, run_demo


def test_demo_node_gets_the_shipped_fastdds_profile(monkeypatch):
    monkeypatch.delenv(FASTDDS_PROFILE_ENV, raising=False)
    profile = Path(_node_env()[FASTDDS_PROFILE_ENV])
    assert profile.name == "fastdds_shm.xml" and profile.is_file()


def test_a_users_own_fastdds_profile_wins(monkeypatch):
    monkeypatch.setenv(FASTDDS_PROFILE_ENV, "/etc/robot/fastdds.xml")
    assert _node_env()[FASTDDS_PROFILE_ENV] == "/etc/robot/fastdds.xml"


@pytest.mark.skipif(not (models_dir() / "face_detector.onnx").is_file(), reason="shipped models not present")
def test_a_short_demo_answers_every_frame_and_reports_the_rates_while_streaming(ros_env, tmp_path):
    summary = run_demo(tmp_path, num_frames=20, rate_hz=10.0, seed=7, backend="onnxruntime")
    assert summary.frames_answered == 20 and summary.faces_found == 20 and summary.false_faces == 0
    assert summary.node_diagnostics["frames_processed"] == "20"
    assert float(summary.node_rates_while_streaming["input_rate_hz"]) > 5.0
    assert (tmp_path / "summary.json").is_file()
