"""The stacks CI runs over, read from the `Pulumi.<stack>.yaml` files beside `Pulumi.yaml`.

Prints GitHub step outputs (JSON): lists `all` (every stack), `preprod` and `prod`, the
latter split by stage — the stack name's last dash-separated word (`network-prod` is a
prod stack) — and `stages`, each stage's stacks by stage name (`stage_names` lists them), for
jobs that take a stage's stacks together (the offline diff: a stack reading another's
outputs is diffed with its replacements). Within a list, a stack whose config reads another's outputs
(`fromStack: org/project/<stack>`) comes after that stack, so deploys that run the list in
order build the network before the applications on it. Standard library only: runs before
any dependency is installed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

#: The stack a `fromStack` names: `fromStack: o/p/s`, `{stack: o/p/s, ...}`, or a block
#: with a `stack: o/p/s` line.
FROM_STACK = re.compile(
    r"fromStack:(?:\s*\{|[^\S\n]*\n(?:[^\n]*\n)*?)?\s*(?:stack:\s*)?['\"]?[^/\s'\"]+/[^/\s'\"]+/([^\s'\",}#]+)"
)


def stacks(project_dir: Path) -> dict[str, Any]:
    files = {p.name[len("Pulumi.") : -len(".yaml")]: p for p in sorted(project_dir.glob("Pulumi.*.yaml"))}
    reads = {name: set(FROM_STACK.findall(path.read_text())) & set(files) - {name} for name, path in files.items()}
    ordered: list[str] = []
    while len(ordered) < len(files):
        ready = [s for s in sorted(files) if s not in ordered and reads[s] <= set(ordered)]
        if not ready:
            cycle = sorted(set(files) - set(ordered))
            raise SystemExit(f"error: these stacks read each other's outputs in a cycle: {', '.join(cycle)}")
        ordered += ready
    stages: dict[str, list[str]] = {}
    for name in ordered:
        stages.setdefault(name.rsplit("-", 1)[-1], []).append(name)
    prod = stages.get("prod", [])
    return {
        "all": ordered,
        "preprod": [s for s in ordered if s not in prod],
        "prod": prod,
        "stage_names": sorted(stages),
        "stages": dict(sorted(stages.items())),
    }


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    for key, names in stacks(folder).items():
        print(f"{key}={json.dumps(names)}")  # noqa: T201 - step outputs
