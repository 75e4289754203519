"""The one training loop behind every stage and baseline (``thermal-fld train``, the ablation).

- Deterministic: seeds fixed, sample augmentation keyed by (seed, epoch, index), the sampler's
  order keyed by (seed, epoch); a resume continues from the exact batch after the checkpoint.
- Checkpoints: ``last.pt`` (full training state, every ``checkpoint_every`` steps and at each
  epoch end) and ``model.pt`` (weights of the best validation epoch, the format
  ``networks.load_checkpoint`` reads). All loads use ``torch.load(weights_only=True)``.
- Model selection: lowest validation L1 (normalised crop units, no augmentation); NME/FR/AUC
  are computed by ``thermal-fld eval`` with ``thermal_fld_ros.metrics``.
- DDP: under torchrun each rank trains on its DistributedSampler shard, gradients are averaged
  by DistributedDataParallel, rank 0 writes logs and checkpoints.
"""

from __future__ import annotations

import logging
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler
from tqdm import tqdm

from thermal_fld_ros.networks import build_network, checkpoint_dict, load_checkpoint
from thermal_fld_ros.networks.base import LandmarkNet
from thermal_fld_ros.training import losses
from thermal_fld_ros.training.config import TrainConfig, to_dict
from thermal_fld_ros.training.data import (
    FaceCropDataset,
    FaceSample,
    load_extra_faces,
    load_real_faces,
    load_synth_faces,
)
from thermal_fld_ros.training.distributed import DistContext, init_distributed
from thermal_fld_ros.training.logs import RunLogger
from thermal_fld_ros.training.objective import Objective

LOG = logging.getLogger(__name__)
LAST, BEST = "last.pt", "model.pt"
#: Patch size of the CKD input masking.
MASK_PATCH = 16


@dataclass
class TrainData:
    """Face samples a run trains and validates on (loaded once, shared by ablation runs)."""

    train: list[FaceSample]
    val: list[FaceSample]
    real: list[FaceSample]


@dataclass
class TrainResult:
    run_dir: Path
    model_path: Path
    best_val_l1: float
    steps: int
    seconds: float


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_data(cfg: TrainConfig) -> TrainData:
    real = load_real_faces(cfg.data.real_sources) if cfg.data.real_sources else []
    train = load_synth_faces(cfg.data.synth, "train", cfg.data.train_count)
    train += load_extra_faces(cfg.data.extra)
    if cfg.model.modality == "rgb":
        train += load_extra_faces(cfg.data.extra_rgb, rgb_only=True)
    return TrainData(train=train, val=load_synth_faces(cfg.data.synth, "val"), real=real)


def init_weights(model: LandmarkNet, path: str) -> None:
    """Copy weights from a checkpoint; a 3-channel stem is summed into a 1-channel one.

    Summing keeps the stem's response to a grey image (R=G=B) unchanged, so the KTL thermal
    model starts from the RGB teacher's features instead of from scratch.
    """
    source = torch.load(path, map_location="cpu", weights_only=True)["state_dict"]
    target = model.state_dict()
    for key, value in source.items():
        if key in target and value.shape != target[key].shape and value.ndim == 4 \
                and value.shape[1] == 3 and target[key].shape[1] == 1:
            source[key] = value.sum(dim=1, keepdim=True)
    model.load_state_dict(source)


def lr_factor(step: int, total: int, warmup: int) -> float:
    """Linear warm-up, then cosine to zero."""
    if step < warmup:
        return (step + 1) / warmup
    return 0.5 * (1.0 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total - warmup))))


