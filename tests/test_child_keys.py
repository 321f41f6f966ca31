"""Children made per list item are named by what they are, keep their positional names of
before 0.2.0 as aliases, and two items of one identity are refused before any resource."""

from __future__ import annotations

import pulumi
import pytest

import stage
from components import ArgsError, LambdaFunctionArgs, LoadBalancer, ZipCode
from components.child_keys import by_policy_name, cidr_key
from components.roles import role_with_grants
from offline.engine import Plan, RecordedResource, run
from tests.eks_helpers import ADMIN, eks_args, eks_plan
from tests.fargate_builders import lb_args
from tests.resource_snapshot import alias_names
from tests.test_list_edits import shrinks, unexplained_changes

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
OFFICE, VPN, V6 = "203.0.113.0/24", "198.51.100.0/24", "2001:db8::/32"
XRAY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
OWN = "arn:aws:iam::123456789012:policy/team/orders-read"


def test_a_cidr_key_is_the_cidr_with_ipv6_groups_spelled_out() -> None:
    # A URN separates its parts with `::`, so an IPv6 CIDR cannot appear compressed.
    assert [cidr_key(c) for c in (OFFICE, V6, "::/0")] == [OFFICE, "2001:db8:0:0:0:0:0:0/32", "0:0:0:0:0:0:0:0/0"]


def test_policies_are_keyed_by_their_name() -> None:
    assert by_policy_name([XRAY, OWN]) == {"AWSXRayDaemonWriteAccess": XRAY, "orders-read": OWN}


def alb(*cidrs: str) -> Plan:
    return run(lambda: LoadBalancer("alb", lb_args(ingress_cidrs=list(cidrs))))


def test_alb_ingress_rules_are_named_by_port_and_cidr_with_their_positions_as_aliases() -> None:
    rules = {r.name: r for r in alb(OFFICE, V6).of_type(INGRESS)}
    assert {name: alias_names(r) for name, r in rules.items()} == {
        "alb-ingress-80-203.0.113.0/24": ["alb-ingress-80-0"],
        "alb-ingress-80-2001:db8:0:0:0:0:0:0/32": ["alb-ingress-80-1"],
        "alb-ingress-443-203.0.113.0/24": ["alb-ingress-443-0"],
        "alb-ingress-443-2001:db8:0:0:0:0:0:0/32": ["alb-ingress-443-1"],
    }
    assert rules["alb-ingress-443-2001:db8:0:0:0:0:0:0/32"].inputs["cidrIpv6"] == V6
    assert rules["alb-ingress-443-2001:db8:0:0:0:0:0:0/32"].inputs["description"] == f"Listener port 443 from {V6}"


def test_removing_the_first_alb_cidr_changes_no_other_rule() -> None:
    # The case: by position, the second rule became `-0` and collided with the first.
    assert unexplained_changes(alb(OFFICE, VPN, V6), alb(VPN, V6)) == []


def test_eks_api_ingress_is_named_by_cidr() -> None:
    rule = eks_plan(api_ingress_cidrs=[VPN]).named(f"eks-cluster-api-{VPN}")
    assert (rule.inputs["cidrIpv4"], alias_names(rule)) == (VPN, ["eks-cluster-api-0"])


def attachments(*arns: str) -> dict[str, RecordedResource]:
    def program() -> None:
        role_with_grants(
            "app",
            description="test",
            trust="{}",
            managed_policies=by_policy_name(arns),
            opts=pulumi.ResourceOptions(),
        )

    return {r.name: r for r in run(program).of_type(ATTACHMENT)}


def test_managed_policy_attachments_are_named_by_policy_with_their_positions_as_aliases() -> None:
    found = attachments(XRAY, OWN)
    assert {name: (r.inputs["policyArn"], alias_names(r)) for name, r in found.items()} == {
        "app-managed-AWSXRayDaemonWriteAccess": (XRAY, ["app-managed-0"]),
        "app-managed-orders-read": (OWN, ["app-managed-1"]),
    }
    # Without the first, the second keeps its name and inputs (its alias names where it stood).
    after = attachments(OWN)["app-managed-orders-read"]
    assert after.inputs == found["app-managed-orders-read"].inputs


#: Each Fargate workload's one rule of before 0.2.0 (all traffic anywhere) became its first egress rule.
FARGATE_EGRESS = [
    (EGRESS, f"svc-{s}-egress-tcp-443-0.0.0.0/0", f"svc-{s}-egress") for s in ("api", "worker", "nightly-report")
]
#: The children of the checked-in stacks renamed from a position to an identity in 0.2.0,
#: by stack: (type, name now, name published before).
RENAMED = {
    "dev": [
        (INGRESS, "alb-ingress-80-0.0.0.0/0", "alb-ingress-80-0"),
        (EGRESS, "web-egress-tcp-443-0.0.0.0/0", "web-egress-0"),
        *FARGATE_EGRESS,
    ],
    "apps-prod": [
        (INGRESS, "alb-ingress-80-0.0.0.0/0", "alb-ingress-80-0"),
        (INGRESS, "alb-ingress-443-0.0.0.0/0", "alb-ingress-443-0"),
        (INGRESS, "eks-cluster-api-10.20.0.0/16", "eks-cluster-api-0"),
        (ATTACHMENT, "eks-ebs-csi-managed-AmazonEBSCSIDriverPolicy", "eks-ebs-csi-managed-0"),
        (EGRESS, "web-egress-tcp-443-0.0.0.0/0", "web-egress-0"),
        *FARGATE_EGRESS,
    ],
}


