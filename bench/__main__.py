"""`make bench`: whole-process wall time of `python -m offline plan` per stack and at scale.

For every stack file, and for synthetic stacks of about 100, 500 and 1,000 resources (the
dev stack with its named services, functions and Auto Scaling groups replicated), it times
the plan as a whole process (median of several runs) beside the floor that no plan can beat:
a process that only imports pulumi and the pulumi_aws modules the plan uses. The ratio
column is plan / import floor; the per-resource column shows whether growth is linear.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from offline import stacks
from offline.engine import Plan

REPLICATED_AREAS = ("services", "functions", "autoscaling")
SYNTHETIC_TARGETS = (100, 500, 1000)


def wall_seconds(command: list[str], runs: int) -> float:
    """Median wall time of `command` over `runs` runs, after one warm-up."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_floor_command(plan: Plan) -> list[str]:
    """A process that imports pulumi and loads every pulumi_aws resource class the plan uses.

    pulumi_aws modules load lazily on first attribute access, so the floor touches each class.
    """
    classes = set()
    for resource in plan.resources:
        package, _, rest = resource.type.partition(":")
        if package == "aws":
            module, _, class_name = rest.partition(":")
            module = module.split("/")[0]
            classes.add("aws" if module == "index" else f"aws.{module}{'_' if module == 'lambda' else ''}.{class_name}")
    return [sys.executable, "-c", "import pulumi, pulumi_aws as aws; " + "; ".join(sorted(classes))]


def replicate(config: dict[str, Any], copies: int) -> dict[str, Any]:
    """The config with every named entry of the replicated areas repeated `copies` times."""
    scaled = dict(config)
    for area in REPLICATED_AREAS:
        key = f"aws-compute:{area}"
        entries = config.get(key)
        if entries:
            scaled[key] = {f"{name}{i}" if i else name: body for i in range(copies) for name, body in entries.items()}
    return scaled


def synthetic_project(folder: Path, name: str, config: dict[str, Any]) -> None:
    for item in stacks.PROJECT_DIR.iterdir():
        if item.name.startswith("Pulumi.") and item.name != "Pulumi.yaml":
            continue
        if item.name in (".git", ".venv", "__pycache__", "tests", "bench"):
            continue
        target = folder / item.name
        if not target.exists():
            target.symlink_to(item)
    (folder / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config}))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median is printed)")
    args = parser.parse_args()

    rows: list[tuple[str, int, float, float]] = []
    plan_cmd = [sys.executable, "-m", "offline", "plan"]
    for name in stacks.stack_names():
        plan = stacks.run_stack(name)
        rows.append(
            (
                name,
                len(plan.resources),
                wall_seconds([*plan_cmd, "--stack", name], args.runs),
                wall_seconds(import_floor_command(plan), args.runs),
            )
        )

    base_config, _ = stacks.stack_config("dev")
    base = len(stacks.run_stack("dev").resources)
    per_copy = len(stacks.run_stack("dev", overrides=replicate(base_config, 2)).resources) - base
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for target in SYNTHETIC_TARGETS if per_copy else ():
            copies = max(1, round((target - base) / per_copy) + 1)
            name = f"synthetic-{target}"
            synthetic_project(folder, name, replicate(base_config, copies))
            plan = stacks.run_stack(name, folder)
            command = [*plan_cmd, "--stack", name, "--project-dir", str(folder)]
            rows.append(
                (
                    name,
                    len(plan.resources),
                    wall_seconds(command, args.runs),
                    wall_seconds(import_floor_command(plan), args.runs),
                )
            )
        shutil.rmtree(folder / "__pycache__", ignore_errors=True)

    print(f"{'stack':<16}{'resources':>10}{'plan s':>9}{'import s':>10}{'ratio':>7}{'ms/resource':>13}")
    for name, count, plan_s, floor_s in rows:
        print(
            f"{name:<16}{count:>10}{plan_s:>9.2f}{floor_s:>10.2f}{plan_s / floor_s:>7.2f}"
            f"{1000 * (plan_s - floor_s) / count:>13.2f}"
        )
    if not per_copy:
        print("(no services, functions or autoscaling groups in the dev stack to replicate for synthetic stacks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
