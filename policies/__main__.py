"""The CrossGuard pack: `pulumi preview --policy-pack policies` runs the rules of the
installed aws-compute package (`components.governance.policy_rules`) for real.

Its own virtualenv (`venv`, per PulumiPolicy.yaml) holds pulumi-policy and aws-compute:
`pulumi install` in this folder fills it from requirements.txt. Not imported by tests:
constructing a PolicyPack starts a gRPC server and blocks.
"""

from collections.abc import Callable

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from components.governance.policy_rules import RULES, Rule


def _validate(rule: Rule) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in rule.check(args.resource_type, args.props):
            report_violation(message, None)

    return validate


PolicyPack(
    name="aws-compute",
    policies=[
        ResourceValidationPolicy(
            name=rule.name,
            description=rule.description,
            validate=_validate(rule),
            enforcement_level=EnforcementLevel.MANDATORY
            if rule.enforcement == "mandatory"
            else EnforcementLevel.ADVISORY,
        )
        for rule in RULES
    ],
)
