"""The README stays true: its commands and its config reference match the code."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from components import cost_assumptions, reference
from offline import cost, cost_report, diagram, engine
from offline.engine import Plan

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert first_block.splitlines()[0].startswith("make plan STACK=dev")
    assert first_block.splitlines()[1].startswith("make test")


@pytest.mark.parametrize(
    "area", ["network", "services", "functions", "layers", "events", "apis", "autoscaling", "eks", "alarms"]
)
def test_readme_config_reference_is_the_schema_docstring(area: str) -> None:
    doc = importlib.import_module(f"stage.{area}").__doc__ or ""
    fenced = re.search(r"```yaml\n(.*?)```", doc, re.S)
    block = fenced.group(1) if fenced else "\n".join(line[4:] for line in doc.splitlines() if line.startswith("    "))
    assert block.strip() in README, f"README's aws-compute:{area} reference differs from stage/{area}.py"


def test_readme_args_reference_is_generated_from_the_dataclasses() -> None:
    """`python -m components.reference --write README.md` after changing any args."""
    assert reference.replace_in(README) == README


def test_readme_library_example_plans_offline() -> None:
    section = README.split("## Use the components in your own program", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    plan = engine.run(lambda: exec(compile(code, "README.md", "exec"), {}))
    components_registered = sorted(r.type for r in plan.resources if r.type.startswith("aws-compute:"))
    assert components_registered == [
        "aws-compute:ecs_cluster:EcsCluster",
        "aws-compute:fargate_service:FargateService",
        "aws-compute:lambda_function:LambdaFunction",
        "aws-compute:load_balancer:LoadBalancer",
        "aws-compute:network:Network",
    ]
    assert len(plan.of_type("aws:ecs/service:Service")) == 1
    assert set(plan.outputs) == {"url", "functionArn"}


def _generated(command: str) -> str:
    """The README block under `<!-- command -->`: a fenced block, or lines up to `<!-- end -->`."""
    after = README.split(f"<!-- {command} -->\n", 1)[1]
    if after.startswith("```"):
        return after.split("\n", 1)[1].split("\n```", 1)[0]
    return after.split("\n<!-- end -->", 1)[0]


@pytest.mark.parametrize("stack", ["dev", "network-prod", "apps-prod"])
def test_readme_diagram_is_what_the_command_prints(stack: str, stack_plans: dict[str, Plan]) -> None:
    assert _generated(f"python -m offline diagram --stack {stack}") == diagram.mermaid(stack_plans[stack])


def test_readme_cost_table_is_what_the_command_prints(stack_plans: dict[str, Plan]) -> None:
    estimates = [cost.estimate(stack_plans[stack]) for stack in ("dev", "network-prod", "apps-prod")]
    command = "python -m offline cost --stack dev --stack network-prod --stack apps-prod --format markdown"
    assert _generated(command) == cost_report.side_by_side(estimates)


def test_readme_cost_assumptions_reference_is_the_schema_docstring() -> None:
    block = re.search(r"```yaml\n(.*?)```", cost_assumptions.__doc__ or "", re.S)
    assert block is not None
    assert block.group(1) in README
