"""`make bench`: whole-process wall time of `python -m offline plan`, at scale, warm, and `make test`.

For every stack file, and for synthetic stacks of about 100, 500, 1,000 and 2,000 resources
(dev's network and its Lambda functions, replicated as often as the size needs), it times
the plan as a whole process beside the floor no plan can beat: a process that imports
pulumi and loads the pulumi_aws resource classes the plan uses, the way a plan loads them.
Plan and floor runs alternate, so machine noise hits both; medians are printed. The ratio
column is plan / floor; ms/resource (plan minus floor, per resource) shows whether growth is
linear. Before those, in this process, the second plan of each stack once its first made the
process warm (`offline.stacks.run_stacks`); last, the wall time of `make test`. The
machine's load average is printed with the figures: on a shared machine it says how far to
trust them.

`--readme` also writes the tables into README.md's performance section.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
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
#: What dev's functions need besides themselves: the network, their layers and event bus.
KEPT_AREAS = ("aws:region", "aws-compute:network", "aws-compute:layers", "aws-compute:eventBus")
SYNTHETIC_TARGETS = (100, 500, 1000, 2000)
#: The seed patterns in AWS CDK, as prod's two stacks (`make bench` installs its pinned
#: packages with npm); `cdk synth` of it is timed beside the plan of `CDK_COMPARED`.
CDK_APP = Path(__file__).resolve().parent / "cdk"
CDK_COMPARED = "apps-prod"
#: `cdk synth` without its network calls (notices; `--no-version-reporting` also turns its
#: telemetry off) and without printing the template.
CDK_SYNTH = ["synth", "--no-notices", "--no-version-reporting", "--quiet"]
README = stacks.PROJECT_DIR / "README.md"
README_BLOCK = re.compile(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)", re.DOTALL)


def paired_medians(
    first: list[str], second: list[str], runs: int, second_cwd: Path | None = None
) -> tuple[float, float]:
    """Median wall seconds of two commands run alternately, after one warm-up of each (the
    second in `second_cwd` when given)."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(runs + 1):
        for command, cwd, bucket in ((first, None, times[0]), (second, second_cwd, times[1])):
            start = time.perf_counter()
            subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if i:
                bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def import_floor_command(plan: Plan) -> list[str]:
    """A process that imports pulumi and loads every pulumi_aws resource class the plan uses.

    Importing `offline` first makes pulumi_aws load as a plan loads it (`offline.lazy_sdk`):
    each class's own module and its service's shared types, not the whole service.
    """
    classes = set()
    for resource in plan.resources:
        package, _, rest = resource.type.partition(":")
        if package == "aws":
            module, _, class_name = rest.partition(":")
            module = module.split("/")[0]
            classes.add("aws" if module == "index" else f"aws.{module}{'_' if module == 'lambda' else ''}.{class_name}")
    return [sys.executable, "-c", "import offline, pulumi, pulumi_aws as aws; " + "; ".join(sorted(classes))]


def replicate(config: dict[str, Any], copies: int) -> dict[str, Any]:
    """`config`'s `KEPT_AREAS`, with its Lambda functions repeated `copies` times."""
    functions = config.get(REPLICATED_AREA) or {}
    kept: dict[str, Any] = {key: config[key] for key in KEPT_AREAS if key in config}
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


def plan_rows(runs: int) -> list[tuple[str, int, float, float]]:
    """(stack, resources, plan s, floor s) for every stack file and synthetic size."""
    plan_cmd = [sys.executable, "-m", "offline", "plan"]

    def measure(name: str, plan: Plan, *extra: str) -> tuple[str, int, float, float]:
        command = [*plan_cmd, "--stack", name, *extra]
        return (name, len(plan.resources), *paired_medians(command, import_floor_command(plan), runs))

    rows = [measure(name, plan) for name, plan in stacks.run_stacks(stacks.stack_names()).items()]
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
    if not per_copy:
        raise SystemExit("the dev stack has no Lambda functions to replicate for synthetic stacks")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for target in SYNTHETIC_TARGETS:
            name = f"synthetic-{target}"
            synthetic_project(folder, name, replicate(base_config, max(1, round((target - base) / per_copy))))
            rows.append(measure(name, stacks.run_stack(name, folder), "--project-dir", str(folder)))
    return rows


