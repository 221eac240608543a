"""The coordinators' overview (`lotse report`) on a generated history with known counts.

The history spans the four ISO weeks 45–48 of 2026 (2 to 29 November, Europe/Berlin) and
has cells with one or two people (shown as "<3") and cells with three or more.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import subprocess
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.content.model import Content
from bot.report import Period, Report, build_report
from bot.report import present as p
from bot.report.data import (
    NO_GEMEINDE,
    TOTAL,
    Cell,
    area_parents,
    iso_weeks,
    volunteer_path,
)
from bot.report.render_csv import COLUMNS, render_csv
from bot.report.render_html import render_html
from bot.report.render_text import render_text
from bot.store.db import Database
from bot.store.models import Lead, LeadEvent, Search, StepCount, User
from tests.helpers.chat import run_lotse
from tests.helpers.disclosure import assert_honest, assert_nothing_recoverable, shown_values
from tests.helpers.tools import CHROMIUM_INSTALL, require_tool

ROOT = Path(__file__).resolve().parent.parent
BERLIN = ZoneInfo("Europe/Berlin")
PERIOD = Period(dt.date(2026, 11, 2), dt.date(2026, 11, 29), BERLIN)
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
PEOPLE_METRICS = {"interested", "unmet", "leads", "accepted", "placed", "entered", "searches"}


def utc(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


# (gemeinde, interest, when, unmet): 15 searches in the period, 2 just outside it.
SEARCHES = [
    ("Delitzsch", "kinder-jugend", utc(3), True),  # KW 45
    ("Delitzsch", "kinder-lernen", utc(5), False),  # a sub-topic counts for kinder-jugend
    ("Delitzsch", "kinder-jugend", utc(10), True),  # KW 46
    ("Delitzsch", "kinder-lernen", utc(12), False),
    ("Delitzsch", "kinder-jugend", utc(29, 22, 50), True),  # 23:50 local on the last day
    ("Delitzsch", "sport", utc(11), True),  # KW 46
    ("Delitzsch", "sport-training", utc(17), False),  # KW 47
    ("Krostitz", "umwelt", utc(18), False),  # KW 47
    ("Taucha", "kultur", utc(4), False),  # KW 45
    ("Taucha", "kultur-musik", utc(16), False),  # KW 47
    ("Taucha", "kultur", utc(19), False),
    ("Taucha", "kultur", utc(22, 22, 59), False),  # Sunday 23:59 local: still KW 47
    (None, "digital", utc(23), True),  # KW 48, outside the region
    (None, "digital", utc(24), True),
    (None, "digital-hilfe", utc(25), True),
    ("Delitzsch", "kinder-jugend", utc(1, 22, 30), True),  # 23:30 local on 1 Nov: outside
    ("Delitzsch", "kinder-jugend", utc(29, 23, 10), True),  # 00:10 local on 30 Nov: outside
]


@dataclasses.dataclass
class LeadPlan:
    gemeinde: str | None
    interests: list[str]
    created: dt.datetime
    events: list[tuple[str, dt.timedelta]]  # (to_status, after creation)


LEADS = [
    # Delitzsch × kinder-jugend: 4 leads, 3 accepted, 1 placed; first contact 20 h, 40 h, 6 h.
    LeadPlan(
        "Delitzsch",
        ["kinder-jugend", "kinder-lernen"],
        utc(3),
        [("offered", 0 * H), ("accepted", 10 * H), ("contacted", 20 * H), ("placed", 5 * D)],
    ),
    LeadPlan(
        "Delitzsch",
        ["kinder-lernen"],
        utc(4),
        # accepted twice (handed over in between): counts once; contacted after 40 h
        [("accepted", 30 * H), ("offered", 31 * H), ("accepted", 35 * H), ("contacted", 40 * H)],
    ),
    LeadPlan("Delitzsch", ["kinder-jugend"], utc(6), [("accepted", 6 * H)]),  # no "contacted"
    LeadPlan("Delitzsch", ["kinder-jugend"], utc(18), [("offered", 0 * H)]),  # still open
    # Krostitz: one lead in two areas, accepted after 2 h.
    LeadPlan("Krostitz", ["umwelt", "sport-training"], utc(25), [("accepted", 2 * H)]),
    # Created before the period, placed inside it: counts as placed, not as a lead.
    LeadPlan(
        "Delitzsch",
        ["sport"],
        utc(20, month=10),
        [("accepted", 1 * D), ("placed", utc(10) - utc(20, month=10))],
    ),
]

# (day, step, entered): the funnel; two rows for `start` add up; one row before the period.
STEPS = [
    (dt.date(2026, 11, 3), "start", 25),
    (dt.date(2026, 11, 20), "start", 15),
    (dt.date(2026, 11, 4), "interests", 30),
    (dt.date(2026, 11, 4), "place", 25),
    (dt.date(2026, 11, 5), "time_kind", 24),
    (dt.date(2026, 11, 5), "time_slots", 20),
    (dt.date(2026, 11, 6), "results", 18),
    (dt.date(2026, 11, 6), "consent", 10),
    (dt.date(2026, 11, 7), "name", 2),
    (dt.date(2026, 11, 7), "contact", 2),
    (dt.date(2026, 11, 29), "lead", 2),
    (dt.date(2026, 11, 8), "goodbye", 5),
    (dt.date(2026, 11, 8), "question", 1),
    (dt.date(2026, 11, 9), "old_step", 4),  # no longer in dialog.yaml
    (dt.date(2026, 11, 1), "start", 100),  # the day before the period
    (dt.date(2026, 11, 30), "start", 100),  # the day after
]


async def write_history(db: Database) -> None:
    async with db.session() as session, session.begin():
        for gemeinde, interest, when, unmet in SEARCHES:
            session.add(
                Search(
                    created_at=when,
                    gemeinde=gemeinde,
                    interest=interest,
                    results=0 if unmet else 3,
                    best_score=None,
                    unmet=unmet,
                )
            )
        for day, step, entered in STEPS:
            session.add(StepCount(day=day, step=step, entered=entered))
        for index, plan in enumerate(LEADS):
            await _add_lead(session, index, plan)


async def _add_lead(session, index: int, plan: LeadPlan) -> None:  # type: ignore[no-untyped-def]
    user = User(channel="test", external_id=f"person-{index}", created_at=plan.created)
    session.add(user)
    await session.flush()
    lead = Lead(
        user_id=user.id,
        created_at=plan.created,
        status=plan.events[-1][0],
        gemeinde=plan.gemeinde,
        place=plan.gemeinde,
        interests=plan.interests,
        name="Geheim",
        contact="0171 0000000",
        consent_version="v1",
        consent_at=plan.created,
    )
    session.add(lead)
    await session.flush()
    before = "created"
    for status, after in plan.events:
        session.add(
            LeadEvent(
                lead_id=lead.id,
                at=plan.created + after,
                actor="lotse:lotse-delitzsch",
                from_status=before,
                to_status=status,
            )
        )
        before = status


@pytest.fixture
async def history(tmp_path: Path) -> AsyncIterator[Database]:
    """A SQLite file with the generated history (for the renderers and the CLI)."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/history.sqlite3")
    await database.migrate()
    await write_history(database)
    yield database
    await database.close()


