"""The numbers behind `lotse report`, computed from the database and the content.

Everything here is a count of people over a period; nothing names or identifies a person.
The rule that small counts are shown as "<3" is applied when rendering (`present.py`),
so that all three formats apply it the same way and tests can check the exact numbers.

Definitions (docs/inhalte.md repeats them for coordinators):

- offers: offers in `content/offers.yaml` in that Gemeinde and area; a sub-topic counts
  for its area, an offer with several areas counts once in each and once in the totals.
  Left out: archived offers (`archived: true`, gone from their import source) and one-off
  offers whose date lies before the period (they were over before it began).
- people: every figure below counts distinct people (`bot/store/people.py`): searches and
  step visits by the person's random pseudonym, leads by their user (a deleted person's
  leads one each). A person counts once per cell, so a person with two areas counts in
  both areas but once in the Gemeinde's and the overall total, and totals can be less
  than the sum of their cells. Rows from before pseudonyms count one person each.
- interested: people with a search (offers shown) created in the period; unmet: those
  who were shown no good match at least once.
- leads: people with a lead created in the period, in each area among its interests.
- accepted / placed: people with a lead that had a `lead_events` row to that status in the
  period, attributed to the lead's Gemeinde and areas.
- time to first contact: for leads created in the period, from `created_at` to their first
  event to `contacted` (or, when there is none, to `accepted`) up to the end of the period.
- posters and links: conversations started in the period by each deep link (`entry_counts`,
  per day and channel; the same person scanning twice counts twice), and the leads made in
  the period in conversations that came from it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Label, Select, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot import clock
from bot.content.model import Content
from bot.content.schema import DialogFile, Offer
from bot.leads.lifecycle import aware
from bot.matching.places import PlaceResolver
from bot.posters import links
from bot.report.response import ResponseTimes, response_times
from bot.store.models import (
    EntryCount,
    Lead,
    LeadEvent,
    Search,
    StepCount,
    StepVisit,
    User,
)
from bot.store.people import lead_person, search_person

TOTAL = "*"  # the key for "all Gemeinden" / "all areas" in Report.cells
NO_GEMEINDE = ""  # searches and leads without a known Gemeinde (outside the region, unknown)
MIN_SHOWN = 3  # counts of people from 1 to MIN_SHOWN - 1 are shown as "<3" (present.py)
CONTACT_STATUSES = ("contacted", "accepted")  # first contact: the first of these that exists


@dataclass(frozen=True)
class Period:
    """Whole local days from `start` to `end`, both inclusive, in the content's time zone."""

    start: dt.date
    end: dt.date
    zone: ZoneInfo

    @classmethod
    def last_days(cls, today: dt.date, zone: ZoneInfo, days: int = 30) -> Period:
        return cls(today - dt.timedelta(days=days - 1), today, zone)

    def moment(self, day: dt.date) -> dt.datetime:
        """Local midnight at the start of `day`, in UTC (how the database stores times)."""
        return dt.datetime.combine(day, dt.time(0), self.zone).astimezone(dt.UTC)

    @property
    def since(self) -> dt.datetime:
        return self.moment(self.start)

    @property
    def until(self) -> dt.datetime:  # exclusive
        return self.moment(self.end + dt.timedelta(days=1))


@dataclass
class Cell:
    """The numbers of one Gemeinde × area (either may be TOTAL)."""

    offers: int = 0
    interested: int = 0
    unmet: int = 0
    leads: int = 0
    accepted: int = 0
    placed: int = 0
    contact_hours: list[float] = field(default_factory=list)  # one per lead with a first contact

    @property
    def median_hours(self) -> float | None:
        """The median time to first contact, or None without any lead that had one."""
        return statistics.median(self.contact_hours) if self.contact_hours else None


Cells = dict[tuple[str, str], Cell]


@dataclass(frozen=True)
class StepRow:
    step: str
    kind: str | None  # None: a step no longer in dialog.yaml
    entered: int
    on_path: bool
    drop_out: float | None = None  # share lost before the next path step, 0..1 (may be < 0)
    label: str | None = None  # the step's `report_label` in dialog.yaml

    @property
    def name(self) -> str:
        """How the report names the step: its German label, else its name in dialog.yaml."""
        return self.label or self.step


