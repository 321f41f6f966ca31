"""AutoScalingGroup: EC2 instances in private subnets, from a hardened launch template,
spread over instance types and purchase options, scaled by policy, optionally behind an
ALB listener (the stage's shared ALB or an existing one; `components.alb_target`).

The seed's design (mixed instances with Spot, Graviton, IMDSv2 enforced) done the Pulumi
way, with two corrections: the seed mixes t4g (arm64) with t3/t3a (x86_64) under one AMI,
which cannot boot, so every instance type here must match `architecture`; and it sets a
Spot max price, which AWS advises against (it only raises interruptions), so none is set.

The AMI is read at deploy time from the public SSM parameter of Amazon Linux 2023 rather
than written as `resolve:ssm:` in the launch template: a new AMI then shows in the plan as
a new launch template version, rolls out through an instance refresh that can roll back
(AWS refuses rollback for `resolve:ssm:` images), and every instance of the group runs the
same image instead of whatever was latest when each one launched.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components.account_scope import account_scope
from components.alarms.sets import group_alarms, target_alarms
from components.alb_target import attach_to_listener
from components.autoscaling_group.args import (
    AutoScalingGroupArgs,
    InstanceRefreshArgs,
    LifecycleHookArgs,
    WarmPoolArgs,
)
from components.autoscaling_group.cloudwatch_agent import (
    agent_statements,
    user_data_with_agent,
)
from components.autoscaling_group.instance_types import Architecture
from components.autoscaling_group.scaling import ScalingTarget, add_scaling
from components.egress import egress_rules
from components.iam import aws_managed_policy_arn, policy_document, service_trust_policy

#: Group metrics published every minute (free for Auto Scaling group metrics).
GROUP_METRICS = (
    aws.autoscaling.Metric.GROUP_MIN_SIZE,
    aws.autoscaling.Metric.GROUP_MAX_SIZE,
    aws.autoscaling.Metric.GROUP_DESIRED_CAPACITY,
    aws.autoscaling.Metric.GROUP_IN_SERVICE_INSTANCES,
    aws.autoscaling.Metric.GROUP_PENDING_INSTANCES,
    aws.autoscaling.Metric.GROUP_STANDBY_INSTANCES,
    aws.autoscaling.Metric.GROUP_TERMINATING_INSTANCES,
    aws.autoscaling.Metric.GROUP_TOTAL_INSTANCES,
)


_LIFECYCLE_TRANSITIONS = {
    "launching": "autoscaling:EC2_INSTANCE_LAUNCHING",
    "terminating": "autoscaling:EC2_INSTANCE_TERMINATING",
}


_CPU_MANUFACTURERS: dict[Architecture, list[str]] = {"arm64": ["amazon-web-services"], "x86_64": ["intel", "amd"]}


def al2023_ami_parameter(architecture: Architecture) -> str:
    """The public SSM parameter holding the latest Amazon Linux 2023 AMI for `architecture`."""
    return f"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{architecture}"


class AutoScalingGroup(pulumi.ComponentResource):
    """Launch template, instance role and profile, security group, group, scaling, ALB attachment."""

    group_name: pulumi.Output[str]
    group_arn: pulumi.Output[str]
    launch_template_id: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    role_name: pulumi.Output[str]
    target_group_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: AutoScalingGroupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:autoscaling_group:AutoScalingGroup", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        role, profile, role_policies = self._instance_profile(name, args.instance_role_aws_managed_policies, child)
        user_data = self._user_data(name, args, role, child)
        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=f"Instances of {name}: no ingress except from its load balancer",
            tags={"Name": name},
            opts=child,
        )
        # Rules were keyed by position before 0.2.0: those names stay as aliases.
        egress_rules(
            name, sg.id, args.egress, child, published_names=[f"{name}-egress-{i}" for i in range(len(args.egress))]
        )
        attachment = (
            attach_to_listener(
                name,
                args.load_balancer,
                port=args.load_balancer.port,
                target_type="instance",
                vpc_id=args.vpc_id,
                target_security_group_id=sg.id,
                opts=child,
            )
            if args.load_balancer is not None
            else None
        )
        template = self._launch_template(name, args, profile, sg, user_data, child)
        version = template.latest_version.apply(str)
        group = aws.autoscaling.Group(
            f"{name}-asg",
            vpc_zone_identifiers=args.subnet_ids,
            min_size=args.min_size,
            max_size=args.max_size,
            desired_capacity=args.desired_capacity,
            launch_template=(
                aws.autoscaling.GroupLaunchTemplateArgs(id=template.id, version=version) if args.warm_pool else None
            ),
            mixed_instances_policy=None if args.warm_pool else self._mixed_instances_policy(args, template, version),
            capacity_rebalance=args.capacity_rebalance if args.uses_spot else None,
            health_check_type="ELB" if attachment else "EC2",
            health_check_grace_period=args.health_check_grace_period_seconds,
            default_instance_warmup=args.default_instance_warmup_seconds,
            target_group_arns=[attachment.target_group.arn] if attachment else None,
            instance_refresh=self._instance_refresh(args.instance_refresh, args.protect_from_scale_in),
            warm_pool=self._warm_pool(args.warm_pool),
            initial_lifecycle_hooks=self._lifecycle_hooks(args.lifecycle_hooks),
            max_instance_lifetime=(
                args.max_instance_lifetime_days * 86400 if args.max_instance_lifetime_days is not None else None
            ),
            enabled_metrics=list(GROUP_METRICS),
            metrics_granularity="1Minute",
            protect_from_scale_in=args.protect_from_scale_in or None,
            tags=[
                aws.autoscaling.GroupTagArgs(key="Name", value=name, propagate_at_launch=True),
                # ECS tags the groups its managed scaling owns; declaring it avoids a diff on every run.
                *(
                    [aws.autoscaling.GroupTagArgs(key="AmazonECSManaged", value="true", propagate_at_launch=True)]
                    if args.scaled_by == "ecsManagedScaling"
                    else []
                ),
            ],
            # Instances launch only once their role's policies are attached (an ECS agent
            # without them fails to register).
            opts=pulumi.ResourceOptions(parent=self, depends_on=role_policies),
        )
        add_scaling(
            name,
            args.scaling,
            ScalingTarget(
                group_name=group.name,
                request_count_label=attachment.request_count_label if attachment else None,
                load_balancer_ready=[attachment.listener_rule] if attachment else [],
            ),
            child,
        )

        if args.alarms is not None:
            group_alarms(name, args.alarms, group_name=group.name, opts=child)
            if attachment is not None and args.load_balancer is not None:
                target_alarms(
                    name,
                    args.alarms,
                    target_group_arn_suffix=attachment.target_group.arn_suffix,
                    load_balancer_arn_suffix=args.load_balancer.listener.load_balancer_arn_suffix,
                    opts=child,
                )

        self.group_name = group.name
        self.group_arn = group.arn
        self.launch_template_id = template.id
        self.security_group_id = sg.id
        self.role_name = role.name
        self.target_group_arn = attachment.target_group.arn if attachment else None
        self.exports: dict[str, pulumi.Output[str] | None] = {
            "groupName": self.group_name,
            "groupArn": self.group_arn,
            "launchTemplateId": self.launch_template_id,
            "securityGroupId": self.security_group_id,
            "roleName": self.role_name,
            "targetGroupArn": self.target_group_arn,
        }
        """The outputs above by camelCase key, as registered (and exported by the stack)."""
        self.register_outputs(self.exports)

    def _instance_profile(
        self, name: str, aws_managed_policies: Sequence[str], child: pulumi.ResourceOptions
    ) -> tuple[aws.iam.Role, aws.iam.InstanceProfile, list[pulumi.Resource]]:
        """A role reachable through SSM Session Manager (no SSH key, no port 22), with the
        AWS-managed policies asked for, each keyed by its name."""
        partition = account_scope(self).partition
        role = aws.iam.Role(
            f"{name}-role",
            description=f"Instances of {name}: Session Manager access; add application permissions apart",
            assume_role_policy=service_trust_policy("ec2.amazonaws.com"),
            opts=child,
        )
        aws.iam.RolePolicyAttachment(
            f"{name}-ssm-core",
            role=role.name,
            policy_arn=aws_managed_policy_arn(partition, "AmazonSSMManagedInstanceCore"),
            opts=child,
        )
        attachments: list[pulumi.Resource] = [
            aws.iam.RolePolicyAttachment(
                f"{name}-{policy.rsplit('/', 1)[-1]}",
                role=role.name,
                policy_arn=aws_managed_policy_arn(partition, policy),
                opts=child,
            )
            for policy in aws_managed_policies
        ]
        profile = aws.iam.InstanceProfile(f"{name}-profile", role=role.name, opts=child)
        return role, profile, attachments

    @staticmethod
    def _user_data(
        name: str, args: AutoScalingGroupArgs, role: aws.iam.Role, child: pulumi.ResourceOptions
    ) -> pulumi.Input[str] | None:
        """The caller's user data, preceded by the CloudWatch agent's setup when it is on."""
        agent = args.cloudwatch_agent
        if agent is None:
            return args.user_data
        log_group = aws.cloudwatch.LogGroup(f"{name}-logs", retention_in_days=agent.retention_days, opts=child)
        aws.iam.RolePolicy(
            f"{name}-cloudwatch-agent",
            role=role.id,
            policy=policy_document(agent_statements(log_group.arn)),
            opts=child,
        )
        return user_data_with_agent(agent, log_group.name, args.user_data)

    def _launch_template(
        self,
        name: str,
        args: AutoScalingGroupArgs,
        profile: aws.iam.InstanceProfile,
        sg: aws.ec2.SecurityGroup,
        user_data: pulumi.Input[str] | None,
        child: pulumi.ResourceOptions,
    ) -> aws.ec2.LaunchTemplate:
        image_id: pulumi.Input[str] = args.image_id or (
            aws.ssm.get_parameter_output(
                name=args.image_parameter or al2023_ami_parameter(args.architecture),
                opts=pulumi.InvokeOutputOptions(parent=self),
            ).insecure_value
        )
        vol = args.root_volume
        return aws.ec2.LaunchTemplate(
            f"{name}-lt",
            description=f"Instances of {name}",
            image_id=image_id,
            # A warm pool rules out the mixed instances policy: its one type lives here.
            instance_type=args.instance_types[0] if args.warm_pool else None,
            iam_instance_profile=aws.ec2.LaunchTemplateIamInstanceProfileArgs(arn=profile.arn),
            vpc_security_group_ids=[sg.id],
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled",
                http_tokens="required",
                http_put_response_hop_limit=args.imds_hop_limit,
                instance_metadata_tags="disabled",
            ),
            monitoring=aws.ec2.LaunchTemplateMonitoringArgs(enabled=True),
            block_device_mappings=[
                aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                    device_name=vol.device_name,
                    ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                        volume_type="gp3",
                        volume_size=vol.size_gib,
                        iops=vol.iops,
                        throughput=vol.throughput_mibs,
                        encrypted="true",
                        kms_key_id=vol.kms_key_id,
                        delete_on_termination="true",
                    ),
                )
            ],
            user_data=(
                pulumi.Output.from_input(user_data).apply(lambda text: base64.b64encode(text.encode()).decode())
                if user_data is not None
                else None
            ),
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags={"Name": name})
                for kind in ("instance", "volume")
            ],
            update_default_version=True,
            opts=child,
        )

    @staticmethod
    def _mixed_instances_policy(
        args: AutoScalingGroupArgs, template: aws.ec2.LaunchTemplate, version: pulumi.Output[str]
    ) -> aws.autoscaling.GroupMixedInstancesPolicyArgs:
        req = args.instance_requirements
        overrides = (
            [
                aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(instance_type=t)
                for t in args.instance_types
            ]
            if req is None
            else [
                aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(
                    instance_requirements=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideInstanceRequirementsArgs(
                        vcpu_count=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideInstanceRequirementsVcpuCountArgs(
                            min=req.vcpu_min, max=req.vcpu_max
                        ),
                        memory_mib=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideInstanceRequirementsMemoryMibArgs(
                            min=req.memory_min_mib, max=req.memory_max_mib
                        ),
                        burstable_performance=req.burstable,
                        cpu_manufacturers=_CPU_MANUFACTURERS[args.architecture],
                        instance_generations=["current"],
                    )
                )
            ]
        )
        return aws.autoscaling.GroupMixedInstancesPolicyArgs(
            instances_distribution=aws.autoscaling.GroupMixedInstancesPolicyInstancesDistributionArgs(
                on_demand_base_capacity=args.on_demand_base_capacity,
                on_demand_percentage_above_base_capacity=args.on_demand_percentage_above_base,
                on_demand_allocation_strategy=args.on_demand_allocation_strategy,
                spot_allocation_strategy=args.spot_allocation_strategy,
            ),
            launch_template=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs(
                launch_template_specification=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs(
                    launch_template_id=template.id, version=version
                ),
                overrides=overrides,
            ),
        )

    @staticmethod
    def _instance_refresh(
        refresh: InstanceRefreshArgs | None, protected: bool
    ) -> aws.autoscaling.GroupInstanceRefreshArgs | None:
        """A rolling refresh; in a group whose instances are protected from scale-in, it
        replaces them too (AWS skips protected instances by default: the refresh would do nothing)."""
        if refresh is None:
            return None
        return aws.autoscaling.GroupInstanceRefreshArgs(
            strategy="Rolling",
            preferences=aws.autoscaling.GroupInstanceRefreshPreferencesArgs(
                min_healthy_percentage=refresh.min_healthy_percentage,
                max_healthy_percentage=refresh.max_healthy_percentage,
                skip_matching=refresh.skip_matching,
                auto_rollback=refresh.auto_rollback,
                scale_in_protected_instances="Refresh" if protected else None,
            ),
        )

    @staticmethod
    def _lifecycle_hooks(
        hooks: Sequence[LifecycleHookArgs],
    ) -> list[aws.autoscaling.GroupInitialLifecycleHookArgs] | None:
        """Hooks on the group itself (not apart), so the group's first instances wait for them too."""
        return [
            aws.autoscaling.GroupInitialLifecycleHookArgs(
                name=hook.name,
                lifecycle_transition=_LIFECYCLE_TRANSITIONS[hook.transition],
                heartbeat_timeout=hook.heartbeat_timeout_seconds,
                default_result=hook.default_result,
            )
            for hook in hooks
        ] or None

    @staticmethod
    def _warm_pool(pool: WarmPoolArgs | None) -> aws.autoscaling.GroupWarmPoolArgs | None:
        if pool is None:
            return None
        return aws.autoscaling.GroupWarmPoolArgs(
            pool_state=pool.pool_state,
            min_size=pool.min_size,
            max_group_prepared_capacity=pool.max_group_prepared_capacity,
            instance_reuse_policy=aws.autoscaling.GroupWarmPoolInstanceReusePolicyArgs(
                reuse_on_scale_in=pool.reuse_on_scale_in
            ),
        )
