"""Files the engine derives from installed code, written the way Python writes bytecode."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path


def write_cache(path: Path, data: bytes) -> None:
    """Replace `path` whole with `data`, mode 0644 as bytecode is: a reader never sees part of
    it, and of two concurrent writers one wins. Nothing is written where Python writes no
    bytecode (`PYTHONDONTWRITEBYTECODE`), and a read-only location (a system site-packages)
    is skipped: the cache saves time, nothing depends on it."""
    if sys.dont_write_bytecode:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
