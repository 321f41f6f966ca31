"""`make bench`: whole-process wall time of `python -m offline plan` per stack and at scale.

For every stack file, and for synthetic stacks of about 100, 500 and 1,000 resources (dev's
network and its Lambda functions, replicated as often as the size needs), it times the plan as a whole process beside
the floor no plan can beat: a process that only imports pulumi and loads the pulumi_aws
resource classes the plan uses. Plan and floor runs alternate, so machine noise hits both;
medians are printed. The ratio column is plan / floor; ms/resource (plan minus floor, per
resource) shows whether growth is linear.
"""

from __future__ import annotations

import argparse
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

#: Functions replicate freely (names are their only identity); services and groups claim
#: listener priorities, which must stay unique.
REPLICATED_AREA = "aws-compute:functions"
SYNTHETIC_TARGETS = (100, 500, 1000)


def paired_medians(first: list[str], second: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds of two commands run alternately, after one warm-up of each."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(runs + 1):
        for command, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if i:
                bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


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
    """The network and region of `config`, with its Lambda functions repeated `copies` times."""
    functions = config.get(REPLICATED_AREA) or {}
    kept: dict[str, Any] = {key: config[key] for key in ("aws:region", "aws-compute:network") if key in config}
    return {
        **kept,
        REPLICATED_AREA: {f"{name}{i}" if i else name: body for i in range(copies) for name, body in functions.items()},
    }


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

    plan_cmd = [sys.executable, "-m", "offline", "plan"]

    def measure(name: str, plan: Plan, *extra: str) -> tuple[str, int, float, float]:
        command = [*plan_cmd, "--stack", name, *extra]
        return (name, len(plan.resources), *paired_medians(command, import_floor_command(plan), args.runs))

    rows = [measure(name, stacks.run_stack(name)) for name in stacks.stack_names()]

    base_config, _ = stacks.stack_config("dev")
    one, two = (
        len(
            stacks.run_program_file(
                stacks.PROJECT_DIR / "__main__.py",
                stack="dev",
                project=stacks.project_name(),
                config=replicate(base_config, copies),
                secret_keys=[],
            ).resources
        )
        for copies in (1, 2)
    )
    per_copy, base = two - one, 2 * one - two
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for target in SYNTHETIC_TARGETS if per_copy else ():
            name = f"synthetic-{target}"
            synthetic_project(folder, name, replicate(base_config, max(1, round((target - base) / per_copy))))
            rows.append(measure(name, stacks.run_stack(name, folder), "--project-dir", str(folder)))

    print(f"{'stack':<16}{'resources':>10}{'plan s':>9}{'import s':>10}{'ratio':>7}{'ms/resource':>13}")
    for name, count, plan_s, floor_s in rows:
        print(
            f"{name:<16}{count:>10}{plan_s:>9.2f}{floor_s:>10.2f}{plan_s / floor_s:>7.2f}"
            f"{1000 * (plan_s - floor_s) / count:>13.2f}"
        )
    if not per_copy:
        print("(the dev stack has no Lambda functions to replicate for synthetic stacks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
