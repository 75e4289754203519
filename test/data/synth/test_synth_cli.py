"""`thermal-fld synth`: datasets, contact sheets (renders only, or beside real frames)."""

import cv2
import pytest

from thermal_fld_ros import cli
from thermal_fld_ros.resources import shared_data_dir


def test_writes_a_dataset_and_reports_throughput(tmp_path, capsys):
    out = tmp_path / "ds"
    assert cli.main(["synth", "--out", str(out), "--count", "2", "--seed", "3", "--workers", "1"]) == 0
    assert len((out / "annotations.jsonl").read_text().splitlines()) == 2
    assert "samples/s" in capsys.readouterr().out


def test_renders_a_contact_sheet(tmp_path, capsys):
    path = tmp_path / "sheet.png"
    assert cli.main(["synth", "--contact-sheet", str(path), "--count", "3"]) == 0
    image = cv2.imread(str(path))
    assert image is not None and image.shape[0] > 100 and image.shape[1] > 4 * 160
    assert "samples/s" in capsys.readouterr().out


def test_side_by_side_with_real_frames(tmp_path):
    shared = shared_data_dir()
    if shared is None:
        pytest.skip("shared real thermal faces not available")
    path = tmp_path / "real.png"
    real = shared / "real_thermal_faces" / "testo872_radiometric"
    assert cli.main(["synth", "--contact-sheet", str(path), "--count", "2", "--real", str(real)]) == 0
    assert cv2.imread(str(path)).shape[1] >= 6 * 160


def test_refuses_a_count_below_one(tmp_path):
    assert cli.main(["synth", "--out", str(tmp_path / "x"), "--count", "0"]) == 2


def test_realism_probe_without_real_frames_says_so(monkeypatch, capsys):
    import thermal_fld_ros.data.real as real

    monkeypatch.setattr(real, "shared_data_dir", lambda: None)
    assert cli.main(["synth", "--realism", "--count", "8"]) == 2
    assert "no real frames" in capsys.readouterr().err
