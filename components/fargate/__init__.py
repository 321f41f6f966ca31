"""Helpers of `components.fargate_service` and `components.ecs_cluster`: container, sizing,
capacity, IAM, scaling and workload kinds."""
