"""thermal_fld_ros: facial landmarks in thermal (LWIR) images, for ROS 2.

The package root and everything below it except ``thermal_fld_ros.ros`` is plain Python with no
ROS import: decoding, detection, landmark inference and training. ``thermal_fld_ros.ros`` is the
thin rclpy glue around it.
"""

__version__ = "0.1.0"
