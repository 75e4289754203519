"""Shipped YAML configs parse, validate and chain (base:) as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from thermal_fld_ros.training.ablation import load_plan, run_config
from thermal_fld_ros.training.config import load_config

CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.mark.parametrize("stage", ["teacher", "transfer", "compress"])
def test_stage_configs(stage: str) -> None:
    cfg = load_config(CONFIG / f"train_{stage}.yaml")
    assert cfg.stage == stage
    assert cfg.model.modality == ("rgb" if stage == "teacher" else "thermal")


def test_ablation_runs_build() -> None:
    plan, runs = load_plan(CONFIG / "ablation.yaml")
    names = [r.name for r in runs]
    assert len(set(names)) == len(names)
    for run in runs:
        cfg = run_config(CONFIG / "ablation.yaml", plan, run)
        assert cfg.run_dir.endswith(run.name)
    scratch = run_config(CONFIG / "ablation.yaml", plan, runs[names.index("student_scratch")])
    assert scratch.teacher is None and scratch.losses.fd == 0 and scratch.losses.ld == 0
    assert run_config(CONFIG / "ablation.yaml", plan, runs[0], {"threads": 1}).threads == 1


def test_unknown_key_is_an_error(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("base: " + str(CONFIG / "train_teacher.yaml") + "\nlosses: {fdd: 1}\n")
    with pytest.raises(KeyError, match="fdd"):
        load_config(path)


def test_ablation_table_says_synthetic_and_time() -> None:
    import numpy as np

    from thermal_fld_ros import metrics
    from thermal_fld_ros.training.ablation import AblationRun, Row, format_table
    from thermal_fld_ros.training.real_check import RealCheck

    nmes = np.array([0.05, 0.2])
    row = Row(AblationRun("s", "x.yaml", "student", "desc"), 280_000, 33_000_000, 120.0,
              metrics.summarise(nmes), nmes, RealCheck(10, 0.5, 2.0))
    table = format_table([row], 60.0, "seed 3")
    assert "SYNTHETIC" in table and "2.0 min training" in table and "| 12.50 |" in table
