"""Launch the thermal_fld lifecycle node and bring it to the active state.

    ros2 launch thermal_fld_ros thermal_fld.launch.py image:=/flir_boson/image_raw

Arguments: image (input topic), namespace, params_file (YAML, default config/thermal_fld.yaml),
backend, radiometric_preset, autostart (configure + activate on launch, default true).
The node runs with config/fastdds_shm.xml (a shared-memory segment big enough for the debug
overlays) unless FASTDDS_DEFAULT_PROFILES_FILE is already set.
"""

import os

import launch
import lifecycle_msgs.msg
from ament_index_python.packages import get_package_share_directory
from launch.actions import DeclareLaunchArgument, EmitEvent, RegisterEventHandler
from launch.conditions import IfCondition
from launch.substitutions import EnvironmentVariable, LaunchConfiguration
from launch_ros.actions import LifecycleNode
from launch_ros.event_handlers import OnStateTransition
from launch_ros.events.lifecycle import ChangeState
from launch.events import matches_action

NODE_NAME = "thermal_fld"
FASTDDS_PROFILE_ENV = "FASTDDS_DEFAULT_PROFILES_FILE"


def generate_launch_description() -> launch.LaunchDescription:
    share = get_package_share_directory("thermal_fld_ros")
    args = [
        DeclareLaunchArgument("image", default_value="/thermal/image_raw",
                              description="thermal image topic (sensor_msgs/Image)"),
        DeclareLaunchArgument("namespace", default_value=""),
        DeclareLaunchArgument("params_file", default_value=os.path.join(share, "config", "thermal_fld.yaml")),
        DeclareLaunchArgument("backend", default_value="auto",
                              description="auto | tensorrt | onnxruntime | torch"),
        DeclareLaunchArgument("radiometric_preset", default_value="counts",
                              description="counts | centikelvin | optris | linear"),
        DeclareLaunchArgument("autostart", default_value="true",
                              description="configure and activate the lifecycle node at launch"),
    ]
    node = LifecycleNode(
        package="thermal_fld_ros",
        executable="thermal_fld_node",
        name=NODE_NAME,
        namespace=LaunchConfiguration("namespace"),
        parameters=[LaunchConfiguration("params_file"), {
            "backend": LaunchConfiguration("backend"),
            "radiometric_preset": LaunchConfiguration("radiometric_preset"),
        }],
        remappings=[("image", LaunchConfiguration("image"))],
        additional_env={FASTDDS_PROFILE_ENV: EnvironmentVariable(
            FASTDDS_PROFILE_ENV, default_value=os.path.join(share, "config", "fastdds_shm.xml"))},
        output="screen",
    )
    autostart = IfCondition(LaunchConfiguration("autostart"))
    configure = EmitEvent(condition=autostart, event=ChangeState(
        lifecycle_node_matcher=matches_action(node),
        transition_id=lifecycle_msgs.msg.Transition.TRANSITION_CONFIGURE))
    activate_when_configured = RegisterEventHandler(condition=autostart, event_handler=OnStateTransition(
        target_lifecycle_node=node, goal_state="inactive",
        entities=[EmitEvent(event=ChangeState(
            lifecycle_node_matcher=matches_action(node),
            transition_id=lifecycle_msgs.msg.Transition.TRANSITION_ACTIVATE))]))
    return launch.LaunchDescription([*args, node, activate_when_configured, configure])
