"""``thermal-fld ablation``: train and test every run of config/ablation.yaml, print the table."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from thermal_fld_ros.resources import config_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default=None, help="ablation YAML (default: config/ablation.yaml)")
    parser.add_argument("--only", nargs="*", help="train only these runs (all listed runs are evaluated)")
    parser.add_argument("--evaluate-only", action="store_true", help="skip training, test existing runs")
    parser.add_argument("--threads", type=int, help="torch threads per run (overrides the configs; 1 is "
                                                     "fastest on a busy machine)")
    parser.add_argument("--no-progress", action="store_true")


def run(args: argparse.Namespace) -> int:
    from thermal_fld_ros.training.ablation import run_ablation

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    path = Path(args.config) if args.config else config_dir() / "ablation.yaml"
    print(run_ablation(path, args.only, args.evaluate_only, not args.no_progress, args.threads))
    return 0
