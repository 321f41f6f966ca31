"""The building blocks Lambda and Fargate share: secret references, queues, ECR builds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from components import (
    AlarmTopic,
    AlarmTopicArgs,
    AsyncInvokeArgs,
    EventBus,
    EventBusArgs,
    ImageCode,
    LambdaFunction,
    LambdaFunctionArgs,
    SqsTriggerArgs,
    ZipCode,
)
from components.ecr_image import DockerBuildSpec, build_hash, image_tag
from components.governance import policy_rules as rules
from components.secret_refs import READ_ACTIONS, SecretReader, looks_secret, secret_read_statements
from offline import fixtures
from offline.engine import Plan, run
from tests.iam_checks import assert_least_privilege

API = ZipCode(path="functions/api", handler="handler.handler", runtime="python3.13")
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/app/token"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


# ---------------------------------------------------------------- secrets
def test_a_reference_in_a_secret_named_variable_is_no_secret() -> None:
    assert not looks_secret("DB_PASSWORD_ARN", SECRET)
    assert looks_secret("DB_PASSWORD_ARN", "arn:not-really")


@pytest.mark.parametrize("reader", ["ecs", "application"])
def test_secret_statements_read_exactly_the_named_arns(reader: SecretReader) -> None:
    found = {s.sid: s for s in secret_read_statements([SECRET, PARAMETER, SECRET], reader=reader, kms_key_arns=[KEY])}
    assert found["ReadSecrets"].resources == [SECRET]
    assert found["ReadParameters"].resources == [PARAMETER]
    assert found["DecryptSecrets"].resources == [KEY]
    assert tuple(found["ReadSecrets"].actions) == READ_ACTIONS[reader]["secretsmanager"]


@pytest.mark.parametrize("reader", ["ecs", "application"])
def test_a_secret_named_without_its_random_suffix_is_granted_with_the_suffix_wildcard(reader: SecretReader) -> None:
    # IAM matches the secret's full ARN (name + "-" + 6 random characters): the partial ARN
    # alone would match nothing and every read would be AccessDenied.
    partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db"
    (statement,) = secret_read_statements([partial], reader=reader)
    assert statement.resources == [f"{partial}-??????"]
    grant = {"Effect": "Allow", "Action": list(statement.actions), "Resource": list(statement.resources)}
    assert_least_privilege({"Version": "2012-10-17", "Statement": [grant]})


def test_the_ecs_agent_only_fetches_while_applications_may_also_describe() -> None:
    assert READ_ACTIONS["ecs"] == {"secretsmanager": ("secretsmanager:GetSecretValue",), "ssm": ("ssm:GetParameters",)}
    assert "secretsmanager:DescribeSecret" in READ_ACTIONS["application"]["secretsmanager"]


def test_no_secrets_grant_nothing() -> None:
    assert secret_read_statements([], reader="ecs") == []


def test_secret_statements_refuse_an_arn_of_another_kind() -> None:
    with pytest.raises(ValueError, match="not a Secrets Manager secret or SSM parameter ARN"):
        secret_read_statements(["arn:aws:s3:::bucket"], reader="application")


# ---------------------------------------------------------------- queues
@pytest.fixture(scope="module")
def queues() -> Plan:
    args = LambdaFunctionArgs(
        code=API, sqs=SqsTriggerArgs(), async_invoke=AsyncInvokeArgs(on_failure="deadLetterQueue")
    )
    return run(lambda: LambdaFunction("fn", args))


@pytest.mark.parametrize("queue", ["fn-queue", "fn-dlq", "fn-failures"])
def test_lambda_queues_refuse_requests_without_tls(queues: Plan, queue: str) -> None:
    policy = queues.named(f"{queue}-tls-only").inputs
    assert policy["queueUrl"] == queues.named(queue).state["url"]
    (statement,) = json.loads(policy["policy"])["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Resource"] == queues.named(queue).state["arn"]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_lambda_dlq_accepts_redrives_only_from_its_queue(queues: Plan) -> None:
    allow = json.loads(queues.named("fn-dlq-sources").inputs["redriveAllowPolicy"])
    assert allow == {"redrivePermission": "byQueue", "sourceQueueArns": [queues.named("fn-queue").state["arn"]]}


def test_lambda_failure_queue_keeps_failed_events_14_days_encrypted(queues: Plan) -> None:
    assert queues.named("fn-failures").inputs == {"messageRetentionSeconds": 1_209_600, "sqsManagedSseEnabled": True}


def test_lambda_created_queue_long_polls(queues: Plan) -> None:
    assert queues.named("fn-queue").inputs["receiveWaitTimeSeconds"] == 20


# ---------------------------------------------------------------- ECR builds
def _context(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "app" / "main.py").write_text("print('v1')\n")
    return tmp_path / "app"


def test_a_changed_build_gets_a_new_tag_and_an_unchanged_one_keeps_it(tmp_path: Path) -> None:
    spec = DockerBuildSpec(context=str(_context(tmp_path)), platform="linux/arm64", version="1.4.2")
    first = image_tag(spec)
    assert image_tag(spec) == first
    assert first.startswith("1.4.2-") and len(first) == len("1.4.2-") + 12
    (tmp_path / "app" / "main.py").write_text("print('v2')\n")
    assert image_tag(spec) != first


def test_platform_and_target_are_part_of_the_build_hash(tmp_path: Path) -> None:
    context = str(_context(tmp_path))
    hashes = {
        build_hash(DockerBuildSpec(context=context, platform="linux/arm64")),
        build_hash(DockerBuildSpec(context=context, platform="linux/amd64")),
        build_hash(DockerBuildSpec(context=context, platform="linux/arm64", target="runtime")),
    }
    assert len(hashes) == 3


def test_git_metadata_does_not_change_the_tag(tmp_path: Path) -> None:
    spec = DockerBuildSpec(context=str(_context(tmp_path)), platform="linux/arm64")
    before = image_tag(spec)
    (tmp_path / "app" / ".git").mkdir()
    (tmp_path / "app" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert image_tag(spec) == before


@pytest.fixture()
def lambda_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Plan:
    _context(tmp_path)
    monkeypatch.chdir(tmp_path)
    return run(lambda: LambdaFunction("fn", LambdaFunctionArgs(code=ImageCode(build_context="app"))))


def test_lambda_builds_go_to_an_immutable_scanned_repository_with_a_lifecycle(lambda_build: Plan) -> None:
    repository = lambda_build.named("fn-repo").inputs
    assert repository["imageTagMutability"] == "IMMUTABLE"
    assert repository["imageScanningConfiguration"] == {"scanOnPush": True}
    rules_ = json.loads(lambda_build.named("fn-repo-lifecycle").inputs["policy"])["rules"]
    assert [r["selection"]["tagStatus"] for r in rules_] == ["untagged", "any"]
    violations = rules.check([(r.type, r.name, r.inputs) for r in lambda_build.resources if r.custom])
    assert violations == []


def test_lambda_image_tag_is_the_build_hash(lambda_build: Plan) -> None:
    tag = lambda_build.named("fn-image").inputs["imageTag"]
    assert tag == image_tag(DockerBuildSpec(context="app", platform="linux/arm64"))


def test_lambda_secret_grants_pass_the_least_privilege_checks() -> None:
    args = LambdaFunctionArgs(code=API, secrets={"DB": SECRET, "TOKEN": PARAMETER})
    plan = run(lambda: LambdaFunction("fn", args))
    assert_least_privilege(plan.named("fn-policy").inputs["policy"])


# ---------------------------------------------------------------- account scope
_LOOKUPS = ("getPartition", "getRegion", "getCallerIdentity")


def _lookups_of(program: Callable[[], object]) -> list[str]:
    """The account lookups `program` invokes, each time it invokes one, sorted."""
    called: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        for lookup in _LOOKUPS:
            token = f"aws:index/{lookup[0].lower()}{lookup[1:]}:{lookup}"
            answer = fixtures._INVOKES[token]

            def recorded(region: str, args: dict[str, Any], lookup: str = lookup, answer: Any = answer) -> Any:
                called.append(lookup)
                return answer(region, args)

            patch.setitem(fixtures._INVOKES, token, recorded)
        run(program)
    return sorted(called)


def test_a_component_looks_up_only_what_its_arns_need_and_each_once() -> None:
    shared = EventBusArgs(put_events_account_ids=["210987654321"])
    assert _lookups_of(lambda: EventBus("bus", shared)) == ["getPartition"]
    assert _lookups_of(lambda: EventBus("bus", EventBusArgs())) == []
    assert _lookups_of(lambda: AlarmTopic("alarms", AlarmTopicArgs())) == sorted(_LOOKUPS)
