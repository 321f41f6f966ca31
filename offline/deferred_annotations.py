"""Compile the generated pulumi_aws modules with their annotations deferred (PEP 563).

A generated module annotates every property getter, setter and `__init__` parameter, and
every `TypedDict` field (`Optional[pulumi.Input[Sequence[pulumi.Input['XArgs']]]]`); without
`from __future__ import annotations` Python builds each of those typing objects while the
module runs. That was most of the time a plan spent loading the SDK (`wafv2._inputs`:
0.62 s of class bodies, 0.17 s deferred), and a plan reads the types of a few classes only.

`install()` puts a finder on `sys.meta_path` whose loader compiles those modules as if they
began with the future import: each annotation is kept as its source text, and the SDK
evaluates the ones it needs (`typing.get_type_hints` in `pulumi._types`, in the module's
namespace) to the same objects the eager module holds. Values, and so plans, are unchanged;
`tests/test_deferred_annotations.py` plans every stack both ways and compares them.
What differs at run time, and nothing in the SDK reads: code reading an SDK class's raw
`__annotations__` sees source text (`typing.get_type_hints` and
`inspect.get_annotations(eval_str=True)` give the objects), and a `TypedDict` built from text
cannot see `NotRequired`, so its `__required_keys__` lists every key. Only offline plans load
the SDK this way; `pulumi up` never imports the engine (tests/test_layout.py).

Deferred, every annotation reaches `typing` as text: each `TypedDict` field (the generated
`XArgsDict`s, built at import) and each `get_type_hints` lookup makes a `ForwardRef`, which
compiles its text, and a few thousand texts recur (3,224 distinct of 10,742 in a prod plan):
`compiled_texts` compiles each once.

Bytecode is cached beside the module's own under a tag of its own
(`<module>.cpython-311.opt-deferredannotations.pyc`; `...annotations1.pyc` under `-O`), so
the Pulumi CLI's imports of the same SDK never load it; it is keyed on the source's size and
modification time, as Python's own cache is, and written only where Python would write
bytecode.
"""

from __future__ import annotations
import __future__

import importlib.abc
import importlib.machinery
import importlib.util
import marshal
import os
import sys
import types
from collections.abc import Sequence

from .lazy_sdk import PACKAGES

#: The bytecode cache's tag; under `python -O`/`-OO` (docstrings and asserts stripped) the
#: level is part of it, as Python's own `opt-1`/`opt-2` are.
CACHE_TAG = f"deferredannotations{sys.flags.optimize or ''}"
_FLAGS = __future__.annotations.compiler_flag
_HEADER = importlib.util.MAGIC_NUMBER + b"aws-compute-deferred\x00"


class DeferredAnnotationsLoader(importlib.machinery.SourceFileLoader):
    """A source loader compiling with `from __future__ import annotations` in effect."""

    def get_code(self, fullname: str) -> types.CodeType:
        path = self.get_filename(fullname)
        stat = os.stat(path)
        stamp = _HEADER + stat.st_mtime_ns.to_bytes(8, "little") + stat.st_size.to_bytes(8, "little")
        cached = importlib.util.cache_from_source(path, optimization=CACHE_TAG)
        try:
            with open(cached, "rb") as handle:
                data = handle.read()
            if data.startswith(stamp):
                code: types.CodeType = marshal.loads(memoryview(data)[len(stamp) :])
                return code
        except (OSError, ValueError, EOFError, TypeError):
            pass
        code = compile(self.get_data(path), path, "exec", flags=_FLAGS, dont_inherit=True)
        if not sys.dont_write_bytecode:
            self.set_data(cached, stamp + marshal.dumps(code))  # as Python writes bytecode
        return code


class DeferredAnnotationsFinder(importlib.abc.MetaPathFinder):
    """Finds the plain modules (not packages) under the given SDKs."""

    def __init__(self, packages: Sequence[str]) -> None:
        self.packages = frozenset(packages)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] not in self.packages or "." not in fullname:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if (
            spec is None
            or spec.origin is None
            or spec.submodule_search_locations is not None
            or not isinstance(spec.loader, importlib.machinery.SourceFileLoader)
        ):
            return None  # packages (`lazy_sdk`'s), extension modules: the next finder's
        spec.loader = DeferredAnnotationsLoader(fullname, spec.origin)
        return spec


def install() -> None:
    """Compile modules of the generated SDKs (`lazy_sdk.PACKAGES`) imported from now on with
    deferred annotations (idempotent)."""
    if not any(isinstance(finder, DeferredAnnotationsFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, DeferredAnnotationsFinder(PACKAGES))
