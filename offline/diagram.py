"""`python -m offline diagram`: a Mermaid flowchart of a plan, one box per component.

Drawn from what the plan registered, never by hand: the VPC with its tiers per AZ, NAT
gateways and endpoints; the ALB, its listeners and an edge per listener rule to the service
or group it forwards to; Fargate services and jobs inside their ECS cluster; queues feeding
their consumers; schedules; function URLs; HTTP APIs with an edge per function they route
to; event buses and an edge per EventBridge rule to its target; Lambda layers and the
functions using them; the EKS cluster with its node groups, Fargate profiles and Auto Mode
node pools. Children that only wire a component together (roles,
security groups, log groups, routes) stay inside its box.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from .engine import Plan, RecordedResource, Secret


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Secret) else value


def _id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _label(*lines: str) -> str:
    return '"' + "<br/>".join(line.replace('"', "#quot;") for line in lines if line) + '"'


def _n(value: Any) -> str:
    return f"{float(value):g}"


class _Drawing:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.lines: list[str] = ["flowchart LR"]
        self.components = sorted((r for r in plan.resources if not r.custom and r.parent is None), key=lambda r: r.name)
        self._owner = {r.urn: self._top(r) for r in plan.resources}
        # The first resource with an ARN owns it (an EventTarget's `arn` is its target's).
        self._by_arn: dict[Any, RecordedResource] = {}
        for r in plan.resources:
            if r.custom and r.state.get("arn"):
                self._by_arn.setdefault(_plain(r.state.get("arn")), r)
        #: ECS EC2 capacity providers by the name strategies use.
        self.providers = {
            _plain(r.state.get("name")): r for r in plan.of_type("aws:ecs/capacityProvider:CapacityProvider")
        }

    def _top(self, resource: RecordedResource) -> RecordedResource:
        by_urn = {r.urn: r for r in self.plan.resources}
        while resource.parent in by_urn:
            resource = by_urn[resource.parent]
        return resource

    def by_arn(self, arn: Any) -> RecordedResource | None:
        return self._by_arn.get(_plain(arn))

    def component_of(self, resource: RecordedResource) -> RecordedResource:
        return self._owner[resource.urn]

    def owner(self, resource: RecordedResource) -> str:
        """The node id of the top-level component `resource` belongs to."""
        return _id(self._owner[resource.urn].name)

    def of(self, component: RecordedResource | None, type_: str) -> list[RecordedResource]:
        found = self.plan.of_type(type_)
        if component is not None:
            found = [r for r in found if self._owner[r.urn].urn == component.urn]
        return sorted(found, key=lambda r: r.name)

    def kind(self, component: RecordedResource) -> str:
        types = {r.type for r in self.plan.descendants(component)}
        for type_, kind in (
            ("aws:ec2/vpc:Vpc", "network"),
            ("aws:lb/loadBalancer:LoadBalancer", "alb"),
            ("aws:eks/cluster:Cluster", "eks"),
            ("aws:ecs/cluster:Cluster", "ecs"),
            ("aws:ecs/service:Service", "service"),
            ("aws:ecs/taskDefinition:TaskDefinition", "job"),
            ("aws:lambda/function:Function", "function"),
            ("aws:autoscaling/group:Group", "group"),
            ("aws:apigatewayv2/api:Api", "api"),
            ("aws:cloudwatch/eventBus:EventBus", "bus"),
            ("aws:lambda/layerVersion:LayerVersion", "layer"),
            ("aws:sns/topic:Topic", "alarms"),
        ):
            if type_ in types:
                return kind
        return "other"

    def add(self, line: str, indent: int = 1) -> None:
        self.lines.append("  " * indent + line)


_TIERS = ("public", "private", "isolated")
_ORDER = (
    "network",
    "alb",
    "ecs",
    "service",
    "job",
    "group",
    "api",
    "bus",
    "layer",
    "function",
    "eks",
    "alarms",
    "other",
)


def _tier(subnet: RecordedResource) -> str:
    return str((subnet.inputs.get("tags") or {}).get("Tier", subnet.name))


def _network(d: _Drawing, component: RecordedResource) -> None:
    vpc = d.of(component, "aws:ec2/vpc:Vpc")[0]
    nat_subnets = {_plain(n.inputs.get("subnetId")) for n in d.of(component, "aws:ec2/natGateway:NatGateway")}
    node = _id(component.name)
    cidr = vpc.inputs.get("cidrBlock")
    d.add(f"subgraph {node}[{_label(f'{component.name} · VPC {cidr}')}]")
    d.add("direction TB", 2)
    subnets = d.of(component, "aws:ec2/subnet:Subnet")
    for az in sorted({str(s.inputs.get("availabilityZone")) for s in subnets}):
        d.add(f"subgraph {node}_{_id(az)}[{_label(az)}]", 2)
        d.add("direction TB", 3)
        in_az = [s for s in subnets if s.inputs.get("availabilityZone") == az]
        for subnet in sorted(in_az, key=lambda s: (_TIERS.index(_tier(s)) if _tier(s) in _TIERS else 9, s.name)):
            tier = _tier(subnet)
            nat = "NAT gateway" if subnet.id in nat_subnets else ""
            cidr = subnet.inputs.get("cidrBlock")
            d.add(f"{_id(subnet.name)}[{_label(f'{tier} {cidr}', nat)}]", 3)
        d.add("end", 2)
    endpoints: dict[str, list[str]] = {}
    for endpoint in d.of(component, "aws:ec2/vpcEndpoint:VpcEndpoint"):
        service = str(endpoint.inputs.get("serviceName")).split(f".{d.plan.region}.", 1)[-1]
        endpoints.setdefault(str(endpoint.inputs.get("vpcEndpointType")).lower(), []).append(service)
    if endpoints:
        lines = [f"{kind} endpoints: {', '.join(names)}" for kind, names in sorted(endpoints.items())]
        d.add(f"{node}_endpoints[{_label(*lines)}]", 2)
    d.add("end")


def _alb(d: _Drawing, component: RecordedResource) -> None:
    alb = d.of(component, "aws:lb/loadBalancer:LoadBalancer")[0]
    scheme = "internal" if alb.inputs.get("internal") else "internet-facing"
    listeners = []
    for listener in d.of(component, "aws:lb/listener:Listener"):
        actions = listener.inputs.get("defaultActions") or [{}]
        redirect = actions[0].get("redirect")
        to = f" → {redirect.get('protocol')}" if redirect else ""
        listeners.append(f"{listener.inputs.get('protocol')} :{_n(listener.inputs.get('port'))}{to}")
    node = _id(component.name)
    d.add(f"{node}[{_label(f'{component.name} · ALB {scheme}', ' · '.join(listeners))}]")
    clients = "clients" if scheme == "internet-facing" else "VPC clients"
    d.add(f"{node}_clients(({clients})) --> {node}")


def _rules(d: _Drawing) -> Iterator[str]:
    """An edge per listener rule, from its ALB to the component its target group serves."""
    users: dict[str, str] = {}
    for service in d.plan.of_type("aws:ecs/service:Service"):
        for lb in service.inputs.get("loadBalancers") or []:
            users[_plain(lb.get("targetGroupArn"))] = d.owner(service)
    for group in d.plan.of_type("aws:autoscaling/group:Group"):
        for arn in group.inputs.get("targetGroupArns") or []:
            users[_plain(arn)] = d.owner(group)
    listeners = {_plain(r.state.get("arn")): r for r in d.plan.of_type("aws:lb/listener:Listener")}
    albs = {_plain(r.state.get("arn")): r for r in d.plan.of_type("aws:lb/loadBalancer:LoadBalancer")}
    for rule in sorted(d.plan.of_type("aws:lb/listenerRule:ListenerRule"), key=lambda r: r.inputs.get("priority", 0)):
        listener = listeners.get(_plain(rule.inputs.get("listenerArn")))
        alb = albs.get(_plain(listener.inputs.get("loadBalancerArn"))) if listener else None
        if alb is None:
            continue
        match: list[str] = []
        for condition in rule.inputs.get("conditions") or []:
            for key in ("hostHeader", "pathPattern"):
                match += (condition.get(key) or {}).get("values") or []
        for action in rule.inputs.get("actions") or []:
            target = users.get(_plain(action.get("targetGroupArn")))
            if target:
                yield f'{d.owner(alb)} -->|"{_n(rule.inputs.get("priority"))}: {" ".join(match)}"| {target}'


def _capacity(d: _Drawing, strategy: list[dict[str, Any]]) -> str:
    parts = []
    for item in strategy:
        base = f" base {_n(item['base'])}" if item.get("base") else ""
        provider = d.providers.get(_plain(item.get("capacityProvider")))
        shown = provider.name if provider is not None else item.get("capacityProvider")
        parts.append(f"{shown} ×{_n(item.get('weight', 1))}{base}")
    return " + ".join(parts)


def _ec2_providers(d: _Drawing, strategy: list[dict[str, Any]]) -> list[RecordedResource]:
    found = (d.providers.get(_plain(item.get("capacityProvider"))) for item in strategy)
    return [provider for provider in found if provider is not None]


def _task(task: RecordedResource) -> str:
    arch = (task.inputs.get("runtimePlatform") or {}).get("cpuArchitecture", "X86_64")
    vcpu, gb = float(task.inputs.get("cpu", 256)) / 1024, float(task.inputs.get("memory", 512)) / 1024
    return f"{arch} · {vcpu:g} vCPU / {gb:g} GB"


def _capacity_strategy(services: list[RecordedResource], schedules: list[RecordedResource]) -> list[dict[str, Any]]:
    """A workload's capacity provider strategy: its service's, else its schedule's ECS target's."""
    from_service = services[0].inputs.get("capacityProviderStrategies") if services else None
    ecs_target = ((schedules[0].inputs.get("target") or {}).get("ecsParameters") or {}) if schedules else {}
    return from_service or ecs_target.get("capacityProviderStrategies") or []


def _fargate(d: _Drawing, component: RecordedResource, indent: int) -> None:
    node = _id(component.name)
    task = d.of(component, "aws:ecs/taskDefinition:TaskDefinition")[0]
    services = d.of(component, "aws:ecs/service:Service")
    schedules = d.of(component, "aws:scheduler/schedule:Schedule")
    strategy = _capacity_strategy(services, schedules)
    ec2 = _ec2_providers(d, strategy)
    platform = "ECS on EC2" if ec2 else "Fargate"
    if services:
        service = services[0]
        targets = d.of(component, "aws:appautoscaling/target:Target")
        count = (
            f"{_n(targets[0].inputs['minCapacity'])}–{_n(targets[0].inputs['maxCapacity'])} tasks"
            if targets
            else f"{_n(service.inputs.get('desiredCount', 1))} tasks"
        )
        role = "web service" if service.inputs.get("loadBalancers") else "service"
        d.add(
            f"{node}[{_label(f'{component.name} · {platform} {role}', _task(task), count, _capacity(d, strategy))}]",
            indent,
        )
    else:
        d.add(f"{node}[{_label(f'{component.name} · {platform} job', _task(task))}]", indent)
    for provider in ec2:
        d.add(f"{node} --> {_id(provider.name)}", indent)


def _function(d: _Drawing, component: RecordedResource) -> None:
    function = d.of(component, "aws:lambda/function:Function")[0]
    runtime = function.inputs.get("runtime") or function.inputs.get("packageType", "Image")
    arch = (function.inputs.get("architectures") or ["x86_64"])[0]
    extras = [f"{_n(function.inputs.get('memorySize', 128))} MB"]
    for provisioned in d.of(component, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig"):
        extras.append(f"provisioned {_n(provisioned.inputs.get('provisionedConcurrentExecutions'))}")
    if function.inputs.get("vpcConfig"):
        extras.append("in VPC")
    node = _id(component.name)
    d.add(f"{node}[{_label(f'{component.name} · Lambda {runtime} {arch}', ' · '.join(extras))}]")
    for url in d.of(component, "aws:lambda/functionUrl:FunctionUrl"):
        auth = url.inputs.get("authorizationType")
        d.add(f"{_id(url.name)}{{{{{_label(f'function URL · {auth}')}}}}} --> {node}")


def _http_api(d: _Drawing, component: RecordedResource) -> None:
    """The API, its entry (custom domain or execute-api) and an edge per function it routes to."""
    node = _id(component.name)
    domains = [str(r.inputs.get("domainName")) for r in d.of(component, "aws:apigatewayv2/domainName:DomainName")]
    stage = next(iter(d.of(component, "aws:apigatewayv2/stage:Stage")), None)
    throttle = (stage.inputs.get("defaultRouteSettings") or {}) if stage else {}
    limits = f"{_n(throttle.get('throttlingRateLimit', 0))} req/s, burst {_n(throttle.get('throttlingBurstLimit', 0))}"
    d.add(f"{node}{{{{{_label(f'{component.name} · HTTP API', ', '.join(domains) or 'execute-api URL', limits)}}}}}")
    d.add(f"{node}_clients((clients)) --> {node}")
    integrations = {r.id: r for r in d.of(component, "aws:apigatewayv2/integration:Integration")}
    routes: dict[str, list[str]] = {}
    for route in d.of(component, "aws:apigatewayv2/route:Route"):
        integration = integrations.get(str(_plain(route.inputs.get("target"))).removeprefix("integrations/"))
        function = d.by_arn(integration.inputs.get("integrationUri")) if integration else None
        if function is not None:
            auth = route.inputs.get("authorizationType", "NONE")
            routes.setdefault(d.owner(function), []).append(f"{route.inputs.get('routeKey')} ({auth})")
    for owner, keys in sorted(routes.items()):
        d.add(f'{node} -->|"{", ".join(sorted(keys))}"| {owner}')


def _bus(d: _Drawing, component: RecordedResource) -> None:
    accounts: list[str] = []
    for policy in d.of(component, "aws:cloudwatch/eventBusPolicy:EventBusPolicy"):
        for statement in json.loads(str(_plain(policy.inputs.get("policy")))).get("Statement", []):
            accounts += [arn.split(":")[4] for arn in statement.get("Principal", {}).get("AWS", [])]
    extra = f"PutEvents from {', '.join(accounts)}" if accounts else "this account only"
    d.add(f"{_id(component.name)}[({_label(f'{component.name} · EventBridge bus', extra)})]")


def _layer(d: _Drawing, component: RecordedResource) -> None:
    layer = d.of(component, "aws:lambda/layerVersion:LayerVersion")[0]
    runtimes = ", ".join(layer.inputs.get("compatibleRuntimes") or [])
    archs = ", ".join(layer.inputs.get("compatibleArchitectures") or [])
    d.add(f"{_id(component.name)}[/{_label(f'{component.name} · Lambda layer', f'{runtimes} · {archs}')}/]")


def _layer_uses(d: _Drawing) -> Iterator[str]:
    for function in sorted(d.plan.of_type("aws:lambda/function:Function"), key=lambda r: r.name):
        for arn in function.inputs.get("layers") or []:
            layer = d.by_arn(arn)
            if layer is not None:
                yield f"{d.owner(layer)} -.- {d.owner(function)}"


def _event_rules(d: _Drawing) -> Iterator[str]:
    """An edge per rule from its bus (the default bus by name) to its target."""
    buses = {_plain(r.state.get("name")): d.owner(r) for r in d.plan.of_type("aws:cloudwatch/eventBus:EventBus")}
    for target in sorted(d.plan.of_type("aws:cloudwatch/eventTarget:EventTarget"), key=lambda r: r.name):
        rule = next((r for r in d.plan.of_type("aws:cloudwatch/eventRule:EventRule")
                     if _plain(r.state.get("name")) == _plain(target.inputs.get("rule"))), None)  # fmt: skip
        destination = d.by_arn(target.inputs.get("arn"))
        if rule is None or destination is None:
            continue
        bus = buses.get(_plain(rule.inputs.get("eventBusName")))
        if bus is None:
            bus = "default_bus"
            yield f'{bus}[("default event bus")]'
        queue = destination.type == "aws:sqs/queue:Queue"
        to = _id(destination.name) if queue else d.owner(destination)
        yield f'{bus} -->|"{rule.name.removeprefix(f"{d.component_of(rule).name}-rule-")}"| {to}'


def _group(d: _Drawing, component: RecordedResource) -> None:
    group = d.of(component, "aws:autoscaling/group:Group")[0]
    d.add(f"{_id(component.name)}[{_label(f'{component.name} · EC2 Auto Scaling group', *_instances(group))}]")


def _instances(group: RecordedResource) -> list[str]:
    """A group's instance types, size range and purchase options, as label lines."""
    mixed = group.inputs.get("mixedInstancesPolicy") or {}
    types = [
        o["instanceType"] for o in (mixed.get("launchTemplate") or {}).get("overrides") or [] if "instanceType" in o
    ]
    distribution = mixed.get("instancesDistribution") or {}
    on_demand = (
        f"on-demand base {_n(distribution.get('onDemandBaseCapacity', 0))}"
        f" + {_n(distribution.get('onDemandPercentageAboveBaseCapacity', 100))}% above"
    )
    size = f"{_n(group.inputs.get('minSize'))}–{_n(group.inputs.get('maxSize'))} instances"
    return [", ".join(types) or "types by attributes", size, on_demand]


