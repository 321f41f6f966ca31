"""The compatibility surface of every stack, as checked-in text: one line per resource,
`type  logical-name  parent-logical-name`, sorted.

Type tokens, logical names and parents are what `pulumi up` keys state by: a change to any
of them replaces (or orphans) a resource unless it carries `aliases`. `tests/test_snapshot.py`
keeps `tests/snapshots/<stack>.txt` equal to the plan, so every such change shows up in review
as a diff of these files. After an intended change, regenerate them with
`.venv/bin/python -m tests.resource_snapshot` and commit the diff.
"""

from __future__ import annotations

from pathlib import Path

from offline import stacks
from offline.engine import Plan

SNAPSHOTS = Path(__file__).parent / "snapshots"


def snapshot(plan: Plan) -> str:
    """Every resource of `plan` as `type  name  parent`, sorted; `-` for a root resource."""
    names = {r.urn: r.name for r in plan.resources}
    rows = sorted(f"{r.type}  {r.name}  {names.get(r.parent, '-') if r.parent else '-'}" for r in plan.resources)
    return "\n".join(rows) + "\n"


def path(stack: str) -> Path:
    return SNAPSHOTS / f"{stack}.txt"


def main() -> None:
    SNAPSHOTS.mkdir(exist_ok=True)
    for stack in stacks.stack_names():
        path(stack).write_text(snapshot(stacks.run_stack(stack)))


if __name__ == "__main__":
    main()
