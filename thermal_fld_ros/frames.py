"""Decode thermal camera frames (ROS ``sensor_msgs/Image`` fields or plain arrays) into a Frame.

Every encoding real thermal drivers publish is accepted (REFERENCE.md section 5): ``mono8``,
``mono16``/``16UC1`` raw counts, ``32FC1`` degrees C and ``bgr8``/``rgb8`` palette previews,
big-endian data and rows padded beyond the width (``step``). The networks get one float32 grey
channel, warmer = larger; degrees C exist only where the data is radiometric, and are computed
on demand from the grey values (``Celsius``) instead of converting every pixel of every frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from thermal_fld_ros.palettes import to_intensity

#: encoding -> (numpy dtype, channels). mono16 and 16UC1 are used interchangeably by drivers.
ENCODINGS: dict[str, tuple[np.dtype, int]] = {
    "mono8": (np.dtype(np.uint8), 1),
    "8UC1": (np.dtype(np.uint8), 1),
    "mono16": (np.dtype(np.uint16), 1),
    "16UC1": (np.dtype(np.uint16), 1),
    "32FC1": (np.dtype(np.float32), 1),
    "bgr8": (np.dtype(np.uint8), 3),
    "rgb8": (np.dtype(np.uint8), 3),
}
COLOUR_ENCODINGS = ("bgr8", "rgb8")
RAW16_ENCODINGS = ("mono16", "16UC1")


@dataclass(frozen=True)
class Celsius:
    """Linear map from the frame's grey values to degrees C: ``c = grey * scale + offset``."""

    scale: float = 1.0
    offset: float = 0.0

    def __call__(self, values: np.ndarray) -> np.ndarray:
        return (np.asarray(values, dtype=np.float32) * np.float32(self.scale)
                + np.float32(self.offset))


#: Raw-count presets for 16-bit frames. "counts" = not radiometric (FLIR Boson raw, AGC).
RADIOMETRIC_PRESETS: dict[str, Celsius | None] = {
    "counts": None,
    "centikelvin": Celsius(scale=0.01, offset=-273.15),  # FLIR Lepton / PureThermal
    "optris": Celsius(scale=0.1, offset=-100.0),  # Optris: (raw - 1000) / 10
}
#: The preset name that takes the user's own scale and offset.
LINEAR_PRESET = "linear"
DEGREES_C = Celsius()


def radiometric(preset: str = "counts", scale: float = 1.0, offset: float = 0.0) -> Celsius | None:
    """The raw-count -> degrees C map of a preset, or ``linear`` with the given scale/offset."""
    if preset == LINEAR_PRESET:
        return Celsius(scale=scale, offset=offset)
    if preset not in RADIOMETRIC_PRESETS:
        raise ValueError(f"unknown radiometric preset {preset!r}; "
                         f"known: {sorted([*RADIOMETRIC_PRESETS, LINEAR_PRESET])}")
    return RADIOMETRIC_PRESETS[preset]


@dataclass(frozen=True)
class Frame:
    """A decoded frame. ``grey``: (H, W) float32, warmer = larger, what the networks see.
    ``celsius``: grey -> degrees C map, None when the frame is not radiometric."""

    grey: np.ndarray
    celsius: Celsius | None = None
    encoding: str = "mono8"

    @property
    def height(self) -> int:
        return int(self.grey.shape[0])

    @property
    def width(self) -> int:
        return int(self.grey.shape[1])

    @property
    def radiometric(self) -> bool:
        return self.celsius is not None

    @cached_property
    def temperature_c(self) -> np.ndarray | None:
        """Whole-frame degrees C (computed once, on first use), or None."""
        return None if self.celsius is None else self.celsius(self.grey)

    def temperatures_at(self, points: np.ndarray) -> np.ndarray | None:
        """Degrees C bilinearly sampled at (..., 2) pixel points (clamped to the frame), or None."""
        if self.celsius is None:
            return None
        pts = np.asarray(points, dtype=np.float32)
        flat = pts.reshape(-1, 1, 2)
        sampled = cv2.remap(self.grey, flat[..., 0], flat[..., 1], cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_REPLICATE)
        return self.celsius(sampled.reshape(pts.shape[:-1]))

    def to_uint8(self) -> np.ndarray:
        """8-bit display image, 1-99 percentile stretch (for overlays)."""
        lo, hi = np.percentile(self.grey[::4, ::4], (1.0, 99.0))
        scale = 255.0 / max(float(hi - lo), 1e-6)
        return cv2.convertScaleAbs(self.grey, alpha=scale, beta=-lo * scale)


