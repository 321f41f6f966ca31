"""The args of lambda_layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from components.architecture import Architecture
from components.validation import CheckedArgs


@dataclass(frozen=True, kw_only=True)
class LayerRef(CheckedArgs):
    """A published layer version a function attaches (`LambdaLayer.ref()`), with what the
    function's rules check it against. A layer known only by ARN is attached as a plain string."""

    name: str
    """How problems name the layer: its stage key or component name."""
    arn: pulumi.Input[str]
    """The layer version ARN (`arn:aws:lambda:<region>:<account>:layer:<name>:<version>`)."""
    compatible_runtimes: Sequence[str]
    """Runtimes the layer was published for; a function on another runtime is refused."""
    compatible_architectures: Sequence[Architecture]
    """Architectures the layer was built for; a function on another one is refused."""


@dataclass(frozen=True, kw_only=True)
class LambdaLayerArgs(CheckedArgs):
    """A layer version published from a folder of this repository."""

    path: str
    """The folder zipped as the layer, relative to the project; Lambda extracts it to /opt, so
    it holds `python/` (or `nodejs/`, `java/lib/`, `ruby/`), `bin/`, `lib/` or `extensions/`."""
    layer_name: str
    """The layer's name in the account and Region (letters, digits, - and _, at most 140);
    each stage publishes its own, so name it per stage (`<project>-<stage>-<key>`)."""
    compatible_runtimes: Sequence[str]
    """Supported runtimes the layer is for (1-15); functions on other runtimes are refused."""
    compatible_architectures: Sequence[Architecture] = ("arm64",)
    """arm64 by default, as functions are; list both only for pure-Python or script layers."""
    description: str | None = None
    """At most 256 characters; none by default."""
    license_info: str | None = None
    """An SPDX identifier or license URL (at most 512 characters); none by default."""
