"""The thermal_fld lifecycle node, run as its own process and driven over real DDS.

It comes up unconfigured, is configured and activated through the lifecycle services, turns
thermal frames into landmark and face clouds stamped with the input header, publishes overlays
to subscribers, counts bad frames instead of dying, takes parameter changes at run time and
reports on /diagnostics.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import numpy as np
import pytest
import rclpy
from lifecycle_msgs.msg import State, Transition
from rcl_interfaces.msg import ParameterType, ParameterValue
from sensor_msgs.msg import Image

from thermal_fld_ros import frames
from thermal_fld_ros.resources import models_dir
from thermal_fld_ros.ros import messages
from thermal_fld_ros.ros.client import NodeClient

INPUT_TOPIC = "/camera/thermal/image_raw"

pytestmark = pytest.mark.skipif(
    not (models_dir() / "landmarks_student.onnx").is_file() or not (models_dir() / "face_detector.onnx").is_file(),
    reason="shipped models are not in models/ yet")


def _face_frame(stamp_sec: int) -> Image:
    """A 320x240 mono16 centi-Kelvin frame with one synthetic face (the generator's own render)."""
    from thermal_fld_ros.data.synth import generate_scene, to_encoding

    rng = np.random.default_rng(5)
    sample = generate_scene(rng)
    raw = to_encoding(sample.image, "centikelvin_u16")
    msg = Image(height=raw.shape[0], width=raw.shape[1], encoding="mono16", is_bigendian=0,
                step=raw.shape[1] * 2, data=raw.tobytes())
    msg.header.stamp.sec, msg.header.frame_id = stamp_sec, "thermal_optical"
    return msg


@pytest.fixture
def driver(ros_env):
    executable = shutil.which("thermal_fld_node", path=ros_env["PATH"])
    assert executable, "console script thermal_fld_node is not installed (make setup)"
    process = subprocess.Popen([executable, "--ros-args", "-r", f"image:={INPUT_TOPIC}",
                                "-p", "radiometric_preset:=centikelvin", "-p", "diagnostics_period:=0.5",
                                # transport is under test, not detector quality: a low threshold
                                # guarantees faces to publish whatever the shipped detector scores
                                "-p", "detection_threshold:=0.01", "-p", "tracking_birth_score:=0.01"],
                               env=ros_env)
    rclpy.init()
    driver = NodeClient(rclpy.create_node("thermal_fld_test_driver"), input_topic=INPUT_TOPIC)
    try:
        yield driver
        assert process.poll() is None, "the node process died during the test"
    finally:
        driver.node.destroy_node()
        rclpy.try_shutdown()
        process.terminate()
        process.wait(timeout=15)


def test_node_runs_the_lifecycle_and_publishes_landmarks_with_the_input_header(driver):
    assert driver.state() == State.PRIMARY_STATE_UNCONFIGURED
    with pytest.raises(TimeoutError):  # no input subscription and no outputs before configure
        driver.wait_until_matched(timeout=1.0)
    assert driver.transition(Transition.TRANSITION_CONFIGURE)
    driver.wait_until_matched()
    assert driver.transition(Transition.TRANSITION_ACTIVATE)
    assert driver.state() == State.PRIMARY_STATE_ACTIVE

    frame = _face_frame(stamp_sec=4242)
    assert driver.publish_until(frame, lambda: driver.landmarks and driver.faces), "no landmark output"
    for cloud in driver.landmarks + driver.faces:
        assert cloud.header.stamp.sec == 4242 and cloud.header.frame_id == "thermal_optical"
    records = messages.cloud_records(driver.landmarks[-1], messages.LANDMARK_DTYPE)
    faces = messages.cloud_records(driver.faces[-1], messages.FACE_DTYPE)
    assert len(faces) >= 1 and len(records) == 54 * len(faces)
    # centi-Kelvin input: each landmark reports the frame's own degrees C at its pixel
    decoded = frames.decode(frame.data, frame.encoding, frame.width, frame.height, frame.step,
                            celsius=frames.radiometric("centikelvin"))
    points = np.stack([records["x"], records["y"]], axis=1)
    np.testing.assert_allclose(records["temperature"], decoded.temperatures_at(points), atol=0.02)

    driver.subscribe_overlay()
    assert driver.publish_until(frame, lambda: driver.overlays), "no overlay for a subscriber"
    assert driver.overlays[-1].encoding == "bgr8" and driver.overlays[-1].header.stamp.sec == 4242


def test_bad_frames_are_counted_not_fatal_and_parameters_change_at_run_time(driver):
    assert driver.transition(Transition.TRANSITION_CONFIGURE)
    assert driver.transition(Transition.TRANSITION_ACTIVATE)
    broken = _face_frame(stamp_sec=1)
    broken.step = broken.width  # a row shorter than width * 2 bytes: undecodable
    broken.data = broken.data[: broken.step * broken.height]

    def bad_counted() -> bool:
        status = driver.pipeline_status()
        return status is not None and int(status["frames_bad"]) > 0

    assert driver.publish_until(broken, bad_counted), "bad frames are not reported on /diagnostics"
    assert driver.state() == State.PRIMARY_STATE_ACTIVE

    refused = driver.set_parameter("backend", ParameterValue(type=ParameterType.PARAMETER_STRING,
                                                             string_value="opencl"))
    assert not refused.successful and "backend must be one of" in refused.reason
    out_of_range = driver.set_parameter("max_faces", ParameterValue(type=ParameterType.PARAMETER_INTEGER,
                                                                     integer_value=0))
    assert not out_of_range.successful
    accepted = driver.set_parameter("max_faces", ParameterValue(type=ParameterType.PARAMETER_INTEGER,
                                                                 integer_value=1))
    assert accepted.successful
    driver.landmarks.clear()
    good = _face_frame(stamp_sec=7)
    assert driver.publish_until(good, lambda: any(c.header.stamp.sec == 7 for c in driver.landmarks))
    assert all(c.width <= 54 for c in driver.landmarks if c.header.stamp.sec == 7), "max_faces=1 ignored"
