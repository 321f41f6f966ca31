"""FargateService, EcsCluster and LoadBalancer built together: exact properties, IAM and absences."""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws
import pytest

from components import (
    EgressRuleArgs,
    ExistingQueue,
    FargateService,
    LoadBalancer,
    QueueWorkload,
    RegistryImage,
    ServiceScalingArgs,
    existing_listener,
)
from components.ecr_image import DockerBuildSpec, image_tag
from offline import engine
from offline.engine import Plan
from tests.asg_helpers import ALB_SG, LISTENER_ARN
from tests.fargate_builders import (
    CERT,
    KMS_KEY,
    PARAMETER,
    SECRET,
    container,
    container_of,
    lb_args,
    policy_of,
    run_full,
    run_service,
    service_args,
    sid,
    web,
)
from tests.iam_checks import assert_least_privilege

SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return run_full()


def inputs(plan: Plan, name: str) -> dict[str, Any]:
    return plan.named(name).inputs


# ---------------------------------------------------------------- cluster
def test_cluster_has_container_insights_and_exec_logging(plan: Plan) -> None:
    cluster = inputs(plan, "ecs-cluster")
    assert cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    exec_config = cluster["configuration"]["executeCommandConfiguration"]
    assert exec_config["logging"] == "OVERRIDE"
    assert exec_config["logConfiguration"] == {"cloudWatchLogGroupName": plan.named("ecs-exec-logs").state["name"]}
    assert inputs(plan, "ecs-exec-logs")["retentionInDays"] == 365


