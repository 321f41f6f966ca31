"""The args of event_bus."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from components.validation import CheckedArgs


@dataclass(frozen=True, kw_only=True)
class EventBusArgs(CheckedArgs):
    """A custom event bus for the stage's own events, and who may put events on it."""

    name: str | None = None
    """The bus name (letters, digits, . - _ /, at most 256; not `default`, not `aws.`);
    autonamed from the component's name by default. Producers address it by name or ARN."""
    description: str | None = None
    """At most 512 characters; none by default."""
    put_events_account_ids: Sequence[str] = ()
    """Other AWS accounts allowed to PutEvents on the bus (its resource policy names each
    account's root, so the account's own IAM decides further). The owning account needs no
    entry; no other account by default."""
