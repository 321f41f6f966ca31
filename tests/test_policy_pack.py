"""The CrossGuard pack folder, run as the analyzer runs it (`runpy.run_path` on the folder),
wraps every packaged policy rule, with its enforcement, and reports the rule's messages.
PolicyPack is recorded instead of constructed: constructing one starts the analyzer's gRPC
server and blocks."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

import pulumi_policy
import pytest

from components.governance import policy_rules

PACK = Path(__file__).resolve().parent.parent / "policies"


@pytest.fixture
def policies(monkeypatch: pytest.MonkeyPatch) -> dict[str, pulumi_policy.ResourceValidationPolicy]:
    packs: list[dict[str, Any]] = []
    monkeypatch.setattr(pulumi_policy, "PolicyPack", lambda **kwargs: packs.append(kwargs))
    monkeypatch.delitem(sys.modules, "pack", raising=False)  # the sibling `pack` it imports goes at teardown
    runpy.run_path(str(PACK), run_name="__main__")
    [pack] = packs
    assert pack["name"] == "aws-compute"
    return {policy.name: policy for policy in pack["policies"]}


def test_every_rule_is_a_policy_with_its_enforcement(
    policies: dict[str, pulumi_policy.ResourceValidationPolicy],
) -> None:
    declared = {rule.name: (rule.enforcement, rule.description) for rule in policy_rules.RULES}
    declared |= {rule.name: (rule.enforcement, rule.description) for rule in policy_rules.STACK_RULES}
    assert {name: getattr(policy.enforcement_level, "value", None) for name, policy in policies.items()} == {
        **{name: enforcement for name, (enforcement, _) in declared.items()},
        policy_rules.WAIVER_REPORT: "advisory",
    }
    assert all(policies[name].description == description for name, (_, description) in declared.items())


def test_a_policy_reports_its_rules_messages(policies: dict[str, pulumi_policy.ResourceValidationPolicy]) -> None:
    args = pulumi_policy.ResourceValidationArgs(
        resource_type="aws:ec2/spotInstanceRequest:SpotInstanceRequest",
        props={"metadataOptions": {"httpTokens": "optional"}},
        urn="urn:pulumi:dev::legacy::aws:ec2/spotInstanceRequest:SpotInstanceRequest::cheap",
        name="cheap",
        opts=pulumi_policy.PolicyResourceOptions(
            protect=False,
            ignore_changes=[],
            delete_before_replace=None,
            aliases=[],
            custom_timeouts=pulumi_policy.PolicyCustomTimeouts(0, 0, 0),
            additional_secret_outputs=[],
        ),
        provider=None,
    )
    reported: list[tuple[str, str | None]] = []
    policies["imdsv2-required"].validate(args, lambda message, urn: reported.append((message, urn)))
    message = "instance metadata must require IMDSv2: it sets metadataOptions.httpTokens 'optional'"
    assert reported == [(f"{message}; set it to 'required'", None)]
