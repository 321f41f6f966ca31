"""Render cost estimates: a text table, Markdown (one stage, or stages side by side), JSON.

Each row traces to its arithmetic (the basis), every price to its row in the dated price
file (`*`: not confirmed on that date), every usage figure to a named assumption.
"""

from __future__ import annotations

import json
from typing import Any

from .cost import Charge, Estimate, quantity


def money(value: float) -> str:
    return f"${value:,.2f}"


def span(low: float, high: float) -> str:
    return money(low) if round(low, 2) == round(high, 2) else f"{money(low)} – {money(high)}"


def _dollars(value: float, sign: bool = False) -> str:
    text = f"${abs(value):,.0f}"
    return (("-" if round(value) < 0 else "+") if sign else "-" if round(value) < 0 else "") + text


def _range(low: float, high: float, sign: bool = False) -> str:
    if round(low) == round(high):
        return _dollars(low, sign)
    return f"{_dollars(low, sign)} – {_dollars(high, sign)}" if sign else f"{_dollars(low)}–{_dollars(high)}"


def delta_line(old: list[float] | None, new: list[float] | None) -> str | None:
    """`monthly cost: $182–$236 → $190–$250 (+$8 – +$14)`, whole dollars: a diff's cost line
    (low to low, high to high); None when either side has no estimate."""
    if old is None or new is None:
        return None
    delta = _range(new[0] - old[0], new[1] - old[1], sign=True)
    return f"monthly cost: {_range(old[0], old[1])} → {_range(new[0], new[1])} ({delta})"


def _sum(charges: list[Charge]) -> tuple[float, float]:
    return sum(c.low for c in charges), sum(c.high for c in charges)


def _title(e: Estimate) -> str:
    p = e.prices
    return (
        f"Monthly cost estimate: {e.project}-{e.stack} (Pulumi.{e.stack}.yaml) in {p.region}, {p.currency},"
        f" prices of {p.as_of.isoformat()} (offline/prices/{p.path.name})"
    )


def _assumption_lines(e: Estimate) -> list[str]:
    return [
        f"{key} = {quantity(value) if isinstance(value, int | float) else value}{' (set)' if set_here else ''}"
        for key, value, set_here in e.assumptions.listed()
        if _used(e, key.split(".")[0])
    ]


def _used(e: Estimate, key: str) -> bool:
    return any(key in c.basis for c in e.charges)


def _footer(e: Estimate, bullet: str) -> list[str]:
    lines = ["", f"Assumptions ({e.project}:costAssumptions; defaults unless marked set):"]
    lines += [f"{bullet}{line}" for line in _assumption_lines(e)]
    lines += ["", "Not in the estimate:"] + [f"{bullet}{caveat}" for caveat in e.caveats]
    if e.unpriced:
        lines += ["", "Resource types neither priced nor declared free:"] + [f"{bullet}{t}" for t in e.unpriced]
    if any(not row.confirmed for row in e.prices.used.values()):
        lines += ["", "* a price not confirmed on the price file's date (see its row's note)"]
    return lines


def total_line(e: Estimate) -> str:
    low, high = e.total
    return f"Monthly cost (estimate, {e.prices.region}, prices of {e.prices.as_of.isoformat()}): {span(low, high)}"


def to_text(e: Estimate) -> str:
    rows: list[tuple[str, str, str, str]] = []
    for component, charges in e.by_component().items():
        kind = charges[0].component_type
        kind = f" ({kind.rsplit(':', 1)[-1]})" if kind else ""
        rows.append((f"{component}{kind}", "", span(*_sum(charges)), ""))
        rows += [(f"  {c.resource}", c.charge, span(c.low, c.high), c.basis) for c in charges]
    rows.append(("Total", "", span(*e.total), ""))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [_title(e), "Ranges run from minimum to maximum capacity.", ""]
    lines += [
        f"{name:<{widths[0]}}  {charge:<{widths[1]}}  {amount:>{widths[2]}}  {basis}".rstrip()
        for name, charge, amount, basis in rows
    ]
    return "\n".join(lines + _footer(e, "  - "))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(e: Estimate) -> str:
    lines = [
        f"**{_title(e)}**",
        "",
        "| component | resource | charge | monthly | basis |",
        "|---|---|---|--:|---|",
    ]
    for component, charges in e.by_component().items():
        lines.append(f"| **{component}** | | | **{span(*_sum(charges))}** | |")
        lines += [f"| | {c.resource} | {c.charge} | {span(c.low, c.high)} | {_cell(c.basis)} |" for c in charges]
    lines.append(f"| **total** | | | **{span(*e.total)}** | |")
    return "\n".join(lines + _footer(e, "- "))


def side_by_side(estimates: list[Estimate]) -> str:
    """Components down, stages across: each cell the component's monthly range."""
    header = "| component | " + " | ".join(f"{e.stack} ({e.prices.region})" for e in estimates) + " |"
    lines = [header, "|---|" + "--:|" * len(estimates)]
    grouped = [e.by_component() for e in estimates]
    for component in sorted({name for groups in grouped for name in groups}):
        cells = [span(*_sum(groups[component])) if component in groups else "—" for groups in grouped]
        lines.append(f"| {component} | " + " | ".join(cells) + " |")
    lines.append("| **total** | " + " | ".join(f"**{span(*e.total)}**" for e in estimates) + " |")
    dates = sorted({f"{e.prices.region} prices of {e.prices.as_of.isoformat()}" for e in estimates})
    lines += ["", f"Ranges run from minimum to maximum capacity; {', '.join(dates)}.", ""]
    for e in estimates:
        lines.append(f"- {e.stack} assumes {'; '.join(_assumption_lines(e))}.")
    return "\n".join(lines)


def to_json(e: Estimate) -> str:
    low, high = e.total
    document: dict[str, Any] = {
        "stack": e.stack,
        "region": e.prices.region,
        "currency": e.prices.currency,
        "pricesAsOf": e.prices.as_of.isoformat(),
        "total": {"low": round(low, 2), "high": round(high, 2)},
        "components": [
            {
                "name": component,
                "type": charges[0].component_type,
                "low": round(_sum(charges)[0], 2),
                "high": round(_sum(charges)[1], 2),
                "charges": [
                    {
                        "resource": c.resource,
                        "type": c.type,
                        "charge": c.charge,
                        "low": round(c.low, 2),
                        "high": round(c.high, 2),
                        "basis": c.basis,
                    }
                    for c in charges
                ],
            }
            for component, charges in e.by_component().items()
        ],
        "assumptions": [{"key": k, "value": v, "set": s} for k, v, s in e.assumptions.listed()],
        "prices": {
            key: {
                "usd": row.usd,
                "ratio": row.ratio,
                "unit": row.unit,
                "source": row.source,
                "confirmed": row.confirmed,
            }
            for key, row in e.prices.used.items()
        },
        "notEstimated": e.caveats,
        "unpriced": e.unpriced,
    }
    return json.dumps(document, indent=2, sort_keys=True)
