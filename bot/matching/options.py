"""Typed answers to buttons: "1", "ja", "Abends" or "wochenende" press the right button."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.ids import parse_id
from bot.text import fold

MIN_SCORE = 80


def pick(text: str, choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The value whose label or synonym the text names; None when unclear.

    `choices` are (value, names) in button order; a number picks by position.
    """
    typed = fold(text)
    if not typed:
        return None
    if typed.isdigit():  # also "²" or 5,000 digits: a number, but none of a button
        index = (parse_id(typed) or 0) - 1
        return choices[index][0] if 0 <= index < len(choices) else None
    scored: dict[str, float] = {}
    for value, names in choices:
        for name in names:
            score = _score(typed, fold(name))
            if score > scored.get(value, 0):
                scored[value] = score
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda item: -item[1])
    best_value, best = ranked[0]
    if best < MIN_SCORE or (len(ranked) > 1 and ranked[1][1] == best):
        return None
    return best_value


def pick_all(text: str, choices: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Every value named somewhere in the text ("abends und am Wochenende")."""
    typed = fold(text)
    found = []
    for value, names in choices:
        for name in names:
            folded = fold(name)
            if folded and (
                f" {folded} " in f" {typed} "
                or any(len(word) >= 5 and fuzz.ratio(word, folded) >= 85 for word in typed.split())
            ):
                found.append(value)
                break
    return found


def _score(typed: str, name: str) -> float:
    if not name:
        return 0
    if typed == name:
        return 100
    words = name.split()
    if typed in words or (len(typed) >= 3 and name.startswith(typed)):
        return 90
    return max(fuzz.ratio(typed, name), fuzz.ratio(typed, words[0]) - 5 if len(typed) >= 4 else 0)
