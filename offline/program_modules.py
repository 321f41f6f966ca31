"""A program's own modules, as a fresh process would import them, run after run.

The engine plans many stacks in one process (tests, `diff` against a git ref, examples),
and Python keeps every imported module in `sys.modules`. Left alone, a program would get
the `components` of whichever folder imported it first, or the code as it stood when first
imported. Around each run, `isolated(folder)`:

- drops the modules imported from `folder` if any of their files changed since the last
  run recorded them (so an edit between two plans is planned, and its importers reload);
- sets aside, for the run, modules that `folder` provides by name (`folder/x.py`,
  `folder/x/`) but which were imported from elsewhere (another checkout's `components`),
  and puts them back after (dropping every module the folder provides, which were built
  against its own copies), so the caller's own imports are as they were. Modules of the
  interpreter's installation (standard library, site-packages) and the engine's own
  package are never set aside;
- keeps the folder's modules imported otherwise, so the next run of the same folder reuses
  them: that is the warm process's saving (stage schema and components import once).
"""

from __future__ import annotations

import contextlib
import os
import sys
import types
from collections.abc import Iterator

#: The engine's top-level package (`offline`, or `aws_compute_offline` in the wheel).
ENGINE_PACKAGE = __name__.partition(".")[0]
_INSTALLATION = tuple({os.path.join(p, "") for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
#: Per program folder: each file a run imported from it, with (mtime_ns, size) at that run.
_recorded: dict[str, dict[str, tuple[int, int]]] = {}


def _file(module: types.ModuleType) -> str | None:
    """Where a module was found: its file, or a namespace package's first folder."""
    file = getattr(module, "__file__", None)
    if isinstance(file, str):
        return file
    path = getattr(module, "__path__", None)
    return os.path.join(next(iter(path), ""), "") if path is not None and list(path) else None


def _stat(file: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(file)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _provided(folder: str) -> set[str]:
    """Top-level module names that `import` finds in `folder`."""
    names = set()
    for entry in os.scandir(folder):
        if entry.name.endswith(".py"):
            names.add(entry.name[:-3])
        elif entry.is_dir() and entry.name.isidentifier():
            names.add(entry.name)
    return names - {"__main__", ENGINE_PACKAGE}


@contextlib.contextmanager
def isolated(folder: str) -> Iterator[None]:
    """Run the body with `folder`'s modules current and no other folder's in their place.

    A folder's modules are those named by what it provides (`x` and `x.*` for `folder/x.py`
    or `folder/x/`): a virtualenv inside the folder (`.venv/`) provides no names, so
    installed packages are never reloaded, whatever the folder holds.
    """
    prefix = os.path.join(os.path.abspath(folder), "")
    provided = _provided(folder)
    own, aside = [], {}
    for name, module in sys.modules.items():
        if name.partition(".")[0] not in provided:
            continue
        file = _file(module)
        if file is None:
            continue
        if file.startswith(prefix):
            own.append(name)
        elif not file.startswith(_INSTALLATION):
            aside[name] = module
    if any(_stat(file) != stat for file, stat in _recorded.get(prefix, {}).items()):
        for name in own:
            del sys.modules[name]
    for name in aside:
        del sys.modules[name]
    try:
        yield
    finally:
        if aside:
            # The folder's modules were built against its own copies of the set-aside ones:
            # keeping some of them beside the caller's copies would mix the two.
            for name in [n for n, m in sys.modules.items() if n.partition(".")[0] in provided]:
                del sys.modules[name]
            sys.modules.update(aside)
        files = [_file(m) for n, m in list(sys.modules.items()) if n.partition(".")[0] in provided]
        _recorded[prefix] = {
            file: stat
            for file in files
            if file and file.startswith(prefix) and not file.endswith(os.sep) and (stat := _stat(file)) is not None
        }


def code_state(folder: str) -> tuple[tuple[str, tuple[int, int] | None], ...]:
    """The program's code as it stands: `__main__.py` and each file of `folder` the last
    run imported, with their (mtime_ns, size) now. It changes when any of them is edited,
    so a result computed from the code can be keyed on it."""
    prefix = os.path.join(os.path.abspath(folder), "")
    files = sorted({os.path.join(prefix, "__main__.py"), *_recorded.get(prefix, {})})
    return tuple((file, _stat(file)) for file in files)


def release(folder: str) -> None:
    """Forget `folder`: drop the modules imported from it and what the runs recorded of it.
    For a folder about to be deleted (`diff --base`'s worktree of the ref), so that no module
    of the process refers to files that are gone."""
    prefix = os.path.join(os.path.abspath(folder), "")
    for name in [n for n, m in sys.modules.items() if (file := _file(m)) is not None and file.startswith(prefix)]:
        del sys.modules[name]
    for recorded in [r for r in _recorded if r.startswith(prefix)]:
        del _recorded[recorded]
