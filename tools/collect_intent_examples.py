"""Write content/intents-collected.yaml from the development sets (tests/data/openers_dev*).

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
from bot.evaluation.examples import collected_examples, render  # noqa: E402

DATA = ROOT / "tests" / "data"


def dev_sets() -> list[Path]:
    return sorted(DATA.glob("openers_dev*.yaml"), key=_number)


def independent_sets() -> list[Path]:
    return sorted(set(DATA.glob("openers_*.yaml")) - set(dev_sets()))


def expected_text() -> str:
    """What the file should hold for the sets and intents.yaml of this checkout."""
    own = yaml.safe_load((ROOT / "content" / INTENTS).read_text(encoding="utf-8"))
    examples = own.get("examples") or {}
    collected = collected_examples(dev_sets(), independent_sets(), examples)
    return render(collected, examples)


def _number(path: Path) -> int:
    """openers_dev.yaml first, then dev3, dev4 … dev14 in their order."""
    digits = path.stem.removeprefix("openers_dev")
    return int(digits) if digits.isdigit() else 0


if __name__ == "__main__":
    target = ROOT / "content" / COLLECTED_INTENTS
    target.write_text(expected_text(), encoding="utf-8")
    load_content(ROOT / "content", ROOT / "knowledge")  # fails loudly if the file is broken
    print(f"{target.relative_to(ROOT)} geschrieben")
