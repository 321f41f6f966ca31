"""An offline plan as the Terraform plan JSON that scanners such as checkov read.

pulumi-aws is bridged from the Terraform AWS provider, so each AWS resource has a Terraform
twin. The conversion rules:

- **type**: the Pulumi token becomes its Terraform type (`offline.terraform_names`).
- **names**: camelCase properties become snake_case, except the ones the bridge pluralized,
  which take their Terraform name back (`defaultActions` -> `default_action`). Map-typed
  properties (tags, environment variables) keep their keys.
- **blocks**: a single nested block (a Pulumi object such as `vpcConfig`) becomes a
  one-element list, as Terraform writes every nested block.
- **references**: an input wired from another resource's output (its id, ARN, name ...)
  is unknown at plan time, as in `terraform plan`: left out of `values` (null inside a
  list), true in `after_unknown`, and named in `configuration` as a reference to that
  resource's attribute, so graph checks can connect the two. Values merely built from
  outputs (an ARN inside a policy document) stay as the plan recorded them.
- **secrets** are left out and marked in `sensitive_values`; assets and archives become
  their path (`code` -> `filename`).

Which Pulumi properties are blocks, lists or maps is read from the installed pulumi-aws
SDK's input types. Resources without a Terraform twin (components, other providers) are
listed under `skipped`.
"""

from __future__ import annotations

import importlib
import json
import re
import types
import typing
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pulumi
from pulumi import _types as pulumi_types

from .engine import Plan, RecordedResource, Secret
from .terraform_names import RENAMED_PROPERTIES, TERRAFORM_TYPES

FORMAT_VERSION = "1.2"
#: The Terraform release whose plan format this imitates (1.2 is the format since 1.3).
TERRAFORM_VERSION = "1.9.8"
PROVIDER = "registry.terraform.io/hashicorp/aws"

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_-]")


def snake_case(name: str) -> str:
    """`cidrIpv4` -> `cidr_ipv4`, `enableHttp2` -> `enable_http2`, `kmsKeyID` -> `kms_key_id`."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def terraform_type(token: str) -> str | None:
    return TERRAFORM_TYPES.get(token)


def terraform_name(logical_name: str) -> str:
    """A Terraform resource name (letters, digits, `_`, `-`; not starting with a digit)."""
    name = _NOT_IN_NAME.sub("_", logical_name)
    return f"_{name}" if name[:1].isdigit() else name


# --- the shape of each property, from the SDK's input types


@dataclass(frozen=True)
class _Shape:
    kind: str
    """`block` (nested object), `list`, `map` or `scalar`."""
    item: Any = None
    """The input class of a block; the shape of a list's items or a map's values."""


_SCALAR = _Shape("scalar")


def _members(annotation: Any) -> list[Any]:
    """The useful members of `Input[X]` / `Optional[X]` / unions: X, without Awaitable,
    Output, None or the TypedDict twins (`...ArgsDict`)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _members(a)]
    if annotation is type(None) or origin is Awaitable or annotation is Awaitable:
        return []
    if origin is pulumi.Output or annotation is pulumi.Output:
        return []
    if isinstance(annotation, type) and typing.is_typeddict(annotation):
        return []
    return [annotation]


def _shape(annotation: Any) -> _Shape:
    for member in _members(annotation):
        origin = typing.get_origin(member)
        if isinstance(member, type) and pulumi_types.is_input_type(member):
            return _Shape("block", member)
        if origin in (list, Sequence, typing.Sequence):
            return _Shape("list", _shape(typing.get_args(member)[0]))
        if origin in (dict, Mapping, typing.Mapping):
            return _Shape("map", _shape(typing.get_args(member)[-1]))
    return _SCALAR


@cache
def _fields(input_class: type) -> dict[str, _Shape]:
    """Pulumi property name -> shape, for one input type (pulumi's own type registry)."""
    return {name: _shape(annotation) for name, annotation in pulumi_types.input_type_types(input_class).items()}


