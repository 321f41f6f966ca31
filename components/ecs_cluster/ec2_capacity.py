"""EC2 capacity providers: an Auto Scaling group of ECS container instances per provider.

The group is our `AutoScalingGroup`, given what an ECS container instance needs: the
ECS-optimised Amazon Linux 2023 AMI of its architecture, read from AWS's public SSM
parameter at deploy time (as the group reads plain AL2023: a new AMI shows in the plan and
rolls out through an instance refresh that can roll back), user data joining the cluster,
and AmazonEC2ContainerServiceforEC2Role on the instance role. Tasks use awsvpc networking:
each gets its own network interface and security group, so the instances need no ingress,
and `ECS_AWSVPC_BLOCK_IMDS` keeps tasks from the instance role's credentials (the agent
itself runs in the host network, so the launch template's IMDS hop limit of 1 suffices).
"""

from __future__ import annotations

import dataclasses

import pulumi
import pulumi_aws as aws

from components.architecture import Architecture
from components.autoscaling_group import AutoScalingGroup, AutoScalingGroupArgs
from components.ecs_cluster.args import Ec2CapacityArgs, Ec2CapacityRef

#: The instance role's AWS-managed policy for the ECS agent (register, poll, push telemetry).
ECS_INSTANCE_POLICY = "service-role/AmazonEC2ContainerServiceforEC2Role"
#: The ECS-optimised AL2023 AMI's root snapshot, with the room image layers need.
ECS_ROOT_VOLUME_MIN_GIB = 30


def ecs_ami_parameter(architecture: Architecture) -> str:
    """AWS's public SSM parameter holding the recommended ECS-optimised AL2023 AMI id."""
    arch = "/arm64" if architecture == "arm64" else ""
    return f"/aws/service/ecs/optimized-ami/amazon-linux-2023{arch}/recommended/image_id"


def agent_config(cluster_name: pulumi.Input[str], group: AutoScalingGroupArgs) -> pulumi.Output[str]:
    """User data writing /etc/ecs/ecs.config before the agent starts: the cluster to join,
    IMDS blocked for awsvpc tasks, Spot interruption draining and the warm-pool check when
    the group uses them."""
    settings = ["ECS_AWSVPC_BLOCK_IMDS=true"]
    if group.uses_spot:
        settings.append("ECS_ENABLE_SPOT_INSTANCE_DRAINING=true")
    if group.warm_pool is not None:
        settings.append("ECS_WARM_POOLS_CHECK=true")
    return pulumi.Output.concat(
        "#!/bin/bash\ncat >> /etc/ecs/ecs.config <<'EOF'\nECS_CLUSTER=",
        cluster_name,
        "\n",
        "".join(f"{line}\n" for line in settings),
        "EOF\n",
    )


def ec2_capacity_provider(
    cluster_component: str,
    key: str,
    capacity: Ec2CapacityArgs,
    cluster_name: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> Ec2CapacityRef:
    """`<cluster>-ec2-<key>` (the group) and `<cluster>-capacity-<key>` (the provider)."""
    group_args = capacity.group
    group = AutoScalingGroup(
        f"{cluster_component}-ec2-{key}",
        dataclasses.replace(
            group_args,
            image_parameter=(
                group_args.image_parameter
                or (None if group_args.image_id else ecs_ami_parameter(group_args.architecture))
            ),
            instance_role_aws_managed_policies=(*group_args.instance_role_aws_managed_policies, ECS_INSTANCE_POLICY),
            user_data=agent_config(cluster_name, group_args),
        ),
        opts,
    )
    scaling = capacity.managed_scaling
    provider = aws.ecs.CapacityProvider(
        f"{cluster_component}-capacity-{key}",
        # AWS refuses names starting with "aws", "ecs" or "fargate"; the group's is unique.
        name=pulumi.Output.concat("cp-", group.group_name),
        auto_scaling_group_provider=aws.ecs.CapacityProviderAutoScalingGroupProviderArgs(
            auto_scaling_group_arn=group.group_arn,
            managed_scaling=aws.ecs.CapacityProviderAutoScalingGroupProviderManagedScalingArgs(
                status="ENABLED",
                target_capacity=scaling.target_capacity,
                minimum_scaling_step_size=scaling.minimum_scaling_step_size,
                maximum_scaling_step_size=scaling.maximum_scaling_step_size,
                instance_warmup_period=scaling.instance_warmup_period,
            )
            if scaling is not None
            else aws.ecs.CapacityProviderAutoScalingGroupProviderManagedScalingArgs(status="DISABLED"),
            managed_termination_protection="ENABLED" if capacity.managed_termination_protection else "DISABLED",
            managed_draining="ENABLED" if capacity.managed_draining else "DISABLED",
        ),
        opts=opts,
    )
    return Ec2CapacityRef(name=provider.name, architecture=group_args.architecture)
