"""``thermal-fld bench [--json]``: latency, size and memory per backend, and of the peer tools.

Every row runs in its own process on the same frames (synthetic 640x512 scenes with 1 and 3 faces,
8-bit AGC like a Boson's mono8), so peak memory is per row. Rows:
- one per available backend of this package: per-face latency = crop + landmark network for one
  face; frame latency = detector + all faces' landmarks (tracking off, detector every frame);
  params / MFLOPs (MACs) of the landmark network; CPU backends use ONE thread.
- ``mediapipe-facemesh`` and ``dlib-68`` from the peers' environment (.venv-bench, created from
  requirements/bench.txt with ``--setup-peers``), pinned to one core. Rows of absent tools say
  backend "absent" with null figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from thermal_fld_ros.bench_peers import peak_memory_mb, timed
from thermal_fld_ros.resources import REPO_ROOT, models_dir

PEERS = ("mediapipe-facemesh", "dlib-68")
PEERS_VENV = REPO_ROOT / ".venv-bench"
PEERS_REQUIREMENTS = REPO_ROOT / "requirements" / "bench.txt"
PEERS_SCRIPT = Path(__file__).resolve().parents[1] / "bench_peers.py"
BENCH_SIZE = (640, 512)
FACE_COUNTS = (1, 3)
ROW_KEYS = ("name", "backend", "per_face_ms_p50", "per_face_ms_p99", "frame_ms_p50_1face",
            "frame_ms_p50_3faces", "params", "mflops", "peak_mem_mb")
ROW_TIMEOUT_S = 900


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--iterations", type=int, default=200, help="timed runs per figure")
    parser.add_argument("--landmark-model", type=Path, default=models_dir() / "landmarks_student.onnx")
    parser.add_argument("--checkpoint", type=Path, help="training checkpoint for a torch row")
    parser.add_argument("--detector-model", type=Path, default=models_dir() / "face_detector.onnx")
    parser.add_argument("--peers-venv", type=Path, default=PEERS_VENV)
    parser.add_argument("--setup-peers", action="store_true",
                        help=f"create the peers' venv from {PEERS_REQUIREMENTS.name} if absent")
    parser.add_argument("--no-peers", action="store_true", help="skip MediaPipe and dlib")
    # Internal: measure one row in this (fresh) process.
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--frames", type=Path, help=argparse.SUPPRESS)


def bench_frames(folder: Path, seed: int = 0) -> None:
    """Write frames.json + f1.npy/f3.npy: 640x512 mono8 synthetic scenes with 1 and 3 faces."""
    from thermal_fld_ros.data.synth import SynthConfig, generate_scene, to_encoding

    meta = {}
    for count in FACE_COUNTS:
        config = SynthConfig(resolutions=(BENCH_SIZE,), max_faces=count, p_no_face=0.0,
                             face_height_px=(70.0, 160.0), rgb=False)
        rng = np.random.default_rng([seed, count])
        scene = generate_scene(rng, config)
        while len(scene.faces) != count:
            scene = generate_scene(rng, config)
        grey = to_encoding(scene.image, "agc_u8", rng)
        np.save(folder / f"f{count}.npy", grey)
        meta[str(count)] = {"file": f"f{count}.npy",
                            "boxes": [[float(v) for v in f.box] for f in scene.faces]}
    (folder / "frames.json").write_text(json.dumps(meta))


def measure_row(backend: str, frames_dir: Path, iterations: int, landmark_model: Path,
                detector_model: Path) -> dict[str, Any]:
    """One row of this package, measured in the current process."""
    from thermal_fld_ros.frames import frame_from_array
    from thermal_fld_ros.onnx_stats import onnx_stats
    from thermal_fld_ros.pipeline import Pipeline, PipelineConfig

    pipeline = Pipeline.create(PipelineConfig(backend=backend, landmark_model=landmark_model,
                                              detector_model=detector_model, threads=1, track=False))
    meta = json.loads((frames_dir / "frames.json").read_text())
    frames = {k: frame_from_array(np.load(frames_dir / v["file"])) for k, v in meta.items()}
    one_box = np.array(meta["1"]["boxes"][:1], np.float32)
    per_face = timed(lambda: pipeline.landmarker(frames["1"], one_box), iterations)
    frame_ms = {k: timed(lambda f=f: pipeline.process(f), iterations) for k, f in frames.items()}
    found = {k: len(pipeline.process(f).faces) for k, f in frames.items()}
    if landmark_model.suffix == ".onnx":
        params, mflops = onnx_stats(landmark_model)
    else:
        from thermal_fld_ros.networks import load_checkpoint
        from thermal_fld_ros.networks.flops import count_macs, count_params

        model = load_checkpoint(landmark_model)
        params, mflops = count_params(model), count_macs(model, 1) / 1e6
    return {"name": f"thermal-fld ({landmark_model.stem})",
            "backend": pipeline.landmarker.backend.name,
            "per_face_ms_p50": _pct(per_face, 50), "per_face_ms_p99": _pct(per_face, 99),
            "frame_ms_p50_1face": _pct(frame_ms["1"], 50),
            "frame_ms_p50_3faces": _pct(frame_ms["3"], 50),
            "params": int(params), "mflops": round(float(mflops), 2),
            "peak_mem_mb": peak_memory_mb(),
            "faces_found": {"frame_1face": found["1"], "frame_3faces": found["3"]}}


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3)


def absent_row(name: str, why: str) -> dict[str, Any]:
    return {"name": name, "backend": "absent", **{k: None for k in ROW_KEYS[2:]}, "note": why}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {len(os.sched_getaffinity(0))} cores usable, {platform.system()} {platform.release()}"


def setup_peers(venv: Path) -> None:
    """Create the peers' venv from the pinned requirements (a one-off install, not a run-time download)."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r", str(PEERS_REQUIREMENTS)],
                   check=True)


