"""Which day it is in the region, whatever the server's clock says."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def today_in(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """The calendar day in `timezone` (content/leads.yaml): a server on UTC would still be
    at yesterday for the first hour or two after midnight in Germany – yesterday's events,
    offers expiring a day late, counts on the wrong day."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(timezone)).date()
