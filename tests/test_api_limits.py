"""AWS's API limits (botocore's models) checked on every mapped value, at its key path."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
from typing import Any

import botocore.loaders
import botocore.model
import botocore.session
import pytest

import components
import stage
from components.catalogue import models
from components.catalogue.api_limits import (
    API_MEMBERS,
    ARGS_FIELDS,
    Member,
    api_limit_problems,
    member_shape,
    value_problems,
)
from components.catalogue.models import LIMIT_KEYS
from components.eks_cluster.compute import NodeGroupArgs, TaintArgs
from components.validation import Problem
from offline.engine import Plan

#: Table entries whose knob neither stack sets (so no recorded input carries them).
UNSET_IN_STACKS = {
    ("aws:lambda/functionUrl:FunctionUrl", "cors.allowOrigins"),
    ("aws:lambda/functionUrl:FunctionUrl", "cors.allowMethods"),
    ("aws:autoscaling/group:Group", "warmPool.minSize"),
    ("aws:autoscaling/group:Group", "warmPool.maxGroupPreparedCapacity"),
    ("aws:autoscaling/group:Group", "initialLifecycleHooks[].name"),
    ("aws:cloudwatch/eventRule:EventRule", "description"),
    ("aws:cloudwatch/eventBus:EventBus", "name"),
}


def _args_classes() -> dict[str, type]:
    classes: dict[str, type] = {}
    for module in pkgutil.walk_packages(components.__path__, "components."):
        for value in vars(importlib.import_module(module.name)).values():
            if (
                dataclasses.is_dataclass(value)
                and isinstance(value, type)
                and value.__module__.startswith("components")
            ):
                classes[value.__name__] = value
    return classes


@pytest.mark.parametrize("member", sorted(set(API_MEMBERS.values()), key=str), ids=str)
def test_every_mapped_member_exists_in_the_pinned_models_with_a_limit(member: Member) -> None:
    shape = member_shape(member)
    limits = {k for k in ("min", "max", "pattern") if k in shape.metadata} | (
        {"enum"} if getattr(shape, "enum", None) else set()
    )
    assert limits, f"{member} has no limit to check; remove it from the table"


def test_every_args_field_names_a_real_field_and_a_mapped_input() -> None:
    classes = _args_classes()
    for (cls, field), target in ARGS_FIELDS.items():
        assert field in {f.name for f in dataclasses.fields(classes[cls])}, (cls, field)
        assert (target[0], target[1]) in API_MEMBERS, target


def _at(value: Any, path: str) -> list[Any]:
    """Values at a property path of recorded inputs (`a[].b` steps into each item of a)."""
    found = [value]
    for step in path.split("."):
        name, many = step.removesuffix("[]"), step.endswith("[]")
        found = [v[name] for v in found if isinstance(v, dict) and v.get(name) is not None]
        if many:
            found = [item for v in found for item in v]
    return found


def _as_sent(value: Any) -> Any:
    """The engine carries numbers as floats, and the provider takes some as strings ("300")."""
    if isinstance(value, float) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    return value


def test_table_paths_are_inputs_the_stacks_send_and_within_the_models(stack_plans: dict[str, Plan]) -> None:
    sent: dict[tuple[str, str], list[Any]] = {key: [] for key in API_MEMBERS}
    for plan in stack_plans.values():
        for resource in plan.resources:
            for (type_, path), values in sent.items():
                if resource.type == type_:
                    values += _at(resource.inputs, path)
    assert {key for key, values in sent.items() if not values} == UNSET_IN_STACKS
    refused = [
        p.message
        for key, values in sent.items()
        for v in values
        for p in value_problems(key[1], _as_sent(v), API_MEMBERS[key])
    ]
    assert refused == []


def test_a_value_only_the_api_model_refuses_is_reported_at_its_key_path() -> None:
    long_path = "/" + "p" * 1100
    web = {"priority": 10, "pathPatterns": ["/*"], "health": {"path": long_path}}
    services = {
        "loadBalancer": {"ingressCidrs": ["10.0.0.0/8"], "listeners": "httpOnlyDev"},
        "services": {"api": {"container": {"image": {"uri": "public.ecr.aws/x/y:1.0"}, "port": 8080}, "web": web}},
    }
    config, lines = stage.validate({"services": services})
    assert config is None
    assert lines == [
        f"aws-compute:services.services.api.web.health.path: {long_path!r} is refused by AWS"
        " CreateTargetGroup HealthCheckPath: 1 to 1024 characters"
    ]


def test_the_args_report_the_field_path_of_a_list_item() -> None:
    group = NodeGroupArgs(taints=(TaintArgs(key="dedicated", value="v" * 64),))
    assert api_limit_problems(group, "node_groups.ng.") == [
        Problem(
            "node_groups.ng.taints[0].value",
            f"{'v' * 64!r} is refused by AWS CreateNodegroup taints.[].value: 0 to 63 characters",
        )
    ]


@functools.cache
def _botocore_model(service: str) -> botocore.model.ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def _botocore_shape(member: Member) -> botocore.model.Shape:
    shape = _botocore_model(member.service).operation_model(member.operation).input_shape
    for step in member.path.split("."):
        shape = shape.member if step == "[]" else shape.members[step]
    return shape


def _limits(shape: Any) -> tuple[Any, ...]:
    """What a check reads of a shape, list items included (the same for both readers)."""
    item = _limits(shape.member) if shape.type_name == "list" else None
    enum = list(getattr(shape, "enum", ()))  # botocore gives only string shapes an enum
    return (shape.type_name, {k: v for k, v in shape.metadata.items() if k in LIMIT_KEYS}, enum, item)


@pytest.mark.parametrize("member", sorted(set(API_MEMBERS.values()), key=str), ids=str)
def test_the_model_reader_reads_what_botocore_reads(member: Member) -> None:
    assert _limits(member_shape(member)) == _limits(_botocore_shape(member))


@pytest.mark.parametrize(("service", "shape"), [("ec2", "InstanceType"), ("lambda", "Runtime")])
def test_enums_are_botocores(service: str, shape: str) -> None:
    assert models.enum(service, shape) == frozenset(_botocore_model(service).shape_for(shape).enum)
    assert botocore.loaders.create_loader().determine_latest_version(service, "service-2") in str(
        models.service_model(service).source
    )
