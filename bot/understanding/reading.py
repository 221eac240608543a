"""`Reading`: what one message says, as plain values (no channel, no dialogue state)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from bot.matching.places import Place

YesNo = Literal["yes", "no"]
Navigation = Literal["back", "restart", "help", "greeting"]
Language = Literal["de", "en"]


@dataclass(frozen=True)
class Reading:
    """Everything read from one message; None / () where the message says nothing."""

    text: str
    intent: str | None = None  # value of a start-menu option in dialog.yaml
    intent_score: float = 0.0  # classifier margin plus cue bonus; > 0 is a decision
    interests: tuple[str, ...] = ()  # taxonomy top-level ids, best first
    subtopics: tuple[str, ...] = ()  # sub-topic ids behind them, where one was named
    # per interest, the (folded) words it was read from; () for one a rule added
    interest_words: tuple[tuple[str, ...], ...] = ()
    place: Place | None = None  # resolved place (in the region or a neighbouring town)
    max_km: float | None = None  # how far the person can travel
    time_kind: str | None = None  # time_kind option value: once / regular / any
    time_slots: tuple[str, ...] = ()  # time_slots option values: weekday/evening/weekend/any
    time_days: tuple[int, ...] = ()  # weekdays named, 0 = Monday ("samstags" → 5)
    time_parts: tuple[str, ...] = ()  # morning/afternoon/evening named ("vormittags")
    yes_no: YesNo | None = None
    ordinal: int | None = None  # 1 = first item; -1 = the last one
    navigation: Navigation | None = None
    is_question: bool = False  # looks like a question for the FAQ
    language: Language | None = None  # clearly English / clearly German; None when unsure
    help_kind: str | None = None  # need_help option value (company, errands, lifts, …)
    for_whom: str | None = None  # need-help: "meine Nachbarin", "my mother"
    when: str | None = None  # need-help: "morgen", "nächste Woche", "Dienstag"

    @property
    def place_name(self) -> str | None:
        return self.place.name if self.place else None

    def as_json(self) -> dict[str, Any]:
        """Plain values for `lotse understand --json`; the place by its official name."""
        data = asdict(self)
        data.pop("text")
        data["place"] = self.place_name
        data["gemeinde"] = self.place.gemeinde if self.place else None
        data["interests"] = list(self.interests)
        data["subtopics"] = list(self.subtopics)
        data["interest_words"] = [list(words) for words in self.interest_words]
        data["time_slots"] = list(self.time_slots)
        data["time_days"] = list(self.time_days)
        data["time_parts"] = list(self.time_parts)
        data["intent_score"] = round(self.intent_score, 3)
        return data
