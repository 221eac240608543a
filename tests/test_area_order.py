"""The areas of a message in the order people mean them (content/interests-learnt.yaml)."""

from __future__ import annotations

import dataclasses
import runpy
import shutil
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.model import Content, ContentError
from bot.matching.interests import InterestScore
from bot.understanding import Understander
from bot.understanding.area_order import PRIOR, AreaOrder
from tests.helpers import ROOT
from tests.helpers.chat import run_lotse

# Names two areas: the village's spring clean-up and the wood (nature).
TWO_AREAS = "Ich würde gern beim Frühjahrsputz im Wald mithelfen"


def _found(*areas: tuple[str, tuple[str, ...]]) -> list[InterestScore]:
    return [InterestScore(area, 1.0, sources=words) for area, words in areas]


def test_an_area_writers_seldom_meant_goes_behind() -> None:
    order = AreaOrder({"familie": {"kinder-jugend": [1, 20]}, "wald": {"umwelt": [18, 20]}})
    found = _found(("kinder-jugend", ("familie",)), ("umwelt", ("wald",)))
    assert order.sorted(["kinder-jugend", "umwelt"], found) == ["umwelt", "kinder-jugend"]


def test_the_order_as_read_decides_between_equals_and_unseen_words() -> None:
    order = AreaOrder({"wald": {"umwelt": [6, 10]}})
    found = _found(("sport", ("fussball",)), ("umwelt", ("wald",)))
    assert order.share("sport", ["fussball"]) == PRIOR  # never seen: the prior
    assert order.sorted(["sport", "umwelt"], found) == ["sport", "umwelt"]
    assert order.sorted(["umwelt", "sport"], found) == ["umwelt", "sport"]


def test_a_rarely_seen_word_counts_little_and_the_best_word_counts() -> None:
    order = AreaOrder({"a": {"kultur": [0, 1]}, "b": {"kultur": [9, 10]}})
    assert PRIOR / 2 - 0.01 < order.share("kultur", ["a"]) < PRIOR  # 0 of 1: (0+0.6)/2
    assert order.share("kultur", ["a", "b"]) == order.share("kultur", ["b"])


def test_without_counts_the_order_stays_as_read() -> None:
    found = _found(("dorfleben", ("x",)), ("umwelt", ("y",)))
    assert AreaOrder({}).sorted(["dorfleben", "umwelt"], found) == ["dorfleben", "umwelt"]


def _reader(content: Content, counts: dict) -> Understander:
    reader = Understander(dataclasses.replace(content, interest_word_counts=counts))
    reader.prepare()
    return reader


def test_the_reading_orders_its_areas_by_the_counts(content: Content) -> None:
    plain = _reader(content, {}).read(TWO_AREAS)
    assert len(plain.interests) >= 2 and all(plain.interest_words[:2])
    first, second = plain.interests[:2]
    demoted = {word: {first: [0, 50]} for word in plain.interest_words[0]}
    reordered = _reader(content, demoted).read(TWO_AREAS)
    assert reordered.interests[:2] == (second, first)  # same areas, the other order
    assert set(reordered.interests) == set(plain.interests)
    assert reordered.interest_words[1] == plain.interest_words[0]  # words go with their area


def test_the_shipped_counts_are_used(content: Content) -> None:
    assert content.interest_word_counts  # content/interests-learnt.yaml is shipped
    assert Understander(content).built_from(content)
    assert not Understander(content).built_from(
        dataclasses.replace(content, interest_word_counts={})
    )


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    content, knowledge = tmp_path / "content", tmp_path / "knowledge"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "knowledge", knowledge)
    return content, knowledge


def test_content_loads_without_the_file(tmp_path: Path) -> None:
    content, knowledge = _copy(tmp_path)
    (content / "interests-learnt.yaml").unlink()
    assert load_content(content, knowledge).interest_word_counts == {}


def test_more_named_than_read_is_an_error_with_its_line(tmp_path: Path) -> None:
    content, knowledge = _copy(tmp_path)
    path = content / "interests-learnt.yaml"
    path.write_text("words:\n  wald: {umwelt: [3, 2]}\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_content(content, knowledge)
    assert f"{path}:2:" in str(error.value)
    assert "nur 2 Mal gelesen" in str(error.value)


def test_an_unknown_area_is_a_warning_and_left_unused(tmp_path: Path) -> None:
    content, knowledge = _copy(tmp_path)
    (content / "interests-learnt.yaml").write_text(
        "words:\n  wald: {natur: [3, 4], umwelt: [1, 1]}\n", encoding="utf-8"
    )
    loaded = load_content(content, knowledge)
    warnings = [str(p) for p in loaded.warnings if "interests-learnt" in p.file]
    assert len(warnings) == 1 and "'natur'" in warnings[0] and "learn_area_words" in warnings[0]


def test_lotse_check_names_a_broken_count(tmp_path: Path) -> None:
    content, knowledge = _copy(tmp_path)
    path = content / "interests-learnt.yaml"
    path.write_text("words:\n  wald: {umwelt: [1, 0]}\n", encoding="utf-8")
    shown = run_lotse(
        "check",
        db=tmp_path / "db.sqlite",
        env={"CONTENT_DIR": str(content), "KNOWLEDGE_DIR": str(knowledge)},
    )
    assert shown.returncode == 1
    assert str(path) in shown.stderr


@pytest.mark.slow
def test_shipped_counts_are_those_of_the_development_sets() -> None:
    """content/interests-learnt.yaml is what tools/learn_area_words.py writes for the
    development sets, content and rules of this checkout (rerun it after changing one)."""
    tool = runpy.run_path(str(ROOT / "tools" / "learn_area_words.py"))
    shipped = (ROOT / "content" / "interests-learnt.yaml").read_text(encoding="utf-8")
    assert shipped == tool["expected_text"](), "python tools/learn_area_words.py"
