"""Lazily loaded SDK service packages bind exactly what the eager import binds."""

from __future__ import annotations

import builtins
import importlib
import inspect
import json
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from offline import lazy_sdk

#: Small services of the installed SDK, with names that are both a module and a function
#: (`get_queue`), compared with their eager import in a process without the finder.
INSTALLED_SERVICES = ("sqs", "scheduler")

DESCRIBE = """
def describe(value):
    if isinstance(value, types.ModuleType):
        return ["module", value.__name__]
    return [type(value).__name__, getattr(value, "__module__", None), getattr(value, "__qualname__", None)]
"""


def describe(value: Any) -> list[Any]:
    namespace: dict[str, Any] = {"types": types}
    exec(DESCRIBE, namespace)
    return namespace["describe"](value)


def loaded(service: str) -> types.ModuleType:
    """`pulumi_aws.<service>`, loaded (pulumi_aws binds its packages lazily, on first use)."""
    package = importlib.import_module(f"pulumi_aws.{service}")
    assert package._builtins is builtins
    return package


def test_installed_services_bind_what_their_eager_import_binds() -> None:
    script = (
        "import builtins, importlib, json, types\n"
        + DESCRIBE
        + inspect.getsource(loaded)
        + f"services = {INSTALLED_SERVICES!r}\n"
        + "print(json.dumps({s: {k: describe(v) for k, v in vars(loaded(s)).items()"
        + " if k not in ('__loader__', '__spec__', '__builtins__')} for s in services}))\n"
    )
    eager = json.loads(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True).stdout)
    assert eager["sqs"]["Queue"] == ["type", "pulumi_aws.sqs.queue", "Queue"]
    assert eager["sqs"]["get_queue"] == ["function", "pulumi_aws.sqs.get_queue", "get_queue"]
    for service in INSTALLED_SERVICES:
        package = loaded(service)
        lazy = {name: describe(getattr(package, name)) for name in eager[service]}
        assert lazy == eager[service]
        assert set(dir(package)) - {"__loader__", "__spec__", "__builtins__"} == set(eager[service])


def test_a_package_it_does_not_understand_is_imported_eagerly() -> None:
    # pulumi_aws.config swaps its own module class: a statement that is not an import.
    config = importlib.import_module("pulumi_aws.config")
    assert config.vars.__name__ == "pulumi_aws.config.vars"  # loads it: pulumi_aws imports on first use
    assert type(config).__name__ == "_ExportableConfig"


# A generated-looking SDK, written twice: one copy imported through the finder, one eagerly.
FAKE_MODULES = {
    "_enums.py": "__all__ = ['Mode']\nMode = 'enum'\n",
    "_inputs.py": "from ._enums import *\n__all__ = ['ThingArgs']\nclass ThingArgs: pass\n",
    "outputs.py": "__all__ = ['ThingOut']\nclass ThingOut: pass\n",
    "thing.py": "from . import outputs\nfrom ._inputs import *\n__all__ = ['Thing', 'Shared']\n"
    "class Thing: pass\nShared = 'from thing'\n",
    "get_thing.py": "__all__ = ['get_thing', 'GetThingResult', 'Shared']\n"
    "def get_thing(): return 'called'\nclass GetThingResult: pass\nShared = 'from get_thing'\n",
}
FAKE_INIT = (
    "import builtins as _builtins\nimport typing\n"
    "from ._enums import *\nfrom .get_thing import *\nfrom .thing import *\nfrom ._inputs import *\n"
    "from . import outputs\n"
)


@pytest.fixture
def fake_sdks(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """Two identical fake SDKs (`lazy_<id>`, `eager_<id>`) and a finder for the lazy one."""
    suffix = f"{abs(hash(request.node.nodeid)):x}"
    names = (f"lazy_{suffix}", f"eager_{suffix}")
    modules = dict(FAKE_MODULES)
    modules.update(getattr(request, "param", {}))
    for name in names:
        service = tmp_path / name / "svc"
        service.mkdir(parents=True)
        (tmp_path / name / "__init__.py").write_text("")
        (service / "__init__.py").write_text(FAKE_INIT)
        for file, text in modules.items():
            (service / file).write_text(textwrap.dedent(text))
    finder = lazy_sdk.LazyServiceFinder([names[0]])
    sys.path.insert(0, str(tmp_path))
    sys.meta_path.insert(0, finder)
    try:
        yield names
    finally:
        sys.meta_path.remove(finder)
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m.split(".")[0] in names]:
            del sys.modules[module]


