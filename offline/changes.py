"""What `pulumi up` would do to go from one snapshot of a stack to another.

Resources pair up by URN, then by alias (an update under a new URN), then by rename: a resource
whose URN changed without an alias — same type, under the counterpart of its parent, named
with the renamed parent's new prefix, or the only one of its type gone from a parent that
gained exactly one — is a **replacement**, as Pulumi deletes the old one and creates the new.
A paired resource is replaced when a property in the replace-on-change table changes
(`offline.replacements`), and so is every resource that feeds a replaced resource's id or ARN
into such a property (Pulumi only learns the new id once the replacement exists). Across
stacks the same holds: a stack that reads another's outputs through a stack reference is
diffed with that stack's replacements (`upstream_replacements`), and whatever takes one of
their ids or ARNs is updated or replaced in turn (ids are matched by value: the reference
carries no URN).

Exit status of a diff: 0 nothing changes; 2 changes, none of them dangerous; 3 a replacement
(task definitions excepted: every change of one is a new revision) or the deletion of a
protected kind (`PROTECTED`), and any replacement or deletion of a resource registered with
`protect` (which `pulumi up` refuses).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from . import cost_report, replacements

Kind = Literal["replace", "delete", "create", "update"]
KINDS: tuple[Kind, ...] = ("replace", "delete", "create", "update")

#: Types whose replacement is how they change: a new revision, not an outage.
REVISIONS = frozenset({"aws:ecs/taskDefinition:TaskDefinition"})

#: Types whose deletion loses data (logs, messages, keys) or an address, a network or a
#: cluster that others depend on.
PROTECTED = frozenset(
    {
        "aws:ec2/vpc:Vpc",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/eip:Eip",
        "aws:ec2/natGateway:NatGateway",
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:ecs/cluster:Cluster",
        "aws:ecs/service:Service",
        "aws:eks/cluster:Cluster",
        "aws:eks/nodeGroup:NodeGroup",
        "aws:autoscaling/group:Group",
        "aws:lambda/function:Function",
        "aws:kms/key:Key",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:sqs/queue:Queue",
        "aws:ecr/repository:Repository",
        "aws:servicediscovery/httpNamespace:HttpNamespace",
    }
)

EXIT_NO_CHANGES, EXIT_CHANGES, EXIT_DANGEROUS = 0, 2, 3

#: The reason added to the replacement or deletion of a resource registered with `protect`.
PROTECT_REASON = "it is protected (`protect`): `pulumi up` refuses to delete it until the option is lifted"


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Unknown:
    """A value Pulumi learns only during the update: an output of a replaced resource."""

    source: str

    def __repr__(self) -> str:
        return f"(known after {self.source} is replaced)"


@dataclass(frozen=True)
class UpstreamReplacement:
    """A resource another stack replaces, whose id or ARN this stack may read from it."""

    stack: str
    name: str
    values: frozenset[str]
    """Its id and ARN."""

    @property
    def label(self) -> str:
        return f"{self.stack}'s {self.name}"


@dataclass(frozen=True)
class PropertyChange:
    path: str
    old: Any
    new: Any
    replaces: str | None = None
    """Why this change replaces the resource, when it does."""
    may_replace: str | None = None
    """The case in which it would, for properties that replace only conditionally."""


@dataclass(frozen=True)
class Change:
    kind: Kind
    type: str
    name: str
    urn: str
    parent: str | None
    old_name: str | None = None
    reasons: tuple[str, ...] = ()
    properties: tuple[PropertyChange, ...] = ()
    cautions: tuple[str, ...] = ()
    """What will go wrong on the way, beyond the change itself (`CAUTIONS`)."""

    @property
    def dangerous(self) -> bool:
        if self.kind == "replace":
            return self.type not in REVISIONS or PROTECT_REASON in self.reasons
        return self.kind == "delete" and (self.type in PROTECTED or PROTECT_REASON in self.reasons)


@dataclass
class StackDiff:
    stack: str
    base: str
    head: str
    changes: list[Change]
    extra_summary: list[str] = field(default_factory=list)
    """More lines for the stack's summary (e.g. the monthly cost delta); renderers print them
    after the totals."""

    def of_kind(self, kind: Kind) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[Kind, int]:
        return {kind: len(self.of_kind(kind)) for kind in KINDS}

    @property
    def exit_code(self) -> int:
        if any(c.dangerous for c in self.changes):
            return EXIT_DANGEROUS
        return EXIT_CHANGES if self.changes else EXIT_NO_CHANGES


# ---------------------------------------------------------------- cautions
def _overlapping_subnet(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """A subnet replaced for a CIDR that overlaps its old one: Pulumi creates a replacement
    before deleting the original, and EC2 refuses a subnet overlapping one that exists."""
    before, after = old.get("cidrBlock"), new.get("cidrBlock")
    if not (isinstance(before, str) and isinstance(after, str)) or before == after:
        return None
    try:
        overlap = ipaddress.ip_network(before).overlaps(ipaddress.ip_network(after))
    except ValueError:
        return None
    if not overlap:
        return None
    return (
        f"the new CIDR {after} overlaps the old {before}: EC2 refuses a subnet overlapping one that"
        " exists (InvalidSubnet.Conflict), and Pulumi by default creates the replacement before deleting the"
        " original, so `pulumi up` stops here. Give the new range to new subnets and move the"
        " workloads, or delete first (`deleteBeforeReplace`) once nothing runs in the subnet"
    )


#: Per type, what foresees a replacement failing: (old inputs, new inputs) -> caution or None.
CAUTIONS = {"aws:ec2/subnet:Subnet": _overlapping_subnet}


# ---------------------------------------------------------------- property differences
def _parsed(value: Any) -> Any:
    """A JSON document held in a string (IAM policies, container definitions) as data."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _leaf(value: Any) -> bool:
    return not isinstance(value, dict | list) or (isinstance(value, dict) and ("secret" in value or "sha256" in value))


