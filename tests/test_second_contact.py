"""A lead that waits with the coordinators goes on to a second contact after some days,
once, when `second_contact` is set in leads.yaml (issue #19 point 5)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sqlalchemy import select

from bot.clock import ManualClock
from bot.content.model import Content
from bot.content.schema import SecondContact
from bot.dialogs.engine import DialogEngine
from bot.leads.accounts import revoke
from bot.messages import Event
from bot.store.db import Database
from bot.store.models import Lead, LeadEvent
from tests.helpers.chat import run_lotse
from tests.helpers.content_tree import append, find, shipped_copy
from tests.helpers.leads import join_as_lotse
from tests.test_coordination_reminders import escalated, reminders
from tests.test_followup import last_outbox_id, lead_steps, outbox, reload

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
SECOND = "lotse-taucha"  # not the Delitzsch lead's own Lotse


def with_second_contact(engine: DialogEngine, after_days: float = 3) -> None:
    """The engine's content with `second_contact` set (the ticker reads the same content)."""
    leads = engine.content.leads.model_copy(
        update={"second_contact": SecondContact(after_days=after_days, lotse=SECOND)}
    )
    # Both: the engine derives `content` from `base_content` when Vereine's offers change.
    engine.base_content = dataclasses.replace(engine.base_content, leads=leads)
    engine.content = dataclasses.replace(engine.content, leads=leads)


async def events(db: Database, lead: Lead) -> list[str]:
    async with db.session() as session:
        notes = await session.scalars(
            select(LeadEvent.note).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id)
        )
        return [note or "" for note in notes]


async def test_without_second_contact_it_stays_with_the_coordinators(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    assert engine.content.leads.second_contact is None  # shipped: only an example comment
    lead, at = await escalated(engine, db, clock)
    for day in range(1, 8):
        line = f"Anfrage #{lead.id}: Erinnerung an die Koordination"
        assert await lead_steps(db, engine.content, at + day * D) == [line]
    assert (await reload(db, lead)).status == "new"
    assert not [note for note in await events(db, lead) if "second contact" in note]


async def test_goes_to_the_second_contact_once_after_n_days_and_they_can_accept(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    with_second_contact(engine, after_days=3)
    lead, at = await escalated(engine, db, clock)
    for day in (1, 2):
        await tick_at(engine, db, at + day * D)
    assert await lead_steps(db, engine.content, at + 3 * D - H) == []
    mark = await last_outbox_id(db)
    assert await lead_steps(db, engine.content, at + 3 * D) == [
        f"Anfrage #{lead.id}: seit 6 Tagen ohne Antwort → Zweitkontakt {SECOND}"
    ]
    lead = await reload(db, lead)
    assert (lead.status, lead.lotse_id) == ("offered", SECOND)
    assert (await events(db, lead))[-1] == f"to:{SECOND} (second contact)"
    sent = {row.recipient_role: row for row in await outbox(db, mark)}
    card = sent["lotse"]
    assert card.recipient_id == SECOND and "Zweitkontakt" in card.text
    assert "0171" not in card.text  # contact details only once accepted
    assert f"#{lead.id}" in sent["coordinator"].text and "Zweitkontakt" in sent["coordinator"].text
    assert "meldet sich jetzt" in sent["citizen"].text
    assert await reminders(db, mark) == []  # this day: the note above instead of a reminder

    clock.set(at + 3 * D + H)
    second = await join_as_lotse(engine, db, SECOND, "second")
    await second.send(Event.button(second.sender, f"l:{lead.id}:accept"))
    assert "0171" in second.text  # accepted: the card now shows how to reach the person
    assert (await reload(db, lead)).status == "accepted"
    mark = await last_outbox_id(db)
    for day in (4, 5, 6):
        await tick_at(engine, db, at + day * D)
    assert await reminders(db, mark) == []
    assert [n for n in await events(db, lead) if "second contact" in n] == [
        f"to:{SECOND} (second contact)"
    ]


async def test_declined_it_comes_back_and_never_goes_there_twice(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    with_second_contact(engine, after_days=1)
    lead, at = await escalated(engine, db, clock)
    await tick_at(engine, db, at + D)
    clock.set(at + D + H)
    second = await join_as_lotse(engine, db, SECOND, "second")
    await second.send(Event.button(second.sender, f"l:{lead.id}:decline"))
    assert (await reload(db, lead)).status == "new"
    for day in (2, 3, 4):
        mark = await last_outbox_id(db)
        steps = await lead_steps(db, engine.content, at + D + H + day * D)
        assert steps == [f"Anfrage #{lead.id}: Erinnerung an die Koordination"]
        [text] = await reminders(db, mark)
        assert "schon beim Zweitkontakt" in text
        assert all(row.recipient_id != SECOND for row in await outbox(db, mark))
    assert (await reload(db, lead)).lotse_id is None


async def test_a_revoked_second_contact_is_skipped_and_the_coordinators_told(
    engine: DialogEngine, db: Database, clock: ManualClock
) -> None:
    with_second_contact(engine, after_days=2)
    lead, at = await escalated(engine, db, clock)
    await join_as_lotse(engine, db, SECOND, "second")
    assert await revoke(db, engine.content, SECOND) is not None
    for day in (2, 3):
        mark = await last_outbox_id(db)
        steps = await lead_steps(db, engine.content, at + day * D)
        assert steps == [f"Anfrage #{lead.id}: Erinnerung an die Koordination"]
        [text] = await reminders(db, mark)
        assert "kein Zugang mehr" in text
    lead = await reload(db, lead)
    assert (lead.status, lead.lotse_id) == ("new", None)


async def tick_at(engine: DialogEngine, db: Database, moment: dt.datetime) -> None:
    await lead_steps(db, engine.content, moment)


def test_check_names_an_unknown_second_contact(tmp_path: Path) -> None:
    tree = shipped_copy(tmp_path)
    block = "second_contact: {after_days: 3, lotse: lotse-delitsch}\n"
    line = append(tree.path("leads.yaml"), block)
    find(tree.problems(), "leads.yaml", line, "Zweitkontakt 'lotse-delitsch'", "lotse-delitzsch")
    env = {"CONTENT_DIR": str(tree.content), "KNOWLEDGE_DIR": str(tree.knowledge)}
    result = run_lotse("check", db=tmp_path / "unused.sqlite3", env=env)
    assert result.returncode != 0
    assert f"leads.yaml:{line}" in result.stdout + result.stderr


def test_check_wants_the_second_contact_before_expiry(content: Content, tmp_path: Path) -> None:
    tree = shipped_copy(tmp_path)
    days = int(content.leads.expire_after_days)
    block = f"second_contact: {{after_days: {days}, lotse: lotse-taucha}}\n"
    line = append(tree.path("leads.yaml"), block)
    find(tree.problems(), "leads.yaml", line, "expire_after_days")
