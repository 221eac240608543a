"""Small queries the core needs; each takes the session of the current transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Executable,
    String,
    and_,
    bindparam,
    cast,
    exists,
    func,
    not_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.messages import Notification
from bot.store.db import Database
from bot.store.models import (
    Conversation,
    EntryCount,
    HandledUpdate,
    InstallationSecret,
    Lead,
    LotseAccount,
    OutboxMessage,
    Search,
    StepVisit,
    Timer,
    User,
    new_pseudonym,
)


async def get_or_create_user(
    session: AsyncSession, channel: str, external_id: str, language: str
) -> tuple[User, bool]:
    user = await session.scalar(
        select(User).where(User.channel == channel, User.external_id == external_id)
    )
    if user is not None:
        return user, False
    user = User(channel=channel, external_id=external_id, language=language)
    session.add(user)
    await session.flush()
    return user, True


class Saved(NamedTuple):
    """A conversation's state as stored (read without the ORM's bookkeeping)."""

    step: str
    answers: dict[str, Any]
    history: list[Any]
    pending: dict[str, Any]


class Person(NamedTuple):
    user: User | None  # None: somebody new
    conversation: Saved | None
    account: LotseAccount | None  # the Lotse behind this chat, unless revoked


# The sender as a one-row table: the query gives one row also for somebody new, whose Lotse
# account may exist already (a Lotse who erased their data keeps the account).
_SENDER = select(
    bindparam("channel", type_=String).label("channel"),
    bindparam("external_id", type_=String).label("external_id"),
).subquery("sender")
# Built once: SQLAlchemy then also keeps its cache key, and finds the compiled SQL at once.
_PERSON = (
    select(
        User,
        LotseAccount,
        Conversation.step,
        Conversation.answers,
        Conversation.history,
        Conversation.pending,
    )
    .select_from(_SENDER)
    .outerjoin(
        User, and_(User.channel == _SENDER.c.channel, User.external_id == _SENDER.c.external_id)
    )
    .outerjoin(Conversation, Conversation.user_id == User.id)
    .outerjoin(
        LotseAccount,
        and_(
            LotseAccount.channel == _SENDER.c.channel,
            LotseAccount.external_id == _SENDER.c.external_id,
            LotseAccount.revoked_at.is_(None),
        ),
    )
)


async def load_person(session: AsyncSession, channel: str, external_id: str) -> Person:
    """The person, where their conversation stands and their Lotse account: one query."""
    found = (await session.execute(_PERSON, {"channel": channel, "external_id": external_id})).one()
    user, account, step, answers, history, pending = found
    saved = None if step is None else Saved(step, answers, history, pending)
    return Person(user, saved, account)


async def add_user(session: AsyncSession, channel: str, external_id: str, language: str) -> User:
    user = User(channel=channel, external_id=external_id, language=language)
    session.add(user)
    await session.flush()
    return user


async def language_of(session: AsyncSession, user_id: int | str | None) -> str | None:
    """The language a person chose or wrote in (None: the person is gone): texts queued
    for them are written in it."""
    if user_id is None:
        return None
    return await session.scalar(select(User.language).where(User.id == int(user_id)))


async def language_on(session: AsyncSession, channel: str, external_id: str) -> str | None:
    """The language of the person with this channel id (None: nobody known there)."""
    return await session.scalar(
        select(User.language).where(User.channel == channel, User.external_id == external_id)
    )


async def load_conversation(session: AsyncSession, user_id: int) -> Conversation | None:
    return await session.get(Conversation, user_id)


async def save_conversation(
    session: AsyncSession, user_id: int, step: str, answers: dict, history: list, pending: dict
) -> None:
    key = session.identity_key(Conversation, user_id)
    row = session.sync_session.identity_map.get(key)
    if row is None:
        # Nobody in this transaction holds the row as an object: one INSERT … ON CONFLICT
        # DO UPDATE, without the ORM's unit of work.
        values = {
            "user_id": user_id,
            "step": step,
            "answers": answers,
            "history": history,
            "pending": pending,
            "updated_at": clock.now(),
        }
        await session.execute(_statement(session, "save_conversation"), values)
        return
    # Loaded as an object (e.g. by a handover): change that object, or its flush at commit
    # would write its older state over ours. Fresh containers so SQLAlchemy sees a change
    # even when a dict was mutated in place.
    row.step, row.answers, row.history, row.pending = (
        step,
        dict(answers),
        list(history),
        dict(pending),
    )


async def add_lead(session: AsyncSession, lead: Lead) -> Lead:
    if lead.channel is None:  # where the person wrote from; the Lotse's card names it
        lead.channel = await session.scalar(select(User.channel).where(User.id == lead.user_id))
    session.add(lead)
    await session.flush()
    return lead


async def list_leads(session: AsyncSession) -> Sequence[Lead]:
    return (await session.scalars(select(Lead).order_by(Lead.id))).all()


async def record_searches(session: AsyncSession, searches: list[Search]) -> None:
    session.add_all(searches)


async def lotse_account(
    session: AsyncSession, channel: str, external_id: str
) -> LotseAccount | None:
    """The Lotse behind this chat, unless revoked."""
    return await session.scalar(
        select(LotseAccount).where(
            LotseAccount.channel == channel,
            LotseAccount.external_id == external_id,
            LotseAccount.revoked_at.is_(None),
        )
    )


def queue_notifications(
    session: AsyncSession,
    notifications: Sequence[Notification],
    now: dt.datetime | None = None,
    citizen_time: Callable[[dt.datetime], dt.datetime] | None = None,
) -> None:
    """Written in the same transaction as the change that causes them (outbox pattern).

    `citizen_time` moves messages to citizens out of the quiet hours.
    """
    now = now or clock.now()
    for note in notifications:
        due = citizen_time(now) if citizen_time and note.recipient.role == "citizen" else now
        session.add(
            OutboxMessage(
                recipient_role=note.recipient.role,
                recipient_id=note.recipient.id,
                text=note.message.text,
                created_at=now,
                next_attempt_at=due,
                buttons=[[b.label, b.data] for b in note.message.buttons],
                subject=note.subject,
            )
        )


# Channels whose citizens get their messages from a worker of their own (bot/whatsapp):
# the general outbox worker leaves those rows alone.
OWN_DELIVERY = ("whatsapp",)
# Outbox status of a message to a WhatsApp citizen that waits for their 24-hour window.
WHATSAPP_WAITING = "whatsapp"


def citizen_on(channels: Sequence[str]) -> ColumnElement[bool]:
    """The outbox row is for a citizen who talks on one of `channels`."""
    return and_(
        OutboxMessage.recipient_role == "citizen",
        exists(
            select(User.id).where(
                cast(User.id, String) == OutboxMessage.recipient_id, User.channel.in_(channels)
            )
        ),
    )


async def update_outbox(db: Database, *row_ids: int, **values: object) -> None:
    """Set fields of outbox rows in one transaction of their own (a delivery's result); a
    row deleted meanwhile (the person erased their data) is left alone."""
    async with db.session() as session, session.begin():
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(row_ids)).values(**values)
        )


async def claim_outbox(
    session: AsyncSession,
    now: dt.datetime,
    limit: int = 20,
    lease: dt.timedelta = dt.timedelta(minutes=2),
    *,
    citizens_on: str | None = None,
) -> list[OutboxMessage]:
    """Take due notifications for sending, oldest first, so that no other process can.

    The claim pushes `next_attempt_at` past the lease: if this process dies while sending,
    the rows become due again and another process sends them. With `citizens_on` only the
    rows for citizens on that channel; without, all others (see `OWN_DELIVERY`).
    """
    mine = citizen_on([citizens_on]) if citizens_on else not_(citizen_on(OWN_DELIVERY))
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now, mine)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = await session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=now + lease, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage)
    )
    return sorted(claimed.all(), key=lambda row: row.id)


async def open_lead_counts(session: AsyncSession) -> dict[str, int]:
    """Open leads per Lotse, for the max_open limit."""
    rows = await session.execute(
        select(Lead.lotse_id, func.count())
        .where(Lead.lotse_id.is_not(None), Lead.status.in_(("offered", "accepted", "contacted")))
        .group_by(Lead.lotse_id)
    )
    return {lotse_id: count for lotse_id, count in rows.all()}


async def revoked_lotsen(session: AsyncSession) -> set[str]:
    """Lotsen whose access was revoked (`lotse lotsen revoke`): they get no leads."""
    rows = await session.scalars(
        select(LotseAccount.lotse_id).where(LotseAccount.revoked_at.is_not(None))
    )
    return set(rows.all())


async def claim_due_lead(session: AsyncSession, now: dt.datetime) -> Lead | None:
    """Take one lead whose timed step is due; the caller runs it in this transaction.

    Clearing due_at in the claiming UPDATE makes the claim atomic on SQLite; on
    PostgreSQL the subquery also skips rows another process has locked.
    """
    due = (
        select(Lead.id)
        .where(Lead.due_at.is_not(None), Lead.due_at <= now)
        .order_by(Lead.due_at, Lead.id)
        .limit(1)
    )
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = (
        await session.execute(
            update(Lead)
            .where(Lead.id == due.scalar_subquery(), Lead.due_at.is_not(None))
            .values(due_at=None)
            .returning(Lead.id, Lead.due_kind)
        )
    ).first()
    if claimed is None:
        return None
    lead = await session.get(Lead, claimed.id, populate_existing=True)
    if lead is not None:
        lead.due_kind = claimed.due_kind
    return lead


async def claim_timer(
    session: AsyncSession, name: str, now: dt.datetime, next_due: dt.datetime
) -> bool:
    """True for exactly one caller when the timer is due; it is moved to `next_due`."""
    moved = await session.execute(
        update(Timer)
        .where(Timer.name == name, Timer.due_at <= now)
        .values(due_at=next_due)
        .returning(Timer.name)
    )
    return moved.first() is not None


def dialect_insert(session: AsyncSession) -> Any:
    """The dialect's INSERT with ON CONFLICT (PostgreSQL's or SQLite's) for this session."""
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def ensure_timer(session: AsyncSession, name: str, due_at: dt.datetime) -> None:
    """Create the timer unless it exists; safe when several processes start at once."""
    insert = dialect_insert(session)
    await session.execute(
        insert(Timer)
        .values(name=name, due_at=due_at)
        .on_conflict_do_nothing(index_elements=["name"])
    )


def pseudonym(user: User) -> str:
    """The person's random demand key (`User.pseudonym`), made now for people from before
    it existed; saved with the turn's transaction."""
    if user.pseudonym is None:
        user.pseudonym = new_pseudonym()
    return user.pseudonym


async def count_step(session: AsyncSession, step: str, day: dt.date, user: User) -> None:
    """The person entered `step` today: one row per person, step and day, however often
    they come back (the funnel counts people; no user id, no time of day)."""
    values = {"day": day, "step": step, "person": pseudonym(user)}
    await session.execute(_statement(session, "count_step"), values)


async def count_entry(
    session: AsyncSession, day: dt.date, source: str, channel: str, *, lead: bool = False
) -> None:
    """One more conversation started by the deep link `source` (a poster's payload) on
    `channel` today, or with `lead`, one more lead from such a conversation. Anonymous."""
    insert = dialect_insert(session)
    started, leads = (0, 1) if lead else (1, 0)
    statement = insert(EntryCount).values(
        day=day, source=source[:64], channel=channel[:20], started=started, leads=leads
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["day", "source", "channel"],
            set_={
                "started": EntryCount.started + started,
                "leads": EntryCount.leads + leads,
            },
        )
    )


