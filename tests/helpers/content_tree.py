"""A private copy of the shipped content that a test may break, and finding the problems
the loader reports for it by file and line."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.model import Content, ContentError
from bot.content.yamlio import Problem
from tests.helpers import ROOT


@dataclass
class Tree:
    """A private copy of content/ and knowledge/ that a test may break."""

    content: Path
    knowledge: Path

    def path(self, name: str) -> Path:
        """content/<name>, or knowledge/<name> for FAQ files."""
        return (self.knowledge if name == "faq.yaml" else self.content) / name

    def load(self, **options: int) -> Content:
        return load_content(self.content, self.knowledge, **options)

    def problems(self, **options: int) -> list[Problem]:
        """The problems of a load that must fail."""
        with pytest.raises(ContentError) as caught:
            self.load(**options)
        return caught.value.problems


def shipped_copy(folder: Path) -> Tree:
    """content/ and knowledge/ as shipped, copied into ``folder``."""
    copy = Tree(folder / "content", folder / "knowledge")
    shutil.copytree(ROOT / "content", copy.content)
    shutil.copytree(ROOT / "knowledge", copy.knowledge)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of `old` (which must be there) by `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r} – adapt the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, block: str) -> int:
    """Append lines to a file; return the line number of the first appended line."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + block, encoding="utf-8")
    return text.count("\n") + 1


def lines_of(path: Path, needle: str) -> list[int]:
    """1-based line numbers where `needle` starts in the file."""
    text = path.read_text(encoding="utf-8")
    return [text.count("\n", 0, m.start()) + 1 for m in re.finditer(re.escape(needle), text)]


def line_of(path: Path, needle: str) -> int:
    found = lines_of(path, needle)
    assert len(found) == 1, f"{needle!r} occurs {len(found)} times in {path.name}"
    return found[0]


def find(
    problems: list[Problem] | tuple[Problem, ...],
    file: str,
    line: int,
    *words: str,
    severity: str = "error",
) -> Problem:
    """The problem reported for `file:line` whose message contains all `words`."""
    for problem in problems:
        if (
            problem.file.endswith(file)
            and problem.line == line
            and problem.severity == severity
            and all(word in problem.message for word in words)
        ):
            return problem
    listing = "\n".join(f"  {p} [{p.severity}]" for p in problems)
    pytest.fail(f"no {severity} at {file}:{line} mentioning {words}; got:\n{listing}")
