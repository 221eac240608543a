"""How often the writers named an area the bot read from a word (content/interests-learnt.yaml).

For every development sentence (tests/data/openers_dev*.yaml) the bot reads the areas as a
first message, and for each area read, each word it was read from counts once as read and,
when the writer named that area too, once as named. bot/understanding/area_order.py sorts
the areas of a message by these counts. As for intents-collected.yaml, a development
sentence that also stands in an independent set is left out, and so is a repeat.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.evaluation.examples import opener_cases, quoted
from bot.text import fold
from bot.understanding import Understander

Counts = dict[str, dict[str, list[int]]]  # word → area → [named, read]

HEADER = """\
# Gelernte Reihenfolge der Interessengebiete – erzeugt, nicht von Hand.
#
# Menschen, die den Code nicht kannten, haben erste Nachrichten an den Bot geschrieben und
# jeweils die Gebiete angegeben, die sie meinten (tests/data/openers_dev*.yaml). Hier steht
# für jedes Wort, aus dem der Bot ein Gebiet gelesen hat: [wie oft die Schreibenden dieses
# Gebiet auch genannt haben, wie oft der Bot es gelesen hat]. Nennt eine Nachricht mehrere
# Gebiete, kommt zuerst, was die Schreibenden bei diesen Wörtern meistens meinten
# (bot/understanding/area_order.py). Welche Gebiete gelesen werden, ändert sich nicht.
#
# Bitte nicht von Hand ändern; neu erzeugen mit
#   python tools/learn_area_words.py
# (ein Test prüft, dass die Datei zum Code und zu den Entwicklungs-Sätzen passt).
"""


def counted(
    dev_sets: Iterable[Path], independent_sets: Iterable[Path], reader: Understander
) -> Counts:
    seen = {fold(str(case["text"])) for path in independent_sets for case in opener_cases(path)}
    counts: Counts = {}
    for path in dev_sets:
        for case in opener_cases(path):
            text = str(case["text"])
            if fold(text) in seen:
                continue
            seen.add(fold(text))
            named = set(case.get("interests") or [])
            reading = reader.read(text)
            for area, words in zip(reading.interests, reading.interest_words, strict=True):
                for word in words:
                    pair = counts.setdefault(word, {}).setdefault(area, [0, 0])
                    pair[0] += area in named
                    pair[1] += 1
    return counts


def render(counts: Counts) -> str:
    """The file's text: the header, then one line per word, in alphabetical order."""
    lines = [HEADER + "words:"]
    for word in sorted(counts):
        areas = ", ".join(f"{area}: [{n}, {r}]" for area, (n, r) in sorted(counts[word].items()))
        lines.append(f"  {quoted(word)}: {{{areas}}}")
    return "\n".join(lines) + "\n"
