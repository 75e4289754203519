"""The training loop: learns, logs, checkpoints, resumes exactly."""

from __future__ import annotations

import csv

import torch

from thermal_fld_ros.networks import load_checkpoint
from thermal_fld_ros.training.config import config_from_dict
from thermal_fld_ros.training.trainer import MASK_PATCH, Trainer, mask_input

torch.set_num_threads(1)


def _cfg(run_dir, **over):
    base = {"stage": "compress", "name": "t", "run_dir": str(run_dir), "threads": 1,
            "model": {"arch": "student", "modality": "thermal"},
            "data": {"batch_size": 4}, "optim": {"epochs": 3, "warmup_steps": 1, "lr": 3e-3},
            "checkpoint_every": 2}
    for k, v in over.items():
        base[k] = {**base.get(k, {}), **v} if isinstance(v, dict) else v
    return config_from_dict(base)


def test_training_reduces_loss_and_writes_outputs(tmp_path, tiny_data) -> None:
    cfg = _cfg(tmp_path / "run", optim={"epochs": 4, "warmup_steps": 1, "lr": 5e-3})
    result = Trainer(cfg, tiny_data, progress_bar=False).fit()
    assert result.steps == 16
    rows = list(csv.DictReader((tmp_path / "run" / "train.csv").open()))
    first = sum(float(r["task"]) for r in rows[:3]) / 3
    last = sum(float(r["task"]) for r in rows[-3:]) / 3
    assert last < first
    for name in ("val.csv", "train_curves.png", "model.pt", "last.pt"):
        assert (tmp_path / "run" / name).exists()
    assert any(p.name.startswith("events") for p in (tmp_path / "run" / "tensorboard").iterdir())
    model = load_checkpoint(result.model_path)
    assert model(torch.zeros(1, 1, 112, 112))[0].shape == (1, 54, 2)


def test_resume_gives_identical_state(tmp_path, tiny_data) -> None:
    over = {"losses": {"fd": 1.0, "ld": 0.5}, "decay": {"kind": "cosine"}}
    teacher_cfg = _cfg(tmp_path / "teacher", optim={"epochs": 1})
    teacher = Trainer(teacher_cfg, tiny_data, progress_bar=False).fit().model_path
    full = Trainer(_cfg(tmp_path / "full", teacher=str(teacher), **over), tiny_data, progress_bar=False)
    full.fit()
    part = Trainer(_cfg(tmp_path / "part", teacher=str(teacher), **over), tiny_data, progress_bar=False)
    part.fit(stop_after=5)  # mid-epoch (4 steps per epoch); last checkpoint at step 4 + epoch end
    part.save()
    resumed = Trainer(_cfg(tmp_path / "part", teacher=str(teacher), **over), tiny_data, progress_bar=False)
    assert resumed.step == 5
    resumed.fit()
    a, b = full.objective.trainable_state(), resumed.objective.trainable_state()
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
    rows = list(csv.DictReader((tmp_path / "part" / "train.csv").open()))
    assert [int(r["step"]) for r in rows] == list(range(1, 13))


def test_domain_adaptation_and_ckd_masking_run(tmp_path, tiny_data) -> None:
    cfg = _cfg(tmp_path / "da", losses={"da_style": 0.1}, optim={"epochs": 1, "max_steps": 2},
               data={"batch_size": 4, "real_sources": ["fake"], "real_batch_size": 2,
                     "augment": {"mask": 0.25}})
    Trainer(cfg, tiny_data, progress_bar=False).fit()
    rows = list(csv.DictReader((tmp_path / "da" / "train.csv").open()))
    assert len(rows) == 2 and float(rows[0]["da_style"]) > 0


def test_ckd_masking_stays_on_the_batch_device() -> None:
    """The mask is drawn where the batch lives (a CPU mask broke CKD training on CUDA)."""
    masked = mask_input(torch.ones(2, 1, 4 * MASK_PATCH, 4 * MASK_PATCH, device="meta"), 0.25)
    assert masked.device.type == "meta" and masked.shape == (2, 1, 4 * MASK_PATCH, 4 * MASK_PATCH)
