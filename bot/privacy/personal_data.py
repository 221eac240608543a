"""What is stored about a person: shown on /meine_daten, erased on /loeschen, aged out.

The overview's demand records (searches, step visits) carry the person's random key
(`User.pseudonym`), which lives only on the user row: the export lists them, and with the
user row the key goes, so they lead to nobody afterwards.
Leads survive a person's deletion only as anonymous counts: personal fields (name,
contact, place and the details, which may quote the person's own words) are cleared and
the lead is moved to one shared anonymous user, so reports keep their numbers.

Every place that can hold what a person wrote goes with them: the conversation (answers,
pending question; the web transcript hangs on it), leads' details, offer submissions, and
every outbox row to the person or about their leads and offers, whatever its state
(`OutboxMessage.subject`). A new table or column that can hold a person's words must be
added here; tests/test_erasure.py searches the whole database for a marker.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.model import Content
from bot.leads.desk import subject as lead_subject
from bot.leads.lifecycle import CLOSED, OPEN, aware, change
from bot.leads.routing import COORDINATION_ID
from bot.messages import Message, Notification, Recipient
from bot.offers.submissions import subject as offer_subject
from bot.privacy.labels import answer_lines, in_language, local_date
from bot.store import models
from bot.store.db import scrub_after_commit
from bot.store.handover import WAITING
from bot.store.models import (
    Conversation,
    HandledUpdate,
    Invite,
    Lead,
    LeadEvent,
    OfferSubmission,
    OutboxMessage,
    Search,
    StepVisit,
    User,
    WebMessage,
    WhatsAppContact,
    WhatsAppMessage,
)
from bot.store.repo import WHATSAPP_WAITING

ANONYMOUS = models.ANONYMOUS  # (channel, external_id) of the shared tombstone user


async def personal_data(session: AsyncSession, user: User) -> dict[str, Any]:
    """Everything stored about this person, as plain data (also the JSON export)."""
    conversation = await session.get(Conversation, user.id)
    leads = (
        await session.scalars(select(Lead).where(Lead.user_id == user.id).order_by(Lead.id))
    ).all()
    waiting = (
        await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient_role == "citizen",
                OutboxMessage.recipient_id == str(user.id),
                # also those waiting for the web page or for WhatsApp's window
                OutboxMessage.status.in_((*WAITING, WHATSAPP_WAITING)),
            )
        )
    ).all()
    transcript = (
        await session.scalars(
            select(WebMessage).where(WebMessage.user_id == user.id).order_by(WebMessage.id)
        )
    ).all()
    return {
        "web_chat": [{"at": _iso(m.at), "from": m.sender, "text": m.text} for m in transcript],
        "person": {
            "channel": user.channel,
            "id_on_channel": user.external_id,
            "language": user.language,
            "first_contact": _iso(user.created_at),
            # The random key the overview counts people by; it goes with the person.
            "key_for_counts": user.pseudonym,
        },
        "counted": await _counted(session, user),
        "conversation": None
        if conversation is None
        else {
            "step": conversation.step,
            "answers": conversation.answers,
            "updated": _iso(conversation.updated_at),
        },
        "requests": [
            {
                "number": lead.id,
                "created": _iso(lead.created_at),
                "status": lead.status,
                "gemeinde": lead.gemeinde,
                "place": lead.place,
                "interests": lead.interests,
                "offer": lead.offer_id,
                "lotse": lead.lotse_id,
                "name": lead.name,
                "contact": lead.contact,
                "consent_version": lead.consent_version,
                "consent_given": _iso(lead.consent_at),
                "followup_answer": lead.followup,
                "details": lead.details,  # what was passed on, as the Lotse reads it
            }
            for lead in leads
        ],
        "messages_waiting": [{"created": _iso(m.created_at), "text": m.text} for m in waiting],
        "whatsapp": await _whatsapp(session, user),
        "offers": [
            {
                "number": offer.id,
                "created": _iso(offer.created_at),
                "status": offer.status,
                "shown_until": offer.expires_on.isoformat() if offer.expires_on else None,
                **offer.data,
            }
            for offer in await _submissions(session, user)
        ],
    }


async def _counted(session: AsyncSession, user: User) -> dict[str, list[dict[str, str]]]:
    """What the overview's counts hold under the person's key: searches and steps."""
    if user.pseudonym is None:
        return {"searches": [], "steps": []}
    searches = await session.scalars(
        select(Search).where(Search.person == user.pseudonym).order_by(Search.id)
    )
    steps = await session.scalars(
        select(StepVisit)
        .where(StepVisit.person == user.pseudonym)
        .order_by(StepVisit.day, StepVisit.step)
    )
    return {
        "searches": [
            {"at": _iso(s.created_at), "gemeinde": s.gemeinde or "", "interest": s.interest}
            for s in searches
        ],
        "steps": [{"day": v.day.isoformat(), "step": v.step} for v in steps],
    }


async def _whatsapp(session: AsyncSession, user: User) -> dict[str, Any] | None:
    """On WhatsApp: when the person last wrote (the 24-hour window) and what became of the
    messages sent to them (ids and statuses from Meta, no texts)."""
    contact = await session.get(WhatsAppContact, user.id)
    sent = (
        await session.scalars(
            select(WhatsAppMessage)
            .where(WhatsAppMessage.user_id == user.id)
            .order_by(WhatsAppMessage.sent_at)
        )
    ).all()
    if contact is None and not sent:
        return None
    return {
        "last_message": _iso(contact.last_inbound_at) if contact else None,
        "sent": [{"at": _iso(m.sent_at), "status": m.status, "template": m.template} for m in sent],
    }


async def _submissions(session: AsyncSession, user: User) -> list[OfferSubmission]:
    query = select(OfferSubmission).where(OfferSubmission.user_id == user.id)
    return list((await session.scalars(query.order_by(OfferSubmission.id))).all())


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def readable(data: dict[str, Any], content: Content, lang: str) -> str:
    """The same data in sentences for the chat, in the content's words (not stored keys)."""
    person, conversation = data["person"], data["conversation"]
    lines = [
        content.text(
            "my_data_person",
            lang,
            channel=_named(content, f"channel_{person['channel']}", person["channel"], lang),
            since=local_date(content, person["first_contact"]),
            language=_named(content, f"language_{person['language']}", person["language"], lang),
        )
    ]
    if conversation:
        answers = " · ".join(answer_lines(conversation["answers"], content, lang)) or "–"
        lines.append(content.text("my_data_conversation", lang, answers=answers))
    lines += [_request(lead, content, lang) for lead in data["requests"]]
    for offer in data.get("offers", []):
        lines.append(
            content.text(
                "my_data_offer",
                lang,
                number=offer["number"],
                title=offer.get("title", "–"),
                status=content.text(f"submission_status_{offer['status']}", lang),
                contact=offer.get("contact") or "–",
            )
        )
    if not conversation and not data["requests"] and not data.get("offers"):
        lines.append(content.text("my_data_nothing", lang))
    lines.append(content.text("my_data_footer", lang))
    return "\n\n".join(lines)


