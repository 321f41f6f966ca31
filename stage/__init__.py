"""The schema of `Pulumi.<stack>.yaml`, and the only code that reads Pulumi config.

One structured key per area in the project's namespace (`aws-compute:network`, ...), so
`pulumi config set --path 'aws-compute:network.natGateways' single` works. `load()`
validates every area before the program registers anything; a bad stage stops with one
message listing every problem, and no traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pulumi
import pydantic
from pydantic import Field, field_validator

from components import Problem, SubnetTier, extra_tag_problems
from components.cost_assumptions import CostAssumptions
from components.governance.policy_rules import NO_PLAIN_HTTP
from stage.alarms import AlarmsConfig
from stage.apis import ApiConfig, ApiName, api_link_problems
from stage.autoscaling import AutoScalingGroups
from stage.base import ConfigModel
from stage.collect import is_pruned, validate_pruned
from stage.config_keys import config_key_lines, nothing_configured_line
from stage.eks import EksConfig
from stage.errors import camel_path, format_report, problem_lines
from stage.events import EventBusConfig, event_link_problems
from stage.functions import FunctionConfig, FunctionName, layer_link_problems
from stage.layers import LayerConfig, LayerName
from stage.network import NetworkConfig
from stage.secrets import SecurePath, secret_problems, secure_paths, unlocated_problems, with_secrets, without
from stage.services import ServicesConfig
from stage.shared_alb import shared_alb_problems
from stage.waivers import WaiverConfig

NAMESPACE = "aws-compute"


class StageConfig(ConfigModel):
    """Everything in the `aws-compute:` namespace of one stack file."""

    environment: str | None = None
    """The Environment tag; the stack name when unset."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Extra tags for every taggable resource, beside the standard ones."""
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    functions: dict[FunctionName, FunctionConfig] = Field(default_factory=dict)
    """Lambda functions by name (`aws-compute:functions`); none by default."""
    layers: dict[LayerName, LayerConfig] = Field(default_factory=dict)
    """Lambda layers built from repository folders, by name (`aws-compute:layers`); none by default."""
    event_bus: EventBusConfig | None = None
    """The stage's custom EventBridge bus (`aws-compute:eventBus`); none by default."""
    apis: dict[ApiName, ApiConfig] = Field(default_factory=dict)
    """HTTP APIs routing to the stage's functions, by name (`aws-compute:apis`); none by default."""
    autoscaling: AutoScalingGroups = Field(default_factory=dict)
    eks: EksConfig | None = None
    """One EKS cluster for the stage; absent means none."""
    alarms: AlarmsConfig = Field(default_factory=AlarmsConfig)
    """The stage's alarm topic and every component's alarms (`stage/alarms.py`); on by default."""
    policy_waivers: list[WaiverConfig] = Field(default_factory=list)
    """Exceptions to policy rules for named resources, each with a reason (`stage/waivers.py`)."""

    def problems(self, region: str | None = None) -> list[Problem]:
        """Rules across areas, run on the tiers the network source declares: compute in
        private subnets needs the private tier, the ALB the tier its scheme places it in;
        Auto Scaling groups on the shared ALB need it, with listener priorities unique; names
        of the region's things (AZs) exist in `region`, when known; plain HTTP to the
        internet needs a waiver; every waiver is valid; functions attach layers the stage
        defines, fitting their runtime and architecture; rules on the stage's bus need one;
        API routes name the stage's functions."""
        return (
            self._tier_problems()
            + shared_alb_problems(self.autoscaling, self.services)
            + [Problem(f"network.{p.field}", p.message) for p in self.network.region_problems(region)]
            + self._plain_http_problems()
            + [
                Problem(f"policy_waivers[{i}].{p.field}", p.message)
                for i, waiver in enumerate(self.policy_waivers)
                for p in waiver.problems()
            ]
            + layer_link_problems(self.functions, {key: layer.placeholder(key) for key, layer in self.layers.items()})
            + event_link_problems({k: f.events for k, f in self.functions.items()}, self.event_bus is not None)
            + api_link_problems(self.apis, self.functions)
        )

    def _plain_http_problems(self) -> list[Problem]:
        """`httpOnlyDev` on an internet-facing ALB breaks the mandatory rule
        no-plain-http-internet: refused here too (so a `pulumi up` without the policy pack
        refuses it), unless the stack file waives that rule with a reason."""
        lb = self.services.load_balancer
        if lb is None or lb.listeners != "httpOnlyDev" or lb.scheme != "internet-facing":
            return []
        if any(w.rule == NO_PLAIN_HTTP for w in self.policy_waivers):
            return []
        return [
            Problem(
                "services.load_balancer.listeners",
                f"httpOnlyDev serves plain HTTP to the internet, which policy {NO_PLAIN_HTTP} forbids; use"
                " httpsWithRedirect with a certificateArn, or waive the rule in aws-compute:policyWaivers for"
                " the ALB's listener (alb-http) and the rules on it, with a reason",
            )
        ]

    def _tier_problems(self) -> list[Problem]:
        users: dict[SubnetTier, list[str]] = {
            "private": [
                *(f"functions.{name}" for name, fn in self.functions.items() if fn.vpc is not None),
                *(f"autoscaling.{name}" for name in self.autoscaling),
                *(f"services.cluster.ec2Capacity.{name}" for name in self.services.cluster.ec2_capacity),
                *(["eks"] if self.eks is not None else []),
            ],
        }
        if self.services.load_balancer is not None:
            tier: SubnetTier = "public" if self.services.load_balancer.scheme == "internet-facing" else "private"
            users.setdefault(tier, []).append("services.loadBalancer")
        if self.services.services:
            users["private"].append("services.services")
        declared = self.network.declared_tiers()
        problems = []
        for tier, names in users.items():
            if names and tier not in declared:
                key, fix = self.network.missing_tier(tier)
                problems.append(
                    Problem(
                        f"network.{key}",
                        f"{', '.join(names)} run in the {tier} subnets, but the network has no {tier} tier; {fix}",
                    )
                )
        return problems

    services: ServicesConfig = Field(default_factory=ServicesConfig)
    """ECS cluster, shared ALB and Fargate workloads by name (`stage/services.py`)."""
    cost_assumptions: CostAssumptions = Field(default_factory=CostAssumptions)
    """Usage the offline cost estimate assumes (`components/cost_assumptions.py`); deploys nothing."""

    @field_validator("tags")
    @classmethod
    def _tag_keys(cls, tags: dict[str, str]) -> dict[str, str]:
        problems = extra_tag_problems(tags)
        if problems:
            raise ValueError("; ".join(problems))
        return tags


