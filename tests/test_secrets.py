"""`secure:` values stay Pulumi secrets end to end, or are refused where AWS shows them;
secret-looking literals are refused in EC2 user data."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest

import stage
from offline import engine, stacks
from offline.__main__ import main
from offline.engine import Secret
from stage.secrets import secure_paths
from tests.program_copy import copy_program

_ADMIN = "arn:aws:iam::123456789012:role/admin"
_REFUSED = "Secure values are kept secret only in eks.secretsKmsKeyArn, autoscaling.*.rootVolume.kmsKeyId"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_program(tmp_path)


def test_secure_values_are_located_in_the_stack_file(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.s.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  aws:secretKey:\n    secure: v1:a\n  aws-compute:tags:\n"
        "    Owner:\n      secure: v1:b\n  aws-compute:autoscaling:\n    web:\n      egress:\n"
        "        - {port: 443, description: {secure: v1:c}}\n  environment:\n    secure: v1:d\n"
    )
    assert secure_paths(tmp_path / "Pulumi.s.yaml", "aws-compute") == [
        ("tags", "Owner"),
        ("autoscaling", "web", "egress", "0", "description"),
        ("environment",),
    ]
    assert secure_paths(tmp_path / "Pulumi.none.yaml", "aws-compute") is None


def test_secure_values_are_refused_where_aws_shows_them_with_the_reason() -> None:
    eks = {"clusterName": "x", "adminPrincipalArns": [_ADMIN], "compute": "autoMode"}
    values = {"tags": {"Owner": "x"}, "eks": eks}
    paths = [("tags", "Owner"), ("eks", "clusterName"), ("network", "azCount")]
    config, lines = stage.validate(values, secure=paths)
    assert config is None
    assert lines == [
        "aws-compute:tags.Owner: a secure value cannot stay secret here: AWS shows tags to anyone who can list the"
        f" resource, and in billing and cost reports. {_REFUSED}",
        "aws-compute:eks.clusterName: a secure value cannot stay secret here: names appear in ARNs, console lists,"
        f" logs and CloudTrail. {_REFUSED}",
        "aws-compute:network.azCount: a secure value cannot stay secret here: the program reads this key to decide"
        " which resources exist and how they are built, so its value shows in every plan and resource input."
        f" {_REFUSED}",
    ]


def test_a_secure_kms_key_reaches_the_component_as_a_secret_and_is_never_judged() -> None:
    values = {"eks": {"adminPrincipalArns": [_ADMIN], "compute": "autoMode", "secretsKmsKeyArn": "not-an-arn"}}

    def program() -> None:  # Outputs live in a Pulumi run
        config, lines = stage.validate(values, secure=[("eks", "secretsKmsKeyArn")])
        assert lines == [] and config is not None and config.eks is not None
        key = config.eks.secrets_kms_key_arn
        assert isinstance(key, pulumi.Output)
        # Exported, it must stay a secret: the engine records it as one.
        pulumi.export("key", key)

    plan = engine.run(program)
    assert isinstance(plan.outputs["key"], Secret)


def test_secure_values_are_secrets_in_plan_json_inputs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "Pulumi.s.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  aws-compute:network:\n    azCount: 2\n    natGateways: single\n"
        "  aws-compute:eks:\n    compute: autoMode\n    adminPrincipalArns: [arn:aws:iam::123456789012:role/admin]\n"
        "    secretsKmsKeyArn:\n      secure: v1:ciphertext\n"
    )
    assert main(["plan", "--stack", "s", "--project-dir", str(project), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    by_name = {r["name"]: r["inputs"] for r in plan["resources"]}
    assert by_name["eks-cluster"]["encryptionConfig"] == "[secret]"
    assert by_name["eks-cluster-secrets-key"]["policy"] == "[secret]"
    assert stacks.OFFLINE_SECRET not in json.dumps(plan)


def test_the_engine_passes_secure_values_as_secrets_to_any_program(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: consumer\nruntime: python\n")
    (tmp_path / "Pulumi.s.yaml").write_text("config:\n  token:\n    secure: v1:ciphertext\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi, pulumi_aws as aws\n"
        "token = pulumi.Config().require_secret('token')\n"
        "param = aws.ssm.Parameter('p', type='SecureString', value=token)\n"
        "pulumi.export('token', token)\npulumi.export('plain', pulumi.Config().get('token'))\n"
    )
    assert main(["plan", "--stack", "s", "--project-dir", str(tmp_path), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["resources"][0]["inputs"]["value"] == "[secret]"
    assert plan["outputs"] == {"token": "[secret]", "plain": stacks.OFFLINE_SECRET}


def test_secret_literals_in_user_data_are_refused() -> None:
    script = (
        "#!/bin/bash\nexport DB_PASSWORD=hunter2\nTOKEN=$(aws ssm get-parameter --name t)\nK=AKIAABCDEFGHIJKLMNOP\n"
    )
    group = {"architecture": "arm64", "instanceTypes": ["m7g.large"], "userData": script}
    assert stage.validate({"autoscaling": {"web": group}})[1] == [
        "aws-compute:autoscaling.web.userData: line 2 sets DB_PASSWORD to a literal secret; line 4 holds an AWS"
        " access key id: user data is readable by anyone who can describe the instance or its launch template;"
        " fetch secrets at boot (aws secretsmanager get-secret-value, aws ssm get-parameter --with-decryption)"
        " with a grant on the instance role"
    ]
