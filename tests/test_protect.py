"""`protect` where state lives or a rebuild takes long: on by default, off only by dev's knobs."""

from __future__ import annotations

from offline.engine import Plan

#: What prod protects: the VPC, the ALB and the EKS cluster with its key, and the log
#: groups that hold audit data (flow logs, ECS Exec sessions, WAF requests, EKS control plane).
PROTECTED_IN_PROD = {
    ("aws:ec2/vpc:Vpc", "network-vpc"),
    ("aws:cloudwatch/logGroup:LogGroup", "network-flow-logs"),
    ("aws:cloudwatch/logGroup:LogGroup", "ecs-exec-logs"),
    ("aws:lb/loadBalancer:LoadBalancer", "alb-alb"),
    ("aws:cloudwatch/logGroup:LogGroup", "alb-waf-logs"),
    ("aws:eks/cluster:Cluster", "eks-cluster"),
    ("aws:kms/key:Key", "eks-secrets-key"),
    ("aws:kms/alias:Alias", "eks-secrets-key-alias"),
    ("aws:cloudwatch/logGroup:LogGroup", "eks-control-plane-logs"),
}


def protected(plan: Plan) -> set[tuple[str, str]]:
    return {(r.type, r.name) for r in plan.resources if r.protect}


def test_prod_protects_exactly_what_holds_state(stack_plans: dict[str, Plan]) -> None:
    """prod is two stacks: the network's protection in network-prod, the rest in apps-prod."""
    assert protected(stack_plans["network-prod"]) | protected(stack_plans["apps-prod"]) == PROTECTED_IN_PROD
    assert protected(stack_plans["network-prod"]) == {r for r in PROTECTED_IN_PROD if r[1].startswith("network-")}


def test_dev_turns_protect_off_in_every_area(stack_plans: dict[str, Plan]) -> None:
    assert protected(stack_plans["dev"]) == set()


def test_protect_is_never_inherited_by_the_rest_of_a_component(stack_plans: dict[str, Plan]) -> None:
    plan = stack_plans["network-prod"]
    subnets = [r for r in plan.resources if r.type == "aws:ec2/subnet:Subnet"]
    assert subnets and not any(r.protect for r in subnets)
