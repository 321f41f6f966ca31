"""Removing one item of any list in a stack file changes no other child.

For every list-valued knob of every `Pulumi.<stack>.yaml` (a list of scalars or mappings
anywhere under `aws-compute:`), dropping an item (the first the stage lets go: the one whose
removal shifts every other position) must leave each child not derived from that item as
it was: the same (type, logical name), with the same inputs. A child derived from the item
may go, or lose exactly that item from a list input (an instance type from a node group, a
statement from a policy document): nothing else. A child keyed by list position fails this
at once, as its successor takes over its name with other inputs.

A list of one item, or one the stage will not let lose any (it may not be empty), is
widened instead: an item is inserted first, and the stack's own plan must be the widened
plan without it. Plans are expensive, so the edits of a stack are packed into as few
variants as the stage accepts together (edits of different lists do not interact: each is
judged by the same rule), each planned once in this warm process: in all two or three
plans per stack, covering every list knob but those `LEFT_ALONE`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pytest

import stage
from offline import stacks
from offline.engine import Plan, Secret

pytestmark = pytest.mark.heavy

NAMESPACE = f"{stage.NAMESPACE}:"
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Removal:
    """Item `index` of the list at `path` (whose first step is a full config key)."""

    path: Path
    index: int

    def __str__(self) -> str:
        return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path)[1:] + f"[{self.index}]"

    def overlaps(self, other: Removal) -> bool:
        """Whether one list lies inside (or is) the other's: their removals would interact."""
        shorter, longer = sorted((self.path, other.path), key=len)
        return longer[: len(shorter)] == shorter


def list_knobs(value: Any, path: Path) -> Iterator[tuple[Path, int]]:
    """Every list of scalars or mappings under `value`, with its length."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from list_knobs(item, (*path, key))
    elif isinstance(value, list):
        if value and not any(isinstance(item, list) for item in value):
            yield path, len(value)
        for i, item in enumerate(value):
            yield from list_knobs(item, (*path, i))


def without(config: dict[str, Any], removals: list[Removal]) -> dict[str, Any]:
    """`config` with every removal applied (the removals do not overlap)."""
    edited = copy.deepcopy(config)
    for removal in removals:
        node: Any = edited
        for step in removal.path:
            node = node[step]
        del node[removal.index]
    return edited


def stage_lines(config: dict[str, Any]) -> list[str]:
    """The stage's report for `config`: empty when it would plan."""
    values = {key[len(NAMESPACE) :]: value for key, value in config.items() if key.startswith(NAMESPACE)}
    return stage.validate(values, keys=list(config), region=config.get("aws:region"))[1]


def shrinks(before: Any, after: Any) -> bool:
    """Whether `after` is `before` with list items (or the keys that held them) removed, and
    nothing else changed; JSON documents (policies, container definitions) are compared as
    the structures they encode."""
    if before == after:
        return True
    if isinstance(before, pulumi.Asset | pulumi.Archive):
        return type(before) is type(after) and vars(before) == vars(after)
    if isinstance(before, Secret) and isinstance(after, Secret):
        return shrinks(before.value, after.value)
    if isinstance(before, str) and isinstance(after, str):
        try:
            return shrinks(json.loads(before), json.loads(after))
        except ValueError:
            return False
    if isinstance(before, dict) and isinstance(after, dict):
        return after.keys() <= before.keys() and all(shrinks(before[k], after[k]) for k in after)
    if isinstance(before, list) and isinstance(after, list):
        kept = iter(before)
        return all(any(shrinks(item, other) for item in kept) for other in after)
    return False


TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"


def by_mount(inputs: dict[str, Any]) -> dict[str, Any]:
    """A task definition with each volume named by the container paths it is mounted at.

    Scratch volumes are named by position (`scratch-0`), and deliberately so: the name only
    links a volume to its mount points inside one task definition, which any edit of the
    list (as any change at all) replaces by a new revision anyway, so naming them by path
    would save nothing and cost every service with scratch paths a new revision on upgrade.
    """
    containers = json.loads(inputs.get("containerDefinitions", "[]"))
    paths: dict[str, list[str]] = {}
    for container in containers:
        for mount in container.get("mountPoints", []):
            paths.setdefault(mount["sourceVolume"], []).append(mount["containerPath"])
            mount["sourceVolume"] = None
    volumes = [{**v, "name": sorted(paths.get(v["name"], []))} for v in inputs.get("volumes", [])]
    return {**inputs, "containerDefinitions": containers, "volumes": volumes}


