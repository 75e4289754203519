"""``thermal-fld synth``: write a synthetic dataset, or render a contact sheet to judge realism.

    thermal-fld synth --out DIR --count N --seed S [--kind face|scene] [--workers W]
    thermal-fld synth --contact-sheet FILE.png --count N [--seed S] [--real DIR [--real-faces]]
    thermal-fld synth --realism --count N [--seed S]
    thermal-fld synth --median-faces FILE.png --count N [--seed S]

The first two print the generation throughput (samples per second) at the end. ``--real DIR``
puts real frames (e.g. ../shared/data/real_thermal_faces) beside the renders, through the same
AGC and palettes; such a sheet contains real data and must stay outside the repository.
``--real-faces`` cuts each real frame to the face the shipped detector finds best, with the
context of the face samples, so faces are compared at the same framing (a frame with no face
found is shown whole).
``--realism`` prints how well a linear probe tells N synthetic face crops from the boxed real
faces in the shared data (data/synth/realism.py): 0.5 = it cannot, 1.0 = always; for training
renders and for renders of the real frames' setting; then the face statistics of real and
rendered frontal faces (data/synth/face_stats.py).
``--median-faces`` draws the eye-aligned median face of the real frontal faces of each shared
source and of N renders in their setting, and the renders minus each real one
(data/synth/median_face.py); it shows real data and must stay outside the repository.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from ..data.synth.face_stats import LandmarkFinder
    from ..pipeline import Pipeline


#: face_stats.FaceStats fields as printed: column title and decimals.
FACE_STATS_COLUMNS = {
    "hair_level": ("hair level (room 0, forehead 1)", 2), "forehead_texture": ("forehead texture", 3),
    "cheek_texture": ("cheek texture", 3), "temple_level": ("temple level", 2),
    "forehead_grain": ("forehead grain", 4), "hair_grain": ("hair grain", 4),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, help="dataset directory to write")
    target.add_argument("--contact-sheet", type=Path, metavar="FILE.png",
                        help="render a contact sheet of samples instead of a dataset")
    target.add_argument("--realism", action="store_true",
                        help="probe how well renders are told from the shared real faces")
    target.add_argument("--median-faces", type=Path, metavar="FILE.png",
                        help="draw eye-aligned median faces of renders and shared real faces")
    parser.add_argument("--count", type=int, default=16, help="number of samples")
    parser.add_argument("--seed", type=int, default=0, help="sequence seed (same seed, same data)")
    parser.add_argument("--kind", choices=("face", "scene"), default="face",
                        help="face: one face per frame (landmarks); "
                             "scene: sensor frames with 0..N faces")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes for --out (default: up to 2 cores)")
    parser.add_argument("--real", type=Path, default=None, metavar="DIR",
                        help="with --contact-sheet: show real frames from DIR side by side")
    parser.add_argument("--real-faces", action="store_true",
                        help="with --real: cut real frames to their face, framed as face samples")
    parser.add_argument("--no-rgb", action="store_true", help="skip the RGB pair (faster)")


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from ..data.synth import SynthConfig, stream, write_dataset
    from ..data.synth.dataset import default_workers
    from ..data.synth.sheet import contact_sheet, load_real, real_frames, save_png

    if args.count < 1:
        print("thermal-fld synth: --count must be at least 1", file=sys.stderr)
        return 2
    if args.real_faces and args.real is None:
        print("thermal-fld synth: --real-faces needs --real DIR", file=sys.stderr)
        return 2
    if args.realism:
        return _realism(args.count, args.seed)
    if args.median_faces is not None:
        return _median_faces(args.median_faces, args.count, args.seed)
    config = SynthConfig(rgb=not args.no_rgb)
    start = time.perf_counter()
    if args.out is not None:
        workers = args.workers or default_workers()
        write_dataset(args.out, args.count, args.seed, args.kind, config, workers=workers)
        what = f"wrote {args.count} {args.kind} samples to {args.out} with {workers} worker(s)"
    else:
        real = None
        if args.real is not None:
            paths = real_frames(args.real, args.count, np.random.default_rng(args.seed))
            real = [load_real(p) for p in paths]
            if args.real_faces:
                real = _framed_faces(real, float(np.mean(config.context_ratio)))
        samples = list(itertools.islice(stream(args.seed, args.kind, config), args.count))
        sheet = contact_sheet(samples, real)
        save_png(args.contact_sheet, sheet)
        what = f"wrote a contact sheet of {args.count} {args.kind} samples to {args.contact_sheet}"
    elapsed = time.perf_counter() - start
    print(f"{what}: {elapsed:.1f} s, {args.count / elapsed:.1f} samples/s")
    return 0


def _framed_faces(frames: list[np.ndarray], ratio: float) -> list[np.ndarray]:
    """Each frame cut to the face the shipped detector scores best (sheet.face_framing); whole
    where it finds none."""
    from ..data.synth.sheet import face_framing
    from ..frames import frame_from_array

    detector = _shipped_pipeline().detector
    out = []
    for frame in frames:
        found = detector(frame_from_array(frame).grey)
        out.append(face_framing(frame, found.boxes[0], ratio) if len(found) else frame)
    return out


def _realism(count: int, seed: int) -> int:
    from ..data.synth.generator import GENERATOR_VERSION
    from ..data.synth.realism import (GROUPS, probe, real_crops, real_setting, synthetic_crops,
                                      training_setting)

    # the shipped detector cuts the probe's crops; with the student it finds the landmarks
    # of the face statistics
    pipeline = _shipped_pipeline()
    detector = pipeline.detector
    try:
        real, people = real_crops(detector)
    except FileNotFoundError as err:
        print(f"thermal-fld synth --realism: no real frames ({err})", file=sys.stderr)
        return 2
    settings = {"all scenes (training)": training_setting(),
                "the real frames' setting": real_setting()}
    results = {name: probe(real, people, synthetic_crops(detector, count, seed, setting), seed)
               for name, setting in settings.items()}
    first = next(iter(results.values()))
    print(f"generator {GENERATOR_VERSION}: {first.real} real faces ({len(set(people))} people), "
          f"{first.synthetic} synthetic per setting; balanced held-out accuracy of a linear probe "
          f"(0.5 = cannot tell them apart), mean +- sd over {first.splits} splits by person")
    print(f"| features | {' | '.join(results)} |\n|---|{'---|' * len(results)}")
    for group in GROUPS + ("all",):
        cells = " | ".join(f"{r.accuracy[group]:.3f} +- {r.spread[group]:.3f}" for r in results.values())
        print(f"| {group} | {cells} |")
    _print_face_stats(pipeline, count, seed)
    return 0


def _shipped_pipeline() -> Pipeline:
    """The shipped detector and student on ONNX Runtime, frame by frame (no tracking)."""
    from ..pipeline import Pipeline, PipelineConfig

    return Pipeline.create(PipelineConfig(backend="onnxruntime", threads=2, track=False))


def _landmark_finder(pipeline: Pipeline) -> LandmarkFinder:
    """The shipped detector and student as a face_stats.LandmarkFinder."""
    import numpy as np

    from ..frames import frame_from_array

    def landmarks_of(grey: np.ndarray) -> np.ndarray:
        return np.array([f.landmarks for f in pipeline.process(frame_from_array(grey)).faces])
    return landmarks_of


def _median_faces(path: Path, count: int, seed: int) -> int:
    from ..data.synth.face_stats import real_faces, render_faces
    from ..data.synth.median_face import aligned_face, median_face, median_face_figure
    from ..data.synth.sheet import save_png

    landmarks_of = _landmark_finder(_shipped_pipeline())
    try:
        real = real_faces(landmarks_of, aligned_face)
    except FileNotFoundError as err:
        print(f"thermal-fld synth --median-faces: no real frames ({err})", file=sys.stderr)
        return 2
    groups = {f"real {name}": faces for name, faces in real.items()}
    groups["renders"] = render_faces(landmarks_of, aligned_face, count, seed)
    try:
        medians = {name: median_face(faces) for name, faces in groups.items()}
    except ValueError as err:
        print(f"thermal-fld synth --median-faces: {err}; try a larger --count", file=sys.stderr)
        return 2
    save_png(path, median_face_figure(medians, "renders"))
    print(f"wrote median faces of {', '.join(f'{n} ({c})' for n, (_, c) in medians.items())} to {path}")
    return 0


def _print_face_stats(pipeline: Pipeline, count: int, seed: int) -> None:
    from ..data.synth.face_stats import real_stats, render_stats

    landmarks_of = _landmark_finder(pipeline)
    rows = {**{f"real {name}": s for name, s in real_stats(landmarks_of).items()},
            "renders": render_stats(landmarks_of, count, seed)}
    print("\nfrontal faces, landmarks predicted by the shipped student (quartiles 25/50/75 %):")
    print(f"| frames | faces | {' | '.join(title for title, _ in FACE_STATS_COLUMNS.values())} |\n"
          f"|---|---|{'---|' * len(FACE_STATS_COLUMNS)}")
    for name, summary in rows.items():
        cells = ("/".join(f"{v:.{digits}f}" for v in summary.quartiles[field])
                 for field, (_, digits) in FACE_STATS_COLUMNS.items())
        print(f"| {name} | {summary.faces} | {' | '.join(cells)} |")
