"""The README stays true: its commands and its config reference match the code."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert first_block.splitlines()[0].startswith("make plan STACK=dev")
    assert first_block.splitlines()[1].startswith("make test")


@pytest.mark.parametrize("area", ["network", "services", "functions", "autoscaling", "eks"])
def test_readme_config_reference_is_the_schema_docstring(area: str) -> None:
    doc = importlib.import_module(f"stage.{area}").__doc__ or ""
    fenced = re.search(r"```yaml\n(.*?)```", doc, re.S)
    block = fenced.group(1) if fenced else "\n".join(line[4:] for line in doc.splitlines() if line.startswith("    "))
    assert block.strip() in README, f"README's aws-compute:{area} reference differs from stage/{area}.py"
