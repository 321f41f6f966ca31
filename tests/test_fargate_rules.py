"""Every Fargate validation rule, fed a bad value twice: to the component args (ValueError naming
the field) and to the stage config (`stage.validate` naming the YAML key path)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import stage
from components import (
    ArgsError,
    CapacityShare,
    DeploymentArgs,
    DockerBuild,
    EcsClusterArgs,
    EgressRuleArgs,
    ExistingQueue,
    HealthCheckArgs,
    NewQueue,
    QueueWorkload,
    RegistryImage,
    ScheduledCapacity,
    ScheduledJob,
    SecretRef,
    ServiceConnectArgs,
    ServiceScalingArgs,
    Statement,
    TargetHealthArgs,
)
from stage.services import LoadBalancerConfig
from tests import rule_cases
from tests.fargate_builders import CERT, PINNED, container, lb_args, service_args, web

NS = "arn:ns"
SM = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
DB_SG = "sg-0123456789abcdef0"
SSM = "arn:aws:ssm:us-east-1:123456789012:parameter/app/token"


def base_config() -> dict[str, Any]:
    """A valid `aws-compute:services` block with one workload of each kind."""
    return {
        "services": {
            "cluster": {"serviceConnectNamespace": "app.internal"},
            "loadBalancer": {"ingressCidrs": ["0.0.0.0/0"], "certificateArn": CERT},
            "services": {
                "api": {
                    "container": {"image": {"uri": PINNED}, "port": 8080},
                    "web": {"priority": 10, "pathPatterns": ["/*"], "serviceConnect": {"allowFrom": ["worker"]}},
                },
                "worker": {"container": {"image": {"uri": PINNED}}, "worker": {"serviceConnect": {"mode": "client"}}},
                "job": {"container": {"image": {"uri": PINNED}}, "job": {"schedule": "rate(1 day)"}},
            },
        }
    }


def patched(patch: dict[str, Any]) -> dict[str, Any]:
    """The base config with dotted camelCase paths set (a None value deletes the key)."""
    return rule_cases.patched(base_config(), "services", patch)


@dataclass(frozen=True)
class Rule:
    id: str
    build: Callable[[], object] | None
    """Builds the bad component args; None for rules that exist only in the stage config."""
    field: str
    """The args field the ValueError names."""
    patch: dict[str, Any]
    key: str
    """The key path after `aws-compute:services.`."""
    fragment: str


API = "services.api"
WORKER = "services.worker"
JOB = "services.job"


def svc(**kw: Any) -> Callable[[], object]:
    return lambda: service_args(**kw)


def web_svc(**kw: Any) -> Callable[[], object]:
    return lambda: service_args(workload=web(**kw))


def worker_svc(**kw: Any) -> Callable[[], object]:
    return lambda: service_args(container=container(), workload=QueueWorkload(**kw))


def job_svc(**kw: Any) -> Callable[[], object]:
    base = {"schedule": "rate(1 day)"}
    return lambda: service_args(container=container(), workload=ScheduledJob(**{**base, **kw}))


def image_svc(image: Any, **kw: Any) -> Callable[[], object]:
    return lambda: service_args(container=container(port=8080, image=image, **kw))


RULES = [
    # ---- task size (the Fargate table)
    Rule("cpu-not-fargate", svc(cpu=300), "cpu", {f"{API}.cpu": 300}, f"{API}.cpu", "not a Fargate CPU size"),
    Rule(
        "memory-not-valid-for-cpu",
        svc(cpu=256, memory=4096),
        "memory",
        {f"{API}.cpu": 256, f"{API}.memory": 4096},
        f"{API}.memory",
        "use one of 512, 1024, 2048",
    ),
    Rule(
        "ephemeral-storage-range",
        svc(ephemeral_storage_gib=250),
        "ephemeral_storage_gib",
        {f"{API}.ephemeralStorageGib": 250},
        f"{API}.ephemeralStorageGib",
        "outside 21-200",
    ),
    # ---- capacity strategy
    Rule("capacity-empty", svc(capacity=[]), "capacity", {f"{API}.capacity": []}, f"{API}.capacity", "empty"),
    Rule(
        "capacity-duplicate-provider",
        svc(capacity=[CapacityShare(provider="FARGATE"), CapacityShare(provider="FARGATE")]),
        "capacity",
        {f"{API}.capacity": [{"provider": "FARGATE"}, {"provider": "FARGATE"}]},
        f"{API}.capacity",
        "listed twice",
    ),
    Rule(
        "capacity-all-weights-zero",
        svc(capacity=[CapacityShare(provider="FARGATE", weight=0, base=1)]),
        "capacity",
        {f"{API}.capacity": [{"provider": "FARGATE", "weight": 0, "base": 1}]},
        f"{API}.capacity",
        "every weight is 0",
    ),
    Rule(
        "capacity-two-bases",
        svc(capacity=[CapacityShare(provider="FARGATE", base=1), CapacityShare(provider="FARGATE_SPOT", base=1)]),
        "capacity",
        {f"{API}.capacity": [{"provider": "FARGATE", "base": 1}, {"provider": "FARGATE_SPOT", "base": 1}]},
        f"{API}.capacity",
        "only one provider may have a base",
    ),
    Rule(
        "capacity-weight-range",
        svc(capacity=[CapacityShare(provider="FARGATE", weight=1001)]),
        "capacity[0].weight",
        {f"{API}.capacity": [{"provider": "FARGATE", "weight": 1001}]},
        f"{API}.capacity[0].weight",
        "outside 0-1000",
    ),
    Rule(
        "capacity-base-range",
        svc(capacity=[CapacityShare(provider="FARGATE", base=-1)]),
        "capacity[0].base",
        {f"{API}.capacity": [{"provider": "FARGATE", "base": -1}]},
        f"{API}.capacity[0].base",
        "outside 0-100000",
    ),
    Rule(
        "capacity-no-spot-base",
        svc(capacity=[CapacityShare(provider="FARGATE_SPOT", base=2)]),
        "capacity[0].base",
        {f"{API}.capacity": [{"provider": "FARGATE_SPOT", "base": 2}]},
        f"{API}.capacity[0].base",
        "FARGATE_SPOT must not carry the base",
    ),
    # ---- service-level
    Rule(
        "log-retention",
        svc(log_retention_days=10),
        "log_retention_days",
        {f"{API}.logRetentionDays": 10},
        f"{API}.logRetentionDays",
        "not a CloudWatch Logs retention period",
    ),
    Rule(
        "egress-needs-https",
        svc(egress=(EgressRuleArgs(port=5432, security_group_id=DB_SG),)),
        "egress",
        {f"{API}.egress": [{"port": 5432, "securityGroupId": DB_SG}]},
        f"{API}.egress",
        "no HTTPS (tcp 443) rule: tasks pull their image",
    ),
    Rule(
        "egress-one-destination",
        svc(egress=(EgressRuleArgs(port=443), EgressRuleArgs(port=5432, cidr="10.0.0.0/16", security_group_id=DB_SG))),
        "egress.1",
        {f"{API}.egress": [{"port": 443}, {"port": 5432, "cidr": "10.0.0.0/16", "securityGroupId": DB_SG}]},
        f"{API}.egress[1]",
        "name either cidr or security_group_id, not both",
    ),
    Rule(
        "egress-port-range",
        svc(egress=(EgressRuleArgs(port=443), EgressRuleArgs(port=70000))),
        "egress.1.port",
        {f"{API}.egress": [{"port": 443}, {"port": 70000}]},
        f"{API}.egress[1].port",
        "70000 is not a port; use 1-65535",
    ),
    Rule(
        "exec-needs-writable-root",
        svc(execute_command=True),
        "execute_command",
        {f"{API}.executeCommand": True},
        f"{API}.executeCommand",
        "readOnlyRootFilesystem to false",
    ),
    Rule(
        "task-statement-wildcard-action",
        svc(task_role_statements=[Statement(actions=["s3:*"], resources=["arn:aws:s3:::b/*"])]),
        "task_role_statements[0].actions",
        {f"{API}.taskRoleStatements": [{"actions": ["s3:*"], "resources": ["arn:aws:s3:::b/*"]}]},
        f"{API}.taskRoleStatements[0].actions",
        "without wildcards",
    ),
    Rule(
        "task-statement-no-actions",
        svc(task_role_statements=[Statement(actions=[], resources=["arn:aws:s3:::b/*"])]),
        "task_role_statements[0].actions",
        {f"{API}.taskRoleStatements": [{"actions": [], "resources": ["arn:aws:s3:::b/*"]}]},
        f"{API}.taskRoleStatements[0].actions",
        "empty",
    ),
    Rule(
        "task-statement-star-resource",
        svc(task_role_statements=[Statement(actions=["s3:GetObject"], resources=["*"])]),
        "task_role_statements[0].resources",
        {f"{API}.taskRoleStatements": [{"actions": ["s3:GetObject"], "resources": ["*"]}]},
        f"{API}.taskRoleStatements[0].resources",
        "scope it to ARNs",
    ),
    Rule(
        "task-statement-no-resources",
        svc(task_role_statements=[Statement(actions=["s3:GetObject"], resources=[])]),
        "task_role_statements[0].resources",
        {f"{API}.taskRoleStatements": [{"actions": ["s3:GetObject"], "resources": []}]},
        f"{API}.taskRoleStatements[0].resources",
        "empty",
    ),
    Rule(
        "managed-policy-arn",
        svc(task_role_managed_policy_arns=["ReadOnlyAccess"]),
        "task_role_managed_policy_arns",
        {f"{API}.taskRoleManagedPolicyArns": ["ReadOnlyAccess"]},
        f"{API}.taskRoleManagedPolicyArns",
        "not an IAM policy ARN",
    ),
    Rule(
        "managed-policy-too-broad",
        svc(task_role_managed_policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"]),
        "task_role_managed_policy_arns",
        {f"{API}.taskRoleManagedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
        f"{API}.taskRoleManagedPolicyArns",
        "beyond least privilege",
    ),
    Rule(
        "web-needs-port",
        svc(container=container()),
        "container.port",
        {f"{API}.container.port": None, f"{API}.web.serviceConnect": None, f"{WORKER}.worker.serviceConnect": None},
        f"{API}.container.port",
        "needs the port the ALB forwards to",
    ),
    Rule(
        "job-has-no-port",
        lambda: service_args(workload=ScheduledJob(schedule="rate(1 day)")),
        "container.port",
        {f"{JOB}.container.port": 8080},
        f"{JOB}.container.port",
        "receives no traffic",
    ),
    # ---- container
    Rule(
        "port-range",
        svc(container=container(port=70000)),
        "container.port",
        {f"{API}.container.port": 70000},
        f"{API}.container.port",
        "not a TCP port",
    ),
    Rule(
        "scratch-path-relative",
        svc(container=container(port=8080, scratch_paths=["tmp"])),
        "container.scratch_paths",
        {f"{API}.container.scratchPaths": ["tmp"]},
        f"{API}.container.scratchPaths",
        "'tmp' is not an absolute directory",
    ),
    Rule(
        "scratch-path-root",
        svc(container=container(port=8080, scratch_paths=["/"])),
        "container.scratch_paths",
        {f"{API}.container.scratchPaths": ["/"]},
        f"{API}.container.scratchPaths",
        "'/' is not an absolute directory",
    ),
    Rule(
        "scratch-path-dot-dot",
        svc(container=container(port=8080, scratch_paths=["/tmp/../etc"])),
        "container.scratch_paths",
        {f"{API}.container.scratchPaths": ["/tmp/../etc"]},
        f"{API}.container.scratchPaths",
        "'/tmp/../etc' is not an absolute directory",
    ),
    Rule(
        "scratch-path-twice",
        svc(container=container(port=8080, scratch_paths=["/tmp", "/tmp"])),
        "container.scratch_paths",
        {f"{API}.container.scratchPaths": ["/tmp", "/tmp"]},
        f"{API}.container.scratchPaths",
        "listed twice",
    ),
    Rule(
        "scratch-path-count",
        svc(container=container(port=8080, scratch_paths=[f"/s{i}" for i in range(9)])),
        "container.scratch_paths",
        {f"{API}.container.scratchPaths": [f"/s{i}" for i in range(9)]},
        f"{API}.container.scratchPaths",
        "9 paths: mount at most 8",
    ),
    Rule(
        "image-uri-shape",
        image_svc(RegistryImage(uri="Not An Image")),
        "container.image.uri",
        {f"{API}.container.image": {"uri": "Not An Image"}},
        f"{API}.container.image.uri",
        "not an image reference",
    ),
    Rule(
        "mutable-tag-rejected",
        image_svc(RegistryImage(uri="public.ecr.aws/nginx/nginx:latest"), mutable_tags="reject"),
        "container.image.uri",
        {"mutableImageTags": "reject", f"{API}.container.image": {"uri": "public.ecr.aws/nginx/nginx:latest"}},
        f"{API}.container.image.uri",
        "mutable tag",
    ),
    Rule(
        "build-tag-immutable",
        image_svc(DockerBuild(context="app", tag="latest")),
        "container.image.tag",
        {f"{API}.container.image": {"context": "app", "tag": "latest"}},
        f"{API}.container.image.tag",
        "immutable-tag repository",
    ),
    Rule(
        "build-keep-images",
        image_svc(DockerBuild(context="app", tag="1.0", keep_images=0)),
        "container.image.keep_images",
        {f"{API}.container.image": {"context": "app", "tag": "1.0", "keepImages": 0}},
        f"{API}.container.image.keepImages",
        "keep 1-1000",
    ),
    Rule(
        "env-name",
        svc(container=container(port=8080, environment={"1BAD": "x"})),
        "container.environment",
        {f"{API}.container.environment": {"1BAD": "x"}},
        f"{API}.container.environment",
        "not a variable name",
    ),
    Rule(
        "env-secret-name",
        svc(container=container(port=8080, environment={"DB_PASSWORD": "hunter2"})),
        "container.environment",
        {f"{API}.container.environment": {"DB_PASSWORD": "hunter2"}},
        f"{API}.container.environment",
        "under `secrets`",
    ),
    Rule(
        "env-secret-value",
        svc(container=container(port=8080, environment={"AWS_ID": "AKIAABCDEFGHIJKLMNOP"})),
        "container.environment",
        {f"{API}.container.environment": {"AWS_ID": "AKIAABCDEFGHIJKLMNOP"}},
        f"{API}.container.environment",
        "looks like a secret",
    ),
    Rule(
        "env-secret-url-password",
        svc(container=container(port=8080, environment={"DB_URL": "postgres://app:hunter2@db:5432/app"})),
        "container.environment",
        {f"{API}.container.environment": {"DB_URL": "postgres://app:hunter2@db:5432/app"}},
        f"{API}.container.environment",
        "a URL with a password",
    ),
    Rule(
        "env-secret-random-token",
        svc(container=container(port=8080, environment={"BLOB": "q8Zr2LmX9vTb4NcW7yKp3HdF6sJg1QeA5uRo0Vi"})),
        "container.environment",
        {f"{API}.container.environment": {"BLOB": "q8Zr2LmX9vTb4NcW7yKp3HdF6sJg1QeA5uRo0Vi"}},
        f"{API}.container.environment",
        "a random key or token",
    ),
    Rule(
        "env-and-secret-overlap",
        svc(container=container(port=8080, environment={"DB": "x"}, secrets={"DB": SecretRef(arn=SM)})),
        "container.secrets",
        {f"{API}.container.environment": {"DB": "x"}, f"{API}.container.secrets": {"DB": {"arn": SM}}},
        f"{API}.container.secrets",
        "define each variable once",
    ),
    Rule(
        "secret-arn",
        svc(container=container(port=8080, secrets={"DB": SecretRef(arn="db-password")})),
        "container.secrets",
        {f"{API}.container.secrets": {"DB": {"arn": "db-password"}}},
        f"{API}.container.secrets",
        "neither a Secrets Manager secret ARN",
    ),
    Rule(
        "ssm-has-no-json-key",
        svc(container=container(port=8080, secrets={"TOKEN": SecretRef(arn=SSM, json_key="k")})),
        "container.secrets",
        {f"{API}.container.secrets": {"TOKEN": {"arn": SSM, "jsonKey": "k"}}},
        f"{API}.container.secrets",
        "no JSON keys",
    ),
    Rule(
        "secrets-kms-key-arn",
        svc(container=container(port=8080, secrets_kms_key_arns=["alias/x"])),
        "container.secrets_kms_key_arns",
        {f"{API}.container.secretsKmsKeyArns": ["alias/x"]},
        f"{API}.container.secretsKmsKeyArns",
        "not a KMS key ARN",
    ),
    Rule(
        "health-check-command",
        svc(container=container(port=8080, health_check=HealthCheckArgs(command=["curl"]))),
        "container.health_check.command",
        {f"{API}.container.healthCheck": {"command": ["curl"]}},
        f"{API}.container.healthCheck.command",
        "CMD or CMD-SHELL",
    ),
    Rule(
        "health-check-range",
        svc(container=container(port=8080, health_check=HealthCheckArgs(command=["CMD", "true"], retries=11))),
        "container.health_check.retries",
        {f"{API}.container.healthCheck": {"command": ["CMD", "true"], "retries": 11}},
        f"{API}.container.healthCheck.retries",
        "outside 1-10",
    ),
    Rule(
        # ECS RegisterTaskDefinition takes 2-60 s (the ALB's 2-120 does not apply to containers).
        "health-check-timeout-range",
        svc(
            container=container(
                port=8080, health_check=HealthCheckArgs(command=["CMD", "true"], interval=300, timeout=61)
            )
        ),
        "container.health_check.timeout",
        {f"{API}.container.healthCheck": {"command": ["CMD", "true"], "interval": 300, "timeout": 61}},
        f"{API}.container.healthCheck.timeout",
        "61 is outside 2-60",
    ),
    Rule(
        "health-check-timeout-below-interval",
        svc(
            container=container(port=8080, health_check=HealthCheckArgs(command=["CMD", "true"], interval=5, timeout=5))
        ),
        "container.health_check.timeout",
        {f"{API}.container.healthCheck": {"command": ["CMD", "true"], "interval": 5, "timeout": 5}},
        f"{API}.container.healthCheck.timeout",
        "less than the interval",
    ),
    Rule(
        "user-not-root",
        svc(container=container(port=8080, user="root")),
        "container.user",
        {f"{API}.container.user": "root"},
        f"{API}.container.user",
        "runs as root",
    ),
    # ---- web workload
    Rule(
        "priority-range",
        web_svc(priority=0),
        "workload.priority",
        {f"{API}.web.priority": 0},
        f"{API}.web.priority",
        "outside 1-50000",
    ),
    Rule(
        "route-something",
        web_svc(path_patterns=[]),
        "workload.path_patterns",
        {f"{API}.web.pathPatterns": []},
        f"{API}.web.pathPatterns",
        "route something",
    ),
    Rule(
        "at-most-five-condition-values",
        web_svc(path_patterns=["/a", "/b", "/c"], host_headers=["a.com", "b.com", "c.com"]),
        "workload.path_patterns",
        {f"{API}.web.pathPatterns": ["/a", "/b", "/c"], f"{API}.web.hostHeaders": ["a.com", "b.com", "c.com"]},
        f"{API}.web.pathPatterns",
        "at most 5",
    ),
    Rule(
        "path-starts-with-slash",
        web_svc(path_patterns=["api/*"]),
        "workload.path_patterns",
        {f"{API}.web.pathPatterns": ["api/*"]},
        f"{API}.web.pathPatterns",
        "must start with /",
    ),
    Rule(
        "host-header",
        web_svc(host_headers=["bad host"]),
        "workload.host_headers",
        {f"{API}.web.hostHeaders": ["bad host"]},
        f"{API}.web.hostHeaders",
        "not a host name",
    ),
    Rule(
        "target-health-range",
        web_svc(health=TargetHealthArgs(healthy_threshold=1)),
        "workload.health.healthy_threshold",
        {f"{API}.web.health": {"healthyThreshold": 1}},
        f"{API}.web.health.healthyThreshold",
        "outside 2-10",
    ),
    Rule(
        "target-health-timeout",
        web_svc(health=TargetHealthArgs(interval=10, timeout=10)),
        "workload.health.timeout",
        {f"{API}.web.health": {"interval": 10, "timeout": 10}},
        f"{API}.web.health.timeout",
        "less than the interval",
    ),
    Rule(
        "target-health-path",
        web_svc(health=TargetHealthArgs(path="health")),
        "workload.health.path",
        {f"{API}.web.health": {"path": "health"}},
        f"{API}.web.health.path",
        "must start with /",
    ),
    Rule(
        "target-health-matcher",
        web_svc(health=TargetHealthArgs(matcher="ok")),
        "workload.health.matcher",
        {f"{API}.web.health": {"matcher": "ok"}},
        f"{API}.web.health.matcher",
        "not like 200",
    ),
    Rule(
        "slow-start",
        web_svc(health=TargetHealthArgs(slow_start=10)),
        "workload.health.slow_start",
        {f"{API}.web.health": {"slowStart": 10}},
        f"{API}.web.health.slowStart",
        "0 (off) or 30-900",
    ),
    Rule(
        "deregistration-delay",
        web_svc(health=TargetHealthArgs(deregistration_delay=4000)),
        "workload.health.deregistration_delay",
        {f"{API}.web.health": {"deregistrationDelay": 4000}},
        f"{API}.web.health.deregistrationDelay",
        "outside 0-3600",
    ),
    Rule(
        "grace-period",
        web_svc(health_check_grace_period=-1),
        "workload.health_check_grace_period",
        {f"{API}.web.healthCheckGracePeriod": -1},
        f"{API}.web.healthCheckGracePeriod",
        "outside 0-7200",
    ),
    # ---- scaling and deployment
    Rule(
        "web-min-capacity",
        web_svc(scaling=ServiceScalingArgs(min_capacity=0)),
        "workload.scaling.min_capacity",
        {f"{API}.web.scaling": {"minCapacity": 0}},
        f"{API}.web.scaling.minCapacity",
        "below 1",
    ),
    Rule(
        "max-below-min",
        web_svc(scaling=ServiceScalingArgs(min_capacity=5, max_capacity=3)),
        "workload.scaling.max_capacity",
        {f"{API}.web.scaling": {"minCapacity": 5, "maxCapacity": 3}},
        f"{API}.web.scaling.maxCapacity",
        "below minCapacity",
    ),
    Rule(
        "tracking-target-range",
        web_svc(scaling=ServiceScalingArgs(cpu_target=99)),
        "workload.scaling.cpu_target",
        {f"{API}.web.scaling": {"cpuTarget": 99}},
        f"{API}.web.scaling.cpuTarget",
        "outside 10-95",
    ),
    Rule(
        "requests-per-target-positive",
        web_svc(scaling=ServiceScalingArgs(requests_per_target=0)),
        "workload.scaling.requests_per_target",
        {f"{API}.web.scaling": {"requestsPerTarget": 0}},
        f"{API}.web.scaling.requestsPerTarget",
        "at least 1",
    ),
    Rule(
        "cooldown-range",
        web_svc(scaling=ServiceScalingArgs(scale_in_cooldown=4000)),
        "workload.scaling.scale_in_cooldown",
        {f"{API}.web.scaling": {"scaleInCooldown": 4000}},
        f"{API}.web.scaling.scaleInCooldown",
        "outside 0-3600",
    ),
    Rule(
        "scheduled-names-unique",
        web_svc(
            scaling=ServiceScalingArgs(
                schedules=[ScheduledCapacity(name="a", schedule="rate(1 day)", min_capacity=1, max_capacity=2)] * 2
            )
        ),
        "workload.scaling.schedules",
        {
            f"{API}.web.scaling": {
                "schedules": [{"name": "a", "schedule": "rate(1 day)", "minCapacity": 1, "maxCapacity": 2}] * 2
            }
        },
        f"{API}.web.scaling.schedules",
        "share a name",
    ),
    Rule(
        # The name starts the autonamed Application Auto Scaling action: AWS refuses `:`, `/`, `|`.
        "scheduled-name-charset",
        web_svc(
            scaling=ServiceScalingArgs(
                schedules=[ScheduledCapacity(name="9:00", schedule="rate(1 day)", min_capacity=1, max_capacity=2)]
            )
        ),
        "workload.scaling.schedules[0].name",
        {
            f"{API}.web.scaling": {
                "schedules": [{"name": "9:00", "schedule": "rate(1 day)", "minCapacity": 1, "maxCapacity": 2}]
            }
        },
        f"{API}.web.scaling.schedules[0].name",
        "'9:00': use 1-100 letters, digits, - or _",
    ),
    Rule(
        "scheduled-expression",
        web_svc(
            scaling=ServiceScalingArgs(
                schedules=[ScheduledCapacity(name="a", schedule="daily", min_capacity=1, max_capacity=2)]
            )
        ),
        "workload.scaling.schedules[0].schedule",
        {f"{API}.web.scaling": {"schedules": [{"name": "a", "schedule": "daily", "minCapacity": 1, "maxCapacity": 2}]}},
        f"{API}.web.scaling.schedules[0].schedule",
        "not a schedule",
    ),
    Rule(
        "scheduled-timezone",
        web_svc(
            scaling=ServiceScalingArgs(
                schedules=[
                    ScheduledCapacity(
                        name="a", schedule="rate(1 day)", min_capacity=1, max_capacity=2, timezone="Mars/Base"
                    )
                ]
            )
        ),
        "workload.scaling.schedules[0].timezone",
        {
            f"{API}.web.scaling": {
                "schedules": [
                    {
                        "name": "a",
                        "schedule": "rate(1 day)",
                        "minCapacity": 1,
                        "maxCapacity": 2,
                        "timezone": "Mars/Base",
                    }
                ]
            }
        },
        f"{API}.web.scaling.schedules[0].timezone",
        "not an IANA time zone",
    ),
    Rule(
        "scheduled-bounds",
        web_svc(
            scaling=ServiceScalingArgs(
                schedules=[ScheduledCapacity(name="a", schedule="rate(1 day)", min_capacity=3, max_capacity=2)]
            )
        ),
        "workload.scaling.schedules[0]",
        {
            f"{API}.web.scaling": {
                "schedules": [{"name": "a", "schedule": "rate(1 day)", "minCapacity": 3, "maxCapacity": 2}]
            }
        },
        f"{API}.web.scaling.schedules[0]",
        "0 <= minCapacity <= maxCapacity",
    ),
    Rule(
        "deployment-min-healthy-range",
        web_svc(deployment=DeploymentArgs(min_healthy_percent=101)),
        "workload.deployment.min_healthy_percent",
        {f"{API}.web.deployment": {"minHealthyPercent": 101}},
        f"{API}.web.deployment.minHealthyPercent",
        "outside 0-100",
    ),
    Rule(
        "deployment-max-range",
        web_svc(deployment=DeploymentArgs(max_percent=250)),
        "workload.deployment.max_percent",
        {f"{API}.web.deployment": {"maxPercent": 250}},
        f"{API}.web.deployment.maxPercent",
        "outside 100-200",
    ),
    Rule(
        "deployment-can-progress",
        web_svc(deployment=DeploymentArgs(min_healthy_percent=100, max_percent=100)),
        "workload.deployment.max_percent",
        {f"{API}.web.deployment": {"minHealthyPercent": 100, "maxPercent": 100}},
        f"{API}.web.deployment.maxPercent",
        "no new task could ever start",
    ),
    # ---- service connect
    Rule(
        "service-connect-server-needs-port",
        worker_svc(service_connect=ServiceConnectArgs(namespace_arn=NS)),
        "workload.service_connect.mode",
        {f"{WORKER}.worker.serviceConnect": {"mode": "clientServer"}},
        f"{WORKER}.worker.serviceConnect.mode",
        "publishes the container port",
    ),
    Rule(
        "service-connect-client-publishes-nothing",
        web_svc(service_connect=ServiceConnectArgs(namespace_arn=NS, mode="client", dns_aliases=["api"])),
        "workload.service_connect",
        {f"{WORKER}.worker.serviceConnect": {"mode": "client", "dnsAliases": ["w"]}},
        f"{WORKER}.worker.serviceConnect",
        "publishes nothing",
    ),
    Rule(
        "service-connect-dns-alias",
        web_svc(service_connect=ServiceConnectArgs(namespace_arn=NS, dns_aliases=["Bad_Alias"])),
        "workload.service_connect.dns_aliases",
        {f"{API}.web.serviceConnect": {"dnsAliases": ["Bad_Alias"]}},
        f"{API}.web.serviceConnect.dnsAliases",
        "not a DNS name",
    ),
    # ---- worker
    Rule(
        "worker-has-no-request-scaling",
        worker_svc(scaling=ServiceScalingArgs(requests_per_target=100)),
        "workload.scaling.requests_per_target",
        {f"{WORKER}.worker.scaling": {"requestsPerTarget": 100}},
        f"{WORKER}.worker.scaling.requestsPerTarget",
        "has no ALB",
    ),
    Rule(
        "backlog-per-task-target",
        worker_svc(target_backlog_per_task=0),
        "workload.target_backlog_per_task",
        {f"{WORKER}.worker.targetBacklogPerTask": 0},
        f"{WORKER}.worker.targetBacklogPerTask",
        "at least 1 message per task",
    ),
    Rule(
        "existing-queue-arn",
        worker_svc(queue=ExistingQueue(arn="orders")),
        "workload.queue.arn",
        {f"{WORKER}.worker.queue": {"arn": "orders"}},
        f"{WORKER}.worker.queue.arn",
        "not an SQS queue ARN",
    ),
    Rule(
        "existing-queue-kms-arn",
        worker_svc(queue=ExistingQueue(arn="arn:aws:sqs:us-east-1:123456789012:q", kms_key_arn="k")),
        "workload.queue.kms_key_arn",
        {f"{WORKER}.worker.queue": {"arn": "arn:aws:sqs:us-east-1:123456789012:q", "kmsKeyArn": "k"}},
        f"{WORKER}.worker.queue.kmsKeyArn",
        "not a KMS key ARN",
    ),
    Rule(
        "new-queue-range",
        worker_svc(queue=NewQueue(visibility_timeout=50000)),
        "workload.queue.visibility_timeout",
        {f"{WORKER}.worker.queue": {"visibilityTimeout": 50000}},
        f"{WORKER}.worker.queue.visibilityTimeout",
        "outside 0-43200",
    ),
    # ---- job
    Rule(
        "job-schedule",
        job_svc(schedule="every day"),
        "workload.schedule",
        {f"{JOB}.job.schedule": "every day"},
        f"{JOB}.job.schedule",
        "not a schedule",
    ),
    Rule(
        "job-cron-question-mark",
        job_svc(schedule="cron(0 2 * * * *)"),
        "workload.schedule",
        {f"{JOB}.job.schedule": "cron(0 2 * * * *)"},
        f"{JOB}.job.schedule",
        "must be '?'",
    ),
    Rule(
        "job-rate-unit",
        job_svc(schedule="rate(1 hours)"),
        "workload.schedule",
        {f"{JOB}.job.schedule": "rate(1 hours)"},
        f"{JOB}.job.schedule",
        "rate(1 hour)",
    ),
    Rule(
        "job-rate-zero",
        job_svc(schedule="rate(0 hours)"),
        "workload.schedule",
        {f"{JOB}.job.schedule": "rate(0 hours)"},
        f"{JOB}.job.schedule",
        "at least 1",
    ),
    Rule(
        "job-cron-five-fields",
        job_svc(schedule="cron(0 2 * * ?)"),
        "workload.schedule",
        {f"{JOB}.job.schedule": "cron(0 2 * * ?)"},
        f"{JOB}.job.schedule",
        "cron takes 6 fields",
    ),
    Rule(
        "job-cron-bad-field",
        job_svc(schedule="cron(0 2am * * ? *)"),
        "workload.schedule",
        {f"{JOB}.job.schedule": "cron(0 2am * * ? *)"},
        f"{JOB}.job.schedule",
        "hours field '2am' is invalid",
    ),
    Rule(
        "job-cron-two-question-marks",
        job_svc(schedule="cron(0 2 ? * ? *)"),
        "workload.schedule",
        {f"{JOB}.job.schedule": "cron(0 2 ? * ? *)"},
        f"{JOB}.job.schedule",
        "exactly one of day-of-month and day-of-week",
    ),
    Rule(
        "job-timezone",
        job_svc(timezone="Nowhere"),
        "workload.timezone",
        {f"{JOB}.job.timezone": "Nowhere"},
        f"{JOB}.job.timezone",
        "not an IANA time zone",
    ),
    Rule(
        "job-task-count",
        job_svc(task_count=11),
        "workload.task_count",
        {f"{JOB}.job.taskCount": 11},
        f"{JOB}.job.taskCount",
        "outside 1-10",
    ),
    # ---- load balancer
    Rule(
        "alb-ingress-required",
        lambda: lb_args(ingress_cidrs=[]),
        "ingress_cidrs",
        {"loadBalancer.ingressCidrs": []},
        "loadBalancer.ingressCidrs",
        "list the CIDRs",
    ),
    Rule(
        "alb-ingress-cidr",
        lambda: lb_args(ingress_cidrs=["everyone"]),
        "ingress_cidrs",
        {"loadBalancer.ingressCidrs": ["everyone"]},
        "loadBalancer.ingressCidrs",
        "not a CIDR block",
    ),
    Rule(
        "alb-https-needs-certificate",
        lambda: lb_args(certificate_arn=None),
        "certificate_arn",
        {"loadBalancer.certificateArn": None},
        "loadBalancer.certificateArn",
        "httpOnlyDev",
    ),
    Rule(
        "alb-certificate-arn",
        lambda: lb_args(certificate_arn="my-cert"),
        "certificate_arn",
        {"loadBalancer.certificateArn": "my-cert"},
        "loadBalancer.certificateArn",
        "not an ACM ARN",
    ),
    Rule(
        "alb-http-only-has-no-certificate",
        lambda: lb_args(listeners="httpOnlyDev"),
        "certificate_arn",
        {"loadBalancer.listeners": "httpOnlyDev"},
        "loadBalancer.certificateArn",
        "remove the certificate",
    ),
    Rule(
        "alb-tls12-plus",
        lambda: lb_args(ssl_policy="ELBSecurityPolicy-2016-08"),
        "ssl_policy",
        {"loadBalancer.sslPolicy": "ELBSecurityPolicy-2016-08"},
        "loadBalancer.sslPolicy",
        "not a TLS 1.2+ policy",
    ),
    Rule(
        "alb-idle-timeout",
        lambda: lb_args(idle_timeout=0),
        "idle_timeout",
        {"loadBalancer.idleTimeout": 0},
        "loadBalancer.idleTimeout",
        "outside 1-4000",
    ),
    Rule(
        "alb-log-bucket",
        lambda: lb_args(access_logs_bucket="Bad_Bucket"),
        "access_logs_bucket",
        {"loadBalancer.accessLogsBucket": "Bad_Bucket"},
        "loadBalancer.accessLogsBucket",
        "not an S3 bucket name",
    ),
    Rule(
        "alb-log-prefix-needs-bucket",
        lambda: lb_args(access_logs_prefix="alb"),
        "access_logs_prefix",
        {"loadBalancer.accessLogsPrefix": "alb"},
        "loadBalancer.accessLogsPrefix",
        "set accessLogsBucket",
    ),
    # ---- cluster
    Rule(
        "cluster-namespace",
        lambda: EcsClusterArgs(service_connect_namespace="Not A Name"),
        "service_connect_namespace",
        {"cluster.serviceConnectNamespace": "Not A Name"},
        "cluster.serviceConnectNamespace",
        "not a DNS name",
    ),
    Rule(
        "cluster-exec-log-retention",
        lambda: EcsClusterArgs(exec_log_retention_days=2),
        "exec_log_retention_days",
        {"cluster.execLogRetentionDays": 2},
        "cluster.execLogRetentionDays",
        "not a CloudWatch Logs retention period",
    ),
    Rule(
        "cluster-default-capacity",
        lambda: EcsClusterArgs(default_capacity=[CapacityShare(provider="FARGATE_SPOT", base=1)]),
        "default_capacity[0].base",
        {"cluster.defaultCapacity": [{"provider": "FARGATE_SPOT", "base": 1}]},
        "cluster.defaultCapacity[0].base",
        "FARGATE_SPOT must not carry the base",
    ),
    # ---- rules that exist only in the stage config (wiring between workloads)
    Rule(
        "one-kind",
        None,
        "",
        {f"{JOB}.web": {"priority": 3, "pathPatterns": ["/j"]}},
        JOB,
        "exactly one of web, worker or job",
    ),
    Rule("no-kind", None, "", {f"{JOB}.job": None}, JOB, "exactly one of web, worker or job"),
    Rule(
        "image-uri-or-context",
        None,
        "",
        {f"{API}.container.image": {"uri": PINNED, "context": "app"}},
        f"{API}.container.image",
        "exactly one of uri",
    ),
    Rule(
        "build-needs-tag",
        None,
        "",
        {f"{API}.container.image": {"context": "app"}},
        f"{API}.container.image.tag",
        "needs a version tag",
    ),
    Rule(
        "uri-takes-no-build-fields",
        None,
        "",
        {f"{API}.container.image": {"uri": PINNED, "tag": "1.0"}},
        f"{API}.container.image",
        "apply to builds",
    ),
    Rule(
        "existing-queue-has-no-create-fields",
        None,
        "",
        {f"{WORKER}.worker.queue": {"arn": "arn:aws:sqs:us-east-1:123456789012:q", "maxReceiveCount": 3}},
        f"{WORKER}.worker.queue",
        "configured where it lives",
    ),
    Rule(
        "created-queue-has-no-kms-key",
        None,
        "",
        {f"{WORKER}.worker.queue": {"kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/abc"}},
        f"{WORKER}.worker.queue.kmsKeyArn",
        "SQS-managed encryption",
    ),
    Rule("web-needs-alb", None, "", {"loadBalancer": None}, f"{API}.web", "configure loadBalancer"),
    Rule(
        "service-connect-needs-namespace",
        None,
        "",
        {"cluster.serviceConnectNamespace": None},
        f"{API}.web.serviceConnect",
        "needs cluster.serviceConnectNamespace",
    ),
    Rule(
        "allow-from-known-service",
        None,
        "",
        {f"{API}.web.serviceConnect": {"allowFrom": ["ghost"]}},
        f"{API}.web.serviceConnect.allowFrom",
        "'ghost' is not a service",
    ),
    Rule(
        "allow-from-needs-server",
        None,
        "",
        {f"{WORKER}.worker.serviceConnect": {"mode": "client", "allowFrom": ["api"]}},
        f"{WORKER}.worker.serviceConnect.allowFrom",
        "only a clientServer can be called",
    ),
    Rule(
        "unique-priorities",
        None,
        "",
        {
            "services.web2": {
                "container": {"image": {"uri": PINNED}, "port": 80},
                "web": {"priority": 10, "pathPatterns": ["/b"]},
            }
        },
        "services.web2.web.priority",
        "priority 10 is also used by aws-compute:services.services.api.web.priority on the same listener",
    ),
    Rule(
        "service-name",
        None,
        "",
        {
            "services.this-name-is-too-long": {
                "container": {"image": {"uri": PINNED}},
                "job": {"schedule": "rate(1 day)"},
            }
        },
        "services.this-name-is-too-long",
        "1-16 lowercase",
    ),
]


def test_the_base_config_is_valid() -> None:
    config, lines = stage.validate(base_config())
    assert lines == []
    assert config is not None and set(config.services.services) == {"api", "worker", "job"}


@pytest.mark.parametrize("rule", [r for r in RULES if r.build is not None], ids=lambda r: r.id)
def test_args_rule_names_the_field(rule: Rule) -> None:
    assert rule.build is not None
    with pytest.raises(ArgsError) as error:
        rule.build()
    matching = [p for p in error.value.problems if p.field == rule.field]
    assert matching, f"no problem on {rule.field}: {error.value}"
    assert any(rule.fragment in p.message for p in matching), str(error.value)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_stage_rule_names_the_key(rule: Rule) -> None:
    config, lines = stage.validate(patched(rule.patch))
    assert config is None
    prefix = f"aws-compute:services.{rule.key}: "
    assert any(line.startswith(prefix) and rule.fragment in line for line in lines), lines


def test_memory_error_lists_the_valid_values_for_8_vcpu() -> None:
    _, lines = stage.validate(patched({f"{API}.cpu": 8192, f"{API}.memory": 20000}))
    assert lines == [
        "aws-compute:services.services.api.memory: 20000 MiB is not valid with 8192 CPU units; use one of"
        " 16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440"
    ]


def test_every_problem_is_reported_at_once() -> None:
    _, lines = stage.validate(
        patched({f"{API}.cpu": 300, f"{JOB}.job.schedule": "daily", "loadBalancer.idleTimeout": 0})
    )
    assert len(lines) == 3


def test_unknown_service_key_suggests_the_right_one() -> None:
    _, lines = stage.validate(patched({f"{API}.memmory": 512}))
    assert lines == [
        "aws-compute:services.services.api.memmory: unknown key; did you mean 'memory'? allowed keys: cpu, memory,"
        " architecture, ephemeralStorageGib, capacity, placement, executeCommand, logRetentionDays, egress,"
        " taskRoleStatements,"
        " taskRoleManagedPolicyArns, container, web, worker, job"
    ]


def test_patched_does_not_mutate_the_base() -> None:
    before = copy.deepcopy(base_config())
    patched({f"{API}.cpu": 1})
    assert base_config() == before


def test_alb_subnets_follow_the_scheme() -> None:

    public, private = ["subnet-pub"], ["subnet-priv"]
    internal = LoadBalancerConfig.model_validate({"ingressCidrs": ["10.0.0.0/8"], "certificateArn": CERT})
    facing = LoadBalancerConfig.model_validate(
        {"scheme": "internet-facing", "ingressCidrs": ["0.0.0.0/0"], "certificateArn": CERT}
    )
    assert internal.to_args(vpc_id="v", public_subnet_ids=public, private_subnet_ids=private).subnet_ids == private
    assert facing.to_args(vpc_id="v", public_subnet_ids=public, private_subnet_ids=private).subnet_ids == public


def test_the_old_total_queue_depth_key_is_refused_with_the_allowed_keys() -> None:
    _, lines = stage.validate(patched({f"{WORKER}.worker.targetVisibleMessages": 100}))
    assert lines == [
        f"aws-compute:services.{WORKER}.worker.targetVisibleMessages: unknown key; allowed keys: scaling, deployment,"
        " serviceConnect, queue, targetBacklogPerTask"
    ]
