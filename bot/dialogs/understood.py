"""What a whole message says, kept in the conversation: slots filled, one line confirms.

The understanding pass (bot/understanding) reads every typed message for everything it
carries. This module puts those slots where the dialogue's steps save their answers (so a
step whose answer is known is not asked: see `answered`), and says in one short line what
was taken ("Verstanden: Feuerwehr & Rettung · 📍 Kletzen (Krostitz) · Vormittags").

The slot names are the `save` names of content/dialog.yaml's steps (the stable contract of
`lotse understand`): interests, place, max_km, time_kind, time_slots, help_kind. With the
slots go the days and parts of the day named (time_days, time_parts), for the ranking only;
`profile_from` turns what is kept into what the offers are ranked for.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Any

from bot.content.schema import Step
from bot.content.times import PARTS
from bot.dialogs.offer_lines import time_words
from bot.dialogs.turn import Turn
from bot.matching.ranking import DEFAULT_MAX_KM, Profile
from bot.understanding import Reading

SLOTS = ("interests", "place", "max_km", "time_kind", "time_slots", "help_kind")
SKIPPABLE_KINDS = ("interests", "place", "choice")  # steps that only collect a slot
HELP_TEXT = "help_text"  # a need-help request in the person's words, for the Lotse
MAX_HELP_TEXT = 1000
HELP_WORDS = 4  # a typed sentence of at least this many words is kept for the Lotse
KEPT_FOR_A_NEW_REQUEST = ("place", "max_km")  # where the person lives does not change
NEED_HELP = "need_help"  # the start menu's value for people who need help


def snapshot(answers: dict[str, Any]) -> dict[str, Any]:
    return {slot: copy.deepcopy(answers.get(slot)) for slot in SLOTS}


def store(turn: Turn, reading: Reading, skip: str | None = None) -> None:
    """Keep every slot the message carries, except `skip` (the current step's own answer,
    which its step reads with more care: ambiguous places, area buttons …)."""
    if reading.text.strip().isdigit():  # a number chooses a button; it says nothing more
        return
    from_reading = values(reading)
    if skip == "interests":
        from_reading.pop("subtopics", None)
    if "place" not in from_reading and skip != "place":  # "mit dem Bus zum Bahnhof?"
        from_reading.pop("max_km", None)
    if from_reading.get("time_kind") == "any":  # "weiß nicht" answers the question asked
        from_reading.pop("time_kind")
    for slot, value in from_reading.items():
        if slot != skip:
            turn.state.answers[slot] = value


def fill(turn: Turn, reading: Reading, slot: str | None) -> bool:
    """The current step's own answer from the reading, when its step did not get it."""
    value = values(reading).get(slot or "")
    if value is None:
        return False
    turn.state.answers[slot or ""] = value
    if slot == "interests":
        turn.state.answers["subtopics"] = list(reading.subtopics)
    return True


def values(reading: Reading) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if reading.interests:
        found["interests"] = list(reading.interests)
        found["subtopics"] = list(reading.subtopics)
    if reading.place is not None:
        found["place"] = place_to_dict(reading.place)
    if reading.max_km:
        found["max_km"] = reading.max_km
    if reading.time_kind:
        found["time_kind"] = reading.time_kind
    if reading.time_slots:
        found["time_slots"] = list(reading.time_slots)
        # finer, and replaced with the slots: "samstags vormittags" after "abends"
        found["time_days"] = list(reading.time_days)
        found["time_parts"] = list(reading.time_parts)
    if reading.help_kind:
        found["help_kind"] = reading.help_kind
    return found


def keep_help_words(turn: Turn, step: Step | None, text: str) -> None:
    """On the way to a need-help request, what the person types about what, for whom and
    when goes to the Lotse in their own words (only with their consent, with the lead).
    `step` None: the first message that asked for help."""
    answers = turn.state.answers
    on_the_way = step is None or (
        step.kind in SKIPPABLE_KINDS and (HELP_TEXT in answers or step.save == "help_kind")
    )
    if not on_the_way:
        return
    if len(text.split()) < HELP_WORDS:  # "Einkauf", "keine Eile": the buttons' answers
        return
    words = " / ".join(filter(None, [answers.get(HELP_TEXT), text]))
    answers[HELP_TEXT] = words[:MAX_HELP_TEXT]


