"""Writing synthetic samples to disk, reading them back, and generating them on several cores.

Layout of a dataset directory (one layout for both kinds)::

    DIR/meta.json          {"format": "thermal_fld_ros.synth", "generator_version",
                            "kind": "face"|"scene", "seed", "count",
                            "config": SynthConfig as a dict, "encodings": {...}}
    DIR/annotations.jsonl  one JSON object per sample, in index order:
                            {"index", "thermal": "thermal/000000.npy",
                             "rgb": "rgb/000000.png" | null, "width", "height",
                             "radiometric": true, "source",
                             "faces": [{"box": [x1, y1, x2, y2], "landmarks": [[x, y] x 54],
                                        "visible": [bool x 54], "attributes": {...}}]}
    DIR/thermal/NNNNNN.npy float32 (H, W) degrees C after the sensor model
    DIR/rgb/NNNNNN.png     8-bit RGB pair (same pixels and landmarks), absent with config.rgb False

Coordinates are pixels, pixel centres at integer positions. ``visible`` is False for points the
head hides from itself (far jaw at large yaw); ``attributes["occluded"]`` lists the visible points
covered by something else (glasses, mask, hat, hair, a hand, another person). Sample i depends only
on (seed, i), so any subset can be regenerated and parallel writing gives the same files.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from ..records import Face, LabelledImage
from .config import SynthConfig
from .generator import GENERATOR_VERSION, sample
from .sensor import CENTIKELVIN_OFFSET_C, RAW_OFFSET_C, RAW_SCALE_C

FORMAT = "thermal_fld_ros.synth"
#: Samples a worker generates per task: large enough to hide inter-process overhead.
CHUNK = 8


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _json_value(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value)}")


def _face_to_json(face: Face) -> dict:
    return {
        "box": [float(x) for x in face.box],
        "landmarks": None if face.landmarks is None else face.landmarks.astype(float).tolist(),
        "visible": None if face.visible is None else [bool(x) for x in face.visible],
        "attributes": face.attributes,
    }


def _face_from_json(data: dict) -> Face:
    return Face(
        box=np.asarray(data["box"], np.float32),
        landmarks=None if data["landmarks"] is None else np.asarray(data["landmarks"], np.float32),
        visible=None if data["visible"] is None else np.asarray(data["visible"], bool),
        attributes=data["attributes"],
    )


def _write_one(job: tuple[str, int, int, str, SynthConfig | None]) -> str:
    """Generate sample ``index`` and write its files; returns its annotation line."""
    out, seed, index, kind, config = job
    item = sample(seed, index, kind, config)
    name = f"{index:06d}"
    np.save(Path(out) / "thermal" / f"{name}.npy", item.image.astype(np.float32))
    rgb_rel = None
    if item.rgb is not None:
        rgb_rel = f"rgb/{name}.png"
        cv2.imwrite(str(Path(out) / rgb_rel), item.rgb[..., ::-1])
    record = {
        "index": index, "thermal": f"thermal/{name}.npy", "rgb": rgb_rel,
        "width": int(item.image.shape[1]), "height": int(item.image.shape[0]),
        "radiometric": item.radiometric, "source": item.source,
        "faces": [_face_to_json(f) for f in item.faces],
    }
    return json.dumps(record, default=_json_value)


def _init_worker() -> None:
    """One thread per worker process: the processes already fill the cores."""
    cv2.setNumThreads(1)


def _pool(workers: int):
    return multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker)


def write_dataset(out_dir, count: int, seed: int, kind: str = "face",
                  config: SynthConfig | None = None, workers: int | None = None,
                  progress=None) -> Path:
    """Write ``count`` samples of ``kind`` to ``out_dir`` (see the module docstring for the layout).

    ``progress``: optional callable taking the number of samples written so far.
    """
    out = Path(out_dir)
    (out / "thermal").mkdir(parents=True, exist_ok=True)
    if config is None or config.rgb:
        (out / "rgb").mkdir(exist_ok=True)
    workers = workers or default_workers()
    meta = {
        "format": FORMAT, "generator_version": GENERATOR_VERSION, "kind": kind, "seed": seed,
        "count": count, "config": (config or SynthConfig()).to_dict(),
        "encodings": {"thermal": "float32 degrees C (.npy)",
                      "raw_u16": f"C = raw * {RAW_SCALE_C} + {RAW_OFFSET_C}",
                      "centikelvin_u16": f"C = raw / 100 + {CENTIKELVIN_OFFSET_C}"},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1))
    jobs = [(str(out), seed, i, kind, config) for i in range(count)]
    with open(out / "annotations.jsonl", "w") as ann:
        if workers == 1:
            lines = map(_write_one, jobs)
            _write_lines(ann, lines, progress)
        else:
            with _pool(workers) as pool:
                _write_lines(ann, pool.imap(_write_one, jobs, chunksize=CHUNK), progress)
    return out


def _write_lines(ann, lines, progress) -> None:
    for done, line in enumerate(lines, 1):
        ann.write(line + "\n")
        if progress is not None:
            progress(done)


def read_dataset(path) -> Iterator[LabelledImage]:
    """The samples of a dataset written by write_dataset, in index order, exactly as written."""
    root = Path(path)
    with open(root / "annotations.jsonl") as ann:
        for line in ann:
            record = json.loads(line)
            rgb = None
            if record["rgb"]:
                rgb = cv2.imread(str(root / record["rgb"]), cv2.IMREAD_COLOR)[..., ::-1].copy()
            yield LabelledImage(
                image=np.load(root / record["thermal"]),
                faces=[_face_from_json(f) for f in record["faces"]],
                radiometric=record["radiometric"], rgb=rgb, source=record["source"],
            )


def dataset_config(path) -> SynthConfig:
    """The SynthConfig a dataset was written with (from its meta.json), to extend or rebuild it."""
    meta = json.loads((Path(path) / "meta.json").read_text())
    return SynthConfig.from_dict(meta["config"])


def _sample_chunk(job: tuple[int, int, str, SynthConfig | None]) -> list[LabelledImage]:
    seed, start, kind, config = job
    return [sample(seed, i, kind, config) for i in range(start, start + CHUNK)]


def parallel_stream(seed: int, kind: str = "face", config: SynthConfig | None = None,
                    workers: int | None = None) -> Iterator[LabelledImage]:
    """Endless samples identical to ``stream(seed, kind, config)``, generated on several cores.

    At most two chunks per worker are in flight, so a slow consumer does not pile up memory.
    """
    workers = workers or default_workers()
    pending: deque = deque()
    start = 0
    with _pool(workers) as pool:
        while True:
            while len(pending) < 2 * workers:
                pending.append(pool.apply_async(_sample_chunk, ((seed, start, kind, config),)))
                start += CHUNK
            yield from pending.popleft().get()
