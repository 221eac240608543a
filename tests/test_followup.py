"""Timed lead follow-up with a controllable clock: tick(db, content, now) and `lotse tick`."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import clock as product_clock
from bot.clock import ManualClock
from bot.content.model import Content
from bot.content.schema import Absence
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.leads.lifecycle import aware
from bot.messages import Event
from bot.runtime.ticker import tick
from bot.store.db import Database
from bot.store.models import Lead, LeadEvent, OutboxMessage, Timer
from tests.helpers.chat import Chat, run_lotse

ROOT = Path(__file__).resolve().parent.parent
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def with_lotsen(content: Content, **changes: dict) -> Content:
    """The shipped content with some Lotsen changed (deputies, absences, limits)."""
    lotsen = [lotse.model_copy(update=changes.get(lotse.id, {})) for lotse in content.lotsen]
    return dataclasses.replace(content, lotsen=lotsen)


async def new_lead(engine: DialogEngine, user: str = "citizen", place: str = "Delitzsch") -> Lead:
    chat = Chat(engine, user=user)
    for text in ("Hallo", "1", "Kinder", place, "1", "1"):
        await chat.say(text)
    await chat.press("beraten")
    await chat.press("Ja")
    await chat.press("Überspringen")
    await chat.say("0171 2345678")
    async with engine.db.session() as session:
        return (await session.scalars(select(Lead).order_by(Lead.id.desc()))).first()


async def lead_steps(db: Database, content: Content, now: dt.datetime) -> list[str]:
    """What a tick did about leads (the weekly digest may come along at any date)."""
    return [line for line in await tick(db, content, now) if line.startswith("Anfrage")]


async def outbox(db: Database, since: int = 0) -> list[OutboxMessage]:
    async with db.session() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > since).order_by(OutboxMessage.id)
        )
        return list(rows.all())


async def last_outbox_id(db: Database) -> int:
    rows = await outbox(db)
    return rows[-1].id if rows else 0


async def reload(db: Database, lead: Lead) -> Lead:
    async with db.session() as session:
        fresh = await session.get(Lead, lead.id)
        assert fresh is not None
        return fresh


async def test_reminder_then_escalation_to_coordinators(engine: DialogEngine, db: Database) -> None:
    lead = await new_lead(engine)
    start = aware(lead.offered_at)
    mark = await last_outbox_id(db)
    assert await lead_steps(db, engine.content, start + 23 * H) == []
    done = await lead_steps(db, engine.content, start + 24 * H)
    assert done == [f"Anfrage #{lead.id}: Erinnerung an lotse-delitzsch"]
    [reminder] = [r for r in await outbox(db, mark) if r.recipient_role == "lotse"]
    assert reminder.recipient_id == "lotse-delitzsch" and "Erinnerung" in reminder.text
    assert await lead_steps(db, engine.content, start + 25 * H) == []  # never twice
    mark = await last_outbox_id(db)
    done = await lead_steps(db, engine.content, start + 72 * H)
    assert done == [f"Anfrage #{lead.id}: ohne Antwort von lotse-delitzsch → Koordination"]
    lead = await reload(db, lead)
    assert (lead.status, lead.lotse_id) == ("new", None)
    rows = [r for r in await outbox(db, mark) if "Wochenüberblick" not in r.text]
    assert {(r.recipient_role, r.recipient_id) for r in rows} == {
        ("lotse", "lotse-delitzsch"),
        ("coordinator", "koordination"),
        ("citizen", str(lead.user_id)),
    }
    citizen = next(r for r in rows if r.recipient_role == "citizen")
    assert "dauert leider etwas länger" in citizen.text


async def test_escalation_goes_to_deputy_first(
    content: Content, db: Database, matchers: Matchers
) -> None:
    content = with_lotsen(content, **{"lotse-delitzsch": {"deputies": ["lotse-krostitz"]}})
    engine = DialogEngine(content, db, matchers)
    lead = await new_lead(engine)
    await tick(db, content, aware(lead.offered_at) + 72 * H + 1 * H)
    lead = await reload(db, lead)
    assert (lead.status, lead.lotse_id) == ("offered", "lotse-krostitz")
    # The deputy gets the full chain again, then the coordinators take over.
    offered = aware(lead.offered_at)
    await tick(db, content, offered + 24 * H)
    await tick(db, content, offered + 72 * H)
    lead = await reload(db, lead)
    assert (lead.status, lead.lotse_id) == ("new", None)
    async with db.session() as session:
        events = (
            await session.scalars(
                select(LeadEvent.note).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id)
            )
        ).all()
    assert events[0] == "to:lotse-delitzsch" and events[1].startswith("to:lotse-krostitz")


async def test_absent_or_full_lotse_hands_over_at_creation(
    content: Content, db: Database, matchers: Matchers
) -> None:
    today = product_clock.today()
    away = Absence(start=today - D, end=today + D)
    content = with_lotsen(
        content,
        **{
            "lotse-delitzsch": {"absent": [away], "deputies": ["lotse-taucha"]},
            "lotse-taucha": {"max_open": 1},
        },
    )
    engine = DialogEngine(content, db, matchers)
    first = await new_lead(engine, "a")
    second = await new_lead(engine, "b")
    assert first.lotse_id == "lotse-taucha"  # the deputy, while the Lotse is on holiday
    assert second.lotse_id is None and second.status == "new"  # deputy full: coordinators


async def test_outcome_reminder_followup_and_answer(engine: DialogEngine, db: Database) -> None:
    lead = await new_lead(engine)
    async with db.session() as session, session.begin():
        from bot.leads import invites

        code = await invites.create_invite(session, "lotse-delitzsch")
    lotse = Chat(engine, user="lotse")
    await lotse.say(f"/start inv-{code}")
    await lotse.send(Event.button(lotse.sender, f"l:{lead.id}:accept"))
    accepted = product_clock.now()
    mark = await last_outbox_id(db)
    done = await lead_steps(db, engine.content, accepted + 7 * D + H)
    assert done == [f"Anfrage #{lead.id}: Ergebnis bei lotse-delitzsch erfragt"]
    assert any("Wie ist es ausgegangen" in r.text for r in await outbox(db, mark))
    await lotse.send(Event.button(lotse.sender, f"l:{lead.id}:placed"))
    placed = product_clock.now()
    assert await lead_steps(db, engine.content, placed + 13 * D) == []
    mark = await last_outbox_id(db)
    noon = (placed + 15 * D).replace(hour=11, minute=0)  # 12:00 in Berlin: not quiet
    await tick(db, engine.content, noon)
    [question] = [r for r in await outbox(db, mark) if r.recipient_role == "citizen"]
    assert question.recipient_role == "citizen" and "Hat es geklappt" in question.text
    yes = next(data for label, data in question.buttons if "Ja" in label)
    citizen = Chat(engine, user="citizen")
    await citizen.send(Event.button(citizen.sender, yes))
    assert "Danke für Ihre Rückmeldung" in citizen.text
    assert (await reload(db, lead)).followup == "yes"
    stranger = Chat(engine, user="stranger")
    await stranger.say("Hallo")
    await stranger.send(Event.button(stranger.sender, yes.replace(":yes", ":no")))
    assert (await reload(db, lead)).followup == "yes"  # not their lead


async def test_quiet_hours_hold_messages_to_citizens(engine: DialogEngine, db: Database) -> None:
    lead = await new_lead(engine)
    late = dt.datetime(2026, 12, 3, 21, 30, tzinfo=dt.UTC)  # 22:30 in Berlin
    async with db.session() as session, session.begin():
        row = await session.get(Lead, lead.id)
        assert row is not None
        row.due_at, row.due_kind = late, "escalate"
    mark = await last_outbox_id(db)
    await tick(db, engine.content, late)
    rows = await outbox(db, mark)
    citizen = next(r for r in rows if r.recipient_role == "citizen")
    coordinator = next(r for r in rows if r.recipient_role == "coordinator")
    assert aware(citizen.next_attempt_at) == dt.datetime(2026, 12, 4, 7, 0, tzinfo=dt.UTC)
    assert aware(coordinator.next_attempt_at) == late  # Lotsen and coordinators are not held


async def test_expiry_and_withdrawal(engine: DialogEngine, db: Database) -> None:
    lead = await new_lead(engine, "a")
    start = aware(lead.offered_at)
    await tick(db, engine.content, start + 24 * H)
    await tick(db, engine.content, start + 72 * H)  # → coordinators, expires in 60 days
    await tick(db, engine.content, start + 72 * H + 60 * D + H)
    assert (await reload(db, lead)).status == "expired"
    other = await new_lead(engine, "b")
    chat = Chat(engine, user="b")
    await chat.send(Event.button(chat.sender, f"w:{other.id}"))
    assert "zurückgezogen" in chat.text
    assert (await reload(db, other)).status == "withdrawn"
    assert (await outbox(db))[-1].recipient_id == "lotse-delitzsch"
    assert (await reload(db, other)).due_at is None


async def test_weekly_digest_once_on_monday_morning(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    wednesday = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    clock.set(wednesday - 2 * H)  # the lead comes in on Wednesday morning
    lead = await new_lead(engine)
    await tick(db, engine.content, wednesday)
    async with db.session() as session:
        timer = await session.get(Timer, "weekly_digest")
        assert timer is not None
        assert aware(timer.due_at) == dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)  # 08:00
    # Nobody answers: reminded on Thursday, with the coordinators from Friday.
    start = aware(lead.offered_at)
    await lead_steps(db, engine.content, start + 24 * H)
    await lead_steps(db, engine.content, start + 48 * H)
    monday = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)
    mark = await last_outbox_id(db)
    assert "Wochenüberblick an die Koordination" in await tick(db, engine.content, monday)
    assert "Wochenüberblick an die Koordination" not in await tick(db, engine.content, monday)
    [digest] = [r for r in await outbox(db, mark) if "Wochenüberblick" in r.text]
    assert digest.recipient_role == "coordinator"
    assert "Bei der Koordination: 1" in digest.text


async def test_two_tickers_send_each_reminder_once(
    any_db_url: str, content: Content, matchers: Matchers
) -> None:
    setup = Database(any_db_url)
    await setup.migrate()
    engine = DialogEngine(content, setup, matchers)
    leads = [
        await new_lead(engine, f"user{n}", place)
        for n, place in enumerate(
            ["Delitzsch", "Taucha", "Krostitz", "Rackwitz", "Zwochau", "Löbnitz"]
        )
    ]
    later = max(aware(lead.offered_at) for lead in leads) + 24 * H
    mark = await last_outbox_id(setup)
    first, second = Database(any_db_url), Database(any_db_url)
    done_a, done_b = await asyncio.gather(
        lead_steps(first, content, later), lead_steps(second, content, later)
    )
    reminders = [r for r in await outbox(setup, mark) if "Erinnerung" in r.text]
    assert len(reminders) == len(leads) == len(done_a) + len(done_b)
    assert len({r.recipient_id for r in reminders}) == len(leads)
    for database in (first, second, setup):
        await database.close()


@pytest.mark.slow
def test_lotse_tick_command(tmp_path: Path) -> None:
    db = tmp_path / "tick.sqlite3"
    script = "Hallo\n1\nSport\nTaucha\n1\n1\nLotse soll mich beraten\nja\n1\nkim@example.org\n"
    assert run_lotse("chat", db=db, stdin=script).returncode == 0
    soon = (product_clock.now() + 25 * H).isoformat()
    result = run_lotse("tick", "--at", soon, db=db)
    assert result.returncode == 0, result.stderr
    assert "1 erledigt" in result.stdout and "Erinnerung an lotse-taucha" in result.stdout
    bad = run_lotse("tick", "--at", "gestern", db=db)
    assert bad.returncode == 2 and "keine ISO-Zeit" in bad.stderr
