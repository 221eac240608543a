"""`lotse leads`: the coordinators' list of leads (no contact details).

The JSON keeps the stored names (kind "help", status "offered") for scripts; the table
says the same in the content's words, in the region's local time, within 100 columns.
`--overdue` keeps only the leads past the promise (leads.yaml `promise_hours`) that no
person has answered yet, oldest first."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.content.model import Content
from bot.leads.lifecycle import OPEN, aware
from bot.store.db import Database
from bot.store.models import Lead, LeadEvent, User

WIDTH = 100  # a terminal's width: longer lines are cut
HEADINGS = {
    "id": "Nr.",
    "created": "Zeit",
    "kind": "Art",
    "language": "Spr.",
    "gemeinde": "Gemeinde",
    "lotse": "Lotse",
    "status": "Status",
}
# Interests and offer ids can be long: a line of their own under their lead.
ABOUT = "Interessen · Angebot"
# A person has answered once a Lotse or the coordinators took the lead or wrote back.
ANSWERED = ("accepted", "contacted", "answered")


async def lead_rows(db: Database, content: Content) -> list[dict[str, Any]]:
    """Every lead with the person's language; times local, with their UTC offset."""
    zone = ZoneInfo(content.leads.timezone)
    return [_row(lead, language, zone) for lead, language in await _leads(db, (), (Lead.id,))]


async def overdue_rows(db: Database, content: Content, now: dt.datetime) -> list[dict[str, Any]]:
    """Open leads older than the promise without any answer from a person, oldest first;
    with how long they have waited (whole hours)."""
    cutoff = now - dt.timedelta(hours=content.leads.promise_hours)
    answered = select(LeadEvent.lead_id).where(LeadEvent.to_status.in_(ANSWERED))
    late = (Lead.status.in_(OPEN), Lead.created_at < cutoff, Lead.id.not_in(answered))
    zone = ZoneInfo(content.leads.timezone)
    return [
        {
            **_row(lead, language, zone),
            "waiting_hours": int((now - aware(lead.created_at)) / dt.timedelta(hours=1)),
        }
        for lead, language in await _leads(db, late, (Lead.created_at, Lead.id))
    ]


async def _leads(
    db: Database, where: tuple[Any, ...], order: tuple[Any, ...]
) -> list[tuple[Lead, str | None]]:
    query = select(Lead, User.language).join(User, User.id == Lead.user_id)
    async with db.session() as session:
        found = await session.execute(query.where(*where).order_by(*order))
        return [(lead, language) for lead, language in found.all()]


def _row(lead: Lead, language: str | None, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": lead.id,
        "created": aware(lead.created_at).astimezone(zone).isoformat(timespec="seconds"),
        "kind": lead.kind,
        "language": language,
        "gemeinde": lead.gemeinde,
        "place": lead.place,
        "interests": list(lead.interests),
        "offer": lead.offer_id,
        "lotse": lead.lotse_id,
        "status": lead.status,
    }


def render_overdue(rows: list[dict[str, Any]], content: Content) -> str:
    promise = f"{content.leads.promise_hours:g} Stunden"
    if not rows:
        return f"Keine Anfrage ist überfällig (älter als {promise} ohne Antwort eines Menschen)."
    lines = [
        f"Überfällig: {len(rows)} Anfrage(n) älter als {promise}, "
        "auf die noch kein Mensch geantwortet hat – die älteste zuerst.",
        f"Zeiten: Ortszeit {content.leads.timezone}",
    ]
    for row in rows:
        shown = _shown(row, content)
        days, hours = divmod(row["waiting_hours"], 24)
        where = row["lotse"] or content.text("coordination_name", content.languages[0])
        cells = [f"#{row['id']}", f"wartet {days} T. {hours} Std.", shown["created"], where]
        cells += [_cell(shown["gemeinde"]), str(shown["status"])]
        lines.append(_cut("  ".join(cells)))
    return "\n".join(lines)


def render_table(rows: list[dict[str, Any]], content: Content) -> str:
    if not rows:
        return "Noch keine Anfragen."
    caption = f"Zeiten: Ortszeit {content.leads.timezone}"
    cells = [[_cell(value) for value in _shown(row, content).values()] for row in rows]
    titles = list(HEADINGS.values())
    widths = [max(len(t), *(len(r[i]) for r in cells)) for i, t in enumerate(titles)]
    indent = " " * (widths[0] + 2)
    lines = [caption, _line(titles, widths), indent + ABOUT]
    for row, shown in zip(rows, cells, strict=True):
        lines.append(_line(shown, widths))
        about = [", ".join(row["interests"]), row["offer"] or ""]
        if any(about):
            lines.append(_cut(indent + " · ".join(filter(None, about))))
    return "\n".join(lines)


def _shown(row: dict[str, Any], content: Content) -> dict[str, object]:
    """The row in the table's words, in the order of HEADINGS."""
    lang = content.languages[0]
    return {
        "id": row["id"],
        "created": row["created"][:16].replace("T", " "),
        "kind": kind_label(content, row["kind"], lang),
        "language": row["language"],
        "gemeinde": row["gemeinde"],
        "lotse": row["lotse"],
        "status": content.text(f"status_{row['status']}", lang),
    }


def kind_label(content: Content, kind: str, lang: str) -> str:
    """'Hilfe gesucht': texts lead_kind_short_<kind>, else the card's label without its
    emoji (a kind a coordinator added to dialog.yaml), else the stored name."""
    texts = content.texts.texts
    if f"lead_kind_short_{kind}" in texts:
        return content.text(f"lead_kind_short_{kind}", lang)
    if f"lead_kind_{kind}" in texts:
        label = content.text(f"lead_kind_{kind}", lang)
        return label if label[:1].isalpha() else label.split(" ", 1)[-1]
    return kind


def _line(cells: list[str], widths: list[int]) -> str:
    return _cut("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())


def _cut(line: str) -> str:
    return line if len(line) <= WIDTH else line[: WIDTH - 1] + "…"


def _cell(value: object) -> str:
    return "–" if value is None or value == "" else str(value)
