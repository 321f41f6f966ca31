"""Importing a deployment package's code in a test writes nothing into the package."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from functions.tests import conftest
from functions.tests.test_log_levels import HANDLERS

#: Every handler, and the `common` layer's module.
PACKAGED_MODULES = (*HANDLERS, "common_http")


@pytest.mark.parametrize("module", PACKAGED_MODULES)
def test_packaged_modules_compile_without_writing_bytecode(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.delitem(sys.modules, module, raising=False)  # restored afterwards, as it was
    imported = importlib.import_module(module)
    folder = Path(imported.__file__ or "").parent
    assert isinstance(imported.__loader__, conftest.NoBytecodeLoader)
    assert not (folder / "__pycache__").exists()


def test_test_modules_cache_their_bytecode_as_usual() -> None:
    """Only the packaged folders are spared: a process-wide switch recompiled every module a
    test imports on every run."""
    assert not isinstance(sys.modules[__name__].__loader__, conftest.NoBytecodeLoader)
    assert not isinstance(importlib.import_module("components").__loader__, conftest.NoBytecodeLoader)
