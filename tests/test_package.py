"""The installable package: what the wheel holds, what it depends on, and every example
project planned with the installed `aws-compute` console script in a virtualenv outside
the repository, from a folder outside it, so nothing of the checkout is on `sys.path`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement

from components import governance
from offline.engine import run
from tests.installed import ROOT, Installed, installed_wheel

EXAMPLES = ROOT / "examples"
EXAMPLE_STACKS = [
    pytest.param(project.parent, stack_file.name[len("Pulumi.") : -len(".yaml")], id=project.parent.name)
    for project in sorted(EXAMPLES.glob("*/Pulumi.yaml"))
    for stack_file in sorted(project.parent.glob("Pulumi.*.yaml"))
]
STANDARD_TAG_KEYS = {"Environment", "ManagedBy", "Project", "Stack"}


@pytest.fixture(scope="module")
def installed() -> Installed:
    return installed_wheel()


def _isolated_env() -> dict[str, str]:
    """The environment less anything that would put the checkout on sys.path."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def _version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def test_the_wheel_holds_the_components_and_the_engine_and_nothing_else(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    dist_info = f"aws_compute-{_version()}.dist-info"
    assert {name.split("/")[0] for name in names} == {"components", "aws_compute_offline", dist_info}
    shipped = {name for name in names if not name.startswith(dist_info)}
    in_repo = {
        str(path.relative_to(ROOT)).replace("offline/", "aws_compute_offline/", 1)
        for top in ("components", "offline")
        for path in (ROOT / top).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert shipped == in_repo
    assert {"components/py.typed", "aws_compute_offline/prices/us-east-1.toml"} <= shipped


def test_the_wheel_declares_the_console_script_and_dependencies_the_pins_satisfy(installed: Installed) -> None:
    wheel = zipfile.ZipFile(installed.wheel)
    dist_info = f"aws_compute-{_version()}.dist-info"
    entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
    assert "[console_scripts]\naws-compute = aws_compute_offline.__main__:cli\n" in entry_points
    metadata = Parser().parsestr(wheel.read(f"{dist_info}/METADATA").decode())
    assert metadata["Requires-Python"] == ">=3.11"
    pins = dict(
        line.split("#")[0].strip().split("==")
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    )
    required = [Requirement(r) for r in metadata.get_all("Requires-Dist") or []]
    assert sorted(r.name.lower() for r in required) == sorted(name.lower() for name in pins)
    for requirement in required:
        pinned = next(v for name, v in pins.items() if name.lower() == requirement.name.lower())
        assert requirement.specifier.contains(pinned), f"{requirement} excludes the pinned {pinned}"


def test_the_installed_package_comes_from_the_virtualenv_alone(installed: Installed, tmp_path: Path) -> None:
    probe = (
        "import importlib.util, json, sys, components, aws_compute_offline\n"
        "print(json.dumps({'components': components.__file__, 'engine': aws_compute_offline.__file__,"
        " 'repo_only': [m for m in ('stage', 'offline', 'tests', 'bench', 'functions', 'policies')"
        " if importlib.util.find_spec(m)]}))"
    )
    found = json.loads(
        subprocess.run(
            [installed.python, "-c", probe],
            cwd=tmp_path,
            env=_isolated_env(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert Path(found["components"]).is_relative_to(installed.venv)
    assert Path(found["engine"]).is_relative_to(installed.venv)
    assert found["repo_only"] == []


def _plan(installed: Installed, project: Path, stack: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed.console_script, "plan", "--project-dir", project, "--stack", stack, "--json"],
        cwd=cwd,
        env=_isolated_env(),
        capture_output=True,
        text=True,
    )


def test_examples_exist() -> None:
    assert {project.parent.name for project in EXAMPLES.glob("*/Pulumi.yaml")} >= {"webapp", "ec2-fleet"}


@pytest.mark.parametrize(("example", "stack"), EXAMPLE_STACKS)
def test_each_example_plans_tagged_and_clean_from_the_installed_wheel(
    installed: Installed, tmp_path: Path, example: Path, stack: str
) -> None:
    project = shutil.copytree(example, tmp_path / example.name)
    result = _plan(installed, project, stack, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan: dict[str, Any] = json.loads(result.stdout)
    assert plan["violations"] == []
    taggable = [r for r in plan["resources"] if governance.is_taggable(r["type"])]
    assert len(taggable) >= 10
    expected = {"Project": yaml.safe_load((example / "Pulumi.yaml").read_text())["name"], "Stack": stack}
    for resource in taggable:
        tags = resource["inputs"].get("tags") or {}
        values = {t["key"]: t["value"] for t in tags} if isinstance(tags, list) else tags
        assert set(values) >= STANDARD_TAG_KEYS, f"{resource['name']} ({resource['type']}) lacks standard tags"
        assert {k: values[k] for k in expected} == expected


@pytest.mark.parametrize(("example", "stack"), EXAMPLE_STACKS)
def test_each_examples_governance_refuses_an_instance_without_imdsv2(
    installed: Installed, tmp_path: Path, example: Path, stack: str
) -> None:
    """A bare IMDSv1 instance added right after the example's governance call stops the plan."""
    project = shutil.copytree(example, tmp_path / example.name)
    program = project / "__main__.py"
    source, count = re.subn(
        r"^(enable_governance\(.*\)\n)",
        r"\1import pulumi_aws\npulumi_aws.ec2.Instance('legacy', ami='ami-12345678', instance_type='t3.micro')\n",
        program.read_text(),
        flags=re.MULTILINE,
    )
    assert count == 1, "the example calls enable_governance(...) on one line, at the top level"
    program.write_text(source)
    result = _plan(installed, project, stack, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "error: instance 'legacy' (aws:ec2/instance:Instance) must require IMDSv2: it does not set"
        " metadataOptions.httpTokens, so IMDSv1 stays open; set it to 'required'\n"
    )


def test_the_readme_examples_and_changelog_name_this_version() -> None:
    version = _version()
    readme = (ROOT / "README.md").read_text()
    assert f"aws-compute @ git+https://github.com/<org>/aws-compute@v{version}\n" in readme
    assert f"pip install dist/aws_compute-{version}-py3-none-any.whl" in readme
    for example in sorted(EXAMPLES.glob("*/requirements.txt")):
        assert f"aws-compute=={version}" in example.read_text().splitlines(), example


def test_the_readme_program_plans_tagged() -> None:
    section = (ROOT / "README.md").read_text().split("## Install and use the library\n", 1)[1]
    program = section.split("```python\n", 1)[1].split("```", 1)[0]
    plan = run(lambda: exec(program, {}), stack="dev", project="shop")
    assert plan.named("net-vpc").inputs["tags"] == {
        "Name": "net",
        "Environment": "prod",
        "ManagedBy": "pulumi",
        "Project": "shop",
        "Stack": "dev",
        "CostCenter": "42",
    }
    assert plan.outputs["vpcId"] == plan.named("net-vpc").id