def _request(lead: dict[str, Any], content: Content, lang: str) -> str:
    lotse = next((x.name for x in content.lotsen if x.id == lead["lotse"]), lead["lotse"])
    text = content.text(
        "my_data_request",
        lang,
        number=lead["number"],
        created=local_date(content, lead["created"]),
        status=content.text(f"status_{lead['status']}", lang),
        place=lead["place"] or "–",
        name=lead["name"] or "–",
        contact=lead["contact"] or "–",
        lotse=lotse or "–",
    )
    details = " · ".join(
        f"{in_language(content, k, lang)}: {in_language(content, v, lang)}"
        for k, v in (lead.get("details") or {}).items()
    )
    return text + ("\n" + content.text("my_data_details", lang, details=details) if details else "")


def _named(content: Content, key: str, stored: str, lang: str) -> str:
    """A stored name in words when the texts have it ('telegram' → 'Telegram')."""
    return content.text(key, lang) if key in content.texts.texts else stored


async def erase_person(
    session: AsyncSession, user: User, content: Content, now: dt.datetime | None = None
) -> list[Notification]:
    """Delete the person; open leads are withdrawn and their Lotse told (without details)."""
    notes: list[Notification] = []
    anonymous = await anonymous_user(session)
    for lead in (await session.scalars(select(Lead).where(Lead.user_id == user.id))).all():
        if lead.status in OPEN:
            change(
                session,
                lead,
                "withdrawn",
                actor="citizen",
                note="data deleted",
                timing=content.leads,
                now=now,
            )
            text = content.text("lead_erased_note", content.languages[0], id=lead.id)
            recipient = (
                Recipient("lotse", lead.lotse_id, "")
                if lead.lotse_id
                else Recipient("coordinator", COORDINATION_ID, "")
            )
            notes.append(Notification(recipient, Message(text)))
        await _forget_messages_about(session, [lead_subject(lead)])
        anonymize(lead, anonymous)
    await _forget_messages_to(session, [user])
    # Offers the person entered for a Verein go too, also published ones: they carry the
    # contact the person gave, and "delete my data" must not leave it on show.
    offers = await _submissions(session, user)
    await _forget_messages_about(session, [offer_subject(offer) for offer in offers])
    await session.execute(delete(OfferSubmission).where(OfferSubmission.user_id == user.id))
    await session.delete(user)  # the conversation goes with it (ON DELETE CASCADE)
    await scrub_after_commit(session)
    return notes


async def _forget_messages_about(session: AsyncSession, subjects: list[str]) -> None:
    """Cards and notes about these leads or offers, sent or not: they quote the person."""
    if subjects:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.subject.in_(subjects)))