def _ecs(d: _Drawing, component: RecordedResource, members: list[RecordedResource]) -> None:
    cluster = d.of(component, "aws:ecs/cluster:Cluster")[0]
    settings = {s.get("name"): s.get("value") for s in cluster.inputs.get("settings") or []}
    insights = f"Container Insights {settings.get('containerInsights', 'disabled')}"
    d.add(f"subgraph {_id(component.name)}[{_label(f'{component.name} · ECS cluster · {insights}')}]")
    for provider in d.of(component, "aws:ecs/capacityProvider:CapacityProvider"):
        asg = provider.inputs.get("autoScalingGroupProvider") or {}
        group = d.by_arn(asg.get("autoScalingGroupArn"))
        scaling = asg.get("managedScaling") or {}
        managed = (
            f"managed scaling to {_n(scaling.get('targetCapacity', 100))}%"
            if scaling.get("status") == "ENABLED"
            else "scaled by its own policies"
        )
        lines = _instances(group) if group is not None else []
        d.add(f"{_id(provider.name)}[{_label(f'{provider.name} · EC2 capacity provider', *lines, managed)}]", 2)
    for member in members:
        _fargate(d, member, 2)
    d.add("end")


def _alarms(d: _Drawing, component: RecordedResource) -> None:
    """The alarm topic: how many alarms notify it, and who it notifies."""
    topic = d.of(component, "aws:sns/topic:Topic")[0]
    arn = _plain(topic.state.get("arn"))
    alarms = [
        a
        for a in d.plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if arn in (a.inputs.get("alarmActions") or [])
    ]
    protocols = sorted(
        {str(s.inputs["protocol"]) for s in d.of(component, "aws:sns/topicSubscription:TopicSubscription")}
    )
    encrypted = " · KMS-encrypted" if topic.inputs.get("kmsMasterKeyId") else ""
    notifies = f"notifies: {', '.join(protocols)}" if protocols else "no subscription"
    label = _label(f"{component.name} · SNS alarm topic{encrypted}", f"{len(alarms)} alarms", notifies)
    d.add(f"{_id(component.name)}[{label}]")


