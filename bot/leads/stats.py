"""Coordinators' quick overview (/stats): anonymous counts only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.content.model import Content
from bot.store.models import Conversation, Lead, LeadEvent, Search


async def counts(session: AsyncSession, since: dt.datetime) -> dict[str, int]:
    async def count(query) -> int:  # type: ignore[no-untyped-def]
        return int(await session.scalar(query) or 0)

    return {
        "conversations": await count(
            select(func.count()).select_from(Conversation).where(Conversation.updated_at >= since)
        ),
        "leads": await count(
            select(func.count()).select_from(Lead).where(Lead.created_at >= since)
        ),
        "accepted": await count(
            select(func.count())
            .select_from(LeadEvent)
            .where(LeadEvent.at >= since, LeadEvent.to_status == "accepted")
        ),
        "placed": await count(
            select(func.count())
            .select_from(LeadEvent)
            .where(LeadEvent.at >= since, LeadEvent.to_status == "placed")
        ),
    }


async def stats_text(
    session: AsyncSession, content: Content, lang: str, now: dt.datetime | None = None
) -> str:
    now = now or clock.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    month = now - dt.timedelta(days=30)
    unmet_rows = (
        await session.execute(
            select(Search.gemeinde, func.count())
            .where(Search.created_at >= month, Search.unmet)
            .group_by(Search.gemeinde)
            .order_by(func.count().desc())
        )
    ).all()
    unmet = "\n".join(f"• {gemeinde or '–'}: {count}" for gemeinde, count in unmet_rows)
    return content.text(
        "stats",
        lang,
        today=content.text("stats_line", lang, **await counts(session, midnight)),
        month=content.text("stats_line", lang, **await counts(session, month)),
        unmet=unmet or content.text("stats_none", lang),
    )
