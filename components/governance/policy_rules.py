"""Policy rules as pure functions over a resource's type and properties.

The same functions back the CrossGuard pack (`pulumi preview --policy-pack policies`, on
real deployments) and the offline plan (`aws-compute plan`, `python -m offline plan`), which
checks every recorded resource. A rule yields one message per violation; properties use the engine's
camelCase names, as both CrossGuard and the offline engine see them.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .imds import IMDS_GOVERNED_TYPES, imdsv2_problem

Props = Mapping[str, Any]
Check = Callable[[str, Props], Iterator[str]]

WORLD = ("0.0.0.0/0", "::/0")
#: Ports a load balancer may open to the whole internet.
PUBLIC_WEB_PORTS = frozenset({80, 443})


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    enforcement: Literal["mandatory", "advisory"]
    check: Check


def _imdsv2_required(type_: str, props: Props) -> Iterator[str]:
    problem = imdsv2_problem(props) if type_ in IMDS_GOVERNED_TYPES else None
    if problem:
        yield f"instance metadata must require IMDSv2: it {problem}"


def _open_ports(from_port: Any, to_port: Any) -> set[int] | None:
    """The ports a rule opens; None for all ports."""
    if from_port is None or to_port is None or int(from_port) < 0:
        return None
    return set(range(int(from_port), int(to_port) + 1))


def _world_ingress(type_: str, props: Props) -> Iterator[str]:
    rules: list[Props] = []
    if type_ == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
        rules = [{**props, "cidrBlocks": [props.get("cidrIpv4")], "ipv6CidrBlocks": [props.get("cidrIpv6")]}]
    elif type_ == "aws:ec2/securityGroupRule:SecurityGroupRule" and props.get("type") == "ingress":
        rules = [props]
    elif type_ == "aws:ec2/securityGroup:SecurityGroup":
        rules = list(props.get("ingress") or [])
    for rule in rules:
        sources = [*(rule.get("cidrBlocks") or []), *(rule.get("ipv6CidrBlocks") or [])]
        if not any(source in WORLD for source in sources):
            continue
        ports = _open_ports(rule.get("fromPort"), rule.get("toPort"))
        if str(rule.get("ipProtocol", rule.get("protocol"))) == "-1" or ports is None or ports - PUBLIC_WEB_PORTS:
            yield "ingress from the whole internet is allowed only on ports 80 and 443 (load balancer listeners)"


def _log_retention(type_: str, props: Props) -> Iterator[str]:
    if type_ == "aws:cloudwatch/logGroup:LogGroup" and not props.get("retentionInDays"):
        yield "log groups must set retentionInDays; CloudWatch keeps logs forever (and bills for them) otherwise"


def _encrypted_volumes(type_: str, props: Props) -> Iterator[str]:
    if type_ != "aws:ec2/launchTemplate:LaunchTemplate":
        return
    for mapping in props.get("blockDeviceMappings") or []:
        ebs = mapping.get("ebs")
        if ebs and str(ebs.get("encrypted")).lower() != "true":
            yield f"EBS volume {mapping.get('deviceName')} must be encrypted"


def _eks_public_endpoint(type_: str, props: Props) -> Iterator[str]:
    if type_ != "aws:eks/cluster:Cluster":
        return
    vpc = props.get("vpcConfig") or {}
    if vpc.get("endpointPublicAccess") is not False:
        cidrs = vpc.get("publicAccessCidrs") or list(WORLD[:1])
        if any(ipaddress.ip_network(c).prefixlen == 0 for c in cidrs):
            yield "a public EKS API endpoint must be limited to an allowlist of CIDRs (not 0.0.0.0/0)"


def _policy_documents(type_: str, props: Props) -> Iterator[Any]:
    if type_ in ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy") and isinstance(props.get("policy"), str):
        yield json.loads(props["policy"])


def _no_wildcard_actions(type_: str, props: Props) -> Iterator[str]:
    for document in _policy_documents(type_, props):
        statements = document.get("Statement", [])
        for statement in statements if isinstance(statements, list) else [statements]:
            actions = statement.get("Action", [])
            for action in actions if isinstance(actions, list) else [actions]:
                if statement.get("Effect") == "Allow" and "*" in action:
                    yield f"policy allows the wildcard action {action!r}; grant the exact actions needed"


def _ecr_immutable_and_scanned(type_: str, props: Props) -> Iterator[str]:
    if type_ != "aws:ecr/repository:Repository":
        return
    if props.get("imageTagMutability") != "IMMUTABLE":
        yield "ECR repositories must use immutable tags, so a deployed tag always means the same image"
    if not (props.get("imageScanningConfiguration") or {}).get("scanOnPush"):
        yield "ECR repositories must scan images on push"


def _alb_drops_invalid_headers(type_: str, props: Props) -> Iterator[str]:
    application = props.get("loadBalancerType", "application") == "application"
    if type_ == "aws:lb/loadBalancer:LoadBalancer" and application and props.get("dropInvalidHeaderFields") is not True:
        yield "application load balancers must drop invalid header fields (request smuggling)"


def _no_public_ip_for_tasks(type_: str, props: Props) -> Iterator[str]:
    if type_ == "aws:ecs/service:Service" and (props.get("networkConfiguration") or {}).get("assignPublicIp"):
        yield "ECS tasks must not get public IPs; run them in private subnets behind a load balancer"


def _function_url_auth(type_: str, props: Props) -> Iterator[str]:
    if type_ == "aws:lambda/functionUrl:FunctionUrl" and props.get("authorizationType") == "NONE":
        yield "this function URL is callable by anyone (authorizationType NONE)"


RULES: tuple[Rule, ...] = (
    Rule(
        "imdsv2-required",
        "EC2 instances, launch templates and Spot requests require IMDSv2",
        "mandatory",
        _imdsv2_required,
    ),
    Rule("no-world-ingress", "Internet-wide ingress only on load balancer web ports", "mandatory", _world_ingress),
    Rule("log-retention", "Log groups set a retention period", "mandatory", _log_retention),
    Rule("encrypted-volumes", "Launch template EBS volumes are encrypted", "mandatory", _encrypted_volumes),
    Rule("eks-endpoint-allowlist", "A public EKS endpoint has a CIDR allowlist", "mandatory", _eks_public_endpoint),
    Rule("iam-no-wildcard-actions", "IAM policies grant exact actions", "mandatory", _no_wildcard_actions),
    Rule(
        "ecr-immutable-scanned",
        "ECR repositories are immutable and scan on push",
        "mandatory",
        _ecr_immutable_and_scanned,
    ),
    Rule("alb-drop-invalid-headers", "ALBs drop invalid header fields", "mandatory", _alb_drops_invalid_headers),
    Rule("no-public-ip-tasks", "ECS tasks get no public IP", "mandatory", _no_public_ip_for_tasks),
    Rule("function-url-auth", "Function URLs require IAM auth", "advisory", _function_url_auth),
)


@dataclass(frozen=True)
class Violation:
    rule: str
    enforcement: str
    resource: str
    message: str


def check(resources: Iterator[tuple[str, str, Props]] | list[tuple[str, str, Props]]) -> list[Violation]:
    """Every violation among `(type, name, props)` triples."""
    return [
        Violation(rule.name, rule.enforcement, name, message)
        for type_, name, props in resources
        for rule in RULES
        for message in rule.check(type_, props)
    ]
