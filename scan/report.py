"""The scan's verdict for people: a terminal report, and the README's summary table."""

from __future__ import annotations

from collections.abc import Sequence

from scan.baseline import Accepted, Verdict


def text(verdicts: Sequence[Verdict]) -> str:
    version = verdicts[0].results.checkov_version if verdicts else "?"
    lines = [f"checkov {version} over each stack's offline plan as Terraform plan JSON:"]
    for v in verdicts:
        r = v.results
        lines.append(
            f"  {r.stack}: {r.checks_run} checks run, {len(r.passed)} passed, {len(r.failed)} failed:"
            f" {len(v.accepted)} accepted (scan/baseline.yaml), {len(v.unexplained)} unexplained"
        )
    unexplained = [(v.results.stack, f) for v in verdicts for f in v.unexplained]
    if unexplained:
        lines.append("Unexplained failures (fix them, or accept them in scan/baseline.yaml with a reason):")
        lines += [f"  - {stack}: {f.check_id} {f.resource}: {f.check_name}" for stack, f in unexplained]
    stale = [(v.results.stack, entry, pattern) for v in verdicts for entry, pattern in v.stale]
    if stale:
        lines.append("Stale baseline entries (they accept no failure any more: remove them from scan/baseline.yaml):")
        lines += [f"  - {stack}: {entry.check} {pattern}" for stack, entry, pattern in stale]
    return "\n".join(lines)


def markdown(verdicts: Sequence[Verdict]) -> str:
    """The README summary: counts per stack, then every accepted check with its reason."""
    version = verdicts[0].results.checkov_version if verdicts else "?"
    lines = [
        f"checkov {version}, `make scan`:",
        "",
        "| stack | checks run | passed | failed | accepted | unexplained |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for v in verdicts:
        r = v.results
        lines.append(
            f"| {r.stack} | {r.checks_run} | {len(r.passed)} | {len(r.failed)} | {len(v.accepted)}"
            f" | {len(v.unexplained)} |"
        )
    lines += ["", "| accepted check | resources | reason |", "|---|---|---|"]
    names: dict[str, str] = {f.check_id: f.check_name for v in verdicts for f, _ in v.accepted}
    entries: dict[Accepted, dict[str, int]] = {}
    for v in verdicts:
        for _, entry in v.accepted:
            counts = entries.setdefault(entry, {})
            counts[v.results.stack] = counts.get(v.results.stack, 0) + 1
    for entry, counts in entries.items():
        where = ", ".join(f"{stack} {n}" for stack, n in counts.items())
        resources = ", ".join(f"`{p}`" for p in entry.resources)
        lines.append(f"| {entry.check}: {names[entry.check]} | {resources} ({where}) | {entry.reason} |")
    return "\n".join(lines)
