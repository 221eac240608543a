"""The answers of a conversation in the content's words, for /meine_daten: 'Art der Hilfe:
🚗 Fahrten, z. B. zum Arzt' instead of the stored 'help_kind: lifts'. The attached JSON
file keeps the stored names; it is meant for machines.

A field is named by the text my_data_field_<name>, else by a lead step's `details` (the
label the Lotse sees), else by its stored name; a value by the label of the option that
saved it, the interest, the offer or the place it stands for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot import clock
from bot.content.model import Content
from bot.content.times import PARTS
from bot.leads.lifecycle import aware

INTEREST_FIELDS = ("interests", "subtopics", "offer_interests")
NUMBER_FIELDS = ("lead_id", "submission_id")  # a request's or an offer's number


def answer_lines(answers: dict[str, Any], content: Content, lang: str) -> list[str]:
    return [
        f"{field_label(content, key, lang)}: {value_text(content, key, value, lang)}"
        for key, value in answers.items()
    ]


def field_label(content: Content, key: str, lang: str) -> str:
    own = f"my_data_field_{key}"
    if own in content.texts.texts:
        return content.text(own, lang)
    for step in content.dialog.steps.values():
        if key in step.details:
            return content.text(step.details[key], lang)
    return key


def value_text(content: Content, key: str, value: Any, lang: str) -> str:
    if key == "consent" and isinstance(value, dict) and value.get("at"):
        return content.text("my_data_consent", lang, date=local_date(content, value["at"]))
    if key in NUMBER_FIELDS:
        return f"#{value}"
    if key == "offer_id":
        offer = content.offers.get(value)
        return offer.title if offer else str(value)
    if isinstance(value, dict):  # a place
        return str(value.get("label") or value.get("name") or "–")
    if isinstance(value, list):
        return ", ".join(value_text(content, key, item, lang) for item in value) or "–"
    if value is True:
        return content.text("my_data_yes", lang)
    if key in INTEREST_FIELDS:
        return content.interest_label(str(value), lang)
    if key in TIME_NAMES:
        return time_name(content, key, value, lang)
    return option_label(content, key, str(value), lang)


# Days and parts of the day the person named, stored as weekday numbers and part names:
# the words of the texts that list them (days_plural, parts_plural), in the same order.
TIME_NAMES = {"time_days": "days_plural", "time_parts": "parts_plural"}


def time_name(content: Content, key: str, value: Any, lang: str) -> str:
    names = content.text(TIME_NAMES[key], lang).split()
    index = PARTS.index(value) if value in PARTS else value
    return names[index] if isinstance(index, int) and 0 <= index < len(names) else str(value)


def in_language(content: Content, stored: str, lang: str) -> str:
    """A text stored in the first language (what a lead passed on: 'Sprache: Englisch')
    in `lang`, when it is one of the content's texts; anything else as stored."""
    first = content.languages[0]
    if lang == first:
        return stored
    for key, variants in content.texts.texts.items():
        if variants.get(first) == stored:
            return content.text(key, lang)
    return stored


def option_label(content: Content, key: str, value: str, lang: str) -> str:
    """The button that saved `value` under `key` ('lifts' → '🚗 Fahrten, z. B. zum Arzt')."""
    for step in content.dialog.steps.values():
        if step.save != key:
            continue
        for option in step.options:
            if (option.value or option.label) == value:
                return content.text(option.label, lang)
    return value


def local_date(content: Content, iso: str) -> str:
    """The day in the region of a stored time (UTC: 00:30 MEZ is the day before)."""
    moment = aware(dt.datetime.fromisoformat(iso))
    return clock.today_in(content.leads.timezone, moment).isoformat()
