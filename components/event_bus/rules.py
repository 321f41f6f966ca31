"""The rules of event_bus: what CreateEventBus and PutPermission accept."""

from __future__ import annotations

import re

from components.event_bus.args import EventBusArgs
from components.validation import Problem, rules_for

#: EventBusName of the events API model.
BUS_NAME = re.compile(r"^[/.\-_A-Za-z0-9]{1,256}$")
DESCRIPTION_MAX = 512
_ACCOUNT = re.compile(r"^\d{12}$")


@rules_for(EventBusArgs)
def event_bus_problems(args: EventBusArgs) -> list[Problem]:
    """Every rule EventBusArgs must satisfy; the stage config runs these too."""
    problems = []
    if args.name is not None:
        if not BUS_NAME.match(args.name):
            problems.append(Problem("name", f"{args.name!r}: letters, digits, . - _ and /, 1 to 256 characters"))
        elif args.name == "default" or args.name.startswith("aws."):
            problems.append(Problem("name", f"{args.name!r} is reserved by EventBridge; choose another name"))
    if args.description is not None and len(args.description) > DESCRIPTION_MAX:
        problems.append(Problem("description", f"{len(args.description)} characters; EventBridge takes 512"))
    accounts = list(args.put_events_account_ids)
    problems += [
        Problem("put_events_account_ids", f"{account!r} is not a 12-digit AWS account id")
        for account in accounts
        if not _ACCOUNT.match(account)
    ]
    if len(set(accounts)) != len(accounts):
        problems.append(Problem("put_events_account_ids", "lists an account twice; list each once"))
    return problems
