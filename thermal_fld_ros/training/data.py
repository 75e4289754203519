"""Training data: face samples from LabelledImages, jittered crops, synthetic split cache, real faces.

Crops are made ONLY with ``preprocess.face_input`` (the inference crop + normalisation); jitter is
applied to the box and angle handed to it. To bound memory each face is stored as a sub-image
around its box (``CONTEXT`` times the box side, enough for crop scale x jitter x rotation),
downscaled with area interpolation when the box side exceeds ``MAX_BOX_SIDE`` px (1.25 px of
source per crop pixel at most, so the crop's own resampling is unaffected).

Augmentation randomness comes from ``np.random.default_rng([seed, epoch, index])``: a sample's
crop depends only on those three numbers, which makes resume and DDP sharding exact.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from torch.utils.data import Dataset

from thermal_fld_ros import palettes
from thermal_fld_ros.data.records import LabelledImage
from thermal_fld_ros.layout import FLIP_PERMUTATION, NUM_LANDMARKS, flip_landmarks
from thermal_fld_ros.preprocess import LANDMARK_INPUT_SIZE, face_input, to_grey, warp
from thermal_fld_ros.training.config import AugmentConfig, SynthSplits

LOG = logging.getLogger(__name__)
CONTEXT = 2.0
MAX_BOX_SIDE = 140.0
#: Thermal encodings tried by the robustness augmentation (synth.to_encoding names).
ENCODINGS = ("agc_u8", "white_hot", "iron", "rainbow")
#: Share of re-encoded crops then stored as JPEG, and its quality range: recorded datasets and
#: MJPEG camera streams (Terravic is JPEG) show 8x8 block artefacts no sensor model makes.
JPEG_SHARE = 0.4
JPEG_QUALITY = (35, 92)
#: Down-up resample factor range of the low-resolution augmentation (share of the crop size).
LOWRES_RANGE = (0.35, 0.8)
#: Every REAL_HOLDOUT-th real face is never used for adaptation; it is kept for visual checks.
REAL_HOLDOUT = 5


@dataclass
class FaceSample:
    """One face cut out of its frame; coordinates are sub-image pixels."""

    thermal: np.ndarray  # (h, w) float16 grey (degrees C or intensity), warmer = larger
    box: np.ndarray  # (4,) float32
    landmarks: np.ndarray | None  # (54, 2) float32
    visible: np.ndarray | None  # (54,) bool
    rgb: np.ndarray | None = None  # (h, w, 3) uint8
    radiometric: bool = False
    attributes: dict[str, Any] = field(default_factory=dict)


def thermal_grey(image: np.ndarray, palette: str | None = None) -> np.ndarray:
    """Grey intensity of any thermal frame: palette colour frames are mapped back first, through
    ``palette`` when it is known, else through the palette their colours fit best."""
    if image.ndim == 3:
        image = palettes.to_intensity(np.ascontiguousarray(image[..., :3]).astype(np.uint8),
                                      palette)
    return to_grey(image)


def cut_face(image: LabelledImage, face_index: int) -> FaceSample:
    face = image.faces[face_index]
    grey = thermal_grey(image.image)
    x1, y1, x2, y2 = (float(v) for v in face.box)
    side = max(x2 - x1, y2 - y1, 1.0)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    half = CONTEXT * side / 2
    h, w = grey.shape
    ox, oy = int(max(np.floor(cx - half), 0)), int(max(np.floor(cy - half), 0))
    ex, ey = int(min(np.ceil(cx + half), w)), int(min(np.ceil(cy + half), h))
    zoom = min(1.0, MAX_BOX_SIDE / side)
    offset = np.array([ox, oy], dtype=np.float32)

    def sub(img: np.ndarray) -> np.ndarray:
        part = img[oy:ey, ox:ex]
        if zoom < 1.0:
            size = (max(1, round(part.shape[1] * zoom)), max(1, round(part.shape[0] * zoom)))
            part = cv2.resize(part, size, interpolation=cv2.INTER_AREA)
        return np.ascontiguousarray(part)

    def coords(pts: np.ndarray) -> np.ndarray:
        return ((np.asarray(pts, np.float32).reshape(-1, 2) - offset) * zoom).astype(np.float32)

    lms = None if face.landmarks is None else coords(face.landmarks)
    vis = None
    if lms is not None:
        vis = (np.ones(len(lms), bool) if face.visible is None else np.asarray(face.visible, bool))
    rgb = None
    if image.rgb is not None and image.rgb.shape[:2] == grey.shape:
        rgb = sub(image.rgb)
    return FaceSample(thermal=sub(grey).astype(np.float16), box=coords(face.box).reshape(4),
                      landmarks=lms, visible=vis, rgb=rgb, radiometric=image.radiometric,
                      attributes=dict(face.attributes))


def faces_from_images(images: Iterable[LabelledImage], need_landmarks: bool = True) -> list[FaceSample]:
    """Every face (with 54 landmarks when ``need_landmarks``) of ``images`` as a FaceSample."""
    out = []
    for image in images:
        for i, face in enumerate(image.faces):
            if need_landmarks and (face.landmarks is None or len(face.landmarks) != NUM_LANDMARKS):
                continue
            out.append(cut_face(image, i))
    return out


def _encode(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Re-encode a radiometric crop as a camera would publish it (AGC 8-bit or a palette)."""
    from thermal_fld_ros.data.synth import to_encoding

    encoding = str(rng.choice(ENCODINGS))
    encoded = np.asarray(to_encoding(grey, encoding, rng))
    if rng.random() < JPEG_SHARE:
        encoded = jpeg_roundtrip(encoded, int(rng.integers(*JPEG_QUALITY)))
    # Decode with the palette used: JPEG can shift a dull crop's colours off every palette.
    return thermal_grey(encoded, encoding if encoding in palettes.PALETTES else None)