def relative(description: list[Any], package: str) -> list[Any]:
    return [d.replace(package, "SDK") if isinstance(d, str) else d for d in description]


def namespace(package: str) -> dict[str, list[Any]]:
    module = sys.modules[f"{package}.svc"]
    return {k: relative(describe(v), package) for k, v in vars(module).items() if k not in ("__loader__", "__spec__")}


def test_each_name_loads_only_the_module_that_exports_it(fake_sdks: tuple[str, str]) -> None:
    lazy, _ = fake_sdks
    service = importlib.import_module(f"{lazy}.svc")
    assert service.Thing.__module__ == f"{lazy}.svc.thing"
    assert f"{lazy}.svc.get_thing" not in sys.modules
    assert service.outputs.__name__ == f"{lazy}.svc.outputs"


def test_later_star_imports_win_and_functions_shadow_their_modules(fake_sdks: tuple[str, str]) -> None:
    lazy, eager = fake_sdks
    lazy_service = importlib.import_module(f"{lazy}.svc")
    eager_service = importlib.import_module(f"{eager}.svc")
    assert lazy_service.Shared == eager_service.Shared == "from thing"
    assert lazy_service.get_thing() == eager_service.get_thing() == "called"


def test_importing_a_submodule_directly_keeps_the_exported_function(fake_sdks: tuple[str, str]) -> None:
    lazy, _ = fake_sdks
    importlib.import_module(f"{lazy}.svc.get_thing")
    assert sys.modules[f"{lazy}.svc"].get_thing() == "called"


def test_dir_and_star_import_see_the_eager_namespace(fake_sdks: tuple[str, str]) -> None:
    lazy, eager = fake_sdks
    lazy_service = importlib.import_module(f"{lazy}.svc")
    importlib.import_module(f"{eager}.svc")
    lazy_service.Thing  # noqa: B018 - one name bound lazily before the rest
    star: dict[str, Any] = {}
    exec(f"from {lazy}.svc import *", star)
    assert type(lazy_service) is types.ModuleType
    assert namespace(lazy) == namespace(eager)
    assert {"Thing", "get_thing", "ThingArgs", "Mode", "outputs"} <= set(star)


@pytest.mark.parametrize(
    "fake_sdks",
    [
        {"thing.py": "class Thing: pass\n__all__ = ['Thing', 'Shared']\nShared = 'from thing'\n"},
        {"thing.py": "NAMES = ['Thing']\n__all__ = NAMES + ['Shared']\nclass Thing: pass\nShared = 'from thing'\n"},
    ],
    ids=["all-after-code", "all-not-literal"],
    indirect=True,
)
def test_modules_off_the_generated_shape_fall_back_to_the_eager_namespace(fake_sdks: tuple[str, str]) -> None:
    lazy, eager = fake_sdks
    lazy_service = importlib.import_module(f"{lazy}.svc")
    importlib.import_module(f"{eager}.svc")
    assert lazy_service.Shared == "from thing"
    assert namespace(lazy) == namespace(eager)


@pytest.mark.parametrize(
    "fake_sdks",
    [{"thing.py": "__all__ = ['Thing']\n__all__ += ['Shared']\nclass Thing: pass\nShared = 'from thing'\n"}],
    indirect=True,
)
def test_a_module_exporting_other_names_than_read_makes_the_package_eager(fake_sdks: tuple[str, str]) -> None:
    lazy, eager = fake_sdks
    lazy_service = importlib.import_module(f"{lazy}.svc")
    importlib.import_module(f"{eager}.svc")
    assert lazy_service.Thing.__name__ == "Thing"
    assert type(lazy_service) is types.ModuleType
    assert namespace(lazy) == namespace(eager)


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("__all__ = ['VpcArgs', 'Vpc']\n", ("VpcArgs", "Vpc")),
        ("__all__ = [\n    'A',\n    'B',\n]\n", ("A", "B")),
        ("__all__ = []\n", ()),
        ('__all__ = ["A", "B"]\n', ("A", "B")),
        ("__all__ = ['A',  # the first\n    'B']\n", ("A", "B")),
        ("__all__ = ['A' 'B']\n", ("AB",)),  # implicit concatenation: one name
    ],
    ids=["generated", "one-per-line", "empty", "double-quoted", "commented", "concatenated"],
)
def test_a_literal_all_reads_as_python_evaluates_it(tmp_path: Path, header: str, names: tuple[str, ...]) -> None:
    module = tmp_path / "module.py"
    module.write_text(f"import typing\n{header}\nclass X: pass\n")
    assert lazy_sdk._literal_all(module) == names
