"""The pinned price book of a region: `offline/prices/<region>.toml`, one dated file per region.

Every row names the AWS pricing page that publishes it; rows not confirmed on the file's
`as_of` date say so (no `checked`), and the estimate flags each use of one with `*`.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PRICES_DIR = Path(__file__).resolve().parent / "prices"


class CostError(ValueError):
    """The estimate cannot be made as asked (no price file, no price row, bad assumptions)."""


class PriceRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    usd: float | None = Field(None, ge=0)
    ratio: float | None = Field(None, ge=0)
    unit: str
    source: str = Field(pattern=r"^https://aws\.amazon\.com/")
    checked: str | None = None
    """Where the figure was confirmed on the file's `as_of`; None: not confirmed."""
    note: str | None = None

    @model_validator(mode="after")
    def _one_value(self) -> PriceRow:
        if (self.usd is None) == (self.ratio is None):
            raise ValueError("a price row has exactly one of usd, ratio")
        return self

    @property
    def value(self) -> float:
        return self.usd if self.usd is not None else float(self.ratio or 0)

    @property
    def confirmed(self) -> bool:
        return self.checked is not None


@dataclass
class PriceBook:
    region: str
    as_of: datetime.date
    currency: str
    path: Path
    rows: dict[str, PriceRow]
    eks_extended_support_versions: frozenset[str]
    used: dict[str, PriceRow] = field(default_factory=dict)
    """The rows an estimate read, in the order it read them."""

    def row(self, key: str) -> PriceRow:
        if key not in self.rows:
            raise CostError(
                f"{self.path.name} has no price row {key!r}; add it with usd, unit and its AWS pricing page (source)"
            )
        self.used.setdefault(key, self.rows[key])
        return self.rows[key]

    def __getitem__(self, key: str) -> float:
        return self.row(key).value

    def text(self, key: str) -> str:
        """`$0.045` (and `*` when the row is unconfirmed), for the basis of a charge."""
        row = self.row(key)
        shown = f"{row.value:.10f}".rstrip("0").rstrip(".")
        return f"${shown}{'' if row.confirmed else '*'}"


def load(region: str, prices_dir: Path = PRICES_DIR) -> PriceBook:
    path = prices_dir / f"{region}.toml"
    if not path.is_file():
        have = ", ".join(sorted(p.stem for p in prices_dir.glob("*.toml")))
        raise CostError(f"no price file for region {region!r} ({path.name}); prices exist for: {have}")
    data = tomllib.loads(path.read_text())
    header = {"region", "currency", "as_of", "eks_extended_support_versions"}
    try:
        rows = {key: PriceRow.model_validate(value) for key, value in data.items() if key not in header}
    except ValidationError as error:
        raise CostError(f"{path.name}: {error}") from None
    if data.get("region") != region or not isinstance(data.get("as_of"), datetime.date):
        raise CostError(f"{path.name} must state region = {region!r} and an as_of date")
    return PriceBook(
        region=region,
        as_of=data["as_of"],
        currency=str(data.get("currency", "USD")),
        path=path,
        rows=rows,
        eks_extended_support_versions=frozenset(data.get("eks_extended_support_versions", [])),
    )
