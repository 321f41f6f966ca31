"""The stack file itself: read as strictly as the Pulumi CLI, misspelled namespaces and
provider keys refused, and a file that configures nothing of ours stopped with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

import stage
from offline import stacks
from offline.stack_file import StackFileError, load_yaml
from tests.program_copy import copy_program, refused_plan


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_program(tmp_path)


def test_broken_yaml_names_the_file_and_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused_plan(project, "config:\n  aws:region: us-east-1\n  aws-compute:network:\n    azCount: [2\n", capsys)
    assert err == (
        "error: Pulumi.t.yaml has 1 problem; nothing was run:\n"
        "  - Pulumi.t.yaml:5:1: not valid YAML: expected ',' or ']', but got '<stream end>'\n"
        "Fix the file and run again.\n"
    )


def test_duplicate_keys_are_refused_with_both_lines(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused_plan(
        project,
        "config:\n  aws-compute:network:\n    azCount: 2\n    natGateways: single\n    azCount: 3\n"
        "  aws-compute:network:\n    azCount: 4\n",
        capsys,
    )
    assert err == (
        "error: Pulumi.t.yaml has 2 problems; nothing was run:\n"
        "  - Pulumi.t.yaml:5: key 'azCount' repeats the key on line 3; YAML allows each key once per mapping"
        " (the Pulumi CLI refuses the file); keep one\n"
        "  - Pulumi.t.yaml:6: key 'aws-compute:network' repeats the key on line 2; YAML allows each key once per"
        " mapping (the Pulumi CLI refuses the file); keep one\n"
        "Fix the file and run again.\n"
    )


def test_unknown_top_level_key_and_malformed_config_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused_plan(project, "confg:\n  aws:region: us-east-1\nconfig:\n  aws:compute:network: {}\n", capsys)
    assert err == (
        "error: Pulumi.t.yaml has 2 problems; nothing was run:\n"
        "  - Pulumi.t.yaml:1: unknown top-level key 'confg'; did you mean 'config'? allowed: config,"
        " secretsprovider, encryptedkey, encryptionsalt, environment\n"
        "  - Pulumi.t.yaml:4: config key 'aws:compute:network' is not of the form <namespace>:<name>"
        " (e.g. aws:region)\n"
        "Fix the file and run again.\n"
    )


def test_project_file_is_read_strictly_too(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: a\nname: b\n")
    with pytest.raises(StackFileError, match=r"Pulumi.yaml:2: key 'name' repeats the key on line 1"):
        load_yaml(tmp_path / "Pulumi.yaml")


def test_an_empty_stack_file_stops_with_the_fix(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused_plan(project, "config:\n  aws:region: eu-west-1\n", capsys)
    assert err == (
        "error: Pulumi.t.yaml has 1 stage-config problem; nothing was deployed:\n"
        "  - aws-compute: no key of the aws-compute: namespace is set, so this stage would be the default network"
        " (3 AZs, a NAT gateway per AZ) and nothing else; configure at least one area, e.g."
        " `pulumi config set --path 'aws-compute:network.azCount' 2`\n"
        "Fix them in Pulumi.t.yaml (or with `pulumi config set --path`) and run again.\n"
    )


def test_a_misspelled_namespace_and_provider_key_are_refused_with_did_you_mean() -> None:
    keys = ["aws-compte:network", "aws:regoin", "aws-compute:network", "pulumi:template", "awsx:x", "kubernetes:a"]
    assert stage.validate({"network": {}}, keys=keys) == (
        None,
        [
            "aws-compte:network: unknown namespace 'aws-compte', so nothing reads this key;"
            " did you mean 'aws-compute:network'?",
            "aws:regoin: unknown AWS provider key; did you mean 'aws:region'?",
        ],
    )


def test_keys_without_namespace_belong_to_the_project() -> None:
    assert stacks.stack_config("dev")[0]["aws-compute:network"]["azCount"] == 2
