"""`thermal-fld synth`: datasets, contact sheets (renders only, or beside real frames)."""

import cv2
import numpy as np
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


def test_real_frames_can_be_cut_to_their_face(tmp_path):
    """Stand-in "real" frames: rendered 320x256 scenes with one face, stored as 8-bit; cut to the
    face, the real tiles of the sheet change (the whole frame shrank into the tile before)."""
    from thermal_fld_ros.data.synth import SynthConfig, sample, to_encoding

    one_face = SynthConfig(rgb=False, p_no_face=0.0, max_faces=1, face_height_px=(60.0, 100.0),
                           resolutions=((320, 256),), p_mask=0.0, p_hand=0.0, p_hat=0.0)
    real = tmp_path / "real"
    real.mkdir()
    for i in range(2):
        frame = to_encoding(sample(7, i, "scene", one_face).image, "agc_u8")
        cv2.imwrite(str(real / f"{i}.png"), frame)
    sheets = []
    for extra in ([], ["--real-faces"]):
        path = tmp_path / f"sheet{len(extra)}.png"
        args = ["synth", "--contact-sheet", str(path), "--count", "2", "--real", str(real)]
        assert cli.main(args + extra) == 0
        sheets.append(cv2.imread(str(path)))
    assert sheets[0].shape == sheets[1].shape
    real_tiles = np.s_[:, 4 * 164:]
    assert np.abs(sheets[0][real_tiles].astype(int) - sheets[1][real_tiles]).mean() > 5


def test_refuses_a_count_below_one(tmp_path):
    assert cli.main(["synth", "--out", str(tmp_path / "x"), "--count", "0"]) == 2


def test_refuses_real_faces_without_real_frames(tmp_path, capsys):
    assert cli.main(["synth", "--contact-sheet", str(tmp_path / "s.png"), "--real-faces"]) == 2
    assert "--real-faces needs --real" in capsys.readouterr().err


@pytest.mark.slow
def test_realism_probe_compares_training_and_real_setting_renders_with_the_real_faces(capsys):
    if shared_data_dir() is None:
        pytest.skip("shared real thermal faces not available")
    assert cli.main(["synth", "--realism", "--count", "8"]) == 0
    out = capsys.readouterr().out
    assert "| features | all scenes (training) | the real frames' setting |" in out
    rows = [line for line in out.splitlines() if line.startswith(("| layout", "| all "))]
    assert len(rows) == 2 and all(line.count("+-") == 2 for line in rows)
    assert "| renders |" in out and "| forehead grain | hair grain |" in out  # face statistics follow


def test_the_face_statistics_table_prints_every_statistic():
    from thermal_fld_ros.cli.synth import FACE_STATS_COLUMNS
    from thermal_fld_ros.data.synth.face_stats import FaceStats

    assert list(FACE_STATS_COLUMNS) == list(FaceStats.__dataclass_fields__)


def test_realism_probe_without_real_frames_says_so(monkeypatch, capsys):
    import thermal_fld_ros.data.real as real

    monkeypatch.setattr(real, "shared_data_dir", lambda: None)
    assert cli.main(["synth", "--realism", "--count", "8"]) == 2
    assert "no real frames" in capsys.readouterr().err


def test_median_faces_without_real_frames_says_so(monkeypatch, tmp_path, capsys):
    import thermal_fld_ros.data.real as real

    monkeypatch.setattr(real, "shared_data_dir", lambda: None)
    assert cli.main(["synth", "--median-faces", str(tmp_path / "m.png"), "--count", "8"]) == 2
    assert "no real frames" in capsys.readouterr().err and not (tmp_path / "m.png").exists()
