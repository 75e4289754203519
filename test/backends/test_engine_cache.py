"""TensorRT engine cache rules, without TensorRT: a fake builder and deserializer are injected.

Same key -> reuse; key change (TensorRT, GPU, ONNX, precision, batch) -> rebuild; corrupt or
undeserializable file -> rebuild and replace.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from thermal_fld_ros.backends.engine_cache import EngineCache, EngineKey
from thermal_fld_ros.backends.tensorrt_backend import engine_key

KEY = EngineKey(tensorrt_version="10.3.0", gpu_name="Orin", compute_capability="8.7",
                onnx_sha256="ab" * 32, precision="fp16", max_batch=8)


class FakeBuilder:
    """Counts builds; engines are bytes tagged with the build number."""

    def __init__(self) -> None:
        self.builds = 0

    def __call__(self) -> bytes:
        self.builds += 1
        return b"ENGINE" + str(self.builds).encode()


def fake_deserialize(blob: bytes) -> str | None:
    return blob.decode() if blob.startswith(b"ENGINE") else None


def test_first_use_builds_then_same_key_reuses(tmp_path: Path):
    cache, build = EngineCache(tmp_path), FakeBuilder()
    first, rebuilt = cache.load_or_build("student", KEY, build, fake_deserialize)
    assert (first, rebuilt, build.builds) == ("ENGINE1", True, 1)
    second, rebuilt = cache.load_or_build("student", KEY, build, fake_deserialize)
    assert (second, rebuilt, build.builds) == ("ENGINE1", False, 1)


@pytest.mark.parametrize("field, value", [("tensorrt_version", "10.4.0"), ("gpu_name", "RTX 4090"),
                                          ("compute_capability", "8.9"), ("onnx_sha256", "cd" * 32),
                                          ("precision", "int8"), ("max_batch", 4)])
def test_any_key_change_rebuilds(tmp_path: Path, field: str, value):
    cache, build = EngineCache(tmp_path), FakeBuilder()
    cache.load_or_build("student", KEY, build, fake_deserialize)
    changed = dataclasses.replace(KEY, **{field: value})
    engine, rebuilt = cache.load_or_build("student", changed, build, fake_deserialize)
    assert rebuilt and build.builds == 2 and engine == "ENGINE2"


def test_sidecar_of_another_key_under_the_same_name_is_not_trusted(tmp_path: Path):
    cache, build = EngineCache(tmp_path), FakeBuilder()
    cache.load_or_build("student", KEY, build, fake_deserialize)
    other = dataclasses.replace(KEY, gpu_name="other")
    entry = cache.entry("student", KEY)
    cache.write(entry, other, b"ENGINE-foreign")  # e.g. a copied cache folder with a stale sidecar
    _, rebuilt = cache.load_or_build("student", KEY, build, fake_deserialize)
    assert rebuilt


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete_engine", "garbage_sidecar"])
def test_corrupt_entry_rebuilds_and_is_replaced(tmp_path: Path, damage: str):
    cache, build = EngineCache(tmp_path), FakeBuilder()
    cache.load_or_build("student", KEY, build, fake_deserialize)
    entry = cache.entry("student", KEY)
    if damage == "truncate":
        entry.engine_path.write_bytes(entry.engine_path.read_bytes()[:3])
    elif damage == "flip":
        entry.engine_path.write_bytes(b"X" + entry.engine_path.read_bytes()[1:])
    elif damage == "delete_engine":
        entry.engine_path.unlink()
    else:
        entry.meta_path.write_text("{not json")
    engine, rebuilt = cache.load_or_build("student", KEY, build, fake_deserialize)
    assert rebuilt and engine == "ENGINE2"
    assert cache.load_or_build("student", KEY, build, fake_deserialize) == ("ENGINE2", False)


def test_engine_that_no_longer_deserializes_is_rebuilt(tmp_path: Path):
    """Checksum intact but TensorRT refuses it (e.g. a driver update): rebuild."""
    cache, build = EngineCache(tmp_path), FakeBuilder()
    cache.load_or_build("student", KEY, build, fake_deserialize)

    def refuse_old(blob: bytes) -> str | None:
        if blob == b"ENGINE1":
            raise RuntimeError("Serialization assertion failed")
        return fake_deserialize(blob)

    engine, rebuilt = cache.load_or_build("student", KEY, build, refuse_old)
    assert (engine, rebuilt) == ("ENGINE2", True)


def test_build_that_does_not_deserialize_raises_and_caches_nothing(tmp_path: Path):
    cache = EngineCache(tmp_path)
    with pytest.raises(RuntimeError, match="does not deserialize"):
        cache.load_or_build("student", KEY, lambda: b"broken", fake_deserialize)
    assert not cache.entry("student", KEY).meta_path.exists()


def test_engine_key_hashes_the_onnx_file_and_takes_gpu_identity(tmp_path: Path):
    model = tmp_path / "m.onnx"
    model.write_bytes(b"model-v1")
    key1 = engine_key(model, "fp16", 8, identity=lambda: ("Orin", "8.7"), tensorrt_version="10.3")
    model.write_bytes(b"model-v2")
    key2 = engine_key(model, "fp16", 8, identity=lambda: ("Orin", "8.7"), tensorrt_version="10.3")
    assert key1.onnx_sha256 != key2.onnx_sha256 and key1.digest() != key2.digest()
    assert (key1.gpu_name, key1.compute_capability) == ("Orin", "8.7")
    with pytest.raises(ValueError, match="precision"):
        engine_key(model, "int4", 8, identity=lambda: ("Orin", "8.7"), tensorrt_version="10.3")


def test_timing_cache_is_shared_across_models_but_not_gpus(tmp_path: Path):
    cache = EngineCache(tmp_path)
    other_model = dataclasses.replace(KEY, onnx_sha256="ff" * 32, precision="int8")
    other_gpu = dataclasses.replace(KEY, gpu_name="RTX 4090")
    assert cache.timing_cache_path(KEY) == cache.timing_cache_path(other_model)
    assert cache.timing_cache_path(KEY) != cache.timing_cache_path(other_gpu)
