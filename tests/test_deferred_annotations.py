"""The SDK's modules compiled with deferred annotations plan exactly what the SDK as
installed plans, and their bytecode never reaches the CLI's imports."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from offline import deferred_annotations, render, stacks
from offline.engine import Plan

pytestmark = pytest.mark.heavy

PROD = ("network-prod", "apps-prod")
#: A process planning prod's stacks with the SDK's modules compiled as installed (which of
#: them load is `lazy_sdk`'s business, tested against the eager import in test_lazy_sdk.py).
EAGER_PLANS = """
import json, sys
from offline import deferred_annotations
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, deferred_annotations.DeferredAnnotationsFinder)]
from offline import render, stacks
plans = stacks.run_stacks(["network-prod", "apps-prod"])
assert not [m for m in sys.modules.values() if isinstance(getattr(m, "__loader__", None),
            deferred_annotations.DeferredAnnotationsLoader)]
print(json.dumps({name: render.to_json(plan, []) for name, plan in plans.items()}))
"""


def test_prod_plans_the_same_as_with_the_sdk_as_installed(stack_plans: dict[str, Plan]) -> None:
    """prod's two stacks register every resource type dev does, and more."""
    assert {r.type for r in stack_plans["dev"].resources} <= {
        r.type for stack in PROD for r in stack_plans[stack].resources
    }
    eager = subprocess.run(
        [sys.executable, "-c", EAGER_PLANS], capture_output=True, text=True, check=True, cwd=stacks.PROJECT_DIR
    )
    assert json.loads(eager.stdout) == {stack: render.to_json(stack_plans[stack], []) for stack in PROD}


def test_the_sdk_modules_a_plan_uses_compiled_with_deferred_annotations(dev_plan: Plan) -> None:
    module = sys.modules[aws.ec2.Vpc.__module__]
    assert isinstance(module.__loader__, deferred_annotations.DeferredAnnotationsLoader)
    assert module.Vpc.cidr_block.fget.__annotations__ == {"return": "pulumi.Output[_builtins.str]"}
    assert typing.get_type_hints(module.Vpc.cidr_block.fget) == {"return": pulumi.Output[str]}


def test_the_cache_sits_under_its_own_tag_keyed_on_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "generated.py"
    source.write_text("import typing\ndef f() -> typing.List[int]:\n    return [1]\n")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    loader = deferred_annotations.DeferredAnnotationsLoader("generated", str(source))
    assert loader.get_code("generated").co_consts  # compiled, and written
    cached = Path(importlib.util.cache_from_source(str(source), optimization="deferredannotations"))
    assert cached.name == f"generated.{sys.implementation.cache_tag}.opt-deferredannotations.pyc"
    assert cached.is_file()
    assert not Path(importlib.util.cache_from_source(str(source))).exists()  # the CLI's own cache: untouched
    namespace: dict[str, object] = {}
    exec(loader.get_code("generated"), namespace)
    assert namespace["f"].__annotations__ == {"return": "typing.List[int]"}

    source.write_text("def f() -> int:\n    return 2\n")  # a new source (size and time) is compiled anew
    exec(loader.get_code("generated"), namespace)
    assert namespace["f"]() == 2  # type: ignore[operator]


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "generated.py"
    source.write_text(textwrap.dedent("VALUE = 1\n"))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    deferred_annotations.DeferredAnnotationsLoader("generated", str(source)).get_code("generated")
    assert not (tmp_path / "__pycache__").exists()


def test_an_annotation_text_is_compiled_once_to_the_code_python_compiles() -> None:
    first, again = typing.ForwardRef("pulumi.Input[str]"), typing.ForwardRef("pulumi.Input[str]")
    assert first.__forward_code__ is again.__forward_code__
    assert first.__forward_code__ == compile("pulumi.Input[str]", "<string>", "eval", dont_inherit=True)
