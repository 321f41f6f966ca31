"""What the cost estimate assumes about usage: `<project>:costAssumptions` in a stack file.

A plan says what exists and how far it may scale, not how much traffic it will carry. Every
usage-based charge of `python -m offline cost` (GB processed, requests, log ingestion, Spot
discounts, pods and nodes Kubernetes decides) comes from one of these values, and the
estimate prints each value it used, with whether the stage set it or took the default.

```yaml
aws-compute:costAssumptions:
  natGatewayGbPerMonth: 100          # data processed, per NAT gateway
  interfaceEndpointGbPerMonth: 10    # data processed, per interface endpoint
  albLcus: 1                         # average LCUs an ALB consumes, per hour
  logIngestionGbPerMonth: 1          # per log group (storage follows from its retention)
  lambdaRequestsPerMonth: 1000000    # per function
  lambdaAverageDurationMs: 100       # per invocation
  sqsRequestsPerMonth: 1000000       # per queue (sends, receives including empty polls, deletes)
  httpApiRequestsPerMonth: 1000000   # per HTTP API
  customEventsPerMonth: 1000000      # per custom event bus (events published to it)
  scheduledTaskMinutes: 10           # per run of a scheduled Fargate job
  ecrStorageGbPerRepository: 1       # images kept per repository
  wafRequestsPerMonth: 10000000      # requests each web ACL inspects
  spotDiscountPercent: {ec2: 60, fargate: 60}   # below on-demand; Spot prices move hourly
  eksFargatePods: {min: 0, max: 4, vcpu: 0.25, memoryGib: 0.5}   # per EKS Fargate profile
  eksAutoModeNodes: {instanceType: m7g.large, min: 2, max: 6}    # per Auto Mode cluster
```

Free tiers are not deducted: they are per account, not per stage.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel


class _Block(BaseModel):
    """camelCase keys as in the stack file, unknown keys rejected (as every stage area)."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, validate_by_alias=True, validate_by_name=False, frozen=True
    )


class SpotDiscountPercent(_Block):
    ec2: float = Field(default=60, ge=0, lt=100)
    """EC2 Spot below on-demand, percent. Default 60: the middle of what AWS's Spot Instance
    Advisor shows for current Graviton and x86 families (it advertises up to 90)."""
    fargate: float = Field(default=60, ge=0, lt=100)
    """Fargate Spot below Fargate, percent. Default 60: AWS advertises up to 70, and its
    published Spot rates have sat between 50 and 70 below on-demand."""


class _Range(_Block):
    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max}); set min <= max")
        return self


class EksFargatePods(_Range):
    """Pods the Fargate profiles of an EKS cluster run: Kubernetes decides, not the plan."""

    min: int = Field(default=0, ge=0)
    max: int = Field(default=4, ge=0)
    vcpu: float = Field(default=0.25, gt=0)
    memory_gib: float = Field(default=0.5, gt=0)


class EksAutoModeNodes(_Range):
    """Nodes EKS Auto Mode launches for a cluster: its node pools decide, not the plan."""

    instance_type: str = "m7g.large"
    min: int = Field(default=2, ge=0)
    max: int = Field(default=6, ge=0)


class CostAssumptions(_Block):
    """Usage the estimate assumes; each field's default is documented in the module docstring."""

    nat_gateway_gb_per_month: float = Field(default=100, ge=0)
    interface_endpoint_gb_per_month: float = Field(default=10, ge=0)
    alb_lcus: float = Field(default=1, ge=0)
    log_ingestion_gb_per_month: float = Field(default=1, ge=0)
    lambda_requests_per_month: float = Field(default=1_000_000, ge=0)
    lambda_average_duration_ms: float = Field(default=100, ge=0)
    sqs_requests_per_month: float = Field(default=1_000_000, ge=0)
    http_api_requests_per_month: float = Field(default=1_000_000, ge=0)
    custom_events_per_month: float = Field(default=1_000_000, ge=0)
    scheduled_task_minutes: float = Field(default=10, ge=0)
    ecr_storage_gb_per_repository: float = Field(default=1, ge=0)
    waf_requests_per_month: float = Field(default=10_000_000, ge=0)
    spot_discount_percent: SpotDiscountPercent = Field(default_factory=SpotDiscountPercent)
    eks_fargate_pods: EksFargatePods = Field(default_factory=EksFargatePods)
    eks_auto_mode_nodes: EksAutoModeNodes = Field(default_factory=EksAutoModeNodes)

    def listed(self) -> list[tuple[str, object, bool]]:
        """(camelCase key path, value, set by the stage?) for every leaf value."""
        rows: list[tuple[str, object, bool]] = []

        def walk(model: BaseModel, prefix: str) -> None:
            for name, field in type(model).model_fields.items():
                value = getattr(model, name)
                key = f"{prefix}{field.alias or name}"
                if isinstance(value, BaseModel):
                    walk(value, f"{key}.")
                else:
                    rows.append((key, value, name in model.model_fields_set))

        walk(self, "")
        return rows
