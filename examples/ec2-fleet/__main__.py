"""An EC2 fleet on aws-compute: a Graviton Auto Scaling group in the private subnets of an
existing VPC (given by ids), serving /reports/* from an existing ALB listener, tagged and
IMDSv2-guarded by enable_governance()."""

import pulumi

from components import AutoScalingGroup, AutoScalingGroupArgs, InstanceTargetArgs, enable_governance, existing_listener

config = pulumi.Config()
enable_governance(environment="production", tags={"Team": "reporting"})

fleet = AutoScalingGroup(
    "reports",
    AutoScalingGroupArgs(
        vpc_id=config.require("vpcId"),
        subnet_ids=config.require_object("subnetIds"),
        instance_types=("m7g.large", "c7g.large"),
        min_size=2,
        max_size=6,
        load_balancer=InstanceTargetArgs(
            listener=existing_listener(config.require("listenerArn"), config.require("albSecurityGroupId")),
            priority=20,
            path_patterns=["/reports/*"],
        ),
    ),
)

pulumi.export("groupName", fleet.group_name)
pulumi.export("launchTemplateId", fleet.launch_template_id)
