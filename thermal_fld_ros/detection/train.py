"""Train the face detector on synthetic multi-face scenes, adapt it to real sensors, export ONNX.

    tools/venv-run python -m thermal_fld_ros.detection.train --out runs/detector \
        --minutes 22 --export models/face_detector.onnx

Recipe (model card: models/face_detector.yaml):
- Every sample is a ``data.synth.generate_scene`` frame (a new scene for one crop in SCENE_REUSE)
  rendered through a random camera encoding (``to_encoding``: 8-bit AGC, palettes, radiometric)
  and decoded by ``frames`` exactly as at run time, so the detector sees what cameras publish.
- Geometry: random zoom (faces from ~8 px to the whole input), shift, horizontal flip; photometry:
  hot distractors (lamps, monitors), blur / low-resolution resampling, sensor noise.
- CenterNet losses: penalty-reduced focal loss on the centre heatmap, L1 on log box size and on
  the sub-cell offset.
- Real boxes: ``--real-boxes SHARE`` fills that share of every batch with boxed Tufts/Terravic
  frames of the training people (data.real.box_holdout keeps Tufts subjects 16-22 and Terravic
  face02 out for evaluation), degraded and cropped like the synthetic ones. Their curtains,
  clothing and outdoor clutter are the negatives the synthetic scenes lack.
- Real-sensor adaptation without labels (AdaBN): BatchNorm statistics are re-estimated on a mix of
  synthetic frames and unlabelled real frames (Tufts subjects > 22, PUJ/UND, IRIS, Lepton, testo),
  never on the boxed frames used for evaluation.
- Hardware: ``--workers`` DataLoader processes render the crops (each its own scenes and seed);
  the network trains on CUDA when there is a GPU, else on the CPU.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import time
from collections.abc import Sequence
from pathlib import Path
import cv2
import numpy as np
import torch
from torch.nn import functional as F

from thermal_fld_ros.detection.inputs import (INPUT_HEIGHT, INPUT_WIDTH, PAD_VALUE, SIZE_UNIT, STRIDE,
                                              letterbox, letterbox_geometry, normalise_frame)
from thermal_fld_ros.detection.model import FaceDetector, export_onnx
from thermal_fld_ros.frames import frame_from_array

LOG = logging.getLogger(__name__)
DETECTOR_KIND = "face_detector"
#: Camera encodings of the generator a training frame is rendered through, with their weights.
ENCODINGS = {"agc_u8": 0.45, "raw_u16": 0.15, "centikelvin_u16": 0.1, "celsius_f32": 0.1,
             "iron": 0.1, "rainbow": 0.1}
CROP_HEIGHT, CROP_WIDTH = INPUT_HEIGHT, INPUT_WIDTH  # whole inputs: full-frame faces must fit
ZOOM_RANGE = (0.6, 2.5)  # log-uniform zoom over the letterbox scale
POOL_CAPACITY, POOL_WARM = 1500, 48  # scenes over all workers
SCENE_REUSE = 3  # crops per rendered scene, on average
QUEUE_SIZE = 4  # batches each worker renders ahead
MIN_VISIBLE = 0.6  # share of a box that must stay inside the crop to count as a face
FOCAL_ALPHA, FOCAL_BETA = 2.0, 4.0
SIZE_WEIGHT, OFFSET_WEIGHT = 1.0, 1.0
#: Real sources whose frames are unlabelled here (the boxed Tufts/Terravic frames are held out).
ADAPT_SOURCES = ("tufts", "puj_und", "iris", "lepton", "testo")


def render(scene_c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A synthetic degrees-C frame as some camera would publish it, decoded to the nets' grey."""
    from thermal_fld_ros.data.synth import to_encoding

    weights = np.array(list(ENCODINGS.values()))
    data = to_encoding(scene_c, str(rng.choice(list(ENCODINGS), p=weights / weights.sum())), rng)
    return frame_from_array(data, "rgb8" if data.ndim == 3 else None).grey  # palettes come as RGB


