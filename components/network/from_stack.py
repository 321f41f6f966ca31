"""A network read from another stack's outputs (`network_from_stack`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from components.network.args import NetworkRef, NetworkShape
from components.network.rules import network_ref_problems
from components.validation import Problem


class NetworkOutputsError(pulumi.RunError):
    """The outputs of a referenced stack do not describe the network a program needs."""


def network_from_stack(
    stack: str, shape: NetworkShape | None = None, opts: pulumi.ResourceOptions | None = None
) -> NetworkRef:
    """The network `stack` (`<org>/<project>/<stack>`) exports as `NetworkRef.OUTPUTS`, read
    through a StackReference named after that stack.

    Once resolved (at preview, before anything depends on them) the outputs are checked
    against the contract and `shape` (the declared tiers and AZ count; the defaults of
    NetworkShape when not given): any mismatch stops the program with every problem, each
    naming the stack and the output. An output the stack marks secret stays secret."""
    shape = shape or NetworkShape()
    reference = pulumi.StackReference(stack, opts=opts)
    values = {field: reference.get_output(output) for field, output in NetworkRef.OUTPUTS.items()}
    # One check over all outputs, so every problem is reported at once. It yields no data,
    # so it is unsecreted: each value stays exactly as secret as the stack made it.
    checked = pulumi.Output.unsecret(pulumi.Output.all(**values).apply(lambda v: _check(stack, shape, v)))
    return NetworkRef(**{field: _after(checked, value) for field, value in values.items()})


def _after(check: pulumi.Output[None], value: pulumi.Output[Any]) -> pulumi.Output[Any]:
    """`value`, available only once `check` has passed (and as secret as it was)."""
    return pulumi.Output.all(check, value).apply(lambda resolved: resolved[1])


def _check(stack: str, shape: NetworkShape, values: Mapping[str, Any]) -> None:
    """Raise NetworkOutputsError with every problem of the resolved outputs (by field)."""
    missing = [Problem(field, "not exported by that stack") for field in NetworkRef.OUTPUTS if values[field] is None]
    reported = {p.field for p in missing}
    problems = missing + [p for p in network_ref_problems(values, shape) if p.field.split("[")[0] not in reported]
    problems.sort(
        key=lambda p: list(NetworkRef.OUTPUTS).index(p.field.split("[")[0]) if p.field else len(NetworkRef.OUTPUTS)
    )
    if not problems:
        return
    lines = "\n".join(f"  - {_output_name(p.field)}: {p.message}" for p in problems)
    declared = f"{', '.join(shape.tiers)} tier(s) in {shape.az_count} AZs"
    raise NetworkOutputsError(
        f"stack {stack!r} does not export the network this stack reads ({declared}):\n{lines}\n"
        f"A network stack exports {', '.join(NetworkRef.OUTPUTS.values())} (empty lists for tiers it lacks)."
    )


def _output_name(field: str) -> str:
    """`private_subnet_ids[1]` -> `privateSubnetIds[1]`; "" -> "outputs"."""
    name, bracket, rest = field.partition("[")
    return NetworkRef.OUTPUTS[name] + bracket + rest if name else "outputs"
