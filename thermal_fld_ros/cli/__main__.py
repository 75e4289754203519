"""`python -m thermal_fld_ros.cli`: the same as the `thermal-fld` console script."""

import sys

from thermal_fld_ros.cli import main

sys.exit(main())
