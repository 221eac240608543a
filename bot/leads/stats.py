"""Coordinators' quick overview (/stats) and the weekly digest's counts: people, not views.

Every figure counts distinct people (`bot/store/people.py`): one person who looked at the
offer list four times is one Interessierte, a lead accepted twice (after a hand-over) is
one. Anonymous: only counts leave this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.content.model import Content
from bot.store.models import Conversation, Lead, LeadEvent, Search, User
from bot.store.people import lead_person, search_person


async def counts(session: AsyncSession, since: dt.datetime) -> dict[str, int]:
    """People since `since`: in a conversation, shown offers, with a new lead, with a lead
    accepted, with a lead placed."""

    async def count(query: Select[Any]) -> int:
        return int(await session.scalar(query) or 0)

    def with_status(status: str) -> Select[Any]:
        return (
            select(func.count(func.distinct(lead_person())))
            .select_from(LeadEvent)
            .join(Lead, Lead.id == LeadEvent.lead_id)
            .join(User, User.id == Lead.user_id)
            .where(LeadEvent.at >= since, LeadEvent.to_status == status)
        )

    return {
        "conversations": await count(
            select(func.count()).select_from(Conversation).where(Conversation.updated_at >= since)
        ),
        "interested": await count(
            select(func.count(func.distinct(search_person()))).where(Search.created_at >= since)
        ),
        "leads": await count(
            select(func.count(func.distinct(lead_person())))
            .select_from(Lead)
            .join(User, User.id == Lead.user_id)
            .where(Lead.created_at >= since)
        ),
        "accepted": await count(with_status("accepted")),
        "placed": await count(with_status("placed")),
    }


async def unmet_by_gemeinde(session: AsyncSession, since: dt.datetime) -> list[tuple[str, int]]:
    """People shown no good match since `since`, per Gemeinde, the most first."""
    people = func.count(func.distinct(search_person()))
    rows = await session.execute(
        select(Search.gemeinde, people)
        .where(Search.created_at >= since, Search.unmet)
        .group_by(Search.gemeinde)
        .order_by(people.desc(), Search.gemeinde)
    )
    return [(gemeinde or "–", int(count)) for gemeinde, count in rows]


async def stats_text(
    session: AsyncSession, content: Content, lang: str, now: dt.datetime | None = None
) -> str:
    now = now or clock.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    month = now - dt.timedelta(days=30)
    unmet = "\n".join(f"• {g}: {n}" for g, n in await unmet_by_gemeinde(session, month))
    return content.text(
        "stats",
        lang,
        today=content.text("stats_line", lang, **await counts(session, midnight)),
        month=content.text("stats_line", lang, **await counts(session, month)),
        unmet=unmet or content.text("stats_none", lang),
    )
