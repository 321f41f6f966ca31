"""Policy rules as pure functions over a resource's type and properties.

The same functions back the CrossGuard pack (`pulumi preview --policy-pack policies`, on
real deployments) and the offline plan (`aws-compute plan`, `python -m offline plan`), which
checks every recorded resource. A rule yields one message per violation; properties use the engine's
camelCase names, as both CrossGuard and the offline engine see them.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
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


# --- stack rules: judged with the resources a resource's inputs were wired from


@dataclass(frozen=True)
class Resource:
    """A resource as a stack rule sees it (CrossGuard's PolicyResource, or an offline record)."""

    type: str
    name: str
    urn: str
    props: Props
    property_dependencies: Mapping[str, Collection[str]]
    """Input name -> URNs of the resources its value came from."""


Lookup = Callable[[str], "Resource | None"]


@dataclass(frozen=True)
class StackRule:
    name: str
    description: str
    enforcement: Literal["mandatory", "advisory"]
    check: Callable[[Resource, Lookup], Iterator[str]]


LISTENER = "aws:lb/listener:Listener"
LISTENER_RULE = "aws:lb/listenerRule:ListenerRule"
LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"


def _wired_from(resource: Resource, key: str, type_: str, lookup: Lookup) -> Resource | None:
    found = (lookup(urn) for urn in resource.property_dependencies.get(key, ()))
    return next((r for r in found if r is not None and r.type == type_), None)


def _serves_plain_http_to_internet(listener: Resource, lookup: Lookup) -> bool:
    """An HTTP listener on an internet-facing ALB (AWS's default scheme), or an explicit HTTP
    listener on a load balancer outside the stack (which nothing shows to be internal)."""
    lb = _wired_from(listener, "loadBalancerArn", LOAD_BALANCER, lookup)
    if lb is None:
        return listener.props.get("protocol") == "HTTP"
    internet_facing = lb.props.get("internal") is not True
    application = lb.props.get("loadBalancerType", "application") == "application"
    return internet_facing and application and (listener.props.get("protocol") or "HTTP") == "HTTP"


def _redirect_to_https(actions: Any) -> bool:
    return all(
        a.get("type") == "redirect" and (a.get("redirect") or {}).get("protocol") == "HTTPS" for a in actions or []
    )


def _plain_http_to_internet(resource: Resource, lookup: Lookup) -> Iterator[str]:
    if resource.type == LISTENER and _serves_plain_http_to_internet(resource, lookup):
        if not _redirect_to_https(resource.props.get("defaultActions")):
            yield (
                "this HTTP listener of an internet-facing load balancer answers in plain text; redirect it to"
                " HTTPS (listeners: httpsWithRedirect) or waive the rule for it with a reason"
            )
    elif resource.type == LISTENER_RULE:
        listener = _wired_from(resource, "listenerArn", LISTENER, lookup)
        plain = listener is not None and _serves_plain_http_to_internet(listener, lookup)
        if plain and listener and not _redirect_to_https(resource.props.get("actions")):
            yield (
                f"this rule serves plain HTTP to the internet on listener {listener.name}; attach it to an"
                " HTTPS listener or waive the rule for it with a reason"
            )


NO_PLAIN_HTTP = "no-plain-http-internet"
STACK_RULES: tuple[StackRule, ...] = (
    StackRule(
        NO_PLAIN_HTTP,
        "Internet-facing load balancers redirect HTTP to HTTPS",
        "mandatory",
        _plain_http_to_internet,
    ),
)

RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES) + tuple(r.name for r in STACK_RULES)


def check_stack(resources: Sequence[Resource]) -> list[Violation]:
    """Every violation of the resource rules and the stack rules in a whole stack."""
    by_urn = {r.urn: r for r in resources}
    return check([(r.type, r.name, r.props) for r in resources]) + [
        Violation(rule.name, rule.enforcement, resource.name, message)
        for resource in resources
        for rule in STACK_RULES
        for message in rule.check(resource, by_urn.get)
    ]


# --- waivers: exceptions to a rule, reviewed as code in the stack file