def test_cluster_attaches_both_fargate_providers_with_an_on_demand_default(plan: Plan) -> None:
    providers = inputs(plan, "ecs-capacity-providers")
    assert providers["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    assert providers["defaultCapacityProviderStrategies"] == [{"capacityProvider": "FARGATE", "weight": 1, "base": 1}]


def test_cluster_service_connect_namespace_is_its_default(plan: Plan) -> None:
    namespace = plan.named("ecs-namespace")
    assert namespace.inputs["name"] == "app.internal"
    assert inputs(plan, "ecs-cluster")["serviceConnectDefaults"] == {"namespace": namespace.state["arn"]}


# ---------------------------------------------------------------- load balancer
def test_alb_is_hardened(plan: Plan) -> None:
    alb = inputs(plan, "alb-alb")
    assert {k: alb[k] for k in alb if k != "securityGroups"} == {
        "loadBalancerType": "application",
        "internal": False,
        "subnets": ["subnet-a", "subnet-b"],
        "dropInvalidHeaderFields": True,
        "enableHttp2": True,
        "enableDeletionProtection": True,
        "idleTimeout": 60,
        "accessLogs": {"bucket": "alb-logs-bucket", "prefix": "alb", "enabled": True},
    }


def test_https_listener_uses_tls13_policy_and_the_certificate(plan: Plan) -> None:
    https = inputs(plan, "alb-https")
    assert (https["port"], https["protocol"], https["sslPolicy"], https["certificateArn"]) == (
        443,
        "HTTPS",
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        CERT,
    )
    assert https["defaultActions"] == [
        {
            "type": "fixed-response",
            "fixedResponse": {"contentType": "text/plain", "messageBody": "Not Found", "statusCode": "404"},
        }
    ]


def test_http_listener_only_redirects_to_https(plan: Plan) -> None:
    http = inputs(plan, "alb-http")
    assert (http["port"], http["protocol"]) == (80, "HTTP")
    assert http["defaultActions"] == [
        {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}
    ]


def test_alb_ingress_is_only_its_listener_ports_from_the_configured_cidrs(plan: Plan) -> None:
    alb_sg = plan.named("alb-sg").id
    rules = [r.inputs for r in plan.of_type(SG_INGRESS) if r.inputs["securityGroupId"] == alb_sg]
    assert sorted((r["fromPort"], r["toPort"], r["cidrIpv4"]) for r in rules) == [
        (80, 80, "0.0.0.0/0"),
        (443, 443, "0.0.0.0/0"),
    ]


def test_http_only_dev_mode_forwards_plain_http_and_opens_port_80_only() -> None:

    plan = engine.run(lambda: LoadBalancer("alb", lb_args(listeners="httpOnlyDev", certificate_arn=None)))
    assert [r.name for r in plan.of_type("aws:lb/listener:Listener")] == ["alb-http"]
    assert inputs(plan, "alb-http")["defaultActions"][0]["type"] == "fixed-response"
    assert [r.inputs["fromPort"] for r in plan.of_type(SG_INGRESS)] == [80]


def test_internal_alb_without_access_logs_or_deletion_protection() -> None:

    plan = engine.run(
        lambda: LoadBalancer("alb", lb_args(scheme="internal", deletion_protection=False, ingress_cidrs=["10.0.0.0/8"]))
    )
    alb = inputs(plan, "alb-alb")
    assert (alb["internal"], alb["enableDeletionProtection"], "accessLogs" in alb) == (True, False, False)


# ---------------------------------------------------------------- task definition
def test_task_definition_is_arm64_awsvpc_fargate_with_ephemeral_storage(plan: Plan) -> None:
    task = inputs(plan, "api-task")
    assert {k: task[k] for k in ("family", "cpu", "memory", "networkMode", "requiresCompatibilities")} == {
        "family": "api",
        "cpu": "512",
        "memory": "1024",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
    }
    assert task["runtimePlatform"] == {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
    assert task["ephemeralStorage"] == {"sizeInGib": 30}
    assert task["executionRoleArn"] == plan.named("api-execution-role").state["arn"]
    assert task["taskRoleArn"] == plan.named("api-task-role").state["arn"]


def test_container_definition_has_port_env_secrets_health_logs_and_hardening(plan: Plan) -> None:
    definition = container_of(plan, "api-task")
    assert definition["portMappings"] == [
        {"name": "http", "containerPort": 8080, "protocol": "tcp", "appProtocol": "http"}
    ]
    assert definition["environment"] == [{"name": "STAGE", "value": "prod"}]
    assert definition["secrets"] == [
        {"name": "API_TOKEN", "valueFrom": PARAMETER},
        {"name": "DB_PASSWORD", "valueFrom": f"{SECRET}:password::"},
    ]
    assert definition["healthCheck"] == {
        "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
        "interval": 30,
        "timeout": 5,
        "retries": 3,
        "startPeriod": 60,
    }
    assert definition["logConfiguration"] == {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": plan.named("api-logs").state["name"],
            "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "app",
        },
    }
    assert (definition["user"], definition["readonlyRootFilesystem"], definition["essential"]) == (
        "1000:1000",
        True,
        True,
    )


def test_scratch_paths_become_task_bind_mounts_mounted_writable() -> None:
    plan = run_service(container=container(port=8080, scratch_paths=["/tmp", "/var/cache/app"]))
    assert inputs(plan, "svc-task")["volumes"] == [{"name": "scratch-0"}, {"name": "scratch-1"}]
    assert container_of(plan, "svc-task")["mountPoints"] == [
        {"sourceVolume": "scratch-0", "containerPath": "/tmp", "readOnly": False},
        {"sourceVolume": "scratch-1", "containerPath": "/var/cache/app", "readOnly": False},
    ]
    assert container_of(plan, "svc-task")["readonlyRootFilesystem"] is True


def test_no_scratch_paths_means_no_volumes_or_mounts(plan: Plan) -> None:
    assert "volumes" not in inputs(plan, "api-task")
    assert "mountPoints" not in container_of(plan, "api-task")


def test_log_group_is_the_components_own_with_retention(plan: Plan) -> None:
    assert inputs(plan, "api-logs") == {"retentionInDays": 365}


def test_x86_architecture_and_default_storage_are_knobs() -> None:
    plan = run_service(architecture="X86_64")
    task = inputs(plan, "svc-task")
    assert task["runtimePlatform"]["cpuArchitecture"] == "X86_64"
    assert "ephemeralStorage" not in task


# ---------------------------------------------------------------- image
def test_docker_build_pushes_to_a_scanned_immutable_repository(plan: Plan) -> None:
    repo = inputs(plan, "worker-repo")
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    image = inputs(plan, "worker-image")
    assert (image["context"], image["platform"]) == ("app", "linux/arm64")
    # The version, then the build hash: a changed build never reuses an immutable tag.
    assert image["imageTag"] == image_tag(DockerBuildSpec(context="app", platform="linux/arm64", version="1.4.2"))
    assert image["imageTag"].startswith("1.4.2-")
    assert image["repositoryUrl"] == plan.named("worker-repo").state["repositoryUrl"]
    assert container_of(plan, "worker-task")["image"] == plan.named("worker-image").state["imageUri"]


def test_repository_lifecycle_expires_untagged_and_keeps_the_last_images(plan: Plan) -> None:
    rules = json.loads(inputs(plan, "worker-repo-lifecycle")["policy"])["rules"]
    assert [
        (r["selection"]["tagStatus"], r["selection"]["countType"], r["selection"]["countNumber"]) for r in rules
    ] == [
        ("untagged", "sinceImagePushed", 7),
        ("any", "imageCountMoreThan", 30),
    ]


def test_registry_image_creates_no_repository(plan: Plan) -> None:
    assert [r.name for r in plan.of_type("aws:ecr/repository:Repository")] == ["worker-repo"]


def test_mutable_tag_warns_when_the_policy_is_warn() -> None:

    plan = run_service(container=container(port=8080, image=RegistryImage(uri="public.ecr.aws/nginx/nginx:latest")))
    assert len(plan.warnings) == 1
    assert "mutable tag" in plan.warnings[0]


def test_mutable_tag_is_silent_when_allowed_and_pinned_images_never_warn(plan: Plan) -> None:

    allowed = run_service(
        container=container(port=8080, image=RegistryImage(uri="nginx"), mutable_tags="allow"),
    )
    assert allowed.warnings == []
    assert plan.warnings == []


# ---------------------------------------------------------------- IAM
def test_execution_role_reads_exactly_its_secrets_and_kms_key(plan: Plan) -> None:
    policy = policy_of(plan, "api-execution-policy")
    assert sid(policy, "ReadSecrets")["Resource"] == [SECRET]
    assert sid(policy, "ReadParameters")["Resource"] == [PARAMETER]
    assert sid(policy, "DecryptSecrets")["Resource"] == [KMS_KEY]
    log_group_arn = plan.named("api-logs").state["arn"]
    assert sid(policy, "WriteLogs")["Resource"] == [f"{log_group_arn}:log-stream:*"]
    assert {s["Sid"] for s in policy["Statement"]} == {"WriteLogs", "ReadSecrets", "ReadParameters", "DecryptSecrets"}


def test_execution_role_pulls_only_from_its_repository(plan: Plan) -> None:
    worker = policy_of(plan, "worker-execution-policy")
    assert sid(worker, "PullImage")["Resource"] == [plan.named("worker-repo").state["arn"]]
    job = policy_of(plan, "job-execution-policy")
    assert sid(job, "PullImage")["Resource"] == ["arn:aws:ecr:us-east-1:123456789012:repository/api"]


def test_task_role_gets_configured_statements_and_managed_policies_only(plan: Plan) -> None:
    policy = policy_of(plan, "api-task-policy")
    assert policy["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::assets/*"], "Sid": "ReadBucket"}
    ]
    attachment = inputs(plan, "api-task-managed-AWSXRayDaemonWriteAccess")
    assert attachment["policyArn"] == "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"


