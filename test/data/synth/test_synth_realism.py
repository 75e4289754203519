"""The realism probe: chance level on one distribution, near-perfect on an obvious difference."""

import cv2
import numpy as np
import pytest

from thermal_fld_ros.data.synth.config import SynthConfig
from thermal_fld_ros.data.synth.generator import sample
from thermal_fld_ros.data.synth.realism import (GROUPS, REAL_BLUR_PX, REAL_FACE_HEIGHT_PX,
                                                RenderSetting, crop_features, probe,
                                                real_setting, synthetic_crops, training_setting)


def _smooth_crops(rng, n, grain=0.0):
    """Normalised 112x112 crops: smooth random warm blobs, optionally with per-pixel grain."""
    crops = []
    for _ in range(n):
        field = cv2.GaussianBlur(rng.standard_normal((112, 112)).astype(np.float32), (0, 0), 8)
        field /= field.std()
        crops.append(field + grain * rng.standard_normal((112, 112)).astype(np.float32))
    return crops


def _people(n, count=8):
    return [f"p{i % count}" for i in range(n)]


def test_features_have_fixed_sizes_per_group():
    feats = crop_features(np.zeros((112, 112), np.float32))
    assert {k: v.shape for k, v in feats.items()} == {"layout": (256,), "texture": (32,), "spectrum": (16,)}


def test_probe_is_at_chance_when_renders_and_real_frames_look_alike():
    rng = np.random.default_rng(0)
    result = probe(_smooth_crops(rng, 80), _people(80), _smooth_crops(rng, 80), seed=1)
    assert set(result.accuracy) == set(GROUPS) | {"all"}
    assert all(0.3 < acc < 0.7 for acc in result.accuracy.values()), result.accuracy
    assert (result.real, result.synthetic) == (80, 80)


def test_probe_averages_several_splits_by_person_and_reports_their_spread():
    rng = np.random.default_rng(0)
    real, synthetic = _smooth_crops(rng, 80), _smooth_crops(rng, 80)
    repeated = probe(real, _people(80), synthetic, seed=1, splits=6)
    assert repeated.splits == 6
    assert all(spread > 0 for spread in repeated.spread.values()), repeated.spread
    single = probe(real, _people(80), synthetic, seed=1, splits=1)
    assert all(spread == 0 for spread in single.spread.values())


def test_probe_sees_grain_that_only_renders_have():
    rng = np.random.default_rng(0)
    result = probe(_smooth_crops(rng, 80), _people(80), _smooth_crops(rng, 80, grain=0.3), seed=1)
    assert result.accuracy["texture"] > 0.95 and result.accuracy["spectrum"] > 0.95
    assert result.accuracy["all"] > 0.95


def test_probe_needs_group_labels_for_every_real_crop_and_two_people():
    crops = _smooth_crops(np.random.default_rng(0), 8)
    with pytest.raises(ValueError, match="group labels"):
        probe(crops, ["a"] * 7, crops)
    with pytest.raises(ValueError, match="two people"):
        probe(crops, ["a"] * 8, crops)


def test_renders_reach_the_probe_as_8bit_agc_frames_like_the_real_ones():
    """A float render has thousands of grey levels, real camera frames 256 at most: the probe
    must see renders after the sensor's 8-bit AGC, or it learns the encoding."""
    class FirstFrame(Exception):
        pass

    def detector(grey):  # stops the probe at the first frame it is handed
        raise FirstFrame(grey)

    with pytest.raises(FirstFrame) as handed:
        synthetic_crops(detector, 1, seed=0, setting=training_setting())
    assert len(np.unique(handed.value.args[0])) <= 256


def test_the_real_setting_renders_upright_faces_before_a_curtain_and_takes_overrides():
    setting = real_setting(p_glasses=0.0)
    config = setting.config
    assert setting.p_linear_agc == 1.0  # both real cameras stretch linearly
    assert config.scenes == {"studio": 1.0} and config.p_glasses == 0.0 and not config.rgb
    assert config.p_hand == config.p_mask == config.p_hat == 0.0
    training = SynthConfig()
    assert config.roll_deg[1] < training.roll_deg[1] and config.pitch_deg[1] < training.pitch_deg[1]
    faces = [sample(0, i, "face", config).faces[0].attributes for i in range(6)]
    assert {f["scene"] for f in faces} == {"studio"}
    assert all(abs(f["roll"]) <= 10.0 and abs(f["pitch"]) <= 15.0 for f in faces)


def test_the_real_setting_draws_faces_as_large_and_sharp_as_the_real_cameras():
    config = real_setting().config
    assert config.face_height_px == REAL_FACE_HEIGHT_PX and config.blur_px == REAL_BLUR_PX
    heights = [sample(0, i, "face", config).faces[0].attributes["face_height_px"]
               for i in range(8)]
    assert all(0.9 * REAL_FACE_HEIGHT_PX[0] <= h <= 1.1 * REAL_FACE_HEIGHT_PX[1] for h in heights)


def test_renders_of_the_real_setting_can_be_published_linearly_as_the_real_cameras_do():
    """A linear stretch keeps a cool curtain near black; equalisation lifts it."""
    class FirstFrame(Exception):
        pass

    def detector(grey):
        raise FirstFrame(grey)

    def darkest_tenth(p_linear):
        levels = []
        for seed in range(6):
            with pytest.raises(FirstFrame) as handed:
                synthetic_crops(detector, 1, seed, RenderSetting(real_setting().config, p_linear))
            grey = handed.value.args[0].astype(float)
            levels.append(np.percentile(grey, 10) - grey.min())
        return np.mean(levels)

    assert darkest_tenth(1.0) < darkest_tenth(0.0)


def test_no_real_person_gives_the_probe_more_crops_than_a_tufts_subject(monkeypatch):
    """Terravic has 393 frames of one person: uncapped, one face would carry the score."""
    from types import SimpleNamespace

    from thermal_fld_ros.data.synth import realism
    from thermal_fld_ros.detection.decode import Detections

    box = np.array([20.0, 20.0, 60.0, 70.0], np.float32)
    grey = np.zeros((96, 96), np.float32)

    def frames():
        for person, count in (("long", 40), ("short", 3)):
            for i in range(count):
                face = SimpleNamespace(box=box, attributes={"sequence": person})
                yield "cam", SimpleNamespace(faces=[face], subject=None, source="cam"), grey + i

    monkeypatch.setattr(realism, "boxed_real_frames", frames)
    crops, people = realism.real_crops(lambda g: Detections(box[None], np.ones(1, np.float32)))
    assert people.count("cam:long") == realism.MAX_CROPS_PER_PERSON
    assert people.count("cam:short") == 3 and len(crops) == len(people)