@dataclass(frozen=True)
class Waiver:
    """Rule `rule` does not apply to the resources named (Pulumi logical names), because `reason`;
    until `expires` (inclusive) when given."""

    rule: str
    resources: tuple[str, ...]
    reason: str
    expires: date | None = None

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    def describe(self) -> str:
        until = f" (until {self.expires.isoformat()})" if self.expires else ""
        return f"{self.reason}{until}"


def waiver_problems(waiver: Waiver, today: date) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with a waiver: an unknown rule, no resources,
    no reason, or an expiry in the past."""
    problems = []
    if waiver.rule not in RULE_NAMES:
        problems.append(("rule", f"{waiver.rule!r} is not a policy rule; use one of {', '.join(RULE_NAMES)}"))
    if not waiver.resources:
        problems.append(("resources", "name at least one resource (its Pulumi logical name, as plans show it)"))
    if not waiver.reason.strip():
        problems.append(("reason", "say why this exception is acceptable: a waiver without a reason is refused"))
    if waiver.expired(today):
        assert waiver.expires is not None
        problems.append(
            ("expires", f"{waiver.expires.isoformat()} has passed; fix the resources, or renew it with a new date")
        )
    return problems


@dataclass(frozen=True)
class Waived:
    violation: Violation
    waiver: Waiver


def apply_waivers(
    violations: Sequence[Violation], waivers: Sequence[Waiver], today: date
) -> tuple[list[Violation], list[Waived]]:
    """The violations no live waiver covers, and the ones waived (with their waiver)."""
    kept: list[Violation] = []
    waived: list[Waived] = []
    for violation in violations:
        waiver = next(
            (
                w
                for w in waivers
                if w.rule == violation.rule and violation.resource in w.resources and not w.expired(today)
            ),
            None,
        )
        if waiver is None:
            kept.append(violation)
        else:
            waived.append(Waived(violation, waiver))
    return kept, waived


def waivers_from_config(entries: Sequence[Mapping[str, Any]], rule: str | None = None) -> list[Waiver]:
    """Waivers from their config form (`{rule, resources, reason, expires}`, as in the stack file
    and the policy pack config); `rule` fills in the rule of a pack policy's own entries."""
    return [
        Waiver(
            rule=str(entry.get("rule", rule)),
            resources=tuple(entry.get("resources") or ()),
            reason=str(entry.get("reason") or ""),
            expires=date.fromisoformat(str(entry["expires"])) if entry.get("expires") else None,
        )
        for entry in entries
    ]


def waivers_schema(with_rule: bool) -> dict[str, Any]:
    """The JSON schema of a pack policy's `waivers` config property (`rule` only in the report's)."""
    fields: dict[str, Any] = {"rule": {"type": "string", "enum": list(RULE_NAMES)}} if with_rule else {}
    fields |= {
        "resources": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "reason": {"type": "string", "minLength": 1, "pattern": "\\S"},
        "expires": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    }
    required = ["rule", "resources", "reason"] if with_rule else ["resources", "reason"]
    return {
        "type": "array",
        "items": {"type": "object", "properties": fields, "required": required, "additionalProperties": False},
    }


#: The advisory pack policy that prints every waiver applied.
WAIVER_REPORT = "policy-waivers"


def pack_config(waivers: Sequence[Waiver]) -> dict[str, Any]:
    """`pulumi preview --policy-pack-config` JSON for these waivers: each rule's own under its
    name, and all of them under the advisory `policy-waivers` report."""

    def entry(waiver: Waiver, with_rule: bool) -> dict[str, Any]:
        fields: dict[str, Any] = {"rule": waiver.rule} if with_rule else {}
        fields |= {"resources": list(waiver.resources), "reason": waiver.reason}
        return fields | ({"expires": waiver.expires.isoformat()} if waiver.expires else {})

    config: dict[str, Any] = {}
    for waiver in waivers:
        config.setdefault(waiver.rule, {"waivers": []})["waivers"].append(entry(waiver, False))
    if waivers:
        config[WAIVER_REPORT] = {"waivers": [entry(w, True) for w in waivers]}
    return config
