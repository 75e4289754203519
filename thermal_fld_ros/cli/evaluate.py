"""``thermal-fld eval``: NME / FR@0.10 / AUC@0.10 of a landmark model, plus the CED PNG.

Datasets: ``synth`` (the synthetic split of a training config, default its test split) or any
loader as ``NAME:PATH`` (sftl54, tfw, charlotte, yolo_pose, csv; see data/loaders). Faces are
cropped on their ground-truth boxes with the inference crop. 5-point datasets (TFW) are scored on
the 5 points derived from the 54 predictions, normalised by the eye-centre distance.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from thermal_fld_ros.resources import config_dir, models_dir

DEFAULT_MODEL = "landmarks_student.onnx"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help=f"ONNX or model.pt (default: models/{DEFAULT_MODEL})")
    parser.add_argument("--dataset", default="synth", help="'synth' or NAME:PATH of a dataset loader")
    parser.add_argument("--split", default="test", help="split to evaluate (default test)")
    parser.add_argument("--config", help="training YAML whose synthetic splits 'synth' uses "
                                         "(default config/train_teacher.yaml)")
    parser.add_argument("--ced", default="runs/eval/ced.png", help="CED plot PNG path")
    parser.add_argument("--json", help="also write the report as JSON here")
    parser.add_argument("--visible-only", action="store_true", help="score visible points only")
    parser.add_argument("--real-overlays", metavar="DIR",
                        help="also draw the predictions on the held-out real Tufts/Terravic faces into DIR "
                             "(keep DIR outside the repository) and print the label-free real checks")


def _images(args: argparse.Namespace):
    if args.dataset == "synth":
        from thermal_fld_ros.data.synth import dataset as synth
        from thermal_fld_ros.training.config import load_config
        from thermal_fld_ros.training.data import ensure_synth_split

        cfg = load_config(args.config or config_dir() / "train_teacher.yaml")
        return synth.read_dataset(ensure_synth_split(cfg.data.synth, args.split)), "synthetic"
    from thermal_fld_ros.data.loaders import load, parse_dataset_spec

    name, root = parse_dataset_spec(args.dataset)
    return load(name, root, split=args.split), name


def run(args: argparse.Namespace) -> int:
    from thermal_fld_ros import metrics
    from thermal_fld_ros.training.evaluation import NORMALISERS, onnx_predictor, predict_images, torch_predictor

    path = Path(args.model) if args.model else models_dir() / DEFAULT_MODEL
    if path.suffix == ".onnx":
        predictor, rgb = onnx_predictor(str(path)), False
    else:
        from thermal_fld_ros.networks import load_checkpoint

        model = load_checkpoint(path)
        predictor, rgb = torch_predictor(model), model.stem_in_channels() == 3
    images, dataset = _images(args)
    preds = predict_images(predictor, images, rgb=rgb)
    nmes = metrics.nme(preds.pred, preds.gt, preds.visible if args.visible_only else None,
                       NORMALISERS[preds.gt.shape[1]])
    report = metrics.report(nmes, [dataset] * len(nmes), preds.attributes)
    print(f"model {path}, dataset {args.dataset} ({args.split}), {len(nmes)} faces")
    print(report.format())
    ced = metrics.write_ced_png(args.ced, {path.stem: nmes})
    print(f"CED plot: {ced}")
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=1))
    if args.real_overlays and not rgb:
        _real(predictor, Path(args.real_overlays))
    return 0


def _real(predictor, out_dir: Path) -> None:
    from thermal_fld_ros.training.data import load_real_faces
    from thermal_fld_ros.training.real_check import real_check, write_overlays

    for source in ("tufts", "terravic"):
        faces = load_real_faces((source,), holdout=True)
        faces.sort(key=lambda f: f.attributes.get("pose_index", 0))
        check = real_check(predictor, faces)
        sheet = write_overlays(predictor, faces, out_dir, source)
        print(f"real {source}: {check.faces} held-out faces, mean confidence {check.mean_score:.3f}, "
              f"flip consistency {check.flip_error_pct:.2f}% of crop; overlays {sheet}")