def test_exec_adds_ssm_channels_and_session_logs_to_the_task_role(plan: Plan) -> None:
    policy = policy_of(plan, "worker-task-policy")
    assert sid(policy, "ExecChannels")["Action"] == [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
    ]
    exec_log_arn = plan.named("ecs-exec-logs").state["arn"]
    assert sid(policy, "ExecSessionLogs")["Resource"] == [f"{exec_log_arn}:log-stream:*"]
    assert "ExecChannels" not in {s.get("Sid") for s in policy_of(plan, "api-task-policy")["Statement"]}


def test_task_and_execution_roles_trust_only_ecs_tasks_of_this_account(plan: Plan) -> None:
    for role in ("api-execution-role", "api-task-role"):
        (statement,) = json.loads(inputs(plan, role)["assumeRolePolicy"])["Statement"]
        assert statement["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
        assert statement["Condition"] == {
            "StringEquals": {"aws:SourceAccount": "123456789012"},
            "ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*"},
        }


def test_a_service_without_grants_has_no_task_policy() -> None:
    plan = run_service()
    assert [r.name for r in plan.of_type("aws:iam/rolePolicy:RolePolicy")] == ["svc-execution-policy"]


def test_every_policy_is_least_privilege_and_parliament_clean(plan: Plan) -> None:
    policies = plan.of_type("aws:iam/rolePolicy:RolePolicy")
    assert len(policies) == 6  # 3 execution, 2 task (api, worker), 1 scheduler
    for policy in policies:
        assert_least_privilege(policy.inputs["policy"])


# ---------------------------------------------------------------- service
def test_web_service_runs_private_with_circuit_breaker_and_exec_off(plan: Plan) -> None:
    service = inputs(plan, "api-service")
    assert service["networkConfiguration"] == {
        "subnets": ["subnet-p1", "subnet-p2"],
        "securityGroups": [plan.named("api-sg").id],
        "assignPublicIp": False,
    }
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert {
        k: service[k]
        for k in (
            "desiredCount",
            "deploymentMinimumHealthyPercent",
            "deploymentMaximumPercent",
            "enableExecuteCommand",
            "enableEcsManagedTags",
            "propagateTags",
            "healthCheckGracePeriodSeconds",
            "platformVersion",
        )
    } == {
        "desiredCount": 2,
        "deploymentMinimumHealthyPercent": 100,
        "deploymentMaximumPercent": 200,
        "enableExecuteCommand": False,
        "enableEcsManagedTags": True,
        "propagateTags": "SERVICE",
        "healthCheckGracePeriodSeconds": 60,
        "platformVersion": "LATEST",
    }
    assert "launchType" not in service