@dataclass(frozen=True)
class WeekRow:
    year: int
    week: int
    first: dt.date  # the week's first day in the period (Monday, unless the period begins later)
    last: dt.date  # its last day in the period (Sunday, unless the period ends earlier)
    searches: int
    unmet: int
    leads: int
    placed: int

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass(frozen=True)
class EntryRow:
    """What one poster or link (a deep-link payload) brought in the period."""

    source: str  # the payload, e.g. "p-sport_delitzsch-beerendorf" or "i-sport"
    target: str  # what it leads to, for people: "Plakat: Sport & Bewegung · Beerendorf …"
    interest: str | None  # the interest id of a poster or interest link
    gemeinde: str | None  # a poster's Gemeinde
    started: dict[str, int]  # conversations per channel ("telegram", "web", …)
    leads: int

    @property
    def conversations(self) -> int:
        return sum(self.started.values())


@dataclass
class Report:
    period: Period
    generated_at: dt.datetime
    gemeinden: list[str]  # row order: the content's Gemeinden, then others seen in the data
    areas: list[str]  # the top-level taxonomy ids, in taxonomy order
    area_labels: dict[str, str]
    cells: Cells
    steps: list[StepRow]
    weeks: list[WeekRow]
    entries: list[EntryRow] = field(default_factory=list)
    responses: ResponseTimes | None = None  # the promise, measured (`response.py`)

    def cell(self, gemeinde: str = TOTAL, area: str = TOTAL) -> Cell:
        return self.cells.get((gemeinde, area)) or Cell()


async def build_report(
    session: AsyncSession, content: Content, period: Period, now: dt.datetime | None = None
) -> Report:
    """Compute the whole overview for `period` in a handful of queries."""
    parents = area_parents(content)
    cells: Cells = defaultdict(Cell)
    _count_offers(cells, content, period, parents)
    await _count_searches(session, cells, period, parents)
    await _count_leads(session, cells, period, parents)
    await _count_outcomes(session, cells, period, parents)
    areas = [i.id for i in content.taxonomy.interests]
    now = now or clock.now()
    return Report(
        period=period,
        generated_at=now,
        gemeinden=_gemeinden(content, cells),
        areas=areas,
        area_labels={i.id: i.label.get("de") or i.id for i in content.taxonomy.interests},
        cells=dict(cells),
        steps=await _steps(session, content.dialog, period),
        weeks=await _weeks(session, period),
        entries=await _entries(session, content, period),
        responses=await response_times(session, content, period.since, period.until, now),
    )


def area_parents(content: Content) -> dict[str, str]:
    """Every interest id (area or sub-topic) → its top-level area."""
    parents = {i.id: i.id for i in content.taxonomy.interests}
    parents |= {s.id: i.id for i in content.taxonomy.interests for s in i.subtopics}
    return parents


def _areas(interests: Iterable[str], parents: dict[str, str]) -> list[str]:
    """The distinct top-level areas of some interest ids; unknown ids are left out."""
    return list(dict.fromkeys(parents[i] for i in interests if i in parents))


def _keys(gemeinde: str | None, areas: list[str]) -> Iterator[tuple[str, str]]:
    """The cells one thing counts in: each area, and the totals once (not once per area)."""
    where = gemeinde or NO_GEMEINDE
    for area in areas:
        yield where, area
        yield TOTAL, area
    yield where, TOTAL
    yield TOTAL, TOTAL


def _add(cells: Cells, keys: Iterable[tuple[str, str]], **counts: int) -> None:
    for key in keys:
        cell = cells[key]
        for metric, value in counts.items():
            setattr(cell, metric, getattr(cell, metric) + value)


# --- offers (content) -------------------------------------------------------------------


def offer_counts(offer: Offer, period: Period) -> bool:
    """Whether an offer counts as available in the period (see the module docstring)."""
    if offer.archived:  # gone from its import source: kept in the content, never shown
        return False
    schedule = offer.schedule
    return not (schedule.kind == "once" and schedule.date and schedule.date < period.start)


def offer_gemeinde(offer: Offer, content: Content) -> str | None:
    """The offer's Gemeinde: given, or the Gemeinde itself, or the one its Ortsteil is in."""
    if offer.gemeinde:
        return offer.gemeinde
    for gemeinde in content.places.gemeinden:
        if offer.place == gemeinde.name or any(o.name == offer.place for o in gemeinde.ortsteile):
            return gemeinde.name
    return None


def _count_offers(cells: Cells, content: Content, period: Period, parents: dict[str, str]) -> None:
    for offer in content.offers:
        if offer_counts(offer, period):
            keys = _keys(offer_gemeinde(offer, content), _areas(offer.interests, parents))
            _add(cells, keys, offers=1)