async def _forget_messages_to(session: AsyncSession, users: list[User]) -> None:
    """Messages to these people, sent or not. Replies held while Telegram was down wait
    under the chat's id, which in a private chat is the person's own id; they may be the
    very data (a /meine_daten answer) to delete."""
    if not users:
        return
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.recipient_role == "citizen",
            OutboxMessage.recipient_id.in_([str(user.id) for user in users]),
        )
    )
    chats = [user.external_id for user in users]
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.recipient_role == "chat", OutboxMessage.recipient_id.in_(chats)
        )
    )


def anonymize(lead: Lead, anonymous: User) -> None:
    """Keep what counts (Gemeinde, interests, offer, statuses), drop what identifies."""
    lead.user_id = anonymous.id
    lead.name = lead.contact = lead.place = None
    lead.details = {}  # the kind of help, a question, an idea: often the person's own words
    lead.due_at = lead.due_kind = None


async def anonymous_user(session: AsyncSession) -> User:
    channel, external_id = ANONYMOUS
    user = await session.scalar(
        select(User).where(User.channel == channel, User.external_id == external_id)
    )
    if user is None:
        user = User(channel=channel, external_id=external_id, language="de")
        session.add(user)
        await session.flush()
    return user


async def enforce_retention(session: AsyncSession, content: Content, now: dt.datetime) -> list[str]:
    """Delete or anonymize what is older than content/leads.yaml's retention periods."""
    keep = content.leads.retention
    done: list[str] = []
    conversation_cut = now - dt.timedelta(days=keep.conversations_days)
    busy = select(Lead.user_id).where(Lead.status.in_(OPEN))
    stale = (
        await session.scalars(
            select(Conversation.user_id).where(
                Conversation.updated_at < conversation_cut, Conversation.user_id.not_in(busy)
            )
        )
    ).all()
    if stale:
        await session.execute(delete(Conversation).where(Conversation.user_id.in_(stale)))
        done.append(f"{len(stale)} alte Gespräche gelöscht")
    lead_cut = now - dt.timedelta(days=keep.closed_leads_days)
    closed = (
        await session.scalars(
            select(Lead)
            .join(User, Lead.user_id == User.id)
            .where(Lead.status.in_(CLOSED), User.channel != ANONYMOUS[0])
        )
    ).all()
    aged = [lead for lead in closed if await _closed_at(session, lead) < lead_cut]
    if aged:
        anonymous = await anonymous_user(session)
        await _forget_messages_about(session, [lead_subject(lead) for lead in aged])
        for lead in aged:
            anonymize(lead, anonymous)
        done.append(f"{len(aged)} abgeschlossene Anfragen anonymisiert")
    await session.flush()
    lonely = select(User).where(
        User.channel != ANONYMOUS[0],
        User.id.not_in(select(Conversation.user_id)),
        User.id.not_in(select(Lead.user_id)),
        User.id.not_in(  # a Verein must stay reachable for "is your offer still current?"
            select(OfferSubmission.user_id).where(
                OfferSubmission.user_id.is_not(None),
                OfferSubmission.status.in_(("pending", "approved")),
            )
        ),
    )
    removed = list((await session.scalars(lonely)).all())
    if removed:
        await _forget_messages_to(session, removed)
        await session.execute(delete(User).where(User.id.in_([user.id for user in removed])))
        done.append(f"{len(removed)} Personen ohne Gespräch und Anfrage gelöscht")
    ended = (
        await session.scalars(
            select(OfferSubmission).where(
                OfferSubmission.status.in_(("rejected", "expired", "ended")),
                OfferSubmission.updated_at < now - dt.timedelta(days=keep.closed_leads_days),
            )
        )
    ).all()
    if ended:
        await _forget_messages_about(session, [offer_subject(offer) for offer in ended])
        await session.execute(
            delete(OfferSubmission).where(OfferSubmission.id.in_([o.id for o in ended]))
        )
        done.append(f"{len(ended)} beendete Vereinsangebote gelöscht")
    message_cut = now - dt.timedelta(days=keep.messages_days)
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(("sent", "failed")), OutboxMessage.created_at < message_cut
        )
    )
    await session.execute(delete(Invite).where(Invite.expires_at < message_cut))
    # Meta's ids and statuses of WhatsApp messages: kept as long as delivered messages.
    await session.execute(delete(WhatsAppMessage).where(WhatsAppMessage.sent_at < message_cut))
    # Update ids only guard against redelivery within minutes; a week is plenty.
    await session.execute(
        delete(HandledUpdate).where(HandledUpdate.at < now - dt.timedelta(days=7))
    )
    if done:
        await scrub_after_commit(session)
    return done


async def _closed_at(session: AsyncSession, lead: Lead) -> dt.datetime:
    last = await session.scalar(
        select(LeadEvent.at)
        .where(LeadEvent.lead_id == lead.id)
        .order_by(LeadEvent.at.desc())
        .limit(1)
    )
    return aware(last or lead.created_at)


def _iso(moment: dt.datetime | None) -> str:
    return aware(moment).isoformat(timespec="seconds") if moment else ""
