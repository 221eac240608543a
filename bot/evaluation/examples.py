"""Development sets as intent examples (content/intents-collected.yaml).

The labelled development sets (tests/data/openers_dev*.yaml) were written by people apart
from the code, like the independent sets; learnt as examples they teach the intent
classifier how varied first messages are (pooled independent sets: intent 94.1 % → 96.7 %,
docs/understanding.md, round 14). A development sentence that also stands in an independent
set is left out, so that no independent set is ever learnt from; one that intents.yaml
already holds, or an earlier development set, is left out too.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.content.schema import NO_INTENT
from bot.text import fold

HEADER = """\
# Gesammelte Beispiel-Nachrichten – wie content/intents.yaml, aber erzeugt, nicht von Hand.
#
# Menschen, die den Code nicht kannten, haben erste Nachrichten an den Bot geschrieben und
# jeweils angegeben, was sie wollten (tests/data/openers_dev*.yaml, die Entwicklungs-Sätze).
# Der Bot lernt aus ihnen zusätzlich zu intents.yaml, was jemand mit seiner ersten Nachricht
# möchte. Sätze, die auch in einem unabhängigen Prüf-Satz (tests/data/openers_*.yaml ohne
# "dev") stehen, fehlen hier: aus denen lernt der Bot nie.
#
# Bitte nicht von Hand ändern: eigene Beispiele gehören in intents.yaml. Neu erzeugen mit
#   python tools/collect_intent_examples.py
# (ein Test prüft, dass die Datei zu den Entwicklungs-Sätzen passt).
"""


def development_sets(data: Path) -> list[Path]:
    """The development sets in `data` (tests/data): openers_dev.yaml, then dev3, dev4 … in
    their order."""
    return sorted(data.glob("openers_dev*.yaml"), key=_number)


# Development sets that teach the order of areas (tools/learn_area_words.py) but are no
# intent examples: learnt as examples, dev17 made the intents of the pooled independent sets
# worse (97.05 → 96.96 %, +16 −21) and two sets fall below 95 %, dev18 likewise (97.03 →
# 96.95 %, +19 −24; docs/understanding.md, rounds 16 and 17), dev20 took blind20 and
# blind28 below 95 %, dev22 blind28 (round 19). A set is learnt as examples only where that
# helps.
NO_INTENT_EXAMPLES = frozenset(
    {"openers_dev17.yaml", "openers_dev18.yaml", "openers_dev20.yaml", "openers_dev22.yaml"}
)


def intent_example_sets(data: Path) -> list[Path]:
    """The development sets whose sentences are intent examples, in their order."""
    return [path for path in development_sets(data) if path.name not in NO_INTENT_EXAMPLES]


def independent_sets(data: Path) -> list[Path]:
    """Every other openers set in `data`: never learnt from."""
    return sorted(set(data.glob("openers_*.yaml")) - set(development_sets(data)))


def _number(path: Path) -> int:
    digits = path.stem.removeprefix("openers_dev")
    return int(digits) if digits.isdigit() else 0


def collected_examples(
    dev_sets: Iterable[Path], independent_sets: Iterable[Path], own: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Per intent (or "none"), the development sets' texts in file order, without those of
    the independent sets, of `own` (intents.yaml's examples) or seen before."""
    seen = {fold(text) for path in independent_sets for text in _texts(path)}
    seen |= {fold(text) for texts in own.values() for text in texts}
    collected: dict[str, list[str]] = {}
    for path in dev_sets:
        for case in opener_cases(path):
            text = str(case["text"])
            if fold(text) in seen or not text.strip():
                continue
            seen.add(fold(text))
            collected.setdefault(case.get("intent") or NO_INTENT, []).append(text)
    return collected


def render(collected: dict[str, list[str]], order: Iterable[str]) -> str:
    """The file's text: the header, then each intent's examples as quoted YAML strings."""
    keys = [key for key in order if key in collected]
    keys += [key for key in collected if key not in keys]
    lines = [HEADER + "examples:"]
    for key in keys:
        lines.append(f"  {key}:")
        lines += [f"    - {quoted(text)}" for text in collected[key]]
    return "\n".join(lines) + "\n"


def quoted(text: str) -> str:
    """One line, double-quoted (YAML's escapes), whatever the text holds."""
    dumped = yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10**6)
    return dumped.strip().removesuffix("\n...").strip()


def opener_cases(path: Path) -> list[dict]:
    """The cases of an openers file (`openers:`), as written."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["openers"])


def _texts(path: Path) -> list[str]:
    return [str(case["text"]) for case in opener_cases(path)]
