"""NetworkRef: what compute needs of a VPC, whichever way the VPC came to exist.

Three sources produce one, and every compute component takes its values unchanged:
`Network.ref()` (built by this program), `network_from_stack` (another stack's outputs,
read through a `pulumi.StackReference`) and a `NetworkRef` of existing ids (a VPC no Pulumi
program created). The stack outputs that carry a network from one stack to another are
named once, in `NETWORK_OUTPUTS`; a stack that builds a network exports them, a stack that
reads one requires them.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from components.subnet_plan import SubnetTier
from components.validation import Problem

#: Compute needs two AZs at least: EKS rejects a control plane in one, and one AZ is no HA.
MIN_AZS = 2

#: The network contract between stacks: NetworkRef field -> stack output name.
NETWORK_OUTPUTS: dict[str, str] = {
    "vpc_id": "vpcId",
    "vpc_cidr": "vpcCidr",
    "availability_zones": "availabilityZones",
    "public_subnet_ids": "publicSubnetIds",
    "private_subnet_ids": "privateSubnetIds",
    "isolated_subnet_ids": "isolatedSubnetIds",
    "private_route_table_ids": "privateRouteTableIds",
}

_TIER_FIELDS: dict[SubnetTier, str] = {
    "public": "public_subnet_ids",
    "private": "private_subnet_ids",
    "isolated": "isolated_subnet_ids",
}
#: EC2 ids: the resource prefix, then 8 (older resources) or 17 lowercase hex digits.
_ID_KINDS = {"vpc": "a VPC id", "subnet": "a subnet id", "rtb": "a route table id"}


def _id_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})$")


_IDS = {prefix: _id_pattern(prefix) for prefix in _ID_KINDS}


@dataclass(frozen=True, kw_only=True)
class NetworkShape:
    """What a stack that reads a network declares about it, so that rules needing the
    network's shape (a private tier, the AZ count) run before anything is read."""

    tiers: Sequence[SubnetTier] = ("public", "private", "isolated")
    """Tiers the network has; all three by default, as `NetworkArgs` builds them."""
    az_count: int = 3
    """AZs the network spans; 3 by default, as `NetworkArgs` builds it."""


@dataclass(frozen=True, kw_only=True)
class NetworkRef:
    """A VPC and its subnets per tier, one subnet per AZ in the order of `availability_zones`."""

    vpc_id: pulumi.Input[str]
    vpc_cidr: pulumi.Input[str]
    availability_zones: pulumi.Input[Sequence[str]]
    public_subnet_ids: pulumi.Input[Sequence[str]] = ()
    private_subnet_ids: pulumi.Input[Sequence[str]] = ()
    """Where compute runs: Fargate tasks, Lambda ENIs, instances, EKS nodes and pods."""
    isolated_subnet_ids: pulumi.Input[Sequence[str]] = ()
    private_route_table_ids: pulumi.Input[Sequence[str]] = ()
    """The private subnets' route tables (one per AZ, or one shared), for routes a stack adds."""

    def outputs(self) -> dict[str, pulumi.Input[Any]]:
        """The values by stack output name: what a stack exports for others to read."""
        return {output: getattr(self, field) for field, output in NETWORK_OUTPUTS.items()}


def network_ref_problems(values: Mapping[str, Any], shape: NetworkShape | None = None) -> list[Problem]:
    """Every rule resolved network values (by NetworkRef field) break, against `shape` when
    given. Messages never quote a value: a referenced stack may hold it as a secret."""
    problems = [
        *_id_problems("vpc_id", values.get("vpc_id"), "vpc"),
        *_cidr_problems(values.get("vpc_cidr")),
    ]
    azs = values.get("availability_zones")
    if not _is_list_of(azs, str) or not all(azs):
        problems.append(Problem("availability_zones", "must be a list of AZ names"))
        azs = []
    elif len(azs) < MIN_AZS:
        problems.append(Problem("availability_zones", f"{len(azs)} AZ(s); compute needs {MIN_AZS} at least"))
    elif len(set(azs)) != len(azs):
        problems.append(Problem("availability_zones", "an AZ is listed twice; list each once"))
    subnets: list[Any] = []
    present: list[SubnetTier] = []
    malformed: list[SubnetTier] = []
    for tier, field in _TIER_FIELDS.items():
        ids = values.get(field)
        id_problems = _id_list_problems(field, ids, "subnet")
        problems += id_problems
        if id_problems:
            malformed.append(tier)
        elif ids:
            present.append(tier)
            subnets += ids
            if azs and len(ids) != len(azs):
                problems.append(
                    Problem(field, f"{len(ids)} subnet(s) for {len(azs)} AZs; list one per AZ, in the AZs' order")
                )
    if not present and not malformed:
        problems.append(Problem("", "no subnets in any tier; list the subnets of one tier at least"))
    if len(set(subnets)) != len(subnets):
        problems.append(Problem("", "a subnet id is listed twice; each subnet belongs to one tier and one AZ"))
    if "private" not in malformed:
        problems += _route_table_problems(values.get("private_route_table_ids"), "private" in present, len(azs))
    if shape is not None:
        problems += _shape_problems(shape, azs, [t for t in shape.tiers if t not in present + malformed])
    return problems