def test_web_service_registers_its_container_in_the_target_group(plan: Plan) -> None:
    assert inputs(plan, "api-service")["loadBalancers"] == [
        {"targetGroupArn": plan.named("api-tg").state["arn"], "containerName": "app", "containerPort": 8080}
    ]


def test_services_force_a_deployment_so_their_capacity_strategy_can_change(plan: Plan) -> None:
    # UpdateService: "making a change to a capacity provider strategy on a service that is
    # already using one, you must force a new deployment" (the provider refuses the plan).
    assert inputs(plan, "api-service")["forceNewDeployment"] is True
    assert inputs(plan, "worker-service")["forceNewDeployment"] is True


def test_service_capacity_strategy_comes_from_args(plan: Plan) -> None:
    assert inputs(plan, "api-service")["capacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 1}
    ]


def test_target_group_uses_ip_targets_with_the_seeds_health_check(plan: Plan) -> None:
    tg = inputs(plan, "api-tg")
    assert {k: tg[k] for k in ("targetType", "protocol", "port", "deregistrationDelay", "slowStart", "vpcId")} == {
        "targetType": "ip",
        "protocol": "HTTP",
        "port": 8080,
        "deregistrationDelay": 30,
        "slowStart": 30,
        "vpcId": "vpc-1",
    }
    assert tg["healthCheck"] == {
        "enabled": True,
        "path": "/health",
        "protocol": "HTTP",
        "port": "traffic-port",
        "interval": 30,
        "timeout": 10,
        "healthyThreshold": 2,
        "unhealthyThreshold": 3,
        "matcher": "200",
    }


def test_listener_rule_routes_path_and_host_to_the_target_group(plan: Plan) -> None:
    rule = inputs(plan, "api-rule")
    assert rule["listenerArn"] == plan.named("alb-https").state["arn"]
    assert rule["priority"] == 10
    assert rule["conditions"] == [
        {"pathPattern": {"values": ["/api/*"]}},
        {"hostHeader": {"values": ["api.example.com"]}},
    ]
    assert rule["actions"] == [{"type": "forward", "targetGroupArn": plan.named("api-tg").state["arn"]}]


def test_alb_to_service_security_group_path_is_the_container_port_only(plan: Plan) -> None:
    alb_sg, api_sg = plan.named("alb-sg").id, plan.named("api-sg").id
    ingress = [r.inputs for r in plan.of_type(SG_INGRESS) if r.inputs["securityGroupId"] == api_sg]
    from_alb = [r for r in ingress if r.get("referencedSecurityGroupId") == alb_sg]
    assert [(r["ipProtocol"], r["fromPort"], r["toPort"]) for r in from_alb] == [("tcp", 8080, 8080)]
    egress = [r.inputs for r in plan.of_type(SG_EGRESS) if r.inputs["securityGroupId"] == alb_sg]
    assert [(r["referencedSecurityGroupId"], r["fromPort"], r["toPort"]) for r in egress] == [(api_sg, 8080, 8080)]


def test_web_service_on_an_existing_listener_has_no_url_but_scales_on_its_label() -> None:
    listener = existing_listener(LISTENER_ARN, ALB_SG)
    plan = run_service(workload=web(listener=listener, scaling=ServiceScalingArgs(requests_per_target=100)))
    assert "url" not in plan.component_outputs[plan.named("svc").urn]
    metric = plan.named("svc-scale-on-requests").inputs["targetTrackingScalingPolicyConfiguration"]
    tg_suffix = plan.named("svc-tg").state["arnSuffix"]
    assert metric["predefinedMetricSpecification"]["resourceLabel"] == f"app/shared/50dc6c495c0c9188/{tg_suffix}"


def test_no_task_security_group_admits_a_cidr(plan: Plan) -> None:
    alb_sg = plan.named("alb-sg").id
    for rule in plan.of_type(SG_INGRESS):
        if rule.inputs["securityGroupId"] != alb_sg:
            assert "cidrIpv4" not in rule.inputs and "cidrIpv6" not in rule.inputs, rule.name


