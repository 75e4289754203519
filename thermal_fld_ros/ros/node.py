"""The thermal_fld lifecycle node: thermal images in; landmarks, faces, overlays, diagnostics out.

Thin glue: decoding, detection, tracking and landmark inference are the ROS-free
``thermal_fld_ros.pipeline``; this module moves messages in and out and owns the ROS habits
users expect (REFERENCE.md section 6): sensor-data QoS on the input (overridable, REP-2003),
input headers copied onto every output, newest frame processed and stale frames dropped and
counted, overlays drawn only when someone subscribes, parameters described and live, and
/diagnostics with rates, latency and drops.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from pathlib import Path

import numpy as np
import rclpy
from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus, KeyValue
from rcl_interfaces.msg import FloatingPointRange, IntegerRange, ParameterDescriptor, SetParametersResult
from rclpy.executors import ExternalShutdownException
from rclpy.lifecycle import LifecycleNode, LifecycleState, TransitionCallbackReturn
from rclpy.parameter import Parameter
from rclpy.qos import QoSProfile, qos_profile_sensor_data
from rclpy.qos_overriding_options import QoSOverridingOptions
from sensor_msgs.msg import Image, PointCloud2

from thermal_fld_ros import frames
from thermal_fld_ros.overlay import draw
from thermal_fld_ros.pipeline import Pipeline, PipelineConfig
from thermal_fld_ros.ros import messages
from thermal_fld_ros.ros.parameters import BY_NAME, PARAMETERS, ParamSpec, tracker_config

NODE_NAME = "thermal_fld"
#: Parameters that change how input frames are decoded.
DECODING_PARAMETERS = {"radiometric_preset", "radiometric_scale", "radiometric_offset", "palette"}
#: Frame latencies kept for the diagnostics percentiles.
LATENCY_WINDOW = 200
#: Seconds without input after which diagnostics warn.
STALE_INPUT_S = 3.0
#: Share of dropped input frames above which diagnostics warn.
DROP_WARN_RATIO = 0.5
#: Log bad frames at most this often (seconds); every one is counted.
BAD_FRAME_LOG_PERIOD_S = 5.0


class FrameStats:
    """Counters behind /diagnostics; written by the worker and the subscription, read by a timer."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received = 0
        self.processed = 0
        self.dropped = 0
        self.bad = 0
        self.faces = 0
        self.last_input = 0.0
        self.latencies_ms: deque[float] = deque(maxlen=LATENCY_WINDOW)
        self._window_start = time.monotonic()
        self._window_counts = (0, 0)

    def rates(self) -> tuple[float, float]:
        """Input and output rate (Hz) since the previous call."""
        now = time.monotonic()
        span = max(now - self._window_start, 1e-6)
        received, processed = self._window_counts
        rates = ((self.received - received) / span, (self.processed - processed) / span)
        self._window_start, self._window_counts = now, (self.received, self.processed)
        return rates


def _descriptor(spec: ParamSpec) -> ParameterDescriptor:
    text = spec.description + (f" One of: {', '.join(repr(c) for c in spec.choices)}." if spec.choices else "")
    desc = ParameterDescriptor(description=text)
    if spec.minimum is not None and isinstance(spec.default, int) and not isinstance(spec.default, bool):
        desc.integer_range = [IntegerRange(from_value=int(spec.minimum), to_value=int(spec.maximum), step=1)]
    elif spec.minimum is not None and isinstance(spec.default, float):
        desc.floating_point_range = [FloatingPointRange(from_value=spec.minimum, to_value=spec.maximum, step=0.0)]
    return desc


