"""TensorRT engine cache: which serialized engine belongs to which (TensorRT, GPU, model, precision).

Engines are only valid for the exact TensorRT version and GPU they were built on, and building
takes minutes on a Jetson, so they are cached on disk under a key of everything that changes the
engine. Kept free of TensorRT imports so the rebuild rules are unit-tested on machines without it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, TypeVar

LOG = logging.getLogger(__name__)
Engine = TypeVar("Engine")
#: Hex digits of the key hash in engine file names (collisions are checked against the sidecar).
KEY_DIGITS = 16


@dataclass(frozen=True)
class EngineKey:
    """Everything that makes a serialized engine valid or not."""

    tensorrt_version: str
    gpu_name: str
    compute_capability: str  # "8.7"
    onnx_sha256: str
    precision: str  # "fp16" | "int8" | "fp32"
    max_batch: int

    def digest(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:KEY_DIGITS]


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class CachedEngine:
    """Paths of one cache entry: the engine bytes and a JSON sidecar (key + engine checksum)."""

    engine_path: Path
    meta_path: Path


class EngineCache:
    """A folder of ``<model>.<key digest>.engine`` files with ``.json`` sidecars.

    ``load_or_build`` reuses an entry only when the sidecar holds the same key and the engine
    bytes still match their checksum and deserialize; anything else (key change, truncated or
    corrupt file, failed deserialization) rebuilds and replaces the entry.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def entry(self, model_stem: str, key: EngineKey) -> CachedEngine:
        base = self.folder / f"{model_stem}.{key.precision}.{key.digest()}"
        return CachedEngine(base.with_suffix(".engine"), base.with_suffix(".json"))

    def timing_cache_path(self, key: EngineKey) -> Path:
        """One timing cache per TensorRT version and GPU: it speeds up every model's build."""
        tag = hashlib.sha256(f"{key.tensorrt_version}|{key.gpu_name}|{key.compute_capability}"
                             .encode()).hexdigest()[:KEY_DIGITS]
        return self.folder / f"timing.{tag}.cache"

    def read_valid(self, entry: CachedEngine, key: EngineKey) -> bytes | None:
        """The cached engine bytes when the entry matches ``key`` and is intact, else None."""
        try:
            meta = json.loads(entry.meta_path.read_text())
            blob = entry.engine_path.read_bytes()
        except (OSError, ValueError) as exc:
            LOG.info("no usable cached engine at %s (%s)", entry.engine_path, exc)
            return None
        if meta.get("key") != asdict(key):
            LOG.info("cached engine %s was built for another key; rebuilding", entry.engine_path)
            return None
        if meta.get("engine_sha256") != hashlib.sha256(blob).hexdigest():
            LOG.warning("cached engine %s is corrupt (checksum); rebuilding", entry.engine_path)
            return None
        return blob

    def write(self, entry: CachedEngine, key: EngineKey, blob: bytes) -> None:
        """Write engine then sidecar, each atomically, so a crash never leaves a valid-looking
        sidecar next to a half-written engine."""
        self.folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(entry.engine_path, blob)
        meta = {"key": asdict(key), "engine_sha256": hashlib.sha256(blob).hexdigest()}
        _atomic_write(entry.meta_path, json.dumps(meta, indent=1).encode())

    def load_or_build(self, model_stem: str, key: EngineKey, build: Callable[[], bytes],
                      deserialize: Callable[[bytes], Engine | None]) -> tuple[Engine, bool]:
        """(engine, rebuilt): the cached engine if valid, else ``build()`` and cache it."""
        entry = self.entry(model_stem, key)
        blob = self.read_valid(entry, key)
        if blob is not None:
            engine = _try_deserialize(deserialize, blob)
            if engine is not None:
                return engine, False
            LOG.warning("cached engine %s does not deserialize; rebuilding", entry.engine_path)
        blob = build()
        engine = _try_deserialize(deserialize, blob)
        if engine is None:
            raise RuntimeError(f"a freshly built engine for {model_stem} does not deserialize")
        self.write(entry, key, blob)
        return engine, True


def _try_deserialize(deserialize: Callable[[bytes], Engine | None], blob: bytes) -> Engine | None:
    try:
        return deserialize(blob)
    except Exception as exc:  # TensorRT raises assorted errors for foreign or damaged engines
        LOG.warning("engine deserialization failed: %s", exc)
        return None


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
