"""Database tables. Conversation state lives here, so a restart loses nothing."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot import clock

utcnow = clock.now  # column defaults: the product's one clock (tests set it)


def new_pseudonym() -> str:
    """A random key that ties one person's demand records together (see `User.pseudonym`)."""
    return secrets.token_hex(8)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        dt.datetime: DateTime(timezone=True),
    }


# (channel, external_id) of the one shared user that deleted people's leads move to.
ANONYMOUS = ("deleted", "anonymous")


class User(Base):
    """Somebody who talks to the bot, on one channel (telegram, console, …)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="de")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    blocked: Mapped[bool] = mapped_column(default=False)  # the person blocked the bot
    # Random, derived from nothing: the demand records (searches, step visits) carry it so
    # that the report counts people, not page views. It lives only here: once the person
    # is deleted, nothing leads from those records back to anybody. None: made before
    # migration 0012, filled at the person's next search.
    pseudonym: Mapped[str | None] = mapped_column(String(16), default=new_pseudonym)


class Conversation(Base):
    """Where a user stands in the dialogue and what they answered so far."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    step: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    history: Mapped[list[Any]] = mapped_column(default=list)
    pending: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Lead(Base):
    """A person who agreed to be contacted by a Lotse."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="volunteer")
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    gemeinde: Mapped[str | None] = mapped_column(String(80))
    place: Mapped[str | None] = mapped_column(String(80))
    interests: Mapped[list[Any]] = mapped_column(default=list)
    offer_id: Mapped[str | None] = mapped_column(String(40))
    lotse_id: Mapped[str | None] = mapped_column(String(40), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    contact: Mapped[str | None] = mapped_column(Text)
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[dt.datetime] = mapped_column()
    offered_at: Mapped[dt.datetime | None] = mapped_column()  # offered to the current Lotse
    # The next timed step for this lead (remind, escalate, outcome, followup, expire).
    due_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    due_kind: Mapped[str | None] = mapped_column(String(20))
    followup: Mapped[str | None] = mapped_column(String(20))  # the citizen's "Hat es geklappt?"
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e.g. kind of help, urgency
    channel: Mapped[str | None] = mapped_column(String(20))  # where it was made: telegram, web …


class Search(Base):
    """One search (interest × place) and how well it was served: demand data.

    `person` is the searcher's pseudonym (`User.pseudonym`): repeat views of one person
    count once. Rows from before migration 0012 have none and count one person each."""

    __tablename__ = "searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    gemeinde: Mapped[str | None] = mapped_column(String(80))
    interest: Mapped[str] = mapped_column(String(40))
    results: Mapped[int] = mapped_column(Integer)
    best_score: Mapped[float | None] = mapped_column()
    unmet: Mapped[bool] = mapped_column(default=False)
    person: Mapped[str | None] = mapped_column(String(16))


class LeadEvent(Base):
    """Audit trail: every change of a lead, with who, when and why."""

    __tablename__ = "lead_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(60))  # "citizen", "lotse:<id>", "system", …
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(200))


class LotseAccount(Base):
    """A Lotse from lotsen.yaml who joined through an invite link on some channel."""

    __tablename__ = "lotse_accounts"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    lotse_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    writing_to_lead: Mapped[int | None] = mapped_column(Integer)  # next text goes to that citizen


class Invite(Base):
    """A single-use, expiring onboarding code for a Lotse; only its hash is stored."""

    __tablename__ = "invites"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    lotse_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column()


class OutboxMessage(Base):
    """A notification written with the change that causes it, sent later by the sender."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recipient_role: Mapped[str] = mapped_column(String(20))  # lotse, coordinator, citizen
    recipient_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(200))
    # "lead:<id>" or "offer:<id>": the text may quote that person's words (see Notification).
    subject: Mapped[str | None] = mapped_column(String(40), index=True)


class Timer(Base):
    """A recurring job that is not about one lead (the weekly digest, retention)."""

    __tablename__ = "timers"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    due_at: Mapped[dt.datetime] = mapped_column()


