"""aws-compute: one stage of production AWS compute, read top to bottom.

1. The stage config is validated first: a bad stack file stops here, before any resource.
2. Governance transforms are registered before any resource, so they see every one.
3. The network, then the compute the stage enables (Fargate behind a shared ALB, Lambda,
   EC2 Auto Scaling, EKS), each exporting its stack outputs in camelCase.
"""

import pulumi

import governance
import stage
from components import AutoScalingGroup, EcsCluster, EksCluster, FargateService, LambdaFunction, LoadBalancer, Network
from stage.services import ServiceWiring

current = stage.load()
config = current.config

# --- governance: standard tags everywhere, IMDSv2 or nothing
pulumi.runtime.register_resource_transform(governance.standard_tags(current.standard_tags))
pulumi.runtime.register_resource_transform(governance.require_imdsv2())

# --- network
network = Network("network", config.network.to_args())
pulumi.export("vpcId", network.vpc_id)
pulumi.export("vpcCidr", network.vpc_cidr)
pulumi.export("availabilityZones", network.availability_zones)
pulumi.export("publicSubnetIds", network.public_subnet_ids)
pulumi.export("privateSubnetIds", network.private_subnet_ids)
pulumi.export("isolatedSubnetIds", network.isolated_subnet_ids)
pulumi.export("privateRouteTableIds", network.private_route_table_ids)
pulumi.export("natPublicIps", network.nat_public_ips)

# --- ECS Fargate: the stage's shared ALB (when configured: Fargate web services and Auto
# Scaling groups attach listener rules to it), one cluster, then each workload by name;
# Service Connect callers are admitted once every workload exists.
services = config.services
alb = (
    LoadBalancer(
        "alb",
        services.load_balancer.to_args(
            vpc_id=network.vpc_id,
            public_subnet_ids=network.public_subnet_ids,
            private_subnet_ids=network.private_subnet_ids,
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
    cluster = EcsCluster("ecs", services.cluster.to_args())
    wiring = ServiceWiring(
        cluster=cluster.ref(),
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        load_balancer=alb.attachment() if alb else None,
        namespace_arn=cluster.namespace_arn,
        family_prefix=f"{current.project}-{current.stack}",
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

# --- Lambda functions by name
functions = {
    key: LambdaFunction(f"fn-{key}", fn.to_args(network.vpc_id, network.private_subnet_ids))
    for key, fn in config.functions.items()
}
pulumi.export("functionNames", {key: f.function_name for key, f in functions.items()})
pulumi.export("functionArns", {key: f.function_arn for key, f in functions.items()})
pulumi.export("functionAliasArns", {key: f.alias_arn for key, f in functions.items()})
pulumi.export("functionUrls", {key: f.url for key, f in functions.items() if f.url is not None})
pulumi.export("functionQueueUrls", {key: f.queue_url for key, f in functions.items() if f.queue_url is not None})

# --- EC2 Auto Scaling groups by name (`loadBalancer.alb: shared` attaches to the stage's ALB)
autoscaling_groups = {
    name: AutoScalingGroup(
        name,
        group.to_args(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            shared_alb=alb.attachment() if alb else None,
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