def unexplained_changes(base: Plan, variant: Plan) -> list[str]:
    """Children the variant adds, or whose inputs change by more than a removed item."""

    def inputs(plan: Plan) -> dict[tuple[str, str], dict[str, Any]]:
        return {(r.type, r.name): by_mount(r.inputs) if r.type == TASK_DEFINITION else r.inputs for r in plan.resources}

    before, after = inputs(base), inputs(variant)
    added = [f"added {type_} {name}" for type_, name in sorted(after.keys() - before.keys())]
    changed = [
        f"changed {type_} {name}: {before[key]} -> {after[key]}"
        for key in sorted(after.keys() & before.keys())
        for type_, name in [key]
        if not shrinks(before[key], after[key])
    ]
    return added + changed


#: Items a list may gain, by the knob's name: a list of one item, or none of whose items can
#: go (it may not be empty), is widened by the first of these the stage accepts, inserted
#: first; the stack's own plan must then be the widened plan without that item. (Emptying a
#: list of one proves nothing of the others, and may select a default in its place.)
EXTRA_ITEMS: dict[str, list[Any]] = {
    "ingressCidrs": ["198.51.100.0/24"],
    "publicAccessCidrs": ["198.51.100.0/24"],
    "apiIngressCidrs": ["198.51.100.0/24"],
    "adminPrincipalArns": ["arn:aws:iam::123456789012:role/break-glass"],
    "viewerPrincipalArns": ["arn:aws:iam::123456789012:role/auditor"],
    "pathPatterns": ["/extra/*"],
    "egressPorts": [5432],
    "instanceTypes": ["m6g.large", "m6g.xlarge", "m7i.large"],
    "capacity": [{"provider": "FARGATE_SPOT", "weight": 1}, {"provider": "FARGATE", "weight": 1}],
    "defaultCapacity": [{"provider": "FARGATE_SPOT", "weight": 1}, {"provider": "FARGATE", "weight": 1}],
    "selectors": [{"namespace": "extra"}],
    "taints": [{"key": "dedicated", "value": "batch", "effect": "NO_EXECUTE"}],
    "statements": [{"actions": ["s3:ListBucket"], "resources": ["arn:aws:s3:::aws-compute-extra"]}],
    "taskRoleStatements": [{"actions": ["s3:ListBucket"], "resources": ["arn:aws:s3:::aws-compute-extra"]}],
    "actions": ["s3:GetObject"],
    "resources": ["arn:aws:s3:::aws-compute-extra/*"],
    "dnsAliases": ["api-internal"],
    "allowFrom": ["nightly-report", "api"],
    "scratchPaths": ["/var/cache/app"],
    "putEventsAccountIds": ["444455556666"],
    "compatibleRuntimes": ["python3.12"],
    "compatibleArchitectures": ["x86_64"],
    "layers": ["arn:aws:lambda:us-east-1:123456789012:layer:extra:1"],
    "audiences": ["another-client-id"],
    "allowOrigins": ["https://admin.example.com"],
    "allowMethods": ["POST"],
    "subscriptions": [{"protocol": "email", "endpoint": "extra@example.com"}],
    "constraints": [{"type": "distinctInstance"}],
    "strategies": [{"type": "random"}],
}
#: Lists this test leaves alone (with everything under them), and why: no child is keyed by them
#: but by design.
LEFT_ALONE: dict[str, str] = {
    "command": "an argv (a container's, a health check's CMD-SHELL and its command), in one input",
    "availabilityZones": "the i-th AZ owns the i-th CIDR slot of every tier (components/subnet_plan.py): the"
    " plan is append-only, so only the last AZ can go without moving the others' subnets",
    "managedRuleGroups": "WAF evaluates rules in list order: their priorities are positions in one web ACL",
    "policyWaivers": "waivers create no resource: they decide which policy findings stop a plan",
    "pattern": "an EventBridge event pattern is one JSON input of its rule; its lists are the pattern's own"
    " (alternatives, an operator's operands), under keys the user chooses",
}


