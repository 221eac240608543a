"""Data protection: notice, consent, /meine_daten, /loeschen, retention, revoking Lotsen."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from sqlalchemy import func, select

from bot import clock as product_clock
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.leads import invites
from bot.messages import Event, Message, Notification, Recipient
from bot.privacy.personal_data import ANONYMOUS
from bot.runtime.ticker import tick
from bot.store import repo
from bot.store.db import Database
from bot.store.models import (
    Conversation,
    HandledUpdate,
    Lead,
    LotseAccount,
    OutboxMessage,
    User,
)
from tests.helpers.chat import Chat, run_lotse

ROOT = Path(__file__).resolve().parent.parent


async def lead_by(engine: DialogEngine, user: str, name: str, phone: str) -> Chat:
    chat = Chat(engine, user=user)
    for text in ("Hallo", "1", "Kinder", "Delitzsch", "1", "1"):
        await chat.say(text)
    await chat.press("beraten")
    await chat.press("Ja")
    await chat.say(name)
    await chat.say(phone)
    return chat


async def test_privacy_notice_names_controller_and_periods(
    db: Database, content: Content, matchers: Matchers
) -> None:
    engine = DialogEngine(content, db, matchers, controller="Verein Muster e. V., Leipzig")
    chat = Chat(engine)
    await chat.say("/datenschutz")
    assert "Verein Muster e. V., Leipzig" in chat.text and "30 Tage" in chat.text
    for text in ("Hallo", "1", "Sport", "Taucha", "1", "1"):
        await chat.say(text)
    await chat.press("beraten")
    assert "Verantwortlich ist Verein Muster e. V., Leipzig" in chat.text


async def test_my_data_shows_everything_and_only_mine(engine: DialogEngine) -> None:
    mine = await lead_by(engine, "maria", "Maria", "0171 1111111")
    await lead_by(engine, "kurt", "Kurt", "0172 2222222")
    await mine.say("/meine_daten")
    message = mine.last.replies[0]
    assert "Maria" in message.text and "0171 1111111" in message.text
    assert "Kurt" not in message.text and "0172" not in message.text
    assert message.attachment is not None
    data = json.loads(message.attachment.content)
    [request] = data["requests"]
    assert (request["name"], request["contact"], request["status"]) == (
        "Maria",
        "0171 1111111",
        "offered",
    )
    assert request["consent_version"] and data["person"]["id_on_channel"] == "maria"


async def test_my_data_shows_a_waiting_message_as_the_channel_names_its_commands(
    engine: DialogEngine, db: Database
) -> None:
    """Queued texts keep {/start} until delivery; the export shows them as this channel does."""
    mine = await lead_by(engine, "maria", "Maria", "0171 1111111")
    async with db.session() as session, session.begin():
        user = await session.scalar(select(User).where(User.external_id == "maria"))
        assert user is not None
        note = Notification(Recipient("citizen", str(user.id), ""), Message("Neu? {/start}"))
        repo.queue_notifications(session, [note])
    await mine.say("/meine_daten")
    data = json.loads(mine.last.replies[0].attachment.content)
    assert [m["text"] for m in data["messages_waiting"]][-1] == "Neu? /start"


async def test_erase_needs_confirmation_and_keeps_only_anonymous_counts(
    engine: DialogEngine, db: Database
) -> None:
    chat = await lead_by(engine, "maria", "Maria", "0171 1111111")
    await chat.say("/loeschen")
    assert "Wirklich" in chat.text
    await chat.press("Nein")
    assert "bleibt alles" in chat.text
    await chat.send(Event.button(chat.sender, "del:yes"))  # a forged press without asking
    async with db.session() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(User).where(User.external_id == "maria")
            )
            == 1
        )
    await chat.say("/loeschen")
    await chat.press("Ja, alles löschen")
    assert "Ihre Daten sind gelöscht" in chat.text
    async with db.session() as session:
        users = (await session.scalars(select(User))).all()
        assert [(u.channel, u.external_id) for u in users] == [ANONYMOUS]
        assert (await session.scalars(select(Conversation))).all() == []
        [lead] = (await session.scalars(select(Lead))).all()
        assert (lead.status, lead.name, lead.contact, lead.place) == ("withdrawn", None, None, None)
        assert (lead.gemeinde, lead.interests) == ("Delitzsch", ["kinder-jugend"])
        notes = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert notes[-1].recipient_id == "lotse-delitzsch" and "Daten gelöscht" in notes[-1].text
    assert all("Maria" not in n.text and "0171" not in n.text for n in notes)
    await chat.say("Hallo")
    assert "willkommen" in chat.text.lower()  # a fresh start, nothing remembered


async def test_erase_also_drops_replies_held_for_the_persons_chat(
    engine: DialogEngine, db: Database
) -> None:
    """Replies that waited for Telegram (role 'chat', the private chat's id = the person's
    id) may hold the data being deleted; another chat's waiting replies stay."""
    chat = await lead_by(engine, "4711", "Maria", "0171 1111111")
    async with db.session() as session, session.begin():
        for chat_id in ("4711", "4712"):
            repo.queue_notifications(
                session,
                [Notification(Recipient("chat", chat_id, ""), Message(f"Daten von {chat_id}"))],
            )
    await chat.say("/loeschen")
    await chat.press("Ja, alles löschen")
    assert "Ihre Daten sind gelöscht" in chat.text
    async with db.session() as session:
        held = (
            await session.scalars(
                select(OutboxMessage.text).where(OutboxMessage.recipient_role == "chat")
            )
        ).all()
    assert held == ["Daten von 4712"]


