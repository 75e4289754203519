"""ament_python build of thermal_fld_ros: `colcon build` on a robot, `pip install -e .` in the venv."""

from glob import glob

from setuptools import find_packages, setup

PACKAGE = "thermal_fld_ros"
SHARE = f"share/{PACKAGE}"

setup(
    name=PACKAGE,
    version="0.1.0",
    packages=find_packages(exclude=["test", "test.*"]),
    data_files=[
        ("share/ament_index/resource_index/packages", [f"resource/{PACKAGE}"]),
        (SHARE, ["package.xml"]),
        (f"{SHARE}/launch", glob("launch/*.launch.py")),
        (f"{SHARE}/config", glob("config/*.yaml") + glob("config/*.xml")),
        (f"{SHARE}/models", glob("models/*.onnx") + glob("models/*.yaml")),
    ],
    install_requires=["setuptools"],
    zip_safe=True,
    maintainer="thermal_fld_ros maintainers",
    maintainer_email="maintainers@thermal-fld-ros.invalid",
    description="Facial landmarks in thermal camera streams for ROS 2 (MLCM-KD student network).",
    license="Apache-2.0",
    tests_require=["pytest"],
    entry_points={
        "console_scripts": [
            "thermal-fld = thermal_fld_ros.cli:main",
            "thermal_fld_node = thermal_fld_ros.ros.node:main",
        ],
    },
)