def mask_input(x: torch.Tensor, share: float) -> torch.Tensor:
    """CKD input masking: zero a random ``share`` of MASK_PATCH x MASK_PATCH patches per image."""
    n, _, h, w = x.shape
    keep = (torch.rand(n, 1, h // MASK_PATCH, w // MASK_PATCH, device=x.device) >= share).to(x.dtype)
    return x * torch.nn.functional.interpolate(keep, size=(h, w), mode="nearest")


class Trainer:
    """Builds model, teacher, objective, optimiser and data for ``cfg`` and runs the loop."""

    def __init__(self, cfg: TrainConfig, data: TrainData | None = None, ctx: DistContext | None = None,
                 progress_bar: bool = True) -> None:
        self.cfg = cfg
        self.ctx = ctx or init_distributed()
        torch.set_num_threads(cfg.threads)
        seed_everything(cfg.seed)
        self.run_dir = Path(cfg.run_dir)
        self.progress_bar = progress_bar and self.ctx.is_main
        if self.ctx.is_main:
            self.run_dir.mkdir(parents=True, exist_ok=True)
        self.ctx.barrier()
        self.data = data or load_data(cfg)
        in_channels = 3 if cfg.model.modality == "rgb" else 1
        self.in_channels = in_channels
        self.model = build_network(cfg.model.arch, in_channels, **cfg.model.arch_kwargs)
        if cfg.model.init_from:
            init_weights(self.model, cfg.model.init_from)
        teacher = load_checkpoint(cfg.teacher) if cfg.teacher else None
        self.objective = Objective(self.model, cfg.losses, cfg.decay, teacher).to(self.ctx.device)
        self.wrapped = (DistributedDataParallel(self.objective) if self.ctx.enabled else self.objective)
        params = [p for p in self.objective.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(params, lr=cfg.optim.lr, weight_decay=cfg.optim.weight_decay)
        needs_rgb = in_channels == 3 or (teacher is not None and teacher.stem_in_channels() == 3)
        train = [s for s in self.data.train if s.rgb is not None] if needs_rgb else self.data.train
        self.train_set = FaceCropDataset(train, cfg.data.augment, cfg.seed, with_rgb=needs_rgb)
        self.val_set = FaceCropDataset(self.data.val, None, cfg.seed, with_rgb=in_channels == 3)
        self.real_set = FaceCropDataset(self.data.real, cfg.data.augment, cfg.seed + 1, with_rgb=False)
        self.sampler = DistributedSampler(self.train_set, num_replicas=self.ctx.world_size, rank=self.ctx.rank,
                                          shuffle=True, seed=cfg.seed, drop_last=True)
        self.steps_per_epoch = len(self.sampler) // cfg.data.batch_size
        if self.steps_per_epoch == 0:
            raise ValueError("fewer training faces per rank than one batch")
        total = cfg.optim.epochs * self.steps_per_epoch
        self.total_steps = min(total, cfg.optim.max_steps) if cfg.optim.max_steps else total
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda s: lr_factor(s, self.total_steps, cfg.optim.warmup_steps))
        self.step = 0
        self.best = float("inf")
        self.seconds = 0.0  # training wall time, accumulated over resumes
        self.logger = RunLogger(self.run_dir, enabled=self.ctx.is_main)
        self._start = time.time()
        self._resume()

    # ------------------------------------------------------------------ checkpoints

    def _checkpoint(self) -> dict:
        return checkpoint_dict(
            self.model, self.cfg.model.arch, self.cfg.model.arch_kwargs, self.in_channels,
            objective=self.objective.trainable_state(), optimizer=self.optimizer.state_dict(),
            scheduler=self.scheduler.state_dict(), step=self.step, best=self.best,
            seconds=self.seconds + time.time() - self._start, torch_rng=torch.get_rng_state(), config=to_dict(self.cfg))

    def save(self) -> None:
        if self.ctx.is_main:
            tmp = self.run_dir / (LAST + ".tmp")
            torch.save(self._checkpoint(), tmp)
            tmp.replace(self.run_dir / LAST)
        self.ctx.barrier()

    def _resume(self) -> None:
        path = self.run_dir / LAST
        if not path.exists():
            return
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
        self.objective.load_state_dict(ckpt["objective"], strict=False)
        self.optimizer.load_state_dict(ckpt["optimizer"])
        self.scheduler.load_state_dict(ckpt["scheduler"])
        self.step, self.best = int(ckpt["step"]), float(ckpt["best"])
        self.seconds = float(ckpt["seconds"])
        torch.set_rng_state(ckpt["torch_rng"])
        self.logger.truncate("train", self.step)
        self.logger.truncate("val", self.step)
        LOG.info("resumed %s at step %d", path, self.step)

    # ------------------------------------------------------------------ loop

    def _batch(self, indices: list[int], dataset: FaceCropDataset) -> dict[str, torch.Tensor]:
        items = [dataset[i] for i in indices]
        return {k: torch.from_numpy(np.stack([it[k] for it in items])).to(self.ctx.device) for k in items[0]}

    def _real_indices(self) -> list[int]:
        rng = np.random.default_rng([self.cfg.seed, self.ctx.rank, self.step])
        return rng.choice(len(self.real_set), self.cfg.data.real_batch_size, replace=False).tolist()

    def fit(self, stop_after: int | None = None) -> TrainResult:
        """Train to the end (or ``stop_after`` total steps, for tests); return the best model."""
        self._start = time.time()
        bs = self.cfg.data.batch_size
        end = self.total_steps if stop_after is None else min(stop_after, self.total_steps)
        bar = tqdm(total=end, initial=self.step, desc=self.cfg.name, disable=not self.progress_bar,
                   dynamic_ncols=True)
        while self.step < end:
            epoch, offset = divmod(self.step, self.steps_per_epoch)
            self.sampler.set_epoch(epoch)
            self.train_set.set_epoch(epoch)
            self.real_set.set_epoch(epoch)
            order = list(self.sampler)
            self.objective.train()
            for b in range(offset, self.steps_per_epoch):
                if self.step >= end:
                    break
                batch = self._batch(order[b * bs:(b + 1) * bs], self.train_set)
                if self.real_set.samples and self.cfg.losses.da_style > 0:
                    batch["real"] = self._batch(self._real_indices(), self.real_set)["thermal"]
                self._train_step(batch, epoch)
                bar.update(1)
                if self.step % self.cfg.checkpoint_every == 0:
                    self.save()
            if self.step % self.steps_per_epoch == 0 or self.step == self.total_steps:
                self._validate(epoch)
                self.save()
        bar.close()
        self.logger.plot(self.cfg.name)
        self.logger.close()
        return TrainResult(self.run_dir, self.run_dir / BEST, self.best, self.step,
                           self.seconds + time.time() - self._start)

    def _train_step(self, batch: dict[str, torch.Tensor], epoch: int) -> None:
        if self.cfg.data.augment.mask > 0:
            key = "rgb" if self.in_channels == 3 else "thermal"
            batch[key] = mask_input(batch[key], self.cfg.data.augment.mask)
        progress = self.step / max(1, self.total_steps - 1)
        terms = self.wrapped(batch, progress)
        self.optimizer.zero_grad(set_to_none=True)
        terms["total"].backward()
        torch.nn.utils.clip_grad_norm_(
            [p for p in self.objective.parameters() if p.requires_grad], self.cfg.optim.grad_clip)
        self.optimizer.step()
        self.scheduler.step()
        self.step += 1
        row = {k: float(v.detach()) for k, v in terms.items()}
        self.logger.log("train", self.step, {"epoch": epoch, "lr": self.scheduler.get_last_lr()[0], **row})

    @torch.no_grad()
    def _validate(self, epoch: int) -> None:
        """Val L1 (normalised crop units) of the model's own prediction; keeps the best weights."""
        self.model.eval()
        errors = []
        for i in range(0, len(self.val_set), 64):
            batch = self._batch(list(range(i, min(i + 64, len(self.val_set)))), self.val_set)
            x = batch["rgb"] if self.in_channels == 3 else batch["thermal"]
            landmarks, _ = self.model(x)
            errors.append(losses.landmark_loss(landmarks, batch["landmarks"]) * len(x))
        l1 = float(torch.stack(errors).sum() / len(self.val_set))
        self.logger.log("val", self.step, {"epoch": epoch, "l1": l1})
        if l1 < self.best and self.ctx.is_main:
            self.best = l1
            ckpt = checkpoint_dict(self.model, self.cfg.model.arch, self.cfg.model.arch_kwargs,
                                   self.in_channels, val_l1=l1, step=self.step, config=to_dict(self.cfg),
                                   seconds=self.seconds + time.time() - self._start)
            torch.save(ckpt, self.run_dir / BEST)
        self.model.train()


def train(cfg: TrainConfig, data: TrainData | None = None, progress_bar: bool = True) -> TrainResult:
    return Trainer(cfg, data, progress_bar=progress_bar).fit()
