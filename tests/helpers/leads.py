"""Leads in the core: a Lotse joins by invite, and what waits in the outbox."""

from __future__ import annotations

from sqlalchemy import select

from bot.dialogs.engine import DialogEngine
from bot.leads import invites
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
