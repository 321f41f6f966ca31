"""A monthly cost estimate of an offline plan: per resource, per component, in total.

Every AWS resource type a plan registers is either priced here (a function from the
recorded resource to its charges) or declared free with the reason (`FREE`). Prices come
from the region's pinned, dated price file (`offline/pricing.py`); usage-based charges from
the stage's `costAssumptions` (`components/cost_assumptions.py`). A scaled resource (an ECS service,
an Auto Scaling group, a node group) is a range from its minimum to its maximum capacity;
everything else costs the same at both ends. A month is 730 hours, as on AWS's pages.

`monthly_range(plan)` is the total as `(low, high)`, for the plan and diff commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from components.cost_assumptions import CostAssumptions

from .engine import Plan, RecordedResource, Secret
from .pricing import CostError, PriceBook, load
from .schedule_runs import DAYS_PER_MONTH, runs_per_month

HOURS = 730
"""Hours in a month, as AWS's pricing pages and calculator count them."""

FREE: dict[str, str] = {
    "aws:apigatewayv2/apiMapping:ApiMapping": "free",
    "aws:apigatewayv2/authorizer:Authorizer": "JWT authorizers are free; their requests are priced on the API",
    "aws:apigatewayv2/domainName:DomainName": "custom domain names are free (the ACM certificate is too)",
    "aws:apigatewayv2/integration:Integration": "free; its invocations are priced on the function",
    "aws:apigatewayv2/route:Route": "free; requests are priced on the API",
    "aws:apigatewayv2/stage:Stage": "free; requests are priced on the API (access logs on their log group)",
    "aws:appautoscaling/scheduledAction:ScheduledAction": "scheduled capacity changes are free",
    "aws:appautoscaling/target:Target": "free; its capacity bounds the service's range",
    "aws:autoscaling/schedule:Schedule": "scheduled capacity changes are free",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "free",
    "aws:cloudwatch/eventRule:EventRule": "free; events are priced on the bus they are published to",
    "aws:cloudwatch/eventTarget:EventTarget": "delivery to targets in the account is free",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "security groups are free",
    "aws:ec2/flowLog:FlowLog": "its records are billed as ingestion of the destination log group",
    "aws:ec2/internetGateway:InternetGateway": "free (data transfer out is not estimated)",
    "aws:ec2/launchTemplate:LaunchTemplate": "free; priced through the group that launches it",
    "aws:ec2/route:Route": "routes are free",
    "aws:ec2/routeTable:RouteTable": "route tables are free",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "route table associations are free",
    "aws:ec2/securityGroup:SecurityGroup": "security groups are free",
    "aws:ec2/subnet:Subnet": "subnets are free",
    "aws:ec2/vpc:Vpc": "a VPC is free",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "free",
    "aws:ecs/capacityProvider:CapacityProvider": "free; its instances are priced on the Auto Scaling group",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "free",
    "aws:ecs/taskDefinition:TaskDefinition": "free; its tasks are priced on the service or schedule that runs them",
    "aws:eks/accessEntry:AccessEntry": "free",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "free",
    "aws:eks/addon:Addon": "EKS add-ons are free; their pods run on the cluster's compute",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": "free",
    "aws:iam/instanceProfile:InstanceProfile": "IAM is free",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "IAM is free",
    "aws:iam/role:Role": "IAM is free",
    "aws:iam/rolePolicy:RolePolicy": "IAM is free",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM is free",
    "aws:kms/alias:Alias": "aliases are free",
    "aws:lambda/alias:Alias": "aliases are free",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "polling is free; its SQS requests are priced on the queue",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": "free",
    "aws:lambda/functionUrl:FunctionUrl": "its requests are billed as invocations of the function",
    "aws:lambda/layerVersion:LayerVersion": "layers are free to store (they count toward the 75 GB code storage quota)",
    "aws:lambda/permission:Permission": "free",
    "aws:lb/listener:Listener": "billed in the load balancer's LCUs",
    "aws:lb/listenerRule:ListenerRule": "billed in the load balancer's LCUs (rule evaluations)",
    "aws:lb/targetGroup:TargetGroup": "billed in the load balancer's LCUs",
    "aws:servicediscovery/httpNamespace:HttpNamespace": (
        "an HTTP namespace is free (Cloud Map instance registrations, $0.10 a month each, are not estimated)"
    ),
    "aws:sns/topic:Topic": (
        "a topic is free; alarm notifications (a few hundred state changes a month) cost $0.50 per million"
        " publishes, email deliveries $2 per 100,000: not estimated"
    ),
    "aws:sns/topicPolicy:TopicPolicy": "free",
    "aws:sns/topicSubscription:TopicSubscription": "free; deliveries are billed per notification (see the topic)",
    "aws:sqs/queuePolicy:QueuePolicy": "free",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "free",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security group rules are free",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security group rules are free",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "free; the web ACL is priced",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (
        "its records are billed as ingestion of the destination log group"
    ),
}

