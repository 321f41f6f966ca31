"""The schema of `Pulumi.<stack>.yaml`, and the only code that reads Pulumi config.

One structured key per area in the project's namespace (`aws-compute:network`, ...), so
`pulumi config set --path 'aws-compute:network.natGateways' single` works. `load()`
validates every area before the program registers anything; a bad stage stops with one
message listing every problem, and no traceback.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pulumi
import pydantic
from pydantic import Field, field_validator

from components import Problem
from offline.assumptions import CostAssumptions
from policies.rules import NO_PLAIN_HTTP
from stage.autoscaling import AutoScalingGroups, shared_alb_problems
from stage.base import ConfigModel
from stage.collect import is_pruned, validate_pruned
from stage.config_keys import config_key_lines, nothing_configured_line
from stage.eks import EksConfig
from stage.errors import camel_path, format_report, problem_lines
from stage.functions import FunctionConfig, FunctionName
from stage.network import NetworkConfig
from stage.secrets import SecurePath, secret_problems, secure_paths, unlocated_problems, with_secrets, without
from stage.services import ServicesConfig
from stage.waivers import WaiverConfig

NAMESPACE = "aws-compute"

#: AWS tag keys: 1-128 characters, no reserved `aws:` prefix (in any case); values 0-256
#: characters of the same set (IAM, EKS and others reject anything else).
_TAG_KEY = re.compile(r"^(?![aA][wW][sS]:)[\w\s.:/=+\-@]{1,128}$")
_TAG_VALUE = re.compile(r"^[\w\s.:/=+\-@]{0,256}$")
#: AWS allows 50 tags per resource; the standard four and our components' own (Name, Tier,
#: a Kubernetes role tag) take up to 7.
MAX_EXTRA_TAGS = 43


class StageConfig(ConfigModel):
    """Everything in the `aws-compute:` namespace of one stack file."""

    environment: str | None = None
    """The Environment tag; the stack name when unset."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Extra tags for every taggable resource, beside the standard ones."""
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    functions: dict[FunctionName, FunctionConfig] = Field(default_factory=dict)
    """Lambda functions by name (`aws-compute:functions`); none by default."""
    autoscaling: AutoScalingGroups = Field(default_factory=dict)
    eks: EksConfig | None = None
    """One EKS cluster for the stage; absent means none."""
    policy_waivers: list[WaiverConfig] = Field(default_factory=list)
    """Exceptions to policy rules for named resources, each with a reason (`stage/waivers.py`)."""

    def problems(self, region: str | None = None) -> list[Problem]:
        """Rules across areas: compute in private subnets needs the private tier; Auto
        Scaling groups on the shared ALB need it, with listener priorities unique; names
        of the region's things (AZs) exist in `region`, when known; plain HTTP to the
        internet needs a waiver; every waiver is valid."""
        return (
            self._private_tier_problems()
            + shared_alb_problems(self.autoscaling, self.services)
            + [Problem(f"network.{p.field}", p.message) for p in self.network.region_problems(region)]
            + self._plain_http_problems()
            + [
                Problem(f"policy_waivers[{i}].{p.field}", p.message)
                for i, waiver in enumerate(self.policy_waivers)
                for p in waiver.problems()
            ]
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

    def _private_tier_problems(self) -> list[Problem]:
        users = [
            *(f"functions.{name}" for name, fn in self.functions.items() if fn.vpc is not None),
            *(f"autoscaling.{name}" for name in self.autoscaling),
            *(["eks"] if self.eks is not None else []),
        ]
        if users and "private" not in self.network.tiers:
            return [
                Problem(
                    "network.tiers",
                    f"{', '.join(users)} run in the private subnets, but the network has no private tier;"
                    " add 'private' to tiers (with a NAT gateway strategy other than 'none')",
                )
            ]
        return []

    services: ServicesConfig = Field(default_factory=ServicesConfig)
    """ECS cluster, shared ALB and Fargate workloads by name (`stage/services.py`)."""
    cost_assumptions: CostAssumptions = Field(default_factory=CostAssumptions)
    """Usage the offline cost estimate assumes (`offline/assumptions.py`); deploys nothing."""

    @field_validator("tags")
    @classmethod
    def _tag_keys(cls, tags: dict[str, str]) -> dict[str, str]:
        bad = [key for key in tags if not _TAG_KEY.match(key)]
        if bad:
            raise ValueError(f"tag keys {bad} are invalid: 1-128 characters, not starting with 'aws:'")
        bad_values = [key for key, value in tags.items() if not _TAG_VALUE.match(value)]
        if bad_values:
            raise ValueError(
                f"the values of tags {bad_values} are invalid: at most 256 letters, digits, spaces and _.:/=+-@"
            )
        if len(tags) > MAX_EXTRA_TAGS:
            raise ValueError(f"{len(tags)} tags; AWS allows 50 per resource, so list at most {MAX_EXTRA_TAGS}")
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

    @property
    def standard_tags(self) -> dict[str, str]:
        """Environment, ManagedBy, Project and Stack, then the stage's extra tags."""
        return {
            "Environment": self.config.environment or self.stack,
            "ManagedBy": "pulumi",
            "Project": self.project,
            "Stack": self.stack,
            **self.config.tags,
        }


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