def warm_rows(runs: int) -> list[tuple[str, float]]:
    """Median seconds of planning each stack again in this process, once each stack's first
    plan (untimed) made it warm. Run before anything else: after the synthetic stacks, the
    timings would include collecting their garbage (a 2,000-resource plan's, ~150,000 objects)."""
    stacks.run_stacks(stacks.stack_names())
    rows = []
    for name in stacks.stack_names():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            stacks.run_stack(name)
            times.append(time.perf_counter() - start)
        rows.append((name, statistics.median(times)))
    return rows


def cdk_rows(runs: int) -> list[tuple[str, float, float]]:
    """(how `cdk synth` ran, its median s, the plan's median s), each timed alternating with
    the plan of `CDK_COMPARED`: the app precompiled to JavaScript (`tsc` first, untimed: the
    least `cdk synth` costs), and as `cdk init` sets an app up (`cdk.json` runs ts-node,
    which type-checks). Empty when bench/cdk has no packages installed."""
    tools = CDK_APP / "node_modules" / ".bin"
    cdk = tools / "cdk"
    if not cdk.exists():
        return []
    subprocess.run([tools / "tsc", "--outDir", "js"], check=True, cwd=CDK_APP)
    plan = [sys.executable, "-m", "offline", "plan", "--stack", CDK_COMPARED]
    variants = {
        "precompiled to JavaScript": [str(cdk), *CDK_SYNTH, "--app", "node js/bin/app.js"],
        "as `cdk init` sets it up (ts-node)": [str(cdk), *CDK_SYNTH],
    }
    rows = []
    for variant, command in variants.items():
        plan_s, synth_s = paired_medians(plan, command, runs, second_cwd=CDK_APP)
        rows.append((variant, synth_s, plan_s))
    return rows


def cdk_resources() -> int:
    """CloudFormation resources in the last `cdk synth` of bench/cdk (nested stacks included)."""
    return sum(len(json.loads(t.read_text())["Resources"]) for t in (CDK_APP / "cdk.out").glob("*.template.json"))


def make_test_seconds() -> float:
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "test"], check=True, cwd=stacks.PROJECT_DIR, capture_output=True)
    return time.perf_counter() - start


def report(runs: int, with_tests: bool) -> str:
    load_before = os.getloadavg()[0]
    warm = warm_rows(runs)
    rows = plan_rows(runs)
    synths = cdk_rows(runs)
    test_s = make_test_seconds() if with_tests else None
    load_after = os.getloadavg()[0]
    lines = [
        f"`make bench` on {datetime.date.today()}, {os.cpu_count()} cores, load average "
        f"{load_before:.1f} before and {load_after:.1f} after; medians of {runs} alternating runs.",
        "",
        "| stack | resources | plan s | import floor s | ratio | ms per resource above the floor |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {count} | {plan_s:.2f} | {floor_s:.2f} | {plan_s / floor_s:.2f} | "
        f"{1000 * (plan_s - floor_s) / count:.1f} |"
        for name, count, plan_s, floor_s in rows
    ]
    if synths:
        counts = {name: count for name, count, _, _ in rows}
        planned = sum(counts[name] for name in (CDK_COMPARED, *stacks.referenced_stacks(CDK_COMPARED)))
        lines += [
            "",
            f"| `cdk synth` of bench/cdk ({cdk_resources()} CloudFormation resources), alternating with "
            f"the plan of {CDK_COMPARED} ({planned} resources with the stacks it reads) "
            "| cdk synth s | plan s | plan / cdk synth |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {variant} | {synth_s:.2f} | {plan_s:.2f} | {plan_s / synth_s:.2f} |"
            for variant, synth_s, plan_s in synths
        ]
    else:
        lines += ["", "`cdk synth` not timed: bench/cdk has no packages (`make bench` installs them with npm)."]
    lines += ["", "| stack | second plan in a warm process, s |", "|---|---|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in warm]
    if test_s is not None:
        lines += ["", f"`make test` (ruff, format check, the whole suite on 2 workers): {test_s:.1f} s wall."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median is printed)")
    parser.add_argument("--no-test", action="store_true", help="skip timing `make test`")
    parser.add_argument("--readme", action="store_true", help="also write the figures into README.md")
    args = parser.parse_args()
    text = report(args.runs, not args.no_test)
    print(text, end="")
    if args.readme:
        readme = README.read_text()
        if not README_BLOCK.search(readme):
            raise SystemExit("README.md has no <!-- bench:start --> ... <!-- bench:end --> block")
        README.write_text(README_BLOCK.sub(lambda m: m.group(1) + text + m.group(2), readme))
    return 0


if __name__ == "__main__":
    sys.exit(main())