@cache
def _args_class(token: str) -> type | None:
    """`aws:lb/listener:Listener` -> `pulumi_aws.lb.ListenerArgs`."""
    package, module_path, class_name = token.split(":")
    module = module_path.split("/")[0]
    for candidate in (f"pulumi_{package}.{module}", f"pulumi_{package}.{module}_"):
        try:
            return getattr(importlib.import_module(candidate), f"{class_name}Args", None)
        except ImportError:
            continue
    return None


# --- values


class _Unknown:
    """A value known only after apply."""


UNKNOWN = _Unknown()


@dataclass
class _Converted:
    value: Any
    """The known value, or UNKNOWN."""
    unknown: Any = False
    """`after_unknown`: True, or a dict/list mirroring the value; False when all known."""
    expression: Any = None
    """`configuration` expression: {"references": [...]} or a nested mirror; None without references."""
    sensitive: Any = False
    """`sensitive_values`: True, or a mirror; False when nothing is secret."""


@dataclass
class _Context:
    token: str
    references: Mapping[str, tuple[str, str]]
    """Output value -> (address, attribute) of the resources this property was wired from."""


def _convert(value: Any, shape: _Shape, path: str, ctx: _Context, *, in_list: bool = False) -> _Converted:
    if isinstance(value, Secret):
        return _Converted(UNKNOWN, False, None, True)
    if isinstance(value, pulumi.Asset | pulumi.Archive):
        return _Converted(getattr(value, "path", None) or repr(value))
    if isinstance(value, float) and value.is_integer():
        return _Converted(int(value))
    if isinstance(value, str) and value in ctx.references:
        address, attribute = ctx.references[value]
        return _Converted(UNKNOWN, True, {"references": [f"{address}.{attribute}", address]})
    if isinstance(value, list):
        item = shape.item if shape.kind == "list" else _SCALAR
        return _collect_list([_convert(v, item, path, ctx, in_list=True) for v in value])
    if isinstance(value, dict) and shape.kind == "map":
        return _collect_object({k: _convert(v, shape.item, path, ctx) for k, v in value.items()})
    if isinstance(value, dict):
        fields = _fields(shape.item) if shape.kind == "block" else {}
        block = _collect_object(
            {
                _terraform_key(ctx.token, f"{path}.{k}"): _convert(v, fields.get(k, _SCALAR), f"{path}.{k}", ctx)
                for k, v in value.items()
                if v is not None
            }
        )
        # Terraform writes every nested block as a list: a single block is a one-element list.
        return block if in_list else _single_block(block)
    return _Converted(value)


def _terraform_key(token: str, path: str) -> str:
    return RENAMED_PROPERTIES.get(token, {}).get(path) or snake_case(path.rsplit(".", 1)[-1])


def _single_block(block: _Converted) -> _Converted:
    return _Converted(
        [block.value],
        [block.unknown] if block.unknown else False,
        [block.expression] if block.expression else None,
        [block.sensitive] if block.sensitive else False,
    )


def _collect_list(items: list[_Converted]) -> _Converted:
    value = [None if i.value is UNKNOWN else i.value for i in items]
    unknown = [i.unknown for i in items] if any(i.unknown for i in items) else False
    sensitive = [i.sensitive for i in items] if any(i.sensitive for i in items) else False
    expressions = [i.expression for i in items if i.expression]
    expression: Any = None
    if expressions and all("references" in e for e in expressions if isinstance(e, dict)):
        refs = [r for e in expressions if isinstance(e, dict) for r in e["references"]]
        expression = {"references": list(dict.fromkeys(refs))} if refs else None
    if expressions and expression is None:
        expression = [i.expression or {} for i in items]
    return _Converted(value, unknown, expression, sensitive)


def _collect_object(fields: dict[str, _Converted]) -> _Converted:
    return _Converted(
        {k: c.value for k, c in fields.items() if c.value is not UNKNOWN},
        {k: c.unknown for k, c in fields.items() if c.unknown} or False,
        {k: c.expression for k, c in fields.items() if c.expression} or None,
        {k: c.sensitive for k, c in fields.items() if c.sensitive} or False,
    )