def add_distractors(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Hot/cold rectangles and blobs (lamps, monitors, radiators, windows) that are not faces."""
    out = grey.copy()
    h, w = grey.shape
    lo, hi = np.percentile(grey[::4, ::4], (1, 99))
    for _ in range(rng.integers(0, 4)):
        level = hi + (hi - lo) * rng.uniform(0.0, 1.5) if rng.random() < 0.7 else lo - (hi - lo) * 0.3
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        rx, ry = int(rng.integers(3, w // 4 + 4)), int(rng.integers(3, h // 4 + 4))
        if rng.random() < 0.5:
            cv2.rectangle(out, (cx - rx, cy - ry), (cx + rx, cy + ry), float(level), -1)
        else:
            cv2.ellipse(out, (cx, cy), (rx, ry), float(rng.uniform(0, 180)), 0, 360, float(level), -1)
    return out


def degrade(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Low-resolution resampling, blur and noise, in the frame's own units."""
    h, w = grey.shape
    if rng.random() < 0.3:
        f = rng.uniform(0.25, 0.7)
        small = cv2.resize(grey, (max(8, int(w * f)), max(6, int(h * f))), interpolation=cv2.INTER_AREA)
        grey = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.3:
        grey = cv2.GaussianBlur(grey, (0, 0), rng.uniform(0.5, 1.5))
    spread = float(np.subtract(*np.percentile(grey[::4, ::4], (99, 1))))
    noise = rng.normal(0.0, rng.uniform(0.0, 0.03) * max(spread, 1e-3), grey.shape)
    return (grey + noise).astype(np.float32)


def sample(grey: np.ndarray, boxes: np.ndarray, rng: np.random.Generator,
           crop: tuple[int, int] = (CROP_HEIGHT, CROP_WIDTH)) -> tuple[np.ndarray, np.ndarray]:
    """One training crop (crop_h, crop_w) float32 and its face boxes in crop pixels."""
    h, w = grey.shape
    base = letterbox_geometry(w, h).scale
    zoom = base * math.exp(rng.uniform(*np.log(ZOOM_RANGE)))
    norm = normalise_frame(grey)
    flip = rng.random() < 0.5
    # Crop origin (in scaled frame pixels): near a random face half of the time.
    ch, cw = crop
    if len(boxes) and rng.random() < 0.5:
        b = boxes[rng.integers(len(boxes))] * zoom
        ox = (b[0] + b[2]) / 2 - rng.uniform(0.2, 0.8) * cw
        oy = (b[1] + b[3]) / 2 - rng.uniform(0.2, 0.8) * ch
    else:
        ox = rng.uniform(min(0.0, w * zoom - cw), max(0.0, w * zoom - cw))
        oy = rng.uniform(min(0.0, h * zoom - ch), max(0.0, h * zoom - ch))
    matrix = np.array([[zoom, 0.0, -ox], [0.0, zoom, -oy]], dtype=np.float64)
    if flip:
        matrix = np.array([[-1.0, 0.0, cw - 1.0], [0.0, 1.0, 0.0]]) @ np.vstack([matrix, [0, 0, 1]])
    out = cv2.warpAffine(norm, matrix, (cw, ch), flags=cv2.INTER_AREA if zoom < 1 else cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=PAD_VALUE)
    if not len(boxes):
        return out, np.zeros((0, 4), np.float32)
    corners = np.stack([boxes[:, [0, 1]], boxes[:, [2, 3]]], axis=1)  # (K, 2, 2)
    mapped = corners @ matrix[:, :2].T + matrix[:, 2]
    new = np.concatenate([mapped.min(axis=1), mapped.max(axis=1)], axis=1)
    clipped = np.clip(new, 0, [cw, ch, cw, ch])
    area = np.prod(new[:, 2:] - new[:, :2], axis=1)
    visible = np.prod(np.clip(clipped[:, 2:] - clipped[:, :2], 0, None), axis=1) / np.maximum(area, 1e-6)
    return out, new[visible >= MIN_VISIBLE].astype(np.float32)


def targets(boxes: np.ndarray, height: int, width: int) -> dict[str, np.ndarray]:
    """CenterNet targets on the stride-4 grid: gaussian heatmap, size/offset at centre cells."""
    gh, gw = height // STRIDE, width // STRIDE
    heat = np.zeros((gh, gw), np.float32)
    size = np.zeros((2, gh, gw), np.float32)
    offset = np.zeros((2, gh, gw), np.float32)
    mask = np.zeros((gh, gw), np.float32)
    ys, xs = np.mgrid[0:gh, 0:gw]
    for x1, y1, x2, y2 in boxes:
        bw, bh = x2 - x1, y2 - y1
        cx, cy = (x1 + x2) / 2 / STRIDE, (y1 + y2) / 2 / STRIDE
        ix, iy = int(cx), int(cy)
        if not (0 <= ix < gw and 0 <= iy < gh) or min(bw, bh) < 2:
            continue
        sigma = max(0.7, math.sqrt(bw * bh) / STRIDE / 6.0)
        heat = np.maximum(heat, np.exp(-((xs - ix) ** 2 + (ys - iy) ** 2) / (2 * sigma**2)))
        size[:, iy, ix] = np.log(np.array([bw, bh]) / SIZE_UNIT)
        offset[:, iy, ix] = (cx - ix, cy - iy)
        mask[iy, ix] = 1.0
    return {"heat": heat, "size": size, "offset": offset, "mask": mask}


def detector_loss(raw: torch.Tensor, target: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict[str, float]]:
    """Penalty-reduced focal loss (CenterNet) + masked L1 on log size and offset."""
    pred = torch.sigmoid(raw[:, 0]).clamp(1e-4, 1 - 1e-4)
    heat, mask = target["heat"], target["mask"]
    positive = heat.eq(1.0).float()
    pos_loss = -torch.log(pred) * (1 - pred) ** FOCAL_ALPHA * positive
    neg_loss = -torch.log(1 - pred) * pred**FOCAL_ALPHA * (1 - heat) ** FOCAL_BETA * (1 - positive)
    count = positive.sum().clamp(min=1.0)
    focal = (pos_loss.sum() + neg_loss.sum()) / count
    m = mask.unsqueeze(1)
    size = (F.l1_loss(raw[:, 1:3], target["size"], reduction="none") * m).sum() / count
    offset = (F.l1_loss(raw[:, 3:5], target["offset"], reduction="none") * m).sum() / count
    total = focal + SIZE_WEIGHT * size + OFFSET_WEIGHT * offset
    return total, {"focal": focal.item(), "size": size.item(), "offset": offset.item()}


class ScenePool:
    """Replay buffer of synthetic scenes, one per data worker.

    Why: a 3D-rendered scene costs ~0.2 s, one crop of it ~10 ms; drawing a new scene for one crop
    in SCENE_REUSE on average keeps rendering from bounding the training speed, and the buffer
    keeps the crops of one batch from sharing a scene.
    """

    def __init__(self, seed: int, capacity: int = POOL_CAPACITY, warm: int = POOL_WARM) -> None:
        from thermal_fld_ros.data.synth import SynthConfig

        self.rng, self.config = np.random.default_rng(seed), SynthConfig(rgb=False)
        self.capacity, self.warm, self.scenes = max(1, capacity), max(1, warm), []

    def _add_new(self) -> None:
        from thermal_fld_ros.data.synth import generate_scene

        scene = generate_scene(self.rng, self.config)
        item = (scene.image.astype(np.float16), np.array([f.box for f in scene.faces], np.float32).reshape(-1, 4))
        if len(self.scenes) < self.capacity:
            self.scenes.append(item)
        else:
            self.scenes[int(self.rng.integers(self.capacity))] = item

    def sample(self) -> tuple[np.ndarray, np.ndarray]:
        """A scene from the buffer; the first ``warm`` draws each render a new one."""
        if len(self.scenes) < self.warm or self.rng.random() < 1.0 / SCENE_REUSE:
            self._add_new()
        image, boxes = self.scenes[int(self.rng.integers(len(self.scenes)))]
        return image.astype(np.float32), boxes


RealFrame = tuple[np.ndarray, np.ndarray]  # grey frame, face boxes (K, 4)


def real_box_frames() -> list[RealFrame]:
    """Boxed real frames of the detector's training people (held-out people excluded)."""
    from thermal_fld_ros.data.real import BOXED_SOURCES, box_holdout, iter_real

    return [(frame_from_array(record.image).grey, np.array([f.box for f in record.faces], np.float32))
            for source in BOXED_SOURCES for record in iter_real(source, boxed_only=True)
            if not box_holdout(record)]


def training_example(scenes: ScenePool, rng: np.random.Generator, real: Sequence[RealFrame] = (),
                     real_share: float = 0.0) -> dict[str, np.ndarray]:
    """One crop from a synthetic scene in a random camera encoding, or from a real boxed frame
    (``real_share`` of them), with distractors and degradations, and its targets."""
    if real and rng.random() < real_share:
        grey, boxes = real[int(rng.integers(len(real)))]
    else:
        scene_c, boxes = scenes.sample()
        grey = render(scene_c, rng)
    crop, crop_boxes = sample(degrade(add_distractors(grey, rng), rng), boxes, rng)
    return {"image": crop[None], **targets(crop_boxes, *crop.shape)}


class TrainingCrops(torch.utils.data.IterableDataset):
    """Endless training crops; each DataLoader worker renders its own scenes from its own seed,
    so the workers of a many-core GPU machine share the rendering."""

    def __init__(self, seed: int, workers: int, real: Sequence[RealFrame] = (), real_share: float = 0.0) -> None:
        self.seed, self.workers, self.real, self.real_share = seed, max(1, workers), real, real_share

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        worker = info.id if info is not None else 0
        if info is not None:
            cv2.setNumThreads(1)  # one core per worker
        scenes = ScenePool(self.seed + 1000 * worker, POOL_CAPACITY // self.workers, POOL_WARM // self.workers)
        rng = np.random.default_rng(self.seed + 1000 * worker + 2)
        while True:
            yield training_example(scenes, rng, self.real, self.real_share)


def training_batches(seed: int, workers: int, batch_size: int, real: Sequence[RealFrame] = (),
                     real_share: float = 0.0) -> torch.utils.data.DataLoader:
    """Batches of ``TrainingCrops`` rendered by ``workers`` spawned processes (OpenCV's thread
    pool hangs in forked ones)."""
    return torch.utils.data.DataLoader(TrainingCrops(seed, workers, real, real_share), batch_size=batch_size,
                                       num_workers=workers, prefetch_factor=QUEUE_SIZE,
                                       multiprocessing_context="spawn")


def train(minutes: float, batch_size: int, seed: int, lr: float, init: Path | None = None,
          real: Sequence[RealFrame] = (), real_share: float = 0.0, workers: int = 1) -> FaceDetector:
    """Train for a wall-clock budget (warm-up + cosine) on the GPU when there is one; ``init``
    continues from a checkpoint; ``real_share`` of each batch comes from the ``real`` boxed frames;
    ``workers`` processes render the crops."""
    torch.manual_seed(seed)
    model = FaceDetector() if init is None else \
        load_detector(torch.load(init, map_location="cpu", weights_only=True)).train()
    batches = iter(training_batches(seed, workers, batch_size, real, real_share))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    start, step = time.monotonic(), 0
    LOG.info("training on %s with %d crop workers", device, workers)
    while time.monotonic() - start < minutes * 60.0:
        batch = {k: v.to(device, non_blocking=True) for k, v in next(batches).items()}
        progress = min(1.0, (time.monotonic() - start) / (minutes * 60.0))
        for group in optimiser.param_groups:  # warm-up then cosine decay over the time budget
            group["lr"] = lr * min(1.0, (step + 1) / 200) * 0.5 * (1 + math.cos(math.pi * progress))
        loss, parts = detector_loss(model.raw(batch["image"]), batch)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        step += 1
        if step % 50 == 0:
            LOG.info("step %d  %.1f min  loss %.3f  %s", step, (time.monotonic() - start) / 60,
                     loss.item(), {k: round(v, 3) for k, v in parts.items()})
    del batches  # stops the workers
    LOG.info("trained %d steps of %d crops in %.1f min", step, batch_size, (time.monotonic() - start) / 60)
    return model.cpu().eval()


def real_adaptation_frames(limit: int) -> list[np.ndarray]:
    """Unlabelled real grey frames for AdaBN (boxed Tufts subjects 1-22 and Terravic excluded)."""
    from thermal_fld_ros.data.real import iter_real

    frames = [frame_from_array(record.image).grey for source in ADAPT_SOURCES
              for record in iter_real(source) if not record.faces and record.image.ndim == 2]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(frames))[:limit]
    return [frames[i] for i in order]


@torch.no_grad()
def adapt_batchnorm(model: FaceDetector, real: list[np.ndarray], seed: int, synthetic: int) -> None:
    """AdaBN: recompute BatchNorm statistics over real + synthetic frames (letterboxed inputs)."""
    pool, rng = ScenePool(seed + 7, warm=min(synthetic, POOL_CAPACITY)), np.random.default_rng(seed + 8)
    synth = [letterbox(degrade(render(pool.sample()[0], rng), rng))[0] for _ in range(synthetic)]
    inputs = [letterbox(g)[0] for g in real] + synth
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.reset_running_stats()
            module.momentum = None  # cumulative average over all batches
    model.train()
    for i in range(0, len(inputs), 16):
        model.raw(torch.from_numpy(np.stack(inputs[i:i + 16])[:, None]))
    model.eval()


def save_detector(model: FaceDetector, path: Path, **extra: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"kind": DETECTOR_KIND, "state_dict": model.state_dict(), **extra}, path)


