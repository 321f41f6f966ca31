"""Handler tests import the deployment packages' modules: write no bytecode next to them, so
a `__pycache__` never slips into a zip (`pulumi.FileArchive` takes the folder as it is) and
the package hash only changes when the code does."""

import sys

sys.dont_write_bytecode = True