# --- the plan


@dataclass
class TerraformPlan:
    document: dict[str, Any]
    """The plan JSON (format_version, planned_values, resource_changes, configuration)."""
    addresses: dict[str, str] = field(default_factory=dict)
    """Pulumi URN -> Terraform address."""
    skipped: list[str] = field(default_factory=list)
    """Types recorded without a Terraform twin: `<token> <name>` per resource."""


def _addresses(plan: Plan) -> dict[str, str]:
    """A unique Terraform address per convertible resource; a name repeated within a type
    (under different parents) gets `_2`, `_3` ... in URN order."""
    taken: dict[str, int] = {}
    addresses = {}
    for resource in sorted(plan.resources, key=lambda r: r.urn):
        tf_type = terraform_type(resource.type)
        if not resource.custom or tf_type is None:
            continue
        base = f"{tf_type}.{terraform_name(resource.name)}"
        taken[base] = taken.get(base, 0) + 1
        addresses[resource.urn] = base if taken[base] == 1 else f"{base}_{taken[base]}"
    return addresses


def _references(
    resource: RecordedResource, key: str, plan: Plan, addresses: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """The outputs of the resources `key` was wired from, by value: id first, then ARN,
    then the other attributes they answered with."""
    by_urn = {r.urn: r for r in plan.resources}
    sources: list[RecordedResource] = []
    for urn in sorted(resource.property_dependencies.get(key, ())):
        source = by_urn.get(urn)
        if source is not None:
            sources += [source] if source.custom else [d for d in plan.descendants(source) if d.custom]
    references: dict[str, tuple[str, str]] = {}
    for source in sources:
        address = addresses.get(source.urn)
        if address is None:
            continue
        attributes = {"id": source.id, "arn": source.state.get("arn"), **source.state}
        for attribute, output in attributes.items():
            if isinstance(output, str) and output and output not in references:
                references[output] = (address, snake_case(attribute))
    return references


def convert(plan: Plan, region: str = "us-east-1") -> TerraformPlan:
    addresses = _addresses(plan)
    planned, changes, configuration = [], [], []
    skipped = sorted(f"{r.type} {r.name}" for r in plan.resources if r.custom and r.urn not in addresses)
    for resource in sorted((r for r in plan.resources if r.urn in addresses), key=lambda r: addresses[r.urn]):
        address = addresses[resource.urn]
        tf_type, name = address.split(".", 1)
        args_class = _args_class(resource.type)
        fields = _fields(args_class) if args_class else {}
        converted = {
            _terraform_key(resource.type, key): _convert(
                value,
                fields.get(key, _SCALAR),
                key,
                _Context(resource.type, _references(resource, key, plan, addresses)),
            )
            for key, value in sorted(resource.inputs.items())
            if value is not None and not key.startswith("__")
        }
        top = _collect_object(converted)
        common = {"address": address, "mode": "managed", "type": tf_type, "name": name, "provider_name": PROVIDER}
        planned.append({**common, "schema_version": 0, "values": top.value, "sensitive_values": top.sensitive or {}})
        changes.append(
            {
                **common,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": top.value,
                    "after_unknown": top.unknown or {},
                    "before_sensitive": False,
                    "after_sensitive": top.sensitive or {},
                },
            }
        )
        configuration.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_config_key": "aws",
                "expressions": top.expression or {},
                "schema_version": 0,
            }
        )
    document = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "full_name": PROVIDER, "expressions": {"region": {"constant_value": region}}}
            },
            "root_module": {"resources": configuration},
        },
    }
    return TerraformPlan(document=document, addresses=addresses, skipped=skipped)


def to_json(plan: Plan, region: str = "us-east-1") -> str:
    """The plan JSON, byte for byte the same for the same plan (sorted keys)."""
    return json.dumps(convert(plan, region).document, indent=1, sort_keys=True)