async def installation_secret(session: AsyncSession, name: str) -> str:
    """The installation's secret `name`, made at first use; every process gets the same
    (INSERT … ON CONFLICT DO NOTHING, then read what is there)."""
    insert = dialect_insert(session)
    await session.execute(
        insert(InstallationSecret.__table__)
        .values(name=name, value=secrets.token_hex(32))
        .on_conflict_do_nothing(index_elements=["name"])
    )
    value = await session.scalar(
        select(InstallationSecret.value).where(InstallationSecret.name == name)
    )
    assert value is not None
    return value


async def first_time(session: AsyncSession, key: str) -> bool:
    """Record `key` as handled; False if it was already (the insert and the event's effects
    commit together, so an event is handled exactly once).

    One INSERT … ON CONFLICT DO NOTHING: on PostgreSQL a second process inserting the same
    key at the same time waits for the first one's commit and then inserts nothing."""
    result = await session.execute(_statement(session, "first_time"), {"key": key})
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _statement(session: AsyncSession, name: str) -> Executable:
    """The hot path's writes, built once per dialect (values come as parameters)."""
    dialect = session.bind.dialect.name
    statement = _BUILT.get((dialect, name))
    if statement is None:
        statement = _BUILT[dialect, name] = _BUILDERS[name](
            pg_insert if dialect == "postgresql" else sqlite_insert
        )
    return statement


