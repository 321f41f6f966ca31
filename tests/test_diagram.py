"""`python -m offline diagram`: components as boxes, the edges a reviewer looks for."""

from __future__ import annotations

import dataclasses

from offline import diagram
from offline.engine import Plan


def test_prod_network_draws_each_az_with_its_tiers_and_nat(network_prod_plan: Plan) -> None:
    chart = diagram.mermaid(network_prod_plan)
    assert chart.startswith('flowchart LR\n  subgraph network["network · VPC 10.20.0.0/16"]\n')
    assert (
        '    subgraph network_us_east_1b["us-east-1b"]\n'
        "      direction TB\n"
        '      network_public_1["public 10.20.16.0/24<br/>NAT gateway"]\n'
        '      network_private_1["private 10.20.80.0/20"]\n'
        '      network_isolated_1["isolated 10.20.144.0/24"]\n'
        "    end\n"
    ) in chart
    assert "interface endpoints: ec2messages, ecr.api, ecr.dkr, logs, ssm, ssmmessages, sts" in chart


def test_listener_rules_are_edges_from_the_alb_to_what_they_serve(prod_plan: Plan) -> None:
    chart = diagram.mermaid(prod_plan)
    assert '  alb["alb · ALB internet-facing<br/>HTTP :80 → HTTPS · HTTPS :443"]\n' in chart
    assert '  alb -->|"5: /legacy/*"| web\n  alb -->|"10: /*"| svc_api\n' in chart


def test_ec2_capacity_and_the_services_on_it(prod_plan: Plan) -> None:
    chart = diagram.mermaid(prod_plan)
    assert (
        '    ecs_capacity_spot["ecs-capacity-spot · EC2 capacity provider<br/>m7g.large, m6g.large, r7g.large'
        '<br/>0–6 instances<br/>on-demand base 0 + 0% above<br/>managed scaling to 100%"]\n'
    ) in chart
    assert (
        '    svc_renderer["svc-renderer · ECS on EC2 service<br/>ARM64 · 1 vCPU / 3 GB<br/>1–12 tasks<br/>'
        'ecs-capacity-general ×1 base 1 + ecs-capacity-spot ×2"]\n'
        "    svc_renderer --> ecs_capacity_general\n    svc_renderer --> ecs_capacity_spot\n"
    ) in chart


def test_services_jobs_queues_schedules_and_urls(prod_plan: Plan) -> None:
    chart = diagram.mermaid(prod_plan)
    assert '  subgraph ecs["ecs · ECS cluster · Container Insights enhanced"]\n    ecs_capacity_general[' in chart
    assert (
        '    svc_worker["svc-worker · Fargate service<br/>ARM64 · 0.5 vCPU / 1 GB<br/>1–20 tasks<br/>'
        'FARGATE ×1 base 1 + FARGATE_SPOT ×2"]\n'
    ) in chart
    assert '  svc_worker_queue[["SQS svc-worker-queue<br/>with DLQ"]] --> svc_worker\n' in chart
    assert '  fn_worker_queue[["SQS fn-worker-queue<br/>with DLQ"]] --> fn_worker\n' in chart
    assert '  fn_cleanup_schedule(["cron(0 3 * * ? *) Europe/Paris"]) --> fn_cleanup\n' in chart
    assert '  svc_nightly_report_schedule(["cron(0 2 * * ? *) UTC"]) --> svc_nightly_report' in chart
    assert '  fn_api_url{{"function URL · AWS_IAM"}} --> fn_api\n' in chart


def test_eks_cluster_holds_its_node_groups_and_profiles(prod_plan: Plan) -> None:
    chart = diagram.mermaid(prod_plan)
    assert '  subgraph eks["eks · EKS 1.36 · private endpoint"]\n' in chart
    assert (
        '    eks_spot_burst["node group eks-spot-burst<br/>m7g.xlarge, m6g.xlarge, c7g.xlarge<br/>SPOT · 0–20 nodes"]'
        in chart
    )
    assert "    eks_control_plane --- eks_spot_burst\n" in chart
    assert '    eks_serverless["Fargate profile eks-serverless<br/>namespaces: serverless"]\n' in chart


def test_auto_mode_node_pools_are_drawn(prod_plan: Plan) -> None:
    resources = [
        dataclasses.replace(r, inputs={**r.inputs, "computeConfig": {"enabled": True, "nodePools": ["system"]}})
        if r.name == "eks-cluster"
        else r
        for r in prod_plan.resources
    ]
    chart = diagram.mermaid(dataclasses.replace(prod_plan, resources=resources))
    assert '    eks_auto_mode["Auto Mode<br/>node pools: system"]\n    eks_control_plane --- eks_auto_mode\n' in chart


def test_no_child_is_drawn_outside_its_component(dev_plan: Plan) -> None:
    chart = diagram.mermaid(dev_plan)
    assert "role" not in chart
    assert "-sg" not in chart
    assert chart.count("subgraph ") == 5  # network, its 2 AZs, the ECS cluster, the EKS cluster


def test_http_api_routes_event_rules_and_layers_are_edges(prod_plan: Plan, dev_plan: Plan) -> None:
    chart = diagram.mermaid(prod_plan)
    assert (
        '  api_public{{"api-public · HTTP API<br/>api.shop.example.com<br/>200 req/s, burst 400"}}\n'
        "  api_public_clients((clients)) --> api_public\n"
        '  api_public -->|"GET /health (NONE), GET /hello (JWT)"| fn_api\n'
    ) in chart
    assert '  events[("events · EventBridge bus<br/>PutEvents from 111122223333")]\n' in chart
    assert '  events -->|"order-placed"| fn_worker_queue\n' in chart  # a queue target: through the queue
    assert '  events -->|"cleanup-requested"| fn_cleanup\n' in chart
    assert '  layer_common[/"layer-common · Lambda layer<br/>python3.13 · arm64"/]\n' in chart
    assert chart.endswith("  layer_common -.- fn_api")
    assert '"api-public · HTTP API<br/>execute-api URL<br/>20 req/s, burst 40"' in diagram.mermaid(dev_plan)
