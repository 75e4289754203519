"""``thermal-fld bench --json``: one JSON object with the fixed row schema, a row per available
backend measured in its own process, and peer rows (absent when their venv is missing)."""

from __future__ import annotations

import json

import pytest

from thermal_fld_ros import cli
from thermal_fld_ros.backends import available_backends
from thermal_fld_ros.cli.bench import PEERS, PEERS_VENV, ROW_KEYS

pytest.importorskip("thermal_fld_ros.data.synth")  # bench frames come from the generator


@pytest.mark.slow
def test_bench_json_schema(student_model, untrained_detector_onnx, tmp_path, capsys):
    peers_present = (PEERS_VENV / "bin" / "python").is_file()
    args = ["bench", "--json", "--iterations", "3", "--landmark-model", str(student_model.onnx),
            "--checkpoint", str(student_model.checkpoint),
            "--detector-model", str(untrained_detector_onnx)]
    if not peers_present:
        args.append("--no-peers")
    assert cli.main(args) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"machine", "rows"} and isinstance(result["machine"], str)
    rows = {row["name"]: row for row in result["rows"]}
    for row in result["rows"]:
        assert tuple(row) == ROW_KEYS
    ours = [r for r in result["rows"] if r["name"] not in PEERS]
    assert len(ours) == len(available_backends())
    onnx_row = next(r for r in ours if r["backend"].startswith("onnxruntime-cpu"))
    assert onnx_row["backend"] == "onnxruntime-cpu-1t"  # per-face figures on one thread
    for key in ROW_KEYS[2:6]:
        assert isinstance(onnx_row[key], float) and onnx_row[key] > 0
    assert onnx_row["per_face_ms_p99"] >= onnx_row["per_face_ms_p50"]
    assert isinstance(onnx_row["params"], int) and onnx_row["params"] > 100_000
    assert onnx_row["mflops"] > 1 and onnx_row["peak_mem_mb"] > 10
    for peer in PEERS:
        row = rows[peer]
        if peers_present:
            assert row["backend"] != "absent" and row["per_face_ms_p50"] > 0
        else:
            assert row["backend"] == "absent" and row["per_face_ms_p50"] is None
