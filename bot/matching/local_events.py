"""The regional calendar: which events of events.yaml are coming up near a person's place.

Each event's place is looked up once, when the content loads; a question then only filters
by day and distance. Past events (their last day before today) are never listed, so
coordinators never have to clear old entries out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.content.schema import LocalEvent
from bot.matching.geo import haversine_km
from bot.matching.places import Place
from bot.text import fold

# "Was ist am Wochenende in Delitzsch los?", "Gibt es Veranstaltungen in Krostitz?" (folded)
_EVENT_WORDS = r"(?:veranstaltung\w*|events?|feste|termine)"
_WHATS_ON = re.compile(
    r"\bwas\b(?: \w+){0,6} los\b"
    rf"|\b(?:welche|gibt es|gibts|irgendwelche|any)\b.*\b{_EVENT_WORDS}\b"
    rf"|\b{_EVENT_WORDS}\b.*\b(?:heute|morgen|wochenende|woche|today|tomorrow|weekend|week)\b"
    r"|\bwhat ?s on\b"
)
# "Was ist mit meiner Anfrage los?", "was ist los mit dir" – the matter, not the calendar
_NOT_THE_CALENDAR = re.compile(r"\b(?:mit|dir|ihnen|euch|anfrage|lotse|lotsen)\b")
_NEXT_WEEK = re.compile(r"\b(?:nachste|kommende|next) wo(?:che|ch|ek)\b")
_THIS_WEEK = re.compile(r"\b(?:diese|die|this) wo(?:che|ch|ek)\b")


@dataclass(frozen=True)
class Period:
    """The days a question is about; `name` picks its wording (text `events_period_<name>`)."""

    name: str  # weeks, today, tomorrow, weekend, this_week, next_week
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class ListedEvent:
    event: LocalEvent
    place: Place | None  # None only for content that skipped validation
    distance_km: float | None  # from the person's place; None when that is unknown

    @property
    def where(self) -> str:
        return self.place.label if self.place else self.event.place


@dataclass(frozen=True)
class Listing:
    near: list[ListedEvent]  # within the radius, by date and then distance
    region: list[ListedEvent]  # all upcoming events of the window, by date


def locate(name: str, gemeinde: str | None, places: Iterable[Place]) -> Place | None:
    """The place of places.yaml that an entry names: an Ortsteil, or a Gemeinde as a whole."""
    found = [
        p
        for p in places
        if p.in_region and p.name == name and (gemeinde is None or p.gemeinde == gemeinde)
    ]
    if not found and gemeinde is None:  # "place: Schönwölkau" – the Gemeinde, not an Ortsteil
        found = [p for p in places if p.in_region and p.gemeinde == name]
    # A Gemeinde named as the place means its main Ortsteil (or the Gemeinde centre).
    found.sort(key=lambda p: (p.name != p.gemeinde, p.level != "gemeinde"))
    return found[0] if found else None


def asks_whats_on(text: str) -> bool:
    """Does the text ask what is on (rather than answer a question of the dialogue)?"""
    folded = fold(text)
    return bool(_WHATS_ON.search(folded)) and not _NOT_THE_CALENDAR.search(folded)


def asked_period(text: str, today: dt.date, weeks: int) -> Period:
    """'heute', 'morgen', 'am Wochenende', 'diese/nächste Woche' – else the next `weeks` weeks."""
    folded = fold(text)
    words = set(folded.split())
    sunday = today + dt.timedelta(days=6 - today.weekday())
    if words & {"heute", "heut", "today", "tonight"}:
        return Period("today", today, today)
    if words & {"morgen", "tomorrow"}:
        tomorrow = today + dt.timedelta(days=1)
        return Period("tomorrow", tomorrow, tomorrow)
    if words & {"wochenende", "weekend"}:
        return Period("weekend", max(today, sunday - dt.timedelta(days=1)), sunday)
    if _NEXT_WEEK.search(folded):
        return Period("next_week", sunday + dt.timedelta(days=1), sunday + dt.timedelta(days=7))
    if _THIS_WEEK.search(folded):
        return Period("this_week", today, sunday)
    return Period("weeks", today, today + dt.timedelta(weeks=weeks))


class EventCalendar:
    def __init__(self, events: Iterable[LocalEvent], places: Iterable[Place]) -> None:
        known = list(places)
        self._events = [(event, locate(event.place, event.gemeinde, known)) for event in events]

    def listing(
        self,
        period: Period,
        lat: float | None = None,
        lon: float | None = None,
        radius_km: float = 15.0,
    ) -> Listing:
        """Events on the days of `period`; those within `radius_km` of (lat, lon) apart."""
        upcoming = [
            ListedEvent(event, place, _distance(place, lat, lon))
            for event, place in self._events
            if event.last_day >= period.first and event.date <= period.last
        ]
        upcoming.sort(key=lambda listed: _order(listed, period.first))
        near = [
            listed
            for listed in upcoming
            if listed.distance_km is not None and listed.distance_km <= radius_km
        ]
        return Listing(near, upcoming)


def _distance(place: Place | None, lat: float | None, lon: float | None) -> float | None:
    if place is None or lat is None or lon is None:
        return None
    return haversine_km(lat, lon, place.lat, place.lon)


def _order(listed: ListedEvent, first: dt.date) -> tuple:
    """By day (an event that already began counts as on the first day), then nearest, then
    time."""
    event = listed.event
    distance = listed.distance_km if listed.distance_km is not None else float("inf")
    return (max(event.date, first), distance, event.time or dt.time.min, event.title)
