"""`aws-compute:layers`: Lambda layers published from folders of this repository, by name.

Config reference (defaults are LambdaLayerArgs' own):

```yaml
aws-compute:layers:
  common:                                # name: lowercase, digits, dashes; functions attach it by this name
    path: layers/common                  # zipped as it is: python/, nodejs/, bin/, lib/ or extensions/ inside
    compatibleRuntimes: [python3.13]     # 1-15 supported runtimes
    compatibleArchitectures: [arm64]     # arm64 | x86_64 | both
    description: Shared HTTP helpers
    licenseInfo: MIT
```

Each stage publishes its own version, named `<project>-<stage>-<name>`; a function attaches
it with `aws-compute:functions.<fn>.layers: [<name>]`, after Powertools, at most 5 in all,
only when the layer lists the function's runtime and architecture. An extension is a layer
whose `extensions/` holds executables.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from components import Architecture, LambdaLayerArgs, LayerRef, Problem
from stage.base import ConfigModel, args_default, args_problems

LayerName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,62}$")]

#: The layer-name prefix used while validating, before the stack's is known.
_PLACEHOLDER_PREFIX = "project-stage"


class LayerConfig(ConfigModel):
    """One layer version per stage, from a folder of the repository."""

    path: str
    compatible_runtimes: list[str]
    compatible_architectures: list[Architecture] = Field(
        default_factory=lambda: list(args_default(LambdaLayerArgs, "compatible_architectures"))
    )
    description: str | None = None
    license_info: str | None = None

    def to_args(self, layer_name: str) -> LambdaLayerArgs:
        """The component's args; `layer_name` is `<project>-<stage>-<name>`, unique per stage."""
        return LambdaLayerArgs(
            path=self.path,
            layer_name=layer_name,
            compatible_runtimes=tuple(self.compatible_runtimes),
            compatible_architectures=tuple(self.compatible_architectures),
            description=self.description,
            license_info=self.license_info,
        )

    def placeholder(self, name: str) -> LayerRef:
        """The layer as a function's rules see it before anything is published."""
        return LayerRef(
            name=name,
            arn=f"arn:aws:lambda:us-east-1:123456789012:layer:{name}:1",
            compatible_runtimes=tuple(self.compatible_runtimes),
            compatible_architectures=tuple(self.compatible_architectures),
        )

    def problems(self) -> list[Problem]:
        return args_problems(lambda: self.to_args(f"{_PLACEHOLDER_PREFIX}-layer"))