def jpeg_roundtrip(image: np.ndarray, quality: int) -> np.ndarray:
    """The 8-bit frame after lossy JPEG storage (8x8 blocks, chroma subsampling of palettes)."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError(f"JPEG encoding failed for an image of shape {image.shape}")
    return cv2.imdecode(data, cv2.IMREAD_UNCHANGED)


class FaceCropDataset(Dataset):
    """Jittered 112x112 crops: ``thermal`` [1,S,S], ``rgb`` [3,S,S], ``landmarks`` [54,2] (0..1)."""

    def __init__(self, samples: list[FaceSample], augment: AugmentConfig | None, seed: int = 0,
                 with_rgb: bool = True) -> None:
        self.samples = samples
        self.augment = augment
        self.seed = seed
        self.epoch = 0
        self.with_rgb = with_rgb and all(s.rgb is not None for s in samples)

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> dict[str, np.ndarray]:
        s = self.samples[index]
        grey = s.thermal.astype(np.float32)
        rgb, box, lms, vis = s.rgb, s.box, s.landmarks, s.visible
        angle = 0.0
        aug = self.augment
        rng = np.random.default_rng([self.seed, self.epoch, index])
        if aug is not None:
            if s.radiometric and rng.random() < aug.encoding:
                grey = _encode(grey, rng)
            if rng.random() < aug.flip:
                width = grey.shape[1]
                grey = grey[:, ::-1].copy()
                rgb = None if rgb is None else rgb[:, ::-1].copy()
                box = np.array([width - 1 - box[2], box[1], width - 1 - box[0], box[3]], np.float32)
                lms = None if lms is None else flip_landmarks(lms, width)
                vis = None if vis is None else vis[FLIP_PERMUTATION]
            box, angle = jitter_box(box, aug, rng)
        crop, transform = face_input(grey, box, angle)
        if aug is not None and rng.random() < aug.lowres:
            crop = lowres(crop, rng)
        item: dict[str, np.ndarray] = {"thermal": crop[None].astype(np.float32)}
        if lms is not None:
            item["landmarks"] = transform.to_crop(lms) / np.float32(LANDMARK_INPUT_SIZE)
            item["visible"] = vis.astype(np.float32)
        if self.with_rgb and rgb is not None:
            item["rgb"] = rgb_input(warp(rgb, transform))
        return item


def rgb_input(crop: np.ndarray) -> np.ndarray:
    """RGB crop (S, S, 3) uint8 -> [3, S, S] float32 in [-1, 1] (fixed scaling: colour is stable)."""
    return (crop.astype(np.float32).transpose(2, 0, 1) / np.float32(127.5)) - np.float32(1.0)


def jitter_box(box: np.ndarray, aug: AugmentConfig, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Shift, scale and rotate the crop: the detector's and tracker's boxes are never exact."""
    x1, y1, x2, y2 = (float(v) for v in box)
    side = max(x2 - x1, y2 - y1)
    cx = (x1 + x2) / 2 + rng.uniform(-aug.shift, aug.shift) * side
    cy = (y1 + y2) / 2 + rng.uniform(-aug.shift, aug.shift) * side
    k = 1.0 + rng.uniform(-aug.scale, aug.scale)
    hw, hh = k * (x2 - x1) / 2, k * (y2 - y1) / 2
    angle = rng.uniform(-aug.rotate_deg, aug.rotate_deg)
    return np.array([cx - hw, cy - hh, cx + hw, cy + hh], np.float32), float(angle)


