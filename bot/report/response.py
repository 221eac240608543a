"""The promise, measured: how fast a person answers each request, and what comes of it.

The network promises that every request reaches a person who answers within 72 hours
(content/leads.yaml `promise_hours`). For the requests (leads) created in a period this
module works out, per Gemeinde, per Lotse and overall:

- answered within 24 h and within 72 h: the share of requests a person answered in that
  time, among those whose time is up (a request 10 hours old is not yet late, so it is
  left out until it is answered or its time has passed);
- median and 90th percentile of the time to the first answer, over the answered requests;
- placed: the share of the requests that led to a placement (so far), next to the
  reference of about 40 % placements per inquiry at volunteer agencies;
- overdue: open requests, created whenever, older than the promise and answered by
  nobody: their numbers only, no personal data.

"Answered by a person" is the first event to `accepted`, `contacted` or `answered`
(a Lotse or the coordinators took the request or wrote back). A request belongs to the
Lotse it was first given to (the coordinators when there was none): a Lotse who let it
wait is measured by it even when a deputy answered; an overdue request is listed where
it waits now. Everything is measured up to `now` (when the report is made).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.model import Content
from bot.leads.lifecycle import OPEN, aware
from bot.leads.overview import ANSWERED
from bot.leads.routing import COORDINATION_ID
from bot.store.models import Lead, LeadEvent

TOTAL = "*"  # the row of all requests
FAST_HOURS, PROMISE_HOURS = 24.0, 72.0  # the two shares; the promise comes from leads.yaml
REFERENCE_TEXT = "Durchschnitt der Freiwilligenagenturen: etwa 40 % Vermittlungen je Anfrage"
# (its words follow "zum Vergleich der …" in the report)


@dataclass
class Responses:
    """The figures of one group of requests (a Gemeinde, a Lotse, or all)."""

    requests: int = 0  # created in the period
    due_fast: int = 0  # of those, 24 h old by now (or answered)
    fast: int = 0  # answered by a person within 24 h
    due_promise: int = 0  # 72 h old by now (or answered)
    kept: int = 0  # answered within 72 h
    hours: list[float] = field(default_factory=list)  # to the first answer, answered ones
    placed: int = 0  # led to a placement (by now)
    overdue: list[int] = field(default_factory=list)  # ids waiting past the promise now

    @property
    def fast_share(self) -> float | None:
        return self.fast / self.due_fast if self.due_fast else None

    @property
    def kept_share(self) -> float | None:
        return self.kept / self.due_promise if self.due_promise else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.hours) if self.hours else None

    @property
    def p90(self) -> float | None:
        return percentile(self.hours, 0.9)

    @property
    def placed_share(self) -> float | None:
        return self.placed / self.requests if self.requests else None


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least `share` of all values
    at or below it (90th of ten values: the ninth). No interpolation: it is a real time."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class ResponseTimes:
    by_gemeinde: dict[str, Responses]  # Gemeinde (or "" for none) → figures; TOTAL: all
    by_lotse: dict[str, Responses]  # Lotse id or COORDINATION_ID → figures
    lotse_names: dict[str, str]
    promise_hours: float

    @property
    def total(self) -> Responses:
        return self.by_gemeinde.get(TOTAL) or Responses()


@dataclass(frozen=True)
class _Request:
    id: int
    created: dt.datetime
    gemeinde: str
    first_lotse: str
    answered: dt.datetime | None
    placed: bool


async def response_times(
    session: AsyncSession,
    content: Content,
    since: dt.datetime,
    until: dt.datetime,
    now: dt.datetime,
) -> ResponseTimes:
    """The figures for requests created from `since` up to `until` (exclusive), as of `now`."""
    by_gemeinde: dict[str, Responses] = defaultdict(Responses)
    by_lotse: dict[str, Responses] = defaultdict(Responses)
    for request in await _requests(session, since, until, now):
        for group in (
            by_gemeinde[request.gemeinde],
            by_gemeinde[TOTAL],
            by_lotse[request.first_lotse],
        ):
            _count(group, request, now)
    for lead_id, gemeinde, holder in await _overdue(session, content, now):
        for group in (by_gemeinde[gemeinde], by_gemeinde[TOTAL], by_lotse[holder]):
            group.overdue.append(lead_id)
    names = {lotse.id: lotse.name for lotse in content.lotsen}
    names[COORDINATION_ID] = content.text("coordination_name", content.languages[0])
    return ResponseTimes(dict(by_gemeinde), dict(by_lotse), names, content.leads.promise_hours)


def _count(group: Responses, request: _Request, now: dt.datetime) -> None:
    hours = _hours(request.created, request.answered) if request.answered else None
    age = _hours(request.created, now)
    group.requests += 1
    group.placed += request.placed
    if hours is not None:
        group.hours.append(hours)
    for limit, due, kept in (
        (FAST_HOURS, "due_fast", "fast"),
        (PROMISE_HOURS, "due_promise", "kept"),
    ):
        if age >= limit or hours is not None:
            setattr(group, due, getattr(group, due) + 1)
            if hours is not None and hours <= limit:
                setattr(group, kept, getattr(group, kept) + 1)


def _hours(start: dt.datetime, end: dt.datetime) -> float:
    return max(0.0, (aware(end) - aware(start)).total_seconds() / 3600)


async def _requests(
    session: AsyncSession, since: dt.datetime, until: dt.datetime, now: dt.datetime
) -> list[_Request]:
    created = (Lead.created_at >= since, Lead.created_at < until)
    leads = (
        await session.execute(select(Lead.id, Lead.created_at, Lead.gemeinde).where(*created))
    ).all()
    events = (
        await session.execute(
            select(LeadEvent.lead_id, LeadEvent.to_status, LeadEvent.note, LeadEvent.at)
            .where(LeadEvent.lead_id.in_(select(Lead.id).where(*created)), LeadEvent.at <= now)
            .order_by(LeadEvent.at, LeadEvent.id)
        )
    ).all()
    answered: dict[int, dt.datetime] = {}
    first: dict[int, str] = {}
    placed: set[int] = set()
    for lead_id, status, note, at in events:
        if status in ANSWERED:
            answered.setdefault(lead_id, aware(at))
        if status == "placed":
            placed.add(lead_id)
        if note and note.startswith("to:"):  # routing notes: "to:lotse-x", "to:coordinators"
            first.setdefault(lead_id, _holder(note.split()[0].removeprefix("to:")))
    return [
        _Request(
            lead_id,
            aware(created),
            gemeinde or "",
            first.get(lead_id, COORDINATION_ID),
            answered.get(lead_id),
            lead_id in placed,
        )
        for lead_id, created, gemeinde in leads
    ]


def _holder(target: str) -> str:
    return COORDINATION_ID if target == "coordinators" else target


async def _overdue(
    session: AsyncSession, content: Content, now: dt.datetime
) -> list[tuple[int, str, str]]:
    """(id, Gemeinde, where it waits) of each open request older than the promise that no
    person has answered, oldest first (the same rule as `lotse leads --overdue`)."""
    cutoff = now - dt.timedelta(hours=content.leads.promise_hours)
    answered = select(LeadEvent.lead_id).where(LeadEvent.to_status.in_(ANSWERED))
    rows = await session.execute(
        select(Lead.id, Lead.gemeinde, func.coalesce(Lead.lotse_id, COORDINATION_ID))
        .where(Lead.status.in_(OPEN), Lead.created_at < cutoff, Lead.id.not_in(answered))
        .order_by(Lead.created_at, Lead.id)
    )
    return [(lead_id, gemeinde or "", holder) for lead_id, gemeinde, holder in rows]
