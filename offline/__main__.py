"""`python -m offline plan --stack NAME [--json]`: what `pulumi up` would create, offline.

Exit status: 0 planned cleanly; 1 the program stopped (bad stage config, or a name AWS
would refuse); 2 no such stack;
3 a mandatory policy rule (policies/rules.py) is violated.
"""

from __future__ import annotations

import gc

if __name__ == "__main__":
    # A one-shot process: its objects live until exit, so the cyclic collector would only
    # re-walk them (a tenth of a plan, growing with its size). Off before the imports.
    gc.disable()

import argparse
import atexit
import os
import sys
from pathlib import Path

import pulumi

from offline import engine, render, stacks
from policies import rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    plan_cmd = sub.add_parser("plan", help="run the program under the offline engine and print its plan")
    plan_cmd.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    plan_cmd.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan_cmd.add_argument(
        "--project-dir",
        type=Path,
        default=stacks.PROJECT_DIR,
        help="folder holding Pulumi.yaml (default: this project)",
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
    violations = rules.check([(r.type, r.name, r.inputs) for r in plan.resources if r.custom])
    print(render.to_json(plan, violations) if args.json else render.to_tree(plan, violations))
    # Mandatory violations fail the plan, as they would fail `pulumi preview --policy-pack policies`.
    return 3 if any(v.enforcement == "mandatory" for v in violations) else 0


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


if __name__ == "__main__":
    try:
        exit_now(main())
    except BrokenPipeError:  # `... | head`: the reader left; not an error of the plan
        exit_now(0)
