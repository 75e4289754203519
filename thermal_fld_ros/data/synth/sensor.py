"""Microbolometer sensor model and the output encodings real LWIR cameras publish.

Sensor (applied to the true apparent-temperature image): optical blur, vignetting and
low-frequency non-uniformity, column/row fixed-pattern stripes, temporal noise (NETD; blocky when
the stream is an upscaled lower-resolution core), a radiometric bias of cheap cores, the
edge-preserving spatial noise filter many cores run (Lepton, Boson: real foreheads are smoother
than unfiltered renders) and the edge sharpening most cameras apply (real frames look crisp, not
soft). When a large face is rendered smaller than on the simulated sensor (generate_face caps
frame size), noise and blur shrink as they would after downscaling.

Encodings (REFERENCE.md section 5):
- ``celsius_f32``: float32 degrees C (Seek, radiometric SDKs).
- ``raw_u16``: uint16 counts, C = raw * RAW_SCALE_C + RAW_OFFSET_C (Optris high-resolution
  convention (raw - 10000) / 100), 0.01 C per count.
- ``centikelvin_u16``: uint16, C = raw / 100 - 273.15 (FLIR Lepton via PureThermal).
- ``agc_u8``: 8-bit automatic gain control output, warmer = brighter (robust percentile stretch
  blended with plateau histogram equalisation; with an rng random settings, as cameras vary).
- ``iron``, ``rainbow``, ``white_hot``, ``black_hot``: (H, W, 3) uint8 RGB of the AGC frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ...palettes import PALETTES, apply_palette
from .config import SynthConfig
from .scene import smooth_noise

RAW_SCALE_C = 0.01
RAW_OFFSET_C = -100.0
CENTIKELVIN_OFFSET_C = -273.15
ENCODINGS = ("celsius_f32", "raw_u16", "centikelvin_u16", "agc_u8") + tuple(sorted(PALETTES))
#: AGC percentiles (low, high) with no rng, and the range they are drawn from with one. A face
#: covers several per cent of a frame, so clipping much below the 99.7th percentile burns it white.
AGC_PERCENTILES = (0.5, 99.9)
AGC_LOW_RANGE = (0.0, 5.0)
AGC_HIGH_RANGE = (99.7, 100.0)
#: Share of plateau histogram equalisation blended into the linear stretch (fixed with no rng,
#: drawn with one): cameras spend grey levels where pixels are, which keeps the nose, eyes and
#: mouth visible on a warm face; the plateau (x the mean bin count) stops a uniform wall or
#: curtain from taking all the levels and amplifying its noise.
AGC_EQUALISE_BLEND = 0.3
AGC_EQUALISE_BLEND_RANGE = (0.0, 0.6)
#: Share of random cameras that stretch linearly with no equalisation at all. The boxed real
#: frames (Tufts, Terravic) are linear: their backgrounds sit at 0.09-0.11 of the face's level
#: above black, where blended equalisation lifts a curtain to twice that.
P_LINEAR_AGC = 0.5
AGC_PLATEAU = 4.0
AGC_PLATEAU_RANGE = (1.5, 10.0)
#: With an rng, grey levels spanned (a Tufts frame's warmest pixels sit near 220, not 255) and
#: the highest black level (display offsets keep backgrounds off pure black).
AGC_SPAN_RANGE = (205.0, 255.0)
AGC_MAX_FLOOR = 40.0
_EQ_BINS = 1024
#: Share of cameras whose stream is an upscaled lower-resolution core (see SensorParams).
P_UPSCALED_CORE = 0.25
#: Scale (pixels) of the detail-enhancement high-pass.
SHARPEN_SIGMA_PX = 1.5
#: Share of cameras with a spatial noise filter on, its reach (pixels, Gaussian sigma) and its
#: edge threshold as a multiple of the camera's NETD (a bilateral filter: differences well above
#: the noise, such as the face outline, a nostril or a hair clump, pass through). synth-13's
#: renders had no filter and foreheads 1.3 times as grainy as the shared real frames. A filter
#: on 3 in 4 cameras at 1.5-3 NETD matched their forehead grain, but the realism probe then told
#: the renders' gradients apart more easily (texture 0.56 -> 0.60); half the cameras at 1-2
#: NETD halve the gap and leave the probe level (docs/synthetic_data.md).
P_SPATIAL_FILTER = 0.5
SPATIAL_FILTER_SIGMA_PX = 1.0
SPATIAL_FILTER_NETDS = (1.0, 2.0)


@dataclass(frozen=True)
class SensorParams:
    """One camera's imperfections, drawn once per frame."""

    netd_c: float
    fpn_c: float
    nonuniformity_c: float
    blur_px: float
    bias_c: float
    #: Unsharp-mask gain of the camera's detail enhancement (FLIR DDE-like), 0 = none.
    sharpen: float = 0.0
    #: Edge threshold (degrees C) of the camera's spatial noise filter, 0 = no filter.
    denoise_c: float = 0.0
    #: Side (pixels) of the cells temporal noise is drawn on: 1 = per pixel; 2 when the stream
    #: is an upscaled lower-resolution core (coarse, blocky grain as in Terravic).
    noise_cell_px: int = 1


