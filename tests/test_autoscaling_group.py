"""AutoScalingGroup: exact resources and inputs, built offline from args."""

from __future__ import annotations

import base64
import json

import pytest

from components import (
    Architecture,
    AutoScalingGroup,
    CloudWatchAgentArgs,
    GroupScalingArgs,
    InstanceRequirementsArgs,
    LifecycleHookArgs,
    PredictiveScalingArgs,
    RootVolumeArgs,
    ScheduledActionArgs,
    WarmPoolArgs,
)
from components.autoscaling_group.resources import GROUP_METRICS, al2023_ami_parameter
from offline import fixtures
from offline.engine import Plan, run
from tests.asg_helpers import ALB_SG, POLICY, SCHEDULE, build, group_args, load_balancer
from tests.iam_checks import assert_least_privilege, statements


@pytest.fixture(scope="module")
def plan() -> Plan:
    """The default group: on-demand Graviton, CPU target tracking, no load balancer."""
    return build()


@pytest.fixture(scope="module")
def attached() -> Plan:
    """A group behind an ALB listener, scaling on CPU and requests."""
    return build(load_balancer=load_balancer(port=8080), scaling=GroupScalingArgs(requests_per_target=800))


def _ami(architecture: Architecture) -> str:
    return fixtures.invoke(
        "aws:ssm/getParameter:getParameter", {"name": al2023_ami_parameter(architecture)}, "us-east-1"
    )["value"]


def test_default_group_has_exactly_these_children(plan: Plan) -> None:
    component = plan.named("web")
    assert component.type == "aws-compute:autoscaling_group:AutoScalingGroup"
    assert sorted((r.type, r.name) for r in plan.children(component)) == [
        ("aws:autoscaling/group:Group", "web-asg"),
        ("aws:autoscaling/policy:Policy", "web-cpu"),
        ("aws:ec2/launchTemplate:LaunchTemplate", "web-lt"),
        ("aws:ec2/securityGroup:SecurityGroup", "web-sg"),
        ("aws:iam/instanceProfile:InstanceProfile", "web-profile"),
        ("aws:iam/role:Role", "web-role"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "web-ssm-core"),
        ("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "web-egress-tcp-443-0.0.0.0/0"),
    ]


def test_launch_template_requires_imdsv2_with_hop_limit_one(plan: Plan) -> None:
    assert plan.named("web-lt").inputs["metadataOptions"] == {
        "httpEndpoint": "enabled",
        "httpTokens": "required",
        "httpPutResponseHopLimit": 1,
        "instanceMetadataTags": "disabled",
    }


def test_hop_limit_two_is_an_explicit_knob_for_containers() -> None:
    assert build(imds_hop_limit=2).named("web-lt").inputs["metadataOptions"]["httpPutResponseHopLimit"] == 2


def test_ami_is_latest_al2023_for_the_architecture(plan: Plan) -> None:
    assert plan.named("web-lt").inputs["imageId"] == _ami("arm64")
    x86 = build(architecture="x86_64", instance_types=("m7i.large", "m6a.large"))
    assert x86.named("web-lt").inputs["imageId"] == _ami("x86_64")
    assert _ami("arm64") != _ami("x86_64")


def test_explicit_ami_id_is_used_as_given() -> None:
    assert build(image_id="ami-0123456789abcdef0").named("web-lt").inputs["imageId"] == "ami-0123456789abcdef0"


def test_root_volume_is_encrypted_gp3(plan: Plan) -> None:
    assert plan.named("web-lt").inputs["blockDeviceMappings"] == [
        {
            "deviceName": "/dev/xvda",
            "ebs": {
                "volumeType": "gp3",
                "volumeSize": 20,
                "iops": 3000,
                "throughput": 125,
                "encrypted": "true",
                "deleteOnTermination": "true",
            },
        }
    ]


def test_root_volume_takes_a_customer_key() -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    lt = build(root_volume=RootVolumeArgs(size_gib=50, iops=6000, throughput_mibs=500, kms_key_id=key)).named("web-lt")
    assert lt.inputs["blockDeviceMappings"][0]["ebs"] == {
        "volumeType": "gp3",
        "volumeSize": 50,
        "iops": 6000,
        "throughput": 500,
        "encrypted": "true",
        "kmsKeyId": key,
        "deleteOnTermination": "true",
    }


def test_launch_template_has_detailed_monitoring_profile_and_own_sg_and_no_key(plan: Plan) -> None:
    lt = plan.named("web-lt").inputs
    assert lt["monitoring"] == {"enabled": True}
    assert lt["iamInstanceProfile"] == {"arn": plan.named("web-profile").state["arn"]}
    assert lt["vpcSecurityGroupIds"] == [plan.named("web-sg").id]
    assert "keyName" not in lt
    assert "instanceType" not in lt
    assert lt["updateDefaultVersion"] is True


def test_launch_template_tags_instances_and_volumes(plan: Plan) -> None:
    assert plan.named("web-lt").inputs["tagSpecifications"] == [
        {"resourceType": "instance", "tags": {"Name": "web"}},
        {"resourceType": "volume", "tags": {"Name": "web"}},
    ]


def test_user_data_is_base64_encoded() -> None:
    script = "#!/bin/bash\ndnf install -y nginx\n"
    lt = build(user_data=script).named("web-lt")
    assert base64.b64decode(lt.inputs["userData"]).decode() == script


def test_no_user_data_by_default(plan: Plan) -> None:
    assert "userData" not in plan.named("web-lt").inputs


def test_security_group_has_no_ingress_and_https_egress_only(plan: Plan) -> None:
    assert plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") == []
    assert "ingress" not in plan.named("web-sg").inputs
    egress = plan.named("web-egress-tcp-443-0.0.0.0/0").inputs
    assert {k: egress[k] for k in ("ipProtocol", "fromPort", "toPort", "cidrIpv4")} == {
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "cidrIpv4": "0.0.0.0/0",
    }
    assert egress["securityGroupId"] == plan.named("web-sg").id


def test_instance_role_is_assumed_by_ec2_only(plan: Plan) -> None:
    trust = json.loads(plan.named("web-role").inputs["assumeRolePolicy"])
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    assert plan.named("web-profile").inputs["role"] == plan.named("web-role").state["name"]


def test_instance_role_gets_session_manager_core_only(plan: Plan) -> None:
    attachments = plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert [a.inputs["policyArn"] for a in attachments] == ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]
    assert plan.of_type("aws:iam/rolePolicy:RolePolicy") == []


