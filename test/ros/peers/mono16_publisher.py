"""Peer process for the DDS transport test: publishes 640x512 mono16 frames with a known pattern.

Pixel (row, col) of frame k holds (row * 640 + col + k) mod 65536, so the receiver can check
every byte. Runs until killed.
"""

import sys
import time

import numpy as np
import rclpy
from rclpy.qos import qos_profile_sensor_data
from sensor_msgs.msg import Image

WIDTH, HEIGHT = 640, 512
PERIOD_S = 0.05


def frame(k: int) -> np.ndarray:
    base = np.arange(WIDTH * HEIGHT, dtype=np.uint32).reshape(HEIGHT, WIDTH)
    return ((base + k) % 65536).astype(np.uint16)


def main() -> None:
    rclpy.init()
    node = rclpy.create_node("mono16_publisher")
    pub = node.create_publisher(Image, sys.argv[1], qos_profile_sensor_data)
    k = 0
    try:
        while rclpy.ok():
            msg = Image()
            msg.header.stamp.sec = k
            msg.header.frame_id = "thermal_camera"
            msg.height, msg.width = HEIGHT, WIDTH
            msg.encoding = "mono16"
            msg.is_bigendian = 0
            msg.step = WIDTH * 2
            msg.data = frame(k).tobytes()
            pub.publish(msg)
            k += 1
            time.sleep(PERIOD_S)
    except KeyboardInterrupt:
        pass
    finally:
        node.destroy_node()
        rclpy.try_shutdown()


if __name__ == "__main__":
    main()