def decode(data: bytes | bytearray | memoryview | np.ndarray, encoding: str, width: int,
           height: int, step: int | None = None, is_bigendian: bool = False,
           celsius: Celsius | None = None, palette: str | None = None) -> Frame:
    """Decode raw image bytes laid out like ``sensor_msgs/Image``.

    ``celsius`` applies to 16-bit raw counts (see ``radiometric``); 32FC1 is degrees C already.
    ``palette`` names the colour map of bgr8/rgb8 frames (None guesses it).
    Raises ValueError for unknown encodings and sizes that do not match the data.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported encoding {encoding!r}; supported: {sorted(ENCODINGS)}")
    if width <= 0 or height <= 0:
        raise ValueError(f"bad frame size {width}x{height}")
    dtype, channels = ENCODINGS[encoding]
    row_bytes = width * channels * dtype.itemsize
    step = row_bytes if step is None else int(step)
    if step < row_bytes:
        raise ValueError(f"step {step} < width*channels*bytes = {row_bytes} for {encoding} {width}x{height}")
    buffer = data.reshape(-1).view(np.uint8) if isinstance(data, np.ndarray) \
        else np.frombuffer(data, dtype=np.uint8)
    if buffer.size < step * height:
        raise ValueError(f"{buffer.size} bytes is too little for {encoding} {width}x{height} "
                         f"with step {step} (need {step * height})")
    if dtype.itemsize > 1:
        dtype = dtype.newbyteorder(">" if is_bigendian else "<")
    # Views only (rows cut out of the padded buffer): the one copy is the float32 conversion.
    image = buffer[: step * height].reshape(height, step)[:, :row_bytes].view(dtype)
    if channels > 1:
        image = image.reshape(height, width, channels)
    return frame_from_array(image, encoding, celsius=celsius, palette=palette)


def frame_from_array(image: np.ndarray, encoding: str | None = None,
                     celsius: Celsius | None = None, palette: str | None = None) -> Frame:
    """A Frame from an array: uint8 (H, W) mono8, uint16 raw counts, float32 degrees C, or
    (H, W, 3) uint8 colour (``encoding`` bgr8 — OpenCV's order — unless told rgb8)."""
    if encoding is None:
        encoding = _guess_encoding(image)
    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported encoding {encoding!r}; supported: {sorted(ENCODINGS)}")
    dtype, channels = ENCODINGS[encoding]
    if image.ndim != (2 if channels == 1 else 3) or (channels > 1 and image.shape[2] != channels):
        raise ValueError(f"{encoding} needs a {'(H, W)' if channels == 1 else '(H, W, 3)'} array, "
                         f"got shape {image.shape}")
    if image.dtype.kind != dtype.kind or (dtype.kind != "f" and image.dtype.itemsize != dtype.itemsize):
        raise ValueError(f"{encoding} needs {dtype} data, got {image.dtype}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"empty image {image.shape}")
    if encoding in COLOUR_ENCODINGS:
        rgb = image[..., ::-1] if encoding == "bgr8" else image
        return Frame(grey=to_intensity(rgb, palette).astype(np.float32), encoding=encoding)
    grey = image.astype(np.float32)  # also converts big-endian and strided input to native
    if encoding == "32FC1":
        return Frame(grey=grey, celsius=DEGREES_C, encoding=encoding)
    return Frame(grey=grey, celsius=celsius if encoding in RAW16_ENCODINGS else None,
                 encoding=encoding)


def _guess_encoding(image: np.ndarray) -> str:
    if image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8:
        return "bgr8"
    if image.ndim == 2:
        by_dtype = {np.dtype(np.uint8): "mono8", np.dtype(np.uint16): "mono16"}
        if image.dtype in by_dtype:
            return by_dtype[image.dtype]
        if image.dtype.kind == "f":
            return "32FC1"
    raise ValueError(f"cannot tell the encoding of a {image.dtype} array of shape {image.shape}")