@pytest.fixture(scope="module")
def with_agent() -> Plan:
    """A group running the CloudWatch agent before its own cloud-config."""
    return build(
        cloudwatch_agent=CloudWatchAgentArgs(retention_days=14), user_data="#cloud-config\npackages: [nginx]\n"
    )


def test_cloudwatch_agent_policy_is_scoped_to_its_log_group_and_namespace(with_agent: Plan) -> None:
    policy = with_agent.named("web-cloudwatch-agent").inputs
    assert policy["role"] == with_agent.named("web-role").id
    log_group = with_agent.named("web-logs").state["arn"]
    assert statements(policy["policy"]) == [
        {
            "Sid": "ShipLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            "Resource": [log_group, f"{log_group}:log-stream:*"],
        },
        {
            "Sid": "PutAgentMetrics",
            "Effect": "Allow",
            "Action": ["cloudwatch:PutMetricData"],
            "Resource": ["*"],
            "Condition": {"StringEquals": {"cloudwatch:namespace": "CWAgent"}},
        },
    ]
    assert_least_privilege(policy["policy"])


def test_cloudwatch_agent_log_group_keeps_the_configured_retention(with_agent: Plan) -> None:
    assert with_agent.named("web-logs").inputs["retentionInDays"] == 14


def user_data_parts(plan: Plan) -> list[tuple[str, str]]:
    """(content type, body) of each part of the launch template's multipart user data."""
    text = base64.b64decode(plan.named("web-lt").inputs["userData"]).decode()
    assert text.startswith('Content-Type: multipart/mixed; boundary="==aws-compute-user-data=="\nMIME-Version: 1.0\n')
    assert text.endswith("--==aws-compute-user-data==--\n")
    chunks = text.split("--==aws-compute-user-data==")[1:-1]
    parts = []
    for chunk in chunks:
        header, body = chunk.strip("\n").split("\n\n", 1)
        parts.append((header.removeprefix("Content-Type: ").removesuffix('; charset="utf-8"'), body))
    return parts


