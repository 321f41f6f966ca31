"""The checkov failures this project accepts, each with its reason (`scan/baseline.yaml`).

An entry names a check, the Terraform addresses it accepts (shell patterns such as
`aws_cloudwatch_log_group.*`), optionally the stacks it holds for (all by default), and why.
Any failure no entry accepts is unexplained; an entry pattern that accepts nothing in a
stack it names is stale and must be removed (so a fix is recorded by deleting its entry).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pydantic
import yaml
from pydantic import Field, StringConstraints

from scan.checkov import Finding, Results

BASELINE = Path(__file__).resolve().parent / "baseline.yaml"

CheckId = Annotated[str, StringConstraints(pattern=r"^CKV2?_[A-Z0-9]+_\d+$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=20)]


class Accepted(pydantic.BaseModel):
    """One accepted failure: a check on some resources, in some stacks, for a reason."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    check: CheckId
    resources: tuple[str, ...] = Field(min_length=1)
    stacks: tuple[str, ...] | None = None
    """The stacks it holds for; every stack when absent."""
    reason: Reason
    """Why the finding is acceptable (at least a sentence)."""

    def covers(self, stack: str, finding: Finding) -> bool:
        return (
            finding.check_id == self.check
            and (self.stacks is None or stack in self.stacks)
            and any(fnmatch.fnmatchcase(finding.resource, pattern) for pattern in self.resources)
        )


class Baseline(pydantic.RootModel[tuple[Accepted, ...]]):
    pass


class BaselineError(ValueError):
    pass


def load(path: Path = BASELINE) -> tuple[Accepted, ...]:
    """The baseline, or every problem in it at once."""
    try:
        return Baseline.model_validate(yaml.safe_load(path.read_text()) or []).root
    except pydantic.ValidationError as error:
        lines = [f"  - entry {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors(include_url=False)]
        raise BaselineError(f"{path.name} has {len(lines)} problem(s):\n" + "\n".join(lines)) from None


@dataclass(frozen=True)
class Verdict:
    results: Results
    accepted: tuple[tuple[Finding, Accepted], ...]
    unexplained: tuple[Finding, ...]
    stale: tuple[tuple[Accepted, str], ...]
    """Entries (with the pattern) that accept no failure of this stack although they name it."""

    @property
    def clean(self) -> bool:
        return not self.unexplained and not self.stale


def judge(results: Results, baseline: Sequence[Accepted]) -> Verdict:
    accepted, unexplained = [], []
    for finding in results.failed:
        entry = next((e for e in baseline if e.covers(results.stack, finding)), None)
        if entry is None:
            unexplained.append(finding)
        else:
            accepted.append((finding, entry))
    stale = [
        (entry, pattern)
        for entry in baseline
        if entry.stacks is None or results.stack in entry.stacks
        for pattern in entry.resources
        if not any(f.check_id == entry.check and fnmatch.fnmatchcase(f.resource, pattern) for f in results.failed)
    ]
    return Verdict(results, tuple(accepted), tuple(unexplained), tuple(stale))