def _shape_problems(shape: NetworkShape, azs: Sequence[str], absent: Sequence[SubnetTier]) -> list[Problem]:
    problems = []
    if azs and len(azs) != shape.az_count:
        problems.append(Problem("availability_zones", f"{len(azs)} AZs, but {shape.az_count} are declared"))
    for tier in absent:
        problems.append(Problem(_TIER_FIELDS[tier], f"the {tier} tier is declared, but the list is empty"))
    return problems


def _is_list_of(value: Any, kind: type) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, kind) for item in value)


def _id_problems(field: str, value: Any, prefix: str) -> list[Problem]:
    if isinstance(value, str) and _IDS[prefix].match(value):
        return []
    return [Problem(field, f"not {_ID_KINDS[prefix]} ('{prefix}-' and 8 or 17 lowercase hex digits)")]


def _id_list_problems(field: str, value: Any, prefix: str) -> list[Problem]:
    if not isinstance(value, list | tuple):
        return [Problem(field, f"must be a list of {_ID_KINDS[prefix].removeprefix('a ')}s (empty when none)")]
    return [p for i, item in enumerate(value) for p in _id_problems(f"{field}[{i}]", item, prefix)]


def _cidr_problems(value: Any) -> list[Problem]:
    try:
        ipaddress.IPv4Network(value)
    except (TypeError, ValueError):
        return [Problem("vpc_cidr", "not an IPv4 network CIDR (e.g. 10.0.0.0/16)")]
    return []


def _route_table_problems(value: Any, private: bool, az_count: int) -> list[Problem]:
    field = "private_route_table_ids"
    problems = _id_list_problems(field, value, "rtb")
    if problems:
        return problems
    if private and not 1 <= len(value) <= max(az_count, 1):
        return [Problem(field, f"{len(value)} route table(s); list the private subnets' own: 1 to {az_count}")]
    if not private and value:
        return [Problem(field, "there are no private subnets, so there are no private route tables; remove them")]
    return []


class NetworkOutputsError(pulumi.RunError):
    """The outputs of a referenced stack do not describe the network a program needs."""


def network_from_stack(
    stack: str, shape: NetworkShape | None = None, opts: pulumi.ResourceOptions | None = None
) -> NetworkRef:
    """The network `stack` (`<org>/<project>/<stack>`) exports as `NETWORK_OUTPUTS`, read
    through a StackReference named after that stack.

    Once resolved (at preview, before anything depends on them) the outputs are checked
    against the contract and `shape` (the declared tiers and AZ count; the defaults of
    NetworkShape when not given): any mismatch stops the program with every problem, each
    naming the stack and the output. An output the stack marks secret stays secret."""
    shape = shape or NetworkShape()
    reference = pulumi.StackReference(stack, opts=opts)
    values = {field: reference.get_output(output) for field, output in NETWORK_OUTPUTS.items()}
    # One check over all outputs, so every problem is reported at once. It yields no data,
    # so it is unsecreted: each value stays exactly as secret as the stack made it.
    checked = pulumi.Output.unsecret(pulumi.Output.all(**values).apply(lambda v: _check(stack, shape, v)))
    return NetworkRef(**{field: checked.apply(lambda _, v=value: v) for field, value in values.items()})


def _check(stack: str, shape: NetworkShape, values: Mapping[str, Any]) -> None:
    """Raise NetworkOutputsError with every problem of the resolved outputs (by field)."""
    missing = [Problem(field, "not exported by that stack") for field in NETWORK_OUTPUTS if values[field] is None]
    reported = {p.field for p in missing}
    problems = missing + [p for p in network_ref_problems(values, shape) if p.field.split("[")[0] not in reported]
    problems.sort(key=lambda p: list(NETWORK_OUTPUTS).index(p.field.split("[")[0]) if p.field else len(NETWORK_OUTPUTS))
    if not problems:
        return
    lines = "\n".join(f"  - {_output_name(p.field)}: {p.message}" for p in problems)
    declared = f"{', '.join(shape.tiers)} tier(s) in {shape.az_count} AZs"
    raise NetworkOutputsError(
        f"stack {stack!r} does not export the network this stack reads ({declared}):\n{lines}\n"
        f"A network stack exports {', '.join(NETWORK_OUTPUTS.values())} (empty lists for tiers it lacks)."
    )


def _output_name(field: str) -> str:
    """`private_subnet_ids[1]` -> `privateSubnetIds[1]`; "" -> "outputs"."""
    name, bracket, rest = field.partition("[")
    return NETWORK_OUTPUTS[name] + bracket + rest if name else "outputs"
