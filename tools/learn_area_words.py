"""Write content/interests-learnt.yaml from the development sets (tests/data/openers_dev*).

    python tools/learn_area_words.py

Run it after adding or changing a development set, the taxonomy or a rule that changes which
areas are read; see bot/evaluation/area_words.py.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_content  # noqa: E402
from bot.content.model import INTERESTS_LEARNT  # noqa: E402
from bot.evaluation.area_words import counted, render  # noqa: E402
from bot.evaluation.examples import development_sets, independent_sets  # noqa: E402
from bot.understanding import Understander  # noqa: E402

DATA = ROOT / "tests" / "data"


def expected_text() -> str:
    """What the file should hold for the sets, content and code of this checkout. The
    order does not change which areas are read, so reading with or without it is the same."""
    content = load_content(ROOT / "content", ROOT / "knowledge")
    reader = Understander(dataclasses.replace(content, interest_word_counts={}))
    reader.prepare()
    return render(counted(development_sets(DATA), independent_sets(DATA), reader))


if __name__ == "__main__":
    target = ROOT / "content" / INTERESTS_LEARNT
    target.write_text(expected_text(), encoding="utf-8")
    load_content(ROOT / "content", ROOT / "knowledge")  # fails loudly if the file is broken
    print(f"{target.relative_to(ROOT)} geschrieben")
