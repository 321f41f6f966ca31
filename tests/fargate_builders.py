"""Small Fargate programs shared by the Fargate tests: a cluster, an ALB, and one workload of each kind."""

from __future__ import annotations

import json
from typing import Any

from components import (
    ClusterRef,
    ContainerArgs,
    DockerBuild,
    EcsCluster,
    EcsClusterArgs,
    FargateService,
    FargateServiceArgs,
    HealthCheckArgs,
    ListenerAttachment,
    LoadBalancer,
    LoadBalancerArgs,
    QueueWorkload,
    RegistryImage,
    ScheduledCapacity,
    ScheduledJob,
    SecretRef,
    ServiceConnectArgs,
    ServiceScalingArgs,
    Statement,
    WebWorkload,
)
from offline import engine
from offline.engine import Plan

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api/db-AbCdEf"
PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/token"
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PINNED = "public.ecr.aws/docker/library/nginx:1.27.3"
PRIVATE_ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2"

CLUSTER_REF = ClusterRef(arn="arn:aws:ecs:us-east-1:123456789012:cluster/c", name="c", exec_log_group_arn="arn:x")
ATTACHMENT = ListenerAttachment(
    listener_arn="arn:listener", security_group_id="sg-alb", load_balancer_arn_suffix="app/a/b", base_url="https://x"
)


def lb_args(**overrides: Any) -> LoadBalancerArgs:
    base: dict[str, Any] = {
        "vpc_id": "vpc-1",
        "subnet_ids": ["subnet-a", "subnet-b"],
        "scheme": "internet-facing",
        "ingress_cidrs": ["0.0.0.0/0"],
        "certificate_arn": CERT,
    }
    return LoadBalancerArgs(**{**base, **overrides})


def container(**overrides: Any) -> ContainerArgs:
    base: dict[str, Any] = {"image": RegistryImage(uri=PINNED)}
    return ContainerArgs(**{**base, **overrides})


def web(**overrides: Any) -> WebWorkload:
    base: dict[str, Any] = {"listener": ATTACHMENT, "priority": 10, "path_patterns": ["/api/*"]}
    return WebWorkload(**{**base, **overrides})


def service_args(**overrides: Any) -> FargateServiceArgs:
    base: dict[str, Any] = {
        "cluster": CLUSTER_REF,
        "vpc_id": "vpc-1",
        "subnet_ids": ["subnet-p1", "subnet-p2"],
        "container": container(port=8080),
        "workload": web(),
    }
    return FargateServiceArgs(**{**base, **overrides})


def full_program() -> None:
    """Cluster + ALB + a web service, a worker (built image) and a scheduled job."""
    cluster = EcsCluster("ecs", EcsClusterArgs(service_connect_namespace="app.internal"))
    alb = LoadBalancer("alb", lb_args(access_logs_bucket="alb-logs-bucket", access_logs_prefix="alb"))
    namespace_arn = cluster.namespace_arn
    assert namespace_arn is not None  # the cluster above has a Service Connect namespace
    common: dict[str, Any] = {"cluster": cluster.ref(), "vpc_id": "vpc-1", "subnet_ids": ["subnet-p1", "subnet-p2"]}
    api = FargateService(
        "api",
        FargateServiceArgs(
            **common,
            ephemeral_storage_gib=30,
            task_role_statements=[
                Statement(sid="ReadBucket", actions=["s3:GetObject"], resources=["arn:aws:s3:::assets/*"])
            ],
            task_role_managed_policy_arns=["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"],
            container=container(
                port=8080,
                environment={"STAGE": "prod"},
                secrets={
                    "DB_PASSWORD": SecretRef(arn=SECRET, json_key="password"),
                    "API_TOKEN": SecretRef(arn=PARAMETER),
                },
                secrets_kms_key_arns=[KMS_KEY],
                health_check=HealthCheckArgs(command=["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]),
                user="1000:1000",
            ),
            workload=WebWorkload(
                listener=alb.attachment(),
                priority=10,
                path_patterns=["/api/*"],
                host_headers=["api.example.com"],
                scaling=ServiceScalingArgs(
                    requests_per_target=500,
                    schedules=[
                        ScheduledCapacity(
                            name="business-hours",
                            schedule="cron(0 7 ? * MON-FRI *)",
                            min_capacity=4,
                            max_capacity=10,
                            timezone="Europe/Paris",
                        )
                    ],
                ),
                service_connect=ServiceConnectArgs(namespace_arn=namespace_arn, dns_aliases=["api"]),
            ),
        ),
    )
    worker = FargateService(
        "worker",
        FargateServiceArgs(
            **common,
            execute_command=True,
            container=container(image=DockerBuild(context="app", tag="1.4.2"), read_only_root_filesystem=False),
            workload=QueueWorkload(
                scaling=ServiceScalingArgs(min_capacity=0, max_capacity=20, scale_in_cooldown=300),
                service_connect=ServiceConnectArgs(namespace_arn=namespace_arn, mode="client"),
            ),
        ),
    )
    api.allow_from("worker", worker.security_group_id)
    FargateService(
        "job",
        FargateServiceArgs(
            **common,
            container=container(image=RegistryImage(uri=PRIVATE_ECR)),
            workload=ScheduledJob(schedule="cron(0 2 * * ? *)"),
        ),
    )


def run_full() -> Plan:
    return engine.run(full_program)


def run_service(**overrides: Any) -> Plan:
    return engine.run(lambda: FargateService("svc", service_args(**overrides)))


def policy_of(plan: Plan, name: str) -> dict[str, Any]:
    return json.loads(plan.named(name).inputs["policy"])


def container_of(plan: Plan, task: str) -> dict[str, Any]:
    (definition,) = json.loads(plan.named(task).inputs["containerDefinitions"])
    return definition


def sid(policy: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in policy["Statement"] if s.get("Sid") == name)