def _eks(d: _Drawing, component: RecordedResource) -> None:
    cluster = d.of(component, "aws:eks/cluster:Cluster")[0]
    vpc = cluster.inputs.get("vpcConfig") or {}
    endpoint = "public and private endpoint" if vpc.get("endpointPublicAccess") else "private endpoint"
    node = _id(component.name)
    version = cluster.inputs.get("version")
    d.add(f"subgraph {node}[{_label(f'{component.name} · EKS {version} · {endpoint}')}]")
    addons = [a.inputs.get("addonName") for a in d.of(component, "aws:eks/addon:Addon")]
    d.add(f"{node}_control_plane[{_label('control plane', 'add-ons: ' + ', '.join(map(str, addons)))}]", 2)
    compute = cluster.inputs.get("computeConfig") or {}
    if compute.get("enabled"):
        pools = ", ".join(compute.get("nodePools") or [])
        d.add(f"{node}_auto_mode[{_label('Auto Mode', f'node pools: {pools}')}]", 2)
        d.add(f"{node}_control_plane --- {node}_auto_mode", 2)
    for group in d.of(component, "aws:eks/nodeGroup:NodeGroup"):
        scaling = group.inputs.get("scalingConfig") or {}
        size = f"{_n(scaling.get('minSize'))}–{_n(scaling.get('maxSize'))} nodes"
        types = ", ".join(group.inputs.get("instanceTypes") or [])
        capacity = f"{group.inputs.get('capacityType')} · {size}"
        d.add(f"{_id(group.name)}[{_label(f'node group {group.name}', types, capacity)}]", 2)
        d.add(f"{node}_control_plane --- {_id(group.name)}", 2)
    for profile in d.of(component, "aws:eks/fargateProfile:FargateProfile"):
        namespaces = ", ".join(str(s.get("namespace")) for s in profile.inputs.get("selectors") or [])
        d.add(f"{_id(profile.name)}[{_label(f'Fargate profile {profile.name}', f'namespaces: {namespaces}')}]", 2)
        d.add(f"{node}_control_plane --- {_id(profile.name)}", 2)
    identities = [
        f"{p.inputs.get('namespace')}/{p.inputs.get('serviceAccount')}"
        for p in d.of(component, "aws:eks/podIdentityAssociation:PodIdentityAssociation")
    ]
    if identities:
        d.add(f"{node}_pod_identities[{_label('Pod Identity', ', '.join(identities))}]", 2)
        d.add(f"{node}_control_plane --- {node}_pod_identities", 2)
    d.add("end")


