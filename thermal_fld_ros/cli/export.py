"""``thermal-fld export``: a checkpoint to ONNX (opset 17, dynamic batch), verified numerically.

``--card`` also measures the exported model (synthetic test split, held-out real faces) and
writes the model card next to it (models/landmarks_student.yaml for the shipped student).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from thermal_fld_ros.resources import config_dir, models_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("checkpoint", help="model.pt written by thermal-fld train")
    parser.add_argument("--output", help="ONNX path (default: models/landmarks_student.onnx)")
    parser.add_argument("--opset", type=int, default=None, help="ONNX opset (default 17)")
    parser.add_argument("--card", action="store_true", help="measure the model and write its model card (.yaml)")
    parser.add_argument("--config", help="training YAML naming the synthetic test split for --card "
                                         "(default config/train_teacher.yaml)")


def measure(onnx_path: Path, config: Path) -> dict:
    """Synthetic test metrics and real-frame checks of the exported model, for the card."""
    from thermal_fld_ros import metrics
    from thermal_fld_ros.data.synth import dataset as synth
    from thermal_fld_ros.training.config import load_config
    from thermal_fld_ros.training.data import ensure_synth_split, load_real_faces
    from thermal_fld_ros.training.evaluation import onnx_predictor, predict_images
    from thermal_fld_ros.training.real_check import real_check

    predictor = onnx_predictor(str(onnx_path))
    cfg = load_config(config)
    split_dir = ensure_synth_split(cfg.data.synth, "test")
    version = json.loads((split_dir / "meta.json").read_text()).get("generator_version")
    preds = predict_images(predictor, synth.read_dataset(split_dir))
    nmes = metrics.nme(preds.pred, preds.gt)
    rep = metrics.report(nmes, attributes=preds.attributes)
    seed, count = cfg.data.synth.test
    check = real_check(predictor, load_real_faces(("tufts", "terravic"), holdout=True))
    return {"synthetic_test": {"split": f"generator seed {seed}, {count} faces, generator version {version}",
                               "crops": "ground-truth boxes",
                               "points": "all 54", **rep.to_dict()},
            "real_heldout_label_free": {"sources": "tufts + terravic boxed faces, 1 in 5 (never trained on)",
                                        "faces": check.faces, "mean_confidence": round(check.mean_score, 4),
                                        "flip_consistency_pct_of_crop": round(check.flip_error_pct, 3)}}


def run(args: argparse.Namespace) -> int:
    from thermal_fld_ros.networks import load_checkpoint
    from thermal_fld_ros.networks.export import ATOL, OPSET, export_onnx, max_difference

    model = load_checkpoint(args.checkpoint)
    path = export_onnx(model, args.output or models_dir() / "landmarks_student.onnx", args.opset or OPSET)
    diff = max_difference(model, path)
    print(f"wrote {path} (opset {args.opset or OPSET}); max |onnxruntime - torch| = {diff:.2e}")
    if diff > ATOL:
        return 1
    if args.card:
        from thermal_fld_ros.training.model_card import build_card, write_card

        measured = measure(path, Path(args.config) if args.config else config_dir() / "train_teacher.yaml")
        card = write_card(build_card(Path(args.checkpoint), path, measured), path.with_suffix(".yaml"))
        print(f"wrote {card}")
    return 0
