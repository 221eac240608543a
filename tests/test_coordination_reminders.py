"""Leads with the coordinators are reminded to them once a day until someone acts
(issue #19 point 5), and `lotse leads --overdue` lists what is past the promise."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bot.clock import ManualClock
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.leads.lifecycle import aware
from bot.leads.reassign import reassign
from bot.messages import Event
from bot.runtime.ticker import tick
from bot.store.db import Database
from bot.store.models import Lead
from tests.helpers.chat import run_lotse
from tests.helpers.leads import join_as_lotse
from tests.test_followup import last_outbox_id, lead_steps, new_lead, outbox, reload

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
WEDNESDAY = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)  # 10:00 in Berlin


async def escalated(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> tuple[Lead, dt.datetime]:
    """A lead nobody answered: with the coordinators from Saturday 10:00 (Berlin)."""
    clock.set(WEDNESDAY)
    lead = await new_lead(engine)
    start = aware(lead.offered_at)
    await tick(db, engine.content, start + 24 * H)
    at = start + 72 * H
    await tick(db, engine.content, at)
    lead = await reload(db, lead)
    assert (lead.status, lead.lotse_id) == ("new", None)
    return lead, at


async def reminders(db: Database, since: int) -> list[str]:
    return [
        r.text
        for r in await outbox(db, since)
        if r.recipient_role == "coordinator" and "bei der Koordination" in r.text
    ]


async def test_reminded_once_each_day(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    lead, at = await escalated(engine, db, clock)
    line = f"Anfrage #{lead.id}: Erinnerung an die Koordination"
    for day, age in ((1, 4), (2, 5), (3, 6)):
        mark = await last_outbox_id(db)
        assert await lead_steps(db, engine.content, at + day * D - H) == []
        assert await lead_steps(db, engine.content, at + day * D) == [line]
        assert await lead_steps(db, engine.content, at + day * D + H) == []  # never twice
        [text] = await reminders(db, mark)
        assert f"#{lead.id}" in text and f"seit {age} Tagen" in text
        assert "0171" not in text  # no contact details: not accepted by anyone


async def test_reminders_land_outside_quiet_hours(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    clock.set(dt.datetime(2026, 12, 2, 21, 30, tzinfo=dt.UTC))  # 22:30 in Berlin
    lead = await new_lead(engine)
    late = aware(lead.offered_at) + 72 * H
    await tick(db, engine.content, aware(lead.offered_at) + 24 * H)
    await tick(db, engine.content, late)
    assert (await reload(db, lead)).status == "new"
    assert await lead_steps(db, engine.content, late + D) == []  # 22:30: quiet
    morning = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)  # 08:00 in Berlin
    assert await lead_steps(db, engine.content, morning) == [
        f"Anfrage #{lead.id}: Erinnerung an die Koordination"
    ]


async def test_reminders_stop_when_a_coordinator_acts(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    lead, at = await escalated(engine, db, clock)
    await tick(db, engine.content, at + D)
    clock.set(at + D + H)
    moved, _ = await reassign(db, engine.content, lead.id, "lotse-taucha")
    assert moved
    mark = await last_outbox_id(db)
    for day in (2, 3):
        await tick(db, engine.content, at + day * D)
    assert await reminders(db, mark) == []


async def test_expiry_still_ends_the_reminders(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    lead, at = await escalated(engine, db, clock)
    await tick(db, engine.content, at + 60 * D + H)
    assert (await reload(db, lead)).status == "expired"
    mark = await last_outbox_id(db)
    await tick(db, engine.content, at + 61 * D + H)
    assert await reminders(db, mark) == []


async def test_two_tickers_remind_once_a_day(
    any_db_url: str, content: Content, matchers: Matchers, clock: ManualClock
) -> None:
    setup = Database(any_db_url)
    await setup.migrate()
    engine = DialogEngine(content, setup, matchers)
    lead, at = await escalated(engine, setup, clock)
    first, second = Database(any_db_url), Database(any_db_url)
    for day in (1, 2, 3):
        mark = await last_outbox_id(setup)
        done_a, done_b = await asyncio.gather(
            lead_steps(first, content, at + day * D), lead_steps(second, content, at + day * D)
        )
        assert len(done_a) + len(done_b) == 1
        assert len(await reminders(setup, mark)) == 1
    assert (await reload(setup, lead)).status == "new"
    for database in (first, second, setup):
        await database.close()


async def test_overdue_lists_unanswered_leads_oldest_first(
    engine: DialogEngine, db: Database, clock: ManualClock, tmp_path: Path
) -> None:
    clock.set(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))  # Monday 10:00 in Berlin
    first = await new_lead(engine, "a")
    taken = await new_lead(engine, "b")
    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "lotse")
    await lotse.send(Event.button(lotse.sender, f"l:{taken.id}:accept"))
    clock.set(dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC))
    second = await new_lead(engine, "c", "Taucha")
    clock.set(dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC))
    young = await new_lead(engine, "d")
    database = tmp_path / "lotse.sqlite3"  # the `db` fixture's file
    thursday = {"LOTSE_NOW": "2026-12-10T11:00:00+01:00"}  # 73 h after Monday 10:00
    result = run_lotse("leads", "--overdue", db=database, env=thursday)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "72 Stunden" in lines[0] and "Überfällig" in lines[0]
    rows = [line.split() for line in lines if line.startswith("#")]
    assert [row[0] for row in rows] == [f"#{first.id}", f"#{second.id}"]
    assert rows[0][1:5] == ["wartet", "3", "T.", "1"]
    later = run_lotse("leads", "--overdue", db=database, env={"LOTSE_NOW": "2026-12-20T11:00"})
    assert f"#{young.id}" in later.stdout and f"#{taken.id}" not in later.stdout
    none = run_lotse("leads", "--overdue", db=database, env={"LOTSE_NOW": "2026-12-07T12:00"})
    assert none.returncode == 0 and "Keine Anfrage ist überfällig" in none.stdout
