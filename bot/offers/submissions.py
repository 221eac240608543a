"""Offers that Vereine enter in the chat: review by the coordinators, expiry, "still current?".

A submission waits ("pending") until a coordinator approves it (Telegram buttons or
`lotse offers review`); approved ones are shown to citizens like every other offer until
`expires_on`. Before that day the Verein is asked whether the offer is still current: yes
extends it, no ends it; without an answer it simply expires. Approved offers live in the
database (not in the YAML files), so every bot process sees them
(`DialogEngine` reloads them when they change).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.content.model import LATER, Content
from bot.content.schema import Offer, Schedule
from bot.leads.routing import COORDINATION_ID
from bot.messages import Button, Message, Notification, Recipient
from bot.payloads import OfferCurrent, OfferReview
from bot.store import repo
from bot.store.models import OfferSubmission

log = logging.getLogger(__name__)
ID_PREFIX = "verein-"  # offer ids of approved submissions: verein-<submission id>
_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.")


def schedule_for(when: str) -> Schedule:
    """A date in the text ("am 12.12.") means a one-off; anything else a regular offer."""
    kind = "once" if _DATE.search(when) else "regular"
    short = when if len(when) <= 30 else when[:29] + "…"
    return Schedule(kind=kind, text=when, short=short)


def as_offer(submission: OfferSubmission) -> Offer:
    data = submission.data
    return Offer(
        id=f"{ID_PREFIX}{submission.id}",
        title=data["title"][:80],
        organisation=data["organisation"],
        place=data["place"]["name"],
        gemeinde=data["place"].get("gemeinde"),
        interests=data["interests"],
        summary=data["summary"],
        schedule=schedule_for(data["when"]),
        contact=data["contact"],
        updated=(submission.decided_at or submission.created_at).date(),
        source="verein",
        source_id=str(submission.id),
    )


async def shown(session: AsyncSession, today: dt.date) -> list[Offer]:
    """Approved offers that have not expired: what citizens see besides the YAML offers."""
    rows = await session.scalars(
        select(OfferSubmission)
        .where(OfferSubmission.status == "approved", OfferSubmission.expires_on >= today)
        .order_by(OfferSubmission.id)
    )
    offers = []
    for row in rows:
        try:
            offers.append(as_offer(row))
        except (KeyError, ValidationError):  # an entry the checks let through: never shown
            log.warning("offer submission %s cannot be shown", row.id)
    return offers


async def version(session: AsyncSession) -> tuple[int, str]:
    """Changes whenever a submission changes: cheap enough to ask before every event."""
    count, latest = (
        await session.execute(
            select(func.count(OfferSubmission.id), func.max(OfferSubmission.updated_at))
        )
    ).one()
    return count, str(latest)


async def pending(session: AsyncSession) -> list[OfferSubmission]:
    rows = await session.scalars(
        select(OfferSubmission)
        .where(OfferSubmission.status == "pending")
        .order_by(OfferSubmission.id)
    )
    return list(rows)


def summary(submission: OfferSubmission, content: Content, lang: str) -> str:
    data = submission.data
    return content.text(
        "submission_card",
        lang,
        id=submission.id,
        title=data["title"],
        organisation=data["organisation"],
        summary=data["summary"],
        interests=", ".join(content.interest_label(i, lang) for i in data["interests"]),
        place=data["place"].get("label") or data["place"]["name"],
        when=data["when"],
        contact=data["contact"],
        status=content.text(f"submission_status_{submission.status}", lang),
    )


def subject(submission: OfferSubmission) -> str:
    """What a notification about this offer is about (it quotes what the Verein entered)."""
    return f"offer:{submission.id}"


def review_card(submission: OfferSubmission, content: Content, lang: str) -> Message:
    buttons = tuple(
        Button(
            content.text(f"btn_submission_{action}", lang),
            OfferReview(submission.id, action).pack(),
        )
        for action in ("approve", "reject")
    )
    return Message(summary(submission, content, lang), buttons)


def for_review(submission: OfferSubmission, content: Content, spoken: str) -> Notification:
    """The card for the coordinators, in their language; it names the Verein's language
    (`spoken`) when that is another one, so that questions are asked in it."""
    lang = content.languages[0]
    card = review_card(submission, content, lang)
    note = content.text("submission_review_note", lang)
    if spoken != lang:
        language = content.text(f"language_{spoken}", lang)
        note += "\n" + content.text("detail_language", lang) + ": " + language
    coordination = Recipient(
        "coordinator", COORDINATION_ID, content.text("coordination_name", lang)
    )
    return Notification(
        coordination, Message(f"{note}\n\n{card.text}", card.buttons), subject(submission)
    )


async def decide(
    session: AsyncSession,
    submission_id: int,
    approve: bool,
    *,
    actor: str,
    content: Content,
    today: dt.date,
) -> tuple[OfferSubmission | None, list[Notification]]:
    """Approve or reject a pending submission; the Verein is told. None: not pending (any
    more) – e.g. another coordinator was quicker."""
    claimed = await session.execute(
        update(OfferSubmission)
        .where(OfferSubmission.id == submission_id, OfferSubmission.status == "pending")
        .values(status="approved" if approve else "rejected", decided_by=actor[:60])
    )
    if claimed.rowcount != 1:
        return None, []
    submission = await session.get(OfferSubmission, submission_id, populate_existing=True)
    assert submission is not None
    submission.decided_at = clock.now()
    lang = await _submitter_language(session, submission, content)
    if approve:
        submission.expires_on = today + dt.timedelta(days=content.leads.offers.valid_days)
        text = content.text(
            "submission_approved",
            lang,
            via=LATER,
            title=submission.data["title"],
            until=f"{submission.expires_on:%d.%m.%Y}",
        )
    else:
        text = content.text("submission_rejected", lang, via=LATER, title=submission.data["title"])
    return submission, _to_submitter(submission, Message(text))


async def _submitter_language(
    session: AsyncSession, submission: OfferSubmission, content: Content
) -> str:
    """The Verein's person's language: what they are told is written in it."""
    if submission.user_id is None:
        return content.languages[0]
    return content.language(await repo.language_of(session, submission.user_id))


def _to_submitter(submission: OfferSubmission, message: Message) -> list[Notification]:
    if submission.user_id is None:  # the person deleted their data
        return []
    return [
        Notification(
            Recipient("citizen", str(submission.user_id), ""), message, subject(submission)
        )
    ]


async def ask_still_current(
    session: AsyncSession, content: Content, today: dt.date
) -> tuple[list[str], list[Notification]]:
    """Ask each Verein once, `ask_before_days` before expiry; expire what is past its date."""
    rules = content.leads.offers
    done: list[str] = []
    notes: list[Notification] = []
    due = await session.scalars(
        select(OfferSubmission)
        .where(
            OfferSubmission.status == "approved",
            OfferSubmission.asked_at.is_(None),
            OfferSubmission.user_id.is_not(None),
            OfferSubmission.expires_on <= today + dt.timedelta(days=rules.ask_before_days),
            OfferSubmission.expires_on >= today,
        )
        .with_for_update(skip_locked=True)
    )
    for submission in due:
        submission.asked_at = clock.now()
        lang = await _submitter_language(session, submission, content)
        buttons = tuple(
            Button(
                content.text(f"btn_current_{answer}", lang),
                OfferCurrent(submission.id, answer).pack(),
            )
            for answer in ("keep", "end")
        )
        text = content.text(
            "submission_still_current",
            lang,
            via=LATER,
            title=submission.data["title"],
            until=f"{submission.expires_on:%d.%m.%Y}",
        )
        notes += _to_submitter(submission, Message(text, buttons))
        done.append(f"Angebot #{submission.id}: „Noch aktuell?“ an den Verein")
    expired = await session.execute(
        update(OfferSubmission)
        .where(OfferSubmission.status == "approved", OfferSubmission.expires_on < today)
        .values(status="expired")
    )
    if expired.rowcount:
        done.append(f"{expired.rowcount} Vereinsangebot(e) abgelaufen")
    return done, notes


async def answer_still_current(
    session: AsyncSession, submission: OfferSubmission, keep: bool, content: Content, today: dt.date
) -> str:
    """The Verein's answer; returns the text key of the reply."""
    if submission.status != "approved":
        return "stale_button"
    if keep:
        submission.expires_on = today + dt.timedelta(days=content.leads.offers.valid_days)
        submission.asked_at = None
        return "submission_extended"
    submission.status = "ended"
    return "submission_ended"
