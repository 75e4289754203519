"""False-colour palettes of thermal cameras: rendering grey to colour and back.

Cameras and drivers often publish colour-mapped previews (bgr8/rgb8). The landmark networks need
"warmer = brighter" grey, so colour frames are mapped back through the nearest palette entry.
LUTs are 256 x 3 uint8 in RGB order.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Bits per channel of the colour -> palette-index lookup table (64^3 entries).
_INVERSE_BITS = 6
#: Mean colour distance above which a frame is said not to use a palette.
_MAX_MEAN_DISTANCE = 40.0
#: Pixels sampled when guessing the palette of a frame.
_GUESS_SAMPLES = 4096

_IRON_STOPS = (  # position, R, G, B: black -> indigo -> magenta -> orange -> yellow -> white
    (0.00, 0, 0, 0),
    (0.15, 30, 0, 95),
    (0.35, 140, 10, 150),
    (0.55, 220, 60, 60),
    (0.75, 250, 150, 0),
    (0.90, 255, 225, 60),
    (1.00, 255, 255, 255),
)
_RAINBOW_STOPS = (  # blue -> cyan -> green -> yellow -> red -> white, like handheld "rainbow HC"
    (0.00, 0, 0, 130),
    (0.20, 0, 60, 255),
    (0.40, 0, 220, 220),
    (0.55, 40, 220, 40),
    (0.70, 250, 240, 0),
    (0.88, 255, 40, 0),
    (1.00, 255, 255, 255),
)


def _from_stops(stops: tuple[tuple[float, int, int, int], ...]) -> np.ndarray:
    pos = np.array([s[0] for s in stops])
    x = np.linspace(0.0, 1.0, 256)
    channels = [np.interp(x, pos, [s[c] for s in stops]) for c in (1, 2, 3)]
    return np.stack(channels, axis=1).round().astype(np.uint8)


_GREY = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)

PALETTES: dict[str, np.ndarray] = {
    "white_hot": _GREY,
    "black_hot": _GREY[::-1].copy(),
    "iron": _from_stops(_IRON_STOPS),
    "rainbow": _from_stops(_RAINBOW_STOPS),
}


def apply_palette(grey: np.ndarray, name: str) -> np.ndarray:
    """Colour an 8-bit grey image (H, W) with palette ``name``: (H, W, 3) uint8 RGB."""
    if grey.dtype != np.uint8:
        raise TypeError(f"apply_palette needs uint8 grey, got {grey.dtype}")
    return PALETTES[name][grey]


@lru_cache(maxsize=None)
def _inverse_table(name: str) -> np.ndarray:
    """Palette index of the nearest entry for every quantised RGB colour."""
    levels = (np.arange(1 << _INVERSE_BITS) << (8 - _INVERSE_BITS)) + (1 << (7 - _INVERSE_BITS))
    grid = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(-1, 3)
    lut = PALETTES[name].astype(np.float32)
    # |c - l|^2 = |c|^2 - 2 c.l + |l|^2; |c|^2 does not change the argmin.
    dist = (lut * lut).sum(axis=1)[None, :] - 2.0 * (grid.astype(np.float32) @ lut.T)
    return dist.argmin(axis=1).astype(np.uint8)


def _lookup(rgb: np.ndarray, name: str) -> np.ndarray:
    q = (rgb >> (8 - _INVERSE_BITS)).astype(np.int32)
    flat = (q[..., 0] << (2 * _INVERSE_BITS)) | (q[..., 1] << _INVERSE_BITS) | q[..., 2]
    return _inverse_table(name)[flat]


def guess_palette(rgb: np.ndarray) -> str | None:
    """Name of the palette that explains the frame's colours best, or None if none fits."""
    flat = rgb.reshape(-1, 3)
    step = max(1, len(flat) // _GUESS_SAMPLES)
    sample = flat[::step]
    best_name, best_err = None, np.inf
    for name in ("white_hot", "iron", "rainbow"):
        recon = PALETTES[name][_lookup(sample, name)].astype(np.float32)
        err = float(np.linalg.norm(recon - sample.astype(np.float32), axis=1).mean())
        if err < best_err:
            best_name, best_err = name, err
    return best_name if best_err <= _MAX_MEAN_DISTANCE else None


def to_intensity(rgb: np.ndarray, name: str | None = None) -> np.ndarray:
    """Map an (H, W, 3) uint8 RGB palette frame back to (H, W) uint8 grey, warmer = brighter.

    ``name`` None guesses the palette; black-hot cannot be told from white-hot by colour alone,
    so it must be named. Raises ValueError when no palette fits (for example a visible-light image).
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected (H, W, 3) uint8 RGB, got {rgb.shape} {rgb.dtype}")
    if name is None:
        name = guess_palette(rgb)
        if name is None:
            raise ValueError("colour frame matches none of the known thermal palettes "
                             f"{sorted(PALETTES)}; name the palette explicitly")
    if name not in PALETTES:
        raise ValueError(f"unknown palette {name!r}; known: {sorted(PALETTES)}")
    return _lookup(rgb, name).astype(np.uint8)
