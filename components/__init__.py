"""The importable ComponentResources of aws-compute, and what they share.

One module per component (`network`, `ecs_cluster`, `load_balancer`, `fargate_service`,
`lambda_function`, `autoscaling_group`, `eks_cluster`), each holding its `XArgs` and `X`;
each component's private helpers in a package of its own (`fargate/`, `lambda_/`,
`autoscaling/`, `eks/`); building blocks several components use at the top level (`iam`,
`validation`, `alb_target`, `queues`, `ecr_image`, `secret_refs`, `schedules`, `cron`,
`scheduler_role`, `grants`, `subnet_plan`). Components never read Pulumi config or the stack.
"""
