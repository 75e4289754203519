"""A 640x512 mono16 image crosses processes over Fast DDS with sensor-data QoS, byte-exact."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import rclpy
from rclpy.qos import qos_profile_sensor_data
from sensor_msgs.msg import Image

PUBLISHER = Path(__file__).parent / "peers" / "mono16_publisher.py"
TOPIC = "/thermal/image_raw"
FRAMES_WANTED = 3
TIMEOUT_S = 30.0
WIDTH, HEIGHT = 640, 512


def test_mono16_frames_arrive_intact_from_another_process(ros_env):
    publisher = subprocess.Popen([sys.executable, str(PUBLISHER), TOPIC], env=ros_env)
    received: list[Image] = []
    rclpy.init()
    try:
        node = rclpy.create_node("mono16_subscriber")
        node.create_subscription(Image, TOPIC, received.append, qos_profile_sensor_data)
        deadline = time.monotonic() + TIMEOUT_S
        while len(received) < FRAMES_WANTED and time.monotonic() < deadline:
            assert publisher.poll() is None, "publisher process died"
            rclpy.spin_once(node, timeout_sec=0.1)
        node.destroy_node()
    finally:
        rclpy.try_shutdown()
        publisher.terminate()
        publisher.wait(timeout=10)

    assert len(received) >= FRAMES_WANTED, f"only {len(received)} frames in {TIMEOUT_S} s"
    base = np.arange(WIDTH * HEIGHT, dtype=np.uint32).reshape(HEIGHT, WIDTH)
    for msg in received:
        assert (msg.width, msg.height, msg.encoding, msg.step) == (WIDTH, HEIGHT, "mono16", WIDTH * 2)
        assert msg.header.frame_id == "thermal_camera"
        pixels = np.frombuffer(bytes(msg.data), dtype="<u2").reshape(HEIGHT, WIDTH)
        expected = ((base + msg.header.stamp.sec) % 65536).astype(np.uint16)
        np.testing.assert_array_equal(pixels, expected)
