"""Handler tests import the deployment packages' modules (each function's folder, each layer's):
those compile without writing bytecode, so a `__pycache__` never slips into a zip
(`pulumi.FileArchive` takes the folder as it is) and the package hash only changes when the
code does. Everything else imported in the test process caches its bytecode as usual (a
process-wide `sys.dont_write_bytecode` recompiled every test module and SDK module a test
imports, on every run). The `common` layer's folder goes on the path as /opt/python does in
Lambda."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Folders holding code that is zipped as it stands; this test folder is not one of them.
PACKAGED = (ROOT / "functions", ROOT / "layers")
TESTS = Path(__file__).resolve().parent


class NoBytecodeLoader(importlib.machinery.SourceFileLoader):
    """Compiles the source as Python does, and writes no bytecode beside it."""

    def set_data(self, path: str, data: bytes, *, _mode: int = 0o666) -> None:
        return None


class PackagedCodeFinder(importlib.abc.MetaPathFinder):
    """Gives modules under `PACKAGED` (outside this test folder) a `NoBytecodeLoader`."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        origin = Path(spec.origin)
        if TESTS in origin.parents or not any(folder in origin.parents for folder in PACKAGED):
            return None
        spec.loader = NoBytecodeLoader(fullname, spec.origin)
        return spec


sys.meta_path.insert(0, PackagedCodeFinder())
sys.path.append(str(ROOT / "layers" / "common" / "python"))
