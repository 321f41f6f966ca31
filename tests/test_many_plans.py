"""One process plans many stacks and projects; each plan sees its own folder's code as it is."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest

from offline import engine, render, stacks
from offline.engine import Plan, RecordedResource, tree_order

pytestmark = pytest.mark.heavy


def test_planning_a_stack_again_in_a_warm_process_gives_the_same_plan(dev_plan: Plan) -> None:
    again = stacks.run_stack("dev")
    assert again is not dev_plan
    assert render.to_json(again, []) == render.to_json(dev_plan, [])


def write_project(folder: Path, value: str) -> Path:
    """A project whose program exports a value from a module of its own folder (`helper`)."""
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text(f"name: {folder.name}\nruntime: python\n")
    (folder / "Pulumi.s.yaml").write_text("config: {}\n")
    (folder / "__main__.py").write_text("import pulumi\n\nimport helper\n\npulumi.export('value', helper.VALUE)\n")
    (folder / "helper.py").write_text(f"VALUE = {value!r}\n")
    return folder


@pytest.fixture
def no_helper() -> Iterator[None]:
    """Leaves no `helper` module behind for other tests."""
    yield
    sys.modules.pop("helper", None)


def test_each_project_imports_its_own_module_of_a_shared_name(tmp_path: Path, no_helper: None) -> None:
    first = write_project(tmp_path / "first", "one")
    second = write_project(tmp_path / "second", "two")
    assert stacks.run_stack("s", first).outputs == {"value": "one"}
    assert stacks.run_stack("s", second).outputs == {"value": "two"}
    assert stacks.run_stack("s", first).outputs == {"value": "one"}


def test_an_edit_between_two_plans_is_planned(tmp_path: Path, no_helper: None) -> None:
    project = write_project(tmp_path / "edited", "before")
    assert stacks.run_stack("s", project).outputs == {"value": "before"}
    (project / "helper.py").write_text("VALUE = 'after, and longer'\n")
    assert stacks.run_stack("s", project).outputs == {"value": "after, and longer"}


def test_an_edit_reloads_the_programs_modules_and_nothing_installed_beside_them(
    tmp_path: Path, no_helper: None
) -> None:
    project = write_project(tmp_path / "with-venv", "before")
    # like a .venv inside the project: importable, but no name the folder itself provides
    site = project / ".venv" / "site"
    site.mkdir(parents=True)
    (site / "installed_beside.py").write_text("")
    sys.path.insert(0, str(site))
    try:
        installed = importlib.import_module("installed_beside")
        assert stacks.run_stack("s", project).outputs == {"value": "before"}
        (project / "helper.py").write_text("VALUE = 'after, and longer'\n")
        assert stacks.run_stack("s", project).outputs == {"value": "after, and longer"}
        assert sys.modules["installed_beside"] is installed
    finally:
        sys.path.remove(str(site))
        sys.modules.pop("installed_beside", None)


def test_a_stack_read_through_a_reference_is_planned_anew_after_an_edit(tmp_path: Path, no_helper: None) -> None:
    """The outputs a referencing stack reads are cached per process, keyed on the code too."""
    project = write_project(tmp_path / "refs", "before")
    (project / "__main__.py").write_text(
        "import pulumi\n\nimport helper\n\nsource = pulumi.Config().get('source')\n"
        "if source:\n    pulumi.export('read', pulumi.StackReference(source).get_output('value'))\n"
        "else:\n    pulumi.export('value', helper.VALUE)\n"
    )
    (project / "Pulumi.app.yaml").write_text("config:\n  refs:source: organization/refs/s\n")
    assert stacks.run_stack("app", project).outputs == {"read": "before"}
    (project / "helper.py").write_text("VALUE = 'after, and longer'\n")
    assert stacks.run_stack("app", project).outputs == {"read": "after, and longer"}


def test_the_callers_own_module_of_that_name_is_back_after_the_plan(tmp_path: Path, no_helper: None) -> None:
    callers = tmp_path / "callers"
    callers.mkdir()
    (callers / "helper.py").write_text("VALUE = 'the caller'\n")
    sys.path.insert(0, str(callers))
    try:
        assert importlib.import_module("helper").VALUE == "the caller"
    finally:
        sys.path.remove(str(callers))
    project = write_project(tmp_path / "program", "the program")
    assert stacks.run_stack("s", project).outputs == {"value": "the program"}
    assert sys.modules["helper"].VALUE == "the caller"


def test_run_stacks_plans_each_stack_by_name(tmp_path: Path, no_helper: None) -> None:
    project = write_project(tmp_path / "several", "x")
    (project / "Pulumi.t.yaml").write_text("config: {}\n")
    plans = stacks.run_stacks(["t", "s"], project)
    assert list(plans) == ["t", "s"]
    assert [plan.stack for plan in plans.values()] == ["t", "s"]
    assert all(plan.outputs == {"value": "x"} for plan in plans.values())


def test_the_one_shot_cli_prints_everything_before_it_exits_without_teardown(tmp_path: Path) -> None:
    project = write_project(tmp_path / "cli", "printed")
    command = [sys.executable, "-m", "offline", "plan", "--project-dir", str(project), "--stack", "s"]
    planned = subprocess.run(command, capture_output=True, text=True, cwd=stacks.PROJECT_DIR)
    assert (planned.returncode, planned.stderr) == (0, "")
    assert planned.stdout.startswith("Stack cli-s (Pulumi.s.yaml): 0 resources\n")
    assert planned.stdout.endswith('\nOutputs:\n  value: "printed"\n\nPolicy violations: none\n')


def test_a_plan_lists_its_resources_depth_first_and_siblings_by_name_however_they_registered() -> None:
    def resource(name: str, parent: str | None) -> RecordedResource:
        return RecordedResource("t:index:T", name, f"urn:{name}", parent and f"urn:{parent}", {}, False, name, {})

    registered = [
        resource("b-child", "b"),
        resource("orphan", "gone"),  # its parent was not recorded: a root
        resource("b", None),
        resource("a-child-2", "a"),
        resource("a", None),
        resource("a-child-1", "a"),
        resource("a-grandchild", "a-child-2"),
    ]
    for order in (registered, registered[::-1]):
        assert [r.name for r in tree_order(order)] == [
            "a",
            "a-child-1",
            "a-child-2",
            "a-grandchild",
            "b",
            "b-child",
            "orphan",
        ]


def test_warnings_are_listed_unattached_first_then_in_tree_order() -> None:
    """A warning about a resource is logged once its URN resolves, whenever the SDK gets
    to it; the plan lists them in a stable order instead."""

    def program() -> None:
        later = pulumi.CustomResource("test:index:Thing", "b-thing", {})
        earlier = pulumi.CustomResource("test:index:Thing", "a-thing", {})
        pulumi.log.warn("about b", resource=later)
        pulumi.log.warn("about a, first", resource=earlier)
        pulumi.log.warn("about nothing")
        pulumi.log.warn("about a, second", resource=earlier)

    assert engine.run(program).warnings == ["about nothing", "about a, first", "about a, second", "about b"]


def test_engine_calls_run_on_the_programs_thread_in_the_order_it_made_them() -> None:
    """The SDK hands each engine call to an executor; the engine's runs it inline
    (`offline.engine._InlineExecutor`): no worker-thread hop per call, and registrations reach
    the engine in the program's order, run after run."""
    seen: list[tuple[str, int]] = []

    def record(args: pulumi.ResourceTransformArgs) -> None:
        seen.append((args.name, threading.get_ident()))

    def program() -> None:
        pulumi.runtime.register_resource_transform(record)
        for name in ("c", "a", "b"):
            pulumi.CustomResource("test:index:Thing", name, {})

    for _ in range(3):
        seen.clear()
        engine.run(program)
        assert seen == [(name, threading.get_ident()) for name in ("c", "a", "b")]


def test_a_programs_own_executor_work_still_gets_a_worker_thread() -> None:
    """Only the SDK's engine calls run inline: a program's blocking work may wait on the loop."""
    threads: list[int] = []

    def blocking(loop: asyncio.AbstractEventLoop) -> str:
        threads.append(threading.get_ident())
        return asyncio.run_coroutine_threadsafe(asyncio.sleep(0, "done"), loop).result(timeout=10)

    async def offload() -> str:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, blocking, loop)

    def program() -> None:
        pulumi.export("value", pulumi.Output.from_input(offload()))

    assert engine.run(program).outputs == {"value": "done"}
    assert len(threads) == 1 and threads[0] != threading.get_ident()
