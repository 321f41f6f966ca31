"""Read `Pulumi.yaml` and `Pulumi.<stack>.yaml` as strictly as the Pulumi CLI does.

The CLI refuses a stack file that is not valid YAML, that repeats a key in any mapping, or
whose config keys are not `<namespace>:<name>`; it never runs the program then. So does the
offline engine, naming the file and line of every problem (never a parser traceback).
Top-level keys other than the CLI's own are refused too, with a did-you-mean: a misspelled
`config:` would otherwise drop every setting without a word.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

#: The top-level keys of a stack file the Pulumi CLI knows (`workspace.ProjectStack`).
STACK_FILE_KEYS = ("config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment")


class StackFileError(ValueError):
    """Every problem of one YAML file, each `file:line: problem`."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        body = "\n".join(f"  - {path.name}:{p}" for p in problems)
        super().__init__(
            f"{path.name} has {len(problems)} {noun}; nothing was run:\n{body}\nFix the file and run again."
        )


class _DuplicateKeys:
    """A safe loader mix-in that records every repeated mapping key with its line."""

    duplicates: list[str]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append(
                    f"{line}: key {key!r} repeats the key on line {seen[key]}; YAML allows each key once per mapping"
                    " (the Pulumi CLI refuses the file); keep one"
                )
            else:
                seen[key] = line
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _StrictLoader(_DuplicateKeys, yaml.SafeLoader):
    """PyYAML's own parser: its syntax errors say what it found where (`but got '<stream end>'`)."""


#: libyaml's parser where PyYAML was built with it: ten times the speed, on every run.
_FastStrictLoader = (
    type("_FastStrictLoader", (_DuplicateKeys, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else _StrictLoader
)


def _compose(path: Path) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the document of `path`, or StackFileError naming
    the line of the syntax error or of every repeated key.

    libyaml reads the file; a file it refuses is read again by PyYAML's parser, whose
    messages are the clearer."""
    text = path.read_text()
    for loader_class in dict.fromkeys((_FastStrictLoader, _StrictLoader)):
        loader = loader_class(text)
        loader.duplicates = []
        try:
            node = loader.get_single_node()
            document = loader.construct_document(node) if node is not None else None
            break
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1"
            refusal = StackFileError(path, [f"{where}: not valid YAML: {error.problem or error.context}"])
        except yaml.YAMLError as error:
            refusal = StackFileError(path, [f"1: not valid YAML: {error}"])
        finally:
            loader.dispose()
    else:
        raise refusal
    if loader.duplicates:
        raise StackFileError(path, sorted(loader.duplicates, key=lambda p: int(p.partition(":")[0])))
    return node, document


def load_yaml(path: Path) -> Any:
    """The document in `path`, read strictly (see `_compose`)."""
    return _compose(path)[1]


def _key_lines(node: yaml.Node | None) -> dict[Any, int]:
    """Line of each key of a mapping node (scalar keys only)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def stack_file_config(path: Path, project: str) -> dict[str, Any]:
    """The `config` mapping of a stack file with full keys (`network` -> `<project>:network`),
    values as written (`secure:` blocks included)."""
    node, document = _compose(path)
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise StackFileError(path, ["1: a stack file is a mapping with a `config:` key"])
    top_lines = _key_lines(node)
    problems = [
        f"{top_lines.get(key, 1)}: unknown top-level key {key!r}; {_hint(str(key), STACK_FILE_KEYS)}"
        f"allowed: {', '.join(STACK_FILE_KEYS)}"
        for key in document
        if key not in STACK_FILE_KEYS
    ]
    raw = document.get("config") or {}
    config_node = next((v for k, v in node.value if k.value == "config"), None) if node else None
    if not isinstance(raw, dict):
        problems.append(f"{top_lines.get('config', 1)}: `config:` must be a mapping of `<namespace>:<name>: value`")
        raw = {}
    lines = _key_lines(config_node)
    config = {}
    for key, value in raw.items():
        parts = str(key).split(":")
        if len(parts) > 2 or not all(parts):
            problems.append(
                f"{lines.get(key, 1)}: config key {key!r} is not of the form <namespace>:<name> (e.g. aws:region)"
            )
            continue
        config[key if len(parts) == 2 else f"{project}:{key}"] = value
    if problems:
        raise StackFileError(path, problems)
    return config


def _hint(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""