def test_task_egress_is_https_anywhere_by_default(plan: Plan) -> None:
    api_sg = plan.named("api-sg").id
    rules = [r for r in plan.of_type(SG_EGRESS) if r.inputs["securityGroupId"] == api_sg]
    assert [(r.name, r.inputs) for r in rules] == [
        (
            "api-egress-tcp-443-0.0.0.0/0",
            {
                "securityGroupId": api_sg,
                "description": "HTTPS: image pulls, AWS APIs and dependencies",
                "ipProtocol": "tcp",
                "fromPort": 443,
                "toPort": 443,
                "cidrIpv4": "0.0.0.0/0",
            },
        )
    ]


def test_task_egress_names_each_destination_and_never_all_protocols() -> None:
    db = EgressRuleArgs(port=5432, security_group_id="sg-0123456789abcdef0", description="Orders database")
    ntp = EgressRuleArgs(port=123, protocol="udp", cidr="10.20.0.0/16", description="NTP")
    plan = run_service(egress=(EgressRuleArgs(port=443), db, ntp))
    rules = {r.name: r.inputs for r in plan.of_type(SG_EGRESS)}
    assert rules["svc-egress-tcp-5432-sg-0123456789abcdef0"] == {
        "securityGroupId": plan.named("svc-sg").id,
        "description": "Orders database",
        "ipProtocol": "tcp",
        "fromPort": 5432,
        "toPort": 5432,
        "referencedSecurityGroupId": "sg-0123456789abcdef0",
    }
    assert rules["svc-egress-udp-123-10.20.0.0/16"]["cidrIpv4"] == "10.20.0.0/16"
    assert all(r["ipProtocol"] != "-1" for r in rules.values())


def test_removing_an_egress_rule_renames_no_other() -> None:
    rules = (EgressRuleArgs(port=443), EgressRuleArgs(port=5432, cidr="10.0.0.0/16"), EgressRuleArgs(port=6379))
    names = [{r.name for r in run_service(egress=kept).of_type(SG_EGRESS)} for kept in (rules, rules[::2])]
    assert names[0] - names[1] == {"svc-egress-tcp-5432-10.0.0.0/16"}
    assert names[1] <= names[0]


def test_service_connect_caller_is_admitted_on_the_container_port(plan: Plan) -> None:
    rule = inputs(plan, "api-from-worker")
    assert (rule["securityGroupId"], rule["referencedSecurityGroupId"], rule["fromPort"]) == (
        plan.named("api-sg").id,
        plan.named("worker-sg").id,
        8080,
    )


def test_service_connect_server_publishes_its_port_with_aliases(plan: Plan) -> None:
    connect = inputs(plan, "api-service")["serviceConnectConfiguration"]
    assert connect["enabled"] is True
    assert connect["namespace"] == plan.named("ecs-namespace").state["arn"]
    assert connect["services"] == [
        {"portName": "http", "discoveryName": "api", "clientAlias": [{"port": 8080, "dnsName": "api"}]}
    ]
    assert connect["logConfiguration"]["options"]["awslogs-stream-prefix"] == "service-connect"


def test_service_connect_client_publishes_nothing(plan: Plan) -> None:
    assert "services" not in inputs(plan, "worker-service")["serviceConnectConfiguration"]


# ---------------------------------------------------------------- autoscaling
def test_scalable_target_bounds_the_service(plan: Plan) -> None:
    target = inputs(plan, "api-scaling-target")
    service = plan.named("api-service").state
    cluster = plan.named("ecs-cluster").state["name"]
    assert target == {
        "serviceNamespace": "ecs",
        "scalableDimension": "ecs:service:DesiredCount",
        "resourceId": f"service/{cluster}/{service['name']}",
        "minCapacity": 2,
        "maxCapacity": 10,
    }


def test_target_tracking_on_cpu_memory_and_requests_with_cooldowns(plan: Plan) -> None:
    cpu = inputs(plan, "api-scale-on-cpu")["targetTrackingScalingPolicyConfiguration"]
    memory = inputs(plan, "api-scale-on-memory")["targetTrackingScalingPolicyConfiguration"]
    requests = inputs(plan, "api-scale-on-requests")["targetTrackingScalingPolicyConfiguration"]
    assert (cpu["targetValue"], cpu["scaleInCooldown"], cpu["scaleOutCooldown"]) == (70, 60, 60)
    assert memory["targetValue"] == 80
    assert memory["predefinedMetricSpecification"] == {"predefinedMetricType": "ECSServiceAverageMemoryUtilization"}
    alb_suffix = plan.named("alb-alb").state["arnSuffix"]
    tg_suffix = plan.named("api-tg").state["arnSuffix"]
    assert requests["predefinedMetricSpecification"] == {
        "predefinedMetricType": "ALBRequestCountPerTarget",
        "resourceLabel": f"{alb_suffix}/{tg_suffix}",
    }


