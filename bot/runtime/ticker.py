"""Timed work: reminders, escalation, outcome reminders, follow-up, expiry, weekly digest.

Due work lives in the database (a due time on each lead, a row per timer); this module
only runs what is due at `now`. Each step is claimed and carried out in one transaction
together with the notifications it causes, so two tickers never send the same reminder,
and a crash before the commit leaves the step due for the next tick.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import today_in
from bot.content.model import LATER, Content
from bot.content.schema import Lotse
from bot.leads.desk import LeadDesk, subject
from bot.leads.lifecycle import (
    aware,
    change,
    coordination_due,
    hand_to,
    next_weekly,
    not_before,
)
from bot.leads.routing import COORDINATION_ID, route
from bot.leads.stats import counts, unmet_by_gemeinde
from bot.messages import Button, Message, Notification, Recipient
from bot.offers import submissions
from bot.payloads import Followup
from bot.privacy.personal_data import enforce_retention
from bot.report import present
from bot.report.response import response_times
from bot.store import repo
from bot.store.db import Database
from bot.store.models import Lead, LeadEvent

log = logging.getLogger(__name__)
DIGEST = "weekly_digest"
RETENTION = "retention"  # daily: delete or anonymize what is past its retention period
SECOND_CONTACT = "second contact"  # the lead event's note (after "to:<lotse>")
MAX_STEPS = 10_000  # per tick; the rest waits for the next one
# The due steps in `lotse tick`'s German lines (the stored names stay English).
STEP_NAMES = {
    "remind": "Erinnerung",
    "escalate": "Weitergabe",
    "outcome": "Ergebnis erfragen",
    "followup": "Nachfrage",
    "coordination": "Erinnerung an die Koordination",
    "expire": "Ablauf",
}


async def tick(db: Database, content: Content, now: dt.datetime) -> list[str]:
    """Run everything due at `now`, once; return one line per thing done."""
    done: list[str] = []
    for _ in range(MAX_STEPS):
        async with db.session() as session, session.begin():
            lead = await repo.claim_due_lead(session, now)
            if lead is None:
                break
            step = FollowUp(session, content, now)
            done.append(await step.run(lead))
            repo.queue_notifications(
                session, step.notifications, now, lambda t: not_before(t, content.leads)
            )
    async with db.session() as session, session.begin():
        today = today_in(content.leads.timezone, now)
        lines, notes = await submissions.ask_still_current(session, content, today)
        repo.queue_notifications(session, notes, now, lambda t: not_before(t, content.leads))
        done += lines
    async with db.session() as session, session.begin():
        await repo.ensure_timer(session, RETENTION, now)
        if await repo.claim_timer(session, RETENTION, now, now + dt.timedelta(days=1)):
            done += await enforce_retention(session, content, now)
    async with db.session() as session, session.begin():
        await repo.ensure_timer(session, DIGEST, next_weekly(now, content.leads))
        if await repo.claim_timer(session, DIGEST, now, next_weekly(now, content.leads)):
            text = await digest_text(session, content, now)
            coordination = Recipient("coordinator", COORDINATION_ID, "")
            repo.queue_notifications(session, [Notification(coordination, Message(text))], now)
            done.append("Wochenüberblick an die Koordination")
    return done


class FollowUp:
    """Carries out one lead's due step inside the caller's transaction."""

    def __init__(self, session: AsyncSession, content: Content, now: dt.datetime) -> None:
        self.session, self.content, self.now = session, content, now
        self.desk = LeadDesk(content)
        self.notifications: list[Notification] = []
        self.lang = content.languages[0]  # the Lotsen's and coordinators' language
        self.person_lang = self.lang  # the person's of the lead being run (set by `run`)
        self.subject: str | None = None  # the lead being run: its notifications are about it

    def t(self, key: str, **values: object) -> str:
        return self.content.text(key, self.lang, **values)

    def to_citizen(self, key: str, **values: object) -> str:
        """A text for the person, in their language: {/start} stays for the channel that
        delivers it."""
        return self.content.text(key, self.person_lang, via=LATER, **values)

    async def run(self, lead: Lead) -> str:
        self.subject = subject(lead)
        spoken = await repo.language_of(self.session, lead.user_id)
        self.person_lang = self.content.language(spoken)
        kind = lead.due_kind
        expected = {
            "remind": ("offered",),
            "escalate": ("offered",),
            "outcome": ("accepted", "contacted"),
            "followup": ("placed",),
            "coordination": ("new",),
            "expire": ("new", "offered", "accepted", "contacted"),
        }
        if kind not in expected or lead.status not in expected[kind]:
            lead.due_kind = None
            step, status = STEP_NAMES.get(kind or "", kind), self.t(f"status_{lead.status}")
            return f"Anfrage #{lead.id}: nichts zu tun ({step}, Status „{status}“)"
        return await getattr(self, f"_{kind}")(lead)

    async def _remind(self, lead: Lead) -> str:
        self._to_lotse(lead, self.desk.card(lead, self.lang, note=self.t("reminder_note")))
        offered = lead.offered_at or self.now
        offered = offered if offered.tzinfo else offered.replace(tzinfo=dt.UTC)
        lead.due_at = offered + dt.timedelta(hours=self.content.leads.escalate_after_hours)
        lead.due_kind = "escalate"
        return f"Anfrage #{lead.id}: Erinnerung an {lead.lotse_id}"

    async def _escalate(self, lead: Lead) -> str:
        """No answer: the next available Lotse or deputy who has not had it, else coordinators."""
        previous = lead.lotse_id
        deputy = await route(
            self.session,
            self.content.lotsen,
            lead.gemeinde,
            lead.interests,
            exclude=await self._offered_to(lead),
            today=today_in(self.content.leads.timezone, self.now),
        )
        if previous:
            self._to(
                Recipient("lotse", previous, ""), Message(self.t("escalated_away", id=lead.id))
            )
        hand_to(
            self.session,
            lead,
            deputy.id if deputy else None,
            why="no answer",
            actor="system",
            timing=self.content.leads,
            now=self.now,
        )
        card = self.desk.card(lead, self.lang, note=self.t("escalated_note"))
        self._to_lotse(lead, card)
        self._to_person(lead, Message(self.to_citizen("escalated_citizen")))
        shown = deputy.id if deputy else "Koordination"
        return f"Anfrage #{lead.id}: ohne Antwort von {previous} → {shown}"

    async def _coordination(self, lead: Lead) -> str:
        """Still with the coordinators: remind them, with the lead's number and age; once it
        has waited `second_contact.after_days` there, it goes on to the second contact."""
        since = await self._with_coordination_since(lead)
        age = (self.now - aware(lead.created_at)) // dt.timedelta(days=1)
        days = self.t("age_one_day") if age == 1 else self.t("age_days", days=age)
        second, had_it = await self._second_contact(lead, since)
        if second is not None and not had_it:
            if second.id not in await repo.revoked_lotsen(self.session):
                return self._to_second_contact(lead, second, days)
            log.warning("lead %s: second contact has no access, stays with coordinators", lead.id)
        note = self.t("coordination_reminder_note", id=lead.id, age=days)
        if second is not None:  # say what became of the second contact
            key = "second_contact_had_it" if had_it else "second_contact_revoked"
            note += "\n" + self.t(key, lotse=second.name, id=second.id)
        self._to_lotse(lead, self.desk.card(lead, self.lang, note=note))
        lead.due_at, lead.due_kind = coordination_due(since, self.now, self.content.leads)
        return f"Anfrage #{lead.id}: Erinnerung an die Koordination"

    async def _second_contact(self, lead: Lead, since: dt.datetime) -> tuple[Lotse | None, bool]:
        """(the second contact, if configured and the lead has waited long enough with the
        coordinators or had been with them already; whether it had been with them)"""
        config = self.content.leads.second_contact
        if config is None:
            return None, False
        lotse = next((x for x in self.content.lotsen if x.id == config.lotse), None)
        if lotse is None:  # `lotse check` reports it
            return None, False
        had_it = await self.session.scalar(
            select(func.count()).where(
                LeadEvent.lead_id == lead.id, LeadEvent.note.like(f"%({SECOND_CONTACT})")
            )
        )
        if had_it:
            return lotse, True
        due = self.now - since >= dt.timedelta(days=config.after_days)
        return (lotse if due else None), False

    def _to_second_contact(self, lead: Lead, second: Lotse, days: str) -> str:
        """Offered to the second contact like to any Lotse (accept or decline; declined, it
        comes back to the coordinators, never to them again); everyone concerned hears it."""
        hand_to(
            self.session,
            lead,
            second.id,
            why=SECOND_CONTACT,
            actor="system",
            timing=self.content.leads,
            now=self.now,
        )
        note = self.t("second_contact_note", age=days)
        self._to(Recipient("lotse", second.id, ""), self.desk.card(lead, self.lang, note=note))
        told = self.t("second_contact_coordination", id=lead.id, age=days, lotse=second.name)
        self._to(Recipient("coordinator", COORDINATION_ID, ""), Message(told))
        self._to_person(
            lead, Message(self.to_citizen("lead_reassigned_citizen", lotse=second.name))
        )
        return f"Anfrage #{lead.id}: seit {days} ohne Antwort → Zweitkontakt {second.id}"

    async def _with_coordination_since(self, lead: Lead) -> dt.datetime:
        """When the lead last came to the coordinators (the rhythm of their reminders)."""
        since = await self.session.scalar(
            select(func.max(LeadEvent.at)).where(
                LeadEvent.lead_id == lead.id, LeadEvent.to_status == "new"
            )
        )
        return aware(since or lead.created_at)

    async def _outcome(self, lead: Lead) -> str:
        self._to_lotse(lead, self.desk.card(lead, self.lang, note=self.t("outcome_note")))
        lead.due_at = self.now + dt.timedelta(days=self.content.leads.expire_after_days)
        lead.due_kind = "expire"
        return f"Anfrage #{lead.id}: Ergebnis bei {lead.lotse_id} erfragt"

    async def _followup(self, lead: Lead) -> str:
        buttons = tuple(
            Button(self.to_citizen(f"btn_followup_{answer}"), Followup(lead.id, answer).pack())
            for answer in ("yes", "partly", "no")
        )
        self._to_person(lead, Message(self.to_citizen("followup_question"), buttons))
        lead.due_kind = None
        return f"Anfrage #{lead.id}: „Hat es geklappt?“ an die Person"

    async def _expire(self, lead: Lead) -> str:
        card = self.desk.card(lead, self.lang, note=self.t("lead_expired_note"))
        if lead.lotse_id:
            self._to_lotse(lead, Message(card.text))
        change(
            self.session,
            lead,
            "expired",
            actor="system",
            note="no outcome in time",
            timing=self.content.leads,
            now=self.now,
        )
        self._to_person(lead, Message(self.to_citizen("expired_citizen")))
        return f"Anfrage #{lead.id}: abgelaufen"

    async def _offered_to(self, lead: Lead) -> set[str]:
        notes = (
            await self.session.scalars(
                select(LeadEvent.note).where(
                    LeadEvent.lead_id == lead.id, LeadEvent.to_status == "offered"
                )
            )
        ).all()
        return {
            note.split()[0].removeprefix("to:") for note in notes if note and note.startswith("to:")
        }

    def _to_lotse(self, lead: Lead, message: Message) -> None:
        if lead.lotse_id:
            self._to(Recipient("lotse", lead.lotse_id, ""), message)
        else:
            self._to(Recipient("coordinator", COORDINATION_ID, ""), message)

    def _to_person(self, lead: Lead, message: Message) -> None:
        self._to(Recipient("citizen", str(lead.user_id), ""), message)

    def _to(self, recipient: Recipient, message: Message) -> None:
        self.notifications.append(Notification(recipient, message, self.subject))


async def digest_text(session: AsyncSession, content: Content, now: dt.datetime) -> str:
    lang = content.languages[0]
    week = now - dt.timedelta(days=7)

    async def count_status(status: str) -> int:
        return int(
            await session.scalar(
                select(func.count()).select_from(Lead).where(Lead.status == status)
            )
            or 0
        )

    answers = (
        await session.execute(
            select(Lead.followup, func.count())
            .where(Lead.followup.is_not(None))
            .group_by(Lead.followup)
        )
    ).all()
    followups = ", ".join(f"{content.text(f'btn_followup_{a}', lang)} {n}" for a, n in answers)
    unmet = await unmet_by_gemeinde(session, week)
    return content.text(
        "digest",
        lang,
        week=content.text("stats_line", lang, **await counts(session, week)),
        waiting=await count_status("offered"),
        with_coordination=await count_status("new"),
        followups=followups or content.text("stats_none", lang),
        unmet="\n".join(f"• {g}: {n}" for g, n in unmet) or content.text("stats_none", lang),
        responses=await _responses_text(session, content, now, lang),
    )


async def _responses_text(
    session: AsyncSession, content: Content, now: dt.datetime, lang: str
) -> str:
    """The promise, measured (as in `lotse report`): requests of the last 30 days, per
    Gemeinde and per Lotse, with the overdue ones by number."""
    times = await response_times(session, content, now - dt.timedelta(days=30), now, now)
    by_gemeinde, by_lotse = present.response_rows(times)

    def lines(rows: list[list[str]]) -> str:
        keys = ("name", "requests", "fast", "kept", "median", "p90", "placed", "overdue")
        found = [
            content.text("digest_response_line", lang, **dict(zip(keys, row, strict=True)))
            for row in rows
        ]
        return "\n".join(found) or content.text("stats_none", lang)

    return content.text(
        "digest_responses",
        lang,
        promise=present.decimal(times.promise_hours),
        gemeinden=lines(by_gemeinde),
        lotsen=lines(by_lotse),
    )
