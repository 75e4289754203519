"""Loss terms of MLCM-KD, its baselines and domain adaptation; all pure functions of tensors.

Coordinates are normalised crop coordinates (0..1 across the 112 px crop), so one unit of L1 is
112 px; feature losses are scale-free so that one weight works for any backbone width.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

#: Localisation error (normalised crop units, ~3.4 px) at which the score target falls to exp(-1/2).
SCORE_SIGMA = 0.03
_EPS = 1e-6


def landmark_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """L1 over all 54 points: synthetic labels give self-occluded points too (SF-TL54 labels all)."""
    return (pred - target).abs().sum(-1).mean()


def score_target(pred: torch.Tensor, target: torch.Tensor, visible: torch.Tensor) -> torch.Tensor:
    """What the confidence should say: visible * exp(-err^2 / 2 sigma^2), err detached."""
    err2 = (pred.detach() - target).pow(2).sum(-1)
    return visible.float() * torch.exp(-err2 / (2 * SCORE_SIGMA**2))


def score_loss(score_logits: torch.Tensor, pred: torch.Tensor, target: torch.Tensor,
               visible: torch.Tensor) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(score_logits, score_target(pred, target, visible))


def relative_mse(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """Feature distillation: MSE / teacher energy, teacher detached (scale-free FitNets)."""
    teacher = teacher.detach()
    return (student - teacher).pow(2).mean() / (teacher.pow(2).mean() + _EPS)


def heatmap_kl(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Logit distillation: KL(teacher || student) of the per-point spatial softmax, times T^2."""
    n, k = student_logits.shape[:2]
    s = F.log_softmax(student_logits.reshape(n, k, -1) / temperature, dim=-1)
    t = F.log_softmax(teacher_logits.detach().reshape(n, k, -1) / temperature, dim=-1)
    return (t.exp() * (t - s)).sum(-1).mean() * temperature**2


def channel_stats(f: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-sample, per-channel mean and std over spatial positions: the CKD "style"."""
    flat = f.flatten(2)
    return flat.mean(-1), (flat.var(-1, unbiased=False) + _EPS).sqrt()


def style_loss(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """CKD style loss: mean((mu_a - mu_b)^2 + (sigma_a - sigma_b)^2); zero for equal statistics.

    Gradients reach both inputs (CKD couples the two modality branches); detach one side to
    align only the other.
    """
    mu_a, sd_a = channel_stats(a)
    mu_b, sd_b = channel_stats(b)
    return ((mu_a - mu_b).pow(2) + (sd_a - sd_b).pow(2)).mean()


def batch_style_loss(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Style loss between two unpaired batches (synthetic vs real): batch-averaged channel stats."""
    mu_a, sd_a = channel_stats(a)
    mu_b, sd_b = channel_stats(b)
    return ((mu_a.mean(0) - mu_b.mean(0)).pow(2) + (sd_a.mean(0) - sd_b.mean(0)).pow(2)).mean()


def instance_norm(f: torch.Tensor) -> torch.Tensor:
    return F.instance_norm(f, eps=1e-5)


def content_loss(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """CKD content loss: MSE between instance-normalised (style-free) features, teacher detached."""
    return F.mse_loss(instance_norm(student), instance_norm(teacher.detach()))


def decay_weight(progress: float, kind: str, end: float) -> float:
    """Time-adaptive distillation weight at training progress p in [0, 1].

    cosine: end + (1 - end) * (1 + cos(pi p)) / 2 -- flat early (the teacher guides while the
    thermal model's features are poor), steepest mid-run, flat late (the task loss fine-tunes
    without the cross-modal pull, which by then mostly fights modality-specific detail).
    linear: 1 - (1 - end) p. none: 1. All are monotone non-increasing with w(0)=1, w(1)=end.
    """
    p = min(max(progress, 0.0), 1.0)
    if kind == "none":
        return 1.0
    if kind == "cosine":
        return end + (1.0 - end) * 0.5 * (1.0 + math.cos(math.pi * p))
    if kind == "linear":
        return 1.0 - (1.0 - end) * p
    raise ValueError(f"unknown decay kind {kind!r}")