def test_cloudwatch_agent_installs_then_the_callers_user_data_then_grants_read_and_starts(with_agent: Plan) -> None:
    (install_type, install), (own_type, own), (start_type, start) = user_data_parts(with_agent)
    assert (install_type, own_type, start_type) == ("text/x-shellscript", "text/cloud-config", "text/x-shellscript")
    assert install.startswith(
        "#!/bin/bash\nset -euo pipefail\ndnf install -y amazon-cloudwatch-agent acl\n"
        "cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<'CONFIG'\n"
    )
    assert f'"log_group_name": "{with_agent.named("web-logs").state["name"]}"' in install
    assert '"run_as_user": "cwagent"' in install
    assert "amazon-cloudwatch-agent-ctl" not in install
    assert own == "#cloud-config\npackages: [nginx]"
    assert start == (
        "#!/bin/bash\n"
        "set -euo pipefail\n"
        "shopt -s nullglob globstar\n"
        'for f in /var/log/cloud-init-output.log; do if [ -f "$f" ]; then setfacl -m u:cwagent:r "$f"; fi; done\n'
        'for d in /var/log; do if [ -d "$d" ]; then setfacl -m u:cwagent:x "$d"; setfacl -d -m u:cwagent:r "$d"; fi;'
        " done\n"
        "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s"
        " -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json"
    )


def test_cloudwatch_agent_may_read_exactly_each_configured_file_and_list_a_globbed_directory() -> None:
    plan = build(cloudwatch_agent=CloudWatchAgentArgs(log_files=["/var/log/app/*.log", "/opt/app/logs/app.log"]))
    (_, install), (_, start) = user_data_parts(plan)
    assert start.splitlines()[3:7] == [
        'for f in /var/log/app/*.log; do if [ -f "$f" ]; then setfacl -m u:cwagent:r "$f"; fi; done',
        'for d in /var/log/app; do if [ -d "$d" ]; then setfacl -m u:cwagent:rx "$d"; setfacl -d -m u:cwagent:r "$d";'
        " fi; done",
        'for f in /opt/app/logs/app.log; do if [ -f "$f" ]; then setfacl -m u:cwagent:r "$f"; fi; done',
        'for d in /opt/app/logs; do if [ -d "$d" ]; then setfacl -m u:cwagent:x "$d"; setfacl -d -m u:cwagent:r "$d";'
        " fi; done",
    ]
    assert len(start.splitlines()) == 8
    assert "setfacl" not in install


def test_no_cloudwatch_agent_by_default(plan: Plan) -> None:
    assert plan.of_type("aws:cloudwatch/logGroup:LogGroup") == []


def test_group_runs_in_the_given_subnets_with_on_demand_mixed_policy(plan: Plan) -> None:
    group = plan.named("web-asg").inputs
    assert group["vpcZoneIdentifiers"] == ["subnet-a", "subnet-b"]
    assert (group["minSize"], group["maxSize"]) == (2, 4)
    assert "desiredCapacity" not in group
    assert group["mixedInstancesPolicy"] == {
        "instancesDistribution": {
            "onDemandBaseCapacity": 0,
            "onDemandPercentageAboveBaseCapacity": 100,
            "onDemandAllocationStrategy": "prioritized",
            "spotAllocationStrategy": "price-capacity-optimized",
        },
        "launchTemplate": {
            "launchTemplateSpecification": {"launchTemplateId": plan.named("web-lt").id, "version": "1"},
            "overrides": [{"instanceType": "m7g.large"}, {"instanceType": "c7g.large"}],
        },
    }
    assert "launchTemplate" not in group


