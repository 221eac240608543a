"""Onboarding Lotsen: single-use, expiring invite codes, stored only as hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.store.models import Invite, LotseAccount

PREFIX = "inv-"  # deep-link payload: /start inv-<code>
DEFAULT_DAYS = 7


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def create_invite(session: AsyncSession, lotse_id: str, days: int = DEFAULT_DAYS) -> str:
    """A new code; the caller shows it once (as a link), we keep only its hash."""
    code = secrets.token_urlsafe(18)  # 24 chars of [A-Za-z0-9_-]: fits a deep link
    session.add(
        Invite(
            code_hash=_hash(code),
            lotse_id=lotse_id,
            expires_at=clock.now() + dt.timedelta(days=days),
        )
    )
    return code


async def redeem(
    session: AsyncSession, code: str, channel: str, external_id: str
) -> LotseAccount | None:
    """Link this chat to the invited Lotse; None when the code is unknown, used or expired."""
    invite = await session.get(Invite, _hash(code))
    now = clock.now()
    if invite is None or invite.used_at is not None or _aware(invite.expires_at) < now:
        return None
    invite.used_at = now
    # One chat per Lotse and one Lotse per chat: a new invite replaces an old link.
    await session.execute(
        delete(LotseAccount).where(
            (LotseAccount.lotse_id == invite.lotse_id)
            | ((LotseAccount.channel == channel) & (LotseAccount.external_id == external_id))
        )
    )
    account = LotseAccount(lotse_id=invite.lotse_id, channel=channel, external_id=external_id)
    session.add(account)
    await session.flush()
    return account


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; all times here are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
