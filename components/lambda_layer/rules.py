"""The rules of lambda_layer: what PublishLayerVersion accepts and what Lambda can load."""

from __future__ import annotations

import os
import re
from pathlib import Path

from components.lambda_layer.args import LambdaLayerArgs
from components.lambda_runtimes import family, runtime_problems
from components.validation import Problem, rules_for

#: LayerName without the ARN form (Lambda API); PublishLayerVersion limits.
LAYER_NAME = re.compile(r"^[a-zA-Z0-9-_]{1,140}$")
MAX_RUNTIMES = 15
MAX_ARCHITECTURES = 2
DESCRIPTION_MAX = 256
LICENSE_MAX = 512
#: Lambda's quota on a function and all its layers, unzipped.
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024
#: Where each runtime family looks for layer content under /opt (Lambda's layer paths).
RUNTIME_FOLDERS = {"python": "python", "nodejs": "nodejs", "java": "java", "ruby": "ruby", "dotnet": "lib"}
#: Folders any runtime sees: executables, shared libraries, extensions.
COMMON_FOLDERS = ("bin", "lib", "extensions")


def _content_problems(args: LambdaLayerArgs) -> list[Problem]:
    folder = Path(args.path)
    if not folder.is_dir():
        return [Problem("path", f"{args.path!r} is not a directory of this project")]
    expected = sorted(
        {RUNTIME_FOLDERS[f] for r in args.compatible_runtimes if (f := family(r)) in RUNTIME_FOLDERS}
        | set(COMMON_FOLDERS)
    )
    if args.compatible_runtimes and not any((folder / name).is_dir() for name in expected):
        return [
            Problem(
                "path",
                f"{args.path} holds none of {', '.join(f'{n}/' for n in expected)}; Lambda extracts a layer to"
                " /opt and the runtime only looks there, so put the content under one of them",
            )
        ]
    problems = [
        Problem("path", f"{path.relative_to(folder)} is not executable; Lambda starts every file in extensions/")
        for path in sorted((folder / "extensions").glob("*"))
        if path.is_file() and not os.access(path, os.X_OK)
    ]
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    if size > MAX_UNZIPPED_BYTES:
        problems.append(
            Problem("path", f"{size / 1024**2:.0f} MiB unzipped; a function and its layers may hold 250 MiB in all")
        )
    return problems


def _compatibility_problems(args: LambdaLayerArgs) -> list[Problem]:
    problems: list[Problem] = []
    runtimes, architectures = list(args.compatible_runtimes), list(args.compatible_architectures)
    if not 1 <= len(runtimes) <= MAX_RUNTIMES:
        problems.append(Problem("compatible_runtimes", f"list 1 to {MAX_RUNTIMES} runtimes, not {len(runtimes)}"))
    problems += [p for runtime in runtimes for p in runtime_problems("compatible_runtimes", runtime)]
    if not 1 <= len(architectures) <= MAX_ARCHITECTURES or len(set(architectures)) != len(architectures):
        problems.append(Problem("compatible_architectures", "list arm64, x86_64 or both, each once"))
    if len(set(runtimes)) != len(runtimes):
        problems.append(Problem("compatible_runtimes", "lists a runtime twice; list each once"))
    return problems


@rules_for(LambdaLayerArgs)
def lambda_layer_problems(args: LambdaLayerArgs) -> list[Problem]:
    """Every rule LambdaLayerArgs must satisfy; the stage config runs these too."""
    problems = _compatibility_problems(args) + _content_problems(args)
    if not LAYER_NAME.match(args.layer_name):
        problems.append(Problem("layer_name", f"{args.layer_name!r}: letters, digits, - and _, 1 to 140 characters"))
    if args.description is not None and len(args.description) > DESCRIPTION_MAX:
        problems.append(Problem("description", f"{len(args.description)} characters; Lambda takes {DESCRIPTION_MAX}"))
    if args.license_info is not None and len(args.license_info) > LICENSE_MAX:
        problems.append(Problem("license_info", f"{len(args.license_info)} characters; Lambda takes {LICENSE_MAX}"))
    return problems