async def test_retention_deletes_and_anonymizes_old_data(
    engine: DialogEngine, db: Database
) -> None:
    old_chat = Chat(engine, user="old")
    await old_chat.say("Hallo")
    await old_chat.press("engagieren")
    await lead_by(engine, "placed", "Paula", "0173 3333333")
    async with db.session() as session, session.begin():
        code = await invites.create_invite(session, "lotse-delitzsch")
    lotse = Chat(engine, user="lotse")
    await lotse.say(f"/start inv-{code}")
    async with db.session() as session:
        lead_id = (await session.scalars(select(Lead.id))).one()
    for action in ("accept", "placed"):
        await lotse.send(Event.button(lotse.sender, f"l:{lead_id}:{action}"))
    now = product_clock.now()
    async with db.session() as session, session.begin():
        session.add(HandledUpdate(key="tg:1", at=now))
    done = await tick(db, engine.content, now + dt.timedelta(days=10))
    assert not [line for line in done if "Gespräche" in line or "anonymisiert" in line]
    done = await tick(db, engine.content, now + dt.timedelta(days=400))
    assert any("alte Gespräche gelöscht" in line for line in done)
    assert any("1 abgeschlossene Anfragen anonymisiert" in line for line in done)
    async with db.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None and (lead.name, lead.contact) == (None, None)
        assert lead.status == "placed"  # the count stays
        remaining = {u.external_id for u in (await session.scalars(select(User))).all()}
    assert "old" not in remaining and "placed" not in remaining
    async with db.session() as session:
        assert await session.get(HandledUpdate, "tg:1") is None


def test_revoking_a_lotse_from_the_command_line(tmp_path: Path) -> None:
    db_file = tmp_path / "revoke.sqlite3"

    def lotse(*args: str) -> subprocess.CompletedProcess[str]:
        return run_lotse(*args, db=db_file)

    assert lotse("lotsen", "revoke", "niemand").returncode == 1  # no such Lotse in lotsen.yaml
    import asyncio

    async def connect() -> None:
        database = Database(f"sqlite+aiosqlite:///{db_file}")
        await database.migrate()
        async with database.session() as session, session.begin():
            session.add(
                LotseAccount(lotse_id="lotse-delitzsch", channel="telegram", external_id="42")
            )
        await database.close()

    asyncio.run(connect())
    assert "verbunden über Telegram seit" in lotse("lotsen", "list").stdout  # the channel by name
    result = lotse("lotsen", "revoke", "lotse-delitzsch")
    assert result.returncode == 0 and "entzogen" in result.stdout
    assert "entzogen am" in lotse("lotsen", "list").stdout
