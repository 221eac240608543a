"""Who gets a lead: the Lotse of the person's Gemeinde, else the coordinators.

A Lotse whose access was revoked (`lotse lotsen revoke`) gets nothing new; that is known
only to the database, so callers with a session use `route` or `successor`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.content.schema import Lotse
from bot.messages import Recipient
from bot.store import repo
from bot.store.models import Lead

COORDINATION_ID = "koordination"


def find_lotse(
    lotsen: Sequence[Lotse],
    gemeinde: str | None,
    interests: Sequence[str] = (),
    *,
    today: dt.date | None = None,
    open_leads: Mapping[str, int] | None = None,
    exclude: Collection[str] = (),
) -> Lotse | None:
    """Who takes a lead from this Gemeinde.

    The Lotsen covering it (those who also cover the topic first); one who is away or
    already has `max_open` open leads hands over to their deputies, in order. None means
    the coordinators take it.
    """
    today = today or clock.today()
    open_leads = open_leads or {}
    by_id = {lotse.id: lotse for lotse in lotsen}
    covering = [lotse for lotse in lotsen if gemeinde and gemeinde in lotse.gemeinden]
    covering.sort(key=lambda lotse: not (set(lotse.topics) & set(interests)))

    for lotse in covering:
        if available(lotse, today, open_leads, exclude):
            return lotse
    for lotse in covering:
        for deputy in (by_id.get(d) for d in lotse.deputies):
            if deputy is not None and available(deputy, today, open_leads, exclude):
                return deputy
    return None


def available(
    lotse: Lotse, today: dt.date, open_leads: Mapping[str, int], exclude: Collection[str]
) -> bool:
    full = lotse.max_open is not None and open_leads.get(lotse.id, 0) >= lotse.max_open
    return lotse.id not in exclude and not lotse.away(today) and not full


async def route(
    session: AsyncSession,
    lotsen: Sequence[Lotse],
    gemeinde: str | None,
    interests: Sequence[str] = (),
    *,
    today: dt.date,
    exclude: Collection[str] = (),
) -> Lotse | None:
    """`find_lotse` with what the database knows: revoked Lotsen and open leads."""
    return find_lotse(
        lotsen,
        gemeinde,
        interests,
        today=today,
        open_leads=await repo.open_lead_counts(session),
        exclude={*exclude, *await repo.revoked_lotsen(session)},
    )


async def successor(
    session: AsyncSession, lotsen: Sequence[Lotse], lead: Lead, gone: str, *, today: dt.date
) -> Lotse | None:
    """Who takes over a lead from a Lotse who is gone: the stand-ins they named (their
    deputies) first, else whoever routing picks for the lead's Gemeinde."""
    open_leads = await repo.open_lead_counts(session)
    exclude = {gone, *await repo.revoked_lotsen(session)}
    by_id = {lotse.id: lotse for lotse in lotsen}
    named = by_id[gone].deputies if gone in by_id else []
    for deputy in (by_id.get(d) for d in named):
        if deputy is not None and available(deputy, today, open_leads, exclude):
            return deputy
    return find_lotse(
        lotsen, lead.gemeinde, lead.interests, today=today, open_leads=open_leads, exclude=exclude
    )


def recipient_for(lotse: Lotse | None, coordination_name: str) -> Recipient:
    if lotse is None:
        return Recipient("coordinator", COORDINATION_ID, coordination_name)
    return Recipient("lotse", lotse.id, lotse.name, lotse.telegram_id)