class StepCount(Base):
    """How often a dialogue step was entered on a day (every entry, also repeated ones).

    Written until migration 0012; the report still adds these old days (one entry = one
    person, as nobody can tell them apart). Since then: `StepVisit`."""

    __tablename__ = "step_counts"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    step: Mapped[str] = mapped_column(String(64), primary_key=True)
    entered: Mapped[int] = mapped_column(Integer, default=0)


class StepVisit(Base):
    """A person (by pseudonym) entered a dialogue step on a day: the funnel in people.

    One row per person, step and day however often they came back, so the report can
    count each person once per step over any period. No time of day, no user id."""

    __tablename__ = "step_visits"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    step: Mapped[str] = mapped_column(String(64), primary_key=True)
    person: Mapped[str] = mapped_column(String(16), primary_key=True)


class EntryCount(Base):
    """Conversations a deep link brought (a poster, an interest or offer link), per day and
    channel, and how many of them became a lead: anonymous, no user, no time of day."""

    __tablename__ = "entry_counts"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)  # the /start payload
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)  # telegram, web, …
    started: Mapped[int] = mapped_column(Integer, default=0)
    leads: Mapped[int] = mapped_column(Integer, default=0)


class HandledUpdate(Base):
    """Updates already handled (e.g. 'tg:<update_id>'), so a redelivery is not run twice."""

    __tablename__ = "handled_updates"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class OfferSubmission(Base):
    """An offer a Verein entered in the chat: shown to citizens once a coordinator approved it.

    Approved offers live here, not in the YAML files, so that every bot process sees them.
    `data` holds title, summary, place, schedule, contact and interests as entered.
    """

    __tablename__ = "offer_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    gemeinde: Mapped[str | None] = mapped_column(String(80))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    asked_at: Mapped[dt.datetime | None] = mapped_column()  # "still current?" sent
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[dt.datetime | None] = mapped_column()


class WebMessage(Base):
    """One line of a web chat's transcript, so a reloaded page shows the conversation.

    Tied to the conversation: when retention or /loeschen removes it, the transcript goes too.
    `sender` is "user" (what the person typed or pressed), "bot" (a reply) or "note" (a
    notification, e.g. a Lotse's message). Buttons stay only on the current question.
    """

    __tablename__ = "web_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.user_id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sender: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[Any]] = mapped_column(default=list)  # [[label, data], …]
    location: Mapped[bool] = mapped_column(default=False)  # the question asks for a location


class HandoverCode(Base):
    """A one-time code that moves a web conversation to Telegram; only its hash is stored."""

    __tablename__ = "handover_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column()


class InstallationSecret(Base):
    """A random key made once per installation, the same for every process (e.g. the key
    that signs web chat sessions). Not personal data; a database copy reveals it."""

    __tablename__ = "installation_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))


class WhatsAppContact(Base):
    """A WhatsApp citizen's service window: Meta lets a business write freely only within
    24 hours of the person's last message; later only an approved template may go out.
    Deleted with the person (ON DELETE CASCADE)."""

    __tablename__ = "whatsapp_contacts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_inbound_at: Mapped[dt.datetime | None] = mapped_column()
    # The template that says "a message waits for you" went out (once per closed window).
    notice_sent_at: Mapped[dt.datetime | None] = mapped_column()


class WhatsAppMessage(Base):
    """A message sent on WhatsApp, by Meta's id (wamid), and what Meta reported about it
    (sent, delivered, read, failed). No text: only that and when it arrived."""

    __tablename__ = "whatsapp_messages"

    wamid: Mapped[str] = mapped_column(String(160), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    template: Mapped[str | None] = mapped_column(String(60))  # None: free-form
    status: Mapped[str] = mapped_column(String(12), default="accepted")
    status_at: Mapped[dt.datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(String(80))  # Meta's error code and title
    outbox_id: Mapped[int | None] = mapped_column(Integer)  # the notification it carried