class Stage(pydantic.BaseModel):
    """A validated stage: which stack it is, and its config."""

    model_config = pydantic.ConfigDict(frozen=True)

    project: str
    stack: str
    config: StageConfig

    @property
    def stack_file(self) -> str:
        return f"Pulumi.{self.stack}.yaml"


def _stack_config() -> dict[str, Any]:
    """Every config key of the stack as the CLI passed it (`aws-compute:network`, `aws:region`)."""
    return {**pulumi.runtime.get_config_env(), **pulumi.runtime.config.CONFIG.get()}


def _namespace_values(everything: dict[str, Any]) -> dict[str, Any]:
    """Every `aws-compute:*` key of the stack, structured values decoded from JSON."""
    values = {}
    for key, raw in everything.items():
        namespace, _, name = key.partition(":")
        if namespace != NAMESPACE:
            continue
        try:
            values[name] = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError:
            values[name] = raw
    return values


def validate(
    values: dict[str, Any],
    *,
    keys: Iterable[str] | None = None,
    region: str | None = None,
    secure: Sequence[SecurePath] = (),
) -> tuple[StageConfig | None, list[str]]:
    """Validate namespace values; returns the config or the report lines, never both.

    `keys` (every config key of the stack) adds the checks of namespaces and of a stack
    that sets nothing of ours; `region` checks the values that name the region's things;
    `secure` locates the stack file's `secure:` values (`stage.secrets`). Field errors and
    rules are reported together (`stage.collect`).
    """
    lines = []
    if keys is not None:
        keys = list(keys)
        lines += config_key_lines(keys, NAMESPACE) + nothing_configured_line(keys, NAMESPACE)
    lines += _namespace_lines(problem_lines(NAMESPACE, [], secret_problems(list(secure))))
    config, field_lines, pruned = validate_pruned(StageConfig, without(values, list(secure)), NAMESPACE)
    lines += _namespace_lines(field_lines)
    if config is not None:
        problems: list[tuple[Sequence[str | int], Problem]] = [([], p) for p in config.problems(region)]
        for area in StageConfig.model_fields:
            value = getattr(config, area)
            models = value.items() if isinstance(value, dict) else [(None, value)]
            for item, model in models:
                if isinstance(model, ConfigModel):
                    prefix = [StageConfig.model_fields[area].alias or area] + ([item] if item else [])
                    problems += [(prefix, p) for p in model.problems()]
        for where, problem in problems:
            if not is_pruned([*where, *camel_path(problem.field)], pruned):
                lines += _namespace_lines(problem_lines(NAMESPACE, where, [problem]))
    if lines or config is None:
        return None, lines
    return with_secrets(config, values, list(secure)), []


def _namespace_lines(lines: list[str]) -> list[str]:
    """`aws-compute.network.x` -> `aws-compute:network.x`: the first step is a config key."""
    prefix = f"{NAMESPACE}."
    return [f"{NAMESPACE}:{line[len(prefix) :]}" if line.startswith(prefix) else line for line in lines]


def _region(everything: dict[str, Any]) -> str | None:
    """The provider's region: `aws:region`, else the environment, as the provider reads it."""
    return everything.get("aws:region") or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


def load() -> Stage:
    """Read and validate this stack's config, or stop the program with every problem."""
    stack, project = pulumi.get_stack(), pulumi.get_project()
    everything = _stack_config()
    secure = secure_paths(Path(f"Pulumi.{stack}.yaml"), NAMESPACE)
    unlocated: list[str] = []
    if secure is None:
        secret_keys = [key for key in everything if pulumi.runtime.is_config_secret(key)]
        unlocated = _namespace_lines(problem_lines(NAMESPACE, [], unlocated_problems(secret_keys, NAMESPACE)))
    config, lines = validate(
        _namespace_values(everything), keys=everything, region=_region(everything), secure=secure or []
    )
    lines = unlocated + lines
    if config is None or lines:
        raise pulumi.RunError(format_report(f"Pulumi.{stack}.yaml", lines))
    return Stage(project=project, stack=stack, config=config)
