"""generate_face / generate_scene / stream: the contract other modules train on."""

import numpy as np
import pytest

from thermal_fld_ros.data.synth import SynthConfig, generate_face, generate_scene, sample, stream
from thermal_fld_ros.layout import FLIP_PERMUTATION, face_box_from_landmarks

PLAIN = dict(p_glasses=0.0, p_mask=0.0, p_hat=0.0, p_hand=0.0, p_beard=0.0)


def test_same_seed_same_sample_and_stream_is_the_indexed_sequence():
    a = sample(7, 3, "face")
    b = sample(7, 3, "face")
    np.testing.assert_array_equal(a.image, b.image)
    np.testing.assert_array_equal(a.rgb, b.rgb)
    np.testing.assert_array_equal(a.faces[0].landmarks, b.faces[0].landmarks)
    it = stream(7)
    first = [next(it) for _ in range(4)]
    np.testing.assert_array_equal(first[3].image, a.image)
    assert not np.array_equal(first[0].image, first[1].image)


def test_face_sample_contract():
    rng = np.random.default_rng(0)
    for _ in range(6):
        s = generate_face(rng)
        h, w = s.image.shape
        assert s.image.dtype == np.float32 and s.radiometric and max(h, w) <= 256
        assert s.rgb.shape == (h, w, 3) and s.rgb.dtype == np.uint8
        assert len(s.faces) == 1
        f = s.faces[0]
        assert f.landmarks.shape == (54, 2) and f.landmarks.dtype == np.float32
        assert f.visible.shape == (54,) and f.visible.dtype == bool
        np.testing.assert_allclose(f.box, face_box_from_landmarks(f.landmarks))
        assert (f.landmarks >= -0.5).all() and (f.landmarks[:, 0] <= w - 0.5).all()
        assert (f.landmarks[:, 1] <= h - 0.5).all()
        for key in ("yaw", "pitch", "roll", "expression", "glasses", "mask", "hat", "beard",
                    "scene", "ambient_c", "face_height_px"):
            assert key in f.attributes
        assert abs(f.attributes["face_height_px"] - (f.box[3] - f.box[1])) < 0.05
        if f.visible[30] and 30 not in f.attributes["occluded"]:
            x, y = np.round(f.landmarks[30]).astype(int)
            assert f.attributes["ambient_c"] < s.image[y, x] + 2.0 and s.image[y, x] < 40.0


def test_small_faces_are_rendered_small():
    config = SynthConfig(face_height_px=(20.0, 20.0))
    s = generate_face(np.random.default_rng(1), config)
    assert abs(s.faces[0].attributes["face_height_px"] - 20.0) < 1.0
    assert max(s.image.shape) <= 64


def test_poses_follow_the_config():
    config = SynthConfig(yaw_deg=(60.0, 60.0), pitch_deg=(0.0, 0.0), roll_deg=(0.0, 0.0), **PLAIN)
    for seed in range(3):
        f = generate_face(np.random.default_rng(seed), config).faces[0]
        assert f.attributes["yaw"] == 60.0
        # the face turned toward image right hides its image-right jaw, shows the left one
        assert not f.visible[13:17].all() and f.visible[0:5].all()
        assert f.landmarks[30, 0] > f.landmarks[27, 0]  # nose tip points right


def test_mirrored_yaw_hides_the_mirrored_points():
    def visible(yaw):
        config = SynthConfig(yaw_deg=(yaw, yaw), pitch_deg=(0.0, 0.0), roll_deg=(0.0, 0.0),
                             asymmetry=0.0, **PLAIN)
        return generate_face(np.random.default_rng(4), config).faces[0].visible

    right, left = visible(65.0), visible(-65.0)
    assert (right[FLIP_PERMUTATION] == left).mean() > 0.95


def test_landmarks_sit_on_warm_skin_in_thermal_and_on_the_face_in_rgb():
    config = SynthConfig(scenes={"studio": 1.0}, yaw_deg=(0.0, 0.0), pitch_deg=(0.0, 0.0),
                         face_height_px=(120.0, 120.0), ambient_c={"studio": (20.0, 20.0)}, **PLAIN)
    s = generate_face(np.random.default_rng(2), config)
    f = s.faces[0]
    inner = [27, 28, 29, 30, 33, 39, 42]  # points well inside the face
    px = np.round(f.landmarks[inner]).astype(int)
    skin = s.image[px[:, 1], px[:, 0]]
    # on skin, not the 20 C room: the nose tip (30) may keep as little as 35 % of the skin-room
    # difference (thermal.NOSE_MAX_DROP), about 5 C here; the eye corners are the warmest
    assert (np.delete(skin, 3) > 20.0 + 5.0).all() and skin[3] > 20.0 + 3.0
    assert (skin[-2:] > 31.0).all()
    corner = s.rgb[2, 2].astype(int)
    assert (np.abs(s.rgb[px[:, 1], px[:, 0]].astype(int) - corner).sum(1) > 20).all()


def test_scene_frames_have_sensor_sizes_and_boxes_for_every_face():
    config = SynthConfig()
    counts = []
    for seed in range(6):
        s = generate_scene(np.random.default_rng(seed), config)
        h, w = s.image.shape
        assert (w, h) in config.resolutions and s.rgb.shape == (h, w, 3)
        counts.append(len(s.faces))
        for f in s.faces:
            np.testing.assert_allclose(f.box, face_box_from_landmarks(f.landmarks))
            assert f.box[0] >= 0 and f.box[1] >= 0 and f.box[2] <= w - 1 and f.box[3] <= h - 1
        assert len(s.faces) <= config.max_faces
    assert max(counts) >= 2


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        sample(0, 0, "video")


def _frontal(**kw):
    base = dict(PLAIN, yaw_deg=(0.0, 0.0), pitch_deg=(0.0, 0.0), roll_deg=(0.0, 0.0),
                face_height_px=(100.0, 100.0), p_other_people=0.0)
    base.update(kw)
    return SynthConfig(**base)


def test_accessories_occlude_but_do_not_self_occlude():
    masked = generate_face(np.random.default_rng(0), _frontal(p_mask=1.0)).faces[0]
    under_mask = [30, 33, 48, 49, 50, 51]
    assert masked.attributes["mask"] and masked.visible[under_mask].all()
    assert set(under_mask) <= set(masked.attributes["occluded"])
    glasses = generate_face(np.random.default_rng(0), _frontal(p_glasses=1.0)).faces[0]
    assert glasses.attributes["glasses"]
    assert {37, 38, 43, 44} <= set(glasses.attributes["occluded"])
    plain = generate_face(np.random.default_rng(0), _frontal()).faces[0]
    assert not set(plain.attributes["occluded"]) & set(range(27, 54))


def test_glasses_are_cold_plates_in_thermal():
    s = generate_face(np.random.default_rng(1), _frontal(p_glasses=1.0, scenes={"studio": 1.0}))
    f = s.faces[0]
    eye = np.round(f.landmarks[[37, 44]]).astype(int)
    cheek = np.round((f.landmarks[[2, 14]] + f.landmarks[[31, 35]]) / 2).astype(int)
    assert (s.image[eye[:, 1], eye[:, 0]] < s.image[cheek[:, 1], cheek[:, 0]] - 3.0).all()