async def make_report(db: Database, content: Content, period: Period = PERIOD) -> Report:
    async with db.session() as session:
        return await build_report(session, content, period, now=NOW)


@pytest.fixture
async def report(history: Database, content: Content) -> Report:
    return await make_report(history, content)


def expected_offers(content: Content, gemeinde: str, area: str) -> int:
    """Offers of the shipped content in a Gemeinde × area, counted independently."""
    parents = area_parents(content)
    return sum(
        1
        for o in content.offers
        if (o.gemeinde or o.place) == gemeinde
        and area in {parents.get(i) for i in o.interests}
        and not o.archived
        and not (o.schedule.kind == "once" and o.schedule.date and o.schedule.date < PERIOD.start)
    )


# --- the numbers -----------------------------------------------------------------------


async def test_counts_on_sqlite_and_postgres(any_db_url: str, content: Content) -> None:
    db = Database(any_db_url)
    try:
        await db.migrate()
        await write_history(db)
        report = await make_report(db, content)
    finally:
        await db.close()
    kids = report.cell("Delitzsch", "kinder-jugend")
    assert (kids.interested, kids.unmet, kids.leads, kids.accepted, kids.placed) == (5, 3, 4, 3, 1)
    assert sorted(kids.contact_hours) == [6, 20, 40] and kids.median_hours == 20
    assert kids.offers == expected_offers(content, "Delitzsch", "kinder-jugend") > 0
    sport = report.cell("Delitzsch", "sport")
    assert (sport.interested, sport.unmet, sport.leads, sport.accepted, sport.placed) == (
        2,
        1,
        0,
        0,
        1,
    )
    krostitz = report.cell("Krostitz", "umwelt")
    assert (krostitz.interested, krostitz.leads, krostitz.accepted) == (1, 1, 1)
    assert report.cell("Krostitz", "sport").leads == 1  # sport-training counts for sport
    assert report.cell("Taucha", "kultur").interested == 4
    outside = report.cell(NO_GEMEINDE, "digital")
    assert (outside.interested, outside.unmet) == (3, 3)
    assert report.gemeinden[-1] == NO_GEMEINDE and report.gemeinden[0] == "Delitzsch"
    # Totals count each lead once, not once per area.
    assert report.cell("Krostitz", TOTAL).leads == 1
    assert report.cell("Delitzsch", TOTAL).leads == 4
    total = report.cell()
    assert (total.interested, total.unmet, total.leads, total.accepted, total.placed) == (
        15,
        7,
        5,
        4,
        2,
    )
    assert total.median_hours == 13  # median of 2, 6, 20 and 40 hours
    assert total.offers == len(content.offers) - sum(1 for o in content.offers if not _counts(o))
    # The weekly trends (KW 45–48) and the funnel go through the same CASE/GROUP BY on both.
    weeks = [(w.key, w.searches, w.unmet, w.leads, w.placed) for w in report.weeks]
    assert weeks == [
        ("2026-W45", 3, 1, 3, 1),
        ("2026-W46", 3, 2, 0, 1),
        ("2026-W47", 5, 0, 1, 0),
        ("2026-W48", 4, 4, 1, 0),
    ]
    assert {s.step: s.entered for s in report.steps}["start"] == 40
    # One day, one (clipped) week: the last day of the history.
    db = Database(any_db_url)
    try:
        day = await make_report(db, content, Period(PERIOD.end, PERIOD.end, BERLIN))
    finally:
        await db.close()
    assert [(w.key, w.searches, w.unmet) for w in day.weeks] == [("2026-W48", 1, 1)]
    assert day.cell("Delitzsch", "kinder-jugend").interested == 1
    assert {s.step: s.entered for s in day.steps}["lead"] == 2


