"""This project's program copied beside a stack file a test writes, and planned through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from offline import stacks
from offline.__main__ import main


def copy_program(folder: Path) -> Path:
    """`Pulumi.yaml` and `__main__.py` of this project in `folder`, which has no stack file yet."""
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(stacks.PROJECT_DIR / name, folder / name)
    return folder


def refused_plan(project: Path, stack_file: str, capsys: pytest.CaptureFixture[str], stack: str = "t") -> str:
    """What `plan` prints when it refuses `stack_file`: exit 1, nothing on stdout, no traceback."""
    (project / f"Pulumi.{stack}.yaml").write_text(stack_file)
    assert main(["plan", "--stack", stack, "--project-dir", str(project)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    return captured.err
