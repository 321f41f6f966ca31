"""Load only the generated pulumi_aws modules a program uses.

Each service package of a generated Pulumi SDK (`pulumi_aws.ec2`, ...) star-imports every
module it holds in its `__init__.py`: touching `aws.ec2.Vpc` executes all 183 of ec2's,
and the 15 services this project uses load about 730 modules, four fifths of them never
used. That was half the time of a plan.

`install()` puts a finder on `sys.meta_path` that gives those packages a loader which reads
the package's `__init__.py` instead of running it, and binds each name on first access by
importing the one module that exports it. The result is exactly what the eager import
gives, name by name:

- Names are found from each module's literal `__all__` (the only names a star import
  binds), read from the module's header, and a later star import wins over an earlier
  one, as it does when the statements run in order. The generator writes `__all__` once,
  as a literal ahead of the code; each module's real `__all__` is compared with the one
  read when it loads, and any difference makes the package eager.
- Anything the loader does not understand falls back to running the real `__init__.py`:
  a package whose `__init__.py` holds any statement other than imports (pulumi_aws.config
  swaps its module class), a module whose `__all__` is not a literal list ahead of its
  code, a name no module exports (private names such as `_utilities` included), a
  mismatching `__all__`, and the questions only the whole package answers (`dir()`,
  `from pulumi_aws.ec2 import *`). After the fallback the package is a plain module whose
  namespace is the eager one.
- Nothing is cached across processes: the index is read from the installed SDK each time a
  package loads, so an upgraded SDK is read as it is.
"""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.machinery
import re
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Generated SDKs whose service packages load lazily.
PACKAGES = ("pulumi_aws",)

_ALL = re.compile(rb"^__all__ = \[", re.MULTILINE)
#: Top-level code that ends a generated module's header; `__all__` must come before it.
_CODE = re.compile(rb"^(?:class |def |async def |@)", re.MULTILINE)
_CHUNK = 1 << 16
#: A list body of single-quoted identifiers only (`'Vpc',\n    'VpcArgs'`), what the generator
#: writes; any other literal is read by `ast`.
_NAME, _SPACE = rb"'[A-Za-z_][A-Za-z0-9_]*'", rb"[ \t\r\n]*"
_QUOTED_NAME = re.compile(rb"'([A-Za-z_][A-Za-z0-9_]*)'")
_QUOTED_NAMES = re.compile(_SPACE + rb"(?:" + _NAME + _SPACE + rb"," + _SPACE + rb")*(?:" + _NAME + _SPACE + rb")?")


class _NotGeneratedError(Exception):
    """The package is not in the generated shape: run its real `__init__.py`."""


def _literal_all(path: Path) -> tuple[str, ...]:
    """The names in a module's literal `__all__ = [...]`, read before any class or def."""
    with path.open("rb") as handle:
        head = handle.read(_CHUNK)
        start = _ALL.search(head)
        code = _CODE.search(head)
        if start is None or (code is not None and code.start() < start.start()):
            raise _NotGeneratedError(f"{path.name}: no literal __all__ before the module's code")
        while b"]" not in head[start.end() :]:
            more = handle.read(_CHUNK)
            if not more:
                raise _NotGeneratedError(f"{path.name}: unterminated __all__")
            head += more
    end = head.index(b"]", start.end()) + 1
    names_only = _QUOTED_NAMES.fullmatch(head, start.end(), end - 1)
    if names_only:  # the generator's shape: read without parsing Python
        return tuple(name.decode() for name in _QUOTED_NAME.findall(head, start.end(), end - 1))
    try:
        node = ast.parse(head[start.start() : end])
        names = ast.literal_eval(node.body[0].value)  # type: ignore[attr-defined]
    except (SyntaxError, ValueError) as error:
        raise _NotGeneratedError(f"{path.name}: __all__ is not a literal list of names") from error
    if not all(isinstance(name, str) for name in names):
        raise _NotGeneratedError(f"{path.name}: __all__ is not a literal list of names")
    return tuple(names)


