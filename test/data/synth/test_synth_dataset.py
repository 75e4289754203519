"""write_dataset / read_dataset: the documented layout, read back exactly; parallel = serial."""

import json
from itertools import islice

import numpy as np

from thermal_fld_ros.data.synth import (SynthConfig, dataset_config, parallel_stream, read_dataset,
                                        sample, write_dataset)


def _same(a, b):
    np.testing.assert_array_equal(a.image, b.image)
    np.testing.assert_array_equal(a.rgb, b.rgb)
    assert len(a.faces) == len(b.faces)
    for fa, fb in zip(a.faces, b.faces):
        np.testing.assert_array_equal(fa.box, fb.box)
        np.testing.assert_array_equal(fa.landmarks, fb.landmarks)
        np.testing.assert_array_equal(fa.visible, fb.visible)
        assert fa.attributes == fb.attributes


def test_round_trip_is_exact(tmp_path):
    out = write_dataset(tmp_path / "ds", 3, seed=5, kind="face", workers=1)
    meta = json.loads((out / "meta.json").read_text())
    assert meta["count"] == 3 and meta["seed"] == 5 and meta["kind"] == "face"
    assert sorted(p.name for p in (out / "thermal").iterdir()) == [f"00000{i}.npy" for i in range(3)]
    assert dataset_config(out) == SynthConfig()
    back = list(read_dataset(out))
    assert len(back) == 3
    for i, item in enumerate(back):
        _same(item, sample(5, i, "face"))


def test_scene_datasets_use_the_same_layout(tmp_path):
    out = write_dataset(tmp_path / "sc", 2, seed=1, kind="scene", workers=1)
    for i, item in enumerate(read_dataset(out)):
        _same(item, sample(1, i, "scene"))


def test_parallel_writing_and_streaming_match_serial(tmp_path):
    out = write_dataset(tmp_path / "par", 4, seed=2, workers=2)
    for i, item in enumerate(read_dataset(out)):
        _same(item, sample(2, i, "face"))
    for i, item in enumerate(islice(parallel_stream(2, workers=2), 3)):
        _same(item, sample(2, i, "face"))
