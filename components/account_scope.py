"""Where a component's ARNs point: the partition, region and account it deploys into."""

from __future__ import annotations

from functools import cached_property

import pulumi
import pulumi_aws as aws


class AccountScope:
    """The partition, region and account of one component's AWS provider.

    Each is looked up on first read and once only, so a component invokes just the lookups it
    uses. The lookups run with the component as parent: they answer for the provider the
    component deploys with (its `provider`/`providers` option), not the stack's default.
    """

    def __init__(self, invoke_opts: pulumi.InvokeOutputOptions) -> None:
        self._invoke_opts = invoke_opts

    @cached_property
    def partition(self) -> pulumi.Output[str]:
        return aws.get_partition_output(opts=self._invoke_opts).partition

    @cached_property
    def region(self) -> pulumi.Output[str]:
        return aws.get_region_output(opts=self._invoke_opts).region

    @cached_property
    def account(self) -> pulumi.Output[str]:
        return aws.get_caller_identity_output(opts=self._invoke_opts).account_id

    def arn(self, service: str, resource: pulumi.Input[str]) -> pulumi.Output[str]:
        """`arn:<partition>:<service>:<region>:<account>:<resource>`."""
        return pulumi.Output.concat(
            "arn:", self.partition, f":{service}:", self.region, ":", self.account, ":", resource
        )


def account_scope(parent: pulumi.Resource) -> AccountScope:
    """The scope of the component `parent`: every component's one way to its partition, region and account."""
    return AccountScope(pulumi.InvokeOutputOptions(parent=parent))
