"""Every AutoScalingGroupArgs rule, fed a bad value from stage config: the component's
ValueError and the stage-config report name the same rule (field path vs YAML key path)."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

import stage
from stage.autoscaling import AutoScalingGroupConfig
from stage.errors import camel_path, key_path
from tests.asg_helpers import ALB_SG, LISTENER_ARN

_LB = {
    "alb": "external",
    "listenerArn": LISTENER_ARN,
    "securityGroupId": ALB_SG,
    "priority": 10,
    "pathPatterns": ["/api/*"],
}
_REQ = {"vcpuMin": 2, "memoryMinMib": 4096}
_MANY_TYPES = [f"{s}{g}g.{size}" for s, g, size in itertools.product("mcr", (6, 7, 8), ("large", "xlarge", "2xlarge"))]
_MANY_TYPES += [f"m7g.{size}" for size in ("4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal", "medium")]
_MANY_TYPES += [f"c7g.{size}" for size in ("4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal", "medium")]
_MANY_TYPES += [f"r7g.{size}" for size in ("4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal", "medium")]
_ACTION = {"name": "am", "recurrence": "0 7 * * *", "minSize": 1}

#: (config overrides of one group, args field path, message fragment)
RULES: list[tuple[dict[str, Any], str, str]] = [
    ({"minSize": -1}, "min_size", "must not be negative"),
    ({"minSize": 0, "maxSize": 0}, "max_size", "must be at least 1"),
    ({"minSize": 5, "maxSize": 4}, "min_size", "5 is above max_size 4"),
    ({"desiredCapacity": 9}, "desired_capacity", "must lie within min_size..max_size"),
    ({"scaling": {"cpuTarget": None}}, "scaling", "nothing scales it"),
    ({"instanceTypes": []}, "instance_types", "exactly one"),
    ({"instanceRequirements": _REQ, "onDemandAllocationStrategy": "lowest-price"}, "instance_types", "exactly one"),
    ({"instanceTypes": _MANY_TYPES[:41]}, "instance_types", "41 types; AWS allows 40"),
    ({"instanceTypes": ["m7g.large", "m7g.large"]}, "instance_types", "listed twice"),
    (
        {"instanceTypes": ["m7g.large", "m7i.large"]},
        "instance_types",
        "'m7i.large' is x86_64 but the group's architecture is arm64",
    ),
    ({"architecture": "x86_64", "instanceTypes": ["c7gn.large"]}, "instance_types", "'c7gn.large' is arm64"),
    ({"instanceTypes": ["large"]}, "instance_types", "'large' is not an instance type"),
    ({"instanceTypes": ["mac2.metal"]}, "instance_types", "is a Mac instance"),
    (
        {
            "instanceTypes": [],
            "instanceRequirements": {**_REQ, "vcpuMax": 1},
            "onDemandAllocationStrategy": "lowest-price",
        },
        "instance_requirements.vcpu_min",
        "need 1 <= vcpu_min <= vcpu_max",
    ),
    (
        {
            "instanceTypes": [],
            "instanceRequirements": {**_REQ, "memoryMaxMib": 1024},
            "onDemandAllocationStrategy": "lowest-price",
        },
        "instance_requirements.memory_min_mib",
        "need 0 <= memory_min_mib <= memory_max_mib",
    ),
    ({"instanceTypes": [], "instanceRequirements": _REQ}, "on_demand_allocation_strategy", "use lowest-price"),
    (
        {
            "instanceTypes": [],
            "instanceRequirements": _REQ,
            "onDemandAllocationStrategy": "lowest-price",
            "spotAllocationStrategy": "capacity-optimized-prioritized",
        },
        "spot_allocation_strategy",
        "needs an ordered instance_types list",
    ),
    ({"imageId": "ami-xyz"}, "image_id", "is not an AMI id"),
    ({"onDemandBaseCapacity": -1}, "on_demand_base_capacity", "must not be negative"),
    ({"onDemandPercentageAboveBase": 101}, "on_demand_percentage_above_base", "0-100"),
    ({"warmPool": {}}, "warm_pool", "only for on-demand groups of one instance type"),
    (
        {"instanceTypes": ["m7g.large"], "warmPool": {"maxGroupPreparedCapacity": 2}},
        "warm_pool",
        "max_group_prepared_capacity >= the group's max_size",
    ),
    ({"rootVolume": {"sizeGib": 70000}}, "root_volume.size_gib", "gp3 volumes are 1-65536 GiB"),
    ({"rootVolume": {"sizeGib": 7}}, "root_volume.size_gib", "needs at least 8 GiB"),
    ({"rootVolume": {"iops": 90000}}, "root_volume.iops", "gp3 IOPS are 3000-80000"),
    ({"rootVolume": {"sizeGib": 8, "iops": 6000}}, "root_volume.iops", "exceed 500 per GiB of a 8 GiB volume"),
    ({"rootVolume": {"throughputMibs": 2500}}, "root_volume.throughput_mibs", "125-2000 MiB/s"),
    ({"rootVolume": {"throughputMibs": 1000}}, "root_volume.throughput_mibs", "0.25 MiB/s per IOPS of 3000 IOPS"),
    ({"userData": "#!/bin/bash\n" + "x" * 16384}, "user_data", "more than 16384 bytes"),
    ({"egress": [{"port": 0}]}, "egress.0.port", "0 is not a port; use 1-65535"),
    (
        {"egress": [{"port": 443, "cidr": "anywhere"}]},
        "egress.0.cidr",
        "'anywhere' is not an IPv4 CIDR block such as 10.0.0.0/16",
    ),
    (
        {"egress": [{"port": 5432, "cidr": "10.0.0.0/16", "securityGroupId": "sg-0123456789abcdef0"}]},
        "egress.0",
        "name either cidr or security_group_id, not both",
    ),
    (
        {"egress": [{"port": 5432, "securityGroupId": "db"}]},
        "egress.0.security_group_id",
        "'db' is not a security group id",
    ),
    ({"egress": [{"port": 443}, {"port": 443, "cidr": "0.0.0.0/0"}]}, "egress", "tcp-443-0.0.0.0/0 is listed 2 times"),
    ({"healthCheckGracePeriodSeconds": 8000}, "health_check_grace_period_seconds", "0-7200 seconds"),
    ({"defaultInstanceWarmupSeconds": 4000}, "default_instance_warmup_seconds", "0-3600 seconds"),
    ({"instanceRefresh": {"minHealthyPercentage": 120}}, "instance_refresh.min_healthy_percentage", "must be 0-100"),
    ({"instanceRefresh": {"maxHealthyPercentage": 250}}, "instance_refresh.max_healthy_percentage", "must be 100-200"),
    (
        {"instanceRefresh": {"minHealthyPercentage": 0, "maxHealthyPercentage": 150}},
        "instance_refresh.max_healthy_percentage",
        "by 100 at most",
    ),
    (
        {"lifecycleHooks": [{"name": "drain", "transition": "terminating"}] * 2},
        "lifecycle_hooks",
        "hook name is used twice",
    ),
    ({"lifecycleHooks": [{"name": "bad name", "transition": "launching"}]}, "lifecycle_hooks.0.name", "'bad name'"),
    (
        {"lifecycleHooks": [{"name": "boot", "transition": "launching", "heartbeatTimeoutSeconds": 10}]},
        "lifecycle_hooks.0.heartbeat_timeout_seconds",
        "30-7200 seconds",
    ),
    ({"maxInstanceLifetimeDays": 400}, "max_instance_lifetime_days", "outside 1-365 days"),
    ({"cloudwatchAgent": {"retentionDays": 10}}, "cloudwatch_agent.retention_days", "not a CloudWatch Logs retention"),
    ({"cloudwatchAgent": {"logFiles": ["var/log/app.log"]}}, "cloudwatch_agent.log_files", "not an absolute path"),
    (
        {"cloudwatchAgent": {"logFiles": ["/var/log/a b.log"]}},
        "cloudwatch_agent.log_files",
        "'/var/log/a b.log' is not an absolute path of letters, digits",
    ),
    ({"cloudwatchAgent": {"logFiles": ["/var/log/$(id).log"]}}, "cloudwatch_agent.log_files", "globs (* ? [])"),
    ({"cloudwatchAgent": {}, "userData": "echo hi"}, "user_data", "start it with '#!'"),
    ({"loadBalancer": {**_LB, "priority": 0}}, "load_balancer.priority", "outside 1-50000"),
    ({"loadBalancer": {**_LB, "pathPatterns": []}}, "load_balancer.path_patterns", "0 path/host values"),
    (
        {"loadBalancer": {**_LB, "pathPatterns": ["/a", "/b", "/c"], "hostHeaders": ["a.io", "b.io", "c.io"]}},
        "load_balancer.path_patterns",
        "6 path/host values",
    ),
    ({"loadBalancer": {**_LB, "pathPatterns": ["api/*"]}}, "load_balancer.path_patterns", "must start with /"),
    ({"loadBalancer": {**_LB, "hostHeaders": ["a b"]}}, "load_balancer.host_headers", "is not a host name"),
    ({"loadBalancer": {**_LB, "port": 70000}}, "load_balancer.port", "not a TCP port"),
    (
        {"loadBalancer": {**_LB, "health": {"deregistrationDelay": 4000}}},
        "load_balancer.health.deregistration_delay",
        "outside 0-3600 seconds",
    ),
    ({"loadBalancer": {**_LB, "health": {"slowStart": 10}}}, "load_balancer.health.slow_start", "0 (off) or 30-900"),
    ({"loadBalancer": {**_LB, "health": {"path": "health"}}}, "load_balancer.health.path", "must start with /"),
    ({"loadBalancer": {**_LB, "health": {"matcher": "ok"}}}, "load_balancer.health.matcher", "HTTP codes 200-499"),
    ({"loadBalancer": {**_LB, "health": {"matcher": "500"}}}, "load_balancer.health.matcher", "not like 200"),
    (
        {"loadBalancer": {**_LB, "health": {"interval": 4, "timeout": 2}}},
        "load_balancer.health.interval",
        "outside 5-300 seconds",
    ),
    (
        {"loadBalancer": {**_LB, "health": {"interval": 15, "timeout": 15}}},
        "load_balancer.health.timeout",
        "less than the interval",
    ),
    (
        {"loadBalancer": {**_LB, "health": {"healthyThreshold": 1}}},
        "load_balancer.health.healthy_threshold",
        "outside 2-10 probes",
    ),
    (
        {"loadBalancer": {**_LB, "health": {"unhealthyThreshold": 11}}},
        "load_balancer.health.unhealthy_threshold",
        "outside 2-10 probes",
    ),
    ({"scaling": {"cpuTarget": 0}}, "scaling.cpu_target", "not a CPU percentage"),
    ({"scaling": {"requestsPerTarget": 100}}, "scaling.requests_per_target", "needs the group behind a load balancer"),
    ({"loadBalancer": _LB, "scaling": {"requestsPerTarget": 0}}, "scaling.requests_per_target", "at least 1 request"),
    ({"scaling": {"scheduledActions": [_ACTION, _ACTION]}}, "scaling.scheduled_actions", "action name is used twice"),
    ({"scaling": {"scheduledActions": [{**_ACTION, "name": "a b"}]}}, "scaling.scheduled_actions.0.name", "'a b'"),
    (
        {"scaling": {"scheduledActions": [{**_ACTION, "recurrence": "0 7 * *"}]}},
        "scaling.scheduled_actions.0.recurrence",
        "has 4 field(s)",
    ),
    (
        {"scaling": {"scheduledActions": [{**_ACTION, "recurrence": "0 25 * * *"}]}},
        "scaling.scheduled_actions.0.recurrence",
        "the hour field '25' is not valid",
    ),
    (
        {"scaling": {"scheduledActions": [{**_ACTION, "timeZone": "Mars/Olympus"}]}},
        "scaling.scheduled_actions.0.time_zone",
        "not an IANA time zone",
    ),
    (
        {"scaling": {"scheduledActions": [{"name": "noop", "recurrence": "0 7 * * *"}]}},
        "scaling.scheduled_actions.0",
        "changes nothing",
    ),
    (
        {"scaling": {"scheduledActions": [{**_ACTION, "minSize": 5, "maxSize": 2}]}},
        "scaling.scheduled_actions.0",
        "min_size <= desired_capacity <= max_size",
    ),
    ({"scaling": {"predictive": {"cpuTarget": 120}}}, "scaling.predictive.cpu_target", "not a CPU percentage"),
    (
        {"scaling": {"predictive": {"schedulingBufferSeconds": 4000}}},
        "scaling.predictive.scheduling_buffer_seconds",
        "0-3600 seconds",
    ),
]


def _group(overrides: dict[str, Any]) -> dict[str, Any]:
    return {"instanceTypes": ["m7g.large", "c7g.large"], **overrides}


@pytest.mark.parametrize(("overrides", "field_path", "fragment"), RULES, ids=[f"{r[1]}:{r[2][:30]}" for r in RULES])
def test_rule_is_reported_by_args_and_by_stage_config(
    overrides: dict[str, Any], field_path: str, fragment: str
) -> None:
    config = AutoScalingGroupConfig.model_validate(_group(overrides))
    with pytest.raises(
        ValueError, match=re.escape(f"AutoScalingGroupArgs.{field_path}: ") + r".*" + re.escape(fragment)
    ):
        config.to_args(vpc_id="vpc-1", subnet_ids=["subnet-1"])

    validated, lines = stage.validate({"autoscaling": {"web": _group(overrides)}})
    assert validated is None
    key = key_path("aws-compute:autoscaling.web", camel_path(field_path))
    assert any(line.startswith(f"{key}: ") and fragment in line for line in lines), lines


def test_gp3_baseline_iops_fit_any_volume_size() -> None:
    # 500 IOPS per GiB bounds provisioned IOPS only: a 4 GiB gp3 volume still gets its 3000.
    small_root = _group({"imageId": "ami-0123456789abcdef0", "rootVolume": {"sizeGib": 4, "iops": 3000}})
    assert stage.validate({"autoscaling": {"web": small_root}})[1] == []


def test_valid_group_config_has_no_problems() -> None:
    config, lines = stage.validate({"autoscaling": {"web": _group({}), "batch": _group({"minSize": 0})}})
    assert lines == []
    assert config is not None and sorted(config.autoscaling) == ["batch", "web"]


def test_unknown_key_suggests_the_right_one() -> None:
    _, lines = stage.validate({"autoscaling": {"web": _group({"instanceType": ["m7g.large"]})}})
    assert lines == [
        "aws-compute:autoscaling.web.instanceType: unknown key; did you mean 'instanceTypes'? allowed keys: "
        + ", ".join(f.alias or n for n, f in AutoScalingGroupConfig.model_fields.items())
    ]


def test_architecture_must_be_a_known_choice() -> None:
    _, lines = stage.validate({"autoscaling": {"web": _group({"architecture": "arm"})}})
    assert len(lines) == 1 and lines[0].startswith(
        "aws-compute:autoscaling.web.architecture: Input should be 'arm64' or 'x86_64'"
    )


def test_group_names_are_lowercase_dns_labels() -> None:
    _, lines = stage.validate({"autoscaling": {"Web_1": _group({})}})
    assert len(lines) == 1 and "aws-compute:autoscaling.Web_1" in lines[0] and "should match pattern" in lines[0]


def test_group_behind_an_alb_leaves_room_for_its_autonamed_target_group() -> None:
    # `<name>-tg` plus Pulumi's 8-character suffix must fit AWS's 32: Pulumi refuses it otherwise.
    long_name, longest = "legacy-frontend-web-22", "legacy-frontend-web-1"  # 22 and 21 characters
    config, lines = stage.validate(
        {"autoscaling": {longest: _group({"loadBalancer": _LB}), "batch-workers-of-reports": _group({})}}
    )
    assert lines == [] and config is not None
    _, lines = stage.validate({"autoscaling": {long_name: _group({"loadBalancer": _LB})}})
    assert lines == [
        f"aws-compute:autoscaling.{long_name}: {long_name!r} is too long behind an ALB: its target group is"
        f" autonamed '{long_name}-tg' plus 8 characters, and AWS allows 32; use a name of at most 21 characters"
    ]


def test_load_balancer_needs_a_listener_arn() -> None:
    lb = {**_LB, "listenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1"}
    _, lines = stage.validate({"autoscaling": {"web": _group({"loadBalancer": lb})}})
    assert lines == [
        "aws-compute:autoscaling.web.loadBalancer.listenerArn: not an ALB listener ARN; copy it from the ALB's listener"
        " (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>)"
    ]


def test_load_balancer_needs_a_security_group_id() -> None:
    _, lines = stage.validate({"autoscaling": {"web": _group({"loadBalancer": {**_LB, "securityGroupId": "alb"}})}})
    assert lines == [
        "aws-compute:autoscaling.web.loadBalancer.securityGroupId: not a security group id (sg- and 8 or 17 hex"
        " digits); use the ALB's security group"
    ]


def test_load_balancer_requires_the_alb_strategy_and_priority() -> None:
    _, lines = stage.validate({"autoscaling": {"web": _group({"loadBalancer": {"pathPatterns": ["/"]}})}})
    assert sorted(lines) == [
        f"aws-compute:autoscaling.web.loadBalancer.{key}: required key is missing" for key in ("alb", "priority")
    ]


def test_alb_strategy_is_shared_or_external() -> None:
    _, lines = stage.validate({"autoscaling": {"web": _group({"loadBalancer": {**_LB, "alb": "yes"}})}})
    assert lines == ["aws-compute:autoscaling.web.loadBalancer.alb: Input should be 'shared' or 'external' (got 'yes')"]


def test_external_alb_needs_listener_and_security_group() -> None:
    lb = {"alb": "external", "priority": 10, "pathPatterns": ["/"]}
    _, lines = stage.validate({"autoscaling": {"web": _group({"loadBalancer": lb})}})
    assert lines == [
        f"aws-compute:autoscaling.web.loadBalancer.{key}: alb: external needs the existing ALB's listenerArn and"
        " securityGroupId; set it"
        for key in ("listenerArn", "securityGroupId")
    ]


def test_shared_alb_takes_no_listener_arn() -> None:
    lb = {"alb": "shared", "listenerArn": LISTENER_ARN, "priority": 10, "pathPatterns": ["/"]}
    _, lines = stage.validate({"autoscaling": {"web": _group({"loadBalancer": lb})}})
    assert (
        "aws-compute:autoscaling.web.loadBalancer.listenerArn: alb: shared uses the stage's ALB"
        " (aws-compute:services.loadBalancer); remove it"
    ) in lines


def test_every_problem_of_every_group_is_reported_at_once() -> None:
    _, lines = stage.validate(
        {"autoscaling": {"web": _group({"minSize": -1}), "api": _group({"instanceTypes": ["m7i.large"]})}}
    )
    assert [line.split(":")[1].split(".")[1] for line in lines] == ["web", "api"]


def test_groups_on_one_listener_need_distinct_priorities() -> None:
    _, lines = stage.validate(
        {
            "autoscaling": {
                "web": _group({"loadBalancer": _LB}),
                "api": _group({"loadBalancer": {**_LB, "pathPatterns": ["/v2/*"]}}),
            }
        }
    )
    assert lines == [
        "aws-compute:autoscaling.api.loadBalancer.priority: priority 10 is also used by"
        " aws-compute:autoscaling.web.loadBalancer.priority on the same listener; give each listener rule its own"
        " priority"
    ]


def test_groups_on_different_external_listeners_may_share_a_priority() -> None:
    other = LISTENER_ARN.replace("f2f7dc8efc522ab2", "0123456789abcdef")
    config, lines = stage.validate(
        {
            "autoscaling": {
                "web": _group({"loadBalancer": _LB}),
                "api": _group({"loadBalancer": {**_LB, "listenerArn": other}}),
            }
        }
    )
    assert lines == [] and config is not None
