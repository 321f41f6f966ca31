"""A plan as plain data two runs can be compared on, and the plan of a stack at a git ref.

A snapshot keeps what a diff needs — type, name, URN, parent, aliases, dependencies, id, ARN
and inputs — as JSON-safe values, and the stack's monthly cost range (`offline.cost`; None
when the estimate cannot be made). Secret values become a salted digest (`{"secret": ...}`):
a diff sees that a secret changed and never what it holds. A `FileArchive` carries the digest
of the files it would upload, so a handler change shows as a change of the function's `code`.

`at_ref` plans stacks as a commit has them: a temporary `git worktree` of the ref, planned by
this engine in this process, as a warm process plans any other folder (`program_modules`
keeps the ref's `components` and `stage` apart from the working tree's, already imported
here, and puts those back after).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pulumi

from . import changes, cost, engine, program_modules, stacks


class RefError(RuntimeError):
    """The ref cannot be checked out or its program cannot be planned."""


def _digest_tree(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if path.is_dir() else []
    for file in files if path.is_dir() else [path]:
        if file.exists():
            digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _plain(value: Any, salt: str, project_dir: Path) -> Any:
    if isinstance(value, engine.Secret):
        inner = json.dumps(_plain(value.value, salt, project_dir), sort_keys=True)
        return {"secret": hashlib.sha256((salt + inner).encode()).hexdigest()[:16]}
    if isinstance(value, dict):
        return {k: _plain(v, salt, project_dir) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, salt, project_dir) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the engine carries every number as a float
    if isinstance(value, pulumi.FileArchive | pulumi.FileAsset):
        return {type(value).__name__: value.path, "sha256": _digest_tree(project_dir / value.path)}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return repr(value)


def of_plan(plan: engine.Plan, project_dir: Path, salt: str) -> dict[str, Any]:
    """The snapshot of a plan; `salt` keys the digests of secret values."""
    return {
        "project": plan.project,
        "stack": plan.stack,
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "parent": r.parent,
                "custom": r.custom,
                "id": r.id,
                "arn": r.state.get("arn") if isinstance(r.state.get("arn"), str) else None,
                "physicalName": r.state.get("name") if isinstance(r.state.get("name"), str) else None,
                "aliases": sorted(r.aliases),
                "protect": r.protect,
                "dependencies": sorted(r.dependencies),
                "inputs": _plain(r.inputs, salt, project_dir),
            }
            for r in plan.resources
        ],
        "outputs": _plain(plan.outputs, salt, project_dir),
        "monthlyCost": _monthly_cost(plan),
    }


def _monthly_cost(plan: engine.Plan) -> list[float] | None:
    try:
        return list(cost.monthly_range(plan))
    except cost.CostError:
        return None  # the diff still shows; `cost --stack` says what is missing


def empty(project: str, stack: str) -> dict[str, Any]:
    """The snapshot of a stack that does not exist yet."""
    return {"project": project, "stack": stack, "resources": [], "outputs": {}, "monthlyCost": [0.0, 0.0]}


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RefError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def commit_of(project_dir: Path, ref: str) -> str:
    """The commit `ref` names in the project's repository; RefError when it names none."""
    return _git(project_dir, "rev-parse", "--verify", f"{ref}^{{commit}}")


@contextlib.contextmanager
def worktree(project_dir: Path, ref: str) -> Iterator[Path]:
    """The project's folder in a temporary, detached worktree of `ref`; removed afterwards."""
    top = Path(_git(project_dir, "rev-parse", "--show-toplevel"))
    commit = commit_of(project_dir, ref)
    with tempfile.TemporaryDirectory(prefix="aws-compute-diff-") as tmp:
        tree = Path(tmp) / "tree"
        _git(top, "worktree", "add", "--detach", "--quiet", str(tree), commit)
        try:
            yield tree / project_dir.resolve().relative_to(top.resolve())
        finally:
            program_modules.release(str(tree))  # modules a plan imported from it go with it
            _git(top, "worktree", "remove", "--force", str(tree))


def at_ref(names: Sequence[str], project_dir: Path, ref: str, salt: str) -> dict[str, dict[str, Any]]:
    """The snapshot of each stack as `ref` has it, by stack; empty for a stack the ref has no
    file of. One worktree holds them all (a stack another reads is planned once); any failure
    of the ref's program is a RefError naming the ref."""
    with worktree(project_dir, ref) as folder:
        present = [stack for stack in names if (folder / f"Pulumi.{stack}.yaml").is_file()]
        snapshots = {stack: empty(stacks.project_name(folder), stack) for stack in names if stack not in present}
        try:
            plans = stacks.run_stacks(present, folder)
        except Exception as error:  # the ref's code is another commit's: any failure is the ref's
            reason = str(error) if isinstance(error, stacks.PLAN_ERRORS) else f"{type(error).__name__}: {error}"
            raise RefError(f"planning {', '.join(present)} at {ref} failed:\n{reason}") from error
        snapshots.update((stack, of_plan(plan, folder, salt)) for stack, plan in plans.items())
    return {stack: snapshots[stack] for stack in names}


def diffs_against(ref: str, names: Sequence[str], project_dir: Path, salt: str) -> list[changes.StackDiff]:
    """What `pulumi up` would change in each stack were it deployed at `ref`, in the order
    given (a stack named twice, once). A stack that reads another of them through a stack
    reference is diffed after it, with its replacements (`changes.upstream_replacements`)."""
    names = list(dict.fromkeys(names))
    bases = at_ref(names, project_dir, ref, salt)
    plans = stacks.run_stacks(names, project_dir)
    heads = {stack: of_plan(plan, project_dir, salt) for stack, plan in plans.items()}
    reads = {stack: [s for s in stacks.referenced_stacks(stack, project_dir) if s in names] for stack in names}
    diffs: dict[str, changes.StackDiff] = {}
    while len(diffs) < len(names):  # stack references never form a cycle (run_stacks refuses one)
        stack = next(s for s in names if s not in diffs and all(r in diffs for r in reads[s]))
        upstream = [u for r in reads[stack] for u in changes.upstream_replacements(diffs[r], heads[r])]
        diffs[stack] = changes.diff(bases[stack], heads[stack], ref, "working tree", upstream)
    return [diffs[stack] for stack in names]