def _counts(offer) -> bool:  # type: ignore[no-untyped-def]
    return not offer.archived and not (
        offer.schedule.kind == "once" and offer.schedule.date and offer.schedule.date < PERIOD.start
    )


async def test_offers_count_sub_topics_and_leave_out_archived_and_past(
    content: Content, db: Database
) -> None:
    base = next(o for o in content.offers if o.gemeinde == "Krostitz")
    schedule = base.schedule

    def offer(name: str, interests: list[str], **changes) -> object:  # type: ignore[no-untyped-def]
        when = changes.pop("schedule", {})
        return base.model_copy(
            update={
                "id": name,
                "interests": interests,
                "schedule": schedule.model_copy(update=when),
                **changes,
            }
        )

    offers = [
        offer("a", ["kinder-lernen", "kinder-jugend", "sport"]),  # one each for kinder, sport
        offer("b", ["kinder-lernen"], schedule={"kind": "once", "date": dt.date(2026, 11, 1)}),
        offer("c", ["kinder-jugend"], schedule={"kind": "once", "date": dt.date(2026, 11, 2)}),
        offer("d", ["kinder-jugend"], archived=True),
        offer("e", ["kinder-jugend"], gemeinde=None, place="Hohenossig"),  # an Ortsteil
    ]
    report = await make_report(db, dataclasses.replace(content, offers=offers))
    assert report.cell("Krostitz", "kinder-jugend").offers == 3  # a, c, e
    assert report.cell("Krostitz", "sport").offers == 1
    assert report.cell("Krostitz", TOTAL).offers == 3  # a once, not once per area
    assert report.cell().offers == 3


