"""Small facts people mention in passing: how far they can travel, hours per week."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.content.schema import TravelRule
from bot.text import fold

_KM = re.compile(r"(\d{1,3}(?:[.,]\d)?)\s*(?:km|kilometer)", re.IGNORECASE)
_HOURS = re.compile(r"(\d{1,2})(?:\s*(?:-|–|bis)\s*(\d{1,2}))?\s*(?:h\b|std|stunde)", re.IGNORECASE)


def travel_km(text: str, rules: Sequence[TravelRule]) -> float | None:
    """'bis 10 km' → 10; 'ohne Auto' → the distance the content gives for it."""
    if found := _KM.search(text):
        return max(1.0, float(found.group(1).replace(",", ".")))
    padded = f" {fold(text)} "
    for rule in rules:
        if any(f" {fold(word)} " in padded for word in rule.synonyms):
            return rule.max_km
    return None


def hours_per_week(text: str) -> float | None:
    """'2-3 Stunden' → 3, '4 Std. die Woche' → 4."""
    if found := _HOURS.search(text):
        return float(found.group(2) or found.group(1))
    return None


def extract(facts: Sequence[str], text: str, rules: Sequence[TravelRule]) -> dict[str, float]:
    found: dict[str, float] = {}
    if "travel" in facts and (km := travel_km(text, rules)) is not None:
        found["max_km"] = km
    if "hours" in facts and (hours := hours_per_week(text)) is not None:
        found["hours_per_week"] = hours
    return found
