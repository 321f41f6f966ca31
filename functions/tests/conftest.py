"""Handler tests import the deployment packages' modules (each function's folder, each layer's):
those compile without writing bytecode, so a `__pycache__` never slips into a zip
(`pulumi.FileArchive` takes the folder as it is) and the package hash only changes when the
code does. Everything else imported in the test process caches its bytecode as usual (a
process-wide `sys.dont_write_bytecode` recompiled every test module and SDK module a test
imports, on every run). Each layer's `python` folder goes on the path as /opt/python does in
Lambda."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
import types
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Folders holding code that is zipped as it stands; this test folder is not one of them.
PACKAGED = (ROOT / "functions", ROOT / "layers")
TESTS = Path(__file__).resolve().parent
#: What a layer puts on the path (`/opt/python` in Lambda).
LAYER_FOLDERS = sorted((ROOT / "layers").glob("*/python"))


class NoBytecodeLoader(importlib.machinery.SourceFileLoader):
    """Compiles the source as Python does, and writes no bytecode beside it."""

    def set_data(self, path: str, data: bytes, *, _mode: int = 0o666) -> None:
        return None


class PackagedCodeFinder(importlib.abc.MetaPathFinder):
    """Gives modules under `PACKAGED` (outside this test folder) a `NoBytecodeLoader`.

    It searches only where such a module can be: below a packaged folder, or a top-level name
    a layer provides; every other import goes straight to the next finder.
    """

    def __init__(self) -> None:
        self.layer_modules = {
            path.stem for folder in LAYER_FOLDERS for path in folder.iterdir() if path.suffix == ".py" or path.is_dir()
        }

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if path is None and fullname not in self.layer_modules:
            return None
        if path is not None and not any(_packaged(entry) for entry in path):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        if not _packaged(spec.origin):
            return None
        spec.loader = NoBytecodeLoader(fullname, spec.origin)
        return spec


def _packaged(path: str) -> bool:
    """Whether `path` (a folder or a file) is, or lies in, a packaged folder outside the tests."""
    path = os.path.join(os.path.abspath(path), "")
    return not path.startswith(_TESTS_PREFIX) and path.startswith(_PACKAGED_PREFIXES)


_PACKAGED_PREFIXES = tuple(os.path.join(folder, "") for folder in map(str, PACKAGED))
_TESTS_PREFIX = os.path.join(str(TESTS), "")


sys.meta_path.insert(0, PackagedCodeFinder())
sys.path.extend(str(folder) for folder in LAYER_FOLDERS)
