"""The launch file and the shipped parameter and Fast DDS files agree with what the node needs.

`launch`/`launch_ros` exist only on robots (not on PyPI), so here the launch file is checked by
reading it; where they are installed, its description is also built for real.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import xml.etree.ElementTree as ET

import pytest
import yaml

from thermal_fld_ros.ros.parameters import BY_NAME, PARAMETERS

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = ROOT / "launch" / "thermal_fld.launch.py"
CONFIG = ROOT / "config" / "thermal_fld.yaml"
FASTDDS_PROFILE = ROOT / "config" / "fastdds_shm.xml"
DDS_NS = {"dds": "http://www.eprosima.com"}
#: A 640x512 bgr8 debug overlay, the largest frame of the cameras the package targets.
LARGEST_OVERLAY_BYTES = 640 * 512 * 3


def _calls(name: str) -> list[ast.Call]:
    tree = ast.parse(LAUNCH.read_text())
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == name]


def test_shipped_parameter_file_sets_exactly_the_declared_parameters_to_their_defaults():
    params = yaml.safe_load(CONFIG.read_text())["/**"]["ros__parameters"]
    assert set(params) == set(BY_NAME)
    for spec in PARAMETERS:
        assert params[spec.name] == spec.default, spec.name


def test_launch_file_starts_the_installed_lifecycle_executable():
    (node,) = _calls("LifecycleNode")
    kwargs = {k.arg: k.value for k in node.keywords}
    assert ast.literal_eval(kwargs["package"]) == "thermal_fld_ros"
    executable = ast.literal_eval(kwargs["executable"])
    setup = (ROOT / "setup.py").read_text()
    assert f'"{executable} = thermal_fld_ros.ros.node:main"' in setup


def test_launch_overrides_only_parameters_the_node_declares():
    (node,) = _calls("LifecycleNode")
    parameters = next(k.value for k in node.keywords if k.arg == "parameters")
    overrides = [d for d in parameters.elts if isinstance(d, ast.Dict)]
    names = {ast.literal_eval(key) for d in overrides for key in d.keys}
    assert names and names <= set(BY_NAME)


def test_launch_autostarts_through_configure_then_activate():
    source = LAUNCH.read_text()
    assert "TRANSITION_CONFIGURE" in source and "TRANSITION_ACTIVATE" in source
    assert 'goal_state="inactive"' in source


def test_fastdds_profile_keeps_udp_and_gives_shared_memory_room_for_several_large_overlays():
    root = ET.parse(FASTDDS_PROFILE).getroot()
    kinds = {t.findtext("dds:type", namespaces=DDS_NS): t for t in root.iterfind(".//dds:transport_descriptor", DDS_NS)}
    assert set(kinds) == {"SHM", "UDPv4"}  # other hosts still reach the node
    assert int(kinds["SHM"].findtext("dds:segment_size", namespaces=DDS_NS)) >= 4 * LARGEST_OVERLAY_BYTES
    participant = root.find(".//dds:participant", DDS_NS)
    assert participant.get("is_default_profile") == "true"
    used = {t.text for t in participant.iterfind(".//dds:userTransports/dds:transport_id", DDS_NS)}
    assert used == {t.findtext("dds:transport_id", namespaces=DDS_NS) for t in kinds.values()}


def test_launch_runs_the_node_with_the_fastdds_profile_unless_the_user_has_one():
    (node,) = _calls("LifecycleNode")
    env = next(k.value for k in node.keywords if k.arg == "additional_env")
    source = ast.unparse(env)
    assert "EnvironmentVariable(FASTDDS_PROFILE_ENV, default_value=" in source
    assert FASTDDS_PROFILE.name in source
    assert 'FASTDDS_PROFILE_ENV = "FASTDDS_DEFAULT_PROFILES_FILE"' in LAUNCH.read_text()


@pytest.mark.skipif(importlib.util.find_spec("launch_ros") is None,
                    reason="launch_ros is not on PyPI; this runs on machines with ROS 2 from apt")
def test_launch_description_builds_on_a_ros_install():
    spec = importlib.util.spec_from_file_location("thermal_fld_launch", LAUNCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.generate_launch_description().entities
