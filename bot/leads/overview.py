"""`lotse leads`: the coordinators' list of leads (no contact details)."""

from __future__ import annotations

from bot.store import repo
from bot.store.db import Database

COLUMNS = ("id", "created", "gemeinde", "interests", "offer", "lotse", "status")


async def lead_rows(db: Database) -> list[dict]:
    async with db.session() as session:
        leads = await repo.list_leads(session)
    return [
        {
            "id": lead.id,
            "created": lead.created_at.isoformat(timespec="seconds"),
            "gemeinde": lead.gemeinde,
            "place": lead.place,
            "interests": list(lead.interests),
            "offer": lead.offer_id,
            "lotse": lead.lotse_id,
            "status": lead.status,
        }
        for lead in leads
    ]


def render_table(rows: list[dict]) -> str:
    if not rows:
        return "Noch keine Anfragen."
    cells = [[_cell(row[c]) for c in COLUMNS] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(COLUMNS)]
    line = "  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True))
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, *body])


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value)) or "–"
    return "–" if value is None else str(value)
