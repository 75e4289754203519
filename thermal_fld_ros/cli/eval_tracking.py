"""``thermal-fld eval-tracking``: faces found, false faces and track ids per face of the tracking
pipeline over many synthetic clips, in process (no ROS), with the node's settings.

`make demo` scores one clip over DDS; a rule of the tracker (the birth score, the misses allowed)
needs many scenes to show what it costs and what it buys. The clips are those of the demo
(``data.clip.synthetic_clip``) for consecutive seeds, scored by ``clip_scores`` as the demo is.
Tracker options left out take the node's defaults (ros/parameters.py). Synthetic data only.
"""

from __future__ import annotations

import argparse

import numpy as np

from thermal_fld_ros.backends import BACKENDS

#: Command-line option -> node parameter it overrides.
OVERRIDES = {"detection_interval": "detection_interval", "min_score": "tracking_min_score",
             "birth_score": "tracking_birth_score", "max_misses": "tracking_max_misses",
             "max_faces": "max_faces"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clips", type=int, default=80, help="number of clips (consecutive seeds)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--frames", type=int, default=90, help="frames per clip")
    parser.add_argument("--backend", default="onnxruntime", choices=BACKENDS)
    parser.add_argument("--threshold", type=float, help="detector score threshold (node default)")
    parser.add_argument("--detection-interval", type=int, help="detector cadence in frames")
    parser.add_argument("--min-score", type=float, help="tracking_min_score")
    parser.add_argument("--birth-score", type=float, help="tracking_birth_score")
    parser.add_argument("--max-misses", type=int, help="tracking_max_misses")
    parser.add_argument("--max-faces", type=int, help="most faces per frame")


def run(args: argparse.Namespace) -> int:
    from thermal_fld_ros.clip_scores import ClipScores
    from thermal_fld_ros.data.clip import synthetic_clip
    from thermal_fld_ros.data.synth import to_encoding
    from thermal_fld_ros.frames import frame_from_array
    from thermal_fld_ros.pipeline import Pipeline, PipelineConfig
    from thermal_fld_ros.ros.parameters import BY_NAME, tracker_config

    given = {param: getattr(args, option) for option, param in OVERRIDES.items()
             if getattr(args, option) is not None}
    threshold = BY_NAME["detection_threshold"].default if args.threshold is None else args.threshold
    tracker = tracker_config(lambda name: given.get(name, BY_NAME[name].default))
    pipeline = Pipeline.create(PipelineConfig(backend=args.backend, detection_threshold=threshold,
                                              tracker=tracker))
    scores, detector_runs = ClipScores(), 0
    for clip, seed in enumerate(range(args.first_seed, args.first_seed + args.clips)):
        pipeline.reset()
        for item in synthetic_clip(seed, args.frames):  # as the demo streams it: mono16 centi-Kelvin
            result = pipeline.process(frame_from_array(to_encoding(item.image, "centikelvin_u16"), "mono16"))
            detector_runs += result.detector_ran
            scores.add_frame(item.faces, {f.track_id: f.landmarks for f in result.faces}, clip)
    truth = max(scores.truth, 1)
    print(f"SYNTHETIC clips, seeds {args.first_seed}-{args.first_seed + args.clips - 1}, "
          f"{args.frames} frames each; detector threshold {threshold}, {tracker}")
    print("| clips | true faces (face-frames) | found | false faces | false per true face | "
          "track ids per found face | NME median | detector runs |")
    print("|---|---|---|---|---|---|---|---|")
    nme = float(np.median(scores.nmes)) if scores.nmes else float("nan")
    print(f"| {args.clips} | {scores.truth} | {scores.found} ({scores.found / truth:.3f}) | "
          f"{scores.false_faces} | {scores.false_faces / truth:.3f} | {scores.track_ids_per_face:.3f} | "
          f"{nme:.3f} | {detector_runs} |")
    return 0
