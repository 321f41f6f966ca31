"""The compatibility surface of every stack, as checked-in text: one line per resource,
`type  logical-name  parent-logical-name`, sorted, followed by `aliases=old,...` when the
resource carries the logical names it was published under before.

Type tokens, logical names and parents are what `pulumi up` keys state by: a change to any
of them replaces (or orphans) a resource unless it carries `aliases`. `tests/test_snapshot.py`
keeps `tests/snapshots/<stack>.txt` equal to the plan, so every such change shows up in review
as a diff of these files, and a rename shows whether it keeps the old name as an alias.
After an intended change, regenerate them with
`.venv/bin/python -m tests.resource_snapshot` and commit the diff.
"""

from __future__ import annotations

from pathlib import Path

from offline import stacks
from offline.engine import Plan, RecordedResource

SNAPSHOTS = Path(__file__).parent / "snapshots"


def alias_names(resource: RecordedResource) -> list[str]:
    """The other logical names `resource` answers to, sorted (not the type aliases pulumi-aws
    gives its own renamed types, which keep the name)."""
    return sorted({urn.rsplit("::", 1)[-1] for urn in resource.aliases} - {resource.name})


def snapshot(plan: Plan) -> str:
    """Every resource of `plan` as `type  name  parent[  aliases=a,b]`, sorted; `-` for a
    root resource."""
    names = {r.urn: r.name for r in plan.resources}
    rows = sorted(
        f"{r.type}  {r.name}  {names.get(r.parent, '-') if r.parent else '-'}"
        + (f"  aliases={','.join(alias_names(r))}" if alias_names(r) else "")
        for r in plan.resources
    )
    return "\n".join(rows) + "\n"


def path(stack: str) -> Path:
    return SNAPSHOTS / f"{stack}.txt"


def main() -> None:
    SNAPSHOTS.mkdir(exist_ok=True)
    for stack in stacks.stack_names():
        path(stack).write_text(snapshot(stacks.run_stack(stack)))


if __name__ == "__main__":
    main()
