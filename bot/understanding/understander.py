"""`Understander`: reads a whole message for its intent and every slot it carries."""

from __future__ import annotations

from bot.content.loader import Content
from bot.content.schema import Step
from bot.matching.facts import travel_km
from bot.matching.interests import InterestMatcher
from bot.matching.normalize import content_words, fold
from bot.matching.options import pick_all
from bot.matching.places import FILLERS, PlaceResolver
from bot.understanding import cues, slots
from bot.understanding.intents import IntentModel
from bot.understanding.reading import Reading

NEED_HELP = "need_help"
MAX_LENGTH = 1000  # characters read from one message
ONLY_SLOTS_WORDS = 6  # a message of more words says more than where and when


def _choices(step: Step | None) -> list[tuple[str, list[str]]]:
    """(value, names) of a step's options: the value itself and its synonyms."""
    if step is None:
        return []
    return [(o.value, [o.value, *o.synonyms]) for o in step.options if o.value]


def _step_of_kind(content: Content, save: str) -> Step | None:
    """The step that saves this answer (time_kind, time_slots, help_kind) – by what it saves,
    so renamed steps still work."""
    for step in content.dialog.steps.values():
        if step.save == save and step.options:
            return step
    return None


class Understander:
    """Reads messages; build once per content version, then `read` is cheap (a few ms).

    `interests` / `places`: matchers already built for the same content (the dialogue's),
    so they are not built twice."""

    def __init__(
        self,
        content: Content,
        interests: InterestMatcher | None = None,
        places: PlaceResolver | None = None,
    ) -> None:
        self.content = content
        self.interests = interests or InterestMatcher(content.taxonomy)
        self.places = slots.PlaceScanner(places or PlaceResolver(content.places))
        start = content.dialog.steps.get(content.dialog.start)
        self.intents = IntentModel(
            start.options if start else [], content.intent_examples, content.intent_cues
        )
        self._time_kind = _choices(_step_of_kind(content, "time_kind"))
        self._time_slots = _choices(_step_of_kind(content, "time_slots"))
        self._help_kind = _choices(_step_of_kind(content, "help_kind"))
        self._navigation = dict(content.dialog.navigation)
        # Words that say what someone wants ("Veranstaltungen", "Idee"), not in what area
        self._menu_words = {
            fold(word)
            for option in (start.options if start else [])
            for word in option.synonyms
            if " " not in fold(word)
        }

    def built_from(self, content: Content) -> bool:
        """Whether this reads `content` as a fresh one would: the intents' examples, the
        dialogue, taxonomy and places are the same (only offers or texts changed)."""
        return (
            content.intent_examples == self.content.intent_examples
            and content.intent_cues == self.content.intent_cues
            and content.dialog == self.content.dialog
            and content.taxonomy == self.content.taxonomy
            and content.places == self.content.places
        )

    @property
    def ready(self) -> bool:
        return self.intents.ready

    def prepare(self) -> None:
        """Let the intent classifier learn now (e.g. in a worker thread at start-up)."""
        self.intents.prepare()

    def read(self, text: str) -> Reading:
        text = text[:MAX_LENGTH]
        place, where = self.places.find(text)
        # The place's own words are no interest ("Sportplatz Krostitz" → sport, not more).
        rest = text if where is None else f"{text[: where[0]]} {text[where[1] :]}"
        rest = " ".join(w for w in rest.split() if fold(w) not in self._menu_words)
        found = self.interests.classify(rest)
        top = self.interests.confident_ids(found, limit=3)
        guess = self.intents.guess(text, top, bool(top) and self._only_slots(rest))
        intent = guess.intent
        if intent == NEED_HELP:  # what someone needs is no area they want to help in
            top = []
        subtopics = tuple(s.subtopic for s in found if s.id in top and s.subtopic)
        return Reading(
            text=text,
            intent=intent,
            intent_score=guess.score,
            interests=tuple(top),
            subtopics=subtopics,
            place=place,
            max_km=travel_km(text, self.content.dialog.travel),
            time_kind=cues.time_kind(text, self._time_kind) if self._time_kind else None,
            time_slots=cues.time_slots(text, self._time_slots) if self._time_slots else (),
            yes_no=cues.yes_no(text),
            ordinal=cues.ordinal(text),
            navigation=cues.navigation(text, self._navigation),
            is_question=cues.is_question(text),
            language=cues.language(text),
            help_kind=self._help(text) if intent == NEED_HELP else None,
            for_whom=slots.for_whom(text) if intent == NEED_HELP else None,
            when=slots.when(text) if intent == NEED_HELP else None,
        )

    def _only_slots(self, text: str) -> bool:
        """Every word names an interest, a place or a time ("Feuerwehr, Krostitz, abends")."""
        words = [w for w in content_words(text) if fold(w) not in FILLERS]
        if len(words) > ONLY_SLOTS_WORDS:
            return False
        return all(
            self.interests.is_confident(self.interests.classify(word))
            or cues.time_slots(word, self._time_slots)
            or cues.time_kind(word, self._time_kind)
            for word in words
        )

    def _help(self, text: str) -> str | None:
        named = pick_all(text, self._help_kind)
        return named[0] if named else None

    def intent_scores(self, text: str) -> dict[str, float]:
        """Every class's score, for `lotse understand` and tuning."""
        found = self.interests.classify(text)
        return self.intents.scores(text, self.interests.confident_ids(found, limit=3))
