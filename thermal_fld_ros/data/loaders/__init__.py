"""Loaders for the public thermal face datasets users bring, behind one registry.

Every loader is ``load_x(root, split=None, **options) -> Iterator[LabelledImage]`` and yields
images lazily (a whole dataset does not fit in memory on a robot). A CLI names a dataset as
``NAME:PATH`` (``sftl54:/data/SF-TL54``) and passes the options it understands.
Malformed files raise AnnotationError naming the file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from thermal_fld_ros.data.loaders._common import AnnotationError
from thermal_fld_ros.data.loaders.charlotte import load_charlotte
from thermal_fld_ros.data.loaders.generic_csv import load_csv
from thermal_fld_ros.data.loaders.sftl54 import load_sftl54
from thermal_fld_ros.data.loaders.tfw import load_tfw
from thermal_fld_ros.data.loaders.yolo_pose import load_yolo_pose
from thermal_fld_ros.data.records import LabelledImage

Loader = Callable[..., Iterator[LabelledImage]]

LOADERS: dict[str, Loader] = {
    "sftl54": load_sftl54,
    "tfw": load_tfw,
    "charlotte": load_charlotte,
    "yolo_pose": load_yolo_pose,
    "csv": load_csv,
}

__all__ = ["LOADERS", "AnnotationError", "load", "parse_dataset_spec"]


def load(name: str, root: str | Path, split: str | None = None, **opts: Any) -> Iterator[LabelledImage]:
    """Images of dataset format ``name`` under ``root``; ``opts`` go to that format's loader."""
    if name not in LOADERS:
        raise ValueError(f"unknown dataset format {name!r}; known: {sorted(LOADERS)}")
    return LOADERS[name](root, split, **opts)


def parse_dataset_spec(spec: str) -> tuple[str, Path]:
    """``"sftl54:/path/to/SF-TL54"`` -> ("sftl54", Path("/path/to/SF-TL54"))."""
    name, sep, root = spec.partition(":")
    if not sep or not root:
        raise ValueError(f"dataset spec {spec!r} must be NAME:PATH with NAME one of {sorted(LOADERS)}")
    if name not in LOADERS:
        raise ValueError(f"unknown dataset format {name!r} in {spec!r}; known: {sorted(LOADERS)}")
    return name, Path(root)