def _subprocess_row(command: list[str], name: str) -> dict[str, Any]:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=ROW_TIMEOUT_S,
                              check=False, env={**os.environ, "OMP_NUM_THREADS": "1"})
    except subprocess.TimeoutExpired:
        return absent_row(name, f"timed out after {ROW_TIMEOUT_S} s")
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return absent_row(name, f"failed: {tail[0]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_rows(args: argparse.Namespace, frames_dir: Path) -> list[dict[str, Any]]:
    from thermal_fld_ros.backends import available_backends

    rows = []
    common = ["--frames", str(frames_dir), "--iterations", str(args.iterations),
              "--detector-model", str(args.detector_model)]
    for backend in available_backends():
        model = args.checkpoint if backend == "torch" else args.landmark_model
        if model is None:
            rows.append(absent_row("thermal-fld (torch)", "give --checkpoint for a torch row"))
            continue
        command = [sys.executable, "-m", "thermal_fld_ros.cli", "bench", "--row", backend,
                   "--landmark-model", str(model), *common]
        rows.append(_subprocess_row(command, f"thermal-fld ({backend})"))
    python = args.peers_venv / "bin" / "python"
    for peer in PEERS:
        if args.no_peers:
            rows.append(absent_row(peer, "skipped (--no-peers)"))
        elif not python.is_file():
            rows.append(absent_row(peer, f"no peers venv at {args.peers_venv}; "
                                         "run `thermal-fld bench --setup-peers`"))
        else:
            rows.append(_subprocess_row([str(python), str(PEERS_SCRIPT), peer, str(frames_dir),
                                         str(args.iterations)], peer))
    return rows


def print_table(result: dict[str, Any]) -> None:
    print(f"machine: {result['machine']}")
    print("per-face = crop + landmark network, one face; frame = detector + landmarks of all faces "
          "(640x512); CPU rows on one thread/core")
    header = f"{'name':<34} {'backend':<38} {'face p50':>8} {'face p99':>8} {'1 face':>8} " \
             f"{'3 faces':>8} {'params':>9} {'MFLOPs':>7} {'peak MB':>8}  found"
    print(header)
    ours = next((r for r in result["rows"] if r["backend"] != "absent"
                 and not r["name"].startswith(PEERS)), None)
    for r in result["rows"]:
        f = {k: ("-" if r.get(k) is None else r[k]) for k in ROW_KEYS}
        num = lambda v, spec: v if v == "-" else format(v, spec)  # noqa: E731
        print(f"{r['name']:<34} {r['backend']:<38} {num(f['per_face_ms_p50'], '8.2f')} "
              f"{num(f['per_face_ms_p99'], '8.2f')} {num(f['frame_ms_p50_1face'], '8.2f')} "
              f"{num(f['frame_ms_p50_3faces'], '8.2f')} {num(f['params'], '9d')} "
              f"{num(f['mflops'], '7.1f')} {num(f['peak_mem_mb'], '8.0f')}  "
              f"{r.get('faces_found', r.get('note', ''))}")
    if ours:
        print("\nratios (peer / thermal-fld " + ours["backend"] + "):")
        for r in result["rows"]:
            if r["name"].startswith(PEERS) and r["backend"] != "absent":
                ratios = [f"{k} x{r[k] / ours[k]:.2f}" for k in ROW_KEYS[2:6] if ours[k]]
                print(f"  {r['name']}: " + ", ".join(ratios))


def run(args: argparse.Namespace) -> int:
    if args.row:
        row = measure_row(args.row, args.frames, args.iterations, args.landmark_model,
                          args.detector_model)
        print(json.dumps(row))
        return 0
    for path in (args.landmark_model, args.detector_model):
        if not path.is_file():
            print(f"thermal-fld bench: model {path} not found", file=sys.stderr)
            return 2
    if args.setup_peers and not args.no_peers and not (args.peers_venv / "bin" / "python").is_file():
        setup_peers(args.peers_venv)
    with tempfile.TemporaryDirectory(prefix="thermal-fld-bench-") as tmp:
        bench_frames(Path(tmp))
        rows = run_rows(args, Path(tmp))
    result = {"machine": machine(), "rows": rows}
    if args.json:  # the fixed schema: notes and face counts stay in the table
        print(json.dumps({**result, "rows": [{k: r[k] for k in ROW_KEYS} for r in rows]}))
    else:
        print_table(result)
    return 0
