"""Where the package finds its shipped files (models, configs) and the optional shared data.

Installed by colcon, models and configs live in ``share/thermal_fld_ros``; in a source checkout
(the venv path of the README) they are the repository's own folders.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_NAME = "thermal_fld_ros"
REPO_ROOT = Path(__file__).resolve().parents[1]
#: Environment variable that points at the shared real-thermal-faces reference data.
SHARED_ENV = "THERMAL_FLD_SHARED"


def share_dir() -> Path:
    """The package's share folder: ament index when installed, else the repository root."""
    if (REPO_ROOT / "package.xml").is_file():
        return REPO_ROOT
    try:
        from ament_index_python.packages import get_package_share_directory
    except ImportError as exc:  # installed without ament_index: nothing else to try
        raise FileNotFoundError(f"cannot locate the {PACKAGE_NAME} share folder") from exc
    return Path(get_package_share_directory(PACKAGE_NAME))


def models_dir() -> Path:
    return share_dir() / "models"


def config_dir() -> Path:
    return share_dir() / "config"


def shared_data_dir() -> Path | None:
    """The real thermal face reference data (../shared/data), or None where it is absent."""
    candidates = [Path(os.environ[SHARED_ENV])] if SHARED_ENV in os.environ else []
    candidates.append(REPO_ROOT.parent / "shared" / "data")
    for path in candidates:
        if (path / "real_thermal_faces").is_dir():
            return path
    return None
