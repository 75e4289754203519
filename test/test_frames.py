"""Frame decoding: every encoding thermal cameras publish, byte order, padded rows, bad sizes."""

from __future__ import annotations

import numpy as np
import pytest

from thermal_fld_ros.frames import Celsius, decode, frame_from_array, radiometric
from thermal_fld_ros.palettes import apply_palette

W, H = 7, 5


def _ramp(dtype, start=0, step=1):
    return (start + step * np.arange(W * H).reshape(H, W)).astype(dtype)


def _padded(image: np.ndarray, pad: int) -> tuple[bytes, int]:
    rows = image.reshape(H, -1).view(np.uint8).reshape(H, -1)
    padded = np.concatenate([rows, np.full((H, pad), 0xAB, np.uint8)], axis=1)
    return padded.tobytes(), padded.shape[1]


def test_mono8_keeps_values_and_is_not_radiometric():
    image = _ramp(np.uint8)
    frame = decode(image.tobytes(), "mono8", W, H)
    np.testing.assert_array_equal(frame.grey, image.astype(np.float32))
    assert frame.grey.dtype == np.float32 and frame.temperature_c is None
    assert (frame.width, frame.height) == (W, H)


@pytest.mark.parametrize("encoding", ["mono16", "16UC1"])
@pytest.mark.parametrize("bigendian", [False, True])
def test_16bit_counts_little_and_big_endian(encoding, bigendian):
    image = _ramp(np.uint16, start=29000, step=37)  # values > 255 catch a byte-order mix-up
    data = image.astype(">u2" if bigendian else "<u2").tobytes()
    frame = decode(data, encoding, W, H, is_bigendian=bigendian)
    np.testing.assert_array_equal(frame.grey, image.astype(np.float32))


@pytest.mark.parametrize("preset, raw, celsius", [
    ("centikelvin", 30815, 35.0),  # FLIR Lepton: (raw - 27315) / 100
    ("optris", 1350, 35.0),  # Optris: (raw - 1000) / 10
])
def test_radiometric_presets_give_degrees_c(preset, raw, celsius):
    image = np.full((H, W), raw, np.uint16)
    frame = decode(image.tobytes(), "mono16", W, H, celsius=radiometric(preset))
    np.testing.assert_allclose(frame.temperature_c, celsius, atol=1e-3)
    np.testing.assert_allclose(frame.temperatures_at(np.array([[2.5, 1.5]])), [celsius], atol=1e-3)


def test_linear_preset_takes_user_scale_and_offset_and_counts_preset_is_not_radiometric():
    image = np.full((H, W), 500, np.uint16)
    assert decode(image.tobytes(), "mono16", W, H, celsius=radiometric("counts")).temperature_c is None
    frame = decode(image.tobytes(), "mono16", W, H, celsius=radiometric("linear", 0.04, 10.0))
    np.testing.assert_allclose(frame.temperature_c, 30.0, atol=1e-4)


def test_32fc1_is_degrees_c_including_big_endian():
    image = 20.0 + _ramp(np.float32) * 0.25
    frame = decode(image.astype(">f4").tobytes(), "32FC1", W, H, is_bigendian=True)
    np.testing.assert_allclose(frame.temperature_c, image)
    assert frame.radiometric


def test_temperatures_are_sampled_bilinearly_at_landmarks():
    image = np.tile(np.arange(W, dtype=np.float32) * 2.0 + 30.0, (H, 1))
    frame = frame_from_array(image)
    np.testing.assert_allclose(frame.temperatures_at(np.array([[1.5, 2.0], [100.0, 0.0]])),
                               [33.0, 30.0 + 2.0 * (W - 1)], atol=1e-4)  # clamped at the edge


@pytest.mark.parametrize("encoding, dtype, pad", [("mono8", np.uint8, 3), ("mono16", np.uint16, 6),
                                                  ("32FC1", np.float32, 4), ("mono16", np.uint16, 1)])
def test_rows_padded_beyond_width_are_skipped(encoding, dtype, pad):
    image = _ramp(dtype, start=1000 if dtype != np.uint8 else 0)
    data, step = _padded(image, pad)
    frame = decode(data, encoding, W, H, step=step)
    np.testing.assert_array_equal(frame.grey, image.astype(np.float32))


@pytest.mark.parametrize("encoding", ["bgr8", "rgb8"])
def test_colour_palette_frames_map_back_to_warmer_is_brighter(encoding):
    grey = np.tile(np.linspace(0, 255, W).astype(np.uint8), (H, 1))
    rgb = apply_palette(grey, "iron")
    image = rgb[..., ::-1] if encoding == "bgr8" else rgb
    data, step = _padded(np.ascontiguousarray(image), 5)
    frame = decode(data, encoding, W, H, step=step, palette="iron")
    assert np.all(np.abs(frame.grey - grey) <= 4)
    assert frame.temperature_c is None


def test_memoryview_and_array_payloads_decode_like_bytes():
    image = _ramp(np.uint16, start=4000)
    for payload in (memoryview(image.tobytes()), bytearray(image.tobytes()), image.view(np.uint8)):
        np.testing.assert_array_equal(decode(payload, "16UC1", W, H).grey, image)


@pytest.mark.parametrize("kwargs, message", [
    ({"encoding": "yuv422"}, "unsupported encoding"),
    ({"width": 0}, "bad frame size"),
    ({"step": W * 2 - 1}, "step"),
    ({"height": H + 1}, "too little"),
])
def test_bad_input_raises_clear_value_error(kwargs, message):
    args = {"data": _ramp(np.uint16).tobytes(), "encoding": "mono16", "width": W, "height": H, **kwargs}
    with pytest.raises(ValueError, match=message):
        decode(**args)


def test_frame_from_array_rejects_wrong_dtype_and_shape():
    with pytest.raises(ValueError, match="needs uint16"):
        frame_from_array(np.zeros((H, W), np.int32), "mono16")
    with pytest.raises(ValueError, match="needs a"):
        frame_from_array(np.zeros((H, W, 3), np.uint8), "mono8")
    with pytest.raises(ValueError, match="unknown radiometric preset"):
        radiometric("kelvin")


def test_to_uint8_stretches_and_ignores_a_few_hot_pixels():
    image = np.full((64, 64), 30.0, np.float32)
    image[:, 32:] = 34.0
    image[0, 0] = 500.0  # a hot lamp pixel
    display = frame_from_array(image).to_uint8()
    assert display[10, 10] < 20 and display[10, 40] > 235


def test_celsius_is_affine():
    assert Celsius(0.5, -10.0)(np.array([40.0]))[0] == pytest.approx(10.0)