def test_scheduled_action_changes_capacity_in_its_timezone(plan: Plan) -> None:
    action = inputs(plan, "api-schedule-business-hours")
    assert (action["schedule"], action["timezone"], action["scalableTargetAction"]) == (
        "cron(0 7 ? * MON-FRI *)",
        "Europe/Paris",
        {"minCapacity": 4, "maxCapacity": 10},
    )


def test_disabled_target_tracking_policies_are_absent() -> None:

    plan = run_service(
        workload=web(scaling=ServiceScalingArgs(cpu_target=None, memory_target=None, requests_per_target=10))
    )
    assert [r.name for r in plan.of_type("aws:appautoscaling/policy:Policy")] == ["svc-scale-on-requests"]


# ---------------------------------------------------------------- worker
def test_worker_has_no_load_balancer_and_no_grace_period(plan: Plan) -> None:
    service = inputs(plan, "worker-service")
    assert "loadBalancers" not in service
    assert "healthCheckGracePeriodSeconds" not in service
    assert service["networkConfiguration"]["assignPublicIp"] is False


def test_worker_queue_is_encrypted_with_a_dead_letter_queue(plan: Plan) -> None:
    queue, dlq = inputs(plan, "worker-queue"), inputs(plan, "worker-dlq")
    assert queue["sqsManagedSseEnabled"] is True and dlq["sqsManagedSseEnabled"] is True
    assert json.loads(queue["redrivePolicy"]) == {
        "deadLetterTargetArn": plan.named("worker-dlq").state["arn"],
        "maxReceiveCount": 5,
    }
    assert (queue["visibilityTimeoutSeconds"], queue["messageRetentionSeconds"], dlq["messageRetentionSeconds"]) == (
        300,
        345600,
        1209600,
    )
    allow = json.loads(inputs(plan, "worker-dlq-sources")["redriveAllowPolicy"])
    assert allow == {"redrivePermission": "byQueue", "sourceQueueArns": [plan.named("worker-queue").state["arn"]]}