def differences(old: Any, new: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, old, new) at each point where two input trees diverge; a side missing there is ABSENT."""
    old, new = _parsed(old), _parsed(new)
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict) and not (_leaf(old) or _leaf(new)):
        for key in sorted(set(old) | set(new)):
            yield from differences(old.get(key, ABSENT), new.get(key, ABSENT), f"{path}.{key}" if path else key)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            yield from differences(
                old[i] if i < len(old) else ABSENT, new[i] if i < len(new) else ABSENT, f"{path}[{i}]"
            )
    else:
        yield path, old, new


def _property_changes(type_: str, old: dict[str, Any], new: dict[str, Any]) -> list[PropertyChange]:
    changes = []
    for path, before, after in differences(old, new):
        prop = replacements.replacing(type_, path)
        rule = replacements.table().get(type_)
        reason = f"`{prop}` cannot change in place ({rule.terraform})" if prop and rule else None
        may = None if reason else replacements.conditional(type_, path)
        changes.append(PropertyChange(path, before, after, reason, may))
    return changes


# ---------------------------------------------------------------- pairing
def _pairs(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    """Old URN -> new URN for every resource both sides hold, and the subset that is a rename
    without an alias (URN changed)."""
    new_urns = {r["urn"] for r in new}
    paired = {r["urn"]: r["urn"] for r in old if r["urn"] in new_urns}
    old_left = {r["urn"]: r for r in old if r["urn"] not in paired}
    new_left = [r for r in new if r["urn"] not in paired.values()]
    for r in list(new_left):
        alias = next((a for a in r["aliases"] if a in old_left), None)
        if alias:
            paired[alias] = r["urn"]
            del old_left[alias]
            new_left.remove(r)
    renamed: dict[str, str] = {}
    by_urn_old = {r["urn"]: r for r in old}
    for o in [r for r in old if r["urn"] in old_left]:  # registration order: parents first
        new_parent = paired.get(o["parent"], o["parent"]) if o["parent"] else None
        siblings = [n for n in new_left if n["type"] == o["type"] and n["parent"] == new_parent]
        match = None
        if o["parent"] in renamed:
            old_prefix = by_urn_old[o["parent"]]["name"]
            new_prefix = renamed[o["parent"]].rsplit("::", 1)[-1]
            if o["name"].startswith(old_prefix):
                expected = new_prefix + o["name"][len(old_prefix) :]
                match = next((n for n in siblings if n["name"] == expected), None)
        else:
            gone = [r for r in old_left.values() if r["type"] == o["type"] and r["parent"] == o["parent"]]
            if len(gone) == 1 and len(siblings) == 1:
                match = siblings[0]
        if match:
            paired[o["urn"]] = renamed[o["urn"]] = match["urn"]
            new_left.remove(match)
    return paired, renamed


# ---------------------------------------------------------------- the diff
@dataclass(frozen=True)
class _Source:
    """A replaced resource whose new id or ARN reaches other resources' inputs."""

    label: str
    values: frozenset[str]
    urn: str | None
    """Its URN in this stack; None for another stack's (no dependency to follow then)."""


