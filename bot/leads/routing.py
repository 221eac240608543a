"""Who gets a lead: the Lotse of the person's Gemeinde, else the coordinators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from bot import clock
from bot.content.schema import Lotse
from bot.messages import Recipient

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

    def available(lotse: Lotse) -> bool:
        full = lotse.max_open is not None and open_leads.get(lotse.id, 0) >= lotse.max_open
        return lotse.id not in exclude and not lotse.away(today) and not full

    for lotse in covering:
        if available(lotse):
            return lotse
    for lotse in covering:
        for deputy in (by_id.get(d) for d in lotse.deputies):
            if deputy is not None and available(deputy):
                return deputy
    return None


def recipient_for(lotse: Lotse | None, coordination_name: str) -> Recipient:
    if lotse is None:
        return Recipient("coordinator", COORDINATION_ID, coordination_name)
    return Recipient("lotse", lotse.id, lotse.name, lotse.telegram_id)
