"""Shared builders for the EKS tests: small args and a plan of one EksCluster."""

from __future__ import annotations

import json
from typing import Any

from components import EksCluster, EksClusterArgs, NodeGroupArgs
from offline.engine import Plan, RecordedResource, Secret, run

ADMIN = "arn:aws:iam::123456789012:role/platform-admin"
VIEWER = "arn:aws:iam::123456789012:role/platform-readonly"
SUBNETS = ["subnet-private-a", "subnet-private-b"]
CLUSTER = "aws-compute-test"


def eks_args(**overrides: Any) -> EksClusterArgs:
    """Valid minimal args (one default node group), with overrides."""
    base: dict[str, Any] = {
        "cluster_name": CLUSTER,
        "vpc_id": "vpc-test",
        "subnet_ids": SUBNETS,
        "admin_principal_arns": [ADMIN],
        "node_groups": {"general": NodeGroupArgs()},
    }
    return EksClusterArgs(**{**base, **overrides})


def eks_plan(**overrides: Any) -> Plan:
    args = eks_args(**overrides)
    return run(lambda: EksCluster("eks", args))


def outputs(plan: Plan) -> dict[str, Any]:
    (component,) = plan.of_type("aws-compute:eks_cluster:EksCluster")
    return plan.component_outputs[component.urn]


def doc(resource: RecordedResource, key: str) -> dict[str, Any]:
    """A JSON policy input of a recorded resource, parsed."""
    return json.loads(resource.inputs[key])


def reveal(value: Any) -> Any:
    assert isinstance(value, Secret), f"{value!r} is not a secret"
    return value.value


def names(plan: Plan, type_: str) -> set[str]:
    return {r.name for r in plan.of_type(type_)}


def attached_policies(plan: Plan, role_name: str) -> set[str]:
    """Managed policy names attached to the role with logical name `role_name`."""
    role = plan.named(role_name)
    return {
        r.inputs["policyArn"].rsplit("/", 1)[-1]
        for r in plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if r.inputs["role"] == role.state["name"]
    }