def lowres(crop: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Down-up resample of a normalised crop: faces far from the camera or from 160x120 sensors."""
    size = crop.shape[0]
    small = max(8, int(round(size * rng.uniform(*LOWRES_RANGE))))
    down = cv2.resize(crop, (small, small), interpolation=cv2.INTER_AREA)
    return cv2.resize(down, (size, size), interpolation=cv2.INTER_LINEAR)


# ---------------------------------------------------------------- synthetic split cache


def synth_split_dir(splits: SynthSplits, split: str) -> Path:
    """Cache folder of a split; the generator version is in the name so that a changed
    generator never silently reuses data rendered by an older one."""
    from thermal_fld_ros.data.synth.generator import GENERATOR_VERSION

    seed, count = getattr(splits, split)
    return Path(splits.cache_dir) / f"{split}_s{seed}_n{count}_{GENERATOR_VERSION}"


def ensure_synth_split(splits: SynthSplits, split: str) -> Path:
    """Write the split with the generator once (atomic rename), return its folder."""
    from thermal_fld_ros.data.synth import dataset as synth

    out = synth_split_dir(splits, split)
    if out.is_dir():
        return out
    seed, count = getattr(splits, split)
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    LOG.info("generating synthetic %s split: %d faces, seed %d -> %s", split, count, seed, out)
    synth.write_dataset(tmp, count, seed, kind="face")
    tmp.rename(out)
    return out


def load_synth_faces(splits: SynthSplits, split: str, limit: int | None = None) -> list[FaceSample]:
    from thermal_fld_ros.data.synth import dataset as synth

    images = synth.read_dataset(ensure_synth_split(splits, split))
    if limit is not None:
        images = (img for i, img in zip(range(limit), images))
    return faces_from_images(images)


def load_extra_faces(specs: Iterable[str], rgb_only: bool = False) -> list[FaceSample]:
    """Labelled faces of user datasets (loader specs NAME:PATH, train split).

    ``rgb_only``: the images are visible-light RGB; they become the RGB pair of a sample whose
    grey channel is their luminance, usable by the RGB teacher only.
    """
    from thermal_fld_ros.data.loaders import load, parse_dataset_spec

    faces = []
    for spec in specs:
        name, root = parse_dataset_spec(spec)
        for image in load(name, root, split="train"):
            if rgb_only:
                rgb = image.image if image.image.ndim == 3 else np.repeat(image.image[..., None], 3, 2)
                rgb = np.ascontiguousarray(rgb[..., :3]).astype(np.uint8)
                grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
                image = LabelledImage(image=grey, faces=image.faces, rgb=rgb, source=image.source)
            faces.extend(faces_from_images([image]))
    return faces


def load_real_faces(sources: Iterable[str], holdout: bool = False) -> list[FaceSample]:
    """Boxed real thermal faces (data.real); every REAL_HOLDOUT-th face is the held-out part."""
    from thermal_fld_ros.data.real import iter_real

    faces = []
    for source in sources:
        for image in iter_real(source, boxed_only=True):
            faces.extend(cut_face(image, i) for i in range(len(image.faces)))
    keep = [(i % REAL_HOLDOUT == 0) == holdout for i in range(len(faces))]
    return [f for f, k in zip(faces, keep) if k]