def _upsert_conversation(insert: Any) -> Executable:
    statement = insert(Conversation.__table__)
    changed = ("step", "answers", "history", "pending", "updated_at")
    return statement.on_conflict_do_update(
        index_elements=["user_id"], set_={name: statement.excluded[name] for name in changed}
    )


def _count_step(insert: Any) -> Executable:
    return insert(StepVisit.__table__).on_conflict_do_nothing(
        index_elements=["day", "step", "person"]
    )


def _mark_handled(insert: Any) -> Executable:
    return insert(HandledUpdate.__table__).on_conflict_do_nothing(index_elements=["key"])


_BUILDERS: dict[str, Callable[[Any], Executable]] = {
    "save_conversation": _upsert_conversation,
    "count_step": _count_step,
    "first_time": _mark_handled,
}
_BUILT: dict[tuple[str, str], Executable] = {}


async def lock_person(session: AsyncSession, channel: str, external_id: str) -> None:
    """Let one person's events run one after another, across all bot processes.

    On PostgreSQL a transaction-scoped advisory lock on a key from (channel, external id):
    a second event of the same person, in any process, waits here until the first one has
    committed, and then reads what it wrote (no lost update, no duplicate user row). The
    lock ends with the transaction, also when a process dies. Two people whose keys collide
    (1 in 2^64) merely wait for each other. SQLite serves one process only, where the
    in-process lock (bot/store/locks.py) is all it takes.
    """
    if session.bind.dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(person_key(channel, external_id))))


def person_key(channel: str, external_id: str) -> int:
    """A stable signed 64-bit key (PostgreSQL's bigint) for one person; never their id."""
    digest = hashlib.blake2b(f"person:{channel}:{external_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