# --- searches, leads, outcomes (database) ----------------------------------------------


async def _count_searches(
    session: AsyncSession, cells: Cells, period: Period, parents: dict[str, str]
) -> None:
    """Distinct people per cell: each Gemeinde × area, each Gemeinde and each area over
    all the rest, and everybody - four queries, as people do not add up across cells."""
    area = case(parents, value=Search.interest).label("area")  # a sub-topic → its area
    person = search_person()
    interested = func.count(func.distinct(person))
    unmet = func.count(func.distinct(case((Search.unmet.is_(True), person))))
    where = (Search.created_at >= period.since, Search.created_at < period.until)
    known = area.is_not(None)
    for group in ((Search.gemeinde, area), (Search.gemeinde,), (area,), ()):
        query = select(*group, interested, unmet).where(*where, known)
        for row in await session.execute(query.group_by(*group) if group else query):
            *names, count, unmet_count = row
            key = _group_key(group, names)
            if count:
                cells[key].interested += int(count)
                cells[key].unmet += int(unmet_count or 0)


def _group_key(group: tuple[Any, ...], names: list[Any]) -> tuple[str, str]:
    """The cell of one grouped row: (Gemeinde, area), a missing part being TOTAL."""
    found = dict(zip((c.key for c in group), names, strict=True))
    gemeinde = (found["gemeinde"] or NO_GEMEINDE) if "gemeinde" in found else TOTAL
    return gemeinde, found.get("area", TOTAL)


def _leads_in(period: Period) -> Select:
    return select(Lead.id).where(Lead.created_at >= period.since, Lead.created_at < period.until)


async def _count_leads(
    session: AsyncSession, cells: Cells, period: Period, parents: dict[str, str]
) -> None:
    """People with a lead created in the period, and for the leads contacted the time it
    took (that one per lead: it measures the answer to each request)."""
    reached = await _first_contacts(session, period)
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    rows = await session.execute(
        select(Lead.id, lead_person(), Lead.created_at, Lead.gemeinde, Lead.interests)
        .join(User, User.id == Lead.user_id)
        .where(Lead.id.in_(_leads_in(period)))
    )
    for lead_id, person, created_at, gemeinde, interests in rows:
        keys = list(_keys(gemeinde, _areas(interests or [], parents)))
        for key in keys:
            people[key].add(person)
        if lead_id in reached:
            hours = max(0.0, (reached[lead_id] - aware(created_at)).total_seconds() / 3600)
            for key in keys:
                cells[key].contact_hours.append(hours)
    for key, found in people.items():
        cells[key].leads = len(found)


async def _first_contacts(session: AsyncSession, period: Period) -> dict[int, dt.datetime]:
    """When each lead of the period was first contacted: its first `contacted` event, or
    without one its first `accepted` event (a Lotse who accepts usually calls at once and
    not every Lotse presses "Kontakt aufgenommen"), up to the end of the period."""
    first = (
        select(LeadEvent.lead_id, LeadEvent.to_status, func.min(LeadEvent.at))
        .where(
            LeadEvent.lead_id.in_(_leads_in(period)),
            LeadEvent.to_status.in_(CONTACT_STATUSES),
            LeadEvent.at < period.until,
        )
        .group_by(LeadEvent.lead_id, LeadEvent.to_status)
    )
    found: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    for lead_id, status, at in await session.execute(first):
        found[lead_id][status] = aware(at)
    return {lead: times.get("contacted") or times["accepted"] for lead, times in found.items()}


async def _count_outcomes(
    session: AsyncSession, cells: Cells, period: Period, parents: dict[str, str]
) -> None:
    """People whose lead was accepted or placed in the period (created whenever): a lead
    accepted twice (after a hand-over) or two leads of one person count once per cell."""
    rows = await session.execute(
        select(LeadEvent.to_status, lead_person(), Lead.gemeinde, Lead.interests)
        .join(Lead, Lead.id == LeadEvent.lead_id)
        .join(User, User.id == Lead.user_id)
        .where(
            LeadEvent.at >= period.since,
            LeadEvent.at < period.until,
            LeadEvent.to_status.in_(("accepted", "placed")),
        )
    )
    people: dict[tuple[str, tuple[str, str]], set[str]] = defaultdict(set)
    for status, person, gemeinde, interests in rows:
        for key in _keys(gemeinde, _areas(interests or [], parents)):
            people[status, key].add(person)
    for (status, key), found in people.items():
        setattr(cells[key], status, len(found))