def keys(path: Path) -> list[str]:
    """The keys along `path`, the config key without its namespace: `[services, loadBalancer, ingressCidrs]`."""
    return [step.removeprefix(NAMESPACE) for step in path if isinstance(step, str)]


def knob_name(path: Path) -> str:
    """The last key of `path`: `instanceTypes`, `policyWaivers`."""
    return keys(path)[-1]


def with_items(config: dict[str, Any], items: dict[Path, Any]) -> dict[str, Any]:
    """`config` with `items[path]` inserted first in the list at each path (deepest first, so
    that a list widened inside another's first item is widened before that item moves)."""
    edited = copy.deepcopy(config)
    for path in sorted(items, key=len, reverse=True):
        node: Any = edited
        for step in path:
            node = node[step]
        node.insert(0, copy.deepcopy(items[path]))
    return edited


@dataclass
class Variants:
    """How one stack's lists lose an item: configs with some removed each (`packed`), and a
    widened config from which removing `widened_items` (each first in its list) gives the
    stack back."""

    packed: list[list[Removal]] = field(default_factory=list)
    widened_items: dict[Path, Any] = field(default_factory=dict)

    def pack(self, config: dict[str, Any], removal: Removal) -> None:
        """Into the first variant whose lists it does not touch and that the stage accepts with it."""
        for group in self.packed:
            if not any(removal.overlaps(r) for r in group) and not stage_lines(without(config, [*group, removal])):
                group.append(removal)
                return
        self.packed.append([removal])

    def widen(self, config: dict[str, Any], path: Path) -> None:
        """With the first of the knob's `EXTRA_ITEMS` the stage accepts beside the others'."""
        candidates = EXTRA_ITEMS.get(knob_name(path))
        assert candidates, f"{path}: add items it may gain to EXTRA_ITEMS"
        accepted = (c for c in candidates if not stage_lines(with_items(config, {**self.widened_items, path: c})))
        item = next(accepted, None)
        assert item is not None, f"{path}: the stage accepts none of EXTRA_ITEMS[{knob_name(path)!r}]"
        self.widened_items[path] = item


def variants(config: dict[str, Any]) -> Variants:
    """Each knob of two items or more loses the first item the stage lets go; the others
    (and lists no item of which can go) are widened; `LEFT_ALONE` ones are not touched."""
    found = Variants()
    for key, value in config.items():
        if not key.startswith(NAMESPACE):
            continue
        for path, length in list_knobs(value, (key,)):
            if any(key in LEFT_ALONE for key in keys(path)):
                continue
            removals = (Removal(path, i) for i in range(length) if length > 1)
            removal = next((r for r in removals if not stage_lines(without(config, [r]))), None)
            if removal is not None:
                found.pack(config, removal)
            else:
                found.widen(config, path)
    return found


def overrides(config: dict[str, Any], paths: Iterable[Path]) -> dict[str, Any]:
    """The whole config keys that `paths` start at, as `run_stack` replaces them."""
    keys = {path[0] for path in paths}
    return {key: value for key, value in config.items() if key in keys}


@pytest.mark.parametrize("stack", stacks.stack_names())
def test_removing_a_list_item_changes_no_other_child(stack_plans: dict[str, Plan], stack: str) -> None:
    config, _ = stacks.stack_config(stack)
    found = variants(config)
    for removals in found.packed:
        variant = stacks.run_stack(stack, overrides=overrides(without(config, removals), [r.path for r in removals]))
        assert unexplained_changes(stack_plans[stack], variant) == [], ", ".join(map(str, removals))
    if found.widened_items:
        widened = with_items(config, found.widened_items)
        wide = stacks.run_stack(stack, overrides=overrides(widened, found.widened_items))
        inserted = ", ".join(str(Removal(path, 0)) for path in found.widened_items)
        assert unexplained_changes(wide, stack_plans[stack]) == [], f"inserted first: {inserted}"
