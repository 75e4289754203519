"""`thermal-fld demo`: the lifecycle node on a synthetic thermal stream, end to end over DDS."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

#: Share of frames that must come back from the node for the demo to count as working.
MIN_ANSWERED = 0.8


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("demo_output"), help="output folder")
    parser.add_argument("--frames", type=int, default=90, help="frames in the synthetic clip")
    parser.add_argument("--rate", type=float, default=10.0, help="camera frame rate (Hz)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", default="auto", choices=("auto", "tensorrt", "onnxruntime"))


def run(args: argparse.Namespace) -> int:
    from thermal_fld_ros.ros.demo import run_demo  # rclpy only for this subcommand

    summary = run_demo(args.out, args.frames, args.rate, args.seed, args.backend)
    width = max(len(k) for k in asdict(summary))
    for key, value in asdict(summary).items():
        text = f"{value:.4f}" if isinstance(value, float) else value
        if isinstance(value, list):
            text = f"{len(value)} values in {args.out / 'summary.json'}"
        print(f"{key:<{width}}  {text}")
    if summary.frames_answered < MIN_ANSWERED * summary.frames_sent:
        print(f"demo FAILED: the node answered {summary.frames_answered}/{summary.frames_sent} frames")
        return 1
    return 0
