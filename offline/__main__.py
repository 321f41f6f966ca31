"""`python -m offline plan --stack NAME [--json]`: what `pulumi up` would create, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pulumi

from offline import render, stacks


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
    except pulumi.RunError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(render.to_json(plan) if args.json else render.to_tree(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