async def test_empty_database_gives_zeros_and_all_weeks(content: Content, db: Database) -> None:
    report = await make_report(db, content)
    assert report.cell().interested == 0 and report.cell().median_hours is None
    assert [w.week for w in report.weeks] == [45, 46, 47, 48]
    assert all(s.entered == 0 for s in report.steps)
    assert "Keine Angebote, Suchen oder Anfragen" not in render_text(report)  # offers exist
    assert render_csv(report) and render_html(report)


def test_period_is_whole_local_days() -> None:
    assert PERIOD.since == dt.datetime(2026, 11, 1, 23, 0, tzinfo=dt.UTC)
    assert PERIOD.until == dt.datetime(2026, 11, 29, 23, 0, tzinfo=dt.UTC)
    last = Period.last_days(dt.date(2026, 11, 30), BERLIN)
    assert (last.start, last.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_iso_weeks_clip_to_the_period_and_cross_the_year() -> None:
    mid = Period(dt.date(2026, 11, 4), dt.date(2026, 11, 10), BERLIN)
    assert iso_weeks(mid) == [
        (dt.date(2026, 11, 4), dt.date(2026, 11, 8)),
        (dt.date(2026, 11, 9), dt.date(2026, 11, 10)),
    ]
    new_year = Period(dt.date(2026, 12, 28), dt.date(2027, 1, 5), BERLIN)
    labels = [first.isocalendar()[:2] for first, _ in iso_weeks(new_year)]
    assert labels == [(2026, 53), (2027, 1)]


# --- the funnel --------------------------------------------------------------------------


def test_volunteer_path_follows_the_dialog_graph(content: Content) -> None:
    assert volunteer_path(content.dialog) == [
        "start",
        "interests",
        "place",
        "time_kind",
        "time_slots",
        "results",
        "consent",
        "name",
        "contact",
        "lead",
    ]


def test_volunteer_path_adapts_to_a_new_step(content: Content) -> None:
    steps = dict(content.dialog.steps)
    steps["mobility"] = steps["time_kind"].model_copy(update={"next": "place"})
    steps["interests"] = steps["interests"].model_copy(update={"next": "mobility"})
    dialog = content.dialog.model_copy(update={"steps": steps})
    assert volunteer_path(dialog)[:4] == ["start", "interests", "mobility", "place"]


def test_funnel_counts_and_drop_out(report: Report) -> None:
    path = [(s.step, s.entered) for s in report.steps if s.on_path]
    assert path == [
        ("start", 40),
        ("interests", 30),
        ("place", 25),
        ("time_kind", 24),
        ("time_slots", 20),
        ("results", 18),
        ("consent", 10),
        ("name", 2),
        ("contact", 2),
        ("lead", 2),
    ]
    drops = {s.step: s.drop_out for s in report.steps if s.on_path}
    assert drops["start"] == pytest.approx(0.25)
    assert drops["results"] == pytest.approx(1 - 10 / 18)
    # Next to a hidden count the drop-out would give the count away: not computed.
    assert drops["consent"] is None and drops["name"] is None and drops["lead"] is None
    others = [(s.step, s.entered, s.kind) for s in report.steps if not s.on_path]
    assert others == [("goodbye", 5, "info"), ("old_step", 4, None), ("question", 1, "question")]


# --- privacy: "<3" in every format -------------------------------------------------------


def test_presentation_rules() -> None:
    assert [p.people(n) for n in (0, 1, 2, 3, 1234)] == ["0", "<3", "<3", "3", "1.234"]
    assert p.duration(Cell()) == "–"
    assert p.duration(Cell(contact_hours=[1.0, 2.0])) == "<3"
    assert p.duration(Cell(contact_hours=[1.0, 5.0, 30.0])) == "5 Std."
    assert p.duration(Cell(contact_hours=[50.0, 60.0, 70.0])) == "2,5 Tage"


def test_text_report(report: Report) -> None:
    text = render_text(report)
    assert "Zeitraum 02.11.2026 – 29.11.2026" in text and "erstellt am 30.11.2026 09:00" in text
    kids = _line(text, "Delitzsch", "Kinder & Jugend")
    offers = report.cell("Delitzsch", "kinder-jugend").offers
    # Hidden as "·": next to the "<3" of Sport each of them would give that one away.
    assert kids.split()[-8:] == [str(offers), "·", "·", "·", "·", "<3", "20", "Std."]
    taucha = _line(text, "Taucha", "Kultur & Heimat")
    assert taucha.split()[-6:] == ["4", "0", "0", "0", "0", "–"]
    sport = _line(text, "Delitzsch", "Sport & Bewegung")
    assert sport.split()[-6:] == ["<3", "<3", "0", "0", "<3", "–"]
    krostitz = _line(text, "Krostitz", "Umwelt")
    assert krostitz.split()[-4:] == ["<3", "<3", "0", "<3"]  # leads, accepted, placed, median
    assert re.search(r"^Angebote gezeigt\s+18\s+44,4 %$", text, re.M)  # report_label
    assert re.search(r"^Name\s+<3\s+–$", text, re.M)
    assert re.search(r"^Frage an den Bot\s+Frage\s+<3$", text, re.M)
    assert "time_kind" not in text and "Zeit: einmalig oder regelmäßig" in text
    assert re.search(r"^KW 45/2026\s+02\.11\.–08\.11\.\s+3\s+<3\s+·\s+<3$", text, re.M)
    assert "· = ausgeblendet, damit kleine Zahlen nicht errechnet werden können" in text
    assert "Geheim" not in text and "0171" not in text


def _line(text: str, gemeinde: str, area: str) -> str:
    [line] = [
        x for x in text.splitlines() if x.startswith(gemeinde) and f" {area}" in x and "  " in x
    ]
    return line


def test_csv_report(report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert tuple(rows[0]) == COLUMNS

    def value(section: str, metric: str, **where: str) -> str:
        [row] = [
            r
            for r in rows
            if r["section"] == section
            and r["metric"] == metric
            and all(r[k] == v for k, v in where.items())
        ]
        return row["value"]

    assert value("zeitraum", "from") == "2026-11-02" and value("zeitraum", "to") == "2026-11-29"
    kids = {"gemeinde": "Delitzsch", "interest": "kinder-jugend"}
    assert [value("zelle", m, **kids) for m in ("interested", "unmet", "leads", "placed")] == [
        "·",
        "·",
        "·",
        "<3",
    ]
    assert value("zelle", "interested", gemeinde="Taucha", interest="kultur") == "4"
    assert value("zelle", "median_hours", **kids) == "20.0"
    assert value("zelle", "median_hours", gemeinde="Krostitz", interest="umwelt") == "<3"
    assert value("zelle", "median_hours", gemeinde="Taucha", interest="kultur") == ""
    assert value("zelle", "interested", gemeinde="Delitzsch", interest="sport") == "<3"
    assert value("zelle", "interested", gemeinde="Wiedemar", interest="sport") == "0"
    assert value("zelle", "unmet", gemeinde="ohne Gemeinde", interest="digital") == "3"
    assert value("zelle", "interested", gemeinde="ohne Gemeinde", interest="digital") == "·"
    assert value("gesamt", "leads", gemeinde="alle", interest="alle") == "5"
    assert value("gesamt", "median_hours", gemeinde="alle", interest="alle") == "13.0"
    assert value("schritt", "entered", step="name") == "<3"
    assert value("schritt", "drop_out_percent", step="start") == "25.0"
    assert value("schritt", "drop_out_percent", step="consent") == ""
    assert value("schritt_weitere", "entered", step="question") == "<3"
    assert value("woche", "unmet", week="2026-W45") == "<3"
    assert value("woche", "searches", week="2026-W47") == "5"
    # No count of people in the whole file is 1 or 2.
    for row in rows:
        if row["metric"] in PEOPLE_METRICS:
            assert row["value"] not in {"1", "2"}, row
    # Every Gemeinde × area is there, zeros too (a complete grid).
    cells = [r for r in rows if r["section"] == "zelle" and r["metric"] == "offers"]
    assert len(cells) == len(report.gemeinden) * 12


def test_no_small_count_follows_from_the_totals(report: Report) -> None:
    """Delitzsch's unmet searches: Kinder & Jugend 3, Sport 1, all areas 4. Without more
    hidden, 4 − 3 would give the 1 away; now some other number on each line is hidden too."""
    csv_text = render_csv(report)
    shown = shown_values(csv_text)
    row = [shown[("cell", "unmet", "Delitzsch", a)] for a in ("kinder-jugend", "sport", "alle")]
    assert row[1] == "<3" and "·" in row
    assert_nothing_recoverable(csv_text)
    assert_honest(report, shown)


def test_html_report(report: Report) -> None:
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="de">' in page
    assert "02.11.2026 – 29.11.2026" in page and "erstellt am 30.11.2026 09:00" in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # nothing from outside
    assert "<script" not in page
    sport = _heat_cell(page, "Delitzsch, Sport &amp; Bewegung")
    assert '<span class="n">&lt;3</span>' in sport and 'class="lvs"' in sport
    kids = _heat_cell(page, "Delitzsch, Kinder &amp; Jugend")
    assert '<span class="n">·</span>' in kids and 'class="lvx"' in kids  # grey, any size
    taucha = _heat_cell(page, "Taucha, Kultur &amp; Heimat")
    assert '<span class="n">4</span>' in taucha
    assert "Taucha" in page and "ohne Gemeinde" in page
    # No shown count of 1 or 2 anywhere: in heat-map cells, table columns or chart labels.
    assert not re.search(r'<span class="n">[12]</span>', page)
    assert not re.search(r">[12]</text>", page)
    tables = Tables()
    tables.feed(page)
    people = {p.SHORT_LABELS[m] for m in ("interested", "unmet", "leads", "accepted", "placed")}
    people |= {"Personen", *p.WEEK_LABELS.values()}
    checked = 0
    for header, rows in tables.tables:
        for row in rows:
            for name, shown in zip(header, row, strict=False):
                if name in people:
                    assert shown not in {"1", "2"}, (header, row)
                    checked += 1
    assert checked > 100
    assert "Geheim" not in page and "0171" not in page


class Tables(HTMLParser):
    """Every <table> as (header texts, rows of cell texts), to check columns by name."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._row: list[str] | None = None
        self._text: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._row is not None and self._text is not None:
            self._row.append("".join(self._text).strip())
            self._text = None
        elif tag == "tr" and self._row is not None:
            header, rows = self.tables[-1]
            if self._in_head:
                header.extend(self._row)
            else:
                rows.append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _heat_cell(page: str, title: str) -> str:
    match = re.search(rf'<td class="[^"]*" title="{re.escape(title)}">.*?</td>', page)
    assert match, title
    return match.group(0)


# --- the command line ---------------------------------------------------------------------


def report_cli(*args: str, db_path: Path) -> subprocess.CompletedProcess[str]:
    return run_lotse("report", *args, db=db_path)


@pytest.mark.slow
async def test_cli_every_format(history: Database, tmp_path: Path) -> None:
    db_path = tmp_path / "history.sqlite3"
    span = ("--from", "2026-11-02", "--to", "2026-11-29")
    text = report_cli(*span, db_path=db_path)
    assert text.returncode == 0, text.stderr
    assert "Je Gemeinde" in text.stdout and "Delitzsch" in text.stdout and "<3" in text.stdout
    for fmt, marker in (("text", "Dialogschritte"), ("csv", "section,"), ("html", "<!DOCTYPE")):
        out = tmp_path / "out" / f"bericht.{fmt}"
        result = report_cli(*span, "--format", fmt, "--out", str(out), db_path=db_path)
        assert result.returncode == 0, result.stderr
        assert str(out) in result.stdout
        assert marker in out.read_text(encoding="utf-8")
    csv_text = (tmp_path / "out" / "bericht.csv").read_text(encoding="utf-8")
    assert "zelle,Taucha,kultur,,,interested,4" in csv_text
    default = report_cli("--format", "csv", db_path=db_path)  # the last 30 days, up to today
    assert default.returncode == 0, default.stderr
    assert default.stdout.startswith(",".join(COLUMNS))


def test_cli_rejects_bad_dates(tmp_path: Path) -> None:
    db_path = tmp_path / "empty.sqlite3"
    bad = report_cli("--from", "2026-13-01", db_path=db_path)
    assert bad.returncode == 2 and "kein Datum im Format JJJJ-MM-TT" in bad.stderr
    backwards = report_cli("--from", "2026-11-30", "--to", "2026-11-01", db_path=db_path)
    assert backwards.returncode == 2 and "liegt nach" in backwards.stderr
    wrong = report_cli("--format", "pdf", db_path=db_path)
    assert wrong.returncode == 2


# --- the HTML in a real browser -----------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
)


def chromium() -> str:
    return require_tool("chromium", "chromium-browser", install=CHROMIUM_INSTALL)


def open_in_chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def console_messages(result: subprocess.CompletedProcess[str]) -> list[str]:
    """Chromium logs every console message (errors, blocked loads) as a CONSOLE line."""
    return [line for line in result.stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.slow
def test_console_check_catches_errors(tmp_path: Path) -> None:
    """The check below would see an error: a page that loads from outside and throws."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '</head><body><img src="https://example.org/x.png" alt=""></body></html>',
        encoding="utf-8",
    )
    result = open_in_chromium(broken, tmp_path, "--dump-dom")
    assert console_messages(result), result.stderr[-2000:]


@pytest.mark.slow
def test_html_opens_in_chromium(report: Report, tmp_path: Path) -> None:
    page = tmp_path / "bericht.html"
    page.write_text(render_html(report), encoding="utf-8")
    result = open_in_chromium(page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result) == []
    dom = result.stdout
    for gemeinde in ("Delitzsch", "Krostitz", "Taucha", "Schönwölkau", "ohne Gemeinde"):
        assert gemeinde in dom
    assert "Überblick für die Koordination" in dom and "<svg" in dom
    shot = tmp_path / "bericht.png"
    result = open_in_chromium(
        page, tmp_path, f"--screenshot={shot}", "--window-size=1280,4000", "--hide-scrollbars"
    )
    assert result.returncode == 0 and shot.stat().st_size > 10_000
