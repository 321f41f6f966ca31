"""Terraform names of the pulumi-aws resources this project creates.

pulumi-aws is bridged from the Terraform AWS provider; its `bridge-metadata.json`
(provider/cmd/pulumi-resource-aws in the pulumi-aws repository) records each token's
Terraform type (`renames.resources`) and every property whose Terraform name is not the
snake_case of its Pulumi name (`renamedProperties`): the bridge pluralizes list attributes
and repeatable blocks (`default_action` -> `defaultActions`). These tables carry that data
for the resource types the components create; `offline.terraform` applies the mechanical
rules (camelCase -> snake_case, single nested blocks as one-element lists) itself.
"""

from __future__ import annotations

#: Pulumi type token -> Terraform resource type.
TERRAFORM_TYPES: dict[str, str] = {
    "aws:apigatewayv2/api:Api": "aws_apigatewayv2_api",
    "aws:apigatewayv2/apiMapping:ApiMapping": "aws_apigatewayv2_api_mapping",
    "aws:apigatewayv2/authorizer:Authorizer": "aws_apigatewayv2_authorizer",
    "aws:apigatewayv2/domainName:DomainName": "aws_apigatewayv2_domain_name",
    "aws:apigatewayv2/integration:Integration": "aws_apigatewayv2_integration",
    "aws:apigatewayv2/route:Route": "aws_apigatewayv2_route",
    "aws:apigatewayv2/stage:Stage": "aws_apigatewayv2_stage",
    "aws:appautoscaling/policy:Policy": "aws_appautoscaling_policy",
    "aws:appautoscaling/scheduledAction:ScheduledAction": "aws_appautoscaling_scheduled_action",
    "aws:appautoscaling/target:Target": "aws_appautoscaling_target",
    "aws:autoscaling/group:Group": "aws_autoscaling_group",
    "aws:autoscaling/policy:Policy": "aws_autoscaling_policy",
    "aws:autoscaling/schedule:Schedule": "aws_autoscaling_schedule",
    "aws:cloudwatch/eventBus:EventBus": "aws_cloudwatch_event_bus",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "aws_cloudwatch_event_bus_policy",
    "aws:cloudwatch/eventRule:EventRule": "aws_cloudwatch_event_rule",
    "aws:cloudwatch/eventTarget:EventTarget": "aws_cloudwatch_event_target",
    "aws:cloudwatch/logGroup:LogGroup": "aws_cloudwatch_log_group",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "aws_cloudwatch_metric_alarm",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "aws_default_security_group",
    "aws:ec2/eip:Eip": "aws_eip",
    "aws:ec2/flowLog:FlowLog": "aws_flow_log",
    "aws:ec2/internetGateway:InternetGateway": "aws_internet_gateway",
    "aws:ec2/launchTemplate:LaunchTemplate": "aws_launch_template",
    "aws:ec2/natGateway:NatGateway": "aws_nat_gateway",
    "aws:ec2/route:Route": "aws_route",
    "aws:ec2/routeTable:RouteTable": "aws_route_table",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "aws_route_table_association",
    "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
    "aws:ec2/subnet:Subnet": "aws_subnet",
    "aws:ec2/vpc:Vpc": "aws_vpc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "aws_vpc_endpoint",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "aws_ecr_lifecycle_policy",
    "aws:ecr/repository:Repository": "aws_ecr_repository",
    "aws:ecs/capacityProvider:CapacityProvider": "aws_ecs_capacity_provider",
    "aws:ecs/cluster:Cluster": "aws_ecs_cluster",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "aws_ecs_cluster_capacity_providers",
    "aws:ecs/service:Service": "aws_ecs_service",
    "aws:ecs/taskDefinition:TaskDefinition": "aws_ecs_task_definition",
    "aws:eks/accessEntry:AccessEntry": "aws_eks_access_entry",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "aws_eks_access_policy_association",
    "aws:eks/addon:Addon": "aws_eks_addon",
    "aws:eks/cluster:Cluster": "aws_eks_cluster",
    "aws:eks/fargateProfile:FargateProfile": "aws_eks_fargate_profile",
    "aws:eks/nodeGroup:NodeGroup": "aws_eks_node_group",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": "aws_eks_pod_identity_association",
    "aws:iam/instanceProfile:InstanceProfile": "aws_iam_instance_profile",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
    "aws:iam/role:Role": "aws_iam_role",
    "aws:iam/rolePolicy:RolePolicy": "aws_iam_role_policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "aws_iam_role_policy_attachment",
    "aws:kms/alias:Alias": "aws_kms_alias",
    "aws:kms/key:Key": "aws_kms_key",
    "aws:lambda/alias:Alias": "aws_lambda_alias",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "aws_lambda_event_source_mapping",
    "aws:lambda/function:Function": "aws_lambda_function",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": "aws_lambda_function_event_invoke_config",
    "aws:lambda/functionUrl:FunctionUrl": "aws_lambda_function_url",
    "aws:lambda/layerVersion:LayerVersion": "aws_lambda_layer_version",
    "aws:lambda/permission:Permission": "aws_lambda_permission",
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": "aws_lambda_provisioned_concurrency_config",
    "aws:lb/listener:Listener": "aws_lb_listener",
    "aws:lb/listenerRule:ListenerRule": "aws_lb_listener_rule",
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:lb/targetGroup:TargetGroup": "aws_lb_target_group",
    "aws:scheduler/schedule:Schedule": "aws_scheduler_schedule",
    "aws:servicediscovery/httpNamespace:HttpNamespace": "aws_service_discovery_http_namespace",
    "aws:sns/topic:Topic": "aws_sns_topic",
    "aws:sns/topicPolicy:TopicPolicy": "aws_sns_topic_policy",
    "aws:sns/topicSubscription:TopicSubscription": "aws_sns_topic_subscription",
    "aws:sqs/queue:Queue": "aws_sqs_queue",
    "aws:sqs/queuePolicy:QueuePolicy": "aws_sqs_queue_policy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws_sqs_queue_redrive_allow_policy",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "aws_vpc_security_group_egress_rule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "aws_vpc_security_group_ingress_rule",
    "aws:wafv2/webAcl:WebAcl": "aws_wafv2_web_acl",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "aws_wafv2_web_acl_association",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "aws_wafv2_web_acl_logging_configuration",
}