def load_detector(ckpt: dict) -> FaceDetector:
    model = FaceDetector()
    model.load_state_dict(ckpt["state_dict"])
    return model.eval()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("runs/detector"))
    parser.add_argument("--minutes", type=float, default=22.0, help="training time budget")
    parser.add_argument("--batch-size", type=int, default=12)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="processes rendering training crops (default: all cores but one)")
    parser.add_argument("--adapt-real", type=int, default=600, help="real frames for AdaBN (0: skip)")
    parser.add_argument("--real-boxes", type=float, default=0.0, metavar="SHARE",
                        help="share of each batch from boxed real frames of the training people (0: none)")
    parser.add_argument("--export", type=Path, help="write the adapted model as ONNX here")
    parser.add_argument("--init", type=Path, help="continue from an earlier run's checkpoint")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1 (crops are rendered beside the training process)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)
    real = real_box_frames() if args.real_boxes > 0 else []
    model = train(args.minutes, args.batch_size, args.seed, args.lr, args.init, real, args.real_boxes,
                  args.workers)
    save_detector(model, args.out / "trained.pt")  # before AdaBN
    if args.adapt_real:
        adapt_batchnorm(model, real_adaptation_frames(args.adapt_real), args.seed, args.adapt_real)
    save_detector(model, args.out / "detector.pt")
    if args.export:
        export_onnx(model, str(args.export))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
