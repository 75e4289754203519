"""Run logs: CSV (appendable across resumes), TensorBoard and loss-curve PNGs; rank 0 only."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from thermal_fld_ros.training.plots import plot_curves


class RunLogger:
    """train.csv / val.csv rows + TensorBoard scalars under ``run_dir``."""

    def __init__(self, run_dir: Path, enabled: bool = True) -> None:
        self.run_dir = run_dir
        self.enabled = enabled
        self._tb = None
        if enabled:
            from torch.utils.tensorboard import SummaryWriter

            self._tb = SummaryWriter(str(run_dir / "tensorboard"))

    def log(self, kind: str, step: int, values: dict[str, float]) -> None:
        if not self.enabled:
            return
        path = self.run_dir / f"{kind}.csv"
        row = {"step": step, **values}
        existing = None
        if path.exists():
            with path.open() as f:
                existing = next(csv.reader(f), None)
        with path.open("a", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=existing or list(row), extrasaction="ignore")
            if existing is None:
                writer.writeheader()
            writer.writerow(row)
        for key, value in values.items():
            self._tb.add_scalar(f"{kind}/{key}", value, step)

    def truncate(self, kind: str, last_step: int) -> None:
        """Drop rows after ``last_step`` (written after the checkpoint a resume starts from)."""
        path = self.run_dir / f"{kind}.csv"
        if not self.enabled or not path.exists():
            return
        with path.open() as f:
            rows = list(csv.reader(f))
        keep = [rows[0]] + [r for r in rows[1:] if int(float(r[0])) <= last_step]
        with path.open("w", newline="") as f:
            csv.writer(f).writerows(keep)

    def plot(self, title: str) -> None:
        if not self.enabled:
            return
        for kind in ("train", "val"):
            path = self.run_dir / f"{kind}.csv"
            if not path.exists():
                continue
            with path.open() as f:
                rows = list(csv.DictReader(f))
            if not rows:
                continue
            steps = np.array([float(r["step"]) for r in rows])
            curves = {k: (steps, np.array([float(r[k]) for r in rows])) for k in rows[0]
                      if k not in ("step", "epoch", "lr", "kd_weight", "seconds")}
            plot_curves(curves, self.run_dir / f"{kind}_curves.png", f"{title}: {kind} losses (log10)")

    def close(self) -> None:
        if self._tb is not None:
            self._tb.close()
