"""``thermal-fld detect``: one JSON line per image / video frame with the exact schema, in original
pixels, for 8/16-bit PNG, .npy (degrees C -> temperatures), folders and videos; overlays."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from thermal_fld_ros import cli

FACE_KEYS = {"bbox", "score", "track_id", "landmarks", "landmark_scores", "temperatures_c"}


@pytest.fixture
def models(student_model, untrained_detector_onnx) -> list[str]:
    # The untrained detector scores ~0.1 everywhere: threshold 0 makes it report faces.
    return ["--landmark-model", str(student_model.onnx), "--detector-model",
            str(untrained_detector_onnx), "--threshold", "0", "--backend", "onnxruntime"]


def _frame(rng: np.random.Generator, h: int = 120, w: int = 160) -> np.ndarray:
    return rng.integers(0, 255, (h, w), dtype=np.uint8)


def detect(paths: list[Path], models: list[str], tmp_path: Path, *extra: str) -> tuple[int, list[dict]]:
    out = tmp_path / "preds.jsonl"
    code = cli.main(["detect", *map(str, paths), "--output", str(out), *models, *extra])
    return code, [json.loads(line) for line in out.read_text().splitlines()]


def check_record(record: dict, name: str, width: int, height: int, radiometric: bool) -> None:
    assert set(record) == {"image", "width", "height", "faces"}
    assert (record["image"], record["width"], record["height"]) == (name, width, height)
    assert record["faces"], "the low threshold must give faces"
    for face in record["faces"]:
        assert set(face) == FACE_KEYS
        x1, y1, x2, y2 = face["bbox"]
        assert 0 <= x1 <= x2 and 0 <= y1 <= y2 and isinstance(face["score"], float)  # random net
        assert isinstance(face["track_id"], int)
        assert np.array(face["landmarks"]).shape == (54, 2)
        assert len(face["landmark_scores"]) == 54
        assert (face["temperatures_c"] is not None) == radiometric
        if radiometric:
            assert len(face["temperatures_c"]) == 54


def test_png_8_and_16_bit_and_npy(tmp_path, models):
    rng = np.random.default_rng(0)
    png8, png16, npy = tmp_path / "a.png", tmp_path / "b.png", tmp_path / "c.npy"
    cv2.imwrite(str(png8), _frame(rng))
    cv2.imwrite(str(png16), (_frame(rng, 96, 128).astype(np.uint16) * 40 + 29000))
    np.save(npy, 20 + _frame(rng, 100, 140).astype(np.float32) / 16)
    code, records = detect([png8, png16, npy], models, tmp_path, "--radiometric", "centikelvin")
    assert code == 0 and len(records) == 3
    check_record(records[0], str(png8), 160, 120, radiometric=False)
    check_record(records[1], str(png16), 128, 96, radiometric=True)
    check_record(records[2], str(npy), 140, 100, radiometric=True)
    temps = np.array(records[2]["faces"][0]["temperatures_c"])
    assert np.all((temps >= 20 - 1e-3) & (temps <= 20 + 255 / 16 + 1e-3))


def test_directory_is_processed_in_name_order_with_overlays(tmp_path, models):
    rng = np.random.default_rng(1)
    folder = tmp_path / "frames"
    folder.mkdir()
    for name in ("2.png", "1.png", "notes.txt"):
        (folder / name).write_bytes(b"x") if name.endswith(".txt") else cv2.imwrite(str(folder / name), _frame(rng))
    overlays = tmp_path / "overlays"
    code, records = detect([folder], models, tmp_path, "--overlay-dir", str(overlays))
    assert code == 0 and [Path(r["image"]).name for r in records] == ["1.png", "2.png"]
    assert sorted(p.name for p in overlays.iterdir()) == ["1.png", "2.png"]
    assert cv2.imread(str(overlays / "1.png")).shape[2] == 3


def test_video_gives_one_line_per_frame(tmp_path, models):
    rng = np.random.default_rng(2)
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 9, (160, 120))
    for _ in range(4):
        writer.write(cv2.cvtColor(_frame(rng), cv2.COLOR_GRAY2BGR))
    writer.release()
    code, records = detect([video], models, tmp_path, "--track", "--birth-score", "0")
    assert code == 0 and [r["image"] for r in records] == [f"{video}#{i}" for i in range(4)]
    for record in records:
        check_record(record, record["image"], 160, 120, radiometric=False)


def test_unreadable_file_is_reported_and_the_rest_still_processed(tmp_path, models, capsys):
    rng = np.random.default_rng(3)
    good, bad = tmp_path / "good.png", tmp_path / "bad.png"
    cv2.imwrite(str(good), _frame(rng))
    bad.write_bytes(b"not a png")
    code, records = detect([bad, good], models, tmp_path)
    assert code == 1 and [r["image"] for r in records] == [str(good)]
    assert "bad.png" in capsys.readouterr().err


def test_missing_model_exits_2(tmp_path):
    image = tmp_path / "a.png"
    cv2.imwrite(str(image), np.zeros((32, 32), np.uint8))
    assert cli.main(["detect", str(image), "--landmark-model", str(tmp_path / "none.onnx")]) == 2
