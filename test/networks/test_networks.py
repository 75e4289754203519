"""Landmark networks: output contract, budgets, sub-pixel decode, checkpoint round trip."""

from __future__ import annotations

import pytest
import torch

from thermal_fld_ros.layout import NUM_LANDMARKS
from thermal_fld_ros.networks import build_network, checkpoint_dict, load_checkpoint
from thermal_fld_ros.networks.adapters import Adapter
from thermal_fld_ros.networks.flops import count_macs, count_params
from thermal_fld_ros.networks.heads import HeatmapHead

torch.set_num_threads(1)


@pytest.mark.parametrize("arch,channels", [("teacher", 3), ("teacher", 1), ("student", 1)])
def test_forward_contract(arch: str, channels: int) -> None:
    model = build_network(arch, channels).eval()
    landmarks, scores = model(torch.randn(2, channels, 112, 112))
    assert landmarks.shape == (2, NUM_LANDMARKS, 2) and landmarks.dtype == torch.float32
    assert scores.shape == (2, NUM_LANDMARKS)
    assert landmarks.min() >= 0 and landmarks.max() <= 1
    assert scores.min() >= 0 and scores.max() <= 1
    feats = model.features(torch.randn(1, channels, 112, 112))
    assert feats.shape == (1, model.feature_channels, 14, 14)


def test_budgets() -> None:
    student = build_network("student", 1)
    assert count_params(student) <= 500_000
    assert count_macs(student, 1) <= 50_000_000
    teacher = build_network("teacher", 3)
    assert count_params(teacher) >= 2_000_000  # "real capacity": several million parameters


def test_soft_argmax_is_sub_pixel() -> None:
    head = HeatmapHead(4, 4, num_points=1)
    logits = torch.full((1, 1, 14, 14), -30.0)
    logits[0, 0, 5, 7] = logits[0, 0, 5, 8] = 0.0  # mass split between two cells in x
    x_centre = 8.0 / 14.0  # between the centres (7.5/14 and 8.5/14)
    prob = torch.softmax(logits.flatten(2), -1).reshape(1, 1, 14, 14)
    xs = (torch.arange(14) + 0.5) / 14
    assert float((prob.sum(2) * xs).sum()) == pytest.approx(x_centre, abs=1e-5)
    assert head.decode(torch.randn(1, 4, 14, 14)).heatmap_logits.shape == (1, 1, 14, 14)


def test_adapter_identity_at_init() -> None:
    x = torch.randn(2, 8, 5, 5)
    assert torch.allclose(Adapter(8, 8).train()(x), x)
    assert Adapter(8, 16)(x).shape == (2, 16, 5, 5)


def test_checkpoint_round_trip(tmp_path) -> None:
    model = build_network("student", 1).eval()
    path = tmp_path / "m.pt"
    torch.save(checkpoint_dict(model, "student", {}, 1, extra=1), path)
    loaded = load_checkpoint(path)
    assert not loaded.training
    x = torch.randn(1, 1, 112, 112)
    for a, b in zip(model(x), loaded(x)):
        assert torch.equal(a, b)