def test_capacity_rebalance_only_when_spot_is_used(plan: Plan) -> None:
    assert "capacityRebalance" not in plan.named("web-asg").inputs
    spot = build(on_demand_base_capacity=1, on_demand_percentage_above_base=0).named("web-asg").inputs
    assert spot["capacityRebalance"] is True
    assert spot["mixedInstancesPolicy"]["instancesDistribution"]["onDemandPercentageAboveBaseCapacity"] == 0
    assert spot["mixedInstancesPolicy"]["instancesDistribution"]["onDemandBaseCapacity"] == 1


def test_attribute_based_selection_follows_the_architecture() -> None:
    requirements = InstanceRequirementsArgs(vcpu_min=2, vcpu_max=4, memory_min_mib=4096)
    group = build(
        instance_types=(), instance_requirements=requirements, on_demand_allocation_strategy="lowest-price"
    ).named("web-asg")
    assert group.inputs["mixedInstancesPolicy"]["launchTemplate"]["overrides"] == [
        {
            "instanceRequirements": {
                "vcpuCount": {"min": 2, "max": 4},
                "memoryMib": {"min": 4096},
                "burstablePerformance": "excluded",
                "cpuManufacturers": ["amazon-web-services"],
                "instanceGenerations": ["current"],
            }
        }
    ]


def test_instance_refresh_is_rolling_and_pinned_to_a_template_version(plan: Plan) -> None:
    assert plan.named("web-asg").inputs["instanceRefresh"] == {
        "strategy": "Rolling",
        "preferences": {
            "minHealthyPercentage": 90,
            "maxHealthyPercentage": 100,
            "skipMatching": True,
            "autoRollback": True,
        },
    }


def test_group_health_and_metrics_without_load_balancer(plan: Plan) -> None:
    group = plan.named("web-asg").inputs
    assert group["healthCheckType"] == "EC2"
    assert group["healthCheckGracePeriod"] == 300
    assert group["defaultInstanceWarmup"] == 120
    assert group["enabledMetrics"] == list(GROUP_METRICS)
    assert group["metricsGranularity"] == "1Minute"
    assert "targetGroupArns" not in group


def test_group_tags_propagate_the_name_to_instances(plan: Plan) -> None:
    assert plan.named("web-asg").inputs["tags"] == [{"key": "Name", "value": "web", "propagateAtLaunch": True}]


def test_lifecycle_hooks_and_lifetime_are_set_on_the_group() -> None:
    group = build(
        lifecycle_hooks=(LifecycleHookArgs(name="drain", transition="terminating", heartbeat_timeout_seconds=120),),
        max_instance_lifetime_days=7,
    ).named("web-asg")
    assert group.inputs["initialLifecycleHooks"] == [
        {
            "name": "drain",
            "lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
            "heartbeatTimeout": 120,
            "defaultResult": "ABANDON",
        }
    ]
    assert group.inputs["maxInstanceLifetime"] == 7 * 86400


def test_warm_pool_uses_the_launch_template_directly() -> None:
    plan = build(instance_types=("m7g.large",), warm_pool=WarmPoolArgs(min_size=1, reuse_on_scale_in=True))
    group = plan.named("web-asg").inputs
    assert group["warmPool"] == {"poolState": "Stopped", "minSize": 1, "instanceReusePolicy": {"reuseOnScaleIn": True}}
    assert group["launchTemplate"] == {"id": plan.named("web-lt").id, "version": "1"}
    assert "mixedInstancesPolicy" not in group
    assert plan.named("web-lt").inputs["instanceType"] == "m7g.large"


def test_cpu_target_tracking_by_default(plan: Plan) -> None:
    assert [p.name for p in plan.of_type(POLICY)] == ["web-cpu"]
    policy = plan.named("web-cpu").inputs
    assert policy["autoscalingGroupName"] == plan.named("web-asg").state["name"]
    assert policy["policyType"] == "TargetTrackingScaling"
    assert policy["targetTrackingConfiguration"] == {
        "targetValue": 50,
        "disableScaleIn": False,
        "predefinedMetricSpecification": {"predefinedMetricType": "ASGAverageCPUUtilization"},
    }


