"""Who gets a lead: the Lotse of the person's Gemeinde, else the coordinators."""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.schema import Lotse
from bot.dialogs.events import Recipient

COORDINATION_ID = "koordination"


def find_lotse(
    lotsen: Sequence[Lotse], gemeinde: str | None, interests: Sequence[str] = ()
) -> Lotse | None:
    """The Lotse covering the Gemeinde; one who also covers the topic is preferred."""
    covering = [lotse for lotse in lotsen if gemeinde and gemeinde in lotse.gemeinden]
    for lotse in covering:
        if set(lotse.topics) & set(interests):
            return lotse
    return covering[0] if covering else None


def recipient_for(lotse: Lotse | None, coordination_name: str) -> Recipient:
    if lotse is None:
        return Recipient("coordinator", COORDINATION_ID, coordination_name)
    return Recipient("lotse", lotse.id, lotse.name, lotse.telegram_id)
