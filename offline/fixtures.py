"""Realistic fake cloud state for the offline engine.

`resource_state` answers a resource registration with the id and output attributes AWS
would return; `invoke` answers data-source calls. Both are deterministic: the same
program and config always produce the same ids, ARNs and names, so plans diff cleanly.

An unknown data source is an error naming its token, never a silent empty answer:
a program that depends on a fixture we do not have must fail loudly offline.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from components.catalogue.zones import zone_names

ACCOUNT_ID = "123456789012"
PARTITION = "aws"

#: Public SSM parameters answered with a fake AMI id (Amazon Linux 2023, EKS AL2023, ...).
_SSM_AMI_PREFIXES = (
    "/aws/service/ami-amazon-linux-latest/",
    "/aws/service/eks/optimized-ami/",
    "/aws/service/ecs/optimized-ami/",
)


def _digest(*parts: str, length: int = 17) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:length]


# ---------------------------------------------------------------- resource ids
#: EC2-style id prefixes by resource type; other types get their physical name as id.
_ID_PREFIXES: dict[str, str] = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/route:Route": "r-rtb",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/instance:Instance": "i",
    "aws:kms/key:Key": "",
}


#: AWS's maximum `name` length per type, which the provider enforces on given and autonamed
#: names alike (autonaming adds `-` and 7 random characters): a plan that would fail
#: `pulumi preview` fails offline too.
NAME_LIMITS: dict[str, int] = {
    "aws:lb/targetGroup:TargetGroup": 32,
    "aws:lb/loadBalancer:LoadBalancer": 32,
    "aws:iam/role:Role": 64,
    "aws:iam/rolePolicy:RolePolicy": 128,
    "aws:iam/policy:Policy": 128,
    "aws:iam/instanceProfile:InstanceProfile": 128,
    "aws:lambda/function:Function": 64,
    "aws:lambda/alias:Alias": 128,
    "aws:sqs/queue:Queue": 80,
    "aws:scheduler/schedule:Schedule": 64,
    "aws:scheduler/scheduleGroup:ScheduleGroup": 64,
    "aws:ecs/cluster:Cluster": 255,
    "aws:ecs/service:Service": 255,
    "aws:ec2/securityGroup:SecurityGroup": 255,
    "aws:ec2/launchTemplate:LaunchTemplate": 128,
    "aws:autoscaling/group:Group": 255,
    "aws:ecr/repository:Repository": 256,
    "aws:eks/cluster:Cluster": 100,
    "aws:cloudwatch/logGroup:LogGroup": 512,
    "aws:cloudwatch/metricAlarm:MetricAlarm": 255,
    "aws:appautoscaling/policy:Policy": 255,
    "aws:autoscaling/policy:Policy": 255,
    "aws:cloudwatch/eventRule:EventRule": 64,
    "aws:cloudwatch/eventBus:EventBus": 256,
    "aws:ecs/capacityProvider:CapacityProvider": 255,
}

#: Name prefixes AWS refuses per type (CreateCapacityProvider: not "aws", "ecs" or "fargate").
REFUSED_NAME_PREFIXES: dict[str, tuple[str, ...]] = {
    "aws:ecs/capacityProvider:CapacityProvider": ("aws", "ecs", "fargate"),
}


def physical_name(type_: str, name: str, inputs: dict[str, Any], scope: str = "") -> str:
    """The name Pulumi's autonaming would pick: the logical name plus a random-looking suffix
    (different per `scope`, the stack, as real random suffixes are)."""
    given = inputs.get("name")
    if isinstance(given, str) and given:
        return given
    prefix = inputs.get("namePrefix")
    if isinstance(prefix, str) and prefix:
        return prefix + _digest(scope, type_, name, length=26)
    return f"{name}-{_digest(scope, type_, name, length=7)}"


def name_problem(type_: str, name: str, inputs: dict[str, Any], pname: str) -> str | None:
    """Why AWS would refuse `pname`, the physical name `resource_state` answered, if it would."""
    refused = [p for p in REFUSED_NAME_PREFIXES.get(type_, ()) if pname.lower().startswith(p)]
    if refused:
        return f"{type_} {name!r}: its name {pname!r} starts with {refused[0]!r}, a prefix AWS refuses"
    limit = NAME_LIMITS.get(type_)
    if limit is None or len(pname) <= limit:
        return None
    autonamed = not (inputs.get("name") or inputs.get("namePrefix"))
    return f"{type_} {name!r}: its name {pname!r} has {len(pname)} characters; AWS allows {limit}" + (
        " (autonaming adds 8 to the logical name)" if autonamed else ""
    )


#: API Gateway v2 types whose ids are 10 (APIs) or 7 (children) random lowercase characters.
_SHORT_IDS = {
    "aws:apigatewayv2/api:Api": 10,
    "aws:apigatewayv2/integration:Integration": 7,
    "aws:apigatewayv2/route:Route": 7,
    "aws:apigatewayv2/authorizer:Authorizer": 6,
    "aws:apigatewayv2/apiMapping:ApiMapping": 6,
}


def resource_id(type_: str, name: str, inputs: dict[str, Any], scope: str = "") -> str:
    """An id of the type's AWS shape (`vpc-<17 hex>`, a KMS key UUID, an API id, else the name)."""
    if type_ in _SHORT_IDS:
        return _digest(scope, type_, name, length=_SHORT_IDS[type_])
    prefix = _ID_PREFIXES.get(type_)
    if prefix is None:
        return physical_name(type_, name, inputs, scope)
    if type_ == "aws:kms/key:Key":
        h = _digest(scope, type_, name, length=32)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    return f"{prefix}-{_digest(scope, type_, name)}"


