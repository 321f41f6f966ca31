"""`aws-compute:policyWaivers`: exceptions to policy rules, reviewed as code in the stack file.

```yaml
aws-compute:policyWaivers:
  - rule: no-plain-http-internet         # a rule of the policy pack (policies/rules.py)
    resources: [alb-http, svc-api-rule]  # Pulumi logical names, as `python -m offline plan` shows them
    reason: dev has no certificate; it serves placeholder apps with no user data
    expires: 2026-06-30                  # optional: the waiver stops applying after this day
```

A waiver without a reason, for an unknown rule, or past its expiry stops the program like
any bad stage config. The offline plan applies and prints the waivers; `python -m offline
policy-config --stack NAME` hands them to the CrossGuard pack (`--policy-pack-config`).
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from components import Problem
from components.governance.policy_rules import Waiver, waiver_problems
from stage.base import ConfigModel


class WaiverConfig(ConfigModel):
    rule: str
    resources: list[str] = Field(min_length=1)
    reason: str
    expires: date | None = None

    def to_waiver(self) -> Waiver:
        return Waiver(self.rule, tuple(self.resources), self.reason, self.expires)

    def problems(self) -> list[Problem]:
        return [Problem(field, message) for field, message in waiver_problems(self.to_waiver(), date.today())]
