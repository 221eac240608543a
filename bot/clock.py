"""The one clock of the product: every date and time of day comes from here.

No other module reads the wall clock (`datetime.now`, `date.today`): they call `now()` or
`today_in(zone)`. That makes any moment testable – a test installs a `ManualClock` set to a
Sunday night, New Year's Eve or a DST change and the whole product (database defaults,
lead timing, the ticker, reports) lives at that moment.

`LOTSE_NOW` (an ISO time, e.g. `2026-12-31T23:59:00+01:00`) starts a process's clock at
that moment; it then runs at the normal pace. The test suite uses it to run everything at
chosen dates (see docs/testing.md), and it lets a coordinator try "what happens on Monday
morning" with `lotse chat` or `lotse tick`. Unset, the clock is the system's.

Durations (rate limits, retry back-off, timeouts) use `time.monotonic()` and are not
affected: they measure intervals, not dates.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol
from zoneinfo import ZoneInfo

ENVIRONMENT_VARIABLE = "LOTSE_NOW"
REGION_TIMEZONE = "Europe/Berlin"  # the default of content/leads.yaml's `timezone`


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class ShiftedClock:
    """Starts at `start` and runs at the system's pace from then on."""

    def __init__(self, start: dt.datetime) -> None:
        self._start = _utc(start)
        self._started = time.monotonic()

    def now(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=time.monotonic() - self._started)


class ManualClock:
    """Stands still until told otherwise: for tests."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = _utc(at)

    def now(self) -> dt.datetime:
        return self.at

    def set(self, at: dt.datetime) -> None:
        self.at = _utc(at)

    def advance(self, delta: dt.timedelta | None = None, **parts: float) -> dt.datetime:
        self.at += delta if delta is not None else dt.timedelta(**parts)
        return self.at


def parse(value: str) -> dt.datetime:
    """An ISO time; without an offset it is read as UTC. Raises ValueError with a hint."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"{ENVIRONMENT_VARIABLE}={value!r} is not an ISO time, e.g. 2026-12-31T23:59:00+01:00"
        ) from None
    return _utc(moment)


def now() -> dt.datetime:
    """The current moment (UTC, timezone-aware) of the installed clock."""
    return _current.now()


def current() -> Clock:
    return _current


def install(clock: Clock) -> Clock:
    """Make `clock` the product's clock; returns the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    previous = install(clock)
    try:
        yield clock
    finally:
        install(previous)


def today(timezone: str = REGION_TIMEZONE) -> dt.date:
    """Today's date in the region (or in `timezone`)."""
    return today_in(timezone)


def today_in(timezone: str, moment: dt.datetime | None = None) -> dt.date:
    """The calendar day in `timezone` (content/leads.yaml): a server on UTC would still be
    at yesterday for the first hour or two after midnight in Germany – yesterday's events,
    offers expiring a day late, counts on the wrong day."""
    return (moment or now()).astimezone(ZoneInfo(timezone)).date()


def scheduler_time(seconds_from_now: float) -> dt.datetime:
    """A run time for APScheduler, which keeps the system's clock: timers, not dates."""
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds_from_now)


def file_time() -> float:
    """The system's clock in seconds, to compare with file modification times."""
    return time.time()


def _utc(moment: dt.datetime) -> dt.datetime:
    """Naive times are UTC (SQLite hands them back that way)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _from_environment() -> Clock:
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not value:
        return SystemClock()
    try:
        return ShiftedClock(parse(value))
    except ValueError as exc:  # a wrong time must not run silently on the system's clock
        raise SystemExit(f"lotse: {exc}") from None


_current: Clock = _from_environment()
