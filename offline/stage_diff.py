"""How two stages differ, by logical resource: `python -m offline diff --stack dev --against
network-prod --against apps-prod` (a stage may be several stacks).

Both stages are planned and made comparable first: every id, ARN and physical (autonamed)
name a resource answered with becomes `<id NAME>`, `<arn NAME>`, `<name NAME>` wherever it
is used, and each stack's name becomes `{stack}` (in URNs, tags, names). What remains is
what the stage files decide: resources one stage has and the other lacks, grouped by type,
and every property that differs, grouped by type and property path, one line each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from . import cost_report, snapshot, stacks
from .changes import differences
from .diff_render import value

_KINDS = ("arn", "name", "id")
_VALUE_WIDTH = 40


def _normaliser(snap: dict[str, Any]) -> re.Pattern[str] | None:
    """One pattern matching every stack-specific string of a snapshot (longest first)."""
    found = _tokens(snap)
    if not found:
        return None
    return re.compile("|".join(re.escape(k) for k in sorted(found, key=len, reverse=True)))


def _tokens(snap: dict[str, Any]) -> dict[str, str]:
    """What each resource answered with that another deployment answers differently: ids, ARNs,
    and autonamed names (a given `name` is the program's and stays)."""
    tokens: dict[str, str] = {}
    for r in snap["resources"]:
        given = r["inputs"].get("name")
        autonamed = r["physicalName"] if given is None else None
        generated_id = r["id"] if r["id"] != given else None
        for kind, v in zip(_KINDS, (r["arn"], autonamed, generated_id), strict=True):
            if isinstance(v, str) and len(v) > 3:
                tokens.setdefault(v, f"<{kind} {r['name']}>")
        # An ARN's resource part alone is a value too (ELB `arn_suffix`, the CloudWatch dimension).
        suffix = r["arn"].split(":", 5)[-1] if isinstance(r["arn"], str) and r["arn"].count(":") >= 5 else None
        if suffix and "/" in suffix and len(suffix) > 3:
            tokens.setdefault(suffix, f"<arn-suffix {r['name']}>")
    return tokens


def stage(snaps: list[dict[str, Any]]) -> dict[str, Any]:
    """One stage of several stacks (a network stack and the stacks on it): their resources
    together, named `a + b`. Each stack's name is normalised in its own and the others', and
    so is the stage's, the last dash-separated word the names share (`prod` of
    `network-prod` and `apps-prod`, as .github/stacks.py reads stages)."""
    if len(snaps) == 1:
        return snaps[0]
    names = [s["stack"] for s in snaps]
    stages = {n.rsplit("-", 1)[-1] for n in names}
    costs = [s.get("monthlyCost") for s in snaps]
    return {
        "project": snaps[0]["project"],
        "stack": " + ".join(names),
        "stacks": names + sorted(stages - set(names)) if len(stages) == 1 else names,
        "resources": [r for s in snaps for r in s["resources"]],
        "outputs": {},
        "monthlyCost": None if None in costs else [sum(c[i] for c in costs if c) for i in (0, 1)],
    }


def normalised(snap: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Resources by stack-neutral URN, their inputs with stack-specific strings replaced."""
    tokens, pattern = _tokens(snap), _normaliser(snap)
    names = sorted(snap.get("stacks", [snap["stack"]]), key=len, reverse=True)
    stack = re.compile(r"(?<![\w/.])(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")

    def clean(v: Any) -> Any:
        if isinstance(v, str):
            v = pattern.sub(lambda m: tokens[m.group(0)], v) if pattern else v
            return stack.sub("{stack}", v)
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    return {stack.sub("{stack}", r["urn"], count=1): {**r, "inputs": clean(r["inputs"])} for r in snap["resources"]}


def _short(v: Any) -> str:
    text = value(v)
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def _only_in(side: str, resources: list[dict[str, Any]], roots: dict[str, str]) -> list[str]:
    """One line per top-level component: the types (and counts) only `side` has under it."""
    by_root: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in resources:
        by_root[roots[r["urn"]]][r["type"].rsplit(":", 1)[-1]] += 1
    lines = [f"Only in {side} ({len(resources)}):"] if resources else []
    return lines + [
        f"  {root}: " + ", ".join(f"{t} ×{n}" if n > 1 else t for t, n in sorted(types.items()))
        for root, types in sorted(by_root.items())
    ]


def _roots(snap: dict[str, Any]) -> dict[str, str]:
    """Each resource's top-level ancestor's name, by URN."""
    parents = {r["urn"]: r["parent"] for r in snap["resources"]}
    names = {r["urn"]: r["name"] for r in snap["resources"]}
    roots = {}
    for urn in parents:
        top = urn
        while parents.get(top):
            top = parents[top]
        roots[urn] = names[top]
    return roots


def _knobs(left: dict[str, dict[str, Any]], right: dict[str, dict[str, Any]]) -> list[str]:
    """One line per (type, top-level property) that differs between resources both stages have;
    a reference to a resource only one stage has is left out (that resource is listed)."""
    one_sided = {
        f"<{kind} {side[k]['name']}>"
        for side, other in ((left, right), (right, left))
        for k in side.keys() - other.keys()
        for kind in _KINDS
    }
    found: dict[tuple[str, str], list[tuple[str, str, Any, Any]]] = defaultdict(list)
    for key in sorted(left.keys() & right.keys()):
        module, type_ = left[key]["type"].split(":")[1].split("/")[0], left[key]["type"].rsplit(":", 1)[-1]
        for path, old, new in differences(left[key]["inputs"], right[key]["inputs"]):
            if any(isinstance(v, str) and v in one_sided for v in (old, new)):
                continue
            prop = re.split(r"[.\[]", path, maxsplit=1)[0]
            found[(f"{module}/{type_}", prop)].append((left[key]["name"], path, old, new))
    lines = []
    for (type_, prop), diffs in sorted(found.items()):
        count = len({name for name, *_ in diffs})
        pairs = {(path.removeprefix(prop), _short(o), _short(n)) for _, path, o, n in diffs}
        sub, old, new = min(pairs)
        more = f" (+{len(pairs) - 1} more)" if len(pairs) > 1 else ""
        lines.append(f"  {type_}.{prop}{sub} ×{count}: {old} → {new}{more}")
    return lines


def compare(a: dict[str, Any], b: dict[str, Any]) -> str:
    """The stage diff of snapshots `a` and `b`, as text."""
    left, right = normalised(a), normalised(b)
    both = len(left.keys() & right.keys())
    lines = [
        f"Stages {a['stack']} → {b['stack']} by logical resource (ids, ARNs, autonamed suffixes, stack names "
        f"normalised): {len(left)} resources in {a['stack']}, {len(right)} in {b['stack']}, {both} in both",
    ]
    cost = cost_report.delta_line(a.get("monthlyCost"), b.get("monthlyCost"))
    lines += [f"  {cost}"] if cost else []
    lines += _only_in(a["stack"], [left[k] for k in sorted(left.keys() - right.keys())], _roots(a))
    lines += _only_in(b["stack"], [right[k] for k in sorted(right.keys() - left.keys())], _roots(b))
    knobs = _knobs(left, right)
    if knobs:
        lines += [f"Differing properties ({len(knobs)}), {a['stack']} → {b['stack']}:", *knobs]
    if not (left.keys() ^ right.keys() or knobs):
        lines.append("  no differences")
    return "\n".join(lines)


def main(stacks_a: list[str], stacks_b: list[str], project_dir: Path, salt: str, markdown: bool = False) -> int:
    """Print the stage diff of each `--stack` against the stage the `--against` stacks make
    together (in a fenced block for markdown); exit 0, differences being no error."""
    b = stage([snapshot.of_plan(stacks.run_stack(s, project_dir), project_dir, salt) for s in stacks_b])
    for stack_a in stacks_a:
        a = snapshot.of_plan(stacks.run_stack(stack_a, project_dir), project_dir, salt)
        text = compare(a, b)
        print(f"```text\n{text}\n```" if markdown else text)  # noqa: T201 - the command's output
    return 0
