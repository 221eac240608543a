"""How an offer's time reads in the list: "Sa 02.10.2027", "nur montags", and the person's
own time ("samstags vormittags") for the line that says honestly that nothing fits it.

Every word comes from texts.yaml, so English reads as English.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.content.schema import Offer
from bot.content.times import (
    ALL_DAYS,
    ALL_PARTS,
    PARTS,
    WEEKEND,
    WORKDAYS,
    days_of,
    parts_of,
    schedule_cells,
)
from bot.dialogs.event_lines import day_label
from bot.dialogs.turn import Turn

YEAR_AFTER_DAYS = 56  # within ~8 weeks the year goes without saying (unless it changes)
# "sa 2.10.", "Sa, 20.3.27": the day and date a coordinator wrote at the start of `short`
_SHORT_DATE = re.compile(r"^\s*[^\W\d_]{2,3}\.?,?\s+\d{1,2}\.\d{1,2}\.(?:\d{2,4})?\s*")


def date_label(turn: Turn, day: dt.date, today: dt.date) -> str:
    """'Sa 20.03.' soon; 'Sa 02.10.2027' further away or in another year."""
    if (day - today).days <= YEAR_AFTER_DAYS and day.year == today.year:
        return day_label(turn, day)
    names = turn.t("weekdays_short").split()
    weekday = names[day.weekday()] if len(names) == 7 else ""
    values = {"weekday": weekday, "day": f"{day:%d}", "month": f"{day:%m}", "year": str(day.year)}
    return turn.t("offer_date_year", **values).strip()


def schedule_words(turn: Turn, offer: Offer, today: dt.date, misfit: str | None) -> str:
    """The offer's `short`; a one-off's date written out from its `date` (with the year
    when needed), and said to be one day only when that does not fit the person."""
    schedule = offer.schedule
    own = turn.lang == turn.content.languages[0]  # `short` is written in the first language
    if schedule.kind != "once" or schedule.date is None:
        return schedule.short if own else short_in_words(turn, offer)
    date = date_label(turn, schedule.date, today)
    rest = _SHORT_DATE.sub("", schedule.short, count=1)
    if rest == schedule.short:  # no date written at its start: keep the words after it
        rest = f"· {schedule.short}"
    if not own:
        rest = ""  # the date says it; the coordinators' words ('17 Uhr') would not
    when = " ".join(p for p in (date, rest.strip()) if p)
    return turn.t("offer_once_on", date=when) if misfit == "once" else when


def short_in_words(turn: Turn, offer: Offer) -> str:
    """An offer's time for a person of another language than the coordinators' (who wrote
    `short`, e.g. 'fr abends'): when it takes place in the texts' words ('on Fridays in the
    evenings'), else what kind of time it is ('by arrangement')."""
    cells = schedule_cells(offer.schedule)
    words = time_words(turn, cells) if cells else ""
    return words or turn.t(f"offer_short_{offer.schedule.kind}")


def misfit_words(turn: Turn, offer: Offer, misfit: str | None) -> str:
    """'nur montags', 'nur abends', 'regelmäßig' – why the offer does not fit the time."""
    cells = schedule_cells(offer.schedule)
    if misfit == "days":
        return turn.t("offer_only", when=days_words(turn, days_of(cells)))
    if misfit == "parts":
        return turn.t("offer_only", when=parts_words(turn, parts_of(cells)))
    if misfit == "regular":
        return turn.t("offer_regular")
    return ""  # fits, or a one-off (its date says so)


def time_words(turn: Turn, cells: int) -> str:
    """The person's time in words: 'samstags vormittags', 'am Wochenende', 'werktags abends'."""
    days, parts = days_words(turn, days_of(cells)), parts_words(turn, parts_of(cells))
    return turn.t("time_days_parts", days=days, parts=parts).strip()


def days_words(turn: Turn, days: frozenset[int]) -> str:
    if days == ALL_DAYS or not days:
        return ""
    if days == WORKDAYS:
        return turn.t("days_workdays")
    if days == WEEKEND:
        return turn.t("days_weekend")
    names = turn.t("days_plural").split()
    return turn.t("days_on", days=_listed(turn, [names[d] for d in sorted(days) if d < len(names)]))


def parts_words(turn: Turn, parts: frozenset[str]) -> str:
    if parts == ALL_PARTS or not parts:
        return ""
    if parts == {"morning", "afternoon"}:
        return turn.t("parts_daytime")
    names = turn.t("parts_plural").split()
    chosen = [names[n] for n, part in enumerate(PARTS) if part in parts and n < len(names)]
    return turn.t("parts_in", parts=_listed(turn, chosen))


def _listed(turn: Turn, words: list[str]) -> str:
    """'montags', 'montags und mittwochs', 'montags, dienstags und mittwochs'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {turn.t('word_and')} {words[-1]}"
