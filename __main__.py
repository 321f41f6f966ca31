"""aws-compute: one stage of production AWS compute, read top to bottom.

1. The stage config is validated first: a bad stack file stops here, before any resource.
2. Governance transforms are registered before any resource, so they see every one.
3. The stage's alarm topic, so that every component below can raise its alarms on it.
4. The network (built here, another stack's, or existing), then the compute the stage
   enables (Fargate behind a shared ALB, Lambda, EC2 Auto Scaling, EKS), each exporting its
   stack outputs in camelCase.
"""

import pulumi

import stage
from components import (
    AlarmTopic,
    AutoScalingGroup,
    EcsCluster,
    EksCluster,
    EventBus,
    FargateService,
    HttpApi,
    LambdaFunction,
    LambdaLayer,
    LoadBalancer,
    Network,
    enable_governance,
    network_from_stack,
)
from stage.functions import FunctionWiring
from stage.services import ServiceWiring

current = stage.load()
config = current.config

# --- governance: standard tags everywhere, IMDSv2 or nothing
enable_governance(environment=config.environment, tags=config.tags)

# --- alarms: one encrypted SNS topic per stage (subscriptions from the stack file); each
# component below raises the alarms its on-call expects on it (`alarms.<area>`)
topic = AlarmTopic("alarms", config.alarms.topic_args()) if config.alarms.enabled else None
alarms = config.alarms.notifying(topic.arn if topic else None)
if topic:
    pulumi.export("alarmTopicArn", topic.arn)

# --- network: built here (the default), read from another stack's outputs, or existing ids;
# compute takes the same NetworkRef from all three, and every stack exports it as the
# network contract (NetworkRef.OUTPUTS), so any stack can serve as another's network.
source = config.network
if source.from_stack is not None:
    network = network_from_stack(source.from_stack.stack, source.from_stack.shape())
elif source.existing is not None:
    network = source.existing.to_ref()
else:
    built = Network("network", source.to_args())
    network = built.ref()
    pulumi.export("natPublicIps", built.nat_public_ips)
for output, value in network.outputs().items():
    pulumi.export(output, value)

# --- ECS: the stage's shared ALB (when configured: web services and Auto Scaling groups
# attach listener rules to it), one cluster (Fargate, and EC2 capacity providers on Auto
# Scaling groups in the private subnets), then each workload by name; Service Connect
# callers are admitted once every workload exists.
services = config.services
alb = (
    LoadBalancer(
        "alb",
        services.load_balancer.to_args(
            vpc_id=network.vpc_id,
            public_subnet_ids=network.public_subnet_ids,
            private_subnet_ids=network.private_subnet_ids,
            alarms=alarms.load_balancer,
        ),
    )
    if services.load_balancer
    else None
)
if alb:
    pulumi.export("albDnsName", alb.dns_name)
    pulumi.export("albListenerArn", alb.listener_arn)
    pulumi.export("albHttpsListenerArn", alb.https_listener_arn)
    pulumi.export("albSecurityGroupId", alb.security_group_id)
if services.services:
    cluster = EcsCluster(
        "ecs",
        services.cluster.to_args(
            vpc_id=network.vpc_id, subnet_ids=network.private_subnet_ids, group_alarms=alarms.autoscaling
        ),
    )
    wiring = ServiceWiring(
        cluster=cluster.ref(),
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        load_balancer=alb.attachment() if alb else None,
        namespace_arn=cluster.namespace_arn,
        family_prefix=f"{current.project}-{current.stack}",
        alarms=alarms.services,
    )
    fargate = {
        name: FargateService(f"svc-{name}", service.to_args(name, wiring, services.mutable_image_tags))
        for name, service in services.services.items()
    }
    for server, caller in services.east_west():
        fargate[server].allow_from(caller, fargate[caller].security_group_id)

    pulumi.export("clusterName", cluster.name)
    pulumi.export("clusterArn", cluster.arn)
    pulumi.export("services", {name: service.summary() for name, service in fargate.items()})

# --- the stage's EventBridge bus, Lambda layers built from the repository, then functions by name
event_bus = EventBus("events", config.event_bus.to_args()) if config.event_bus else None
if event_bus:
    pulumi.export("eventBusName", event_bus.bus_name)
    pulumi.export("eventBusArn", event_bus.bus_arn)
layers = {
    key: LambdaLayer(f"layer-{key}", layer.to_args(f"{current.project}-{current.stack}-{key}"))
    for key, layer in config.layers.items()
}
pulumi.export("layerArns", {key: layer.arn for key, layer in layers.items()})
function_wiring = FunctionWiring(
    vpc_id=network.vpc_id,
    private_subnet_ids=network.private_subnet_ids,
    layers={key: layer.ref() for key, layer in layers.items()},
    event_bus_name=event_bus.bus_name if event_bus else None,
    alarms=alarms.functions,
)
functions = {key: LambdaFunction(f"fn-{key}", fn.to_args(function_wiring)) for key, fn in config.functions.items()}
pulumi.export("functionNames", {key: f.function_name for key, f in functions.items()})
pulumi.export("functionArns", {key: f.function_arn for key, f in functions.items()})
pulumi.export("functionAliasArns", {key: f.alias_arn for key, f in functions.items()})
pulumi.export("functionUrls", {key: f.url for key, f in functions.items() if f.url is not None})
pulumi.export("functionQueueUrls", {key: f.queue_url for key, f in functions.items() if f.queue_url is not None})

# --- HTTP APIs in front of the functions, by name
apis = {
    key: HttpApi(f"api-{key}", api.to_args({name: f.ref() for name, f in functions.items()}))
    for key, api in config.apis.items()
}
pulumi.export("httpApis", {key: api.exports for key, api in apis.items()})

# --- EC2 Auto Scaling groups by name (`loadBalancer.alb: shared` attaches to the stage's ALB)
autoscaling_groups = {
    name: AutoScalingGroup(
        name,
        group.to_args(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            shared_alb=alb.attachment() if alb else None,
            alarms=alarms.autoscaling,
        ),
    )
    for name, group in config.autoscaling.items()
}
pulumi.export("autoscalingGroups", {name: group.exports for name, group in autoscaling_groups.items()})

# --- EKS: at most one cluster per stage
if config.eks is not None:
    eks = EksCluster(
        "eks",
        config.eks.to_args(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            default_cluster_name=f"{current.project}-{current.stack}",
            alarms=alarms.eks,
        ),
    )
    pulumi.export("eksClusterName", eks.cluster_name)
    pulumi.export("eksEndpoint", eks.endpoint)
    pulumi.export("eksCertificateAuthority", eks.certificate_authority)
    pulumi.export("eksOidcIssuer", eks.oidc_issuer)
    pulumi.export("eksClusterSecurityGroupId", eks.cluster_security_group_id)
    pulumi.export("eksNodeRoleArns", eks.node_role_arns)
    pulumi.export("eksPodIdentityRoleArns", eks.pod_identity_role_arns)
    pulumi.export("eksKubeconfig", eks.kubeconfig)
