"""`aws-compute plan --stack NAME [--project-dir DIR] [--json]` (in this repository also
`python -m offline plan ...`): what `pulumi up` would create, offline.

Exit status: 0 planned cleanly; 1 the program stopped (bad stage config, or a name AWS
would refuse); 2 no such stack;
3 a mandatory policy rule (`components.governance.policy_rules`) is violated.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pulumi

from components.governance import policy_rules

from . import engine, render, stacks


def main(argv: list[str] | None = None, prog: str = "python -m offline") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    plan_cmd = sub.add_parser("plan", help="run the program under the offline engine and print its plan")
    plan_cmd.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    plan_cmd.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan_cmd.add_argument(
        "--project-dir",
        type=Path,
        default=Path.cwd(),
        help="folder holding Pulumi.yaml and __main__.py (default: the current directory, as for the pulumi CLI)",
    )
    args = parser.parse_args(argv)

    try:
        plan = stacks.run_stack(args.stack, args.project_dir.resolve())
    except stacks.UnknownStackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (pulumi.RunError, engine.RefusedNamesError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    violations = policy_rules.check([(r.type, r.name, r.inputs) for r in plan.resources if r.custom])
    print(render.to_json(plan, violations) if args.json else render.to_tree(plan, violations))
    # Mandatory violations fail the plan, as they would fail `pulumi preview --policy-pack policies`.
    return 3 if any(v.enforcement == "mandatory" for v in violations) else 0


def cli(prog: str = "aws-compute") -> None:
    """The console script: exit with `main`'s status."""
    try:
        sys.exit(main(prog=prog))
    except BrokenPipeError:  # `... | head`: the reader left; not an error of the plan
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    cli(prog="python -m offline")
