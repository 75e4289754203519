"""`thermal-fld train / export / eval` end to end on a tiny synthetic dataset."""

from __future__ import annotations

import json

import pytest
import torch
import yaml

from thermal_fld_ros.cli import main
from thermal_fld_ros.data.synth.dataset import write_dataset
from thermal_fld_ros.training.config import SynthSplits
from thermal_fld_ros.training.data import synth_split_dir

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def tiny_config(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("cli")
    cache = root / "synth"
    splits = SynthSplits(cache_dir=str(cache), train=(11, 8), val=(12, 2), test=(13, 3))
    for split in ("train", "val", "test"):
        seed, count = getattr(splits, split)
        write_dataset(synth_split_dir(splits, split), count, seed, workers=1)  # one process: fast
    cfg = {"stage": "compress", "name": "cli", "run_dir": str(root / "run"), "threads": 1,
           "model": {"arch": "student", "modality": "thermal"},
           "data": {"synth": {"cache_dir": str(cache), "train": [11, 8], "val": [12, 2], "test": [13, 3]},
                    "batch_size": 4},
           "optim": {"epochs": 1, "warmup_steps": 1}}
    path = root / "cfg.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return str(path)


def test_train_export_eval(tiny_config, tmp_path) -> None:
    assert main(["train", "compress", "--config", tiny_config, "--no-progress", "--set", "optim.lr=0.001"]) == 0
    run_dir = yaml.safe_load(open(tiny_config))["run_dir"]
    ckpt = f"{run_dir}/model.pt"
    onnx_path = tmp_path / "student.onnx"
    assert main(["export", ckpt, "--output", str(onnx_path)]) == 0
    ced, report = tmp_path / "ced.png", tmp_path / "report.json"
    assert main(["eval", "--model", str(onnx_path), "--config", tiny_config, "--ced", str(ced),
                 "--json", str(report)]) == 0
    assert ced.stat().st_size > 0
    assert json.loads(report.read_text())["overall"]["faces"] == 3