def _ids(resource: dict[str, Any]) -> frozenset[str]:
    """A snapshot resource's id and ARN, what other resources' inputs can hold of it."""
    return frozenset(v for v in (resource["id"], resource["arn"]) if v)


def _local_source(resource: dict[str, Any]) -> _Source:
    return _Source(resource["name"], _ids(resource), resource["urn"])


def _cascade(
    new_by_urn: dict[str, dict[str, Any]],
    found: dict[str, Change],
    replaced: set[str],
    upstream: Sequence[UpstreamReplacement] = (),
) -> None:
    """Replace or update what takes a replaced resource's id or ARN, until nothing more changes."""
    fed_by: dict[str, dict[str, list[str]]] = {}  # dependent URN -> replace-on-change property -> sources
    own_reasons: dict[str, tuple[str, ...]] = {}  # dependent URN -> its reasons before the cascade
    queue = [_Source(u.label, u.values, None) for u in upstream] + [_local_source(new_by_urn[u]) for u in replaced]
    while queue:
        source = queue.pop(0)
        for r in new_by_urn.values():
            before = found.get(r["urn"])
            if not source.values or (source.urn is not None and source.urn not in r["dependencies"]):
                continue
            if before and (before.kind in ("create", "delete") or before.old_name):
                continue  # created or renamed: its inputs already show what changes
            fed = [p for p, v in _string_leaves(r["inputs"]) if any(x in v for x in source.values)]
            if not fed:
                continue
            became_replaced = bool(before and before.kind == "replace")
            for path in fed:
                if prop := replacements.replacing(r["type"], path):
                    fed_by.setdefault(r["urn"], {}).setdefault(prop, []).append(source.label)
            kept = [p for p in (before.properties if before else ()) if p.path not in fed]
            props = [PropertyChange(p, _value_at(r["inputs"], p), Unknown(source.label)) for p in fed]
            properties = tuple(sorted((*kept, *props), key=lambda p: p.path))
            reasons = own_reasons.setdefault(r["urn"], before.reasons if before else ())
            if r["urn"] in fed_by:
                terraform = replacements.table()[r["type"]].terraform
                reasons += tuple(
                    f"{', '.join(sorted(names))} {'is' if len(names) == 1 else 'are'} replaced: "
                    f"the new id{'s' if len(names) > 1 else ''} feed{'s' if len(names) == 1 else ''} "
                    f"`{prop}` ({terraform})"
                    for prop, names in fed_by[r["urn"]].items()
                )
            if reasons and r.get("protect") and PROTECT_REASON not in reasons:
                reasons += (PROTECT_REASON,)
            kind: Kind = "replace" if reasons else "update"
            found[r["urn"]] = Change(kind, r["type"], r["name"], r["urn"], r["parent"], None, reasons, properties)
            if kind == "replace" and not became_replaced:
                queue.append(_local_source(r))


