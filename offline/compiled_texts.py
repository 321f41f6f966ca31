"""Source texts that Python compiles at run time, compiled once and kept across processes.

Two library paths compile generated text on every import, and a plan pays for both:

- `dataclasses` builds each generated method (`__init__`, `__eq__`, `__setattr__` of a
  frozen class, ...) as source and `exec`s it: about 1,000 texts in a prod plan, most of
  them this project's frozen argument classes (0.12 s);
- `typing.ForwardRef` compiles each annotation text it evaluates; the SDK's modules reach
  it as text (`deferred_annotations`), about 3,200 distinct texts in a prod plan (0.08 s).

`install()` routes both through one table of code objects keyed on (text, file name, mode).
Within a process each text compiles once; the table is kept in a marshal file beside this
module's bytecode (`__pycache__/compiled-texts.<cache tag>.marshal`), so the next process
loads the code objects instead of compiling them (a prod plan's: 11 ms against 0.2 s). It is
exact: a code object is immutable, and the same text compiled in the same mode, with the
same flags and optimization level, is an equal one; the file's header names the
interpreter's bytecode magic and `-O` level, and a file that does not match, or does not
load, is ignored. It is written as Python writes bytecode (`SourceFileLoader.set_data`:
not under `PYTHONDONTWRITEBYTECODE`, the file replaced whole, so concurrent processes each
leave a complete table). A writer lists the texts it used first, then the others as the
table listed them, so the table runs from the most recently used; past `KEPT_TEXTS`, the
texts listed last go (never one the writer used).
"""

from __future__ import annotations

import atexit
import dataclasses
import importlib.machinery
import importlib.util
import marshal
import sys
import types
import typing
from pathlib import Path

#: Past this many texts in the file (about 5 MB, 25 ms to load), a writer drops those it did
#: not use, the ones listed last first: a prod plan uses about 4,200.
KEPT_TEXTS = 10_000
_HEADER = importlib.util.MAGIC_NUMBER + f"aws-compute-texts-O{sys.flags.optimize}\x00".encode()
_FILE = Path(__file__).parent / "__pycache__" / f"compiled-texts.{sys.implementation.cache_tag}.marshal"

#: Writes as Python writes bytecode: folders made, the file replaced whole (of two concurrent
#: writers one wins), a place it cannot write skipped.
_BYTECODE_WRITER = importlib.machinery.SourceFileLoader(__name__, __file__)

_Key = tuple[str, str, str]


class CompiledTexts:
    """`compile(text, filename, mode)` as a module without future imports calls it (as
    `dataclasses` and `typing` do), memoized, with the table read from and written to `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.codes: dict[_Key, types.CodeType] = _read(path)
        self.used: set[_Key] = set()
        self.compiled = 0

    def code(self, text: str, filename: str, mode: str) -> types.CodeType:
        key = (text, filename, mode)
        code = self.codes.get(key)
        if code is None:
            code = self.codes[key] = compile(text, filename, mode, dont_inherit=True)
            self.compiled += 1
        self.used.add(key)
        return code

    def save(self) -> None:
        """Write the table if this process compiled anything (see the module's docstring)."""
        if not self.compiled or sys.dont_write_bytecode:
            return
        kept = {key: self.codes[key] for key in self.used}
        for key, code in self.codes.items():
            if len(kept) >= KEPT_TEXTS:
                break
            kept.setdefault(key, code)
        _BYTECODE_WRITER.set_data(str(self.path), _HEADER + marshal.dumps(kept))
        self.compiled = 0


def _read(path: Path) -> dict[_Key, types.CodeType]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(_HEADER):
        return {}
    try:
        table = marshal.loads(memoryview(data)[len(_HEADER) :])
    except (EOFError, ValueError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def _compiling_exec(texts: CompiledTexts) -> typing.Callable[..., None]:
    """`exec` for `dataclasses`, taking a text's code object from `texts`."""

    def exec_(
        source: str | types.CodeType,
        globals: dict[str, object] | None = None,
        locals: typing.Mapping[str, object] | None = None,
        /,
    ) -> None:
        exec(texts.code(source, "<string>", "exec") if isinstance(source, str) else source, globals, locals)

    return exec_


def _compiling_compile(texts: CompiledTexts) -> typing.Callable[..., types.CodeType]:
    """`compile` for `typing`, which calls it as `compile(text, "<string>", "eval")`; a call
    with flags, an optimization level or a syntax tree compiles as it stands. `typing` has
    no future imports, so none is inherited either way."""

    def compile_(
        source: typing.Any, filename: str, mode: str, flags: int = 0, dont_inherit: bool = False, optimize: int = -1
    ) -> typing.Any:
        if isinstance(source, str) and flags == 0 and optimize == -1:
            return texts.code(source, filename, mode)
        return compile(source, filename, mode, flags, True, optimize)

    return compile_


def install(path: Path = _FILE) -> CompiledTexts:
    """Route `dataclasses`' and `typing`'s compiles through one table kept at `path`,
    written when the process exits (idempotent: the installed table is returned).
    `dataclasses` and `typing` look `exec` and `compile` up in their own namespace first."""
    installed = getattr(typing, "compile", None)
    if isinstance(getattr(installed, "texts", None), CompiledTexts):
        return installed.texts  # type: ignore[union-attr]
    texts = CompiledTexts(path)
    compile_ = _compiling_compile(texts)
    compile_.texts = texts  # type: ignore[attr-defined]
    typing.compile = compile_  # type: ignore[attr-defined]
    dataclasses.exec = _compiling_exec(texts)  # type: ignore[attr-defined]
    atexit.register(texts.save)
    return texts