#: Pulumi type token -> {dotted path of Pulumi property names: Terraform name}, for the
#: properties whose Terraform name is not the snake_case of the Pulumi one.
RENAMED_PROPERTIES: dict[str, dict[str, str]] = {
    "aws:apigatewayv2/authorizer:Authorizer": {
        "jwtConfiguration.audiences": "audience",
    },
    "aws:appautoscaling/policy:Policy": {
        "stepScalingPolicyConfiguration.stepAdjustments": "step_adjustment",
    },
    "aws:autoscaling/group:Group": {
        "tags": "tag",
        "vpcZoneIdentifiers": "vpc_zone_identifier",
        "initialLifecycleHooks": "initial_lifecycle_hook",
        "trafficSources": "traffic_source",
        "mixedInstancesPolicy.launchTemplate.overrides": "override",
    },
    "aws:autoscaling/policy:Policy": {
        "stepAdjustments": "step_adjustment",
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        "metricQueries": "metric_query",
    },
    "aws:ecs/cluster:Cluster": {
        "settings": "setting",
    },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
        "defaultCapacityProviderStrategies": "default_capacity_provider_strategy",
    },
    "aws:ecs/service:Service": {
        "capacityProviderStrategies": "capacity_provider_strategy",
        "loadBalancers": "load_balancer",
        "orderedPlacementStrategies": "ordered_placement_strategy",
        "serviceConnectConfiguration.services": "service",
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        "volumes": "volume",
        "inferenceAccelerators": "inference_accelerator",
    },
    "aws:eks/addon:Addon": {
        "podIdentityAssociations": "pod_identity_association",
    },
    "aws:eks/fargateProfile:FargateProfile": {
        "selectors": "selector",
    },
    "aws:eks/nodeGroup:NodeGroup": {
        "taints": "taint",
    },
    "aws:lambda/function:Function": {
        "code": "filename",
    },
    "aws:lambda/layerVersion:LayerVersion": {
        "code": "filename",
    },
    "aws:lb/listener:Listener": {
        "defaultActions": "default_action",
    },
    "aws:lb/listenerRule:ListenerRule": {
        "actions": "action",
        "conditions": "condition",
    },
    "aws:scheduler/schedule:Schedule": {
        "target.ecsParameters.capacityProviderStrategies": "capacity_provider_strategy",
        "target.ecsParameters.placementStrategies": "placement_strategy",
    },
    "aws:wafv2/webAcl:WebAcl": {
        "rules": "rule",
    },
}
