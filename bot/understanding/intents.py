"""What a person wants, learnt from example first messages (content/intents.yaml).

The FAQ's classifier (bot/helpdesk/classifier.py: letter sequences, TF-IDF, linear SVM)
learns one class per start-menu option and one for messages that want none of them
("hallo", "ok danke"). Its scores are combined with the menu options' synonyms in
content/dialog.yaml, which count as strong cues, and with interests found in the message
(someone who names "Feuerwehr" and nothing else wants to help there).

The classifier learns on the first message (well under a second), or earlier in a worker
thread via `prepare` (see `DialogEngine.keep_faq_ready` for the FAQ's).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from bot.content.schema import NO_INTENT, Option
from bot.helpdesk.classifier import QuestionClassifier
from bot.text import fold
from bot.understanding import cues

# Chosen by 5-fold cross-validation on content/intents.yaml examples; re-checked with 968
# examples (89.2 % right, the classifier alone 86.2 %; no other weights clearly better).
# Since the development sets are learnt too (intents-collected.yaml), the classifier knows
# the menu's words itself: leaving one development set out at a time, CUE 0.4 → 0.2 reads
# 96.53 % → 96.69 % right (0.0–0.2 alike); the other weights stay best where they are.
CUE = 0.2  # a menu synonym in the message
PATTERN = 0.8  # a signal phrase of intents.yaml `cues:` (each one found)
INTEREST_CUE = 0.0  # an interest named, for "volunteer"
ONLY_SLOTS = 0.5  # nothing but interests, place and times named, for "volunteer"
DIRECTION = 1.0  # someone is to help the writer (need_help) / the writer helps others
MIN_SCORE = -0.6  # below this, no intent (the message wants nothing we offer)
# Passes of the classifier over the examples. With five (the FAQ's), the model of ten
# thousand examples is not settled: taking two examples out changed 52 readings of the
# pooled independent sets, half better, half worse. With ten, 4 (and 97.0 % right either
# way), for 0.2 s more learning at the first message (docs/understanding.md, round 17).
EPOCHS = 10
VOLUNTEER = "volunteer"
NEED_HELP = "need_help"
VEREIN = "verein"
IDEA = "idea"
EVENTS = "events"
QUESTION = "question"


@dataclass(frozen=True)
class IntentGuess:
    intent: str | None
    score: float


class IntentModel:
    """Scores a message for each start-menu option; `guess` picks one or none."""

    def __init__(
        self,
        options: Sequence[Option],
        examples: dict[str, list[str]],
        cues: dict[str, list[str]] | None = None,
    ) -> None:
        self.values = [o.value for o in options if o.value]
        self._synonyms = {
            o.value: [fold(s) for s in o.synonyms if fold(s)] for o in options if o.value
        }
        self._patterns = {
            value: [p for p in map(_pattern, (cues or {}).get(value, [])) if p]
            for value in self.values
        }
        self._classes = [*self.values, NO_INTENT]
        self._texts: list[str] = []
        self._labels: list[int] = []
        for key, texts in examples.items():
            if key in self._classes:
                self._texts += texts
                self._labels += [self._classes.index(key)] * len(texts)
        self._classifier: QuestionClassifier | None = None
        self._training = threading.Lock()

    @property
    def learnt(self) -> bool:
        """Whether there are examples to learn from (else synonyms alone decide)."""
        return len(set(self._labels)) >= 2

    @property
    def ready(self) -> bool:
        return self._classifier is not None or not self.learnt

    def prepare(self) -> None:
        """Learn from the examples now (thread-safe; a no-op when done or nothing to learn)."""
        if not self.learnt:
            return
        with self._training:
            if self._classifier is None:
                self._classifier = QuestionClassifier(
                    self._texts, self._labels, len(self._classes), EPOCHS
                )

    def scores(
        self, text: str, interests: Sequence[str] = (), only_slots: bool = False
    ) -> dict[str, float]:
        """Per class (option value or 'none'): classifier margin plus cue bonuses."""
        if self.learnt:
            self.prepare()
            assert self._classifier is not None
            raw = self._classifier.scores(text)
        else:
            raw = np.zeros(len(self._classes), dtype=np.float32)
            raw[-1] = CUE / 2  # no examples: "none" unless a synonym or signal phrase speaks
        scores = {value: float(raw[i]) for i, value in enumerate(self._classes)}
        folded = fold(text)
        padded = f" {folded} "
        other_signal = False  # a signal phrase of another option ("kann mir jemand")
        for value, synonyms in self._synonyms.items():
            scores[value] += CUE * _cue(folded, synonyms)
            found = sum(1 for p in self._patterns[value] if p.search(padded))
            scores[value] += PATTERN * found
            other_signal |= bool(found) and value != VOLUNTEER
        way = cues.direction(text)
        if way == "receiver" and NEED_HELP in scores:
            scores[NEED_HELP] += DIRECTION
            scores[VOLUNTEER] = scores.get(VOLUNTEER, 0.0) - DIRECTION / 2
        elif way == "doer" and VOLUNTEER in scores:
            # founding something for others ("eine Laufgruppe für Frauen gründen") is an idea
            scores[VOLUNTEER] += 0.0 if cues.starts_own_project(text) else DIRECTION
            scores[NEED_HELP] = scores.get(NEED_HELP, 0.0) - DIRECTION / 2
        if cues.offers_help(text) and VOLUNTEER in scores:  # "wer braucht meine Hilfe?"
            scores[VOLUNTEER] += DIRECTION
            scores[NEED_HELP] = scores.get(NEED_HELP, 0.0) - DIRECTION
        if cues.organisation_needs(text) and VEREIN in scores:  # "Der Angelverein braucht …"
            scores[VEREIN] += DIRECTION
            scores[NEED_HELP] = scores.get(NEED_HELP, 0.0) - DIRECTION
        if cues.speaks_for_organisation(text) and VEREIN in scores:  # "Kassenwart vom …"
            scores[VEREIN] += DIRECTION
        elif (cues.seeks_a_club(text) or cues.asks_if_wanted(text)) and VEREIN in scores:
            scores[VEREIN] -= DIRECTION  # "Trainerin sucht Verein", "Braucht ihr noch Helfer?"
        if cues.own_group(text) and VOLUNTEER in scores:  # friends or colleagues, no Verein
            scores[VOLUNTEER] += DIRECTION
            scores[VEREIN] = scores.get(VEREIN, 0.0) - DIRECTION
        if cues.asks_whats_there(text):  # "Gibt es einen Lauftreff?" offers and needs nothing
            _towards_events(scores, (VOLUNTEER, NEED_HELP, VEREIN, IDEA, NO_INTENT), DIRECTION)
        elif cues.asks_whats_there_later(text):  # "Bin neu in Glesien. Gibt es Tanzabende?"
            _towards_events(scores, (VOLUNTEER, NEED_HELP, VEREIN, IDEA), DIRECTION / 2)
        if QUESTION in scores and not cues.asks_anything(text):  # a topic named, nothing asked
            scores[QUESTION] -= DIRECTION
        if QUESTION in scores and cues.asks_whom_to_ask(text):  # "Wen muss ich da fragen?"
            scores[QUESTION] -= DIRECTION
        # an advertisement ("Jetzt klicken: bit.ly/…") or a timetable question ("Wann fährt
        # der nächste Bus?") asks for nothing we offer
        if cues.advertises(text) or cues.asks_timetable(text):
            scores[NO_INTENT] += 2 * DIRECTION
        if (interests or only_slots) and VOLUNTEER in scores:
            only_slots = only_slots and not other_signal
            scores[VOLUNTEER] += ONLY_SLOTS if only_slots else INTEREST_CUE
        return scores

    def guess(
        self, text: str, interests: Sequence[str] = (), only_slots: bool = False
    ) -> IntentGuess:
        """`only_slots`: the message names nothing but interests, a place or times
        ("Feuerwehr, Krostitz, abends") – someone telling where they would like to help."""
        scores = self.scores(text, interests, only_slots)
        best = max(scores, key=lambda key: scores[key])
        if best == NO_INTENT or scores[best] < MIN_SCORE:
            return IntentGuess(None, scores[best])
        return IntentGuess(best, scores[best])


def _towards_events(scores: dict[str, float], others: Sequence[str], by: float) -> None:
    """A what's-on question: `others` lose `by`, events gains half a direction."""
    for value in others:
        if value in scores:
            scores[value] -= by
    scores[EVENTS] = scores.get(EVENTS, 0.0) + DIRECTION / 2


def _pattern(cue: str) -> re.Pattern[str] | None:
    """'unser * sucht' → words in this order, up to three words where the `*` stands."""
    parts = [
        r"(?:\S+ ){0,3}" if word == "*" else re.escape(fold(word)) + " " for word in cue.split()
    ]
    parts = [p for p in parts if p.strip() or p.startswith("(?:")]
    if not any(not p.startswith("(?:") for p in parts):
        return None
    return re.compile(" " + "".join(parts))


def _cue(folded: str, synonyms: Sequence[str]) -> float:
    """1 when a synonym stands in the message (a phrase, or a word with a small typo)."""
    padded = f" {folded} "
    words = folded.split()
    for synonym in synonyms:
        if f" {synonym} " in padded:
            return 1.0
    for synonym in synonyms:
        long_word = " " not in synonym and len(synonym) >= 6
        if long_word and any(len(w) >= 6 and fuzz.ratio(w, synonym) >= 88 for w in words):
            return 0.8
    return 0.0