# ---------------------------------------------------------------- ARNs
def _service_and_kind(type_: str) -> tuple[str, str]:
    """`aws:ec2/securityGroup:SecurityGroup` -> ("ec2", "security-group")."""
    module, _, rest = type_.partition(":")[2].partition("/")
    kind = rest.partition(":")[0]
    dashed = "".join("-" + c.lower() if c.isupper() else c for c in kind)
    return module.rstrip("_"), dashed


def arn_for(type_: str, name: str, inputs: dict[str, Any], region: str, rid: str, pname: str) -> str:
    acct, part = ACCOUNT_ID, PARTITION
    custom = _ARN_BUILDERS.get(type_)
    if custom is not None:
        return custom(region=region, id=rid, name=pname, inputs=inputs)
    service, kind = _service_and_kind(type_)
    return f"arn:{part}:{service}:{region}:{acct}:{kind}/{rid}"


def _arn(service: str, resource: str, *, region: str = "", account: str = ACCOUNT_ID) -> str:
    return f"arn:{PARTITION}:{service}:{region}:{account}:{resource}"


_ARN_BUILDERS: dict[str, Callable[..., str]] = {
    # --- iam (global)
    "aws:iam/role:Role": lambda name, **_: _arn("iam", f"role/{name}"),
    "aws:iam/policy:Policy": lambda name, **_: _arn("iam", f"policy/{name}"),
    "aws:iam/instanceProfile:InstanceProfile": lambda name, **_: _arn("iam", f"instance-profile/{name}"),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": lambda id, **_: _arn("iam", f"oidc-provider/{id}"),
    # --- logs
    "aws:cloudwatch/logGroup:LogGroup": lambda region, name, **_: _arn("logs", f"log-group:{name}", region=region),
    # --- kms
    "aws:kms/key:Key": lambda region, id, **_: _arn("kms", f"key/{id}", region=region),
    "aws:kms/alias:Alias": lambda region, name, **_: _arn("kms", name, region=region),
    # --- s3 (global, no account)
    "aws:s3/bucket:Bucket": lambda name, **_: f"arn:{PARTITION}:s3:::{name}",
    "aws:s3/bucketV2:BucketV2": lambda name, **_: f"arn:{PARTITION}:s3:::{name}",
    # --- sqs / sns
    "aws:sqs/queue:Queue": lambda region, name, **_: _arn("sqs", name, region=region),
    "aws:sns/topic:Topic": lambda region, name, **_: _arn("sns", name, region=region),
    # --- lambda
    "aws:lambda/function:Function": lambda region, name, **_: _arn("lambda", f"function:{name}", region=region),
    # --- ecs
    "aws:ecs/cluster:Cluster": lambda region, name, **_: _arn("ecs", f"cluster/{name}", region=region),
    "aws:ecs/taskDefinition:TaskDefinition": lambda region, inputs, name, **_: _arn(
        "ecs", f"task-definition/{inputs.get('family', name)}:1", region=region
    ),
    # --- ecr
    "aws:ecr/repository:Repository": lambda region, name, **_: _arn("ecr", f"repository/{name}", region=region),
    # --- eks
    "aws:eks/cluster:Cluster": lambda region, name, **_: _arn("eks", f"cluster/{name}", region=region),
    # --- elbv2
    "aws:lb/loadBalancer:LoadBalancer": lambda region, name, id, **_: _arn(
        "elasticloadbalancing", f"loadbalancer/app/{name}/{id[-16:]}", region=region
    ),
    "aws:lb/targetGroup:TargetGroup": lambda region, name, id, **_: _arn(
        "elasticloadbalancing", f"targetgroup/{name}/{id[-16:]}", region=region
    ),
    # --- fargate area (ECS services, Service Connect namespaces, EventBridge Scheduler)
    "aws:ecs/service:Service": lambda region, inputs, name, **_: _arn(
        "ecs", f"service/{str(inputs.get('cluster', 'cluster')).rsplit('/', 1)[-1]}/{name}", region=region
    ),
    "aws:servicediscovery/httpNamespace:HttpNamespace": lambda region, name, **_: _arn(
        "servicediscovery", f"namespace/ns-{_digest(name, length=16)}", region=region
    ),
    "aws:scheduler/schedule:Schedule": lambda region, inputs, name, **_: _arn(
        "scheduler", f"schedule/{inputs.get('groupName', 'default')}/{name}", region=region
    ),
    "aws:lb/listener:Listener": lambda region, name, id, **_: _arn(
        "elasticloadbalancing", f"listener/app/{name}/{_digest(id, length=16)}/{id[-16:]}", region=region
    ),
    "aws:lb/listenerRule:ListenerRule": lambda region, name, id, **_: _arn(
        "elasticloadbalancing", f"listener-rule/app/{name}/{_digest(id, length=16)}/{id[-16:]}", region=region
    ),
    # --- end fargate area
    # --- autoscaling
    "aws:autoscaling/group:Group": lambda region, name, **_: _arn(
        "autoscaling",
        f"autoScalingGroup:{_digest(name, length=8)}:autoScalingGroupName/{name}",
        region=region,
    ),
}