def log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A draw spread evenly over the orders of magnitude of [lo, hi]."""
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def sample_sensor(rng: np.random.Generator, config: SynthConfig) -> SensorParams:
    """One camera; NETD log-uniform: most cores are quiet, a few grainy."""
    netd_c = log_uniform(rng, *config.netd_c)
    filtered = rng.random() < P_SPATIAL_FILTER
    return SensorParams(
        netd_c=netd_c,
        fpn_c=float(rng.uniform(*config.fpn_c)),
        nonuniformity_c=float(rng.uniform(*config.nonuniformity_c)),
        blur_px=float(rng.uniform(*config.blur_px)),
        bias_c=float(rng.uniform(*config.radiometric_bias_c)),
        sharpen=float(rng.uniform(*config.sharpen)),
        denoise_c=netd_c * float(rng.uniform(*SPATIAL_FILTER_NETDS)) if filtered else 0.0,
        noise_cell_px=2 if rng.random() < P_UPSCALED_CORE else 1,
    )


def apply_sensor(temp_c: np.ndarray, params: SensorParams, rng: np.random.Generator,
                 scale: float = 1.0) -> np.ndarray:
    """What the camera reports for the true temperatures ``temp_c`` (float32 degrees C).

    ``scale`` < 1 means the frame is a downscaled view of the sensor (each output pixel averages
    1/scale^2 sensor pixels): blur and noise shrink accordingly.
    """
    h, w = temp_c.shape
    out = temp_c.astype(np.float32)
    sigma = params.blur_px * scale
    if sigma > 0.25:
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((x - w / 2) ** 2 + (y - h / 2) ** 2) / (0.25 * (w * w + h * h))
    sign = 1.0 if rng.random() < 0.5 else -1.0
    nu = params.nonuniformity_c * (sign * r2 + 0.5 * smooth_noise(rng, h, w, 3))
    stripes = params.fpn_c * scale * (rng.standard_normal(w)[None, :]
                                      + 0.4 * rng.standard_normal(h)[:, None])
    noise = params.netd_c * scale * _grain(rng, h, w, params.noise_cell_px * scale)
    out = out + nu + stripes + noise + params.bias_c
    reach = SPATIAL_FILTER_SIGMA_PX * params.noise_cell_px * scale  # the core's pixels
    if params.denoise_c > 0 and reach > 0.5:  # else downscaling has averaged the noise away
        out = cv2.bilateralFilter(out.astype(np.float32), -1, params.denoise_c * scale, reach)
    if params.sharpen > 0:  # cameras crisp up edges (and noise) after the optics
        detail = out - cv2.GaussianBlur(out, (0, 0), SHARPEN_SIGMA_PX)
        out = out + params.sharpen * detail
    return out.astype(np.float32)


def _grain(rng: np.random.Generator, h: int, w: int, cell_px: float) -> np.ndarray:
    """Unit-rms temporal noise; with cells over 1.5 px drawn coarse and enlarged without
    smoothing (each sensor pixel spans a block of the upscaled stream)."""
    cell = int(round(cell_px))
    if cell < 2:
        return rng.standard_normal((h, w))
    coarse = rng.standard_normal((-(-h // cell), -(-w // cell))).astype(np.float32)
    return np.repeat(np.repeat(coarse, cell, axis=0), cell, axis=1)[:h, :w]


def agc(image_c: np.ndarray, rng: np.random.Generator | None = None,
        p_linear: float = P_LINEAR_AGC) -> np.ndarray:
    """8-bit AGC, warmer = brighter: a linear stretch between robust percentiles blended with
    plateau histogram equalisation. Without rng fixed settings over the full 0..255; with rng
    random percentiles, blend (none for a share ``p_linear`` of cameras), plateau, black level
    and span, as cameras vary."""
    if rng is None:
        pcts, blend, plateau = AGC_PERCENTILES, AGC_EQUALISE_BLEND, AGC_PLATEAU
        floor, span = 0.0, 255.0
    else:
        pcts = (rng.uniform(*AGC_LOW_RANGE), rng.uniform(*AGC_HIGH_RANGE))
        blend = (0.0 if rng.random() < p_linear
                 else float(rng.uniform(*AGC_EQUALISE_BLEND_RANGE)))
        plateau = float(rng.uniform(*AGC_PLATEAU_RANGE))
        span = float(rng.uniform(*AGC_SPAN_RANGE))
        floor = float(rng.uniform(0.0, min(AGC_MAX_FLOOR, 255.0 - span)))
    lo, hi = np.percentile(image_c, pcts)
    linear = np.clip((image_c - lo) / max(float(hi - lo), 1e-3), 0.0, 1.0)
    level = linear if blend == 0.0 else \
        (1.0 - blend) * linear + blend * _plateau_equalise(image_c, plateau)
    return (floor + span * level).round().astype(np.uint8)


def _plateau_equalise(image_c: np.ndarray, plateau: float) -> np.ndarray:
    """0..1 histogram equalisation with bin counts clipped at ``plateau`` x the mean count, so
    large uniform areas (walls, sky) do not take all the grey levels."""
    lo, hi = np.percentile(image_c, (0.1, 99.9))
    span = max(float(hi - lo), 1e-3)
    idx = np.clip(((image_c - lo) / span * (_EQ_BINS - 1)).astype(np.int32), 0, _EQ_BINS - 1)
    counts = np.bincount(idx.ravel(), minlength=_EQ_BINS).astype(np.float64)
    counts = np.minimum(counts, plateau * counts.mean())
    cdf = np.cumsum(counts)
    lut = ((cdf - cdf[0]) / max(cdf[-1] - cdf[0], 1e-9)).astype(np.float32)
    return lut[idx]


def to_encoding(image_c: np.ndarray, encoding: str, rng: np.random.Generator | None = None
                ) -> np.ndarray:
    """The frame as a camera would publish it (see the module docstring)."""
    image_c = np.asarray(image_c, dtype=np.float32)
    if encoding == "celsius_f32":
        return image_c.copy()
    if encoding == "raw_u16":
        raw = np.round((image_c - RAW_OFFSET_C) / RAW_SCALE_C)
        return np.clip(raw, 0, 65535).astype(np.uint16)
    if encoding == "centikelvin_u16":
        raw = np.round((image_c - CENTIKELVIN_OFFSET_C) * 100.0)
        return np.clip(raw, 0, 65535).astype(np.uint16)
    if encoding == "agc_u8":
        return agc(image_c, rng)
    if encoding in PALETTES:
        return apply_palette(agc(image_c, rng), encoding)
    raise ValueError(f"unknown encoding {encoding!r}; known: {ENCODINGS}")


def from_encoding(data: np.ndarray, encoding: str) -> np.ndarray:
    """Degrees C back from a radiometric encoding (the inverse of to_encoding)."""
    if encoding == "celsius_f32":
        return np.asarray(data, np.float32)
    if encoding == "raw_u16":
        return (data.astype(np.float64) * RAW_SCALE_C + RAW_OFFSET_C).astype(np.float32)
    if encoding == "centikelvin_u16":
        return (data.astype(np.float64) / 100.0 + CENTIKELVIN_OFFSET_C).astype(np.float32)
    raise ValueError(f"{encoding!r} is not radiometric")
