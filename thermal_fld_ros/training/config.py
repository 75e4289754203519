"""Training configuration: one dataclass tree, loaded from YAML, shared by all stages and baselines.

A YAML file may name a ``base:`` file (relative to itself) whose values it overrides, so ablation
variants are a few lines each. Unknown keys are errors (a typo must not silently train the wrong
recipe).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

STAGES = ("teacher", "transfer", "compress")
MODALITIES = ("rgb", "thermal")


@dataclass
class SynthSplits:
    """Synthetic split = (generator seed, face count); disjoint seeds give disjoint face streams.

    train/val/test use seeds 1/2/3 of ``thermal_fld_ros.data.synth.write_dataset``; the cache
    folder is ``<cache_dir>/<split>_s<seed>_n<count>_<generator version>`` so changing a count
    or the generator regenerates only what changed.
    """

    cache_dir: str = ".cache/synth"
    train: tuple[int, int] = (1, 6000)
    val: tuple[int, int] = (2, 300)
    test: tuple[int, int] = (3, 1000)


@dataclass
class AugmentConfig:
    """Jitter applied to the crop box/angle passed to preprocess.face_input, plus image-level noise."""

    shift: float = 0.08  # box centre shift, share of the box side
    scale: float = 0.12  # box side scale jitter, +-share
    rotate_deg: float = 20.0
    flip: float = 0.5
    encoding: float = 0.3  # probability of re-encoding the thermal frame (AGC u8, palettes)
    lowres: float = 0.3  # probability of a down-up resample (small/blurry faces, cheap sensors)
    mask: float = 0.0  # CKD input masking: share of 16x16 patches zeroed in the trained model's input


@dataclass
class DataConfig:
    synth: SynthSplits = field(default_factory=SynthSplits)
    train_count: int | None = None  # use only the first N cached train faces (tests, quick runs)
    batch_size: int = 32
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    #: Extra labelled training sets as loader specs "NAME:PATH" (data.loaders), train split; their
    #: aligned RGB pairs (SF-TL54) serve the RGB teacher and cross-modal terms.
    extra: tuple[str, ...] = ()
    #: RGB-only labelled sets "NAME:PATH" (e.g. 68-point renders converted to SF-TL54): teacher only.
    extra_rgb: tuple[str, ...] = ()
    #: Real unlabelled thermal faces (data.real sources) for domain adaptation; empty = none.
    real_sources: tuple[str, ...] = ()
    real_batch_size: int = 16


@dataclass
class ModelConfig:
    arch: str = "student"
    arch_kwargs: dict[str, Any] = field(default_factory=dict)
    modality: str = "thermal"
    #: Initialise from this checkpoint (KTL starts from the RGB teacher; stem summed to 1 channel).
    init_from: str | None = None


@dataclass
class DecayConfig:
    """Time-adaptive weight w(p) of the distillation terms, p = training progress in [0, 1]."""

    kind: str = "none"  # none | cosine | linear
    end: float = 0.1


@dataclass
class LossWeights:
    """Weights of every loss term; zero switches a term (and its adapter) off."""

    task: float = 1.0  # L1 of the trained model's own landmarks (normalised crop coords)
    score: float = 0.1  # BCE of the per-point confidence against localisation quality
    fd: float = 0.0  # feature distillation (relative MSE through a 1x1 adapter)
    ld: float = 0.0  # logit distillation (heatmap KL)
    ckd_style: float = 0.0  # CKD channel mean/std matching, thermal vs teacher RGB features
    ckd_content: float = 0.0  # CKD instance-normalised feature MSE
    dikd_forward: float = 0.0  # teacher RGB features -> adapter -> trained model's head, task loss
    dikd_reverse: float = 0.0  # trained features -> adapter -> frozen teacher head, task loss
    dikd_reverse_logit: float = 0.0  # ... and heatmap KL to the teacher's own RGB prediction
    da_style: float = 0.0  # synthetic vs real thermal feature statistics (domain adaptation)
    ld_temperature: float = 1.0


@dataclass
class OptimConfig:
    epochs: int = 10
    max_steps: int | None = None  # stop early after this many steps (tests)
    lr: float = 2e-3
    weight_decay: float = 1e-4
    warmup_steps: int = 100
    grad_clip: float = 5.0


@dataclass
class TrainConfig:
    stage: str = "compress"
    name: str = "run"
    run_dir: str = "runs/run"
    seed: int = 0
    threads: int = 2
    model: ModelConfig = field(default_factory=ModelConfig)
    teacher: str | None = None  # frozen teacher checkpoint (RGB teacher or KTL thermal model)
    data: DataConfig = field(default_factory=DataConfig)
    losses: LossWeights = field(default_factory=LossWeights)
    decay: DecayConfig = field(default_factory=DecayConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    checkpoint_every: int = 200  # steps
    val_every_epochs: int = 1

    def validate(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, got {self.stage!r}")
        if self.model.modality not in MODALITIES:
            raise ValueError(f"modality must be one of {MODALITIES}")
        kd = (self.losses.fd, self.losses.ld, self.losses.ckd_style, self.losses.ckd_content,
              self.losses.dikd_forward, self.losses.dikd_reverse, self.losses.dikd_reverse_logit)
        if any(w > 0 for w in kd) and not self.teacher:
            raise ValueError("distillation terms need a `teacher` checkpoint")
        if self.losses.da_style > 0 and not self.data.real_sources:
            raise ValueError("da_style needs data.real_sources")


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    kwargs = {}
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in values.items():
        if key not in fields:
            raise KeyError(f"unknown config key {where}{key}")
        sub = fields[key].type
        target = next((c for c in (SynthSplits, AugmentConfig, DataConfig, ModelConfig, DecayConfig,
                                   LossWeights, OptimConfig) if c.__name__ == sub), None)
        if target is not None and isinstance(value, dict):
            value = _build(target, value, f"{where}{key}.")
        elif isinstance(value, list) and key != "arch_kwargs":
            value = tuple(value)
        kwargs[key] = value
    return cls(**kwargs)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "arch_kwargs":
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def load_yaml_tree(path: str | Path) -> dict[str, Any]:
    """The YAML at ``path`` merged over its ``base:`` chain."""
    path = Path(path)
    values = yaml.safe_load(path.read_text()) or {}
    base = values.pop("base", None)
    return deep_merge(load_yaml_tree(path.parent / base), values) if base else values


def config_from_dict(values: dict[str, Any]) -> TrainConfig:
    cfg = _build(TrainConfig, values, "")
    cfg.validate()
    return cfg


def load_config(path: str | Path, overrides: dict[str, Any] | None = None) -> TrainConfig:
    return config_from_dict(deep_merge(load_yaml_tree(path), overrides or {}))


def to_dict(cfg: TrainConfig) -> dict[str, Any]:
    """Plain dict (lists, not tuples) for checkpoints and the model card."""
    from thermal_fld_ros.networks import plain_data  # networks import torch: only when needed

    return plain_data(dataclasses.asdict(cfg))
