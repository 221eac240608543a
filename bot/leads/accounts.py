"""Lotsen's chat accounts: who is connected, and revoking access at once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.content.model import Content
from bot.leads.lifecycle import aware
from bot.leads.reassign import hand_over_all
from bot.store.db import Database
from bot.store.models import Invite, LotseAccount, OutboxMessage

# The account row of a Lotse who never joined by invite (perhaps reached through a
# telegram_id in lotsen.yaml): it only records that they were revoked.
NOT_JOINED = "-"


async def list_accounts(db: Database, content: Content) -> list[str]:
    async with db.session() as session:
        accounts = {a.lotse_id: a for a in (await session.scalars(select(LotseAccount))).all()}
    lines = []
    for lotse in content.lotsen:
        account = accounts.get(lotse.id)
        if account is None:
            state = "nicht verbunden (lotse invite --lotse " + lotse.id + ")"
        elif account.revoked_at is not None:
            state = f"entzogen am {local_day(content, account.revoked_at)}"
        else:
            channel = channel_name(content, account.channel)
            state = f"verbunden über {channel} seit {local_day(content, account.joined_at)}"
        lines.append(f"{lotse.id:<22} {lotse.name:<24} {state}")
    return lines


def channel_name(content: Content, channel: str) -> str:
    """'Telegram', 'Web-Chat' (texts channel_<name>); an unnamed channel as stored."""
    key = f"channel_{channel}"
    return content.text(key, content.languages[0]) if key in content.texts.texts else channel


def local_day(content: Content, moment: dt.datetime) -> str:
    """The day in the region (stored times are UTC: 00:30 MEZ is the day before in UTC)."""
    return f"{clock.today_in(content.leads.timezone, aware(moment)):%d.%m.%Y}"


async def revoke(db: Database, content: Content, lotse_id: str) -> list[str] | None:
    """Revoke at once and hand the Lotse's open leads over (one line each); None when
    there is no such Lotse or they are revoked already.

    Takes effect with the next button or message: every event looks the account up.
    Routing and the outbox look revocations up too, so nothing new reaches them.
    """
    now = clock.now()
    async with db.session() as session, session.begin():
        if not await _mark_revoked(session, content, lotse_id, now):
            return None
        await _forget_waiting(session, lotse_id)
        return await hand_over_all(session, content, lotse_id, now)


async def _mark_revoked(
    session: AsyncSession, content: Content, lotse_id: str, now: dt.datetime
) -> bool:
    result = await session.execute(
        update(LotseAccount)
        .where(LotseAccount.lotse_id == lotse_id, LotseAccount.revoked_at.is_(None))
        .values(revoked_at=now, writing_to_lead=None)
    )
    if result.rowcount:
        return True
    known = any(lotse.id == lotse_id for lotse in content.lotsen)
    if not known or await session.get(LotseAccount, lotse_id) is not None:
        return False
    session.add(
        LotseAccount(
            lotse_id=lotse_id,
            channel=NOT_JOINED,
            external_id=lotse_id,
            joined_at=now,
            revoked_at=now,
        )
    )
    return True


async def _forget_waiting(session: AsyncSession, lotse_id: str) -> None:
    """Cards not sent yet are no longer theirs, and an invite not used yet must not give
    the access back (a new `lotse invite` does)."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient_role == "lotse",
            OutboxMessage.recipient_id == lotse_id,
            OutboxMessage.status == "pending",
        )
        .values(status="revoked", last_error="Zugang entzogen")
    )
    await session.execute(
        delete(Invite).where(Invite.lotse_id == lotse_id, Invite.used_at.is_(None))
    )