def _queues_and_schedules(d: _Drawing) -> None:
    consumers = {
        _plain(m.inputs.get("eventSourceArn")): d.owner(m)
        for m in d.plan.of_type("aws:lambda/eventSourceMapping:EventSourceMapping")
    }
    for queue in sorted(d.plan.of_type("aws:sqs/queue:Queue"), key=lambda r: r.name):
        if not queue.inputs.get("redrivePolicy"):
            continue  # dead-letter and failure queues are named in their source queue's box
        consumer = consumers.get(_plain(queue.state.get("arn")))
        if consumer is None and d.of(d.component_of(queue), "aws:ecs/service:Service"):
            consumer = d.owner(queue)
        if consumer:
            d.add(f"{_id(queue.name)}[[{_label(f'SQS {queue.name}', 'with DLQ')}]] --> {consumer}")
    for destination in d.plan.of_type("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"):
        on_failure = (destination.inputs.get("destinationConfig") or {}).get("onFailure") or {}
        target = d.by_arn(on_failure.get("destination"))
        if target is not None:
            d.add(f"{d.owner(destination)} -.->|on failure| {_id(target.name)}[[{_label(f'SQS {target.name}')}]]")
    for schedule in sorted(d.plan.of_type("aws:scheduler/schedule:Schedule"), key=lambda r: r.name):
        timezone = schedule.inputs.get("scheduleExpressionTimezone", "UTC")
        expression = f"{schedule.inputs.get('scheduleExpression')} {timezone}"
        d.add(f"{_id(schedule.name)}([{_label(expression)}]) --> {d.owner(schedule)}")


