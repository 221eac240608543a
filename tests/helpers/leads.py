"""Leads in the core: a Lotse joins by invite, and what waits in the outbox."""

from __future__ import annotations

from sqlalchemy import select

from bot.dialogs.engine import DialogEngine
from bot.leads import invites
from bot.messages import Event, Message, Sender
from bot.store.db import Database
from bot.store.models import OutboxMessage
from tests.helpers.chat import Chat


async def join_as_lotse(engine: DialogEngine, db: Database, lotse_id: str, user: str) -> Chat:
    async with db.session() as session, session.begin():
        code = await invites.create_invite(session, lotse_id)
    lotse = Chat(engine, user=user)
    await lotse.say(f"/start inv-{code}")
    assert "Willkommen" in lotse.text
    return lotse


async def outbox(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def join_on_telegram(
    engine: DialogEngine, db: Database, chat_id: int, lotse_id: str
) -> Sender:
    """A Lotse joins on Telegram with an invite, exactly as in production; their sender."""
    async with db.session() as session, session.begin():
        code = await invites.create_invite(session, lotse_id)
    lotse = Sender("telegram", str(chat_id), "de")
    outcome = await engine.handle(Event.message(lotse, f"/start {invites.PREFIX}{code}"))
    assert "Willkommen" in outcome.replies[0].text
    return lotse


class StubTelegram:
    """Stands in for the Telegram sender: records what the outbox worker would send."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Message]] = []

    async def send(self, chat_id: int, message: Message) -> None:
        self.sent.append((chat_id, message))
