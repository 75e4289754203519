"""ROS 2 glue: the only part of the package that imports rclpy and message types."""
