"""Sensor model and encodings: radiometric round trips, 8-bit AGC, palettes."""

import numpy as np
import pytest

from thermal_fld_ros.data.synth import ENCODINGS, from_encoding, to_encoding
from thermal_fld_ros.data.synth.config import SynthConfig
from thermal_fld_ros.data.synth.sensor import (
    SPATIAL_FILTER_NETDS, SensorParams, apply_sensor, sample_sensor)

FRAME = np.linspace(-20.0, 120.0, 48 * 64, dtype=np.float32).reshape(48, 64)


@pytest.mark.parametrize("encoding,step", [("raw_u16", 0.01), ("centikelvin_u16", 0.01),
                                           ("celsius_f32", 0.0)])
def test_radiometric_encodings_round_trip_within_quantisation(encoding, step):
    data = to_encoding(FRAME, encoding)
    assert data.dtype == (np.float32 if encoding == "celsius_f32" else np.uint16)
    np.testing.assert_allclose(from_encoding(data, encoding), FRAME, atol=step / 2 + 1e-4)


def test_documented_camera_conventions():
    assert to_encoding(np.array([[0.0]]), "centikelvin_u16")[0, 0] == 27315  # Lepton
    assert to_encoding(np.array([[25.0]]), "raw_u16")[0, 0] == 12500         # (raw - 10000) / 100


def test_agc_and_palettes():
    grey = to_encoding(FRAME, "agc_u8")
    assert grey.dtype == np.uint8 and grey.min() == 0 and grey.max() == 255
    assert np.all(np.diff(grey.astype(int).ravel()) >= 0)  # warmer is never darker
    for name in ("iron", "rainbow", "white_hot", "black_hot"):
        rgb = to_encoding(FRAME, name)
        assert rgb.shape == FRAME.shape + (3,) and rgb.dtype == np.uint8
    assert to_encoding(FRAME, "black_hot")[0, 0, 0] == 255
    assert set(ENCODINGS) >= {"celsius_f32", "raw_u16", "centikelvin_u16", "agc_u8", "iron"}
    with pytest.raises(ValueError):
        to_encoding(FRAME, "sepia")


def test_sensor_adds_noise_of_the_chosen_netd_and_keeps_the_mean():
    flat = np.full((120, 160), 30.0, np.float32)
    params = SensorParams(netd_c=0.1, fpn_c=0.0, nonuniformity_c=0.0, blur_px=0.0, bias_c=0.0)
    out = apply_sensor(flat, params, np.random.default_rng(0))
    assert out.dtype == np.float32 and out.shape == flat.shape
    assert abs(out.std() - 0.1) < 0.01 and abs(out.mean() - 30.0) < 0.01
    # a downscaled view of a bigger sensor averages noise away
    assert apply_sensor(flat, params, np.random.default_rng(0), scale=0.5).std() < 0.06


def test_sensor_draws_stay_in_the_config_ranges():
    config = SynthConfig()
    for seed in range(20):
        p = sample_sensor(np.random.default_rng(seed), config)
        assert config.netd_c[0] <= p.netd_c <= config.netd_c[1]
        assert config.blur_px[0] <= p.blur_px <= config.blur_px[1]


def test_random_agc_keeps_warmer_brighter():
    for seed in range(6):
        grey = to_encoding(FRAME, "agc_u8", np.random.default_rng(seed))
        assert grey.dtype == np.uint8 and np.all(np.diff(grey.astype(int).ravel()) >= 0)
        assert grey.max() - grey.min() > 200


def test_detail_enhancement_crisps_edges():
    step = np.zeros((32, 32), np.float32)
    step[:, 16:] = 10.0
    soft = SensorParams(netd_c=0.0, fpn_c=0.0, nonuniformity_c=0.0, blur_px=1.0, bias_c=0.0)
    crisp = SensorParams(**{**soft.__dict__, "sharpen": 1.0})
    a = apply_sensor(step, soft, np.random.default_rng(0))
    b = apply_sensor(step, crisp, np.random.default_rng(0))
    assert np.abs(np.diff(b[16])).max() > 1.2 * np.abs(np.diff(a[16])).max()
    assert abs(float(b.mean()) - float(a.mean())) < 0.05


