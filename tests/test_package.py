"""The installable package: what the wheel holds, what it depends on, and every example
project planned by the installed engine in a virtualenv outside the repository, from a folder
outside it, so nothing of the checkout is on `sys.path`: all of them in one warm process
through the console script's `main`, and one by the `aws-compute` command itself."""

from __future__ import annotations

import fcntl
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
from tests.installed import ROOT, Installed, installed_wheel, prune

pytestmark = pytest.mark.heavy

EXAMPLES = ROOT / "examples"
#: (example project, stack) for every stack file of every example.
EXAMPLE_PROJECT_STACKS = [
    (project.parent, stack_file.name[len("Pulumi.") : -len(".yaml")])
    for project in sorted(EXAMPLES.glob("*/Pulumi.yaml"))
    for stack_file in sorted(project.parent.glob("Pulumi.*.yaml"))
]
EXAMPLE_STACKS = [pytest.param(example, stack, id=example.name) for example, stack in EXAMPLE_PROJECT_STACKS]
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


#: The installed engine planning several projects in one warm process, through `main`, the
#: function the console script calls: argv lists by key in, each one's exit status and
#: output out.
_WARM_PLANS = """
import contextlib, io, json, sys
from aws_compute_offline.__main__ import main
results = {}
for key, argv in json.loads(sys.argv[1]).items():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    results[key] = {"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()}
print(json.dumps(results))
"""
#: Added right after an example's governance call: a bare instance that leaves IMDSv1 open.
_LEGACY_INSTANCE = (
    "import pulumi_aws\npulumi_aws.ec2.Instance('legacy', ami='ami-12345678', instance_type='t3.micro')\n"
)


def _plan_argv(project: Path, stack: str) -> list[str]:
    return ["plan", "--project-dir", str(project), "--stack", stack, "--json"]


def _with_legacy_instance(project: Path) -> Path:
    program = project / "__main__.py"
    source, count = re.subn(r"^(enable_governance\(.*\)\n)", rf"\1{_LEGACY_INSTANCE}", program.read_text(), flags=re.M)
    assert count == 1, f"{program} calls enable_governance(...) on one line, at the top level"
    program.write_text(source)
    return project


@pytest.fixture(scope="module")
def example_runs(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every example stack planned from the installed wheel, as it is (key `<example>/<stack>`)
    and with `_LEGACY_INSTANCE` (key `<example>/<stack>/legacy`), in one process run from a
    folder outside the repository, so nothing of the checkout is on `sys.path`."""
    folder = tmp_path_factory.mktemp("examples")
    argvs = {}
    for example, stack in EXAMPLE_PROJECT_STACKS:
        key = f"{example.name}/{stack}"
        argvs[key] = _plan_argv(shutil.copytree(example, folder / key), stack)
        legacy = _with_legacy_instance(shutil.copytree(example, folder / f"{key}/legacy"))
        argvs[f"{key}/legacy"] = _plan_argv(legacy, stack)
    done = subprocess.run(
        [installed.python, "-c", _WARM_PLANS, json.dumps(argvs)],
        cwd=folder,
        env=_isolated_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def test_examples_exist() -> None:
    assert {project.parent.name for project in EXAMPLES.glob("*/Pulumi.yaml")} >= {"webapp", "ec2-fleet"}


@pytest.mark.parametrize(("example", "stack"), EXAMPLE_STACKS)
def test_each_example_plans_tagged_and_clean_from_the_installed_wheel(
    example_runs: dict[str, dict[str, Any]], example: Path, stack: str
) -> None:
    result = example_runs[f"{example.name}/{stack}"]
    assert result["status"] == 0, result["stderr"]
    plan: dict[str, Any] = json.loads(result["stdout"])
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
    example_runs: dict[str, dict[str, Any]], example: Path, stack: str
) -> None:
    """A bare IMDSv1 instance added right after the example's governance call stops the plan."""
    result = example_runs[f"{example.name}/{stack}/legacy"]
    assert result["status"] == 1
    assert result["stderr"] == (
        "error: instance 'legacy' (aws:ec2/instance:Instance) must require IMDSv2: it does not set"
        " metadataOptions.httpTokens, so IMDSv1 stays open; set it to 'required'\n"
    )


def test_the_console_script_prints_and_exits_as_main_does(
    installed: Installed, example_runs: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """The installed `aws-compute` command, a process of its own, on the first example."""
    example, stack = EXAMPLE_PROJECT_STACKS[0]
    project = shutil.copytree(example, tmp_path / example.name)
    done = subprocess.run(
        [installed.console_script, *_plan_argv(project, stack)],
        cwd=tmp_path,
        env=_isolated_env(),
        capture_output=True,
        text=True,
    )
    expected = example_runs[f"{example.name}/{stack}"]
    assert (done.returncode, done.stderr) == (expected["status"], expected["stderr"]) == (0, "")
    assert json.loads(done.stdout)["resources"] == json.loads(expected["stdout"])["resources"]


def test_builds_of_other_inputs_are_pruned_unless_in_use(tmp_path: Path) -> None:
    for build in ("current", "used", "stale"):
        (tmp_path / build).mkdir()
        (tmp_path / f"{build}.lock").touch()
        (tmp_path / f"{build}.build").touch()
    with (tmp_path / "used.lock").open("a") as used:
        fcntl.flock(used, fcntl.LOCK_SH)  # another process's tests, running on it
        prune(tmp_path, keep="current")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "current",
        "current.build",
        "current.lock",
        "used",
        "used.build",
        "used.lock",
    ]


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
