"""Render a StackDiff for a terminal and as a pull-request comment (GitHub markdown).

Both put replacements first, each with its reasons; secret values print as `[secret]`.
"""

from __future__ import annotations

import json
from typing import Any

from .changes import ABSENT, KINDS, Change, PropertyChange, StackDiff, Unknown

SYMBOLS = {"replace": "+-", "delete": "-", "create": "+", "update": "~"}
VERBS = {"replace": "to replace", "delete": "to delete", "create": "to create", "update": "to update"}
_MAX_VALUE = 100

#: First line of the sticky PR comment; the workflow finds the comment to update by it.
COMMENT_MARKER = "<!-- aws-compute offline diff -->"


def value(v: Any) -> str:
    if v is ABSENT:
        return "(none)"
    if isinstance(v, Unknown):
        return repr(v)
    if isinstance(v, dict) and "secret" in v:
        return "[secret]"
    if isinstance(v, dict) and "sha256" in v:
        kind = next(k for k in v if k != "sha256")
        return f"{kind}({v[kind]}, sha256 {v['sha256'][:8]})"
    text = json.dumps(v, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _property_line(p: PropertyChange) -> str:
    line = f"{p.path}: {value(p.old)} → {value(p.new)}"
    if p.replaces:
        return line + "  [forces replacement]"
    if p.may_replace:
        return line + f"  [replaces {p.may_replace}]"
    return line


def _title(c: Change) -> str:
    renamed = f"{c.old_name} → " if c.old_name else ""
    return f"{renamed}{c.name}  ({c.type})"


def totals(d: StackDiff) -> str:
    counts = d.counts()
    parts = [f"{counts[k]} {VERBS[k]}" for k in KINDS if counts[k]]
    return ", ".join(parts) if parts else "no changes"


def to_text(d: StackDiff) -> str:
    lines = [f"Stack {d.stack}: {d.base} → {d.head}", f"  {totals(d)}"]
    lines += [f"  {extra}" for extra in d.extra_summary]
    for kind in KINDS:
        changes = d.of_kind(kind)
        if not changes:
            continue
        lines += ["", f"{kind.capitalize()} ({len(changes)}):"]
        for c in changes:
            lines.append(f"  {SYMBOLS[kind]} {_title(c)}")
            lines += [f"      because {reason}" for reason in c.reasons]
            lines += [f"      caution: {caution}" for caution in c.cautions]
            lines += [f"      {_property_line(p)}" for p in c.properties]
    lines += ["", f"Exit status {d.exit_code}"]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Inline code, safe for any content."""
    return "`" + text.replace("`", "'") + "`"


def _grouped(changes: list[Change]) -> list[tuple[Change, int]]:
    """Each change with the number of renamed resources under it, those folded into it: a
    renamed component replaces everything it holds for the one reason."""
    renamed = {c.urn: c for c in changes if c.old_name}

    def root(c: Change) -> Change:
        while c.parent in renamed:
            c = renamed[c.parent]
        return c

    under: dict[str, int] = {}
    for c in changes:
        if c.old_name and root(c) is not c:
            under[root(c).urn] = under.get(root(c).urn, 0) + 1
    return [(c, under.get(c.urn, 0)) for c in changes if not (c.old_name and root(c) is not c)]


def to_markdown(d: StackDiff) -> str:
    """One stack's section of the PR comment: summary table, replacement warning, details."""
    counts = d.counts()
    lines = [
        f"### Stack {_md(d.stack)}: {totals(d)}",
        "",
        "| replace | delete | create | update |",
        "|---:|---:|---:|---:|",
        "| " + " | ".join(str(counts[k]) for k in KINDS) + " |",
        "",
    ]
    lines += [f"{extra}  " for extra in d.extra_summary]
    dangerous = [c for c in d.changes if c.dangerous]
    if dangerous:
        lines += [
            "> [!WARNING]",
            f"> **{len(dangerous)} resource{'s' if len(dangerous) != 1 else ''} destroyed by this change** "
            "(replaced: deleted and created again, or deleted):",
        ]
        for c, under in _grouped(dangerous):
            what = f"{_md(c.name)} (was {_md(c.old_name)}, {c.type})" if c.old_name else f"{_md(c.name)} ({c.type})"
            if under:
                what += f" and {under} resource{'s' if under != 1 else ''} under it"
            why = "; ".join(c.reasons) if c.reasons else "deleted"
            lines.append(f"> - {c.kind} {what}: {why}")
            lines += [f">   - **caution:** {caution}" for caution in c.cautions]
        lines.append("")
    if d.changes:
        lines += [f"<details><summary>{len(d.changes)} changes, {d.base} → {d.head}</summary>", "", "```diff"]
        for kind in KINDS:
            for c in d.of_kind(kind):
                sign = {"replace": "!", "delete": "-", "create": "+", "update": "!"}[kind]
                lines.append(f"{sign} {kind} {_title(c)}")
                lines += [f"#     because {reason}" for reason in c.reasons]
                lines += [f"#     caution: {caution}" for caution in c.cautions]
                lines += [f"      {_property_line(p)}" for p in c.properties]
        lines += ["```", "", "</details>"]
    return "\n".join(lines) + "\n"


def comment(diffs: list[StackDiff]) -> str:
    """The whole PR comment: the marker the workflow finds it by, then each stack's section."""
    return COMMENT_MARKER + "\n" + "\n".join(to_markdown(d) for d in diffs)