def _face_on_curtain():
    """A 20 C curtain with a 30..35 C face covering about 6 % of the frame."""
    frame = 20.0 + np.random.default_rng(0).normal(0.0, 0.05, (120, 160)).astype(np.float32)
    face = np.linspace(30.0, 35.0, 30 * 38, dtype=np.float32).reshape(30, 38)
    frame[40:70, 60:98] = face
    return frame, (slice(40, 70), slice(60, 98))


def test_agc_keeps_a_warm_face_from_burning_white():
    frame, face = _face_on_curtain()
    for rng in [None] + [np.random.default_rng(s) for s in range(8)]:
        grey = to_encoding(frame, "agc_u8", rng)[face].astype(int)
        assert (grey >= grey.max() - 2).mean() < 0.1   # the warmest tenth is not one flat white
        assert grey.max() - grey.min() > 60            # the face spans many grey levels
        assert np.unique(grey).size > 50


def test_half_the_random_cameras_stretch_linearly_and_keep_the_curtain_dark():
    """Linear cameras (the boxed real frames) leave a cool curtain near black; equalising ones
    lift it towards the face."""
    frame, face = _face_on_curtain()
    curtain = np.ones(frame.shape, bool)
    curtain[face] = False
    lifts = []
    for seed in range(200):
        grey = to_encoding(frame, "agc_u8", np.random.default_rng(seed)).astype(float)
        black = grey.min()
        lifts.append((np.median(grey[curtain]) - black) / (np.median(grey[face]) - black))
    lifts = np.array(lifts)
    assert 0.4 < (lifts < 0.02).mean() < 0.65
    assert (lifts > 0.1).mean() > 0.2


def test_sensor_grain_is_mostly_that_of_modern_cores_with_a_grainy_tail():
    """Uncooled cores are rated 40-70 mK; the shared real frames are no grainier than that."""
    config = SynthConfig()
    netd = np.array([sample_sensor(np.random.default_rng(s), config).netd_c for s in range(400)])
    assert 0.04 < np.median(netd) < 0.08
    assert (netd > 0.15).mean() > 0.05


def test_upscaled_cores_have_blocky_grain():
    flat = np.full((120, 160), 30.0, np.float32)
    fine = SensorParams(netd_c=0.2, fpn_c=0.0, nonuniformity_c=0.0, blur_px=0.0, bias_c=0.0)
    coarse = SensorParams(**{**fine.__dict__, "noise_cell_px": 2})

    def neighbour_correlation(params):
        out = apply_sensor(flat, params, np.random.default_rng(0)) - 30.0
        return float(np.corrcoef(out[:, :-1].ravel(), out[:, 1:].ravel())[0, 1])

    assert abs(neighbour_correlation(fine)) < 0.1
    assert neighbour_correlation(coarse) > 0.4
    draws = [sample_sensor(np.random.default_rng(s), SynthConfig()).noise_cell_px for s in range(100)]
    assert set(draws) == {1, 2}


def test_the_spatial_noise_filter_smooths_grain_but_keeps_edges():
    """Most cores filter noise edge-preservingly: a flat field's pixel-to-pixel change at least
    halves, while a 2 C step (a face outline) stays as steep."""
    flat = np.full((120, 160), 30.0, np.float32)
    step = np.zeros((32, 32), np.float32)
    step[:, 16:] = 2.0
    raw = SensorParams(netd_c=0.1, fpn_c=0.0, nonuniformity_c=0.0, blur_px=0.7, bias_c=0.0)
    filtered = SensorParams(**{**raw.__dict__, "denoise_c": 0.2})

    def grain(params):
        out = apply_sensor(flat, params, np.random.default_rng(0))
        return float(np.abs(np.diff(out, axis=1)).mean())

    def steepest(params):
        row = apply_sensor(step, params, np.random.default_rng(0))[16]
        return float(np.abs(np.diff(row)).max())

    assert grain(filtered) < 0.5 * grain(raw)
    assert steepest(filtered) > 0.9 * steepest(raw)


def test_half_the_random_cameras_filter_noise_relative_to_their_netd():
    draws = [sample_sensor(np.random.default_rng(s), SynthConfig()) for s in range(200)]
    on = [p for p in draws if p.denoise_c > 0]
    assert 0.35 < len(on) / len(draws) < 0.65
    lo, hi = SPATIAL_FILTER_NETDS
    assert all(lo * p.netd_c <= p.denoise_c <= hi * p.netd_c for p in on)
