"""Training targets, crops and their workers: boxes follow the geometric augmentation, targets mark
the centres, worker processes render their own scenes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from thermal_fld_ros.detection.inputs import INPUT_HEIGHT, INPUT_WIDTH, SIZE_UNIT, STRIDE
from thermal_fld_ros.detection.model import FaceDetector
from thermal_fld_ros.detection.train import (ScenePool, detector_loss, main, sample, targets, training_batches,
                                             training_example)


def test_targets_peak_at_the_box_centre_with_log_size_and_offset():
    t = targets(np.array([[40, 20, 80, 68]], np.float32), 128, 160)
    iy, ix = np.unravel_index(np.argmax(t["heat"]), t["heat"].shape)
    assert (iy, ix) == (44 // STRIDE, 60 // STRIDE) and t["heat"][iy, ix] == 1.0
    np.testing.assert_allclose(np.exp(t["size"][:, iy, ix]) * SIZE_UNIT, [40, 48], rtol=1e-5)
    np.testing.assert_allclose(t["offset"][:, iy, ix], [0.0, 0.0], atol=1e-6)
    assert t["mask"].sum() == 1


def test_crop_boxes_cover_the_bright_face_they_came_from():
    rng = np.random.default_rng(0)
    grey = np.zeros((240, 320), np.float32)
    box = np.array([[100, 60, 160, 140]], np.float32)
    grey[60:140, 100:160] = 10.0
    for _ in range(10):
        crop, boxes = sample(grey, box, rng)
        for x1, y1, x2, y2 in boxes.round().astype(int):
            inner = crop[max(y1 + 2, 0):y2 - 2, max(x1 + 2, 0):x2 - 2]
            if inner.size:
                assert inner.mean() > 0.5  # the face is bright in the crop too


def test_loss_decreases_on_one_batch():
    torch.manual_seed(0)
    model = FaceDetector()
    image = torch.zeros(2, 1, 64, 64)
    image[:, :, 16:40, 20:44] = 1.0
    t = targets(np.array([[20, 16, 44, 40]], np.float32), 64, 64)
    batch = {k: torch.from_numpy(np.stack([v, v])) for k, v in t.items()}
    optimiser = torch.optim.Adam(model.parameters(), 1e-2)
    first = None
    for _ in range(15):
        loss, _ = detector_loss(model.raw(image), batch)
        first = first if first is not None else loss.item()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    assert loss.item() < 0.7 * first


class NoSyntheticScenes:
    """A scene pool that must not be drawn from (real_share=1 takes every crop from real frames)."""

    def sample(self):
        raise AssertionError("a synthetic scene was drawn")


def test_real_share_one_trains_on_the_real_boxes_only():
    grey = np.full((240, 320), 20.0, np.float32)
    grey[60:140, 100:160] = 34.0
    real = [(grey, np.array([[100, 60, 160, 140]], np.float32))]
    rng = np.random.default_rng(0)
    examples = [training_example(NoSyntheticScenes(), rng, real, real_share=1.0) for _ in range(6)]
    assert all(e["image"].shape == (1, INPUT_HEIGHT, INPUT_WIDTH) for e in examples)
    assert sum(e["mask"].sum() for e in examples) >= 1  # the real face is a training target in some crops


def test_worker_processes_render_synthetic_batches_with_face_targets():
    batches = iter(training_batches(seed=0, workers=2, batch_size=4))
    first, second = next(batches), next(batches)  # one batch from each worker
    assert first["image"].shape == (4, 1, INPUT_HEIGHT, INPUT_WIDTH)
    assert first["heat"].shape == (4, INPUT_HEIGHT // STRIDE, INPUT_WIDTH // STRIDE)
    assert not torch.equal(first["image"], second["image"])  # the workers draw their own scenes
    assert float(first["mask"].sum() + second["mask"].sum()) >= 1  # faces became targets


def test_a_scene_pool_with_a_share_too_small_to_warm_still_renders_its_first_scene():
    image, boxes = ScenePool(seed=0, capacity=0, warm=0).sample()
    assert image.ndim == 2 and boxes.shape[1] == 4


def test_training_without_crop_workers_is_refused_with_a_message(capsys):
    with pytest.raises(SystemExit):
        main(["--workers", "0"])
    assert "--workers must be at least 1" in capsys.readouterr().err