def _gemeinden(content: Content, cells: Cells) -> list[str]:
    """The content's Gemeinden in order, then any other seen in the data, then 'none'."""
    known = [g.name for g in content.places.gemeinden]
    seen = {g for g, _ in cells if g not in (TOTAL, NO_GEMEINDE)}
    others = sorted(seen - set(known))
    return known + others + ([NO_GEMEINDE] if (NO_GEMEINDE, TOTAL) in cells else [])


# --- the dialogue funnel ----------------------------------------------------------------


def volunteer_path(dialog: DialogFile) -> list[str]:
    """The steps of the main (volunteer) path, in order, derived from the dialog graph.

    Start at `dialog.start` and follow each step's own `next`; a step without one (a menu)
    continues with its first option that leads somewhere new. Options with their own `next`
    on a step that has a `next` are detours ("no thanks" → goodbye, "other interests" →
    back), so they are not followed. A step already on the path ends it (restart buttons).
    Following the graph instead of sorting by counts keeps the order right even when few
    people came through, and keeps it right when coordinators add or rename steps.
    """
    path: list[str] = []
    name: str | None = dialog.start
    while name is not None and name in dialog.steps and name not in path:
        path.append(name)
        step = dialog.steps[name]
        if step.next:
            name = step.next
        else:
            name = next((o.next for o in step.options if o.next and o.next not in path), None)
    return path


async def _steps(session: AsyncSession, dialog: DialogFile, period: Period) -> list[StepRow]:
    entered = await _step_people(session, period)
    path = volunteer_path(dialog)
    counts = [entered.get(step, 0) for step in path]
    steps = dialog.steps
    funnel = [
        StepRow(
            step,
            steps[step].kind,
            count,
            True,
            _drop_out(count, following),
            steps[step].report_label,
        )
        for step, count, following in zip(path, counts, [*counts[1:], None], strict=True)
    ]
    others = sorted((s for s in entered if s not in path), key=lambda s: (-entered[s], s))
    return funnel + [
        StepRow(
            s,
            steps[s].kind if s in steps else None,
            entered[s],
            False,
            label=steps[s].report_label if s in steps else None,
        )
        for s in others
    ]


async def _step_people(session: AsyncSession, period: Period) -> dict[str, int]:
    """People who entered each step in the period, each once however often they came;
    plus the days before migration 0012, counted as entries (`StepCount`)."""
    visits = await session.execute(
        select(StepVisit.step, func.count(func.distinct(StepVisit.person)))
        .where(StepVisit.day >= period.start, StepVisit.day <= period.end)
        .group_by(StepVisit.step)
    )
    entered = {step: int(count) for step, count in visits}
    old = await session.execute(
        select(StepCount.step, func.sum(StepCount.entered))
        .where(StepCount.day >= period.start, StepCount.day <= period.end)
        .group_by(StepCount.step)
    )
    for step, total in old:
        entered[step] = entered.get(step, 0) + int(total or 0)
    return entered


def _drop_out(count: int, following: int | None) -> float | None:
    """Share lost to the next step; only where neither count is hidden by the "<3" rule."""
    if following is None or count < MIN_SHOWN or 0 < following < MIN_SHOWN:
        return None
    return 1 - following / count


# --- posters and links --------------------------------------------------------------


async def _entries(session: AsyncSession, content: Content, period: Period) -> list[EntryRow]:
    """Each deep link with anything in the period, the busiest first."""
    rows = await session.execute(
        select(
            EntryCount.source,
            EntryCount.channel,
            func.sum(EntryCount.started),
            func.sum(EntryCount.leads),
        )
        .where(EntryCount.day >= period.start, EntryCount.day <= period.end)
        .group_by(EntryCount.source, EntryCount.channel)
    )
    started: dict[str, dict[str, int]] = defaultdict(dict)
    leads: dict[str, int] = defaultdict(int)
    resolver = PlaceResolver(content.places)
    for stored, channel, count, lead_count in rows:
        # Rows counted before only issued links were counted fold into the one UNKNOWN row.
        source = links.issued(stored, content, resolver)
        if count:
            started[source][channel] = started[source].get(channel, 0) + int(count)
        leads[source] += int(lead_count or 0)
    found = [
        EntryRow(source, *_describe(source, content, resolver), started[source], leads[source])
        for source in leads
    ]
    return sorted(found, key=lambda row: (-row.conversations, -row.leads, row.source))


