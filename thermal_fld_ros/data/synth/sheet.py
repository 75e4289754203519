"""Contact sheets: judge the realism of renders at a glance, optionally beside real frames.

Each synthetic row shows: the thermal frame through 8-bit AGC, one palette rendering, the RGB pair,
and the AGC frame with the SF-TL54 contours drawn (green visible, red self-occluded, yellow
occluded by something else). With real frames, each row also shows a real frame through the same
AGC and palette, so renders and real frames sit side by side: whole, or cut to its face with the
context the face samples carry (face_framing), so faces are compared at the same framing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from ...layout import CONTOURS
from ...preprocess import crop_transform, warp
from ..records import LabelledImage
from .sensor import to_encoding

TILE = 160
PALETTE_CYCLE = ("iron", "white_hot", "rainbow", "black_hot")
REAL_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".npy")
_GAP = 4
_GREEN, _RED, _YELLOW = (60, 220, 60), (230, 40, 40), (240, 220, 40)


def _fit(image: np.ndarray, tile: int = TILE) -> np.ndarray:
    """Resize to fit a tile (aspect kept, padded black); grey becomes RGB."""
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    h, w = image.shape[:2]
    k = tile / max(h, w)
    small = cv2.resize(image, (max(1, round(w * k)), max(1, round(h * k))),
                       interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR)
    out = np.zeros((tile, tile, 3), np.uint8)
    y0, x0 = (tile - small.shape[0]) // 2, (tile - small.shape[1]) // 2
    out[y0:y0 + small.shape[0], x0:x0 + small.shape[1]] = small
    return out


def _draw_landmarks(grey: np.ndarray, sample: LabelledImage, tile: int = TILE) -> np.ndarray:
    canvas = _fit(grey, tile)
    h, w = grey.shape[:2]
    k = tile / max(h, w)
    offset = np.array([(tile - round(w * k)) // 2, (tile - round(h * k)) // 2])
    for face in sample.faces:
        pts = face.landmarks * k + offset
        occluded = set(face.attributes.get("occluded", []))
        for indices, closed in CONTOURS:
            poly = np.round(pts[list(indices)]).astype(np.int32)
            cv2.polylines(canvas, [poly], closed, (90, 160, 255), 1, cv2.LINE_AA)
        for i, p in enumerate(pts):
            colour = _GREEN if face.visible[i] else _RED
            if i in occluded:
                colour = _YELLOW
            cv2.circle(canvas, (int(round(p[0])), int(round(p[1]))), 1, colour, -1)
        x1, y1, x2, y2 = np.round(face.box * k + np.tile(offset, 2)).astype(int)
        cv2.rectangle(canvas, (x1, y1), (x2, y2), (255, 255, 255), 1)
    return canvas


def synthetic_row(sample: LabelledImage, palette: str) -> list[np.ndarray]:
    grey = to_encoding(sample.image, "agc_u8")
    rgb = sample.rgb if sample.rgb is not None else np.zeros_like(grey)
    return [_fit(grey), _fit(to_encoding(sample.image, palette)), _fit(rgb),
            _draw_landmarks(grey, sample)]


def load_real(path: Path) -> np.ndarray:
    """A real frame as (H, W) grey uint8 (8-bit files as stored) or float32 degrees C (.npy)."""
    if path.suffix == ".npy":
        return np.load(path).astype(np.float32)
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise ValueError(f"cannot read {path}")
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return image


def face_framing(frame: np.ndarray, box: np.ndarray, ratio: float) -> np.ndarray:
    """The square of side ``ratio`` x the longer box side around the box centre (a face sample's
    framing: SynthConfig.context_ratio), cut as the landmark crops are (preprocess.warp: the
    frame's edge repeated where the square leaves it), at full resolution, in the frame's dtype."""
    x1, y1, x2, y2 = (float(c) for c in box)
    side = max(2, int(round(max(x2 - x1, y2 - y1) * ratio)))
    return warp(frame, crop_transform(box, size=side, scale=ratio))


def real_row(frame: np.ndarray, palette: str) -> list[np.ndarray]:
    """A real frame through the same AGC (radiometric) or as the camera's own 8-bit output."""
    if frame.dtype == np.uint8:
        grey = frame
    else:
        grey = to_encoding(frame.astype(np.float32), "agc_u8")
    return [_fit(grey), _fit(to_encoding(grey.astype(np.float32), palette))]


def real_frames(root: Path, count: int, rng: np.random.Generator) -> list[Path]:
    """``count`` frames picked at random from the image files under ``root``."""
    files = sorted(p for p in Path(root).rglob("*") if p.suffix.lower() in REAL_SUFFIXES)
    if not files:
        raise FileNotFoundError(f"no images under {root}")
    picks = rng.choice(len(files), size=min(count, len(files)), replace=False)
    return [files[i] for i in sorted(picks)]


def contact_sheet(samples: Iterable[LabelledImage], real: list[np.ndarray] | None = None,
                  columns: int = 2) -> np.ndarray:
    """(H, W, 3) uint8 RGB grid; ``columns`` samples per row (one when real frames, as load_real
    gives them, are shown)."""
    rows = []
    for i, sample in enumerate(samples):
        palette = PALETTE_CYCLE[i % len(PALETTE_CYCLE)]
        tiles = synthetic_row(sample, palette)
        if real is not None and i < len(real):
            tiles += real_row(real[i], palette)
        rows.append(tiles)
    if real is not None:
        columns = 1
    width = max(len(r) for r in rows)
    blank = np.zeros((TILE, TILE, 3), np.uint8)
    cells = [np.hstack([t for tile in r + [blank] * (width - len(r))
                        for t in (tile, np.zeros((TILE, _GAP, 3), np.uint8))]) for r in rows]
    while len(cells) % columns:
        cells.append(np.zeros_like(cells[0]))
    lines = [np.hstack(cells[i:i + columns]) for i in range(0, len(cells), columns)]
    gap = np.zeros((_GAP, lines[0].shape[1], 3), np.uint8)
    return np.vstack([x for line in lines for x in (line, gap)])


def save_png(path, image_rgb: np.ndarray) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image_rgb[..., ::-1], [cv2.IMWRITE_PNG_COMPRESSION, 9])
