"""Answer a typed question from the knowledge base (fuzzy, German-aware).

Each entry is described by the words of its phrasings and keywords (strong) and of its
answer (weak). A question scores by how much of it an entry covers, each word weighted
by how rare it is across entries (so "Führungszeugnis" counts more than "Ehrenamt"),
plus how close it comes to one of the entry's phrasings as a whole. Typos and compounds
match approximately. The bot answers only when the best entry is clearly ahead.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.content.schema import FaqEntry
from bot.matching.normalize import content_words, fold, lemma_forms

SURE = 0.50  # below this the bot says it is not sure (and offers a human)
MARGIN = 0.06  # …and also when the runner-up is this close
ANSWER_WEIGHT = 0.4  # a word found only in the answer counts this much


@dataclass(frozen=True)
class FaqHit:
    entry: FaqEntry
    score: float


def _forms(text: str) -> list[set[str]]:
    return [set(lemma_forms(word)) for word in content_words(text)]


class FaqMatcher:
    def __init__(self, entries: list[FaqEntry]) -> None:
        self._entries = entries
        self._asked: list[set[str]] = []
        self._told: list[set[str]] = []
        self._phrasings: list[list[str]] = []
        frequency: Counter[str] = Counter()
        for entry in entries:
            texts = [*entry.questions, *entry.keywords]
            asked = {f for text in texts for forms in _forms(text) for f in forms}
            told = {f for forms in _forms(entry.answer) for f in forms} - asked
            self._asked.append(asked)
            self._told.append(told)
            self._phrasings.append(
                [" ".join(fold(w) for w in content_words(q)) for q in entry.questions]
            )
            frequency.update(asked | told)
        count = len(entries) or 1
        self._idf = {term: math.log((count + 1) / (n + 0.5)) for term, n in frequency.items()}
        self._vocabulary = [term for term in self._idf if len(term) >= 5]
        self._unknown_weight = math.log(count + 1) * 0.25

    def rank(self, text: str, limit: int = 3) -> list[FaqHit]:
        """The best entries with their scores (0–1), also below the threshold."""
        words = [self._with_typos(forms) for forms in _forms(text)]
        if not words or not self._entries:
            return []
        weights = [
            max((self._idf.get(f, 0.0) for f in forms), default=0.0) or self._unknown_weight
            for forms in words
        ]
        total = sum(weights)
        query = " ".join(fold(w) for w in content_words(text))
        hits = []
        for index, entry in enumerate(self._entries):
            covered = sum(
                w * self._match(forms, index) for forms, w in zip(words, weights, strict=True)
            )
            phrasing = (
                max((fuzz.token_sort_ratio(query, p) for p in self._phrasings[index]), default=0.0)
                / 100
            )
            hits.append(FaqHit(entry, round(0.7 * covered / total + 0.3 * phrasing, 3)))
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit]

    def answer(self, text: str) -> FaqHit | None:
        """The entry that answers the question, or None when the bot is not sure."""
        ranked = self.rank(text, limit=2)
        if not ranked or ranked[0].score < SURE:
            return None
        # A near-complete match may be closer to its runner-up than a partial one.
        margin = MARGIN / 2 if ranked[0].score >= 0.9 else MARGIN
        if len(ranked) > 1 and ranked[0].score - ranked[1].score < margin:
            return None
        return ranked[0]

    def related(self, entry: FaqEntry) -> list[FaqEntry]:
        by_id = {e.id: e for e in self._entries}
        return [by_id[i] for i in entry.related if i in by_id]

    def _with_typos(self, forms: set[str]) -> set[str]:
        """Add the vocabulary word a typo most likely means ("Fürungszeugnis")."""
        if forms & self._idf.keys():
            return forms
        longest = max(forms, key=len)
        if len(longest) < 5:
            return forms
        found = process.extractOne(longest, self._vocabulary, scorer=fuzz.ratio, score_cutoff=84)
        return forms | {found[0]} if found else forms

    def _match(self, forms: set[str], index: int) -> float:
        if forms & self._asked[index]:
            return 1.0
        if forms & self._told[index]:
            return ANSWER_WEIGHT
        # Compounds: "Ehrenamtspauschale" holds "pauschale", "Unfallversicherung" "unfall".
        for form in forms:
            if len(form) >= 8 and any(len(t) >= 5 and t in form for t in self._asked[index]):
                return 0.7
        return 0.0