ALWAYS_LEFT_OUT = "data transfer out of AWS and across AZs, taxes, support plans and free tiers"


@dataclass(frozen=True)
class Charge:
    resource: str
    type: str
    component: str
    """The parent component's logical name, `(stack)` for resources directly in the stack."""
    component_type: str
    charge: str
    low: float
    high: float
    basis: str
    """The arithmetic, with each price (`*`: unconfirmed) and assumption it used."""


@dataclass
class Estimate:
    project: str
    stack: str
    prices: PriceBook
    assumptions: CostAssumptions
    charges: list[Charge] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    """Charges the plan implies but the estimate does not include, one line each."""
    unpriced: list[str] = field(default_factory=list)
    """Resource types registered that are neither priced nor declared free."""

    @property
    def total(self) -> tuple[float, float]:
        return sum(c.low for c in self.charges), sum(c.high for c in self.charges)

    def by_component(self) -> dict[str, list[Charge]]:
        grouped: dict[str, list[Charge]] = {}
        for charge in self.charges:
            grouped.setdefault(charge.component, []).append(charge)
        return dict(sorted(grouped.items()))


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Secret) else value


def _get(inputs: dict[str, Any], *path: str, default: Any = None) -> Any:
    value: Any = inputs
    for key in path:
        value = _plain(value)
        if not isinstance(value, dict) or key not in value:
            return default
        value = value[key]
    return _plain(value)


def quantity(value: float) -> str:
    """A count for a basis: `3`, `0.125`, `6.333`, `1,000,000`."""
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _span(low: float, high: float) -> str:
    return quantity(low) if low == high else f"{quantity(low)}–{quantity(high)}"


class _Context:
    """What pricers share: the plan, the price book, the assumptions, and lookups."""

    def __init__(self, plan: Plan, prices: PriceBook, assumptions: CostAssumptions) -> None:
        self.plan = plan
        self.prices = prices
        self.assume = assumptions
        self.caveats: list[str] = []
        self._by_arn = {_plain(r.state.get("arn")): r for r in plan.resources if r.custom and r.state.get("arn")}
        self._by_id = {r.id: r for r in plan.resources if r.custom}
        self._by_name = {str(_plain(r.state.get("name"))): r for r in plan.resources if r.custom}

    def by_arn(self, arn: Any) -> RecordedResource | None:
        return self._by_arn.get(_plain(arn))

    def by_id(self, id_: Any) -> RecordedResource | None:
        return self._by_id.get(_plain(id_))

    def by_name(self, type_: str, name: Any) -> RecordedResource | None:
        found = self._by_name.get(str(_plain(name)))
        return found if found is not None and found.type == type_ else None

    def spot(self, kind: str) -> tuple[float, str]:
        percent = getattr(self.assume.spot_discount_percent, kind)
        return 1 - percent / 100, f"(1 − {quantity(percent)}% spotDiscountPercent.{kind})"


Pricer = Callable[[RecordedResource, _Context], list[tuple[str, float, float, str]]]
"""A resource -> its charges as (charge, low, high, basis)."""


def _fixed(charge: str, monthly: float, basis: str) -> tuple[str, float, float, str]:
    return charge, monthly, monthly, basis


