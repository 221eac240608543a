"""WhatsApp's 24-hour customer-service window and the statuses of sent messages, stored.

Meta lets a business write freely only within 24 hours of the person's last message;
after that, only an approved template. `last_inbound_at` per person says which applies.
Each function takes the session of the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import and_, bindparam, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import (
    HandledUpdate,
    OutboxMessage,
    User,
    WhatsAppContact,
    WhatsAppMessage,
)
from bot.store.repo import WHATSAPP_WAITING, dialect_insert

WINDOW = dt.timedelta(hours=24)
# Sent this close to the window's end, a message might reach Meta after it: a template then.
MARGIN = dt.timedelta(minutes=10)
# Outbox status of a message that waits for the person to open the window again.
WAITING = WHATSAPP_WAITING
# How far a status may move: a late "delivered" never overwrites "read".
RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


class Arrival(NamedTuple):
    """A known person's message as it arrives (one query)."""

    user_id: int
    language: str
    handled: bool  # this message id was handled already
    waiting: bool  # messages may wait for their window: a notice went out since they wrote


# Built once (the arrival of every message runs it): SQLAlchemy keeps its compiled form.
_ARRIVAL = (
    select(
        User.id,
        User.language,
        exists().where(HandledUpdate.key == bindparam("key")),
        WhatsAppContact.last_inbound_at,
        WhatsAppContact.notice_sent_at,
    )
    .outerjoin(WhatsAppContact, WhatsAppContact.user_id == User.id)
    .where(and_(User.channel == bindparam("channel"), User.external_id == bindparam("wa_id")))
)


async def arrival(session: AsyncSession, channel: str, wa_id: str, key: str) -> Arrival | None:
    """None: somebody new (nothing handled, nothing waits)."""
    values = {"channel": channel, "wa_id": wa_id, "key": key}
    row = (await session.execute(_ARRIVAL, values)).first()
    if row is None:
        return None
    user_id, language, handled, last, notice = row
    last, notice = aware(last), aware(notice)
    waiting = notice is not None and (last is None or notice >= last)
    return Arrival(user_id, language, bool(handled), waiting)


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def is_open(contact: WhatsAppContact | None, now: dt.datetime) -> bool:
    last = aware(contact.last_inbound_at) if contact else None
    return last is not None and now - last < WINDOW - MARGIN


def notice_due(contact: WhatsAppContact | None) -> bool:
    """No "a message waits" template since the person last wrote: one is due."""
    if contact is None or contact.notice_sent_at is None:
        return True
    last = aware(contact.last_inbound_at)
    return last is not None and aware(contact.notice_sent_at) < last  # type: ignore[operator]


async def contact(session: AsyncSession, user_id: int) -> WhatsAppContact | None:
    return await session.get(WhatsAppContact, user_id)


async def opened(session: AsyncSession, user_id: int, now: dt.datetime) -> None:
    """The person wrote: the window is open for 24 hours from now."""
    await _stamp(session, user_id, "last_inbound_at", now)


async def noticed(session: AsyncSession, user_id: int, now: dt.datetime) -> None:
    """The "a message waits" template went out."""
    await _stamp(session, user_id, "notice_sent_at", now)


async def _stamp(session: AsyncSession, user_id: int, column: str, now: dt.datetime) -> None:
    """Set one time of the person's contact row, creating the row if need be."""
    await session.execute(
        dialect_insert(session)(WhatsAppContact)
        .values(user_id=user_id, **{column: now})
        .on_conflict_do_update(index_elements=["user_id"], set_={column: now})
    )


async def sent(
    session: AsyncSession,
    user_id: int,
    wamids: list[str],
    now: dt.datetime,
    *,
    template: str | None = None,
    outbox_id: int | None = None,
) -> None:
    """Meta's ids of messages sent to the person, for their statuses (one INSERT; an
    IntegrityError if the person was erased meanwhile)."""
    rows = [
        {
            "wamid": wamid[:160],
            "user_id": user_id,
            "sent_at": now,
            "template": template,
            "outbox_id": outbox_id,
            "status": "accepted",
        }
        for wamid in wamids
    ]
    await session.execute(insert(WhatsAppMessage), rows)


async def status(
    session: AsyncSession, wamid: str, new: str, now: dt.datetime, error: str | None
) -> WhatsAppMessage | None:
    """Record what Meta reports; the message, if it is one of ours and the status moved."""
    row = await session.get(WhatsAppMessage, wamid[:160])
    if row is None or RANK.get(new, -1) <= RANK.get(row.status, -1):
        return None
    row.status, row.status_at, row.error = new, now, error
    return row


async def waiting(session: AsyncSession, user_id: int) -> list[OutboxMessage]:
    """Messages that waited for this person's window, oldest first, taken for sending in
    one UPDATE (another process looking at the same moment finds none)."""
    taken = await session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient_role == "citizen",
            OutboxMessage.recipient_id == str(user_id),
            OutboxMessage.status == WAITING,
        )
        .values(status="sending")
        .returning(OutboxMessage)
    )
    return sorted(taken.all(), key=lambda row: row.id)
