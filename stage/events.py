"""`aws-compute:eventBus` and `aws-compute:functions.<fn>.events`: EventBridge for the stage.

Config reference (defaults are EventBusArgs' and EventRuleArgs' own):

```yaml
aws-compute:eventBus:                    # optional: the stage's custom bus for its own events
  name: null                             # default: autonamed (events-bus-<7 random>); exported as eventBusName
  description: Order events of the stage
  putEventsAccountIds: ["111122223333"]  # other accounts allowed to PutEvents (quoted: ids are strings)

aws-compute:functions:
  worker:
    events:
      order-placed:                      # rule name: lowercase, digits, dashes
        bus: stage                       # stage (aws-compute:eventBus) | default | <bus name or ARN>
        pattern:                         # envelope fields: source, detail-type, detail, account, region,
          source: [shop.orders]          #   time, id, resources, version; arrays of values or filters
          detail-type: [Order Placed]
          detail: {quantity: [{numeric: [">", 0]}]}
        target: queue                    # alias (default) | queue (the function's own sqs queue)
        inputPath: $.detail              # default: the whole event
        description: null
        enabled: true
        maxRetryAttempts: 185            # 0-185
        maxEventAgeSeconds: 86400        # 60-86400
```

Each rule gets its own dead-letter queue (SQS-managed encryption, 14 days, a policy letting
EventBridge send from that rule only). An alias target gets a Lambda permission scoped to
the rule's ARN; a queue target is admitted by the queue's policy, for that rule's ARN only.
Schedules stay with `schedule` (EventBridge Scheduler), not rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field, StringConstraints

from components import EventBusArgs, EventRuleArgs, EventTarget, Problem
from stage.base import ConfigModel, args_default, args_problems

#: The placeholder of the stage's bus name while validating.
PLACEHOLDER_BUS = "stage-bus"
RuleName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,63}$")]
BusChoice = Literal["stage", "default"] | str


class EventBusConfig(ConfigModel):
    """The stage's custom event bus."""

    name: str | None = None
    description: str | None = None
    put_events_account_ids: list[str] = Field(default_factory=list)

    def to_args(self) -> EventBusArgs:
        return EventBusArgs(
            name=self.name, description=self.description, put_events_account_ids=tuple(self.put_events_account_ids)
        )

    def problems(self) -> list[Problem]:
        return args_problems(self.to_args)


class EventRuleConfig(ConfigModel):
    """One rule feeding the function; `bus` picks the stage's bus, the default bus or another by name/ARN."""

    pattern: dict[str, Any]
    bus: BusChoice = "default"
    target: EventTarget = args_default(EventRuleArgs, "target")
    input_path: str | None = None
    description: str | None = None
    enabled: bool = args_default(EventRuleArgs, "enabled")
    max_retry_attempts: int = args_default(EventRuleArgs, "max_retry_attempts")
    max_event_age_seconds: int = args_default(EventRuleArgs, "max_event_age_seconds")

    def to_args(self, stage_bus: pulumi.Input[str] | None) -> EventRuleArgs:
        """The rule's args; `stage_bus` is the stage's bus name (`bus: stage`)."""
        bus = {"default": None, "stage": stage_bus}.get(self.bus, self.bus)
        return EventRuleArgs(
            pattern=self.pattern,
            event_bus_name=bus,
            target=self.target,
            input_path=self.input_path,
            description=self.description,
            enabled=self.enabled,
            max_retry_attempts=self.max_retry_attempts,
            max_event_age_seconds=self.max_event_age_seconds,
        )


#: EventBridge rule names are at most 64 characters; autonaming adds 8 to `fn-<fn>-rule-<rule>`.
RULE_NAME_MAX = 64 - 8


def event_link_problems(
    events_by_function: Mapping[str, Mapping[str, EventRuleConfig]], has_bus: bool
) -> list[Problem]:
    """Stage rules of `functions.<fn>.events`: `bus: stage` needs `aws-compute:eventBus`, and
    each rule's autonamed physical name fits EventBridge's 64 characters; paths from the namespace."""
    problems = []
    for function, events in events_by_function.items():
        for key, rule in events.items():
            logical = f"fn-{function}-rule-{key}"
            if len(logical) > RULE_NAME_MAX:
                problems.append(
                    Problem(
                        f"functions.{function}.events.{key}",
                        f"the rule is named {logical}-<7 random>, {len(logical) + 8} characters; EventBridge"
                        " allows 64, so shorten the rule's or the function's name",
                    )
                )
            if rule.bus == "stage" and not has_bus:
                problems.append(
                    Problem(
                        f"functions.{function}.events.{key}.bus",
                        "bus: stage is the stage's custom bus, but aws-compute:eventBus is not configured;"
                        " configure it, or use default or an existing bus's name or ARN",
                    )
                )
    return problems
