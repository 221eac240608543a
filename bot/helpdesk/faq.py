"""Answer a typed question from the knowledge base (fuzzy, German-aware)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.content.schema import FaqEntry
from bot.matching.normalize import content_words, fold

MIN_SCORE = 62.0


@dataclass(frozen=True)
class FaqHit:
    entry: FaqEntry
    score: float


class FaqMatcher:
    def __init__(self, entries: list[FaqEntry]) -> None:
        self._entries = entries
        self._phrasings = [(entry, _key(q)) for entry in entries for q in entry.questions]

    def answer(self, text: str) -> FaqHit | None:
        key = _key(text)
        if not key:
            return None
        best: FaqHit | None = None
        for entry, phrasing in self._phrasings:
            score = 0.6 * fuzz.token_set_ratio(key, phrasing) + 0.4 * fuzz.ratio(key, phrasing)
            if best is None or score > best.score:
                best = FaqHit(entry, score)
        return best if best and best.score >= MIN_SCORE else None

    def rank(self, text: str, limit: int = 3) -> list[FaqHit]:
        """The best entries with their scores, also below the threshold (for `lotse ask`)."""
        key = _key(text)
        if not key:
            return []
        best: dict[str, FaqHit] = {}
        for entry, phrasing in self._phrasings:
            score = 0.6 * fuzz.token_set_ratio(key, phrasing) + 0.4 * fuzz.ratio(key, phrasing)
            if entry.id not in best or score > best[entry.id].score:
                best[entry.id] = FaqHit(entry, round(score, 1))
        return sorted(best.values(), key=lambda hit: -hit.score)[:limit]

    def related(self, entry: FaqEntry) -> list[FaqEntry]:
        by_id = {e.id: e for e in self._entries}
        return [by_id[i] for i in entry.related if i in by_id]


def _key(text: str) -> str:
    return " ".join(fold(w) for w in content_words(text))
