"""``thermal-fld train {teacher,transfer,compress}``: one stage of MLCM-KD (or a baseline) from YAML.

Multi-GPU / multi-node: ``torchrun --nproc_per_node N -m thermal_fld_ros.cli train ...``.
A run resumes from ``<run_dir>/last.pt`` when it exists (delete the folder to start over).
"""

from __future__ import annotations

import argparse
import logging

import yaml

from thermal_fld_ros.resources import config_dir
from thermal_fld_ros.training.config import STAGES, load_config


def parse_overrides(items: list[str]) -> dict:
    """``a.b=value`` strings -> nested dict; values parsed as YAML (numbers, lists, null)."""
    out: dict = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--set expects key=value, got {item!r}")
        node = out
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = yaml.safe_load(value)
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("--config", help="YAML config (default: config/train_<stage>.yaml)")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                        help="override config values, e.g. optim.epochs=3 losses.fd=0")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from thermal_fld_ros.training.trainer import train

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    path = args.config or config_dir() / f"train_{args.stage}.yaml"
    overrides = parse_overrides(args.set)
    overrides["stage"] = args.stage
    cfg = load_config(path, overrides)
    result = train(cfg, progress_bar=not args.no_progress)
    print(f"{cfg.name}: {result.steps} steps in {result.seconds:.0f} s, best val L1 "
          f"{result.best_val_l1:.4f}, model {result.model_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry for ``torchrun -m thermal_fld_ros.cli.train STAGE ...`` (torchrun needs a module)."""
    parser = argparse.ArgumentParser(prog="thermal-fld train")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