def _nat_gateway(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    p, gb = ctx.prices, ctx.assume.nat_gateway_gb_per_month
    return [
        _fixed("NAT gateway hours", HOURS * p["nat_gateway_hour"], f"{HOURS} h × {p.text('nat_gateway_hour')}/h"),
        _fixed(
            "NAT data processed",
            gb * p["nat_gateway_gb"],
            f"{quantity(gb)} GB natGatewayGbPerMonth × {p.text('nat_gateway_gb')}/GB",
        ),
    ]


def _public_ipv4(count: float) -> Callable[[_Context], tuple[float, str]]:
    def price(ctx: _Context) -> tuple[float, str]:
        p = ctx.prices
        return count * HOURS * p["public_ipv4_hour"], f"{quantity(count)} × {HOURS} h × {p.text('public_ipv4_hour')}/h"

    return price


def _eip(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    monthly, basis = _public_ipv4(1)(ctx)
    return [_fixed("public IPv4 address", monthly, basis)]


def _load_balancer(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    p, lcus = ctx.prices, ctx.assume.alb_lcus
    if _get(r.inputs, "loadBalancerType", default="application") != "application":
        raise CostError(f"{r.name}: only Application Load Balancers are priced; add rows for this type")
    charges = [
        _fixed("ALB hours", HOURS * p["alb_hour"], f"{HOURS} h × {p.text('alb_hour')}/h"),
        _fixed(
            "ALB LCUs",
            lcus * HOURS * p["alb_lcu_hour"],
            f"{quantity(lcus)} albLcus × {HOURS} h × {p.text('alb_lcu_hour')}/LCU-h",
        ),
    ]
    if not _get(r.inputs, "internal", default=False):
        subnets = len(_get(r.inputs, "subnets", default=[]) or _get(r.inputs, "subnetMappings", default=[]))
        monthly, basis = _public_ipv4(subnets)(ctx)
        charges.append(_fixed("public IPv4, one per AZ (at least)", monthly, basis))
    if _get(r.inputs, "accessLogs", "enabled"):
        ctx.caveats.append(f"{r.name}: S3 storage of its access logs")
    return charges


def _vpc_endpoint(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    if _get(r.inputs, "vpcEndpointType") != "Interface":
        return []  # gateway endpoints (S3, DynamoDB) are free
    p, gb = ctx.prices, ctx.assume.interface_endpoint_gb_per_month
    azs = len(_get(r.inputs, "subnetIds", default=[]))
    return [
        _fixed(
            "interface endpoint AZ-hours",
            azs * HOURS * p["interface_endpoint_az_hour"],
            f"{azs} AZ × {HOURS} h × {p.text('interface_endpoint_az_hour')}/h",
        ),
        _fixed(
            "interface endpoint data",
            gb * p["interface_endpoint_gb"],
            f"{quantity(gb)} GB interfaceEndpointGbPerMonth × {p.text('interface_endpoint_gb')}/GB",
        ),
    ]


def _split(tasks: float, strategy: list[dict[str, Any]]) -> dict[str, float]:
    """Tasks per capacity provider as ECS places them: bases first, the rest by weight."""
    shares = {str(s["capacityProvider"]): 0.0 for s in strategy}
    rest = tasks
    for item in strategy:
        base = min(rest, float(item.get("base") or 0))
        shares[str(item["capacityProvider"])] += base
        rest -= base
    weights = sum(float(s.get("weight") or 0) for s in strategy)
    for item in strategy:
        shares[str(item["capacityProvider"])] += rest * float(item.get("weight") or 0) / (weights or 1)
    return shares


def _task_rate(task: RecordedResource, ctx: _Context) -> tuple[float, str]:
    """A Fargate task's on-demand price per hour, and how it adds up."""
    p = ctx.prices
    arch = str(_get(task.inputs, "runtimePlatform", "cpuArchitecture", default="X86_64")).lower()
    vcpu = float(_get(task.inputs, "cpu", default=256)) / 1024
    gb = float(_get(task.inputs, "memory", default=512)) / 1024
    vcpu_key, gb_key = f"fargate_{arch}_vcpu_hour", f"fargate_{arch}_gb_hour"
    rate = vcpu * p[vcpu_key] + gb * p[gb_key]
    basis = f"({quantity(vcpu)} vCPU × {p.text(vcpu_key)} + {quantity(gb)} GB × {p.text(gb_key)}"
    extra = float(_get(task.inputs, "ephemeralStorage", "sizeInGib", default=20)) - 20
    if extra > 0:
        rate += extra * p["fargate_ephemeral_gb_hour"]
        basis += f" + {quantity(extra)} GB storage × {p.text('fargate_ephemeral_gb_hour')}"
    return rate, f"{basis})/h {arch}"


def _fargate(
    task: RecordedResource, strategy: list[dict[str, Any]], low: float, high: float, hours: float, ctx: _Context
) -> list[tuple[str, float, float, str]]:
    """Charges of `low`..`high` tasks for `hours` a month, split across capacity providers."""
    rate, rate_basis = _task_rate(task, ctx)
    lows, highs = _split(low, strategy), _split(high, strategy)
    discount, discount_basis = ctx.spot("fargate")
    charges = []
    for provider in lows:
        if provider not in ("FARGATE", "FARGATE_SPOT"):
            tasks = _span(lows[provider], highs[provider])
            charges.append(
                ("tasks on EC2 capacity", 0.0, 0.0, f"{tasks} tasks on {provider}: priced on its Auto Scaling group")
            )
            continue
        spot = provider == "FARGATE_SPOT"
        factor = discount if spot else 1.0
        tasks = _span(lows[provider], highs[provider])
        basis = f"{tasks} tasks × {quantity(hours)} h × {rate_basis}" + (f" × {discount_basis}" if spot else "")
        charges.append(
            (
                "Fargate Spot tasks" if spot else "Fargate tasks",
                lows[provider] * hours * rate * factor,
                highs[provider] * hours * rate * factor,
                basis,
            )
        )
    return charges


def _strategy(inputs: dict[str, Any], cluster_arn: Any, ctx: _Context) -> list[dict[str, Any]]:
    """The service's or run's capacity providers; else the cluster's default; else FARGATE."""
    strategy = _get(inputs, "capacityProviderStrategies") or _get(inputs, "capacityProviderStrategy")
    if strategy:
        return list(strategy)
    if _get(inputs, "launchType") is None:
        cluster = ctx.by_arn(cluster_arn)
        for providers in ctx.plan.of_type("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"):
            if cluster is not None and _get(providers.inputs, "clusterName") == _get(cluster.state, "name"):
                return list(_get(providers.inputs, "defaultCapacityProviderStrategies", default=[]))
    return [{"capacityProvider": "FARGATE", "weight": 1}]


def _ecs_service(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    task = ctx.by_arn(_get(r.inputs, "taskDefinition"))
    if task is None:
        ctx.caveats.append(f"{r.name}: its task definition is not in the plan, so its tasks are not priced")
        return []
    desired = float(_get(r.inputs, "desiredCount", default=1))
    low = high = desired
    resource_id = f"service/{str(_get(r.inputs, 'cluster')).rsplit('/', 1)[-1]}/{_get(r.state, 'name')}"
    for target in ctx.plan.of_type("aws:appautoscaling/target:Target"):
        if _get(target.inputs, "resourceId") == resource_id:
            low, high = float(_get(target.inputs, "minCapacity")), float(_get(target.inputs, "maxCapacity"))
    return _fargate(task, _strategy(r.inputs, _get(r.inputs, "cluster"), ctx), low, high, HOURS, ctx)


def _schedule(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    """ECS RunTask targets: the Fargate time of each run. Lambda targets are priced on the
    function; Scheduler's own invocations ($1.00 per million after 14 million free) are not."""
    ecs = _get(r.inputs, "target", "ecsParameters")
    task = ctx.by_arn(_get(ecs or {}, "taskDefinitionArn"))
    if not ecs or task is None or _get(r.inputs, "state", default="ENABLED") == "DISABLED":
        return []
    expression = str(_get(r.inputs, "scheduleExpression"))
    runs, minutes = runs_per_month(expression), ctx.assume.scheduled_task_minutes
    count = float(_get(ecs, "taskCount", default=1))
    hours = runs * minutes / 60
    charges = _fargate(task, _strategy(ecs, _get(r.inputs, "target", "arn"), ctx), count, count, hours, ctx)
    note = f" [{quantity(runs)} runs of {expression} × {quantity(minutes)} min scheduledTaskMinutes]"
    return [(charge, low, high, basis + note) for charge, low, high, basis in charges]


def _ebs(template: RecordedResource | None, fallback_gib: float, ctx: _Context) -> tuple[float, str]:
    """Monthly EBS of one instance: its launch template's volumes, or a plain gp3 root."""
    p = ctx.prices
    mappings = _get(template.inputs, "blockDeviceMappings", default=[]) if template else []
    volumes = [_get(m, "ebs") or {} for m in mappings]
    if not volumes:
        volumes = [{"volumeSize": fallback_gib, "volumeType": "gp3"}]
    total, parts = 0.0, []
    for volume in volumes:
        kind = str(_get(volume, "volumeType", default="gp3"))
        size = float(_get(volume, "volumeSize", default=fallback_gib))
        iops = max(0.0, float(_get(volume, "iops", default=3000)) - 3000)
        mibps = max(0.0, float(_get(volume, "throughput", default=125)) - 125)
        total += size * p[f"ebs_{kind}_gb_month"]
        part = f"{quantity(size)} GB {kind} × {p.text(f'ebs_{kind}_gb_month')}"
        if iops:
            total += iops * p[f"ebs_{kind}_iops_month"]
            part += f" + {quantity(iops)} IOPS × {p.text(f'ebs_{kind}_iops_month')}"
        if mibps:
            total += mibps * p[f"ebs_{kind}_mibps_month"]
            part += f" + {quantity(mibps)} MiB/s × {p.text(f'ebs_{kind}_mibps_month')}"
        parts.append(part)
    return total, " + ".join(parts)


def _instances(
    instance_type: str, low: tuple[float, float], high: tuple[float, float], ebs: tuple[float, str], ctx: _Context
) -> list[tuple[str, float, float, str]]:
    """EC2 charges of (on-demand, Spot) instance counts at the low and the high end."""
    p, key = ctx.prices, f"ec2/{instance_type}"
    hourly = p[key]
    discount, discount_basis = ctx.spot("ec2")
    charges = []
    if low[0] or high[0]:
        charges.append(
            (
                f"EC2 on-demand {instance_type}",
                low[0] * HOURS * hourly,
                high[0] * HOURS * hourly,
                f"{_span(low[0], high[0])} × {HOURS} h × {p.text(key)}/h",
            )
        )
    if low[1] or high[1]:
        charges.append(
            (
                f"EC2 Spot {instance_type}",
                low[1] * HOURS * hourly * discount,
                high[1] * HOURS * hourly * discount,
                f"{_span(low[1], high[1])} × {HOURS} h × {p.text(key)}/h × {discount_basis}",
            )
        )
    monthly, basis = ebs
    total_low, total_high = sum(low), sum(high)
    charges.append(
        ("EBS volumes", total_low * monthly, total_high * monthly, f"{_span(total_low, total_high)} × ({basis})")
    )
    return charges


def _autoscaling_group(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    """On-demand base and percentage above it as the group's distribution sets them; every
    instance priced as the first listed type (the prioritized on-demand choice)."""
    mixed = _get(r.inputs, "mixedInstancesPolicy")
    if mixed:
        spec = _get(mixed, "launchTemplate", "launchTemplateSpecification") or {}
        overrides = _get(mixed, "launchTemplate", "overrides", default=[])
        types = [o["instanceType"] for o in overrides if "instanceType" in o]
        base = float(_get(mixed, "instancesDistribution", "onDemandBaseCapacity", default=0))
        percent = float(_get(mixed, "instancesDistribution", "onDemandPercentageAboveBaseCapacity", default=100))
    else:
        spec = _get(r.inputs, "launchTemplate") or {}
        types, base, percent = [], 0.0, 100.0
    template = ctx.by_id(_get(spec, "launchTemplateId") or _get(spec, "id"))
    if not types and template is not None and _get(template.inputs, "instanceType"):
        types = [_get(template.inputs, "instanceType")]
    if not types:
        ctx.caveats.append(f"{r.name}: instance types chosen by attributes at launch, so its instances are not priced")
        return []

    def split(n: float) -> tuple[float, float]:
        on_demand = min(n, base) + max(0.0, n - base) * percent / 100
        return on_demand, n - on_demand

    low, high = float(_get(r.inputs, "minSize")), float(_get(r.inputs, "maxSize"))
    return _instances(types[0], split(low), split(high), _ebs(template, 8, ctx), ctx)


def _node_group(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    low = float(_get(r.inputs, "scalingConfig", "minSize"))
    high = float(_get(r.inputs, "scalingConfig", "maxSize"))
    spot = _get(r.inputs, "capacityType", default="ON_DEMAND") == "SPOT"
    template = ctx.by_id(_get(r.inputs, "launchTemplate", "id"))
    ebs = _ebs(template, float(_get(r.inputs, "diskSize", default=20)), ctx)
    instance_type = str((_get(r.inputs, "instanceTypes") or ["t3.medium"])[0])  # EKS's default type
    pair = (lambda n: (0.0, n)) if spot else (lambda n: (n, 0.0))
    return _instances(instance_type, pair(low), pair(high), ebs, ctx)


def _eks_cluster(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    p = ctx.prices
    version = str(_get(r.inputs, "version"))
    tier = "extended" if version in p.eks_extended_support_versions else "standard"
    key = f"eks_cluster_{tier}_hour"
    charges = [_fixed(f"EKS control plane ({tier} support, {version})", HOURS * p[key], f"{HOURS} h × {p.text(key)}/h")]
    if _get(r.inputs, "computeConfig", "enabled"):
        nodes = ctx.assume.eks_auto_mode_nodes
        ec2_key = f"ec2/{nodes.instance_type}"
        charges += _instances(
            nodes.instance_type,
            (nodes.min, 0.0),
            (nodes.max, 0.0),
            (0.0, "root volumes managed by Auto Mode, not estimated"),
            ctx,
        )[:1]
        fee = p[ec2_key] * p["eks_auto_mode_fee_ratio"]
        charges.append(
            (
                "EKS Auto Mode management fee",
                nodes.min * HOURS * fee,
                nodes.max * HOURS * fee,
                f"{_span(nodes.min, nodes.max)} eksAutoModeNodes × {HOURS} h × {p.text(ec2_key)}/h"
                f" × {p.text('eks_auto_mode_fee_ratio').lstrip('$')} fee ratio",
            )
        )
    return charges


def _fargate_profile(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    """EKS pods on Fargate (x86 only): how many, and how big, is an assumption."""
    p, pods = ctx.prices, ctx.assume.eks_fargate_pods
    rate = pods.vcpu * p["fargate_x86_64_vcpu_hour"] + pods.memory_gib * p["fargate_x86_64_gb_hour"]
    basis = (
        f"{_span(pods.min, pods.max)} eksFargatePods × {HOURS} h × ({quantity(pods.vcpu)} vCPU × "
        f"{p.text('fargate_x86_64_vcpu_hour')} + {quantity(pods.memory_gib)} GB × {p.text('fargate_x86_64_gb_hour')})/h"
    )
    return [("EKS Fargate pods", pods.min * HOURS * rate, pods.max * HOURS * rate, basis)]


def _architecture(function: RecordedResource) -> str:
    return str((_get(function.inputs, "architectures") or ["x86_64"])[0])


def _lambda_function(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    p, requests = ctx.prices, ctx.assume.lambda_requests_per_month
    memory_gb = float(_get(r.inputs, "memorySize", default=128)) / 1024
    seconds = ctx.assume.lambda_average_duration_ms / 1000
    key = f"lambda_{_architecture(r)}_gb_second"
    if _get(r.inputs, "tracingConfig", "mode") == "Active":
        ctx.caveats.append(f"{r.name}: X-Ray traces ($5.00 per million recorded after the free 100,000)")
    return [
        _fixed(
            "Lambda requests",
            requests * p["lambda_request"],
            f"{quantity(requests)} lambdaRequestsPerMonth × {p.text('lambda_request')}",
        ),
        _fixed(
            "Lambda duration",
            requests * seconds * memory_gb * p[key],
            f"{quantity(requests)} × {quantity(seconds)} s lambdaAverageDurationMs"
            f" × {quantity(memory_gb)} GB × {p.text(key)}/GB-s",
        ),
    ]


def _provisioned_concurrency(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    p = ctx.prices
    function = ctx.by_name("aws:lambda/function:Function", _get(r.inputs, "functionName"))
    if function is None:
        ctx.caveats.append(f"{r.name}: its function is not in the plan, so its provisioned concurrency is not priced")
        return []
    count = float(_get(r.inputs, "provisionedConcurrentExecutions"))
    memory_gb = float(_get(function.inputs, "memorySize", default=128)) / 1024
    key = f"lambda_{_architecture(function)}_provisioned_gb_second"
    seconds = HOURS * 3600
    return [
        _fixed(
            "Lambda provisioned concurrency",
            count * memory_gb * seconds * p[key],
            f"{quantity(count)} × {quantity(memory_gb)} GB × {seconds} s × {p.text(key)}/GB-s",
        )
    ]


def _kms_key(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    """$1 a month; with rotation each new backing key adds $1, for the first two rotations."""
    p = ctx.prices
    versions = 3 if _get(r.inputs, "enableKeyRotation") else 1
    return [
        (
            "KMS key",
            p["kms_key_month"],
            versions * p["kms_key_month"],
            f"{_span(1, versions)} key versions × {p.text('kms_key_month')}"
            + (" (rotation: a version a year, billed for the first two)" if versions > 1 else ""),
        )
    ]


def _log_group(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    """Ingestion, and storage at steady state: a month's ingestion times the retention."""
    p, gb = ctx.prices, ctx.assume.log_ingestion_gb_per_month
    if _get(r.inputs, "logGroupClass", default="STANDARD") != "STANDARD":
        raise CostError(f"{r.name}: only the STANDARD log class is priced; add rows for its class")
    retention = _get(r.inputs, "retentionInDays")
    if not retention:
        ctx.caveats.append(f"{r.name}: logs never expire; storage is estimated at 12 months' worth")
    months = float(retention) / DAYS_PER_MONTH if retention else 12.0
    return [
        _fixed(
            "log ingestion",
            gb * p["logs_ingestion_gb"],
            f"{quantity(gb)} GB logIngestionGbPerMonth × {p.text('logs_ingestion_gb')}/GB",
        ),
        _fixed(
            "log storage",
            gb * months * p["logs_storage_gb_month"],
            f"{quantity(gb)} GB × {quantity(months)} months retained × {p.text('logs_storage_gb_month')}/GB-month",
        ),
    ]


def _alarm_metrics(metrics: float, period: float, ctx: _Context, what: str) -> list[tuple[str, float, float, str]]:
    key = "alarm_high_resolution_metric_month" if period < 60 else "alarm_metric_month"
    p = ctx.prices
    return [_fixed(what, metrics * p[key], f"{quantity(metrics)} alarm metrics × {p.text(key)}/month")]


def _metric_alarm(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    queries = _get(r.inputs, "metricQueries") or []
    metrics = [q["metric"] for q in queries if "metric" in q] or [r.inputs]
    period = min(float(_get(m, "period", default=60)) for m in metrics)
    return _alarm_metrics(len(metrics), period, ctx, "CloudWatch alarm")


def _scaling_policy(config_key: str) -> Pricer:
    """Target tracking creates two CloudWatch alarms (one when scale-in is disabled), billed
    as alarms; step, simple and predictive policies create none."""

    def price(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
        if _get(r.inputs, "policyType") != "TargetTrackingScaling":
            return []
        alarms = 1 if _get(r.inputs, config_key, "disableScaleIn") else 2
        return _alarm_metrics(alarms, 60, ctx, "target-tracking alarms")

    return price


def _per_use(charge: str, assumption: str, price_key: str) -> Pricer:
    """A charge of (the `assumption` usage a month) × (the `price_key` price per unit): SQS
    requests per queue, HTTP API requests per API, custom events per event bus (rule
    matching and delivery to targets included)."""
    key = to_camel(assumption)

    def price(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
        p, used = ctx.prices, float(getattr(ctx.assume, assumption))
        return [_fixed(charge, used * p[price_key], f"{quantity(used)} {key} × {p.text(price_key)}")]

    return price


def _web_acl(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    p, requests = ctx.prices, ctx.assume.waf_requests_per_month
    rules = len(_get(r.inputs, "rules", default=[]))
    return [
        _fixed("web ACL", p["waf_web_acl_month"], f"1 × {p.text('waf_web_acl_month')}/month"),
        _fixed("WAF rules", rules * p["waf_rule_month"], f"{rules} rules × {p.text('waf_rule_month')}/month"),
        _fixed(
            "WAF requests",
            requests * p["waf_request"],
            f"{quantity(requests)} wafRequestsPerMonth × {p.text('waf_request')}",
        ),
    ]


def _ecs_cluster(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    insights = {_get(s, "name"): _get(s, "value") for s in _get(r.inputs, "settings", default=[])}
    if insights.get("containerInsights", "disabled") != "disabled":
        ctx.caveats.append(f"{r.name}: Container Insights ({insights['containerInsights']}) metrics and log events")
    return []


def _repository(r: RecordedResource, ctx: _Context) -> list[tuple[str, float, float, str]]:
    p, gb = ctx.prices, ctx.assume.ecr_storage_gb_per_repository
    return [
        _fixed(
            "ECR storage",
            gb * p["ecr_storage_gb_month"],
            f"{quantity(gb)} GB ecrStorageGbPerRepository × {p.text('ecr_storage_gb_month')}/GB-month",
        )
    ]


PRICED: dict[str, Pricer] = {
    "aws:apigatewayv2/api:Api": _per_use("HTTP API requests", "http_api_requests_per_month", "apigateway_http_request"),
    "aws:appautoscaling/policy:Policy": _scaling_policy("targetTrackingScalingPolicyConfiguration"),
    "aws:autoscaling/group:Group": _autoscaling_group,
    "aws:autoscaling/policy:Policy": _scaling_policy("targetTrackingConfiguration"),
    "aws:cloudwatch/eventBus:EventBus": _per_use(
        "EventBridge custom events", "custom_events_per_month", "eventbridge_custom_event"
    ),
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _metric_alarm,
    "aws:ec2/eip:Eip": _eip,
    "aws:ec2/natGateway:NatGateway": _nat_gateway,
    "aws:ec2/vpcEndpoint:VpcEndpoint": _vpc_endpoint,
    "aws:ecr/repository:Repository": _repository,
    "aws:ecs/cluster:Cluster": _ecs_cluster,
    "aws:ecs/service:Service": _ecs_service,
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:eks/fargateProfile:FargateProfile": _fargate_profile,
    "aws:eks/nodeGroup:NodeGroup": _node_group,
    "aws:kms/key:Key": _kms_key,
    "aws:lambda/function:Function": _lambda_function,
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": _provisioned_concurrency,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:scheduler/schedule:Schedule": _schedule,
    "aws:sqs/queue:Queue": _per_use("SQS requests", "sqs_requests_per_month", "sqs_request"),
    "aws:wafv2/webAcl:WebAcl": _web_acl,
}


def assumptions_of(plan: Plan) -> CostAssumptions:
    """The stack's `<project>:costAssumptions`, validated (defaults when absent)."""
    key = f"{plan.project}:costAssumptions"
    try:
        return CostAssumptions.model_validate(plan.config.get(key) or {})
    except ValidationError as error:
        lines = [
            f"  - {key}.{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors(include_url=False)
        ]
        raise CostError(f"Pulumi.{plan.stack}.yaml has bad cost assumptions:\n" + "\n".join(lines)) from None


def estimate(plan: Plan, prices: PriceBook | None = None) -> Estimate:
    """Price every resource of `plan` (in the plan's region unless `prices` is given)."""
    ctx = _Context(plan, prices or load(plan.region), assumptions_of(plan))
    result = Estimate(plan.project, plan.stack, ctx.prices, ctx.assume)
    components = {r.urn: r for r in plan.resources if not r.custom}
    for resource in sorted((r for r in plan.resources if r.custom), key=lambda r: (r.name, r.type)):
        pricer = PRICED.get(resource.type)
        if pricer is None:
            if resource.type not in FREE and resource.type not in result.unpriced:
                result.unpriced.append(resource.type)
            continue
        parent = components.get(resource.parent or "")
        for charge, low, high, basis in pricer(resource, ctx):
            result.charges.append(
                Charge(
                    resource=resource.name,
                    type=resource.type,
                    component=parent.name if parent else "(stack)",
                    component_type=parent.type if parent else "",
                    charge=charge,
                    low=low,
                    high=high,
                    basis=basis,
                )
            )
    result.caveats = [*ctx.caveats, ALWAYS_LEFT_OUT]
    result.unpriced.sort()
    return result


def monthly_range(plan: Plan) -> tuple[float, float]:
    """The plan's monthly total, lowest and highest, in the price file's currency (USD)."""
    return estimate(plan).total


def registered_types(plans: Iterable[Plan]) -> set[str]:
    return {r.type for plan in plans for r in plan.resources if r.custom}
