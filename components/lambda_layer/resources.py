"""LambdaLayer: one layer version published from a folder of this repository.

Each change of the folder publishes a new version (versions are immutable) and functions
attaching `ref()` move to it on the same deploy; the replaced version is deleted, which
does not affect function versions already published with it (Lambda keeps their copy).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.lambda_layer.args import LambdaLayerArgs, LayerRef


class LambdaLayer(pulumi.ComponentResource):
    """A layer version zipped from `args.path`, with its compatible runtimes and architectures."""

    arn: pulumi.Output[str]
    layer_arn: pulumi.Output[str]
    version: pulumi.Output[str]

    def __init__(self, name: str, args: LambdaLayerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:lambda_layer:LambdaLayer", name, None, opts)
        self._args = args
        self._name = name
        version = aws.lambda_.LayerVersion(
            f"{name}-version",
            layer_name=args.layer_name,
            code=pulumi.FileArchive(args.path),
            compatible_runtimes=list(args.compatible_runtimes),
            compatible_architectures=list(args.compatible_architectures),
            description=args.description,
            license_info=args.license_info,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = version.arn
        self.layer_arn = version.layer_arn
        self.version = version.version
        self.register_outputs({"arn": self.arn, "layerArn": self.layer_arn, "version": self.version})

    def ref(self) -> LayerRef:
        """What a function's `layers` takes to attach this version (and check it fits)."""
        return LayerRef(
            name=self._name,
            arn=self.arn,
            compatible_runtimes=tuple(self._args.compatible_runtimes),
            compatible_architectures=tuple(self._args.compatible_architectures),
        )
