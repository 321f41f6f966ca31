"""The GitHub workflows: stacks from the stack files in dependency order, pinned actions,
and the sticky comment found by the marker the diff writes. (`make lint` runs actionlint
and zizmor on them.)"""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pytest
import yaml

from offline import diff_render, stacks

GITHUB = stacks.PROJECT_DIR / ".github"
STACKS = runpy.run_path(str(GITHUB / "stacks.py"))["stacks"]
FILES = sorted([*(GITHUB / "workflows").glob("*.yml"), *(GITHUB / "actions").glob("*/action.yml")])


def test_the_matrix_is_every_stack_file_by_stage() -> None:
    found = STACKS(stacks.PROJECT_DIR)
    assert sorted(found["all"]) == stacks.stack_names()
    assert found["prod"] == [s for s in found["all"] if s.rsplit("-", 1)[-1] == "prod"]
    assert found["preprod"] == [s for s in found["all"] if s not in found["prod"]]


def test_a_stack_reading_another_comes_after_it(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.apps-prod.yaml").write_text(
        "config:\n  aws-compute:network:\n    fromStack: acme/aws-compute/network-prod\n"
    )
    (tmp_path / "Pulumi.network-prod.yaml").write_text("config:\n  aws-compute:network: {azCount: 3}\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    assert STACKS(tmp_path) == {
        "all": ["dev", "network-prod", "apps-prod"],
        "preprod": ["dev"],
        "prod": ["network-prod", "apps-prod"],
        "stage_names": ["dev", "prod"],
        "stages": {"dev": ["dev"], "prod": ["network-prod", "apps-prod"]},
    }


def test_a_pull_requests_diff_takes_each_stages_stacks_together() -> None:
    """apps-prod is diffed with network-prod, so what network-prod replaces under it shows."""
    job = yaml.safe_load((GITHUB / "workflows" / "pull-request.yml").read_text())["jobs"]["offline-diff"]
    assert job["strategy"]["matrix"] == {"stage": "${{ fromJSON(needs.stacks.outputs.stage_names) }}"}
    [step] = [s for s in job["steps"] if s.get("name") == "Offline diff against the base branch"]
    assert step["env"]["STACKS"] == "${{ join(fromJSON(needs.stacks.outputs.stages)[matrix.stage], ' ') }}"
    assert 'for stack in $STACKS; do args+=(--stack "$stack"); done' in step["run"]
    assert '-m offline diff "${args[@]}" --base "$BASE"' in step["run"]


def test_deploys_build_network_prod_before_apps_prod() -> None:
    assert STACKS(stacks.PROJECT_DIR)["prod"] == ["network-prod", "apps-prod"]


@pytest.mark.parametrize(
    "network",
    [
        "{fromStack: {stack: acme/aws-compute/net, azCount: 2}}",
        "\n    fromStack:\n      tiers: [private]\n      stack: 'acme/aws-compute/net'  # the network\n",
    ],
    ids=["flow", "block"],
)
def test_the_stack_a_fromstack_mapping_names_comes_first(tmp_path: Path, network: str) -> None:
    (tmp_path / "Pulumi.apps.yaml").write_text(f"config:\n  aws-compute:network: {network}\n")
    (tmp_path / "Pulumi.net.yaml").write_text("config:\n  aws-compute:network: {azCount: 2}\n")
    assert STACKS(tmp_path)["all"] == ["net", "apps"]


def test_stacks_reading_each_other_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.a.yaml").write_text("config:\n  x:\n    fromStack: o/p/b\n")
    (tmp_path / "Pulumi.b.yaml").write_text("config:\n  x:\n    fromStack: o/p/a\n")
    with pytest.raises(SystemExit, match=r"^error: these stacks read each other's outputs in a cycle: a, b$"):
        STACKS(tmp_path)


def _uses(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "uses"] + [u for v in node.values() for u in _uses(v)]
    if isinstance(node, list):
        return [u for v in node for u in _uses(v)]
    return []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name if p.parent.name == "workflows" else p.parent.name)
def test_every_action_is_pinned_by_commit_with_its_version_beside(path: Path) -> None:
    text = path.read_text()
    remote = [u for u in _uses(yaml.safe_load(text)) if not u.startswith("./")]
    assert remote, "no actions found"
    for use in remote:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use), use
        assert re.search(re.escape(use) + r" # v\d+\.\d+\.\d+\n", text), f"{use} has no version comment"


def test_the_sticky_comment_is_found_by_the_marker_the_diff_writes() -> None:
    workflow = (GITHUB / "workflows" / "pull-request.yml").read_text()
    assert f'const marker = "{diff_render.COMMENT_MARKER}";' in workflow
    assert '--format markdown > "diff-$STAGE.md"' in workflow
