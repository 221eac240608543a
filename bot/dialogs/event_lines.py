"""How an event of the regional calendar reads in the chat: "📅 Sa 12.12. · 14:00 Uhr · …".

Every word comes from texts.yaml (weekday names too), so English reads as English.
"""

from __future__ import annotations

import datetime as dt

from bot.dialogs.turn import Turn
from bot.matching.local_events import ListedEvent


def day_label(turn: Turn, day: dt.date) -> str:
    """'Sa 12.12.' in German, 'Sat 12/12' in English (texts `event_date`, `weekdays_short`)."""
    names = turn.t("weekdays_short").split()
    weekday = names[day.weekday()] if len(names) == 7 else ""
    return turn.t("event_date", weekday=weekday, day=f"{day:%d}", month=f"{day:%m}").strip()


def _days(turn: Turn, listed: ListedEvent) -> str:
    event = listed.event
    if event.end_date is None or event.end_date == event.date:
        return day_label(turn, event.date)
    first, last = day_label(turn, event.date), day_label(turn, event.end_date)
    return turn.t("event_days", first=first, last=last)


def _clock(turn: Turn, listed: ListedEvent) -> str:
    start, end = listed.event.time, listed.event.end_time
    if start is None:
        return ""
    shown = f"{start:%H:%M}" + (f"–{end:%H:%M}" if end is not None else "")
    return turn.t("event_time", time=shown)


def _distance(turn: Turn, km: float | None) -> str:
    if km is None:
        return ""
    return turn.t("distance_here") if km < 1 else turn.t("distance_km", km=f"{km:.0f}")


def event_line(turn: Turn, listed: ListedEvent) -> str:
    """One event: when · where · how far, then title, description and link."""
    event = listed.event
    where = f"{listed.where}, {event.venue}" if event.venue else listed.where
    parts = [_days(turn, listed), _clock(turn, listed), where, _distance(turn, listed.distance_km)]
    line = turn.t(
        "event_line",
        when=" · ".join(p for p in parts if p),
        title=event.title,
        description=event.description.strip(),
    )
    if event.link:
        line += "\n" + turn.t("event_link", link=event.link.strip())
    return line
