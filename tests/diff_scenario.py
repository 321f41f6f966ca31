"""The review scenario of the delivery issue, on a scratch branch of a throwaway git repo.

`scratch_repo(folder)` copies this working tree's tracked files into `folder`, commits them
as `main`, then commits on branch `scratch` prod's stack files changed: network-prod's
private subnets get new CIDRs (/20 -> /21); apps-prod renames the Fargate job
`nightly-report` to `daily-report` and adds a Lambda function `thumbnail`.
`python -m tests.diff_scenario` prints the PR comment `python -m offline diff --stack
network-prod --stack apps-prod --base main --format markdown` renders there (the README's
example; tests/test_diff.py checks it stays true).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from offline import stacks

NEW_FUNCTION = """    thumbnail:
      description: Thumbnails of uploaded images
      code: {kind: zip, path: functions/api, handler: handler.handler, runtime: python3.13}
      memoryMb: 512
      timeoutSeconds: 30
"""


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=scenario", "-c", "user.email=scenario@example.com", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


#: Per stack file, the scenario's edits: (old, new), each old text found exactly once.
EDITS = {
    "network-prod": [("    azCount: 3\n", "    azCount: 3\n    subnetPrefixLengths: {private: 21}\n")],
    "apps-prod": [
        ("      nightly-report:\n", "      daily-report:\n"),
        ("  aws-compute:functions:\n", "  aws-compute:functions:\n" + NEW_FUNCTION),
    ],
}
STACKS = tuple(EDITS)


def scratch_edit(stack: str, text: str) -> str:
    """The scenario's change to Pulumi.<stack>.yaml."""
    for old, new in EDITS[stack]:
        if text.count(old) != 1:
            raise ValueError(f"Pulumi.{stack}.yaml no longer has exactly one {old!r}: update the scenario")
        text = text.replace(old, new)
    return text


def scratch_repo(folder: Path) -> Path:
    """A git repo at `folder`: branch main as this working tree has it, branch scratch checked out."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=stacks.PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = stacks.PROJECT_DIR / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    _git(folder, "init", "--quiet", "--initial-branch=main")
    _git(folder, "add", "--all")
    _git(folder, "commit", "--quiet", "-m", "main")
    _git(folder, "checkout", "--quiet", "-b", "scratch")
    for stack in STACKS:
        stack_file = folder / f"Pulumi.{stack}.yaml"
        stack_file.write_text(scratch_edit(stack, stack_file.read_text()))
    _git(folder, "commit", "--quiet", "--all", "-m", "scratch: subnet CIDRs, a renamed job, a new function")
    return folder


if __name__ == "__main__":
    from offline.__main__ import main

    with tempfile.TemporaryDirectory() as tmp:
        repo = scratch_repo(Path(tmp))
        stack_args = [arg for stack in STACKS for arg in ("--stack", stack)]
        sys.exit(main(["diff", *stack_args, "--base", "main", "--format", "markdown", "--project-dir", str(repo)]))
