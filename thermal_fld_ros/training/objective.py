"""One objective for every stage and baseline: task loss + the distillation terms a config enables.

Stages differ only in configuration (training/config.py):
- teacher:  RGB TeacherNet, task loss only, no teacher.
- transfer (KTL): thermal TeacherNet, frozen RGB teacher, DIKD (forward + reverse injection).
- compress (MCL): thermal StudentNet, frozen KTL thermal model, FD + LD.
Baselines are the compress stage with the RGB teacher and FD / LD / FD+LD / CKD terms, or
nothing (student from scratch).

The frozen teacher's input is chosen by its channel count: 3 -> the paired RGB crop (cross-modal),
1 -> the thermal crop (MCL). Distillation terms are multiplied by the time-adaptive decay weight;
the task, score and domain-adaptation terms are not.
"""

from __future__ import annotations

import torch
from torch import nn

from thermal_fld_ros.networks.adapters import Adapter
from thermal_fld_ros.networks.base import LandmarkNet
from thermal_fld_ros.training import losses as L
from thermal_fld_ros.training.config import DecayConfig, LossWeights

KD_TERMS = ("fd", "ld", "ckd_style", "ckd_content", "dikd_forward", "dikd_reverse", "dikd_reverse_logit")


def _input(batch: dict[str, torch.Tensor], in_channels: int) -> torch.Tensor:
    return batch["rgb"] if in_channels == 3 else batch["thermal"]


class Objective(nn.Module):
    """Trainable model + training-only adapters + frozen teacher; forward returns the loss terms."""

    def __init__(self, model: LandmarkNet, weights: LossWeights, decay: DecayConfig,
                 teacher: LandmarkNet | None = None) -> None:
        super().__init__()
        self.model = model
        self.weights = weights
        self.decay = decay
        self.teacher = teacher
        if teacher is not None:
            teacher.eval()
            for p in teacher.parameters():
                p.requires_grad_(False)
        c_m = model.feature_channels
        c_t = teacher.feature_channels if teacher is not None else c_m
        adapters = {}
        if weights.fd > 0:
            adapters["fd"] = Adapter(c_m, c_t)
        if weights.ckd_style > 0 or weights.ckd_content > 0:
            adapters["ckd"] = Adapter(c_m, c_t)
        if weights.dikd_forward > 0:
            adapters["dikd_forward"] = Adapter(c_t, c_m)
        if weights.dikd_reverse > 0 or weights.dikd_reverse_logit > 0:
            adapters["dikd_reverse"] = Adapter(c_m, c_t)
        self.adapters = nn.ModuleDict(adapters)

    def train(self, mode: bool = True) -> "Objective":
        super().train(mode)
        if self.teacher is not None:
            self.teacher.eval()  # frozen: BN keeps its running statistics
        return self

    def trainable_state(self) -> dict[str, torch.Tensor]:
        """Model + adapters (the teacher is restored from its own checkpoint)."""
        return {k: v for k, v in self.state_dict().items() if not k.startswith("teacher.")}

    def forward(self, batch: dict[str, torch.Tensor], progress: float) -> dict[str, torch.Tensor]:
        w = self.weights
        x = _input(batch, self.model.stem_in_channels())
        n = x.shape[0]
        if "real" in batch and w.da_style > 0:
            feats_all = self.model.features(torch.cat((x, batch["real"]), 0))
            feats, feats_real = feats_all[:n], feats_all[n:]
        else:
            feats, feats_real = self.model.features(x), None
        own = self.model.head.decode(feats)
        gt = batch["landmarks"]
        terms = {"task": L.landmark_loss(own.landmarks, gt),
                 "score": L.score_loss(own.score_logits, own.landmarks, gt, batch["visible"])}
        if feats_real is not None:
            terms["da_style"] = L.batch_style_loss(feats, feats_real)
        if self.teacher is not None:
            terms.update(self._distillation(batch, feats, own.heatmap_logits, gt))
        kd_weight = L.decay_weight(progress, self.decay.kind, self.decay.end)
        total = x.new_zeros(())
        for name, value in terms.items():
            total = total + getattr(w, name) * (kd_weight if name in KD_TERMS else 1.0) * value
        terms["total"] = total
        terms["kd_weight"] = torch.tensor(kd_weight)
        return terms

    def _distillation(self, batch: dict[str, torch.Tensor], feats: torch.Tensor,
                      heat: torch.Tensor, gt: torch.Tensor) -> dict[str, torch.Tensor]:
        w, teacher = self.weights, self.teacher
        assert teacher is not None
        with torch.no_grad():
            t_feats = teacher.features(_input(batch, teacher.stem_in_channels()))
            t_out = teacher.head.decode(t_feats)
        terms: dict[str, torch.Tensor] = {}
        if w.fd > 0:
            terms["fd"] = L.relative_mse(self.adapters["fd"](feats), t_feats)
        if w.ld > 0:
            terms["ld"] = L.heatmap_kl(heat, t_out.heatmap_logits, w.ld_temperature)
        if "ckd" in self.adapters:
            mapped = self.adapters["ckd"](feats)
            # The RGB teacher is frozen here, so the style term aligns the thermal side only.
            terms["ckd_style"] = L.style_loss(mapped, t_feats)
            terms["ckd_content"] = L.content_loss(mapped, t_feats)
        if w.dikd_forward > 0:
            # Forward injection: teacher RGB features drive the trained model's own head.
            injected = self.model.head.decode(self.adapters["dikd_forward"](t_feats))
            terms["dikd_forward"] = L.landmark_loss(injected.landmarks, gt)
        if "dikd_reverse" in self.adapters:
            # Reverse injection: trained features through the frozen teacher head (closed loop);
            # gradients pass through the head into the adapter and the trained backbone only.
            rev = teacher.head.decode(self.adapters["dikd_reverse"](feats))
            terms["dikd_reverse"] = L.landmark_loss(rev.landmarks, gt)
            terms["dikd_reverse_logit"] = L.heatmap_kl(rev.heatmap_logits, t_out.heatmap_logits,
                                                       w.ld_temperature)
        return terms
