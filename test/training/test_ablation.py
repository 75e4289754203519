"""`thermal-fld ablation`: every listed run trains, then all are tested on the synthetic test split."""

from __future__ import annotations

import json

import torch
import yaml

from thermal_fld_ros.cli import main
from thermal_fld_ros.data.synth.dataset import write_dataset
from thermal_fld_ros.training.config import SynthSplits
from thermal_fld_ros.training.data import synth_split_dir

torch.set_num_threads(1)


def test_ablation_trains_each_run_renders_the_missing_test_split_and_writes_the_table(tmp_path):
    cache = tmp_path / "synth"
    splits = SynthSplits(cache_dir=str(cache), train=(21, 8), val=(22, 2), test=(23, 2))
    for split in ("train", "val"):  # the test split is left for the ablation to render
        seed, count = getattr(splits, split)
        write_dataset(synth_split_dir(splits, split), count, seed, workers=1)
    base = {"stage": "compress", "name": "base", "run_dir": str(tmp_path / "unused"), "threads": 1,
            "model": {"arch": "student", "modality": "thermal"},
            "data": {"synth": {"cache_dir": str(cache), "train": [21, 8], "val": [22, 2], "test": [23, 2]},
                     "batch_size": 4},
            "optim": {"epochs": 1, "warmup_steps": 1}}
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base))
    plan = {"run_root": str(tmp_path / "runs"), "output": str(tmp_path / "out"), "split_from": "base.yaml",
            "runs": [{"name": "scratch", "config": "base.yaml", "level": "student", "description": "from scratch"},
                     {"name": "slow", "config": "base.yaml", "level": "student", "description": "lower lr",
                      "set": {"optim": {"lr": 0.0001}}}]}
    path = tmp_path / "ablation.yaml"
    path.write_text(yaml.safe_dump(plan))

    assert main(["ablation", "--config", str(path), "--no-progress"]) == 0

    assert synth_split_dir(splits, "test").is_dir()
    rows = json.loads((tmp_path / "out" / "ablation.json").read_text())
    assert [r["run"] for r in rows] == ["scratch", "slow"]
    assert all(r["faces"] == 2 and 0 < r["nme"] < 10 for r in rows)
    assert "| scratch | student | from scratch |" in (tmp_path / "out" / "ablation.md").read_text()
    assert (tmp_path / "out" / "ced_students.png").stat().st_size > 0
