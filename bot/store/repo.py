"""Small queries the core needs; each takes the session of the current transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogs.events import Notification
from bot.store.models import Conversation, Lead, LotseAccount, OutboxMessage, Search, User


async def get_or_create_user(
    session: AsyncSession, channel: str, external_id: str, language: str
) -> tuple[User, bool]:
    user = await session.scalar(
        select(User).where(User.channel == channel, User.external_id == external_id)
    )
    if user is not None:
        return user, False
    user = User(channel=channel, external_id=external_id, language=language)
    session.add(user)
    await session.flush()
    return user, True


async def load_conversation(session: AsyncSession, user_id: int) -> Conversation | None:
    return await session.get(Conversation, user_id)


async def save_conversation(
    session: AsyncSession, user_id: int, step: str, answers: dict, history: list, pending: dict
) -> None:
    row = await session.get(Conversation, user_id)
    if row is None:
        row = Conversation(user_id=user_id, step=step)
        session.add(row)
    # Fresh containers so SQLAlchemy sees a change even when a dict was mutated in place.
    row.step, row.answers, row.history, row.pending = (
        step,
        dict(answers),
        list(history),
        dict(pending),
    )


async def add_lead(session: AsyncSession, lead: Lead) -> Lead:
    session.add(lead)
    await session.flush()
    return lead


async def list_leads(session: AsyncSession) -> Sequence[Lead]:
    return (await session.scalars(select(Lead).order_by(Lead.id))).all()


async def record_searches(session: AsyncSession, searches: list[Search]) -> None:
    session.add_all(searches)


async def lotse_account(
    session: AsyncSession, channel: str, external_id: str
) -> LotseAccount | None:
    """The Lotse behind this chat, unless revoked."""
    return await session.scalar(
        select(LotseAccount).where(
            LotseAccount.channel == channel,
            LotseAccount.external_id == external_id,
            LotseAccount.revoked_at.is_(None),
        )
    )


def queue_notifications(session: AsyncSession, notifications: Sequence[Notification]) -> None:
    """Written in the same transaction as the change that causes them (outbox pattern)."""
    for note in notifications:
        session.add(
            OutboxMessage(
                recipient_role=note.recipient.role,
                recipient_id=note.recipient.id,
                text=note.message.text,
                buttons=[[b.label, b.data] for b in note.message.buttons],
            )
        )


async def claim_outbox(
    session: AsyncSession,
    now: dt.datetime,
    limit: int = 20,
    lease: dt.timedelta = dt.timedelta(minutes=2),
) -> list[OutboxMessage]:
    """Take due notifications for sending, oldest first, so that no other process can.

    The claim pushes `next_attempt_at` past the lease: if this process dies while sending,
    the rows become due again and another process sends them.
    """
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = await session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=now + lease, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage)
    )
    return sorted(claimed.all(), key=lambda row: row.id)
