"""The README stays true: its commands and its config reference match the code."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from offline import assumptions, cost, cost_report, diagram
from offline.engine import Plan

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert first_block.splitlines()[0].startswith("make plan STACK=dev")
    assert first_block.splitlines()[1].startswith("make test")


@pytest.mark.parametrize("area", ["services", "functions", "layers", "events", "apis", "autoscaling", "eks"])
def test_readme_config_reference_is_the_schema_docstring(area: str) -> None:
    doc = importlib.import_module(f"stage.{area}").__doc__ or ""
    fenced = re.search(r"```yaml\n(.*?)```", doc, re.S)
    block = fenced.group(1) if fenced else "\n".join(line[4:] for line in doc.splitlines() if line.startswith("    "))
    assert block.strip() in README, f"README's aws-compute:{area} reference differs from stage/{area}.py"


def _generated(command: str) -> str:
    """The README block under `<!-- command -->`: a fenced block, or lines up to `<!-- end -->`."""
    after = README.split(f"<!-- {command} -->\n", 1)[1]
    if after.startswith("```"):
        return after.split("\n", 1)[1].split("\n```", 1)[0]
    return after.split("\n<!-- end -->", 1)[0]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_readme_diagram_is_what_the_command_prints(stack: str, stack_plans: dict[str, Plan]) -> None:
    assert _generated(f"python -m offline diagram --stack {stack}") == diagram.mermaid(stack_plans[stack])


def test_readme_cost_table_is_what_the_command_prints(stack_plans: dict[str, Plan]) -> None:
    estimates = [cost.estimate(stack_plans[stack]) for stack in ("dev", "prod")]
    command = "python -m offline cost --stack dev --stack prod --format markdown"
    assert _generated(command) == cost_report.side_by_side(estimates)


def test_readme_cost_assumptions_reference_is_the_schema_docstring() -> None:
    block = re.search(r"```yaml\n(.*?)```", assumptions.__doc__ or "", re.S)
    assert block is not None
    assert block.group(1) in README
