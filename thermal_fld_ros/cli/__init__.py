"""``thermal-fld``: one command, many subcommands, each in its own module imported on demand.

Lazy dispatch keeps ``thermal-fld detect`` on a robot from importing torch, and keeps every
subcommand's options next to its code. A subcommand module defines
``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: subcommand -> (module under thermal_fld_ros.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "synth": ("synth", "write a synthetic paired thermal/RGB face dataset or a contact sheet"),
    "train": ("train", "train a stage of MLCM-KD: teacher, transfer (KTL) or compress (MCL)"),
    "eval": ("evaluate", "landmark accuracy (NME, FR, AUC, CED) of a model on a dataset"),
    "eval-tracking": ("eval_tracking", "faces found and false faces of the tracking pipeline on synthetic clips"),
    "export": ("export", "export a checkpoint to ONNX"),
    "ablation": ("ablation", "train and test the MLCM-KD ablation runs, print the table"),
    "detect": ("detect", "faces and landmarks for images, arrays, folders and videos"),
    "bench": ("bench", "latency, size and memory of every backend and of peer tools"),
    "build-engine": ("build_engine", "pre-build the TensorRT engine on this machine"),
    "demo": ("demo", "the end-to-end demo run by `make demo`"),
}


def _usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()]
    return "usage: thermal-fld COMMAND [options]\n\ncommands:\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(_usage())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"thermal-fld: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, text = COMMANDS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    parser = argparse.ArgumentParser(prog=f"thermal-fld {name}", description=text)
    module.add_arguments(parser)
    return int(module.run(parser.parse_args(rest)) or 0)