#: How each kind of component is drawn (ECS clusters, drawn with the services placed on them,
#: and the others, drawn as a plain box, are `mermaid`'s own).
_DRAWERS: dict[str, Callable[[_Drawing, RecordedResource], None]] = {
    "network": _network,
    "alb": _alb,
    "eks": _eks,
    "function": _function,
    "group": _group,
    "api": _http_api,
    "bus": _bus,
    "layer": _layer,
    "alarms": _alarms,
}


def mermaid(plan: Plan) -> str:
    d = _Drawing(plan)
    kinds = {c.name: d.kind(c) for c in d.components}
    ecs_members: dict[str, list[RecordedResource]] = {}
    clusters = {_plain(r.state.get("arn")): d.owner(r) for r in plan.of_type("aws:ecs/cluster:Cluster")}
    for component in d.components:
        if kinds[component.name] in ("service", "job"):
            runs = d.of(component, "aws:ecs/service:Service") or d.of(component, "aws:scheduler/schedule:Schedule")
            inputs = runs[0].inputs if runs else {}
            cluster_arn = inputs.get("cluster") or (inputs.get("target") or {}).get("arn")
            ecs_members.setdefault(clusters.get(_plain(cluster_arn), ""), []).append(component)
    for component in sorted(d.components, key=lambda c: _ORDER.index(kinds[c.name])):
        kind = kinds[component.name]
        if kind == "ecs":
            _ecs(d, component, ecs_members.pop(_id(component.name), []))
        elif kind in _DRAWERS:
            _DRAWERS[kind](d, component)
        elif kind == "other":
            d.add(f"{_id(component.name)}[{_label(f'{component.name} · {component.type}')}]")
    for members in ecs_members.values():  # services on a cluster the plan does not hold
        for member in members:
            _fargate(d, member, 1)
    d.lines += [f"  {edge}" for edge in _rules(d)]
    _queues_and_schedules(d)
    d.lines += [f"  {edge}" for edge in [*_event_rules(d), *_layer_uses(d)]]
    return "\n".join(d.lines)
