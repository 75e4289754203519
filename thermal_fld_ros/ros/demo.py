"""`make demo`: the node in its own process, fed a synthetic thermal camera stream over DDS.

What a robot integration does, end to end: start the node, configure and activate it through the
lifecycle services, publish mono16 centi-Kelvin frames (FLIR Lepton style) with sensor-data QoS,
collect the landmark clouds and overlays, and compare with the synthetic ground truth. Writes
overlay PNGs and summary.json to the output folder and prints the summary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
import rclpy
from lifecycle_msgs.msg import Transition
from sensor_msgs.msg import Image

from thermal_fld_ros import metrics
from thermal_fld_ros.clip_scores import ClipScores
from thermal_fld_ros.data.clip import synthetic_clip
from thermal_fld_ros.data.records import LabelledImage
from thermal_fld_ros.data.synth import to_encoding
from thermal_fld_ros.resources import config_dir
from thermal_fld_ros.ros import messages
from thermal_fld_ros.ros.client import NodeClient

INPUT_TOPIC = "/demo/thermal/image_raw"
FRAME_ID = "thermal_optical"
#: Fast DDS profile with room for the overlays in shared memory (config/fastdds_shm.xml).
FASTDDS_PROFILE_ENV, FASTDDS_PROFILE = "FASTDDS_DEFAULT_PROFILES_FILE", "fastdds_shm.xml"
#: Seconds to wait for outputs after the last frame.
DRAIN_S = 2.0
#: Save every N-th overlay.
OVERLAY_EVERY = 10


@dataclass
class DemoSummary:
    frames_sent: int
    frames_answered: int
    ground_truth_faces: int
    faces_found: int
    recall: float
    #: Published faces near no ground-truth face, summed over frames (false tracks).
    false_faces: int
    nme_mean: float
    nme_median: float
    failure_rate_010: float
    track_ids_per_face: float
    latency_ms_p50: float
    latency_ms_p95: float
    #: The node's last diagnostics after the drain (its counters cover the whole clip; its rates,
    #: taken over the last diagnostics period, are 0 by then).
    node_diagnostics: dict[str, str]
    #: Input and output rates (Hz) from the node's last diagnostics while the clip streamed.
    node_rates_while_streaming: dict[str, str]
    #: Send-to-landmarks time of every answered frame, in sending order: shows which frames wait.
    latencies_ms: list[float]
    data: str = "synthetic clip (thermal_fld_ros.data.clip), mono16 centi-Kelvin, 320x240"


def _image_msg(frame: LabelledImage, stamp_ns: int) -> Image:
    raw = to_encoding(frame.image, "centikelvin_u16")
    msg = Image(height=raw.shape[0], width=raw.shape[1], encoding="mono16", is_bigendian=0,
                step=raw.shape[1] * 2, data=raw.tobytes())
    msg.header.stamp.sec, msg.header.stamp.nanosec = divmod(stamp_ns, 10**9)
    msg.header.frame_id = FRAME_ID
    return msg


def _node_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("ROS_AUTOMATIC_DISCOVERY_RANGE", "LOCALHOST")  # demo traffic stays on this machine
    env.setdefault(FASTDDS_PROFILE_ENV, str(config_dir() / FASTDDS_PROFILE))  # as the launch file does
    return env


def _score(clip: list[LabelledImage], stamps: list[int], client: NodeClient,
           sent_at: dict[int, float]) -> tuple[ClipScores, list[float], int]:
    """The answered frames against the clip's ground truth: scores, per-frame latencies (ms, in
    sending order) and the number of frames answered."""
    by_stamp = {m.header.stamp.sec * 10**9 + m.header.stamp.nanosec: m for m in client.landmarks}
    scores, latencies, answered = ClipScores(), [], 0
    for frame, stamp in zip(clip, stamps):
        cloud = by_stamp.get(stamp)
        if cloud is None:
            continue
        answered += 1
        key = ("landmarks", *divmod(stamp, 10**9))
        if key in client.received_at:
            latencies.append((client.received_at[key] - sent_at[stamp]) * 1e3)
        records = messages.cloud_records(cloud, messages.LANDMARK_DTYPE)
        reported = {int(tid): np.stack([records["x"], records["y"]], axis=1)[records["track_id"] == tid]
                    for tid in np.unique(records["track_id"])}
        scores.add_frame(frame.faces, reported)
    return scores, latencies, answered


def _save_overlays(client: NodeClient, out_dir: Path) -> list[Path]:
    paths = []
    for k, msg in enumerate(client.overlays[::OVERLAY_EVERY]):
        image = np.frombuffer(bytes(msg.data), np.uint8).reshape(msg.height, msg.width, 3)
        path = out_dir / f"overlay_{k:03d}.png"
        cv2.imwrite(str(path), image)
        paths.append(path)
    return paths


def run_demo(out_dir: Path, num_frames: int, rate_hz: float, seed: int, backend: str) -> DemoSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    clip = list(synthetic_clip(seed, num_frames))
    node = subprocess.Popen([sys.executable, "-m", "thermal_fld_ros.ros.node", "--ros-args",
                             "-r", f"image:={INPUT_TOPIC}", "-p", "radiometric_preset:=centikelvin",
                             "-p", f"backend:={backend}", "-p", "diagnostics_period:=0.5"],
                            env=_node_env())
    rclpy.init()
    client = NodeClient(rclpy.create_node("thermal_fld_demo"), input_topic=INPUT_TOPIC, overlay=True)
    try:
        if not (client.transition(Transition.TRANSITION_CONFIGURE)
                and client.transition(Transition.TRANSITION_ACTIVATE)):
            raise RuntimeError("the node refused to configure/activate: see its log above")
        client.wait_until_matched()
        start_ns = time.time_ns()
        stamps = [start_ns + int(k * 1e9 / rate_hz) for k in range(num_frames)]
        sent_at: dict[int, float] = {}
        for frame, stamp in zip(clip, stamps):
            msg = _image_msg(frame, stamp)
            sent_at[stamp] = time.monotonic()
            client.image_pub.publish(msg)
            client.spin_for(1.0 / rate_hz)
        streaming = client.pipeline_status() or {}
        client.spin_for(DRAIN_S)
        scores, latencies, answered = _score(clip, stamps, client, sent_at)
        nmes = scores.nmes
        overlays = _save_overlays(client, out_dir)
        truth = sum(len(f.faces) for f in clip)
        summary = DemoSummary(
            frames_sent=num_frames, frames_answered=answered, ground_truth_faces=truth,
            faces_found=scores.found, recall=scores.found / max(truth, 1), false_faces=scores.false_faces,
            nme_mean=float(np.mean(nmes)) if nmes else float("nan"),
            nme_median=float(np.median(nmes)) if nmes else float("nan"),
            failure_rate_010=metrics.failure_rate(nmes) if nmes else float("nan"),
            track_ids_per_face=scores.track_ids_per_face,
            latency_ms_p50=float(np.percentile(latencies, 50)) if latencies else float("nan"),
            latency_ms_p95=float(np.percentile(latencies, 95)) if latencies else float("nan"),
            node_diagnostics=client.pipeline_status() or {},
            node_rates_while_streaming={k: v for k, v in streaming.items() if k.endswith("_rate_hz")},
            latencies_ms=[round(v, 2) for v in latencies])
        (out_dir / "summary.json").write_text(json.dumps(asdict(summary), indent=2) + "\n")
        print(f"wrote {len(overlays)} overlays and summary.json to {out_dir}")
        return summary
    finally:
        client.node.destroy_node()
        rclpy.try_shutdown()
        node.terminate()
        node.wait(timeout=15)
