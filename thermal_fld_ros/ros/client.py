"""Drive a running thermal_fld node from another process: lifecycle, parameters, frames, outputs.

Used by the demo and by the node tests, so both exercise the node exactly as a robot
integration would: over DDS, through the standard lifecycle and parameter services.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from diagnostic_msgs.msg import DiagnosticArray
from lifecycle_msgs.srv import ChangeState, GetState
from rcl_interfaces.msg import Parameter as ParameterMsg
from rcl_interfaces.msg import ParameterValue, SetParametersResult
from rcl_interfaces.srv import SetParameters
from rclpy.node import Node
from rclpy.qos import qos_profile_sensor_data
from sensor_msgs.msg import Image, PointCloud2

import rclpy

SERVICE_TIMEOUT_S = 40.0
SPIN_STEP_S = 0.05
#: Queue depth of the landmark and face subscriptions. The client records every answer, like a
#: bag recorder: with the usual depth of 10, a client process starved of CPU for ten frame
#: periods loses the oldest answers before its spin takes them.
RECORD_DEPTH = 1000


class NodeClient:
    """Publishes input frames to ``input_topic`` and records what ``node_name`` publishes."""

    def __init__(self, node: Node, node_name: str = "/thermal_fld",
                 input_topic: str = "/thermal/image_raw", overlay: bool = False) -> None:
        self.node = node
        self.name = node_name
        self.landmarks: list[PointCloud2] = []
        self.faces: list[PointCloud2] = []
        self.overlays: list[Image] = []
        self.diagnostics: list[DiagnosticArray] = []
        self.received_at: dict[tuple[str, int, int], float] = {}
        self.image_pub = node.create_publisher(Image, input_topic, qos_profile_sensor_data)
        self._recorders = [
            node.create_subscription(PointCloud2, f"{node_name}/{topic}", self._record(store, topic),
                                     RECORD_DEPTH)
            for topic, store in (("landmarks", self.landmarks), ("faces", self.faces))]
        node.create_subscription(DiagnosticArray, "/diagnostics", self.diagnostics.append, 10)
        if overlay:
            self.subscribe_overlay()

    def _record(self, store: list, topic: str) -> Callable[[Any], None]:
        def callback(msg) -> None:
            store.append(msg)
            key = (topic, msg.header.stamp.sec, msg.header.stamp.nanosec)
            self.received_at.setdefault(key, time.monotonic())
        return callback

    def subscribe_overlay(self) -> None:
        self.node.create_subscription(Image, f"{self.name}/overlay", self.overlays.append, 5)

    def spin_until(self, done: Callable[[], bool], timeout: float = SERVICE_TIMEOUT_S) -> bool:
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            rclpy.spin_once(self.node, timeout_sec=SPIN_STEP_S)
        return done()

    def spin_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            rclpy.spin_once(self.node, timeout_sec=min(SPIN_STEP_S, max(deadline - time.monotonic(), 0.0)))

    def wait_until_matched(self, timeout: float = SERVICE_TIMEOUT_S) -> None:
        """Spin until DDS discovery has matched the frame publisher with the node's input and the
        node's outputs with this client: a frame sent before that is lost (best effort), and an
        answer published before that never reaches the client."""
        def matched() -> bool:
            return (self.image_pub.get_subscription_count() > 0
                    and all(sub.get_publisher_count() > 0 for sub in self._recorders))
        if not self.spin_until(matched, timeout):
            raise TimeoutError(f"{self.name} did not match the client's topics")

    def call(self, srv_type, service: str, request):
        client = self.node.create_client(srv_type, f"{self.name}/{service}")
        if not client.wait_for_service(timeout_sec=SERVICE_TIMEOUT_S):
            raise TimeoutError(f"service {self.name}/{service} is not available")
        future = client.call_async(request)
        if not self.spin_until(future.done):
            raise TimeoutError(f"service {self.name}/{service} did not answer")
        return future.result()

    def state(self) -> int:
        return self.call(GetState, "get_state", GetState.Request()).current_state.id

    def transition(self, transition_id: int) -> bool:
        request = ChangeState.Request()
        request.transition.id = transition_id
        return self.call(ChangeState, "change_state", request).success

    def set_parameter(self, name: str, value: ParameterValue) -> SetParametersResult:
        request = SetParameters.Request(parameters=[ParameterMsg(name=name, value=value)])
        return self.call(SetParameters, "set_parameters", request).results[0]

    def publish_until(self, msg: Image, done: Callable[[], bool], period: float = 0.2) -> bool:
        """Re-publish ``msg`` (best effort may lose one) until ``done()`` or the timeout."""
        deadline = time.monotonic() + SERVICE_TIMEOUT_S
        while not done() and time.monotonic() < deadline:
            self.image_pub.publish(msg)
            self.spin_until(done, timeout=period)
        return done()

    def pipeline_status(self) -> dict[str, str] | None:
        """The newest key/values of this node's diagnostics status, or None."""
        for array in reversed(self.diagnostics):
            for status in array.status:
                if status.name == f"{self.name.strip('/')}: pipeline":
                    return {kv.key: kv.value for kv in status.values}
        return None
