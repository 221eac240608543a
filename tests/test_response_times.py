"""The promise, measured (issue #19 point 5): a simulated November of requests.

Requests come in through the real DialogEngine, Lotsen answer with their buttons, the
ticker runs every six hours (reminders, escalation, the daily reminder to the
coordinators), and a coordinator hands one request on. The report made on 1 December and
the weekly digest must give exactly the hand-counted figures below, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.leads.reassign import reassign
from bot.leads.routing import COORDINATION_ID
from bot.messages import Event
from bot.report import Period, build_report
from bot.report.render_csv import render_csv
from bot.report.render_html import render_html
from bot.report.render_text import render_text
from bot.report.response import Responses, percentile
from bot.runtime.ticker import digest_text, tick
from bot.store.db import Database
from tests.helpers.chat import Chat
from tests.helpers.leads import join_as_lotse
from tests.test_coordination_reminders import reminders
from tests.test_followup import new_lead

H = dt.timedelta(hours=1)
BERLIN = ZoneInfo("Europe/Berlin")
PERIOD = Period(dt.date(2026, 11, 2), dt.date(2026, 11, 29), BERLIN)
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)  # the report is made then


def utc(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC)


# name: (created, place, what happens after how many hours). Hand count in the test.
REQUESTS = {
    "A": (utc(3), "Delitzsch", [(2, "accept")]),  # fast
    "B": (utc(5), "Delitzsch", [(10, "accept"), (72, "placed")]),  # fast, placed
    "C": (utc(9), "Delitzsch", [(30, "accept"), (200, "placed")]),  # within 72 h, placed
    # Nobody answers: escalated at 72 h to the coordinators, who hand it on to Taucha,
    # whose Lotse accepts at 110 h: late. It counts for Delitzsch's Lotse, who had it first.
    "D": (utc(12), "Delitzsch", [(100, "to_taucha"), (110, "accept_taucha")]),
    "E": (utc(20), "Delitzsch", []),  # never answered: with the coordinators, overdue
    "F": (utc(4), "Taucha", [(1, "accept"), (48, "placed")]),  # fast, placed
    "H": (utc(16), "Taucha", [(50, "accept")]),  # within 72 h
    "G": (utc(28, 22), "Taucha", []),  # 58 h old on 1 December: late for 24 h, not yet 72
}


async def simulate(engine: DialogEngine, db: Database, clock: ManualClock) -> dict[str, int]:
    """Run November: requests, answers and ticks in the order of their times."""
    delitzsch = await join_as_lotse(engine, db, "lotse-delitzsch", "lotsin-delitzsch")
    taucha = await join_as_lotse(engine, db, "lotse-taucha", "lotse-taucha-chat")
    lotse_of = {"Delitzsch": delitzsch, "Taucha": taucha}
    ids: dict[str, int] = {}
    plan: list[tuple[dt.datetime, int, Callable[[], Awaitable[object]]]] = []

    def press(chat: Chat, name: str, action: str) -> Callable[[], Awaitable[object]]:
        return lambda: chat.send(Event.button(chat.sender, f"l:{ids[name]}:{action}"))

    def create(name: str, place: str) -> Callable[[], Awaitable[object]]:
        async def run() -> None:
            ids[name] = (await new_lead(engine, f"person-{name}", place)).id

        return run

    for name, (created, place, steps) in REQUESTS.items():
        plan.append((created, 0, create(name, place)))
        for hours, step in steps:
            if step == "to_taucha":
                action = (lambda n: lambda: reassign(db, engine.content, ids[n], "lotse-taucha"))(
                    name
                )
            elif step == "accept_taucha":
                action = press(taucha, name, "accept")
            else:
                action = press(lotse_of[place], name, step)
            plan.append((created + hours * H, 1, action))
    moment = utc(2, 0)
    while moment <= NOW:
        plan.append((moment, 2, lambda at=moment: tick(db, engine.content, at)))
        moment += 6 * H
    for at, _, action in sorted(plan, key=lambda item: (item[0], item[1])):
        clock.set(at)
        await action()
    return ids


async def test_a_month_of_requests_gives_the_expected_figures(
    any_db_url: str, content: Content, matchers: Matchers, clock: ManualClock
) -> None:
    db = Database(any_db_url)
    await db.migrate()
    try:
        await check_the_month(DialogEngine(content, db, matchers), db, clock)
    finally:
        await db.close()


async def check_the_month(engine: DialogEngine, db: Database, clock: ManualClock) -> None:
    ids = await simulate(engine, db, clock)
    async with db.session() as session:
        report = await build_report(session, engine.content, PERIOD, NOW)
    times = report.responses
    assert times is not None

    def figures(group: Responses) -> tuple[object, ...]:
        return (
            group.requests,
            (group.fast, group.due_fast),
            (group.kept, group.due_promise),
            sorted(group.hours),
            group.placed,
            group.overdue,
        )

    e = ids["E"]
    # Delitzsch: A 2 h, B 10 h, C 30 h, D 110 h, E never; B and C placed; E overdue.
    delitzsch = (5, (2, 5), (3, 5), [2.0, 10.0, 30.0, 110.0], 2, [e])
    # Taucha: F 1 h, H 50 h, G unanswered and 58 h old (due for 24 h, not yet for 72 h).
    taucha = (3, (1, 3), (2, 2), [1.0, 50.0], 1, [])
    assert figures(times.by_gemeinde["Delitzsch"]) == delitzsch
    assert figures(times.by_gemeinde["Taucha"]) == taucha
    assert figures(times.total) == (
        8,
        (3, 8),
        (5, 7),
        [1.0, 2.0, 10.0, 30.0, 50.0, 110.0],
        3,
        [e],
    )
    # Per Lotse: each request counts for the Lotse who had it first; the overdue one is
    # listed where it waits now, with the coordinators.
    assert figures(times.by_lotse["lotse-delitzsch"]) == (*delitzsch[:-1], [])
    assert figures(times.by_lotse["lotse-taucha"]) == taucha
    assert figures(times.by_lotse[COORDINATION_ID]) == (0, (0, 0), (0, 0), [], 0, [e])
    total = times.total
    assert (total.fast_share, total.placed_share) == (3 / 8, 3 / 8)
    assert total.kept_share == pytest.approx(5 / 7)
    assert (total.median, total.p90) == (20.0, 110.0)
    assert percentile([2.0, 10.0, 30.0, 110.0], 0.9) == 110.0

    text = render_text(report)
    lines = {" ".join(line.split()) for line in text.splitlines()}
    assert f"Delitzsch 5 40 % 60 % 20 Std. 4,6 Tage 40 % #{e}" in lines
    assert "Taucha 3 33,3 % <3 <3 <3 33,3 % –" in lines  # two answers: too few to show
    assert f"alle Gemeinden 8 37,5 % 71,4 % 20 Std. 4,6 Tage 37,5 % #{e}" in lines
    assert "Anna Beispiel 5 40 % 60 % 20 Std. 4,6 Tage 40 % –" in lines
    assert f"Koordinierungsstelle 0 – – – – – #{e}" in lines
    assert (
        "Vermittlungen je Anfrage hier: 37,5 % · zum Vergleich der Durchschnitt der "
        "Freiwilligenagenturen: etwa 40 % Vermittlungen je Anfrage" in lines
    )
    assert "person-" not in text and "0171" not in text  # no personal data
    page = render_html(report)
    assert "Antwortzeiten – Versprechen: ein Mensch antwortet binnen 72 Std." in page
    assert f"<td>4,6 Tage</td><td>40 %</td><td>#{e}</td>" in page
    table = list(csv.reader(io.StringIO(render_csv(report))))
    delitzsch_rows = {
        r[5]: r[6] for r in table if r[0] == "antwort_gemeinde" and r[1] == "Delitzsch"
    }
    assert delitzsch_rows == {
        "requests": "5",
        "answered_24h_percent": "40.0",
        "answered_72h_percent": "60.0",
        "median_hours": "20.0",
        "p90_hours": "110.0",
        "placed_percent": "40.0",
        "overdue": str(e),
    }
    taucha_lotse = {r[5]: r[6] for r in table if r[0] == "antwort_lotse" and r[7] == "lotse-taucha"}
    assert taucha_lotse["answered_24h_percent"] == "33.3" and taucha_lotse["median_hours"] == "<3"

    digest = await _digest(db, engine)
    assert (
        "• Delitzsch: 5 Anfragen · binnen 24 Std. 40 % · binnen 72 Std. 60 % · Median 20 Std. "
        f"· 90 % 4,6 Tage · vermittelt 40 % · überfällig #{e}" in digest
    )
    assert "etwa 40 % Vermittlungen je Anfrage" in digest

    # E went to the coordinators on 23 November (at the 12:00 tick) and was reminded to
    # them once each day until the report, 4 to 10 days old; D once, and never again after
    # a coordinator handed it on (16 November, 14:00).
    sent = await reminders(db, 0)
    waiting = [
        t.split(" wartet seit ")[1].split(" auf")[0] for t in sent if f"Anfrage #{e} liegt" in t
    ]
    assert waiting == [f"{days} Tagen" for days in range(4, 11)]
    assert len([t for t in sent if f"Anfrage #{ids['D']} liegt" in t]) == 1


async def _digest(db: Database, engine: DialogEngine) -> str:
    async with db.session() as session:
        return await digest_text(session, engine.content, NOW)