@pytest.mark.parametrize("stack", sorted(RENAMED))
def test_every_renamed_child_of_a_stack_carries_its_published_name(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    assert [(t, n, plan.named(n).type, alias_names(plan.named(n))) for t, n, _ in RENAMED[stack]] == [
        (t, n, t, [old]) for t, n, old in RENAMED[stack]
    ]
    # No alias is the URN of a resource that still exists: the engine would move its state.
    assert {a for r in plan.resources for a in r.aliases} & {r.urn for r in plan.resources} == set()


def test_the_list_edit_comparison_flags_a_successor_taking_a_name() -> None:
    def rule(name: str, cidr: str) -> RecordedResource:
        return RecordedResource(INGRESS, name, f"urn:{name}", None, {"cidrIpv4": cidr}, True, name, {})

    base, shifted = Plan("p", "s"), Plan("p", "s")
    base.resources = [rule("r-0", OFFICE), rule("r-1", VPN)]
    shifted.resources = [rule("r-0", VPN)]
    assert unexplained_changes(base, shifted) == [
        f"changed {INGRESS} r-0: {{'cidrIpv4': '{OFFICE}'}} -> {{'cidrIpv4': '{VPN}'}}"
    ]
    shifted.resources = [rule("r-x", VPN)]
    assert unexplained_changes(base, shifted) == [f"added {INGRESS} r-x"]


def test_an_input_shrinks_only_by_losing_items() -> None:
    policy = '{"Statement": [{"Action": ["s3:GetObject", "s3:PutObject"]}]}'
    assert shrinks(policy, '{"Statement": [{"Action": ["s3:PutObject"]}]}')
    assert shrinks({"types": ["a", "b", "c"], "min": 1}, {"types": ["a", "c"], "min": 1})
    assert not shrinks({"types": ["a", "b"]}, {"types": ["b", "a"]})
    assert not shrinks({"description": "from a, b"}, {"description": "from b"})


# ---------------------------------------------------------------- one identity, listed twice
def test_an_alb_cidr_listed_twice_however_written_is_refused() -> None:
    with pytest.raises(ArgsError) as error:
        lb_args(ingress_cidrs=[OFFICE, V6, "2001:0db8::/32"])
    assert str(error.value) == (
        "LoadBalancerArgs has 1 problem(s):\n"
        "  - LoadBalancerArgs.ingress_cidrs: 2001:db8:0:0:0:0:0:0/32 is listed 2 times; list each CIDR once"
    )


def test_a_stack_file_naming_an_alb_cidr_twice_gets_its_key_path() -> None:
    lb = {
        "ingressCidrs": [OFFICE, OFFICE],
        "listeners": "httpsWithRedirect",
        "certificateArn": lb_args().certificate_arn,
    }
    _, lines = stage.validate({"services": {"loadBalancer": lb}})
    assert lines == [f"aws-compute:services.loadBalancer.ingressCidrs: {OFFICE} is listed 2 times; list each CIDR once"]


def test_eks_api_cidrs_listed_twice_are_refused() -> None:
    with pytest.raises(ArgsError) as error:
        eks_args(api_ingress_cidrs=[VPN, VPN])
    assert str(error.value) == (
        "EksClusterArgs has 1 problem(s):\n"
        f"  - EksClusterArgs.api_ingress_cidrs: {VPN} is listed 2 times; list each CIDR once"
    )


def test_two_principals_of_one_name_are_refused() -> None:
    other_account = ADMIN.replace("123456789012", "210987654321")
    with pytest.raises(ArgsError) as error:
        eks_args(admin_principal_arns=[ADMIN, other_account])
    assert str(error.value) == (
        "EksClusterArgs has 1 problem(s):\n"
        "  - EksClusterArgs.admin_principal_arns: 2 principals are named platform-admin, and the name keys their"
        " access entries; grant one of them through a role of another name"
    )


def test_two_managed_policies_of_one_name_are_refused() -> None:
    code = ZipCode(path="functions/api", handler="handler.handler", runtime="python3.13")
    with pytest.raises(ArgsError) as error:
        LambdaFunctionArgs(
            code=code, managed_policy_arns=(READ_ONLY, "arn:aws:iam::123456789012:policy/AmazonS3ReadOnlyAccess")
        )
    assert str(error.value) == (
        "LambdaFunctionArgs has 1 problem(s):\n"
        "  - LambdaFunctionArgs.managed_policy_arns: 2 policies are named AmazonS3ReadOnlyAccess, and the name keys"
        " their attachments; list each policy once"
    )
