"""Nested YAML aliases ("billion laughs") are refused with `file:line` before they grow.

A few hundred bytes of anchors and aliases expand ninefold per level; content loading
must refuse them in `lotse check` and in hot reload alike, using little memory.
"""

from __future__ import annotations

import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.model import IMPORTED_OFFERS
from bot.content.yamlio import YamlSyntaxError, parse_yaml
from bot.dialogs.engine import DialogEngine
from bot.runtime.watch import ContentWatcher, Sources
from bot.store.db import Database
from tests.helpers import ROOT
from tests.helpers.chat import run_lotse
from tests.helpers.content_tree import append, shipped_copy


def bomb(levels: int = 9, key: str = "lol") -> str:
    lines = [f'{key}0: &{key}0 "lol"']
    for n in range(1, levels + 1):
        refs = ", ".join([f"*{key}{n - 1}"] * 9)
        lines.append(f"{key}{n}: &{key}{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_parse_refuses_a_billion_laughs_with_little_memory() -> None:
    text = "title: x\n" + bomb()
    assert len(text) < 1000
    tracemalloc.start()
    try:
        with pytest.raises(YamlSyntaxError) as caught:
            parse_yaml(text, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
    problem = caught.value.problem
    assert problem.file == "bomb.yaml" and 2 <= problem.line <= 11
    assert "Alias" in problem.message


def test_an_alias_inside_itself_is_refused() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml("a: 1\nloop: &me [1, *me]\n", "loop.yaml")
    assert caught.value.problem.line == 2 and "Alias" in caught.value.problem.message


def test_a_few_aliases_still_work() -> None:
    text = "base: &base {a: 1, b: [1, 2]}\none: *base\ntwo: {<<: *base, c: 3}\n"
    data = parse_yaml(text, "ok.yaml").data
    assert data["two"] == {"a": 1, "b": [1, 2], "c": 3}


def test_lotse_check_reports_the_bomb_by_file_and_line(tmp_path: Path) -> None:
    tree = shipped_copy(tmp_path)
    line = append(tree.path("offers.yaml"), bomb())
    result = run_lotse(
        "check",
        db=tmp_path / "check.sqlite3",
        env={"CONTENT_DIR": str(tree.content), "KNOWLEDGE_DIR": str(tree.knowledge)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # the level where the expansion passes the bound: 9**5 values
    assert f"offers.yaml:{line + 5}: YAML-Anker/Alias" in result.stdout + result.stderr


async def test_hot_reload_refuses_the_bomb_and_keeps_the_last_good(
    tmp_path: Path, db: Database
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    (tmp_path / "content" / IMPORTED_OFFERS).unlink(missing_ok=True)
    dirs = Sources(tmp_path / "content", tmp_path / "knowledge")
    engine = DialogEngine(load_content(dirs.content_dir, dirs.knowledge_dir), db)
    good = engine.content
    watcher = ContentWatcher(
        dirs, db, lambda: engine.content, engine.replace_content, settle_seconds=0
    )
    offers = dirs.content_dir / "offers.yaml"
    append(offers, bomb())
    stat = offers.stat()
    os.utime(offers, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert await watcher.check() == "failed"
    assert engine.content is good
