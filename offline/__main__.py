"""`python -m offline plan --stack NAME [--json]`: what `pulumi up` would create, offline.
`python -m offline tfplan --stack NAME`: that plan as Terraform plan JSON, for scanners.
`python -m offline policy-config --stack NAME`: the stack's policy waivers as
`pulumi preview --policy-pack policies --policy-pack-config` JSON.

Exit status: 0 planned cleanly; 1 the program stopped (bad stage config, or a name AWS
would refuse); 2 no such stack;
3 a mandatory policy rule (policies/rules.py) is violated and no waiver in the stack file
(`<project>:policyWaivers`) covers it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pulumi

from offline import engine, render, stacks, terraform
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
    tfplan_cmd = sub.add_parser("tfplan", help="print the plan as Terraform plan JSON (what checkov reads)")
    tfplan_cmd.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    tfplan_cmd.add_argument("--project-dir", type=Path, default=stacks.PROJECT_DIR, help="folder holding Pulumi.yaml")
    config_cmd = sub.add_parser("policy-config", help="print the stack's waivers as CrossGuard policy pack config")
    config_cmd.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    config_cmd.add_argument("--project-dir", type=Path, default=stacks.PROJECT_DIR, help="folder holding Pulumi.yaml")
    args = parser.parse_args(argv)

    if args.command == "policy-config":
        return _policy_config(args.stack, args.project_dir.resolve())
    try:
        plan = stacks.run_stack(args.stack, args.project_dir.resolve())
    except stacks.UnknownStackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (pulumi.RunError, engine.RefusedNamesError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.command == "tfplan":
        config, _ = stacks.stack_config(args.stack, args.project_dir.resolve())
        print(terraform.to_json(plan, str(config.get("aws:region", "us-east-1"))))
        return 0
    resources = [
        rules.Resource(r.type, r.name, r.urn, r.inputs, r.property_dependencies) for r in plan.resources if r.custom
    ]
    waivers = waivers_of(args.stack, args.project_dir.resolve())
    violations, waived = rules.apply_waivers(rules.check_stack(resources), waivers, date.today())
    print(render.to_json(plan, violations, waived) if args.json else render.to_tree(plan, violations, waived))
    # Mandatory violations fail the plan, as they would fail `pulumi preview --policy-pack policies`.
    return 3 if any(v.enforcement == "mandatory" for v in violations) else 0


def waivers_of(stack: str, project_dir: Path) -> list[rules.Waiver]:
    """The stack file's `<project>:policyWaivers` (the program validated them when it ran)."""
    config, _ = stacks.stack_config(stack, project_dir)
    raw: Any = config.get(f"{stacks.project_name(project_dir)}:policyWaivers") or []
    return rules.waivers_from_config(raw)


def _policy_config(stack: str, project_dir: Path) -> int:
    try:
        waivers = waivers_of(stack, project_dir)
    except stacks.UnknownStackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    problems = [
        f"  - waiver {i} ({w.rule}): {field}: {message}"
        for i, w in enumerate(waivers)
        for field, message in rules.waiver_problems(w, date.today())
    ]
    if problems:
        print(f"error: Pulumi.{stack}.yaml has invalid policy waivers:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    print(json.dumps(rules.pack_config(waivers), indent=2))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `... | head`: the reader left; not an error of the plan
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
