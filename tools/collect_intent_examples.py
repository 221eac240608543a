"""Write content/intents-collected.yaml from the development sets (tests/data/openers_dev*),
but those in NO_INTENT_EXAMPLES.

    python tools/collect_intent_examples.py

Run it after adding or changing a development set; see bot/evaluation/examples.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.content.loader import load_content  # noqa: E402
from bot.content.model import COLLECTED_INTENTS, INTENTS  # noqa: E402
from bot.evaluation.examples import (  # noqa: E402
    collected_examples,
    independent_sets,
    intent_example_sets,
    render,
)

DATA = ROOT / "tests" / "data"


def expected_text() -> str:
    """What the file should hold for the sets and intents.yaml of this checkout."""
    own = yaml.safe_load((ROOT / "content" / INTENTS).read_text(encoding="utf-8"))
    examples = own.get("examples") or {}
    collected = collected_examples(intent_example_sets(DATA), independent_sets(DATA), examples)
    return render(collected, examples)


if __name__ == "__main__":
    target = ROOT / "content" / COLLECTED_INTENTS
    target.write_text(expected_text(), encoding="utf-8")
    load_content(ROOT / "content", ROOT / "knowledge")  # fails loudly if the file is broken
    print(f"{target.relative_to(ROOT)} geschrieben")