class _Index:
    """What running the package's `__init__.py` would bind, without running it."""

    def __init__(self, init: Path) -> None:
        tree = ast.parse(init.read_bytes(), str(init))
        #: Absolute and parent-relative imports (`import typing`, `from .. import
        #: _utilities`): cheap, and run as they stand.
        self.prelude: list[ast.stmt] = []
        #: name -> (submodule, attribute or None for the submodule itself); later wins.
        self.bindings: dict[str, tuple[str, str | None]] = {}
        #: Each star-imported submodule's `__all__`, as read from its source.
        self.exports: dict[str, tuple[str, ...]] = {}
        #: Submodules whose loaded `__all__` was found equal to `exports`.
        self.checked: set[str] = set()
        folder = init.parent
        for statement in tree.body:
            if isinstance(statement, ast.Import) or (isinstance(statement, ast.ImportFrom) and statement.level != 1):
                self.prelude.append(statement)
            elif isinstance(statement, ast.ImportFrom) and statement.module and _is_star(statement):
                module = statement.module
                if "." in module or not (folder / f"{module}.py").is_file():
                    raise _NotGeneratedError(f"{init}: star import of {module!r} is not a module file")
                self.exports[module] = _literal_all(folder / f"{module}.py")
                self.bindings[module] = (module, None)
                self.bindings.update((name, (module, name)) for name in self.exports[module])
            elif isinstance(statement, ast.ImportFrom) and statement.module is None:
                for alias in statement.names:
                    if alias.asname is not None or alias.name == "*":
                        raise _NotGeneratedError(f"{init}: `from . import` with a rename")
                    self.bindings[alias.name] = (alias.name, None)
            else:
                raise _NotGeneratedError(f"{init}: line {statement.lineno} is not an import")


def _is_star(statement: ast.ImportFrom) -> bool:
    return len(statement.names) == 1 and statement.names[0].name == "*"


class _LazyPackage(types.ModuleType):
    """A service package binding its names on first access (then a plain module again)."""

    __lazy_index__: _Index
    __eager_loader__: importlib.abc.Loader

    def __getattr__(self, name: str) -> Any:
        index = self.__dict__.get("__lazy_index__")
        if index is None:  # already eager: a plain miss
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        binding = index.bindings.get(name)
        if binding is None:
            if name.startswith("__") and name.endswith("__") and name != "__all__":
                raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
            _materialize(self)
            return getattr(self, name)
        value = _resolve(self, index, binding)
        self.__dict__[name] = value
        return value

    def __dir__(self) -> list[str]:
        _materialize(self)
        return list(self.__dict__)

    def __setattr__(self, name: str, value: Any) -> None:
        # The import system binds a submodule on its package when it first loads; where the
        # eager package binds that name to something the submodule exports (`get_ami` the
        # function, not the module `get_ami`), bind that instead.
        index = self.__dict__.get("__lazy_index__")
        binding = index.bindings.get(name) if index else None
        if (
            index is not None
            and binding is not None
            and binding[1] is not None
            and isinstance(value, types.ModuleType)
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            self.__dict__[name] = value
            value = _resolve(self, index, binding)
        super().__setattr__(name, value)


def _resolve(package: _LazyPackage, index: _Index, binding: tuple[str, str | None]) -> Any:
    module_name, attribute = binding
    module = importlib.import_module(f"{package.__name__}.{module_name}")
    if "__lazy_index__" not in package.__dict__:  # the import fell back to eager
        return package.__dict__[attribute or module_name]
    if module_name in index.exports and module_name not in index.checked:
        if tuple(getattr(module, "__all__", ())) != index.exports[module_name]:
            _materialize(package)
            return package.__dict__[attribute or module_name]
        index.checked.add(module_name)
    return module if attribute is None else getattr(module, attribute)


def _materialize(package: types.ModuleType) -> None:
    """Run the package's real `__init__.py` in its namespace: the eager package."""
    loader = package.__dict__.pop("__eager_loader__", None)
    package.__dict__.pop("__lazy_index__", None)
    package.__class__ = types.ModuleType
    if loader is not None:
        loader.exec_module(package)


class _LazyPackageLoader(importlib.abc.Loader):
    def __init__(self, eager: importlib.abc.Loader) -> None:
        self.eager = eager

    def __getattr__(self, name: str) -> Any:
        # get_code, get_filename, get_resource_reader, ...: the source loader's answers.
        return getattr(self.eager, name)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        origin = module.__spec__.origin if module.__spec__ else None
        try:
            index = _Index(Path(origin or ""))
        except (_NotGeneratedError, OSError, SyntaxError):
            self.eager.exec_module(module)
            return
        prelude = ast.Module(body=index.prelude, type_ignores=[])
        exec(compile(prelude, origin or "", "exec"), module.__dict__)
        module.__dict__["__lazy_index__"] = index
        module.__dict__["__eager_loader__"] = self.eager
        module.__class__ = _LazyPackage


class LazyServiceFinder(importlib.abc.MetaPathFinder):
    """Finds `<package>.<service>` packages of the given SDKs and loads them lazily."""

    def __init__(self, packages: Sequence[str]) -> None:
        self.packages = frozenset(packages)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, service = fullname.partition(".")
        if package not in self.packages or not service or "." in service:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.submodule_search_locations is None or spec.loader is None:
            return spec
        spec.loader = _LazyPackageLoader(spec.loader)
        return spec


def install() -> None:
    """Make service packages of `PACKAGES` imported from now on load lazily (idempotent)."""
    if not any(isinstance(finder, LazyServiceFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, LazyServiceFinder(PACKAGES))
