"""The library's layout: one package per component with the same inner shape, one public API,
and no module reaching into another component's private modules (read from the source, AST)."""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
from pathlib import Path

import pytest

import components

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = (
    "network",
    "ecs_cluster",
    "load_balancer",
    "fargate_service",
    "lambda_function",
    "lambda_layer",
    "event_bus",
    "http_api",
    "autoscaling_group",
    "eks_cluster",
    "alarm_topic",
)
#: Code that uses the library as a consumer would: only `from components import ...`.
CONSUMERS = (
    "__main__.py",
    "stage",
    "examples",
    "tests/fargate_builders.py",
    "tests/asg_helpers.py",
    "tests/eks_helpers.py",
    "policies",
)
#: Public modules besides `components` itself: the governance package and its rule set, and
#: the usage the offline cost estimate assumes (a stack file's `costAssumptions`).
PUBLIC_MODULES = ("components.governance", "components.governance.policy_rules", "components.cost_assumptions")


def _python_files(*roots: str) -> list[Path]:
    """The project's Python files under `roots` (not bench/cdk's npm packages)."""
    files: list[Path] = []
    for root in roots:
        path = ROOT / root
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*.py") if "node_modules" not in p.parts)
    return files


@functools.cache  # several tests read the same files
def _imported_modules(path: Path) -> tuple[str, ...]:
    """Every module `path` imports, absolute (`from components.x import y` yields `components.x`
    and, when `y` is a submodule, `components.x.y`)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    modules: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            modules.append(base)
            modules += [f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}")]
    return tuple(modules)


def _is_module(name: str) -> bool:
    parts = name.split(".")
    return (ROOT.joinpath(*parts).with_suffix(".py")).is_file() or (ROOT.joinpath(*parts) / "__init__.py").is_file()


def _private_import(module: str) -> str | None:
    """The component whose private module `module` is, if it is one."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "components" and parts[1] in COMPONENTS:
        return parts[1]
    return None


def test_no_module_imports_another_components_private_modules() -> None:
    offenders = []
    for path in _python_files("components", "stage", "__main__.py", "tests", "offline", "bench", "functions"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "tests" and relative.name.startswith("test_"):
            continue  # unit tests of a component's helpers may import them
        owner = relative.parts[1] if relative.parts[0] == "components" and len(relative.parts) > 2 else None
        offenders += [
            f"{relative}: {module}"
            for module in _imported_modules(path)
            if (component := _private_import(module)) and component != owner
        ]
    assert offenders == []


def test_the_program_and_the_library_never_import_the_offline_engine() -> None:
    """`pulumi up` runs `__main__.py`, `stage` and `components`: importing `offline` would
    install the engine's import hooks (`offline.lazy_sdk`, `offline.deferred_annotations`)
    in a real deployment."""
    found = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in _python_files("__main__.py", "stage", "components")
        for module in _imported_modules(path)
        if module.partition(".")[0] in ("offline", "aws_compute_offline")
    }
    assert found == set()


def test_consumers_import_only_the_public_api() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _python_files(*CONSUMERS)
        for module in _imported_modules(path)
        if module.startswith("components.") and module not in PUBLIC_MODULES
    ]
    assert offenders == []


@pytest.mark.parametrize("component", COMPONENTS)
def test_every_component_package_has_the_same_shape(component: str) -> None:
    package = ROOT / "components" / component
    assert {"__init__.py", "args.py", "rules.py", "resources.py"} <= {p.name for p in package.glob("*.py")}
    module = importlib.import_module(f"components.{component}")
    assert module.__all__ == sorted(module.__all__)
    assert set(module.__all__) <= set(components.__all__)


def _reexports() -> dict[str, set[str]]:
    """Module -> the names `components/__init__.py` imports from it (AST)."""
    imports: dict[str, set[str]] = {}
    for node in ast.parse((ROOT / "components" / "__init__.py").read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("components"):
            imports.setdefault(node.module, set()).update(alias.asname or alias.name for alias in node.names)
    return imports


def test_the_public_api_is_exactly_the_packages_public_names() -> None:
    """`components.__all__` is what `components/__init__.py` imports, every name resolves, and
    from each component package and `alarms` it imports that package's whole `__all__`, so the
    hand-written list cannot drift from the packages'. `governance` is a public module of its
    own; the top only lifts a few of its names."""
    reexports = _reexports()
    packages = {f"components.{package}" for package in (*COMPONENTS, "alarms")}
    drifted = {
        package: sorted(set(importlib.import_module(package).__all__) ^ reexports.get(package, set()))
        for package in sorted(packages)
    }
    assert {package: names for package, names in drifted.items() if names} == {}
    imported: set[str] = set().union(*reexports.values())
    assert sorted(set(components.__all__) ^ imported) == []
    assert len(components.__all__) == len(imported)
    assert [name for name in components.__all__ if not hasattr(components, name)] == []


def test_the_public_api_has_every_component_and_its_args() -> None:
    public = set(components.__all__)
    for component in COMPONENTS:
        args = importlib.import_module(f"components.{component}.args")
        dataclass_names = {name for name, value in vars(args).items() if dataclasses.is_dataclass(value)}
        assert dataclass_names <= public, f"{component}: {sorted(dataclass_names - public)}"
    classes = [getattr(components, name) for name in components.__all__]
    assert all(value.__module__.startswith("components") for value in classes if isinstance(value, type))