def answered(turn: Turn, step: Step) -> bool:
    """A step that only collects a slot the person has already given."""
    if step.kind not in SKIPPABLE_KINDS or not step.save:
        return False
    return step.save in SLOTS and turn.state.answers.get(step.save) not in (None, "", [], {})


def summary(turn: Turn, before: dict[str, Any], quiet: str | None = None) -> str | None:
    """'Verstanden: …' for every slot this message set or changed; None when none did.
    `quiet`: a slot not worth confirming alone (the plain answer to a choice question)."""
    after = snapshot(turn.state.answers)
    changed = [s for s in SLOTS if after[s] not in (None, "", [], {}) and after[s] != before[s]]
    if changed == [quiet]:
        return None
    items = [label for slot in changed for label in [_label(turn, slot, after[slot])] if label]
    return turn.t("understood", items=" · ".join(items)) if items else None


def restated(turn: Turn, reading: Reading) -> str | None:
    """'Das habe ich schon so: …' when the message names slots, all as they are kept (said
    again at the offers); None when it names none or changes one."""
    said = values(reading)
    said.pop("subtopics", None)
    kept = turn.state.answers
    items = []
    for slot, value in said.items():
        if slot not in SLOTS:
            continue
        if not _same(slot, value, kept.get(slot)):
            return None
        items.append(_label(turn, slot, value))
    labels = [item for item in items if item]
    return turn.t("understood_again", items=" · ".join(labels)) if labels else None


def _same(slot: str, said: Any, kept: Any) -> bool:
    if slot == "place":
        return isinstance(kept, dict) and kept.get("name") == said.get("name")
    if isinstance(said, list):
        return isinstance(kept, list) and set(said) <= set(kept)
    return said == kept


def _label(turn: Turn, slot: str, value: Any) -> str:
    if slot == "interests":
        return ", ".join(turn.interest_label(i) for i in value)
    if slot == "place":
        # a place beyond the border is said to be one, as the place step says it
        key = "place_understood_outside" if value.get("level") == "outside" else "place_understood"
        return turn.t(key, place=value.get("label") or value.get("name"))
    if slot == "max_km":
        return turn.t("understood_km", km=f"{value:g}")
    if slot == "time_slots" and (days_and_parts := _days_and_parts(turn, value)):
        return days_and_parts
    labels = _option_labels(turn, slot)
    chosen = value if isinstance(value, list) else [value]
    return ", ".join(labels.get(v, v) for v in chosen)


def _days_and_parts(turn: Turn, slots: list[str]) -> str:
    """'Freitags und samstags abends' for "Freitag- oder Samstagabend", as the offers step
    says the person's time, where the message named days; '' where it named none ("abends",
    "vormittags": the slot's own label says it)."""
    kept = profile_from(turn.state.answers, turn.today())
    if not kept.days:
        return ""
    words = time_words(turn, dataclasses.replace(kept, slots=frozenset(slots)).when)
    return words[:1].upper() + words[1:]


def _option_labels(turn: Turn, slot: str) -> dict[str, str]:
    for step in turn.content.dialog.steps.values():
        if step.save == slot and step.options:
            return {o.value or o.label: turn.t(o.label) for o in step.options}
    return {}


def profile_from(answers: dict, today: dt.date) -> Profile:
    """The slots kept in the conversation as what the offers are ranked for."""
    place = answers.get("place") or {}
    kind = answers.get("time_kind")
    slots = answers.get("time_slots") or []
    slots = [slots] if isinstance(slots, str) else slots
    return Profile(
        interests=tuple(answers.get("interests", [])) + tuple(answers.get("subtopics", [])),
        lat=place.get("lat"),
        lon=place.get("lon"),
        max_km=answers.get("max_km") or DEFAULT_MAX_KM,
        hours_per_week=answers.get("hours_per_week"),
        time_kind=kind if kind in ("once", "regular") else None,
        slots=frozenset(s for s in slots if s in ("weekday", "evening", "weekend")),
        today=today,
        days=frozenset(d for d in answers.get("time_days") or [] if d in range(7)),
        parts=frozenset(p for p in answers.get("time_parts") or [] if p in PARTS),
    )


def place_to_dict(place: Any) -> dict[str, Any]:
    return {
        "name": place.name,
        "gemeinde": place.gemeinde,
        "lat": place.lat,
        "lon": place.lon,
        "level": place.level,
        "label": place.label,
    }