def test_worker_queues_refuse_requests_without_tls(plan: Plan) -> None:
    for role in ("queue", "dlq"):
        policy = inputs(plan, f"worker-{role}-tls-only")
        assert policy["queueUrl"] == plan.named(f"worker-{role}").state["url"]
        assert json.loads(policy["policy"])["Statement"] == [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sqs:*",
                "Resource": plan.named(f"worker-{role}").state["arn"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ]


def test_worker_consumes_only_its_queue_and_gets_its_url(plan: Plan) -> None:
    policy = policy_of(plan, "worker-task-policy")
    assert sid(policy, "ConsumeQueue")["Resource"] == [plan.named("worker-queue").state["arn"]]
    env = container_of(plan, "worker-task")["environment"]
    assert env == [{"name": "QUEUE_URL", "value": plan.named("worker-queue").state["url"]}]


def test_worker_tracks_backlog_per_running_task(plan: Plan) -> None:
    config = inputs(plan, "worker-scale-on-queue-backlog")["targetTrackingScalingPolicyConfiguration"]
    assert config["targetValue"] == 100
    assert (config["scaleInCooldown"], config["scaleOutCooldown"]) == (300, 60)
    queue_name = plan.named("worker-queue").state["name"]
    service_name = plan.named("worker-service").state["name"]
    assert config["customizedMetricSpecification"] == {
        "metrics": [
            {
                "id": "m1",
                "metricStat": {
                    "metric": {
                        "namespace": "AWS/SQS",
                        "metricName": "ApproximateNumberOfMessagesVisible",
                        "dimensions": [{"name": "QueueName", "value": queue_name}],
                    },
                    "stat": "Sum",
                },
                "returnData": False,
            },
            {
                "id": "m2",
                "metricStat": {
                    "metric": {
                        "namespace": "ECS/ContainerInsights",
                        "metricName": "RunningTaskCount",
                        "dimensions": [
                            {"name": "ClusterName", "value": plan.named("ecs-cluster").state["name"]},
                            {"name": "ServiceName", "value": service_name},
                        ],
                    },
                    "stat": "Average",
                },
                "returnData": False,
            },
            {"id": "e1", "expression": "m1 / m2", "label": "Visible messages per running task", "returnData": True},
        ]
    }
    assert inputs(plan, "worker-scaling-target")["minCapacity"] == 0


def test_worker_from_zero_starts_one_task_when_messages_wait_with_none_running(plan: Plan) -> None:
    policy = inputs(plan, "worker-scale-from-zero")
    assert policy["policyType"] == "StepScaling"
    assert policy["resourceId"] == inputs(plan, "worker-scaling-target")["resourceId"]
    assert policy["stepScalingPolicyConfiguration"] == {
        "adjustmentType": "ChangeInCapacity",
        "cooldown": 60,
        "metricAggregationType": "Maximum",
        "stepAdjustments": [{"metricIntervalLowerBound": "0", "scalingAdjustment": 1}],
    }
    alarm = inputs(plan, "worker-backlog-without-tasks")
    assert alarm["alarmActions"] == [plan.named("worker-scale-from-zero").state["arn"]]
    assert (alarm["comparisonOperator"], alarm["threshold"], alarm["evaluationPeriods"]) == (
        "GreaterThanOrEqualToThreshold",
        1,
        1,
    )
    assert alarm["treatMissingData"] == "notBreaching"
    queries = {q["id"]: q for q in alarm["metricQueries"]}
    assert queries["m1"]["metric"] == {
        "namespace": "AWS/SQS",
        "metricName": "ApproximateNumberOfMessagesVisible",
        "dimensions": {"QueueName": plan.named("worker-queue").state["name"]},
        "period": 60,
        "stat": "Maximum",
    }
    assert queries["m2"]["metric"] == {
        "namespace": "ECS/ContainerInsights",
        "metricName": "RunningTaskCount",
        "dimensions": {
            "ClusterName": plan.named("ecs-cluster").state["name"],
            "ServiceName": plan.named("worker-service").state["name"],
        },
        "period": 60,
        "stat": "Maximum",
    }
    assert queries["e1"]["expression"] == "IF(m1 > 0 AND FILL(m2, 0) == 0, 1, 0)"
    assert [q["returnData"] for q in alarm["metricQueries"]] == [False, False, True]


def test_worker_with_a_task_floor_has_no_scale_from_zero_path() -> None:
    plan = run_service(container=container(), workload=QueueWorkload(scaling=ServiceScalingArgs(min_capacity=1)))
    policies = [r.name for r in plan.of_type("aws:appautoscaling/policy:Policy")]
    assert policies == ["svc-scale-on-cpu", "svc-scale-on-memory", "svc-scale-on-queue-backlog"]
    assert plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") == []


def test_worker_on_an_existing_queue_creates_none_and_may_decrypt_its_key() -> None:

    arn = "arn:aws:sqs:eu-west-1:210987654321:orders"
    plan = run_service(
        container=container(),
        workload=QueueWorkload(queue=ExistingQueue(arn=arn, kms_key_arn=KMS_KEY)),
    )
    assert plan.of_type("aws:sqs/queue:Queue") == []
    policy = policy_of(plan, "svc-task-policy")
    assert sid(policy, "ConsumeQueue")["Resource"] == [arn]
    assert sid(policy, "DecryptQueue")["Resource"] == [KMS_KEY]
    env = container_of(plan, "svc-task")["environment"]
    assert env == [{"name": "QUEUE_URL", "value": "https://sqs.eu-west-1.amazonaws.com/210987654321/orders"}]


# ---------------------------------------------------------------- scheduled job
def test_job_has_no_service_and_a_schedule_running_its_task(plan: Plan) -> None:
    assert "job-service" not in {r.name for r in plan.resources}
    schedule = inputs(plan, "job-schedule")
    assert (schedule["scheduleExpression"], schedule["scheduleExpressionTimezone"], schedule["state"]) == (
        "cron(0 2 * * ? *)",
        "UTC",
        "ENABLED",
    )
    assert schedule["flexibleTimeWindow"] == {"mode": "OFF"}
    target = schedule["target"]
    assert target["arn"] == plan.named("ecs-cluster").state["arn"]
    assert target["roleArn"] == plan.named("job-scheduler-role").state["arn"]
    assert target["retryPolicy"] == {"maximumRetryAttempts": 2, "maximumEventAgeInSeconds": 3600}
    ecs = target["ecsParameters"]
    assert ecs["taskDefinitionArn"] == plan.named("job-task").state["arn"]
    assert ecs["networkConfiguration"] == {
        "subnets": ["subnet-p1", "subnet-p2"],
        "securityGroups": [plan.named("job-sg").id],
        "assignPublicIp": False,
    }
    assert (ecs["taskCount"], ecs["propagateTags"], "launchType" in ecs) == (1, "TASK_DEFINITION", False)


def test_scheduler_role_runs_only_the_family_and_passes_only_the_two_task_roles(plan: Plan) -> None:
    policy = policy_of(plan, "job-scheduler-policy")
    run = sid(policy, "RunJobTask")
    assert run["Action"] == ["ecs:RunTask"]
    assert run["Resource"] == ["arn:aws:ecs:us-east-1:123456789012:task-definition/job:*"]
    assert run["Condition"] == {"ArnEquals": {"ecs:cluster": plan.named("ecs-cluster").state["arn"]}}
    passing = sid(policy, "PassJobRoles")
    assert passing["Resource"] == [
        plan.named("job-execution-role").state["arn"],
        plan.named("job-task-role").state["arn"],
    ]
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    assert {s["Sid"] for s in policy["Statement"]} == {"RunJobTask", "TagJobTask", "PassJobRoles"}


def test_scheduler_role_trusts_the_scheduler_of_this_account(plan: Plan) -> None:
    (statement,) = json.loads(inputs(plan, "job-scheduler-role")["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Condition"] == {
        "StringEquals": {
            "aws:SourceAccount": "123456789012",
            "aws:SourceArn": "arn:aws:scheduler:us-east-1:123456789012:schedule-group/default",
        }
    }


# ---------------------------------------------------------------- outputs
def test_component_outputs_are_camel_case(plan: Plan) -> None:
    api = plan.named("api")
    outputs = plan.component_outputs[api.urn]
    assert outputs["url"] == plan.named("alb-alb").state["dnsName"].join(["https://", "/api/"])
    assert outputs["serviceName"] == plan.named("api-service").state["name"]
    assert outputs["serviceArn"] == plan.named("api-service").state["arn"]
    alb_outputs = plan.component_outputs[plan.named("alb").urn]
    assert alb_outputs["listenerArn"] == plan.named("alb-https").state["arn"]
    assert alb_outputs["securityGroupId"] == plan.named("alb-sg").id


def test_two_web_services_share_one_listener_through_their_own_rules() -> None:

    def program() -> None:
        alb = LoadBalancer("alb", lb_args())
        for name, priority, path in (("api", 10, "/api/*"), ("web", 20, "/*")):
            FargateService(
                name,
                service_args(workload=web(listener=alb.attachment(), priority=priority, path_patterns=[path])),
            )

    plan = engine.run(program)
    listener = plan.named("alb-https").state["arn"]
    rules = {r.name: r.inputs for r in plan.of_type("aws:lb/listenerRule:ListenerRule")}
    assert {name: (r["listenerArn"], r["priority"]) for name, r in rules.items()} == {
        "api-rule": (listener, 10),
        "web-rule": (listener, 20),
    }
    assert rules["api-rule"]["actions"][0]["targetGroupArn"] != rules["web-rule"]["actions"][0]["targetGroupArn"]
    alb_sg = plan.named("alb-sg").id
    egress = sorted(
        r.inputs["referencedSecurityGroupId"] for r in plan.of_type(SG_EGRESS) if r.inputs["securityGroupId"] == alb_sg
    )
    assert egress == sorted([plan.named("api-sg").id, plan.named("web-sg").id])


# ---------------------------------------------------------------- ordering the real engine enforces
def _explicit_dependencies(monkeypatch: pytest.MonkeyPatch, module: Any, class_name: str) -> dict[str, list[str]]:
    """Logical names of each `module.class_name` resource's explicit `depends_on`, as built."""
    recorded: dict[str, list[str]] = {}
    original = getattr(module, class_name)

    class Recording(original):  # type: ignore[valid-type, misc]
        def __init__(self, resource_name: str, *args: Any, opts: Any = None, **kwargs: Any) -> None:
            recorded[resource_name] = sorted(d._name for d in (opts.depends_on if opts else None) or [])
            super().__init__(resource_name, *args, opts=opts, **kwargs)

    monkeypatch.setattr(module, class_name, Recording)
    return recorded


def test_services_start_only_once_their_roles_are_granted_and_routed(monkeypatch: pytest.MonkeyPatch) -> None:
    # ECS starts tasks as soon as the service exists: a task launched before its execution
    # policy is attached cannot pull secrets or write logs and counts as a failed deployment.
    recorded = _explicit_dependencies(monkeypatch, aws.ecs, "Service")
    run_full()
    assert recorded == {
        "api-service": [
            "api-execution-policy",
            "api-rule",
            "api-task-managed-AWSXRayDaemonWriteAccess",
            "api-task-policy",
        ],
        "worker-service": ["worker-execution-policy", "worker-task-policy"],
    }


def test_schedules_run_only_once_the_scheduler_and_task_roles_are_granted(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = _explicit_dependencies(monkeypatch, aws.scheduler, "Schedule")
    run_full()
    assert recorded == {"job-schedule": ["job-execution-policy", "job-scheduler-policy"]}
