"""Loss terms have the properties the method relies on."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from thermal_fld_ros.networks import build_network
from thermal_fld_ros.training import losses as L
from thermal_fld_ros.training.config import DecayConfig, LossWeights
from thermal_fld_ros.training.objective import Objective

torch.set_num_threads(1)


def test_style_loss_zero_for_identical_channel_statistics() -> None:
    a = torch.randn(2, 8, 6, 6)
    shuffled = a.flatten(2)[..., torch.randperm(36)].reshape(a.shape)  # same stats, other layout
    assert float(L.style_loss(a, shuffled)) == pytest.approx(0.0, abs=1e-6)
    assert float(L.style_loss(a, 2 * a + 1)) > 0.1
    assert float(L.batch_style_loss(a, a[[1, 0]])) == pytest.approx(0.0, abs=1e-6)


def test_style_loss_sends_gradient_to_both_sides() -> None:
    a, b = torch.randn(2, 4, 5, 5, requires_grad=True), torch.randn(2, 4, 5, 5, requires_grad=True)
    L.style_loss(a, b).backward()
    assert a.grad.abs().sum() > 0 and b.grad.abs().sum() > 0


def test_content_loss_ignores_style() -> None:
    s = torch.randn(2, 8, 6, 6)
    scale = torch.rand(1, 8, 1, 1) + 0.5
    shift = torch.randn(1, 8, 1, 1)
    assert float(L.content_loss(s * scale + shift, s)) == pytest.approx(0.0, abs=1e-4)


def test_feature_and_logit_distillation_zero_at_match() -> None:
    t = torch.randn(2, 8, 4, 4)
    assert float(L.relative_mse(t, t)) == 0.0
    assert float(L.heatmap_kl(t, t)) == pytest.approx(0.0, abs=1e-6)
    assert float(L.heatmap_kl(t, torch.randn_like(t))) > 0


@pytest.mark.parametrize("kind", ["cosine", "linear"])
def test_decay_monotone_and_reaches_end(kind: str) -> None:
    ps = np.linspace(0, 1, 101)
    ws = [L.decay_weight(p, kind, 0.1) for p in ps]
    assert ws[0] == pytest.approx(1.0) and ws[-1] == pytest.approx(0.1)
    assert all(b <= a + 1e-12 for a, b in zip(ws, ws[1:]))
    assert L.decay_weight(0.7, "none", 0.1) == 1.0


def test_score_target_is_quality() -> None:
    gt = torch.zeros(1, 2, 2)
    pred = torch.tensor([[[0.0, 0.0], [0.2, 0.0]]])
    target = L.score_target(pred, gt, torch.tensor([[1, 1]]))
    assert target[0, 0] == pytest.approx(1.0) and target[0, 1] < 1e-3
    assert float(L.score_target(pred, gt, torch.tensor([[0, 1]]))[0, 0]) == 0.0


def _batch(n: int = 2) -> dict[str, torch.Tensor]:
    return {"thermal": torch.randn(n, 1, 112, 112), "rgb": torch.randn(n, 3, 112, 112),
            "landmarks": torch.rand(n, 54, 2), "visible": torch.ones(n, 54)}


def test_reverse_injection_sends_no_gradient_into_frozen_teacher() -> None:
    torch.manual_seed(0)
    teacher = build_network("teacher", 3)
    model = build_network("teacher", 1)
    weights = LossWeights(task=0.0, score=0.0, dikd_reverse=1.0, dikd_reverse_logit=1.0)
    objective = Objective(model, weights, DecayConfig(), teacher).train()
    assert not teacher.training  # frozen teacher keeps its BN statistics
    objective(_batch(), 0.0)["total"].backward()
    assert all(p.grad is None for p in teacher.parameters())
    assert model.stem[0][0].weight.grad.abs().sum() > 0  # closed loop reaches the thermal backbone
    assert objective.adapters["dikd_reverse"].conv.weight.grad is not None
    # own head is not in this loop (task weight 0 here): zero gradient
    assert all(float(p.grad.abs().sum()) == 0.0 for p in model.head.parameters())


def test_forward_injection_trains_own_head_not_teacher() -> None:
    torch.manual_seed(0)
    teacher = build_network("teacher", 3)
    model = build_network("teacher", 1)
    weights = LossWeights(task=0.0, score=0.0, dikd_forward=1.0)
    objective = Objective(model, weights, DecayConfig(), teacher).train()
    objective(_batch(), 0.5)["total"].backward()
    assert all(p.grad is None for p in teacher.parameters())
    assert model.head.out.weight.grad.abs().sum() > 0
    assert float(model.stem[0][0].weight.grad.abs().sum()) == 0.0  # backbone untouched by this term


def test_decay_scales_only_distillation_terms() -> None:
    torch.manual_seed(0)
    teacher = build_network("student", 1).eval()
    model = build_network("student", 1)
    weights = LossWeights(task=1.0, score=0.0, fd=1.0)
    objective = Objective(model, weights, DecayConfig(kind="linear", end=0.0), teacher).eval()
    batch = _batch()
    end = objective(batch, 1.0)
    assert float(end["total"]) == pytest.approx(float(end["task"]), rel=1e-5)
    start = objective(batch, 0.0)
    assert float(start["total"]) == pytest.approx(float(start["task"] + start["fd"]), rel=1e-5)
