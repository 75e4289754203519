"""The model card shipped next to the student ONNX (models/landmarks_student.yaml).

It records what a user needs to run the model correctly (layout, input, normalisation, outputs),
where it came from (data, recipe of each MLCM-KD stage read from the checkpoints), how good it is
(measured here, synthetic test split and label-free real-frame checks) and how to rebuild it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import torch
import yaml

from thermal_fld_ros import layout, preprocess
from thermal_fld_ros.networks.export import INPUT_NAME, OPSET, OUTPUT_NAMES
from thermal_fld_ros.networks.flops import count_macs, count_params

REPRODUCE = [
    "thermal-fld ablation --config config/ablation.yaml   # README table; the shipped run is mcl_student",
    "# or only the shipped chain (the same run folders):",
    "thermal-fld train teacher --config config/train_teacher.yaml",
    "thermal-fld train transfer --config config/train_transfer.yaml",
    "thermal-fld train compress --config config/train_compress.yaml",
    "thermal-fld export runs/mlcm/mcl_student/model.pt --card",
    "thermal-fld eval --model models/landmarks_student.onnx --dataset synth --split test",
]


def _stage(checkpoint: Path) -> dict[str, Any]:
    ckpt = torch.load(checkpoint, map_location="cpu", weights_only=True)
    cfg = ckpt.get("config", {})
    weights = {k: v for k, v in cfg.get("losses", {}).items() if isinstance(v, (int, float)) and v}
    return {"checkpoint": str(checkpoint), "stage": cfg.get("stage"), "arch": ckpt["arch"],
            "modality": cfg.get("model", {}).get("modality"), "teacher": cfg.get("teacher"),
            "init_from": cfg.get("model", {}).get("init_from"), "loss_weights": weights,
            "decay": cfg.get("decay"), "steps": ckpt.get("step"),
            "lr": cfg.get("optim", {}).get("lr"), "batch_size": cfg.get("data", {}).get("batch_size"),
            "seed": cfg.get("seed"), "real_sources": cfg.get("data", {}).get("real_sources"),
            "synthetic_splits": cfg.get("data", {}).get("synth"), "train_seconds": round(ckpt.get("seconds", 0.0))}


def lineage(checkpoint: Path) -> list[dict[str, Any]]:
    """The stage records from the RGB teacher down to ``checkpoint`` (via `teacher` links)."""
    chain, path = [], checkpoint
    while path is not None and Path(path).exists():
        record = _stage(Path(path))
        chain.append(record)
        path = record["teacher"]
    return chain[::-1]


def _onnx_ops(path: Path) -> list[str]:
    import onnx

    return sorted({node.op_type for node in onnx.load(str(path)).graph.node})


def build_card(checkpoint: Path, onnx_path: Path, measured: dict[str, Any]) -> dict[str, Any]:
    model_ckpt = torch.load(checkpoint, map_location="cpu", weights_only=True)
    from thermal_fld_ros.networks import network_from_checkpoint

    model = network_from_checkpoint(model_ckpt)
    return {
        "name": onnx_path.stem,
        "file": onnx_path.name,
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "task": "54 facial landmarks (SF-TL54) + per-point confidence on one thermal (LWIR) face crop",
        "format": {"onnx_opset": OPSET, "exporter": "torch.onnx.export(dynamo=False)",
                   "inputs": {INPUT_NAME: "float32 [N, 1, 112, 112], dynamic N"},
                   "outputs": {OUTPUT_NAMES[0]: "float32 [N, 54, 2], normalised crop coordinates (x/112, y/112)",
                               OUTPUT_NAMES[1]: "float32 [N, 54], confidence in [0, 1] (predicted localisation quality)"}},
        "layout": {"name": "SF-TL54", "points": layout.NUM_LANDMARKS,
                   "flip_permutation": layout.FLIP_PERMUTATION.tolist(),
                   "nme_normaliser": [layout.OUTER_EYE_LEFT, layout.OUTER_EYE_RIGHT]},
        "preprocessing": {
            "function": "thermal_fld_ros.preprocess.face_input(grey, box, angle_deg)",
            "grey": "one channel, warmer = brighter (degrees C, raw counts, 8-bit AGC or de-paletted)",
            "crop": f"square, side {preprocess.CROP_SCALE} x the longer face-box side, centred on the box, "
                    f"optionally rotated; {preprocess.LANDMARK_INPUT_SIZE} px, bilinear, border replicated",
            "normalisation": f"per crop: percentiles {preprocess.NORM_LOW_PCT}/{preprocess.NORM_HIGH_PCT} -> -1/+1, "
                             "clipped to [-1.5, 1.5]",
            "face_box": "layout.face_box_from_landmarks convention (landmark extent + 30% forehead)",
            "to_image": "CropTransform.to_image(landmarks * 112)"},
        "architecture": {"arch": model_ckpt["arch"], "arch_kwargs": model_ckpt.get("arch_kwargs", {}),
                         "params": count_params(model), "macs_per_face": count_macs(model, 1),
                         "onnx_ops": _onnx_ops(onnx_path)},
        "training": {"method": "MLCM-KD (arXiv 2510.11128) as implemented in thermal_fld_ros.training: "
                               "RGB teacher -> KTL thermal model with DIKD -> MCL student with FD + LD",
                     "stages": lineage(checkpoint),
                     "data": "synthetic paired thermal/RGB faces (thermal_fld_ros.data.synth), splits by "
                             "generator seed; unlabelled real faces of the shared real_thermal_faces "
                             "(Tufts TD_IR, Terravic; 4 of every 5 boxed faces) for feature-statistics alignment "
                             "(images research-only, not redistributed)"},
        "metrics": measured,
        "reproduce": REPRODUCE,
    }


def write_card(card: dict[str, Any], path: Path) -> Path:
    path.write_text("# Model card of the shipped landmark student (written by `thermal-fld export --card`).\n"
                    + yaml.safe_dump(card, sort_keys=False, width=110))
    return path