# ---------------------------------------------------------------- extra attributes
#: Base64 of a PEM-shaped blob, standing in for an EKS cluster's certificate authority.
_FAKE_CA_DATA = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nOFFLINE\n-----END CERTIFICATE-----\n").decode()


def _lambda_function_state(name: str, region: str, **_: Any) -> dict[str, Any]:
    arn = _arn("lambda", f"function:{name}", region=region)
    return {"qualifiedArn": f"{arn}:1", "version": "1", "invokeArn": _invoke_arn(region, arn)}


def _invoke_arn(region: str, function_arn: str) -> str:
    return f"arn:{PARTITION}:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


_EXTRA_STATE: dict[str, Callable[..., dict[str, Any]]] = {
    "aws:ec2/vpc:Vpc": lambda rid, **_: {
        "defaultSecurityGroupId": f"sg-{_digest(rid, 'default-sg')}",
        "mainRouteTableId": f"rtb-{_digest(rid, 'main-rtb')}",
        "defaultNetworkAclId": f"acl-{_digest(rid, 'default-acl')}",
    },
    "aws:ec2/eip:Eip": lambda rid, **_: {"publicIp": f"203.0.113.{int(rid[-2:], 16) % 254 + 1}"},
    "aws:cloudwatch/logGroup:LogGroup": lambda **_: {},
    "aws:lambda/function:Function": _lambda_function_state,
    "aws:sqs/queue:Queue": lambda region, name, **_: {"url": f"https://sqs.{region}.amazonaws.com/{ACCOUNT_ID}/{name}"},
    "aws:lb/loadBalancer:LoadBalancer": lambda region, name, rid, **_: {
        "dnsName": f"{name}-{int(_digest(rid, length=8), 16) % 10**10}.{region}.elb.amazonaws.com",
        "zoneId": "Z35SXDOTRQ7X7K",
        "arnSuffix": f"app/{name}/{rid[-16:]}",
    },
    "aws:lb/targetGroup:TargetGroup": lambda name, rid, **_: {"arnSuffix": f"targetgroup/{name}/{rid[-16:]}"},
    "aws:ecr/repository:Repository": lambda region, name, **_: {
        "repositoryUrl": f"{ACCOUNT_ID}.dkr.ecr.{region}.amazonaws.com/{name}",
        "registryId": ACCOUNT_ID,
    },
    "aws:eks/cluster:Cluster": lambda region, name, rid, **_: {
        "endpoint": f"https://{_digest(rid, length=32).upper()}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {"data": _FAKE_CA_DATA},
        "identities": [
            {"oidcs": [{"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{_digest(rid, length=32).upper()}"}]}
        ],
        "clusterId": _digest(rid, "cluster-id", length=32),
        "vpcConfig": {
            "clusterSecurityGroupId": f"sg-{_digest(rid, 'cluster-sg')}",
        },
        "status": "ACTIVE",
    },
    "aws:kms/key:Key": lambda rid, **_: {"keyId": rid},
    # --- autoscaling area: launch templates start at version 1 (groups pin it).
    "aws:ec2/launchTemplate:LaunchTemplate": lambda **_: {"latestVersion": 1, "defaultVersion": 1},
}


