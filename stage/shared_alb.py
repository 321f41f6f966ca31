"""Rules across the stage areas that share the ALB: Auto Scaling groups (`stage.autoscaling`)
behind it beside the Fargate web services (`stage.services`)."""

from __future__ import annotations

from components import Problem, target_group_name_problem
from stage.alb import SHARED_LISTENER, listener_priority_problems
from stage.autoscaling import AutoScalingGroups
from stage.services import ServicesConfig


def shared_alb_problems(groups: AutoScalingGroups, services: ServicesConfig) -> list[Problem]:
    """Stage rules of groups on ALB listeners, with field paths from the namespace: the
    group's name leaves room for its autonamed target group, `alb: shared` needs the
    stage's ALB, and listener rule priorities are unique per listener across Fargate web
    services and groups."""
    problems = [
        Problem(f"autoscaling.{name}", reason)
        for name, group in groups.items()
        if group.load_balancer is not None and (reason := target_group_name_problem(name))
    ]
    problems += [
        Problem(
            f"autoscaling.{name}.load_balancer.alb",
            "alb: shared attaches to the stage's ALB, but aws-compute:services.loadBalancer is not configured;"
            " configure it, or use alb: external with listenerArn and securityGroupId",
        )
        for name, group in groups.items()
        if group.load_balancer is not None and group.load_balancer.alb == "shared" and services.load_balancer is None
    ]
    routes = [
        (f"services.services.{name}.web.priority", SHARED_LISTENER, service.web.priority)
        for name, service in services.services.items()
        if service.web is not None
    ] + [
        (f"autoscaling.{name}.load_balancer.priority", lb.listener_identity, lb.priority)
        for name, group in groups.items()
        if (lb := group.load_balancer) is not None
    ]
    return problems + listener_priority_problems(routes)
