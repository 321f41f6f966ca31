"""A stack file with one mistake of each class is reported in one run, every mistake at its
key path, with no traceback and nothing planned; README's example is what the plan prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.program_copy import copy_program, refused_plan

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
_SECTION = README.split("### A wrong stack file", 1)[1]
EXAMPLE_STACK_FILE = re.search(r"```yaml\n(.*?)```", _SECTION, re.S).group(1)  # type: ignore[union-attr]
EXAMPLE_ERROR = re.search(r"```text\n(.*?)```", _SECTION, re.S).group(1)  # type: ignore[union-attr]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_program(tmp_path)


def test_readme_example_is_what_the_plan_prints(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused_plan(project, EXAMPLE_STACK_FILE, capsys, stack="example") == EXAMPLE_ERROR


def test_one_mistake_of_each_class_is_reported_in_one_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long_path = "/" + "h" * 1024
    stack_file = f"""config:
  aws:region: us-east-1
  aws:regoin: us-west-2
  aws-compute:environment:
    secure: v1:AAAA
  aws-compute:network:
    azCount: three
    natGateways: none
  aws-compute:autoscaling:
    web: {{architecture: arm64, instanceTypes: [m7g.lage]}}
  aws-compute:services:
    loadBalancer: {{ingressCidrs: [10.0.0.0/8], listeners: httpOnlyDev}}
    services:
      api:
        container: {{image: {{uri: "public.ecr.aws/x/y:1.0"}}, port: 8080}}
        web: {{priority: 10, pathPatterns: ["/*"], health: {{path: "{long_path}"}}}}
"""
    assert refused_plan(project, stack_file, capsys, stack="example") == (
        "error: Pulumi.example.yaml has 6 stage-config problems; nothing was deployed:\n"
        "  - aws:regoin: unknown AWS provider key; did you mean 'aws:region'?\n"
        "  - aws-compute:environment: a secure value cannot stay secret here: it becomes the Environment tag, which"
        " AWS shows to anyone who can list a resource. Secure values are kept secret only in"
        " eks.secretsKmsKeyArn, autoscaling.*.rootVolume.kmsKeyId\n"
        "  - aws-compute:network.azCount: Input should be a valid integer, unable to parse string as an integer"
        " (got 'three')\n"
        "  - aws-compute:network.natGateways: private subnets route out through a NAT gateway, so 'none' leaves"
        " them without egress; choose 'single' or 'onePerAz', or declare those subnets isolated"
        " (tiers: [public, isolated])\n"
        "  - aws-compute:autoscaling.web.instanceTypes: 'm7g.lage' is not an EC2 instance type"
        " (did you mean 'm7g.large'?)\n"
        f"  - aws-compute:services.services.api.web.health.path: {long_path!r} is refused by AWS CreateTargetGroup"
        " HealthCheckPath: 1 to 1024 characters\n"
        "Fix them in Pulumi.example.yaml (or with `pulumi config set --path`) and run again.\n"
    )
