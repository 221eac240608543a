"""Continue elsewhere: a one-time code moves a conversation (answers, step, requests) from
one person record to another, e.g. from the web chat to Telegram.

Like Lotse invites: the code is shown once (as a link), only its hash is stored, it expires
after 30 minutes and works once. Transport-free: the web adapter creates codes, the core
redeems them on `/start web-<code>`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.store.models import (
    Conversation,
    HandoverCode,
    Lead,
    OfferSubmission,
    OutboxMessage,
    User,
)

PREFIX = "web-"  # deep-link payload: /start web-<code>
FROM_CHANNEL = "web"  # codes are made there; redeeming one there would move nothing useful
LIFETIME = dt.timedelta(minutes=30)
# Outbox statuses of a message to a web citizen that the page has not shown yet: "pending"
# (nobody looked at it), "web" (waits for the page; e-mail not decided), "mailing" and
# "mailed" (by e-mail, bot/web/mail.py), "web-only" (no e-mail to send).
WAITING = ("pending", "web", "mailing", "mailed", "web-only")


def _hash(code: str) -> str:
    return hashlib.sha256(f"handover:{code}".encode()).hexdigest()


async def create_code(session: AsyncSession, user: User, now: dt.datetime | None = None) -> str:
    """A new code for this person; the caller shows it once, we keep only its hash."""
    now = now or clock.now()
    code = secrets.token_urlsafe(18)  # 24 chars of [A-Za-z0-9_-]: fits a deep link
    session.add(HandoverCode(code_hash=_hash(code), user_id=user.id, expires_at=now + LIFETIME))
    return code


async def redeem(
    session: AsyncSession, code: str, target: User, now: dt.datetime | None = None
) -> Conversation | None:
    """Move the coded person's conversation, requests and waiting messages to `target`.

    Returns the moved conversation (now `target`'s), or None when the code is unknown,
    used or expired, or points to `target` itself. The old person record is deleted:
    nothing stays behind on the channel they left.
    """
    now = now or clock.now()
    # Claimed in one statement: of two people opening the same link at once, one wins.
    claimed = (
        await session.execute(
            update(HandoverCode)
            .where(HandoverCode.code_hash == _hash(code), HandoverCode.used_at.is_(None))
            .values(used_at=now)
            .returning(HandoverCode.user_id, HandoverCode.expires_at)
        )
    ).first()
    if claimed is None or _aware(claimed.expires_at) < now or claimed.user_id == target.id:
        return None
    source = await session.get(User, claimed.user_id)
    moved = await session.get(Conversation, claimed.user_id)
    if source is None or moved is None:
        return None
    row = await session.get(Conversation, target.id)
    if row is None:
        row = Conversation(user_id=target.id, step=moved.step)
        session.add(row)
    row.step, row.answers = moved.step, dict(moved.answers)
    row.history, row.pending = list(moved.history), dict(moved.pending)
    target.language = source.language  # as chosen or written in; waiting messages are in it
    for owned in (Lead, OfferSubmission):  # requests and a Verein's offers stay theirs
        await session.execute(
            update(owned).where(owned.user_id == source.id).values(user_id=target.id)
        )
    # Messages that waited for the web page go to the new channel instead, at once.
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient_role == "citizen",
            OutboxMessage.recipient_id == str(source.id),
            OutboxMessage.status.in_(WAITING),
        )
        .values(recipient_id=str(target.id), status="pending", next_attempt_at=now)
    )
    await session.execute(delete(HandoverCode).where(HandoverCode.user_id == source.id))
    await session.delete(source)  # its conversation and web transcript go with it (CASCADE)
    await session.flush()
    return row


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; all times here are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
