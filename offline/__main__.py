"""`python -m offline plan|diff`: what `pulumi up` would do, offline.

plan --stack NAME [--json]: what `pulumi up` would create. Exit status: 0 planned cleanly;
1 the program stopped (bad stage config, or a name AWS would refuse); 2 no such stack;
3 a mandatory policy rule (policies/rules.py) is violated.

diff --stack NAME --base REF [--format text|markdown]: what `pulumi up` would change if the
stack were deployed at git ref REF, per resource, replacements first. Exit status: 0 no
changes; 1 either side cannot be planned; 2 changes; 3 a replacement (other than a task
definition's new revision) or the deletion of a protected kind (offline/changes.py).

diff --stack NAME --against OTHER: how two stages differ, by logical resource.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pulumi

from offline import changes, diff_render, engine, render, snapshot, stacks, stage_diff
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
    diff_cmd = sub.add_parser("diff", help="what would change against a git ref, or how two stages differ")
    diff_cmd.add_argument("--stack", required=True, action="append", help="stack name; repeat for several")
    against = diff_cmd.add_mutually_exclusive_group(required=True)
    against.add_argument("--base", metavar="REF", help="git ref the stack is deployed at (e.g. main)")
    against.add_argument("--against", metavar="STACK", help="another stage to compare with, by logical resource")
    diff_cmd.add_argument("--format", choices=("text", "markdown"), default="text")
    diff_cmd.add_argument("--project-dir", type=Path, default=stacks.PROJECT_DIR, help="folder holding Pulumi.yaml")
    args = parser.parse_args(argv)
    if args.command == "diff":
        return _diff(args)

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


def _diff(args: argparse.Namespace) -> int:
    project_dir = args.project_dir.resolve()
    salt = secrets.token_hex(16)
    try:
        if args.against:
            return stage_diff.main(args.stack, args.against, project_dir, salt, markdown=args.format == "markdown")
        snapshot.commit_of(project_dir, args.base)  # a bad ref fails before anything is planned
        diffs = []
        for stack in args.stack:
            with ThreadPoolExecutor(max_workers=1) as pool:  # the ref plans in a child process meanwhile
                base = pool.submit(snapshot.at_ref, stack, project_dir, args.base, salt)
                head = snapshot.of_plan(stacks.run_stack(stack, project_dir), project_dir, salt)
                diffs.append(changes.diff(base.result(), head, args.base, "working tree"))
    except (stacks.UnknownStackError, snapshot.RefError, pulumi.RunError, engine.RefusedNamesError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.format == "markdown":
        print(diff_render.comment(diffs), end="")
    else:
        print("\n\n".join(diff_render.to_text(d) for d in diffs))
    return max(d.exit_code for d in diffs)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `... | head`: the reader left; not an error of the plan
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
