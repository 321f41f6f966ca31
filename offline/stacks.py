"""Find a project's stacks and run its real `__main__.py` against one or several of them.

One process plans any number of stacks and projects (`run_stacks`, or `run_stack` called
repeatedly): the SDK and each program's modules import once, and every plan is computed
afresh; `program_modules` keeps each run's imports those of its own folder, as they are on
disk.
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pulumi

from . import engine, program_modules
from .references import References, StackOutputs, StackReferenceError, in_repository
from .stack_file import StackFileError, load_yaml, stack_file_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
#: What planning a stack raises when it cannot be done, each with a message for the user: a
#: stack file the CLI would refuse, a program that stopped, names AWS would refuse, a stack
#: reference nothing answers.
PLAN_ERRORS = (StackFileError, pulumi.RunError, engine.RefusedNamesError, StackReferenceError)
OFFLINE_SECRET = "offline-secret-value"


class UnknownStackError(LookupError):
    def __init__(self, stack: str, project_dir: Path) -> None:
        found = ", ".join(stack_names(project_dir)) or "none"
        super().__init__(
            f"no stack {stack!r}: {project_dir / f'Pulumi.{stack}.yaml'} does not exist. Stacks found: {found}"
        )


def stack_names(project_dir: Path = PROJECT_DIR) -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))


def project_name(project_dir: Path = PROJECT_DIR) -> str:
    return str(load_yaml(project_dir / "Pulumi.yaml")["name"])


def _reveal(value: Any, secret: Callable[[Any], tuple[bool, Any]]) -> tuple[Any, bool]:
    """`value` with each secret that `secret` recognises (it answers `(True, plain)`)
    replaced by its plain value, and whether there was any."""
    found, plain = secret(value)
    if found:
        return plain, True
    if isinstance(value, dict):
        pairs = {k: _reveal(v, secret) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [_reveal(v, secret) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def _reveal_secure(value: Any) -> tuple[Any, bool]:
    """Replace `secure:` ciphertexts (which only the CLI can decrypt) with a placeholder."""
    return _reveal(value, lambda v: (isinstance(v, dict) and set(v) == {"secure"}, OFFLINE_SECRET))


def stack_config(stack: str, project_dir: Path = PROJECT_DIR) -> tuple[dict[str, Any], list[str]]:
    """The stack file's config (keys as the CLI passes them) and which keys are secret; a
    file the CLI would refuse raises `StackFileError`."""
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        raise UnknownStackError(stack, project_dir)
    config, secret_keys = {}, []
    for full_key, value in stack_file_config(path, project_name(project_dir)).items():
        config[full_key], secret = _reveal_secure(value)
        if secret:
            secret_keys.append(full_key)
    return config, secret_keys


def run_program_file(
    program: Path,
    *,
    stack: str,
    project: str,
    config: dict[str, Any],
    secret_keys: list[str],
    references: References | None = None,
) -> engine.Plan:
    """Run a Pulumi program file as the CLI does: in its folder, which is first on sys.path
    (so relative paths such as Lambda zip sources resolve as they would under `pulumi up`)."""
    folder = str(program.parent)

    def body() -> None:
        sys.path.insert(0, folder)
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            runpy.run_path(str(program), run_name="__main__")
        finally:
            os.chdir(cwd)
            sys.path.remove(folder)

    with program_modules.isolated(folder):
        return engine.run(
            body, stack=stack, project=project, config=config, secret_keys=secret_keys, references=references
        )


def run_stack(stack: str, project_dir: Path = PROJECT_DIR, overrides: dict[str, Any] | None = None) -> engine.Plan:
    """Run the project's `__main__.py` with `Pulumi.<stack>.yaml`; `overrides` replace
    whole config keys (full names, e.g. `{"aws-compute:network": {...}}`). Stacks of the
    project that its config names as `<org>/<project>/<stack>` are planned first, and their
    outputs answer its StackReferences (`offline.references`)."""
    return _run_stack(stack, project_dir, overrides or {}, ())


#: Outputs of the stacks planned in this process, by folder, stack, the stack files' text
#: and the program's code (a stack's plan depends on its own file, those of the stacks it
#: reads, and the code that runs them).
_PLANNED: dict[tuple[Path, str, tuple[str, ...], tuple[object, ...]], StackOutputs] = {}


def _run_stack(
    stack: str,
    project_dir: Path,
    overrides: dict[str, Any],
    referencing: tuple[str, ...],
    planned: dict[str, engine.Plan] | None = None,
) -> engine.Plan:
    """`run_stack`; each plan of a stack as its file has it (no overrides), the referenced
    stacks' included, also goes into `planned` when given."""
    config, secret_keys = stack_config(stack, project_dir)
    config.update(overrides)
    project = project_name(project_dir)
    references = References(project, project_dir)
    for target in in_repository(config, project, stack_names(project_dir)):
        chain = (*referencing, stack)
        if target in chain:
            cycle = " -> ".join([*chain, target])
            raise StackReferenceError(f"stack references form a cycle ({cycle}); a stack cannot read its own outputs")
        cached = _PLANNED.get(_planned_key(project_dir, target))
        references.planned[target] = cached or _outputs(_run_stack(target, project_dir, {}, chain, planned))
    plan = run_program_file(
        project_dir / "__main__.py",
        stack=stack,
        project=project,
        config=config,
        secret_keys=secret_keys,
        references=references,
    )
    if not overrides:
        _PLANNED[_planned_key(project_dir, stack)] = _outputs(plan)
        if planned is not None:
            planned[stack] = plan
    return plan


def _planned_key(project_dir: Path, stack: str) -> tuple[Path, str, tuple[str, ...], tuple[object, ...]]:
    files = sorted(project_dir.glob("Pulumi.*.yaml"))
    code = program_modules.code_state(str(project_dir))
    return project_dir.resolve(), stack, tuple(f.read_text() for f in files), code


def _outputs(plan: engine.Plan) -> StackOutputs:
    """A plan's stack outputs as plain values; those holding a secret anywhere are secret."""
    revealed = {
        name: _reveal(value, lambda v: (isinstance(v, engine.Secret), getattr(v, "value", None)))
        for name, value in plan.outputs.items()
    }
    return StackOutputs(
        {name: value for name, (value, _) in revealed.items()},
        frozenset(name for name, (_, secret) in revealed.items() if secret),
    )


def referenced_stacks(stack: str, project_dir: Path = PROJECT_DIR) -> list[str]:
    """The project's stacks whose outputs `stack` reads (named in its config as
    `<org>/<project>/<stack>`)."""
    config, _ = stack_config(stack, project_dir)
    return in_repository(config, project_name(project_dir), stack_names(project_dir))


def run_stacks(stacks: Iterable[str], project_dir: Path = PROJECT_DIR) -> dict[str, engine.Plan]:
    """Plan several stacks of a project in this process, by name, in the order given. A stack
    that one of them reads is planned for it first, and that plan is the one returned: each
    stack is planned once."""
    names = list(dict.fromkeys(stacks))
    planned: dict[str, engine.Plan] = {}
    for stack in names:
        if stack not in planned:
            _run_stack(stack, project_dir, {}, (), planned)
    return {stack: planned[stack] for stack in names}
