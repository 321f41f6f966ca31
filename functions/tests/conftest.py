"""Handler tests import the deployment packages' modules: write no bytecode next to them, so
a `__pycache__` never slips into a zip (`pulumi.FileArchive` takes the folder as it is) and
the package hash only changes when the code does. The `common` layer's folder goes on the
path as /opt/python does in Lambda."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.append(str(Path(__file__).resolve().parents[2] / "layers" / "common" / "python"))
