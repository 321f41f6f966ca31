"""The replace-on-change table: complete for what the stacks register, and true to pulumi_aws."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from typing import Any

import pulumi
import pytest

from offline import replacements, stacks
from offline.engine import Plan


def _args_class(type_: str) -> type:
    """`aws:ec2/subnet:Subnet` -> pulumi_aws.ec2.SubnetArgs."""
    module, name = type_.split(":")[1].split("/")[0], type_.split(":")[2]
    package = importlib.import_module(f"pulumi_aws.{module}_" if module == "lambda" else f"pulumi_aws.{module}")
    return getattr(package, f"{name}Args")


def _properties(cls: type) -> dict[str, Any]:
    """An Args class's input properties by wire (camelCase) name."""
    return {
        member.fget._pulumi_name: member  # type: ignore[union-attr]
        for _, member in inspect.getmembers(cls)
        if isinstance(member, property) and hasattr(member.fget, "_pulumi_name")
    }


def _resolves(type_: str, path: str) -> bool:
    """Whether each segment of `path` is an input property, following nested Args types."""
    cls: type | None = _args_class(type_)
    for segment in path.split("."):
        if cls is None:
            return False
        prop = _properties(cls).get(segment)
        if prop is None:
            return False
        nested = re.search(r"'(\w+Args)'", str(prop.fget.__annotations__.get("return", "")))
        package = importlib.import_module(cls.__module__.rsplit(".", 1)[0])
        cls = getattr(package, nested.group(1)) if nested else None
    return True


def test_every_aws_type_the_stacks_register_has_a_row(stack_plans: dict[str, Plan]) -> None:
    registered = {r.type for plan in stack_plans.values() for r in plan.resources if r.custom}
    assert registered - set(replacements.table()) == set()


def _constructed_types() -> set[str]:
    """The type token of every `aws.<module>.<Class>(...)` the program and components call,
    whatever the config (some are built only for some stage settings)."""
    found = set()
    root = stacks.PROJECT_DIR
    for path in [root / "__main__.py", *(root / "components").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            func = node.func if isinstance(node, ast.Call) else None
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute)):
                continue
            if not (isinstance(func.value.value, ast.Name) and func.value.value.id == "aws"):
                continue
            cls = getattr(importlib.import_module(f"pulumi_aws.{func.value.attr}"), func.attr, None)
            if isinstance(cls, type) and issubclass(cls, pulumi.CustomResource):
                token = re.search(r"__init__\(\s*'(aws:[^']+)'", inspect.getsource(cls))
                assert token, f"{cls} names no type token"
                found.add(token.group(1))
    return found


def test_every_aws_class_the_code_constructs_has_a_row() -> None:
    constructed = _constructed_types()
    assert {"aws:ec2/subnet:Subnet", "aws:lambda/permission:Permission"} <= constructed
    assert constructed - set(replacements.table()) == set()


@pytest.mark.parametrize("type_", sorted(replacements.table()))
def test_rows_name_real_input_properties_and_cite_their_source(type_: str) -> None:
    rule = replacements.table()[type_]
    assert re.fullmatch(r"aws_[a-z0-9_]+", rule.terraform)
    assert re.fullmatch(r"internal/service/[a-z0-9]+, (func \w+|method \w+\.Schema)", rule.source)
    unknown = [p for p in (*rule.properties, *rule.conditional) if not _resolves(type_, p)]
    assert unknown == []


def test_a_property_under_a_replace_on_change_block_replaces() -> None:
    assert replacements.replacing("aws:ec2/subnet:Subnet", "cidrBlock") == "cidrBlock"
    assert replacements.replacing("aws:eks/nodeGroup:NodeGroup", "subnetIds[2]") == "subnetIds"
    assert replacements.replacing("aws:eks/nodeGroup:NodeGroup", "launchTemplate.id") == "launchTemplate.id"
    assert replacements.replacing("aws:ecs/taskDefinition:TaskDefinition", "volumes[0].name") == "volumes"


def test_updatable_properties_and_unlisted_types_do_not_replace() -> None:
    assert replacements.replacing("aws:eks/nodeGroup:NodeGroup", "launchTemplate.version") is None
    assert replacements.replacing("aws:eks/nodeGroup:NodeGroup", "scalingConfig.desiredSize") is None
    assert replacements.replacing("aws:ec2/subnet:Subnet", "cidrBlockSuffix") is None
    assert replacements.replacing("aws:example/thing:Thing", "name") is None


def test_conditional_replacements_state_their_case() -> None:
    assert replacements.conditional("aws:eks/cluster:Cluster", "encryptionConfig.resources[0]") == (
        "when it is removed: envelope encryption cannot be disabled (resourceCluster CustomizeDiff)"
    )
    assert replacements.conditional("aws:eks/cluster:Cluster", "vpcConfig.subnetIds[0]") is None
