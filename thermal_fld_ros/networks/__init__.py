"""Landmark networks, their registry and checkpoint I/O.

Checkpoint format (a plain dict, loadable with ``torch.load(weights_only=True)``):
``{"arch": str, "arch_kwargs": dict, "in_channels": int, "input_size": int, "state_dict": ...}``
plus optional training state (optimiser, step, ...) that ``load_checkpoint`` ignores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from thermal_fld_ros.networks.base import LandmarkNet
from thermal_fld_ros.networks.student import StudentNet
from thermal_fld_ros.networks.teacher import TeacherNet
from thermal_fld_ros.preprocess import LANDMARK_INPUT_SIZE

ARCHITECTURES: dict[str, type[LandmarkNet]] = {"teacher": TeacherNet, "student": StudentNet}


def build_network(arch: str, in_channels: int, **arch_kwargs: Any) -> LandmarkNet:
    if arch not in ARCHITECTURES:
        raise KeyError(f"unknown architecture {arch!r}; known: {sorted(ARCHITECTURES)}")
    return ARCHITECTURES[arch](in_channels=in_channels, **_tuples(arch_kwargs))


def _tuples(kwargs: dict[str, Any]) -> dict[str, Any]:
    """YAML/checkpoints store tuples as lists; constructors take tuples."""
    return {k: tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v
            for k, v in kwargs.items()}


def checkpoint_dict(model: LandmarkNet, arch: str, arch_kwargs: dict[str, Any], in_channels: int,
                    **extra: Any) -> dict[str, Any]:
    """The checkpoint dict of ``model`` (weights only, plain types) plus ``extra`` entries."""
    return {"arch": arch, "arch_kwargs": plain_data(arch_kwargs), "in_channels": in_channels,
            "input_size": LANDMARK_INPUT_SIZE, "state_dict": model.state_dict(), **extra}


def plain_data(value: Any) -> Any:
    """Nested tuples as lists, so checkpoints and YAML cards hold only plain types."""
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    return value


def network_from_checkpoint(ckpt: dict[str, Any]) -> LandmarkNet:
    model = build_network(ckpt["arch"], ckpt["in_channels"], **ckpt.get("arch_kwargs", {}))
    model.load_state_dict(ckpt["state_dict"])
    return model.eval()


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> LandmarkNet:
    """The network stored at ``path`` in eval mode (``torch.load(weights_only=True)``)."""
    ckpt = torch.load(Path(path), map_location=map_location, weights_only=True)
    return network_from_checkpoint(ckpt).to(map_location)


__all__ = ["ARCHITECTURES", "LandmarkNet", "StudentNet", "TeacherNet", "build_network",
           "checkpoint_dict", "load_checkpoint", "network_from_checkpoint"]
