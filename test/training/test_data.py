"""Training crops: made by preprocess.face_input, labels follow jitter and flips exactly."""

from __future__ import annotations

import numpy as np

from thermal_fld_ros.layout import FLIP_PERMUTATION
from thermal_fld_ros.preprocess import face_input
from thermal_fld_ros.training.config import AugmentConfig
from thermal_fld_ros.training.data import FaceCropDataset, FaceSample, jpeg_roundtrip

NO_JITTER = AugmentConfig(shift=0, scale=0, rotate_deg=0, flip=0, encoding=0, lowres=0)


def test_plain_crop_is_the_inference_crop(tiny_data) -> None:
    sample = tiny_data.train[0]
    item = FaceCropDataset([sample], None)[0]
    crop, transform = face_input(sample.thermal.astype(np.float32), sample.box)
    assert np.array_equal(item["thermal"][0], crop)
    assert np.allclose(item["landmarks"] * 112, transform.to_crop(sample.landmarks), atol=1e-4)
    assert item["rgb"].shape == (3, 112, 112)


def test_labels_follow_jitter(tiny_data) -> None:
    """The fake faces are bright blobs at the landmarks: jittered labels must stay on them."""
    aug = AugmentConfig(encoding=0, lowres=0)
    ds = FaceCropDataset(tiny_data.train, aug, seed=1)
    for index in range(8):
        item = ds[index]
        img = item["thermal"][0]
        pts = np.clip(np.round(item["landmarks"] * 112).astype(int), 0, 111)
        inside = (item["landmarks"] > 0.02).all(1) & (item["landmarks"] < 0.98).all(1)
        on_blobs = img[pts[inside, 1], pts[inside, 0]]
        assert np.median(on_blobs) > np.median(img) + 0.3


def test_flip_mirrors_and_reindexes(tiny_data) -> None:
    plain = FaceCropDataset(tiny_data.train, NO_JITTER)[2]["landmarks"]
    flip = AugmentConfig(shift=0, scale=0, rotate_deg=0, flip=1.0, encoding=0, lowres=0)
    flipped = FaceCropDataset(tiny_data.train, flip)[2]["landmarks"]
    expected = plain[FLIP_PERMUTATION].copy()
    expected[:, 0] = 1.0 - expected[:, 0]
    assert np.allclose(flipped, expected, atol=1e-4)


def test_augmentation_is_keyed_by_seed_epoch_index(tiny_data) -> None:
    ds = FaceCropDataset(tiny_data.train, AugmentConfig(encoding=0), seed=5)
    a = ds[3]["thermal"]
    assert np.array_equal(a, ds[3]["thermal"])
    ds.set_epoch(1)
    assert not np.array_equal(a, ds[3]["thermal"])


def test_palette_augmentation_decodes_with_the_palette_it_encoded() -> None:
    """A grainy radiometric crop re-encoded as a palette and stored as JPEG: its colours often
    fit no palette any more, yet the crop must come back warmer = brighter (JPEG blurs the grain
    at low quality, so the match is loose), not raise."""
    grain = np.random.default_rng(0).normal(0.0, 1.0, (48, 48))
    sample = FaceSample(thermal=(30.0 + grain).astype(np.float16),
                        box=np.array([4, 4, 44, 44], np.float32), landmarks=None, visible=None,
                        radiometric=True)
    plain = FaceCropDataset([sample], None)[0]["thermal"].ravel()
    encoded = AugmentConfig(shift=0, scale=0, rotate_deg=0, flip=0, encoding=1.0, lowres=0)
    for seed in range(40):
        crop = FaceCropDataset([sample], encoded, seed=seed)[0]["thermal"].ravel()
        assert np.corrcoef(plain, crop)[0, 1] > 0.3


def test_jpeg_storage_leaves_8x8_block_edges_on_smooth_frames() -> None:
    """A smooth gradient keeps no block structure of its own; after JPEG at low quality the
    steps between neighbouring pixels concentrate on the 8-pixel block borders."""
    ramp = np.add.outer(np.linspace(0, 120, 64), np.linspace(0, 90, 64)) ** 1.1
    frame = np.clip(ramp / ramp.max() * 255, 0, 255).astype(np.uint8)
    stored = jpeg_roundtrip(frame, 20)
    assert stored.shape == frame.shape and stored.dtype == np.uint8
    out = stored.astype(np.float32)
    steps = np.abs(np.diff(out, axis=1)).mean(0)  # step between columns c and c + 1
    border = steps[7::8].mean()
    inside = np.delete(steps, np.s_[7::8]).mean()
    assert border > 1.3 * inside
    assert np.abs(out - frame).mean() < 4.0  # lossy, not destroyed
