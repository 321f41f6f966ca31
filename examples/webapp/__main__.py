"""A web app on aws-compute: a VPC, an internet-facing ALB, a Fargate web service behind it and
a Lambda function in the private subnets, all tagged and IMDSv2-guarded by enable_governance()."""

import pulumi

from components import (
    ContainerArgs,
    EcsCluster,
    EcsClusterArgs,
    FargateService,
    FargateServiceArgs,
    LambdaFunction,
    LambdaFunctionArgs,
    LoadBalancer,
    LoadBalancerArgs,
    Network,
    NetworkArgs,
    RegistryImage,
    VpcPlacement,
    WebWorkload,
    ZipCode,
    enable_governance,
)

config = pulumi.Config()
enable_governance(tags={"Team": "storefront"})

network = Network("net", NetworkArgs(az_count=2, nat_gateways="single"))
alb = LoadBalancer(
    "alb",
    LoadBalancerArgs(
        vpc_id=network.vpc_id,
        subnet_ids=network.public_subnet_ids,
        scheme="internet-facing",
        ingress_cidrs=["0.0.0.0/0"],
        certificate_arn=config.require("certificateArn"),
    ),
)
cluster = EcsCluster("ecs", EcsClusterArgs())
web = FargateService(
    "web",
    FargateServiceArgs(
        cluster=cluster.ref(),
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        container=ContainerArgs(image=RegistryImage(uri=config.require("image")), port=8080),
        workload=WebWorkload(listener=alb.attachment(), priority=10, path_patterns=["/*"]),
    ),
)
api = LambdaFunction(
    "api",
    LambdaFunctionArgs(
        code=ZipCode(path="app", handler="handler.handler", runtime="python3.13"),
        vpc=VpcPlacement(vpc_id=network.vpc_id, subnet_ids=network.private_subnet_ids),
    ),
)

pulumi.export("url", web.url)
pulumi.export("functionName", api.function_name)
