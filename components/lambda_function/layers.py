"""The layers a function attaches: Powertools (AWS's published layer) first, then the args' own.

The Powertools layer is one case of a `LayerRef`: an ARN AWS publishes per Region, runtime
and architecture, with the runtimes it exists for.
"""

from __future__ import annotations

import pulumi

from components.lambda_function.args import LambdaFunctionArgs
from components.lambda_layer import LayerRef
from components.lambda_runtimes import POWERTOOLS_RUNTIMES

#: The AWS account that publishes the Powertools for AWS Lambda layers in commercial regions.
POWERTOOLS_ACCOUNT = "017000801446"


def powertools_layer_arn(
    partition: pulumi.Input[str], region: pulumi.Input[str], runtime: str, architecture: str, version: int
) -> pulumi.Output[str]:
    """`arn:aws:lambda:<region>:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:<v>`.

    The format the Powertools docs publish for commercial regions. GovCloud and China have
    other publisher accounts (an account lives in one partition) and are not covered: there
    the deploy stops at preview with the reason, instead of CreateFunction failing on a layer
    that does not exist.
    """
    python = runtime.replace(".", "")
    return pulumi.Output.concat(
        "arn:",
        pulumi.Output.from_input(partition).apply(_commercial_partition),
        ":lambda:",
        region,
        f":{POWERTOOLS_ACCOUNT}:layer:AWSLambdaPowertoolsPythonV3-{python}-{architecture}:{version}",
    )


def _commercial_partition(partition: str) -> str:
    if partition != "aws":
        raise ValueError(
            f"the Powertools layer of account {POWERTOOLS_ACCOUNT} exists in the aws partition only, not in"
            f" {partition}; remove `powertools` and package aws-lambda-powertools with the function"
        )
    return partition


def attached_layers(
    args: LambdaFunctionArgs, partition: pulumi.Input[str], region: pulumi.Input[str]
) -> list[LayerRef | str]:
    """Every layer of the function in merge order: Powertools (when asked for), then `args.layers`."""
    runtime = args.runtime
    if args.powertools is None or runtime is None:
        return list(args.layers)
    powertools = LayerRef(
        name="powertools",
        arn=powertools_layer_arn(partition, region, runtime, args.architecture, args.powertools.layer_version),
        compatible_runtimes=tuple(sorted(POWERTOOLS_RUNTIMES)),
        compatible_architectures=(args.architecture,),
    )
    return [powertools, *args.layers]


def layer_arns(layers: list[LayerRef | str]) -> list[pulumi.Input[str]] | None:
    """The function's `layers` input; None (not `[]`) without any, so plans stay unchanged."""
    return [layer.arn if isinstance(layer, LayerRef) else layer for layer in layers] or None
