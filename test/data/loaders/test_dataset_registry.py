"""The loader registry: NAME:PATH specs and dispatch with options, as a CLI uses them."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from thermal_fld_ros.data.loaders import LOADERS, load, parse_dataset_spec


def test_every_documented_format_is_registered():
    assert set(LOADERS) == {"sftl54", "tfw", "charlotte", "yolo_pose", "csv"}


def test_spec_splits_name_and_path_and_rejects_unknown_names():
    assert parse_dataset_spec("sftl54:/data/SF-TL54") == ("sftl54", Path("/data/SF-TL54"))
    with pytest.raises(ValueError, match="unknown dataset format 'wider'"):
        parse_dataset_spec("wider:/x")
    with pytest.raises(ValueError, match="NAME:PATH"):
        parse_dataset_spec("/just/a/path")


def test_load_dispatches_split_and_options_to_the_loader(tmp_path):
    (tmp_path / "images" / "test").mkdir(parents=True)
    (tmp_path / "labels" / "test").mkdir(parents=True)
    cv2.imwrite(str(tmp_path / "images" / "test" / "a.png"), np.zeros((10, 10), np.uint8))
    (tmp_path / "labels" / "test" / "a.txt").write_text("0 0.5 0.5 0.5 0.5 0.5 0.5 1\n")
    name, root = parse_dataset_spec(f"yolo_pose:{tmp_path}")
    face = next(load(name, root, "test", binary_visibility=True)).faces[0]
    assert face.visible.tolist() == [True]
    with pytest.raises(ValueError, match="unknown dataset format"):
        load("nope", tmp_path)
