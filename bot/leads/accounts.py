"""Lotsen's chat accounts: who is connected, and revoking access at once."""

from __future__ import annotations

from sqlalchemy import select, update

from bot import clock
from bot.content.model import Content
from bot.store.db import Database
from bot.store.models import LotseAccount


async def list_accounts(db: Database, content: Content) -> list[str]:
    async with db.session() as session:
        accounts = {a.lotse_id: a for a in (await session.scalars(select(LotseAccount))).all()}
    lines = []
    for lotse in content.lotsen:
        account = accounts.get(lotse.id)
        if account is None:
            state = "nicht verbunden (lotse invite --lotse " + lotse.id + ")"
        elif account.revoked_at is not None:
            state = f"entzogen am {account.revoked_at:%d.%m.%Y}"
        else:
            state = f"verbunden über {account.channel} seit {account.joined_at:%d.%m.%Y}"
        lines.append(f"{lotse.id:<22} {lotse.name:<24} {state}")
    return lines


async def revoke(db: Database, lotse_id: str) -> bool:
    """Takes effect with the next button or message: every event looks the account up."""
    async with db.session() as session, session.begin():
        result = await session.execute(
            update(LotseAccount)
            .where(LotseAccount.lotse_id == lotse_id, LotseAccount.revoked_at.is_(None))
            .values(revoked_at=clock.now(), writing_to_lead=None)
        )
    return bool(result.rowcount)
