"""A revoked Lotse gets nothing new: routing skips them, their open leads move at once, and
coordinators hand a lead to another Lotse (`lotse leads reassign`)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import clock as product_clock
from bot.clock import ManualClock
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.leads import accounts, invites
from bot.leads.lifecycle import aware, change
from bot.leads.reassign import reassign
from bot.messages import Event, Message, Notification, Recipient
from bot.runtime.ticker import tick
from bot.store import repo
from bot.store.db import Database
from bot.store.models import Lead, LeadEvent
from bot.telegram.outbox import OutboxWorker
from tests.helpers.chat import Chat, run_lotse
from tests.helpers.leads import StubTelegram, join_as_lotse, outbox

pytestmark = pytest.mark.small_content  # asserts on wording: the tests' own content

ANNA, BERND, CLAUDIA = "lotse-delitzsch", "lotse-jesewitz", "lotse-krostitz"


def with_lotsen(content: Content, **changes: dict) -> Content:
    """The content with some Lotsen changed (deputies, telegram_id)."""
    lotsen = [lotse.model_copy(update=changes.get(lotse.id, {})) for lotse in content.lotsen]
    return dataclasses.replace(content, lotsen=lotsen)


@pytest.fixture
def deputies(content: Content) -> Content:
    """Anna Beispiel (Delitzsch) has Bernd Musterhaus as her deputy."""
    return with_lotsen(content, **{ANNA: {"deputies": [BERND]}})


@pytest.fixture
async def any_db(any_db_url: str, clock: ManualClock) -> AsyncIterator[Database]:
    db = Database(any_db_url)
    await db.migrate()
    yield db
    await db.close()


async def make_lead(engine: DialogEngine, user: str = "citizen") -> Chat:
    """A citizen in Delitzsch asks to be contacted; the chat shows the confirmation."""
    chat = Chat(engine, user=user)
    for text in ("Hallo", "1", "Kinder", "Delitzsch", "1", "1"):
        await chat.say(text)
    await chat.press("👉 1.")
    await chat.press("Ja")
    await chat.say("Maria")
    await chat.say("0171 2345678")
    assert "Ihre Anfrage ist angekommen" in chat.text
    return chat


async def leads(db: Database) -> list[Lead]:
    async with db.session() as session:
        return list((await session.scalars(select(Lead).order_by(Lead.id))).all())


async def events(db: Database, lead_id: int) -> list[LeadEvent]:
    async with db.session() as session:
        rows = await session.scalars(
            select(LeadEvent).where(LeadEvent.lead_id == lead_id).order_by(LeadEvent.id)
        )
        return list(rows.all())


async def revoke(db: Database, content: Content, lotse_id: str) -> list[str]:
    done = await accounts.revoke(db, content, lotse_id)
    assert done is not None, f"{lotse_id} had no access to revoke"
    return done


async def press_data(chat: Chat, data: str) -> None:
    """A button of a card that went through the outbox (not in the chat's last reply)."""
    await chat.send(Event.button(chat.sender, data))


# --- 1. routing -----------------------------------------------------------------------


async def test_a_revoked_lotse_gets_no_new_lead_their_deputy_does(
    any_db: Database, deputies: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(deputies, any_db, matchers)
    await join_as_lotse(engine, any_db, ANNA, "anna-chat")
    await revoke(any_db, deputies, ANNA)
    citizen = await make_lead(engine)
    assert "Bernd Musterhaus" in citizen.text and "Anna Beispiel" not in citizen.text
    [lead] = await leads(any_db)
    assert (lead.lotse_id, lead.status) == (BERND, "offered")
    [card] = await outbox(any_db)
    assert (card.recipient_role, card.recipient_id) == ("lotse", BERND)


async def test_without_an_active_deputy_the_coordination_gets_it(
    any_db: Database, deputies: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(deputies, any_db, matchers)
    for lotse_id, chat in ((ANNA, "anna-chat"), (BERND, "bernd-chat")):
        await join_as_lotse(engine, any_db, lotse_id, chat)
        await revoke(any_db, deputies, lotse_id)
    citizen = await make_lead(engine)
    assert "Koordinierungsstelle" in citizen.text and "Bernd" not in citizen.text
    [lead] = await leads(any_db)
    assert (lead.lotse_id, lead.status) == (None, "new")
    assert [row.recipient_role for row in await outbox(any_db)] == ["coordinator"]


async def test_a_question_is_not_offered_to_a_revoked_lotse(
    db: Database, content: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(content, db, matchers)
    await join_as_lotse(engine, db, ANNA, "anna-chat")
    await revoke(db, content, ANNA)
    citizen = Chat(engine, user="asker")
    for text in ("Hallo", "1", "Kinder", "Delitzsch", "1", "1"):
        await citizen.say(text)  # the dialogue knows the place now
    await citizen.press("Nein")
    await citizen.say("Hallo")
    await citizen.press("Frage")
    await citizen.say("Wie repariere ich einen tropfenden Wasserhahn?")
    await citizen.press("Menschen fragen")
    assert "Koordinierungsstelle" in citizen.text and "Anna" not in citizen.text
    await citizen.press("Ja")
    [lead] = await leads(db)
    assert (lead.kind, lead.lotse_id, lead.status) == ("question", None, "new")


async def test_escalation_skips_a_revoked_deputy(
    any_db: Database, deputies: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(deputies, any_db, matchers)
    await make_lead(engine)
    await join_as_lotse(engine, any_db, BERND, "bernd-chat")
    await revoke(any_db, deputies, BERND)
    [lead] = await leads(any_db)
    later = aware(lead.offered_at) + dt.timedelta(hours=deputies.leads.escalate_after_hours + 1)
    await tick(any_db, deputies, later)  # the reminder
    await tick(any_db, deputies, later)  # no answer: passed on
    [lead] = await leads(any_db)
    assert (lead.lotse_id, lead.status) == (None, "new")


# --- 2. revoking hands the open leads over --------------------------------------------


async def test_revoking_hands_open_leads_to_the_deputy_at_once(
    any_db: Database, deputies: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(deputies, any_db, matchers)
    for user in ("accepted", "offered", "placed"):
        await make_lead(engine, user=user)
    anna = await join_as_lotse(engine, any_db, ANNA, "anna-chat")
    accepted, offered, placed = await leads(any_db)
    await press_data(anna, f"l:{accepted.id}:accept")
    await press_data(anna, f"l:{placed.id}:accept")
    await anna.press("Vermittelt")
    mark = (await outbox(any_db))[-1].id

    done = await revoke(any_db, deputies, ANNA)

    assert done == [
        f"Anfrage #{accepted.id} → Bernd Musterhaus ({BERND})",
        f"Anfrage #{offered.id} → Bernd Musterhaus ({BERND})",
    ]
    accepted, offered, placed = await leads(any_db)
    assert (accepted.lotse_id, accepted.status) == (BERND, "offered")
    assert (offered.lotse_id, offered.status) == (BERND, "offered")
    assert (placed.lotse_id, placed.status) == (ANNA, "placed")  # closed: stays as it was
    last = (await events(any_db, accepted.id))[-1]
    assert (last.actor, last.from_status, last.to_status) == ("coordinator", "accepted", "offered")
    assert last.note == f"to:{BERND} (revoked: {ANNA})"
    new = [row for row in await outbox(any_db) if row.id > mark]
    cards = [row for row in new if row.recipient_role == "lotse"]
    assert {row.recipient_id for row in cards} == {BERND}
    assert all("übergeben" in row.text and "Anna Beispiel" in row.text for row in cards)
    assert all("0171" not in row.text for row in cards)  # contact details after accepting
    assert [label for label, _ in cards[0].buttons] == ["✅ Annehmen", "❌ Ablehnen"]
    told = [row for row in new if row.recipient_role == "citizen"]
    assert len(told) == 2 and all("Bernd Musterhaus" in row.text for row in told)
    # Nothing still waiting goes to the revoked Lotse any more.
    assert not [
        row for row in await outbox(any_db) if row.recipient_id == ANNA and row.status == "pending"
    ]


async def test_revoking_without_a_deputy_hands_leads_to_the_coordination(
    any_db: Database, content: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(content, any_db, matchers)
    await make_lead(engine)
    await join_as_lotse(engine, any_db, ANNA, "anna-chat")
    mark = (await outbox(any_db))[-1].id
    [lead] = await leads(any_db)
    assert await revoke(any_db, content, ANNA) == [f"Anfrage #{lead.id} → Koordination"]
    [lead] = await leads(any_db)
    assert (lead.lotse_id, lead.status) == (None, "new")
    new = [row for row in await outbox(any_db) if row.id > mark]
    assert [row.recipient_role for row in new] == ["coordinator", "citizen"]
    assert "lotse leads reassign" in new[0].text
    assert "Koordinierungsstelle" in new[1].text


async def test_an_invite_made_before_revoking_no_longer_works(
    db: Database, content: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(content, db, matchers)
    await join_as_lotse(engine, db, ANNA, "anna-chat")
    async with db.session() as session, session.begin():
        spare = await invites.create_invite(session, ANNA)
    await revoke(db, content, ANNA)
    again = Chat(engine, user="anna-other-phone")
    await again.say(f"/start inv-{spare}")
    assert "ungültig" in again.text
    assert await accounts.revoke(db, content, ANNA) is None  # once is enough
    assert await accounts.revoke(db, content, "niemand") is None


async def test_a_revoked_lotse_with_a_telegram_id_in_lotsen_yaml_gets_nothing(
    db: Database, content: Content, matchers: Matchers
) -> None:
    configured = with_lotsen(content, **{ANNA: {"telegram_id": 4242}})
    engine = DialogEngine(configured, db, matchers)
    telegram = StubTelegram()
    worker = OutboxWorker(db, telegram, lambda: configured, frozenset())  # type: ignore[arg-type]
    await make_lead(engine, user="before")
    await worker.deliver_due(product_clock.now())
    assert [chat for chat, _ in telegram.sent] == [4242]  # lotsen.yaml's chat gets the card

    await revoke(db, configured, ANNA)  # no invite was used: lotsen.yaml's chat is revoked
    assert "entzogen am" in "\n".join(await accounts.list_accounts(db, configured))
    await make_lead(engine, user="after")
    assert [lead.lotse_id for lead in await leads(db)] == [None, None]
    async with db.session() as session, session.begin():  # e.g. written just before revoking
        note = Notification(Recipient("lotse", ANNA, ""), Message("noch eine Karte"))
        repo.queue_notifications(session, [note])
    telegram.sent.clear()
    await worker.deliver_due(product_clock.now())
    assert 4242 not in [chat for chat, _ in telegram.sent]
    # … and it does not wait in the outbox for ever: it is closed as revoked
    [late] = [row for row in await outbox(db) if row.text == "noch eine Karte"]
    assert (late.status, late.last_error) == ("revoked", "Zugang entzogen")


# --- 3. lotse leads reassign ----------------------------------------------------------


async def test_coordinators_hand_a_lead_to_another_lotse(
    any_db: Database, content: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(content, any_db, matchers)
    await make_lead(engine)
    await join_as_lotse(engine, any_db, ANNA, "anna-chat")
    mark = (await outbox(any_db))[-1].id
    [lead] = await leads(any_db)

    moved, line = await reassign(any_db, content, lead.id, CLAUDIA)

    assert moved and line == f"Anfrage #{lead.id} an Claudia Probst ({CLAUDIA}) übergeben."
    [lead] = await leads(any_db)
    assert (lead.lotse_id, lead.status) == (CLAUDIA, "offered")
    last = (await events(any_db, lead.id))[-1]
    assert (last.actor, last.note) == ("coordinator", f"to:{CLAUDIA} (reassigned)")
    new = {row.recipient_id: row for row in await outbox(any_db) if row.id > mark}
    assert "übergeben" in new[CLAUDIA].text and "Anna Beispiel" in new[CLAUDIA].text
    assert f"#{lead.id}" in new[ANNA].text  # the previous Lotse knows it is not theirs now
    assert "Claudia Probst" in new[str(lead.user_id)].text
    claudia = await join_as_lotse(engine, any_db, CLAUDIA, "claudia-chat")
    await press_data(claudia, f"l:{lead.id}:accept")
    assert "0171 2345678" in claudia.text


async def test_reassign_refuses_what_it_cannot_do(
    any_db: Database, content: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(content, any_db, matchers)
    await make_lead(engine)
    [lead] = await leads(any_db)
    await join_as_lotse(engine, any_db, BERND, "bernd-chat")
    await revoke(any_db, content, BERND)
    mark = (await outbox(any_db))[-1].id
    refusals = {
        (999_999, CLAUDIA): "Anfrage #999999 gibt es nicht.",
        (lead.id, "niemand"): "Unbekannter Lotse 'niemand'.",
        (lead.id, BERND): f"Bernd Musterhaus ({BERND}) hat keinen Zugang mehr",
        (lead.id, ANNA): f"Anfrage #{lead.id} liegt schon bei Anna Beispiel",
    }
    for (lead_id, lotse_id), expected in refusals.items():
        moved, line = await reassign(any_db, content, lead_id, lotse_id)
        assert not moved and line.startswith(expected) and "\n" not in line
    async with any_db.session() as session, session.begin():
        closed = await session.get(Lead, lead.id)
        assert closed is not None
        change(session, closed, "withdrawn", actor="citizen", timing=content.leads)
    moved, line = await reassign(any_db, content, lead.id, CLAUDIA)
    assert not moved and line.startswith(f"Anfrage #{lead.id} ist abgeschlossen (zurückgezogen)")
    [lead] = await leads(any_db)
    assert (lead.lotse_id, lead.status) == (ANNA, "withdrawn")
    assert [row for row in await outbox(any_db) if row.id > mark] == []


def test_reassign_and_revoke_on_the_command_line(
    tmp_path: Path, content: Content, matchers: Matchers
) -> None:
    db_file = tmp_path / "cli.sqlite3"
    small = {
        "CONTENT_DIR": "tests/content/content",
        "KNOWLEDGE_DIR": "tests/content/knowledge",
    }

    def lotse(*args: str) -> subprocess.CompletedProcess[str]:
        return run_lotse(*args, db=db_file, env=small)

    async def a_lead() -> None:
        db = Database(f"sqlite+aiosqlite:///{db_file}")
        await db.migrate()
        await make_lead(DialogEngine(content, db, matchers))
        await db.close()

    asyncio.run(a_lead())
    refused = lotse("leads", "reassign", "1", "--to", "niemand")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == "Unbekannter Lotse 'niemand'. Bekannt: " + ", ".join(
        lotse.id for lotse in content.lotsen
    )
    moved = lotse("leads", "reassign", "1", "--to", CLAUDIA)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.strip() == f"Anfrage #1 an Claudia Probst ({CLAUDIA}) übergeben."
    assert CLAUDIA in lotse("leads").stdout  # the list is still `lotse leads`
    revoked = lotse("lotsen", "revoke", CLAUDIA)  # never joined, but a lead waits for her
    assert revoked.returncode == 0, revoked.stderr
    assert f"Anfrage #1 → Anna Beispiel ({ANNA})" in revoked.stdout  # back to Delitzsch's Lotse
    refused = lotse("leads", "reassign", "1", "--to", CLAUDIA)
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"Claudia Probst ({CLAUDIA}) hat keinen Zugang mehr")