# ---------------------------------------------------------------- lambda functions (issue 4)
def _lambda_alias_arn(region: str, name: str, inputs: dict[str, Any], **_: Any) -> str:
    return _arn("lambda", f"function:{inputs.get('functionName', 'offline')}:{name}", region=region)


def _uuid(*parts: str) -> str:
    h = _digest(*parts, length=32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


_ARN_BUILDERS |= {
    "aws:lambda/alias:Alias": _lambda_alias_arn,
    "aws:lambda/eventSourceMapping:EventSourceMapping": lambda region, id, **_: _arn(
        "lambda", f"event-source-mapping:{id}", region=region
    ),
    "aws:scheduler/schedule:Schedule": lambda region, name, inputs, **_: _arn(
        "scheduler", f"schedule/{inputs.get('groupName', 'default')}/{name}", region=region
    ),
}
_EXTRA_STATE |= {
    "aws:lambda/alias:Alias": lambda region, name, inputs, **_: {
        "invokeArn": _invoke_arn(region, _lambda_alias_arn(region=region, name=name, inputs=inputs))
    },
    "aws:lambda/functionUrl:FunctionUrl": lambda region, rid, **_: {
        "functionUrl": f"https://{_digest(rid, length=32)}.lambda-url.{region}.on.aws/",
        "urlId": _digest(rid, length=32),
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": lambda rid, **_: {"uuid": _uuid(rid), "state": "Enabled"},
}


def resource_state(
    type_: str, name: str, inputs: dict[str, Any], region: str, scope: str = ""
) -> tuple[str, dict[str, Any]]:
    """The id and output state AWS would return for a new resource with these inputs;
    `scope` (the stack) varies ids and autonamed suffixes as separate deployments would."""
    rid = resource_id(type_, name, inputs, scope)
    pname = physical_name(type_, name, inputs, scope)
    state: dict[str, Any] = dict(inputs)
    if type_ == "awsx:ecr:Image":
        digest = hashlib.sha256(repr(sorted(inputs.items())).encode()).hexdigest()
        state["imageUri"] = f"{inputs.get('repositoryUrl', 'offline')}@sha256:{digest}"
    if type_.startswith("aws:"):
        state.setdefault("arn", arn_for(type_, name, inputs, region, rid, pname))
        state.setdefault("name", pname)
        if "tags" in inputs and isinstance(inputs["tags"], dict):
            state.setdefault("tagsAll", dict(inputs["tags"]))
        extra = _EXTRA_STATE.get(type_)
        if extra is not None:
            for key, value in extra(region=region, name=pname, rid=rid, inputs=inputs).items():
                # Computed attributes nested in an input block (vpcConfig.clusterSecurityGroupId) merge into it.
                given = state.get(key)
                state[key] = (
                    {**value, **given} if isinstance(value, dict) and isinstance(given, dict) else state.get(key, value)
                )
    return rid, state


# ---------------------------------------------------------------- data sources
_DIRECTIONS = {"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}


def _azs(region: str, args: dict[str, Any]) -> dict[str, Any]:
    """The Region's Availability Zones (`components.catalogue.zones`; a, b, c when not pinned)."""
    names = list(zone_names(region) or (f"{region}{c}" for c in "abc"))
    country, *words, number = region.split("-")
    short = country + "".join(_DIRECTIONS.get(w, w[0]) for w in words) + number  # us-east-1 -> use1
    return {
        "id": region,
        "names": names,
        "zoneIds": [f"{short}-az{i + 1}" for i in range(len(names))],
        "groupNames": [region] * len(names),
        "state": args.get("state", "available"),
    }


def _ssm_parameter(region: str, args: dict[str, Any]) -> dict[str, Any]:
    name = args["name"]
    if not name.startswith(_SSM_AMI_PREFIXES):
        raise KeyError(f"no offline fixture for SSM parameter {name!r}")
    ami = f"ami-{_digest(region, name)}"
    return {
        "id": name,
        "name": name,
        "value": ami,
        "insecureValue": ami,
        "type": "String",
        "version": 1,
        "arn": _arn("ssm", f"parameter{name}", region=region),
    }


_INVOKES: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _azs,
    "aws:index/getCallerIdentity:getCallerIdentity": lambda region, args: {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:{PARTITION}:iam::{ACCOUNT_ID}:user/offline",
        "userId": "AIDAOFFLINEUSER000000",
        "id": ACCOUNT_ID,
    },
    "aws:index/getRegion:getRegion": lambda region, args: {
        "id": region,
        "name": region,
        "region": region,
        "endpoint": f"ec2.{region}.amazonaws.com",
        "description": region,
    },
    "aws:index/getPartition:getPartition": lambda region, args: {
        "id": PARTITION,
        "partition": PARTITION,
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
    },
    "aws:ssm/getParameter:getParameter": _ssm_parameter,
}


# ---------------------------------------------------------------- network (audit: endpoint services)
def _vpc_endpoint_service(region: str, args: dict[str, Any]) -> dict[str, Any]:
    """An AWS endpoint service as DescribeVpcEndpointServices lists it: China regions prefix
    interface services with `cn.` (`cn.com.amazonaws.cn-north-1.ecr.api`), gateways not."""
    service, kind = args["service"], args.get("serviceType") or "Interface"
    prefix = "cn.com.amazonaws" if region.startswith("cn-") and kind == "Interface" else "com.amazonaws"
    name = f"{prefix}.{region}.{service}"
    return {
        "id": _digest(name, length=8),
        "service": service,
        "serviceName": name,
        "serviceType": kind,
        "serviceId": f"vpce-svc-{_digest(name, length=17)}",
        "owner": "amazon",
        "acceptanceRequired": False,
        "availabilityZones": [f"{region}{z}" for z in "abc"],
        "privateDnsName": f"{service}.{region}.amazonaws.com" if kind == "Interface" else None,
        "vpcEndpointPolicySupported": True,
    }


_INVOKES["aws:ec2/getVpcEndpointService:getVpcEndpointService"] = _vpc_endpoint_service


def invoke(token: str, args: dict[str, Any], region: str) -> dict[str, Any]:
    """Answer a data-source call as AWS would for a fresh account in `region`."""
    handler = _INVOKES.get(token)
    if handler is None:
        raise LookupError(
            f"the offline engine has no fixture for data source {token!r}; add one to offline/fixtures.py"
        )
    return handler(region, args)


# ---------------------------------------------------------------- eks (issue 6: EksCluster)
def _eks_child_arn(kind: str) -> Callable[..., str]:
    """`arn:aws:eks:<region>:<account>:<kind>/<cluster>/<name>/<uuid>`, as EKS names its children."""

    def build(region: str, id: str, name: str, inputs: dict[str, Any], **_: Any) -> str:
        child = inputs.get("addonName") or inputs.get("nodeGroupName") or inputs.get("fargateProfileName") or name
        h = _digest(kind, id, length=32)
        uuid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return _arn("eks", f"{kind}/{inputs.get('clusterName', 'cluster')}/{child}/{uuid}", region=region)

    return build


_ARN_BUILDERS.update(
    {
        "aws:eks/nodeGroup:NodeGroup": _eks_child_arn("nodegroup"),
        "aws:eks/addon:Addon": _eks_child_arn("addon"),
        "aws:eks/fargateProfile:FargateProfile": _eks_child_arn("fargateprofile"),
        "aws:eks/accessEntry:AccessEntry": lambda region, inputs, id, **_: _arn(
            "eks",
            f"access-entry/{inputs.get('clusterName')}/{_digest(str(inputs.get('principalArn')), id, length=32)}",
            region=region,
        ),
        "aws:eks/podIdentityAssociation:PodIdentityAssociation": lambda region, inputs, id, **_: _arn(
            "eks", f"podidentityassociation/{inputs.get('clusterName')}/a-{_digest(id, length=17)}", region=region
        ),
    }
)
_EXTRA_STATE.update(
    {
        # EKS names a node group's Auto Scaling group after it when it creates it; an in-place
        # update (sizes, labels, a version) keeps that group.
        "aws:eks/nodeGroup:NodeGroup": lambda inputs, name, **_: {
            "status": "ACTIVE",
            "version": inputs.get("version") or "1.36",
            "resources": [{"autoscalingGroups": [{"name": f"eks-{name}-{_digest(name, length=12)}"}]}],
        },
        "aws:eks/addon:Addon": lambda inputs, **_: {"addonVersion": inputs.get("addonVersion") or "v1.0.0-eksbuild.1"},
        "aws:eks/fargateProfile:FargateProfile": lambda **_: {"status": "ACTIVE"},
        "aws:eks/podIdentityAssociation:PodIdentityAssociation": lambda rid, **_: {
            "associationId": f"a-{_digest(rid, length=17)}"
        },
    }
)


# ---------------------------------------------------------------- layers, event buses and rules, HTTP APIs (issue 15)
def _layer_arn(region: str, inputs: dict[str, Any], **_: Any) -> str:
    return _arn("lambda", f"layer:{inputs.get('layerName', 'offline')}", region=region)


def _event_rule_arn(region: str, name: str, inputs: dict[str, Any], **_: Any) -> str:
    bus = str(inputs.get("eventBusName") or "default").rsplit("/", 1)[-1]
    return _arn("events", f"rule/{name}" if bus == "default" else f"rule/{bus}/{name}", region=region)


_ARN_BUILDERS |= {
    "aws:lambda/layerVersion:LayerVersion": lambda region, inputs, **_: f"{_layer_arn(region, inputs)}:1",
    "aws:cloudwatch/eventRule:EventRule": _event_rule_arn,
    "aws:cloudwatch/eventBus:EventBus": lambda region, name, **_: _arn("events", f"event-bus/{name}", region=region),
}
_EXTRA_STATE |= {
    "aws:lambda/layerVersion:LayerVersion": lambda region, inputs, **_: {
        "layerArn": _layer_arn(region, inputs),
        "version": "1",
    },
}


_ARN_BUILDERS |= {
    "aws:apigatewayv2/api:Api": lambda region, id, **_: f"arn:{PARTITION}:apigateway:{region}::/apis/{id}",
    "aws:apigatewayv2/domainName:DomainName": lambda region, inputs, **_: (
        f"arn:{PARTITION}:apigateway:{region}::/domainnames/{inputs.get('domainName')}"
    ),
}
_EXTRA_STATE |= {
    "aws:apigatewayv2/api:Api": lambda region, rid, **_: {
        "apiEndpoint": f"https://{rid}.execute-api.{region}.amazonaws.com",
        "executionArn": _arn("execute-api", rid, region=region),
    },
    "aws:apigatewayv2/stage:Stage": lambda region, inputs, **_: {
        "invokeUrl": f"https://{inputs.get('apiId')}.execute-api.{region}.amazonaws.com/",
    },
    "aws:apigatewayv2/domainName:DomainName": lambda region, rid, **_: {
        "domainNameConfiguration": {
            "targetDomainName": f"d-{_digest(rid, length=10)}.execute-api.{region}.amazonaws.com",
            "hostedZoneId": "Z1UJRXOUMOOFQ8",
        },
    },
}
