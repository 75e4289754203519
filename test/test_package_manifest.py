"""package.xml (what rosdep and colcon read) and setup.py (what gets installed) tell one story.

A robot builds this repository with colcon from package.xml's dependencies; the venv path
installs pinned wheels instead. A mismatch shows up only on a robot, so it is checked here.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "thermal_fld_ros"

#: Third-party import name -> rosdep key that provides it on a robot.
IMPORT_TO_ROSDEP = {
    "numpy": "python3-numpy",
    "cv2": "python3-opencv",
    "yaml": "python3-yaml",
    "onnxruntime": "python3-onnxruntime-pip",
    "onnx": "python3-onnx",
    "torch": "python3-torch",
    "scipy": "python3-scipy",
    "rclpy": "rclpy",
    "sensor_msgs": "sensor_msgs",
    "std_msgs": "std_msgs",
    "geometry_msgs": "geometry_msgs",
    "diagnostic_msgs": "diagnostic_msgs",
    "lifecycle_msgs": "lifecycle_msgs",
    "builtin_interfaces": "builtin_interfaces",
    "rcl_interfaces": "rcl_interfaces",
    "ament_index_python": "ament_index_python",
    "launch": "launch",
    "launch_ros": "launch_ros",
}
#: Imported lazily and optional: present on GPU robots or in the bench/training extras only.
OPTIONAL_IMPORTS = {"tensorrt", "cuda", "pycuda", "mediapipe", "dlib", "face_recognition_models", "tflite_runtime",
                    "tqdm", "tensorboard", "matplotlib"}
#: rosdep keys a robot gets from apt that have no wheel on PyPI (REFERENCE.md section 7).
ROBOT_ONLY_KEYS = {"launch", "launch_ros", "ament_copyright"}
#: rosdep key -> PyPI distribution pinned for the venv.
ROSDEP_TO_PYPI = {
    "python3-numpy": "numpy",
    "python3-opencv": "opencv-python-headless",
    "python3-yaml": "pyyaml",
    "python3-onnxruntime-pip": "onnxruntime",
    "python3-onnx": "onnx",
    "python3-torch": "torch",
    "python3-scipy": "scipy",
    "python3-pytest": "pytest",
}


def _manifest() -> ET.Element:
    return ET.parse(ROOT / "package.xml").getroot()


def _setup_call() -> ast.Call:
    tree = ast.parse((ROOT / "setup.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "setup"]
    assert len(calls) == 1
    return calls[0]


def _setup_kwarg(name: str) -> ast.expr:
    return next(k.value for k in _setup_call().keywords if k.arg == name)


def _manifest_deps(*tags: str) -> set[str]:
    return {e.text.strip() for tag in tags for e in _manifest().findall(tag)}


def _pinned_requirements() -> dict[str, str]:
    pins = {}
    for path in (ROOT / "requirements").glob("*.txt"):
        for line in path.read_text().splitlines():
            match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
            if match:
                pins[match.group(1).lower()] = match.group(2)
    return pins


def test_manifest_is_format_3_ament_python_with_setup_metadata():
    root = _manifest()
    assert root.get("format") == "3"
    assert root.findtext("export/build_type") == "ament_python"
    assert root.findtext("name") == PACKAGE
    assert root.findtext("version") == ast.literal_eval(_setup_kwarg("version"))
    assert root.findtext("license") == ast.literal_eval(_setup_kwarg("license"))
    assert root.find("maintainer").get("email") == ast.literal_eval(_setup_kwarg("maintainer_email"))
    assert (ROOT / "resource" / PACKAGE).is_file(), "ament index marker file missing"


def test_every_console_script_resolves_to_a_callable():
    entry_points = ast.literal_eval(_setup_kwarg("entry_points"))
    scripts = entry_points["console_scripts"]
    assert scripts, "setup.py declares no console scripts"
    for spec in scripts:
        name, target = (part.strip() for part in spec.split("="))
        module_name, func_name = target.split(":")
        assert callable(getattr(importlib.import_module(module_name), func_name)), spec


def test_every_installed_data_folder_exists_and_is_installed_to_share():
    source = (ROOT / "setup.py").read_text()
    for folder in ("launch", "config", "models"):
        assert (ROOT / folder).is_dir(), f"{folder}/ missing"
        assert f'f"{{SHARE}}/{folder}"' in source, f"setup.py does not install {folder}/"
    patterns = re.findall(r'glob\("([^"]+)"\)', source)
    for pattern in patterns:
        assert list(ROOT.glob(pattern)), f"setup.py installs {pattern}, which matches nothing"


def _third_party_imports() -> set[str]:
    names: set[str] = set()
    stdlib = set(sys.stdlib_module_names)
    for path in (ROOT / PACKAGE).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in stdlib and n != PACKAGE}


def test_every_third_party_import_is_a_declared_dependency():
    declared = _manifest_deps("depend", "exec_depend", "test_depend")
    for name in sorted(_third_party_imports() - OPTIONAL_IMPORTS):
        assert name in IMPORT_TO_ROSDEP, f"import {name!r} has no rosdep key in this test's table"
        assert IMPORT_TO_ROSDEP[name] in declared, f"package.xml lacks {IMPORT_TO_ROSDEP[name]} ({name})"


@pytest.mark.parametrize("key", sorted(_manifest_deps("depend", "exec_depend", "test_depend") - ROBOT_ONLY_KEYS))
def test_every_manifest_dependency_is_pinned_for_the_venv(key):
    pypi = ROSDEP_TO_PYPI.get(key, "ros-" + key.replace("_", "-"))
    assert pypi in _pinned_requirements(), f"{key} -> {pypi} is not pinned in requirements/"
