"""Texts `dataclasses` and `typing` compile at run time come from one table, compiled as
Python compiles them, and kept across processes in a file only where bytecode is written."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import marshal
import sys
import typing
from pathlib import Path

import pytest

from offline import compiled_texts

INIT = "def __create_fn__():\n def f(self, a):\n  self.a = a\n return f"


def as_python_compiles(text: str, mode: str) -> typing.Any:
    """What `dataclasses` and `typing` get from `compile`: they have no future imports
    (this module's `annotations` would be inherited, and change the code's flags)."""
    return compile(text, "<string>", mode, dont_inherit=True)


@pytest.fixture
def writes_bytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def test_a_text_compiles_once_to_the_code_python_compiles(tmp_path: Path) -> None:
    texts = compiled_texts.CompiledTexts(tmp_path / "table")
    first = texts.code(INIT, "<string>", "exec")
    assert texts.code(INIT, "<string>", "exec") is first
    assert first == as_python_compiles(INIT, "exec")
    # this module's `from __future__ import annotations` does not leak into the texts
    annotated = texts.code("def f(x: int) -> None: pass", "<string>", "exec")
    namespace: dict[str, typing.Any] = {}
    exec(annotated, namespace)
    assert namespace["f"].__annotations__ == {"x": int, "return": None}
    assert texts.compiled == 2


def test_the_next_process_loads_the_table_instead_of_compiling(tmp_path: Path, writes_bytecode: None) -> None:
    path = tmp_path / "__pycache__" / "table"
    written = compiled_texts.CompiledTexts(path)
    written.code(INIT, "<string>", "exec")
    written.code("pulumi.Input[str]", "<string>", "eval")
    written.save()

    loaded = compiled_texts.CompiledTexts(path)
    assert loaded.codes == written.codes
    assert loaded.code("pulumi.Input[str]", "<string>", "eval") == as_python_compiles("pulumi.Input[str]", "eval")
    assert loaded.compiled == 0
    modified = path.stat().st_mtime_ns
    loaded.save()  # nothing new: not written again
    assert path.stat().st_mtime_ns == modified


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00" * 40,
        importlib.util.MAGIC_NUMBER + b"aws-compute-texts-O0\x00" + b"\xff\x00",  # truncated marshal
        b"\x00\x00\r\naws-compute-texts-O0\x00" + marshal.dumps({("1", "<string>", "eval"): compile("2", "", "eval")}),
        importlib.util.MAGIC_NUMBER + b"aws-compute-texts-O0\x00" + marshal.dumps([1]),
    ],
    ids=["empty", "no header", "truncated", "another interpreter", "not a table"],
)
def test_a_file_that_does_not_match_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "table"
    path.write_bytes(content)
    texts = compiled_texts.CompiledTexts(path)
    assert texts.codes == {}
    assert texts.code("1", "<string>", "eval") == as_python_compiles("1", "eval")


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    texts = compiled_texts.CompiledTexts(tmp_path / "__pycache__" / "table")
    texts.code(INIT, "<string>", "exec")
    texts.save()
    assert not (tmp_path / "__pycache__").exists()


def test_a_full_table_drops_the_texts_used_longest_ago_and_never_its_writers(
    tmp_path: Path, writes_bytecode: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "table"

    def written_by(*texts: str) -> set[str]:
        writer = compiled_texts.CompiledTexts(path)
        for text in texts:
            writer.code(text, "<string>", "eval")
        writer.save()
        return {text for text, _, _ in compiled_texts.CompiledTexts(path).codes}

    for text in ("2", "1", "0"):  # one writer each: the table lists 0, 1, 2
        written_by(text)
    monkeypatch.setattr(compiled_texts, "KEPT_TEXTS", 3)
    assert written_by("1", "x") == {"1", "x", "0"}  # "2" was listed last
    assert written_by("y") == {"y", "1", "x"}  # "0" was now listed last
    assert written_by("a", "b", "c", "d") == {"a", "b", "c", "d"}  # what a writer used stays


def test_dataclasses_and_typing_compile_through_the_installed_table() -> None:
    texts = compiled_texts.install()
    assert compiled_texts.install() is texts

    @dataclasses.dataclass(frozen=True)
    class Point:
        x_of_a_compiled_texts_test: int

    assert Point(1) == Point(1) and hash(Point(1)) == hash(Point(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x_of_a_compiled_texts_test = 2  # type: ignore[misc]
    assert any("x_of_a_compiled_texts_test" in text for text, _, _ in texts.used)
    assert typing.ForwardRef("Sequence[compiled_texts_test]").__forward_code__ is texts.code(
        "Sequence[compiled_texts_test]", "<string>", "eval"
    )


def test_a_place_it_cannot_write_is_skipped(tmp_path: Path, writes_bytecode: None) -> None:
    (tmp_path / "a-file").write_text("")
    texts = compiled_texts.CompiledTexts(tmp_path / "a-file" / "table")  # its folder cannot be made
    texts.code(INIT, "<string>", "exec")
    texts.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_syntax_tree_or_other_flags_compile_as_they_stand() -> None:
    texts = compiled_texts.install()
    before = dict(texts.codes)
    tree = ast.parse("1 + 1", mode="eval")
    assert typing.compile(tree, "<ast>", "eval") == compile(tree, "<ast>", "eval", dont_inherit=True)  # type: ignore[attr-defined]
    assert typing.compile("1", "<string>", "eval", 0, False, 2) == compile("1", "<string>", "eval", 0, True, 2)  # type: ignore[attr-defined]
    assert texts.codes == before
