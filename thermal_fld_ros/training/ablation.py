"""The ablation behind the README table: train every listed run, then test them all on one split.

One YAML (config/ablation.yaml) lists runs as a base training config plus overrides. Runs train in
order (later runs use earlier runs' checkpoints: teacher -> KTL -> MCL), each resumes or is
skipped when already complete, and all share the loaded synthetic faces. Evaluation uses the
inference crop path (training/evaluation.py) and thermal_fld_ros.metrics on the synthetic test
split; the table, a CSV and the CED PNG of the student-level runs go to ``output``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from thermal_fld_ros import metrics
from thermal_fld_ros.networks import load_checkpoint
from thermal_fld_ros.networks.flops import count_macs, count_params
from thermal_fld_ros.resources import shared_data_dir
from thermal_fld_ros.training.config import TrainConfig, deep_merge, load_config
from thermal_fld_ros.training.data import ensure_synth_split, load_real_faces, load_synth_faces
from thermal_fld_ros.training.evaluation import predict_images, torch_predictor
from thermal_fld_ros.training.real_check import RealCheck, real_check
from thermal_fld_ros.training.trainer import BEST, TrainData, Trainer


@dataclass
class AblationRun:
    name: str
    config: str  # training YAML, relative to the ablation YAML
    level: str  # "teacher" (RGB), "ktl" (thermal, teacher size) or "student"
    description: str
    set: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    run: AblationRun
    params: int
    macs: int
    train_seconds: float
    summary: metrics.Summary
    nmes: np.ndarray
    real: RealCheck | None  # label-free checks on held-out real faces (thermal models)


def load_plan(path: Path) -> tuple[dict[str, Any], list[AblationRun]]:
    plan = yaml.safe_load(path.read_text())
    runs = [AblationRun(**r) for r in plan.pop("runs")]
    return plan, runs


def run_config(path: Path, plan: dict[str, Any], run: AblationRun,
               extra: dict[str, Any] | None = None) -> TrainConfig:
    """The run's base config with its own overrides, then ``extra`` (e.g. threads) on top."""
    overrides = deep_merge(deep_merge(run.set, extra or {}),
                           {"name": run.name, "run_dir": str(Path(plan["run_root"]) / run.name)})
    return load_config(path.parent / run.config, overrides)


def train_all(path: Path, only: list[str] | None = None, progress_bar: bool = True,
              threads: int | None = None) -> None:
    plan, runs = load_plan(path)
    shared: dict[str, Any] = {}
    for run in runs:
        if only and run.name not in only:
            continue
        cfg = run_config(path, plan, run, {"threads": threads} if threads else None)
        key = (cfg.data.synth, cfg.data.train_count)
        if shared.get("key") != key:
            shared.update(key=key, train=load_synth_faces(cfg.data.synth, "train", cfg.data.train_count),
                          val=load_synth_faces(cfg.data.synth, "val"))
        real_key = tuple(cfg.data.real_sources)
        if real_key and shared.get("real_key") != real_key:
            shared.update(real_key=real_key, real=load_real_faces(real_key))
        data = TrainData(shared["train"], shared["val"], shared["real"] if real_key else [])
        Trainer(cfg, data, progress_bar=progress_bar).fit()


def evaluate_all(path: Path, split: str = "test") -> list[Row]:
    from thermal_fld_ros.data.synth import dataset as synth

    plan, runs = load_plan(path)
    # The label-free real-frame check needs the shared real frames; without them it is left out.
    real_faces = load_real_faces(("tufts", "terravic"), holdout=True) if shared_data_dir() else []
    rows = []
    for run in runs:
        cfg = run_config(path, plan, run)
        model_path = Path(cfg.run_dir) / BEST
        if not model_path.exists():
            continue
        model = load_checkpoint(model_path)
        channels = model.stem_in_channels()
        images = synth.read_dataset(ensure_synth_split(cfg.data.synth, split))
        predictor = torch_predictor(model)
        preds = predict_images(predictor, images, rgb=channels == 3)
        nmes = metrics.nme(preds.pred, preds.gt)
        last = _last_state(Path(cfg.run_dir))
        real = real_check(predictor, real_faces) if channels == 1 and real_faces else None
        rows.append(Row(run, count_params(model), count_macs(model, channels), float(last.get("seconds", 0.0)),
                        metrics.summarise(nmes), nmes, real))
    return rows


def _last_state(run_dir: Path) -> dict[str, Any]:
    import torch

    path = run_dir / "last.pt"
    if not path.exists():
        return {}
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    return {"seconds": ckpt.get("seconds", 0.0), "step": ckpt.get("step", 0)}


def format_table(rows: list[Row], eval_seconds: float, split_note: str) -> str:
    train_min = sum(r.train_seconds for r in rows) / 60
    lines = [f"SYNTHETIC test split ({split_note}); NME by outer-eye distance over all 54 points, "
             f"ground-truth box crops. Time: {train_min:.1f} min training (sum of the runs) + "
             f"{eval_seconds / 60:.1f} min evaluation on a shared 2-core CPU (train s includes contention).", "",
             "| run | level | method | params | MMAC | NME % | FR@0.10 % | AUC@0.10 | real conf. | "
             "real flip err % | train s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        s = r.summary
        real = (f"{r.real.mean_score:.3f} | {r.real.flip_error_pct:.2f}" if r.real else "- | -")
        lines.append(f"| {r.run.name} | {r.run.level} | {r.run.description} | {r.params / 1e6:.2f}M | "
                     f"{r.macs / 1e6:.0f} | {100 * s.nme:.2f} | {100 * s.failure_rate:.2f} | {s.auc:.4f} | "
                     f"{real} | {r.train_seconds:.0f} |")
    real_faces = next((r.real.faces for r in rows if r.real), 0)
    lines += ["", "real conf. / real flip err: label-free checks on held-out real Tufts + Terravic faces "
              f"({real_faces} faces, never trained on): mean "
              "predicted confidence, and distance between the prediction and the un-mirrored prediction "
              "of the mirrored crop (% of crop side; lower = more consistent)."]
    return "\n".join(lines)


def write_outputs(rows: list[Row], output: Path, eval_seconds: float, split_note: str) -> str:
    output.mkdir(parents=True, exist_ok=True)
    table = format_table(rows, eval_seconds, split_note)
    (output / "ablation.md").write_text(table + "\n")
    (output / "ablation.json").write_text(json.dumps(
        [{"run": r.run.name, "level": r.run.level, "method": r.run.description, "params": r.params,
          "macs": r.macs, "train_seconds": r.train_seconds, "nme": r.summary.nme,
          "fr": r.summary.failure_rate, "auc": r.summary.auc, "faces": r.summary.faces,
          "real_mean_score": r.real.mean_score if r.real else None,
          "real_flip_error_pct": r.real.flip_error_pct if r.real else None} for r in rows], indent=1))
    students = {r.run.name: r.nmes for r in rows if r.run.level == "student"}
    if students:
        metrics.write_ced_png(output / "ced_students.png", students)
    return table


def run_ablation(path: Path, only: list[str] | None = None, evaluate_only: bool = False,
                 progress_bar: bool = True, threads: int | None = None) -> str:
    if not evaluate_only:
        train_all(path, only, progress_bar, threads)
    start = time.time()
    rows = evaluate_all(path)
    plan, _ = load_plan(path)
    cfg = load_config(path.parent / plan["split_from"])
    seed, count = cfg.data.synth.test
    note = f"generator seed {seed}, {count} faces, not seen in training"
    return write_outputs(rows, Path(plan["output"]), time.time() - start, note)
