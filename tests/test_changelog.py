"""CHANGELOG.md: its version is the package's, and its compatibility surface (type tokens and
child logical names) is exactly what the components register in the checked-in snapshots."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tests.resource_snapshot import SNAPSHOTS

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = (ROOT / "CHANGELOG.md").read_text()
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _surface() -> dict[str, list[tuple[str, str]]]:
    """Per component type token, its `(child type, child name pattern)` rows, every version."""
    surface: dict[str, list[tuple[str, str]]] = {}
    token = None
    for line in CHANGELOG.splitlines():
        if heading := re.fullmatch(r"#### `(aws-compute:[\w:]+)`", line):
            token = heading[1]
            surface.setdefault(token, [])
        elif token and (row := re.fullmatch(r"\| (`.+`)(?: \(.*\))? \| `(aws(?:-compute)?:[\w/:]+)` \|", line)):
            surface[token] += [(row[2], pattern) for pattern in re.findall(r"`([^`]+)`", row[1])]
        elif line.startswith("#"):
            token = None
    return surface


def _matches(pattern: str, component: str, child: str) -> bool:
    parts = _PLACEHOLDER.split(pattern)  # literal, placeholder, literal, ...
    regex = "".join(
        re.escape(part) if i % 2 == 0 else (re.escape(component) if part == "name" else r"[A-Za-z0-9_.:/ {}+$-]+")
        for i, part in enumerate(parts)
    )
    return re.fullmatch(regex, child) is not None


def _children() -> list[tuple[str, str, str, str]]:
    """`(component type, component name, child type, child name)` from every snapshot; a child
    of a child belongs to its nearest component ancestor."""
    rows = []
    for snapshot in sorted(SNAPSHOTS.glob("*.txt")):
        lines = [line.split("  ")[:3] for line in snapshot.read_text().splitlines()]
        by_name = {name: (type_, parent) for type_, name, parent in lines}
        for type_, name, parent in lines:
            while parent != "-" and not by_name[parent][0].startswith("aws-compute:"):
                parent = by_name[parent][1]
            if parent != "-":
                rows.append((by_name[parent][0], parent, type_, name))
    return rows


def test_the_changelog_starts_at_the_package_version() -> None:
    """Changes not released yet sit under `## Unreleased`, above the package's version."""
    headings = re.findall(r"^## (\S+)", CHANGELOG, re.MULTILINE)
    released = headings[1:] if headings[0] == "Unreleased" else headings
    assert released[0] == VERSION
    assert "Unreleased" not in released


def test_every_component_type_token_is_listed() -> None:
    assert set(_surface()) == {component for component, _, _, _ in _children()}


def test_every_child_a_component_registers_is_listed() -> None:
    surface = _surface()
    unlisted = sorted(
        f"{component}: {child} ({type_})"
        for component, name, type_, child in _children()
        if not any(t == type_ and _matches(p, name, child) for t, p in surface.get(component, []))
    )
    assert unlisted == [], "add them to CHANGELOG.md (new children are additions of the next version)"


def test_every_listed_child_is_still_registered() -> None:
    children = _children()
    gone = [
        f"{component}: {pattern} ({type_})"
        for component, rows in _surface().items()
        for type_, pattern in rows
        if not any(c == component and t == type_ and _matches(pattern, n, child) for c, n, t, child in children)
    ]
    assert gone == [], "a listed name no stack registers any more: renamed without aliases?"
