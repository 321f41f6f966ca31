"""LambdaLayer: a Lambda layer version published from a folder of the repository.

Public: the names in `__all__` (also re-exported by `components`). `args`, `rules` and
`resources` are private to this package.
"""

from __future__ import annotations

from components.lambda_layer import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.lambda_layer.args import LambdaLayerArgs, LayerRef
from components.lambda_layer.resources import LambdaLayer

__all__ = ["LambdaLayer", "LambdaLayerArgs", "LayerRef"]
