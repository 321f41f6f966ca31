"""`aws-compute plan|cost|diagram|tfplan|policy-config --stack NAME` (in this repository also
`python -m offline ...`): what `pulumi up` would create, what it would cost a month, a picture
of it, and what scanners and the policy pack need, offline. Every command reads the Pulumi
project in `--project-dir`, the current directory by default (as the pulumi CLI does).

    plan --stack S [--json] [--cost]    the plan; --cost appends the monthly total (range)
    cost --stack S [--stack T ...] [--json | --format text|markdown|json]
                                        the monthly estimate per resource, component, total;
                                        several stacks in Markdown: components side by side
    diagram --stack S                   a Mermaid flowchart of the stack
    tfplan --stack S                    the plan as Terraform plan JSON (what checkov reads)
    policy-config --stack S             the stack file's policy waivers as
                                        `pulumi preview --policy-pack-config` JSON
    diff --stack S [--stack T ...] --base REF [--format text|markdown]
                                        what `pulumi up` would change were the stack deployed
                                        at git ref REF: per resource, replacements first
    diff --stack S --against T [--against U ...]
                                        how two stages differ, by logical resource (a stage
                                        of several stacks: one --against each)

Exit status: 0 done; 1 the program stopped or never ran (a stack file the Pulumi CLI would
refuse, bad stage config, a name AWS would refuse, or a stack reference that neither a stack
here nor a fixture answers) or the estimate cannot be made (no price for a region or item),
or a waiver is invalid; 2 no such stack; 3 (plan) a mandatory policy rule
(`components.governance.policy_rules`) is violated and no waiver of the stack file
(`<project>:policyWaivers`) covers it.

diff --base exits 0 when nothing changes, 1 when either side cannot be planned (a bad ref or
stack file), 2 on changes, 3 when something is destroyed: a replacement (a task definition's
new revision excepted) or the deletion of a protected kind (offline/changes.py).
"""

from __future__ import annotations

import gc

if __name__ == "__main__":
    # A one-shot process: its objects live until exit, so the cyclic collector would only
    # re-walk them (a tenth of a plan, growing with its size). Off before the imports.
    gc.disable()

import argparse
import atexit
import json
import os
import secrets
import sys
from datetime import date
from pathlib import Path
from typing import Any

from components.governance import policy_rules as rules

from . import cost, cost_report, diagram, diff_render, engine, render, snapshot, stacks, stage_diff, terraform


class _StopError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _run(stack: str, project_dir: Path) -> engine.Plan:
    return _plans([stack], project_dir)[stack]


def _plans(names: list[str], project_dir: Path) -> dict[str, engine.Plan]:
    """The stacks' plans (`stacks.run_stacks`: one each, a stack another reads first), or a stop."""
    try:
        return stacks.run_stacks(names, project_dir.resolve())
    except stacks.UnknownStackError as error:
        raise _StopError(2, str(error)) from None
    except stacks.PLAN_ERRORS as error:
        raise _StopError(1, str(error)) from None


def _estimate(plan: engine.Plan) -> cost.Estimate:
    try:
        return cost.estimate(plan)
    except cost.CostError as error:
        raise _StopError(1, str(error)) from None


def waivers_of(stack: str, project_dir: Path) -> list[rules.Waiver]:
    """The stack file's `<project>:policyWaivers` (the program validated them when it ran)."""
    config, _ = stacks.stack_config(stack, project_dir.resolve())
    raw: Any = config.get(f"{stacks.project_name(project_dir.resolve())}:policyWaivers") or []
    return rules.waivers_from_config(raw)


def _plan(args: argparse.Namespace) -> int:
    plan = _run(args.stack, args.project_dir)
    resources = [
        rules.Resource(r.type, r.name, r.urn, r.inputs, r.property_dependencies) for r in plan.resources if r.custom
    ]
    waivers = waivers_of(args.stack, args.project_dir)
    violations, waived = rules.apply_waivers(rules.check_stack(resources), waivers, date.today())
    estimate = _estimate(plan) if args.cost else None
    if args.json:
        document = json.loads(render.to_json(plan, violations, waived))
        if estimate is not None:
            low, high = estimate.total
            document["cost"] = {
                "low": round(low, 2),
                "high": round(high, 2),
                "region": estimate.prices.region,
                "pricesAsOf": estimate.prices.as_of.isoformat(),
            }
        print(json.dumps(document, indent=2, sort_keys=True))
    else:
        print(render.to_tree(plan, violations, waived))
        if estimate is not None:
            print(f"\n{cost_report.total_line(estimate)}  (python -m offline cost --stack {plan.stack})")
    # Mandatory violations fail the plan, as they would fail `pulumi preview --policy-pack policies`.
    return 3 if any(v.enforcement == "mandatory" for v in violations) else 0


def _cost(args: argparse.Namespace) -> int:
    plans = _plans(args.stack, args.project_dir)
    estimates = [_estimate(plans[stack]) for stack in args.stack]
    fmt = "json" if args.json else args.format
    if fmt == "json":
        documents = [json.loads(cost_report.to_json(e)) for e in estimates]
        print(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2, sort_keys=True))
    elif fmt == "markdown":
        print(cost_report.to_markdown(estimates[0]) if len(estimates) == 1 else cost_report.side_by_side(estimates))
    else:
        print("\n\n".join(cost_report.to_text(e) for e in estimates))
    return 0


