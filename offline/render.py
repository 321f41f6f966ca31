"""Render a Plan for people (a tree) and for machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi

from components.governance.policy_rules import Violation, Waived

from .engine import Plan, RecordedResource, Secret


def _jsonable(value: Any) -> Any:
    if isinstance(value, Secret):
        return "[secret]"
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the engine carries every number as a float
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, pulumi.FileArchive | pulumi.FileAsset):
        return {type(value).__name__: value.path}  # the source, not the object's address: plans diff cleanly
    return repr(value)


def _waived_order(waived: Waived) -> tuple[str, str]:
    return (waived.violation.rule, waived.violation.resource)


def to_json(plan: Plan, violations: list[Violation], waived: Sequence[Waived] = ()) -> str:
    return json.dumps(
        {
            "stack": plan.stack,
            "resources": [
                {"type": r.type, "name": r.name, "urn": r.urn, "parent": r.parent, "inputs": _jsonable(r.inputs)}
                for r in plan.resources
            ],
            "outputs": _jsonable(plan.outputs),
            "warnings": plan.warnings,
            "violations": [vars(v) for v in violations],
            "waived": [
                {
                    **vars(w.violation),
                    "reason": w.waiver.reason,
                    "expires": w.waiver.expires.isoformat() if w.waiver.expires else None,
                }
                for w in sorted(waived, key=_waived_order)
            ],
        },
        indent=2,
        sort_keys=True,
    )


def to_tree(plan: Plan, violations: list[Violation], waived: Sequence[Waived] = ()) -> str:
    lines = [f"Stack {plan.project}-{plan.stack} (Pulumi.{plan.stack}.yaml): {len(plan.resources)} resources"]

    def visit(parent: RecordedResource | None, indent: str) -> None:
        children = sorted(plan.children(parent), key=lambda r: (r.name, r.type))
        for i, child in enumerate(children):
            last = i == len(children) - 1
            lines.append(f"{indent}{'└─ ' if last else '├─ '}{child.name}  ({child.type})")
            visit(child, indent + ("   " if last else "│  "))

    visit(None, "")
    lines += ["", "Resources by type:"]
    lines += [f"  {count:4d}  {type_}" for type_, count in plan.count_by_type().items()]
    lines += ["", "Outputs:"]
    lines += [f"  {key}: {json.dumps(_jsonable(value))}" for key, value in sorted(plan.outputs.items())]
    if plan.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in plan.warnings]
    lines += ["", f"Policy violations: {len(violations) or 'none'}"]
    lines += [f"  - [{v.enforcement}] {v.rule}: {v.resource}: {v.message}" for v in violations]
    if waived:
        lines += ["", f"Policy waivers applied (Pulumi.{plan.stack}.yaml): {len(waived)}"]
        lines += [
            f"  - {w.violation.rule}: {w.violation.resource}: {w.waiver.describe()}"
            for w in sorted(waived, key=_waived_order)
        ]
    return "\n".join(lines)