def test_scheduled_actions_leave_unset_sizes_unchanged() -> None:
    action = ScheduledActionArgs(name="morning", recurrence="0 7 * * MON-FRI", time_zone="Europe/Paris", min_size=3)
    plan = build(scaling=GroupScalingArgs(scheduled_actions=(action,)))
    schedule = plan.named("web-schedule-morning").inputs
    assert {k: v for k, v in schedule.items() if k != "autoscalingGroupName"} == {
        "scheduledActionName": "morning",
        "recurrence": "0 7 * * MON-FRI",
        "timeZone": "Europe/Paris",
        "minSize": 3,
        "maxSize": -1,
        "desiredCapacity": -1,
    }


def test_predictive_scaling_starts_forecast_only() -> None:
    plan = build(scaling=GroupScalingArgs(predictive=PredictiveScalingArgs()))
    assert plan.named("web-predictive").inputs["predictiveScalingConfiguration"] == {
        "mode": "ForecastOnly",
        "schedulingBufferTime": "300",
        "maxCapacityBreachBehavior": "HonorMaxCapacity",
        "metricSpecification": {
            "targetValue": 50,
            "predefinedMetricPairSpecification": {"predefinedMetricType": "ASGCPUUtilization"},
        },
    }


def test_fixed_size_group_needs_no_policy() -> None:
    plan = build(min_size=2, max_size=2, scaling=GroupScalingArgs(cpu_target=None))
    assert plan.of_type(POLICY) == [] and plan.of_type(SCHEDULE) == []


def test_attached_group_uses_elb_health_checks_and_its_target_group(attached: Plan) -> None:
    group = attached.named("web-asg").inputs
    assert group["healthCheckType"] == "ELB"
    assert group["targetGroupArns"] == [attached.named("web-tg").state["arn"]]


def test_attached_instances_accept_the_app_port_from_the_alb_only(attached: Plan) -> None:
    [ingress] = attached.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert ingress.inputs == {
        "securityGroupId": attached.named("web-sg").id,
        "description": "The ALB reaches the application port; nothing else does",
        "ipProtocol": "tcp",
        "fromPort": 8080,
        "toPort": 8080,
        "referencedSecurityGroupId": ALB_SG,
    }


def test_attached_group_gives_the_alb_egress_to_its_instances_on_the_app_port(attached: Plan) -> None:
    egress = attached.named("web-alb-to-targets").inputs
    assert (egress["securityGroupId"], egress["referencedSecurityGroupId"]) == (ALB_SG, attached.named("web-sg").id)
    assert (egress["ipProtocol"], egress["fromPort"], egress["toPort"]) == ("tcp", 8080, 8080)


def test_attached_group_registers_instance_targets(attached: Plan) -> None:
    tg = attached.named("web-tg").inputs
    assert (tg["targetType"], tg["port"], tg["slowStart"], tg["deregistrationDelay"]) == ("instance", 8080, 30, 30)


def test_requests_per_target_policy_tracks_the_alb_label(attached: Plan) -> None:
    policy = attached.named("web-requests")
    tg = attached.named("web-tg")
    assert policy.inputs["targetTrackingConfiguration"]["predefinedMetricSpecification"] == {
        "predefinedMetricType": "ALBRequestCountPerTarget",
        "resourceLabel": f"app/shared/50dc6c495c0c9188/{tg.state['arnSuffix']}",
    }
    assert policy.inputs["targetTrackingConfiguration"]["targetValue"] == 800


def test_outputs_are_registered_in_camel_case(plan: Plan) -> None:
    outputs = plan.component_outputs[plan.named("web").urn]
    assert outputs == {
        "groupName": plan.named("web-asg").state["name"],
        "groupArn": plan.named("web-asg").state["arn"],
        "launchTemplateId": plan.named("web-lt").id,
        "securityGroupId": plan.named("web-sg").id,
        "roleName": plan.named("web-role").state["name"],
    }


def test_a_name_too_long_for_its_target_group_is_refused_before_any_engine_sees_it() -> None:
    args = group_args(load_balancer=load_balancer())
    with pytest.raises(ValueError, match=r"'legacy-frontend-web-22' is too long behind an ALB.*at most 21 characters"):
        run(lambda: AutoScalingGroup("legacy-frontend-web-22", args))
