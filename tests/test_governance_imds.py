"""Stack-wide governance for EC2: the IMDSv2 transform, and standard tags reaching what
launch templates launch. Programs here register the transforms as `__main__.py` does."""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pulumi_aws as aws
import pytest
from pulumi.runtime import rpc

from components import governance
from offline.engine import Plan, run

TAGS = {"Environment": "test", "ManagedBy": "pulumi"}


def _governed(program: Callable[[], object]) -> Plan:
    def body() -> None:
        pulumi.runtime.register_resource_transform(governance.standard_tags(TAGS))
        pulumi.runtime.register_resource_transform(governance.require_imdsv2())
        program()

    return run(body)


def test_bare_instance_without_metadata_options_is_refused() -> None:
    with pytest.raises(governance.GovernanceError) as refused:
        _governed(lambda: aws.ec2.Instance("bastion", ami="ami-12345678", instance_type="t3.micro"))
    assert str(refused.value) == (
        "instance 'bastion' (aws:ec2/instance:Instance) must require IMDSv2: it does not set"
        " metadataOptions.httpTokens, so IMDSv1 stays open; set it to 'required'"
    )


def test_bare_launch_template_with_optional_tokens_is_refused() -> None:
    def program() -> None:
        aws.ec2.LaunchTemplate(
            "legacy",
            image_id="ami-12345678",
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="optional"),
        )

    with pytest.raises(
        governance.GovernanceError, match=r"^launch template 'legacy' .* sets metadataOptions.httpTokens 'optional'"
    ):
        _governed(program)


def test_bare_launch_template_without_metadata_options_is_refused() -> None:
    with pytest.raises(governance.GovernanceError, match=r"^launch template 'plain' \(aws:ec2/launchTemplate"):
        _governed(lambda: aws.ec2.LaunchTemplate("plain", image_id="ami-12345678"))


def test_disabled_endpoint_does_not_excuse_missing_tokens() -> None:
    def program() -> None:
        aws.ec2.Instance(
            "quiet",
            ami="ami-12345678",
            instance_type="t3.micro",
            metadata_options=aws.ec2.InstanceMetadataOptionsArgs(http_endpoint="disabled"),
        )

    with pytest.raises(governance.GovernanceError, match="endpoint disabled but does not require tokens"):
        _governed(program)


def test_spot_instance_request_is_governed_too() -> None:
    with pytest.raises(governance.GovernanceError, match=r"^Spot instance request 'cheap'"):
        _governed(lambda: aws.ec2.SpotInstanceRequest("cheap", ami="ami-12345678", instance_type="t3.micro"))


def test_instance_requiring_imdsv2_is_accepted() -> None:
    def program() -> None:
        aws.ec2.Instance(
            "ok",
            ami="ami-12345678",
            instance_type="t3.micro",
            metadata_options=aws.ec2.InstanceMetadataOptionsArgs(http_tokens="required", http_endpoint="disabled"),
        )

    assert _governed(program).named("ok").inputs["metadataOptions"]["httpTokens"] == "required"


def test_unknown_tokens_during_preview_are_not_judged() -> None:
    assert governance.imdsv2_problem({"metadataOptions": {"httpTokens": rpc.UNKNOWN}}) is None


def test_other_resources_pass_untouched() -> None:
    plan = _governed(lambda: aws.ec2.SecurityGroup("sg", description="x"))
    assert plan.named("sg").inputs["description"] == "x"


def test_launch_template_tags_launched_instances_and_volumes() -> None:
    plan = _governed(
        lambda: aws.ec2.LaunchTemplate(
            "lt",
            image_id="ami-12345678",
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required"),
        )
    )
    assert plan.named("lt").inputs["tagSpecifications"] == [
        {"resourceType": "instance", "tags": TAGS},
        {"resourceType": "volume", "tags": TAGS},
    ]


def test_launch_template_tag_specifications_keep_their_own_tags() -> None:
    plan = _governed(
        lambda: aws.ec2.LaunchTemplate(
            "lt",
            image_id="ami-12345678",
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required"),
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type="network-interface", tags={"Name": "eni"})
            ],
        )
    )
    assert plan.named("lt").inputs["tagSpecifications"] == [
        {"resourceType": "network-interface", "tags": {"Name": "eni", **TAGS}},
        {"resourceType": "instance", "tags": TAGS},
        {"resourceType": "volume", "tags": TAGS},
    ]