class ThermalFldNode(LifecycleNode):
    def __init__(self, **kwargs) -> None:
        super().__init__(NODE_NAME, **kwargs)
        for spec in PARAMETERS:
            self.declare_parameter(spec.name, spec.default, _descriptor(spec))
        self.add_on_set_parameters_callback(self._validate_parameters)
        self.add_post_set_parameters_callback(self._apply_parameters)
        self.stats = FrameStats()
        self._pipeline: Pipeline | None = None
        self._needs_rebuild = False
        self._active = False
        self._latest: Image | None = None
        self._slot_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._last_bad_log = 0.0
        self._celsius: frames.Celsius | None = None
        self._palette: str | None = None
        self._pubs: dict[str, object] = {}
        self._subscription = None
        self._diag_timer = None

    # ---- parameters -------------------------------------------------------------------------
    def _param(self, name: str):
        return self.get_parameter(name).value

    def _validate_parameters(self, params: list[Parameter]) -> SetParametersResult:
        for param in params:
            spec = BY_NAME.get(param.name)
            if spec and spec.choices and param.value not in spec.choices:
                return SetParametersResult(successful=False,
                                           reason=f"{param.name} must be one of {list(spec.choices)}")
        return SetParametersResult(successful=True)

    def _apply_parameters(self, params: list[Parameter]) -> None:
        names = {p.name for p in params}
        if names & DECODING_PARAMETERS:
            self._refresh_decoding()
        if any(BY_NAME[name].rebuilds for name in names if name in BY_NAME):
            self._needs_rebuild = True  # the worker rebuilds before its next frame
        if "diagnostics_period" in names and self._diag_timer is not None:
            self.destroy_timer(self._diag_timer)
            self._diag_timer = self.create_timer(self._param("diagnostics_period"), self._publish_diagnostics)

    def _build_pipeline(self) -> Pipeline:
        defaults = PipelineConfig()
        return Pipeline.create(PipelineConfig(
            backend=self._param("backend"),
            landmark_model=Path(self._param("landmark_model") or defaults.landmark_model),
            detector_model=Path(self._param("detector_model") or defaults.detector_model),
            threads=self._param("num_threads"),
            detection_threshold=self._param("detection_threshold"),
            tracker=tracker_config(self._param),
        ))

    def _describe(self) -> str:
        if self._pipeline is None:
            return "unconfigured"
        return (f"landmarks on {self._pipeline.landmarker.backend.name}, "
                f"detector on {self._pipeline.detector.backend.name}")

    def _refresh_decoding(self) -> None:
        """Decoding settings are read once per parameter change, not once per frame."""
        self._celsius = frames.radiometric(self._param("radiometric_preset"),
                                           self._param("radiometric_scale"),
                                           self._param("radiometric_offset"))
        self._palette = self._param("palette") or None

    # ---- lifecycle ----------------------------------------------------------------------------
    def on_configure(self, state: LifecycleState) -> TransitionCallbackReturn:
        try:
            self._pipeline = self._build_pipeline()
        except (FileNotFoundError, ValueError, RuntimeError, ImportError) as exc:
            self.get_logger().error(f"cannot build the inference pipeline: {exc}")
            return TransitionCallbackReturn.FAILURE
        self._needs_rebuild = False
        self._refresh_decoding()
        self._pubs = {
            "landmarks": self.create_lifecycle_publisher(PointCloud2, "~/landmarks", 10),
            "faces": self.create_lifecycle_publisher(PointCloud2, "~/faces", 10),
            "overlay": self.create_lifecycle_publisher(Image, "~/overlay", 2),
        }
        # Diagnostics are a plain publisher: an inactive node still reports that it is inactive.
        self._pubs["diagnostics"] = self.create_publisher(DiagnosticArray, "/diagnostics", 10)
        self._subscription = self.create_subscription(
            Image, "image", self._on_image, qos_profile_sensor_data,
            qos_overriding_options=QoSOverridingOptions.with_default_policies())
        self._diag_timer = self.create_timer(self._param("diagnostics_period"), self._publish_diagnostics)
        self._stop.clear()
        self._worker = threading.Thread(target=self._work, name="thermal_fld_worker", daemon=True)
        self._worker.start()
        self.get_logger().info(f"configured: {self._describe()}")
        return TransitionCallbackReturn.SUCCESS

    def on_activate(self, state: LifecycleState) -> TransitionCallbackReturn:
        self._active = True
        return super().on_activate(state)

    def on_deactivate(self, state: LifecycleState) -> TransitionCallbackReturn:
        self._active = False
        return super().on_deactivate(state)

    def on_cleanup(self, state: LifecycleState) -> TransitionCallbackReturn:
        self._teardown()
        return TransitionCallbackReturn.SUCCESS

    def on_shutdown(self, state: LifecycleState) -> TransitionCallbackReturn:
        self._teardown()
        return TransitionCallbackReturn.SUCCESS

    def _teardown(self) -> None:
        self._active = False
        self._stop.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join(timeout=5.0)
            self._worker = None
        if self._subscription is not None:
            self.destroy_subscription(self._subscription)
            self._subscription = None
        if self._diag_timer is not None:
            self.destroy_timer(self._diag_timer)
            self._diag_timer = None
        for pub in self._pubs.values():
            self.destroy_publisher(pub)
        self._pubs = {}
        self._pipeline = None

    # ---- frames -------------------------------------------------------------------------------
    def _on_image(self, msg: Image) -> None:
        if not self._active:
            return
        with self._slot_lock:
            self.stats.received += 1
            self.stats.last_input = time.monotonic()
            if self._latest is not None:
                self.stats.dropped += 1  # the worker never saw it: a newer frame replaces it
            self._latest = msg
        self._wake.set()

    def _work(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            with self._slot_lock:
                msg, self._latest = self._latest, None
            if msg is None or self._stop.is_set():
                continue
            try:
                self._process(msg)
            except ValueError as exc:  # bad input: counted and logged, never fatal
                self._count_bad(msg, exc)

    def _process(self, msg: Image) -> None:
        if self._needs_rebuild:
            self._needs_rebuild = False
            self._pipeline = self._build_pipeline()
        start = time.perf_counter()
        frame = frames.decode(msg.data, msg.encoding, msg.width, msg.height, msg.step,
                              bool(msg.is_bigendian), celsius=self._celsius,
                              palette=self._palette)
        faces = self._pipeline.process(frame).faces
        self._pubs["landmarks"].publish(messages.landmarks_cloud(msg.header, faces))
        self._pubs["faces"].publish(messages.faces_cloud(msg.header, faces))
        overlay_pub = self._pubs["overlay"]
        if self._param("publish_overlay") and overlay_pub.get_subscription_count() > 0:
            overlay_pub.publish(messages.bgr_image(msg.header, draw(frame, faces)))
        with self._slot_lock:
            self.stats.processed += 1
            self.stats.faces = len(faces)
            self.stats.latencies_ms.append((time.perf_counter() - start) * 1e3)

    def _count_bad(self, msg: Image, exc: Exception) -> None:
        with self._slot_lock:
            self.stats.bad += 1
            count = self.stats.bad
        now = time.monotonic()
        if now - self._last_bad_log >= BAD_FRAME_LOG_PERIOD_S:
            self._last_bad_log = now
            self.get_logger().warning(
                f"dropped bad frame ({msg.encoding} {msg.width}x{msg.height}, step {msg.step}, "
                f"{len(msg.data)} bytes): {exc} [{count} bad frames so far]")

    # ---- diagnostics --------------------------------------------------------------------------
    def _publish_diagnostics(self) -> None:
        pub = self._pubs.get("diagnostics")
        if pub is None:
            return
        with self._slot_lock:
            stats = self.stats
            in_hz, out_hz = stats.rates()
            latencies = np.array(stats.latencies_ms) if stats.latencies_ms else np.zeros(1)
            values = {
                "input_rate_hz": f"{in_hz:.2f}", "output_rate_hz": f"{out_hz:.2f}",
                "latency_ms_p50": f"{np.percentile(latencies, 50):.2f}",
                "latency_ms_p95": f"{np.percentile(latencies, 95):.2f}",
                "frames_received": str(stats.received), "frames_processed": str(stats.processed),
                "frames_dropped": str(stats.dropped), "frames_bad": str(stats.bad),
                "faces": str(stats.faces),
            }
            stale = self._active and time.monotonic() - stats.last_input > STALE_INPUT_S
            drop_ratio = stats.dropped / max(stats.received, 1)
        if not self._active:
            level, text = DiagnosticStatus.WARN, "inactive"
        elif stale:
            level, text = DiagnosticStatus.WARN, f"no input for more than {STALE_INPUT_S:.0f} s"
        elif drop_ratio > DROP_WARN_RATIO:
            level, text = DiagnosticStatus.WARN, f"dropping {drop_ratio:.0%} of input frames"
        else:
            level, text = DiagnosticStatus.OK, "running"
        status = DiagnosticStatus(level=level, name=f"{self.get_name()}: pipeline", message=text,
                                  hardware_id=self._describe(),
                                  values=[KeyValue(key=k, value=v) for k, v in values.items()])
        array = DiagnosticArray(status=[status])
        array.header.stamp = self.get_clock().now().to_msg()
        pub.publish(array)


def main(args: list[str] | None = None) -> None:
    rclpy.init(args=args)
    node = ThermalFldNode()
    try:
        rclpy.spin(node)
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    finally:
        node._teardown()
        node.destroy_node()
        rclpy.try_shutdown()


if __name__ == "__main__":
    main()
