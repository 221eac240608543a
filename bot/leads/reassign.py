"""Handing a lead to somebody else: when a Lotse's access is revoked (all their open
leads, at once) or by the coordinators (`lotse leads reassign ID --to LOTSE`).

The lead starts again as offered to the new Lotse (new with the coordinators when nobody
can take it), with an audit event; they get the card, the previous Lotse a short note, and
the person who asked is told who gets in touch now – they were given a name before.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.content.model import LATER, Content
from bot.content.schema import Lotse
from bot.leads.desk import LeadDesk, subject
from bot.leads.lifecycle import OPEN, hand_to, not_before
from bot.leads.routing import recipient_for, successor
from bot.messages import Message, Notification, Recipient
from bot.store import repo
from bot.store.db import Database
from bot.store.models import Lead

ACTOR = "coordinator"  # both are the coordinators' decisions, made in the terminal


async def reassign(db: Database, content: Content, lead_id: int, lotse_id: str) -> tuple[bool, str]:
    """(handed over?, one line saying what happened or why not)"""
    lotse = next((x for x in content.lotsen if x.id == lotse_id), None)
    if lotse is None:
        known = ", ".join(x.id for x in content.lotsen)
        return False, f"Unbekannter Lotse '{lotse_id}'. Bekannt: {known}"
    now = clock.now()
    async with db.session() as session, session.begin():
        lead = await session.get(Lead, lead_id, with_for_update=True)
        refusal = await _refusal(session, content, lead, lead_id, lotse)
        if refusal or lead is None:  # _refusal names a missing lead too
            return False, refusal
        notes = await hand_over(session, content, lead, lotse, why="reassigned", now=now)
        queue(session, content, notes, now)
    return True, f"Anfrage #{lead_id} an {lotse.name} ({lotse.id}) übergeben."


async def _refusal(
    session: AsyncSession, content: Content, lead: Lead | None, lead_id: int, lotse: Lotse
) -> str:
    if lead is None:
        return f"Anfrage #{lead_id} gibt es nicht."
    if lotse.id in await repo.revoked_lotsen(session):
        return (
            f"{lotse.name} ({lotse.id}) hat keinen Zugang mehr (lotse lotsen revoke) – "
            "bitte einen anderen Lotsen wählen."
        )
    if lead.status not in OPEN:
        status = content.text(f"status_{lead.status}", content.languages[0])
        return f"Anfrage #{lead_id} ist abgeschlossen ({status}) und wird nicht neu vergeben."
    if lead.lotse_id == lotse.id:
        return f"Anfrage #{lead_id} liegt schon bei {lotse.name} ({lotse.id}) – nichts geändert."
    return ""


async def hand_over_all(
    session: AsyncSession, content: Content, gone: str, now: dt.datetime
) -> list[str]:
    """Every open lead of a Lotse who is gone to their deputy or the coordinators, in the
    caller's transaction; one line per lead."""
    leads = await session.scalars(
        select(Lead)
        .where(Lead.lotse_id == gone, Lead.status.in_(OPEN))
        .order_by(Lead.id)
        .with_for_update()
    )
    today = clock.today_in(content.leads.timezone, now)
    lines = []
    for lead in leads.all():
        to = await successor(session, content.lotsen, lead, gone, today=today)
        why = f"revoked: {gone}"
        notes = await hand_over(session, content, lead, to, why=why, now=now, tell=False)
        queue(session, content, notes, now)
        lines.append(f"Anfrage #{lead.id} → " + (f"{to.name} ({to.id})" if to else "Koordination"))
    return lines


async def hand_over(
    session: AsyncSession,
    content: Content,
    lead: Lead,
    to: Lotse | None,
    *,
    why: str,
    now: dt.datetime,
    tell: bool = True,
) -> list[Notification]:
    """Give the lead to `to` (None: the coordinators) and say so to everyone concerned;
    `tell` False leaves out the previous Lotse (a revoked one gets nothing)."""
    previous_id, previous = lead.lotse_id, LeadDesk(content).holder_name(lead)
    hand_to(
        session, lead, to.id if to else None, why=why, actor=ACTOR, timing=content.leads, now=now
    )
    spoken = content.language(await repo.language_of(session, lead.user_id))
    return _tell(content, lead, to, previous, previous_id if tell else None, spoken)


def _tell(
    content: Content,
    lead: Lead,
    to: Lotse | None,
    previous: str,
    previous_id: str | None,
    spoken: str,
) -> list[Notification]:
    """The card for the new holder, a note for the previous Lotse (if named), and a line
    for the person (in `spoken`, their language): they were given a name before."""
    desk, lang, about = LeadDesk(content), content.languages[0], subject(lead)
    if to is None:
        note = content.text("lead_to_coordination_note", lang, previous=previous, id=lead.id)
    else:
        note = content.text("lead_handed_over_note", lang, previous=previous)
    holder = recipient_for(to, content.text("coordination_name", lang))
    notes = [Notification(holder, desk.card(lead, lang, note), about)]
    if previous_id:
        away = Message(content.text("lead_reassigned_away", lang, id=lead.id))
        notes.append(Notification(Recipient("lotse", previous_id, ""), away, about))
    who = to.name if to else content.text("handoff_to_coordination", spoken)
    told = Message(content.text("lead_reassigned_citizen", spoken, via=LATER, lotse=who))
    notes.append(Notification(Recipient("citizen", str(lead.user_id), ""), told, about))
    return notes


def queue(
    session: AsyncSession, content: Content, notes: list[Notification], now: dt.datetime
) -> None:
    """Into the outbox with the change; the person is not woken in the quiet hours."""
    repo.queue_notifications(session, notes, now, lambda t: not_before(t, content.leads))