def _diagram(args: argparse.Namespace) -> int:
    print(diagram.mermaid(_run(args.stack, args.project_dir)))
    return 0


def _tfplan(args: argparse.Namespace) -> int:
    plan = _run(args.stack, args.project_dir)
    config, _ = stacks.stack_config(args.stack, args.project_dir.resolve())
    print(terraform.to_json(plan, str(config.get("aws:region", "us-east-1"))))
    return 0


def _policy_config(args: argparse.Namespace) -> int:
    try:
        waivers = waivers_of(args.stack, args.project_dir)
    except stacks.UnknownStackError as error:
        raise _StopError(2, str(error)) from None
    problems = [
        f"  - waiver {i} ({w.rule}): {field}: {message}"
        for i, w in enumerate(waivers)
        for field, message in rules.waiver_problems(w, date.today())
    ]
    if problems:
        raise _StopError(1, f"Pulumi.{args.stack}.yaml has invalid policy waivers:\n" + "\n".join(problems))
    print(json.dumps(rules.pack_config(waivers), indent=2))
    return 0


def _diff(args: argparse.Namespace) -> int:
    project_dir = args.project_dir.resolve()
    salt = secrets.token_hex(16)  # keys the digests secrets are compared by, this run only
    try:
        if args.against:
            return stage_diff.main(args.stack, args.against, project_dir, salt, markdown=args.format == "markdown")
        snapshot.commit_of(project_dir, args.base)  # a bad ref fails before anything is planned
        diffs = snapshot.diffs_against(args.base, args.stack, project_dir, salt)
    except (stacks.UnknownStackError, snapshot.RefError, *stacks.PLAN_ERRORS) as e:
        raise _StopError(1, str(e)) from None
    if args.format == "markdown":
        print(diff_render.comment(diffs), end="")
    else:
        print("\n\n".join(diff_render.to_text(d) for d in diffs))
    return max(d.exit_code for d in diffs)


def main(argv: list[str] | None = None, prog: str = "python -m offline") -> int:
    parser = argparse.ArgumentParser(
        prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    commands = {
        "plan": (_plan, "run the program under the offline engine and print its plan"),
        "cost": (_cost, "estimate what the stack costs a month"),
        "diagram": (_diagram, "draw the stack as a Mermaid flowchart"),
        "tfplan": (_tfplan, "print the plan as Terraform plan JSON (what checkov reads)"),
        "policy-config": (_policy_config, "print the stack's waivers as CrossGuard policy pack config"),
        "diff": (_diff, "what would change against a git ref (--base), or how two stages differ (--against)"),
    }
    for name, (_, help_text) in commands.items():
        command = sub.add_parser(name, help=help_text)
        command.add_argument(
            "--stack",
            required=True,
            action="append" if name in ("cost", "diff") else "store",
            help="stack name: reads Pulumi.<stack>.yaml"
            + (" (repeat for several)" if name in ("cost", "diff") else ""),
        )
        command.add_argument(
            "--project-dir",
            type=Path,
            default=Path.cwd(),
            help="folder holding Pulumi.yaml and __main__.py (default: the current directory)",
        )
        if name in ("plan", "cost"):
            command.add_argument("--json", action="store_true", help="print JSON")
    sub.choices["plan"].add_argument(
        "--cost", action="store_true", help="end with the monthly cost range (adds a `cost` key to --json)"
    )
    sub.choices["cost"].add_argument("--format", choices=("text", "markdown", "json"), default="text")
    against = sub.choices["diff"].add_mutually_exclusive_group(required=True)
    against.add_argument("--base", metavar="REF", help="git ref the stack is deployed at (e.g. main)")
    against.add_argument(
        "--against",
        metavar="STACK",
        action="append",
        help="a stack of the stage to compare with, by logical resource (repeat for a stage of several stacks)",
    )
    sub.choices["diff"].add_argument("--format", choices=("text", "markdown"), default="text")
    args = parser.parse_args(argv)
    try:
        return commands[args.command][0](args)
    except _StopError as stop:
        print(f"error: {stop}", file=sys.stderr)
        return stop.status


def exit_now(status: int) -> None:
    """End the process once its output is out, skipping the interpreter's teardown.

    Tearing down ~900 modules and every object of a plan costs more than some plans;
    nothing of it is observable. Exit handlers still run (logging flushes, temporary
    directories finalized by `weakref.finalize`), then the streams are flushed.
    """
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `... | head`: the reader left; not an error of the plan
        status = 0
    os._exit(status)


def cli(prog: str = "aws-compute") -> None:
    """The console script: a one-shot process (no collector, see `exit_now`) exiting with
    `main`'s status."""
    gc.disable()
    try:
        exit_now(main(prog=prog))
    except BrokenPipeError:  # `... | head`: the reader left; not an error of the plan
        exit_now(0)


if __name__ == "__main__":
    cli(prog="python -m offline")
