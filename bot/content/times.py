"""When something happens or someone has time, as a grid of weekday × part of the day.

A week is 7 days × 3 parts (morning, afternoon, evening) = 21 cells, one bit each, so an
offer's times and a person's free times compare with one AND. Offers say when they take
place in their schedule (`short` "mo 16 Uhr", "sa + so vormittags", `text` "dienstags 9–12
Uhr", a one-off's `date`) and coarsely in `slots`; whatever is given narrows the cells.
A mask of 0 means "not known".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from bot.content.schema import Schedule
from bot.text import fold

PARTS = ("morning", "afternoon", "evening")
ALL_DAYS = frozenset(range(7))
ALL_PARTS = frozenset(PARTS)
WORKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
# Full names (and English ones) start a word: "montags", "Samstagvormittag", "sundays".
DAY_NAMES = (
    ("montag", "monday"),
    ("dienstag", "tuesday"),
    ("mittwoch", "wednesday"),
    ("donnerstag", "thursday"),
    ("freitag", "friday"),
    ("samstag", "sonnabend", "saturday"),
    ("sonntag", "sunday"),
)
# The two-letter forms only in a schedule's `short`, where coordinators write "mo + mi".
DAY_SHORT = ("mo", "di", "mi", "do", "fr", "sa", "so")
# Inside a word, longest first: "nachmittag" and "vormittag" also contain "mittag".
PART_WORDS = (
    ("vormittag", "morning"),
    ("nachmittag", "afternoon"),
    ("mittag", "afternoon"),
    ("morgens", "morning"),
    ("fruh", "morning"),
    ("vorm", "morning"),
    ("nachm", "afternoon"),
    ("morning", "morning"),
    ("afternoon", "afternoon"),
    ("feierabend", "evening"),
    ("abend", "evening"),
    ("evening", "evening"),
)
# "9–12 Uhr", "15-19 Uhr", "18:30 Uhr", "ab 10 Uhr": hours a schedule names.
_HOURS = re.compile(r"(\d{1,2})(?:[:.]\d{2})?\s*(?:[–-]\s*(\d{1,2})(?:[:.]\d{2})?\s*)?uhr")
SLOT_DAYS_PARTS = {
    "weekday": (WORKDAYS, frozenset({"morning", "afternoon"})),
    # The slots split the week: "Abends" is after work (the dialogue's own answer), and a
    # Saturday evening is the weekend ("samstagabends" reads as weekend, bot/understanding).
    "evening": (WORKDAYS, frozenset({"evening"})),
    "weekend": (WEEKEND, ALL_PARTS),
}


def grid(days: Iterable[int], parts: Iterable[str]) -> int:
    """The cells of these days at these parts of the day."""
    return sum(1 << (day * 3 + PARTS.index(part)) for day in set(days) for part in set(parts))


def days_of(cells: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if cells >> (day * 3) & 0b111)


def parts_of(cells: int) -> frozenset[str]:
    return frozenset(
        part for n, part in enumerate(PARTS) if any(cells >> (day * 3 + n) & 1 for day in range(7))
    )


def slot_cells(slots: Iterable[str]) -> int:
    """weekday (daytime Monday to Friday), evening (Monday to Friday), weekend (all of it)."""
    cells = 0
    for slot in slots:
        if slot in SLOT_DAYS_PARTS:
            cells |= grid(*SLOT_DAYS_PARTS[slot])
    return cells


def narrowed(fine: int, coarse: int) -> int:
    """A person's fine cells within their coarse ones; when both are said but do not meet
    (the slots answered again later, by a button), the coarse answer counts."""
    if fine and coarse:
        return fine & coarse or coarse
    return fine or coarse


def hour_parts(start: int, end: int | None = None) -> frozenset[str]:
    """The parts of the day from `start` up to (not including) `end`; before 12 is the
    morning, before 17 the afternoon, later the evening."""
    last = start if end is None or end <= start else end - 1
    return frozenset(_part_of_hour(hour) for hour in range(start, last + 1))


def _part_of_hour(hour: int) -> str:
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


def words_days(text: str, short: bool = False) -> frozenset[int]:
    """Days named in `text` (folded); `short`: also "mo", "di" … as whole words."""
    found: set[int] = set()
    for word in re.findall(r"[a-z]+", text):
        found |= {day for day, names in enumerate(DAY_NAMES) if word.startswith(names)}
        if short and word in DAY_SHORT:
            found.add(DAY_SHORT.index(word))
    return frozenset(found)


def words_parts(text: str) -> frozenset[str]:
    """Parts of the day named in `text`: words ("vormittags", "dienstagabend") and clock
    hours ("9–12 Uhr", read before folding, which drops the dash)."""
    found: set[str] = set()
    for word in re.findall(r"[a-z]+", fold(text)):
        part = next((p for key, p in PART_WORDS if key in word), None)
        if part:
            found.add(part)
    for start, end in _HOURS.findall(text.lower()):
        found |= hour_parts(int(start), int(end) if end else None)
    return frozenset(found)


def schedule_cells(schedule: Schedule) -> int:
    """When an offer takes place, as cells; 0 when its schedule does not say."""
    slots = tuple(schedule.slots)
    return _cells(schedule.kind, schedule.date, schedule.short, schedule.text, slots)


# Imported offers repeat their schedules ("nach Absprache"): read each wording once.
@lru_cache(maxsize=4096)
def _cells(kind: str, date: dt.date | None, short: str, text: str, slots: tuple[str, ...]) -> int:
    if kind == "once" and date is not None:
        days: frozenset[int] = frozenset({date.weekday()})
    else:
        days = words_days(fold(short), short=True) or words_days(fold(text))
    parts = words_parts(short) or words_parts(text)
    coarse = slot_cells(slots)
    if not days and not parts:
        return coarse
    fine = grid(days or ALL_DAYS, parts or ALL_PARTS)
    return fine & coarse or fine  # the schedule's own words over slots that contradict them