def _describe(
    source: str, content: Content, resolver: PlaceResolver
) -> tuple[str, str | None, str | None]:
    """(what the link leads to in words, its interest id, its Gemeinde) from the payload."""
    if source == links.UNKNOWN:
        return "unbekannte Links (nicht vom Projekt ausgegeben)", None, None
    kind, _, ident = source.partition("-")
    if kind == links.POSTER and (poster := links.parse_poster(ident, resolver)) is not None:
        where = poster.place.label if poster.place else "Ort nicht mehr bekannt"
        gemeinde = poster.place.gemeinde if poster.place else None
        label = content.interest_label(poster.interest, "de")
        return f"Plakat: {label} · {where}", poster.interest, gemeinde
    if kind == links.INTEREST:
        return f"Link: {content.interest_label(ident, 'de')}", ident, None
    if kind == links.OFFER:
        offer = content.offers.get(ident)
        return f"Link: Angebot „{offer.title if offer else ident}“", None, None
    return "unbekannter Link", None, None


# --- weekly trends ----------------------------------------------------------------------


def iso_weeks(period: Period) -> list[tuple[dt.date, dt.date]]:
    """The ISO weeks touching the period, each as (first, last) day clipped to the period."""
    monday = period.start - dt.timedelta(days=period.start.weekday())
    weeks = []
    while monday <= period.end:
        sunday = monday + dt.timedelta(days=6)
        weeks.append((max(monday, period.start), min(sunday, period.end)))
        monday += dt.timedelta(days=7)
    return weeks


async def _weeks(session: AsyncSession, period: Period) -> list[WeekRow]:
    weeks = iso_weeks(period)
    starts = [period.moment(first) for first, _ in weeks]
    searches = await _weekly_searches(session, period, starts)
    leads = await _weekly_leads(session, period, starts)
    placed = await _weekly_placed(session, period, starts)
    rows = []
    for index, (first, last) in enumerate(weeks):
        year, week, _ = first.isocalendar()
        found, unmet = searches.get(index, (0, 0))
        rows.append(
            WeekRow(
                year=year,
                week=week,
                first=first,
                last=last,
                searches=found,
                unmet=unmet,
                leads=leads.get(index, 0),
                placed=placed.get(index, 0),
            )
        )
    return rows


def _week_of(column: InstrumentedAttribute[dt.datetime], starts: list[dt.datetime]) -> Label:
    """The index of the week a time falls in, as plain SQL (a CASE) for SQLite and PostgreSQL.

    Grouping in SQL keeps the work in the database however many searches there are; a CASE
    over the week boundaries avoids date functions, which differ between the two.
    """
    conditions = [(column < start, index) for index, start in enumerate(starts[1:])]
    last = len(starts) - 1
    return (case(*conditions, else_=last) if conditions else literal(last)).label("week")


async def _weekly_searches(
    session: AsyncSession, period: Period, starts: list[dt.datetime]
) -> dict[int, tuple[int, int]]:
    """People who searched in each week (and those left without a good match): a person
    searching in two weeks counts in both, and once in the period's total."""
    column = Search.created_at
    week = _week_of(column, starts)
    person = search_person()
    unmet = func.count(func.distinct(case((Search.unmet.is_(True), person))))
    rows = await session.execute(
        select(week, func.count(func.distinct(person)), unmet)
        .where(column >= period.since, column < period.until)
        .group_by(week)
    )
    return {int(index): (int(count), int(unmet or 0)) for index, count, unmet in rows}


async def _weekly_leads(
    session: AsyncSession, period: Period, starts: list[dt.datetime]
) -> dict[int, int]:
    column = Lead.created_at
    week = _week_of(column, starts)
    rows = await session.execute(
        select(week, func.count(func.distinct(lead_person())))
        .select_from(Lead)
        .join(User, User.id == Lead.user_id)
        .where(column >= period.since, column < period.until)
        .group_by(week)
    )
    return {int(index): int(count) for index, count in rows}


async def _weekly_placed(
    session: AsyncSession, period: Period, starts: list[dt.datetime]
) -> dict[int, int]:
    column = LeadEvent.at
    week = _week_of(column, starts)
    rows = await session.execute(
        select(week, func.count(func.distinct(lead_person())))
        .select_from(LeadEvent)
        .join(Lead, Lead.id == LeadEvent.lead_id)
        .join(User, User.id == Lead.user_id)
        .where(column >= period.since, column < period.until, LeadEvent.to_status == "placed")
        .group_by(week)
    )
    return {int(index): int(count) for index, count in rows}