def upstream_replacements(diff: StackDiff, snapshot: dict[str, Any]) -> list[UpstreamReplacement]:
    """What `diff` replaces, with the ids and ARNs (from the stack's `snapshot`) that stacks
    reading its outputs may hold."""
    by_urn = {r["urn"]: r for r in snapshot["resources"]}
    return [
        UpstreamReplacement(diff.stack, c.name, _ids(r))
        for c in diff.of_kind("replace")
        if (r := by_urn.get(c.urn)) is not None
    ]


def _string_leaves(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    value = _parsed(value)
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _string_leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _string_leaves(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def _value_at(inputs: dict[str, Any], path: str) -> Any:
    return next((v for p, v in _string_leaves(inputs) if p == path), ABSENT)


def _tree_positions(resources: list[dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Each URN's place in the resource tree, depth first, siblings by name: an order that does
    not depend on the order the program happened to register in."""
    by_urn = {r["urn"]: r for r in resources}

    def chain(r: dict[str, Any]) -> tuple[str, ...]:
        parent = by_urn.get(r["parent"]) if r["parent"] else None
        return (*(chain(parent) if parent else ()), r["name"], r["type"])

    return {urn: chain(r) for urn, r in by_urn.items()}


def diff(
    old: dict[str, Any],
    new: dict[str, Any],
    base: str,
    head: str,
    upstream: Sequence[UpstreamReplacement] = (),
) -> StackDiff:
    """The changes from snapshot `old` (the deployed state, e.g. the base ref) to `new`;
    `upstream` are the replacements of the stacks it reads outputs from."""
    paired, renamed = _pairs(old["resources"], new["resources"])
    old_by_urn = {r["urn"]: r for r in old["resources"]}
    new_by_urn = {r["urn"]: r for r in new["resources"]}
    found: dict[str, Change] = {}
    replaced_same_urn: set[str] = set()
    for old_urn, new_urn in paired.items():
        o, n = old_by_urn[old_urn], new_by_urn[new_urn]
        props = _property_changes(n["type"], o["inputs"], n["inputs"])
        reasons = tuple(p.replaces for p in props if p.replaces)
        if old_urn in renamed:  # the URN alone replaces it, whatever else changes
            reasons = (f"its URN changes ({o['name']} → {n['name']}) and no alias names the old one",)
        elif reasons:
            replaced_same_urn.add(new_urn)
        if reasons and o.get("protect"):
            reasons = (*reasons, PROTECT_REASON)
        if reasons:
            kind: Kind = "replace"
        elif props or old_urn != new_urn:
            kind = "update"
        else:
            continue
        renamed_from = o["name"] if old_urn != new_urn else None
        foresee = CAUTIONS.get(n["type"]) if kind == "replace" else None
        caution = foresee(o["inputs"], n["inputs"]) if foresee else None
        cautions = (caution,) if caution else ()
        change = Change(kind, n["type"], n["name"], new_urn, n["parent"], renamed_from, reasons, tuple(props), cautions)
        found[new_urn] = change
    for r in old["resources"]:
        if r["urn"] not in paired:
            protect = (PROTECT_REASON,) if r.get("protect") else ()
            found[r["urn"]] = Change("delete", r["type"], r["name"], r["urn"], r["parent"], None, protect)
    for r in new["resources"]:
        if r["urn"] not in paired.values():
            found[r["urn"]] = Change("create", r["type"], r["name"], r["urn"], r["parent"])
    _cascade(new_by_urn, found, replaced_same_urn, upstream)
    position = {**_tree_positions(old["resources"]), **_tree_positions(new["resources"])}
    changes = sorted(found.values(), key=lambda c: (KINDS.index(c.kind), position[c.urn]))
    cost = cost_report.delta_line(old.get("monthlyCost"), new.get("monthlyCost"))
    return StackDiff(new["stack"], base, head, changes, [cost] if cost else [])
