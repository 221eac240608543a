"""Faults: a locked or restarted database, and the bot process killed at random points."""

from __future__ import annotations

import asyncio
import logging
import random
import signal
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.store import inline_sqlite, repo
from bot.store.db import Database
from bot.store.models import Conversation, Lead, User
from tests.fakes.telegram_api import FakeTelegram, FakeUser
from tests.helpers import POSTGRES_URL
from tests.helpers.chat import Chat
from tests.helpers.telegram import lotse_process, stop_process

ROOT = Path(__file__).resolve().parent.parent


class _Retrying(logging.Handler):
    """Sets ``seen`` once the core logs that it waits for the database and tries again."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("database busy or unreachable"):
            self.seen.set()


def _hold_sqlite(
    path: Path, holding: threading.Event, release: threading.Event
) -> threading.Thread:
    """Another program that locks the SQLite file until ``release`` is set (at most 60 s)."""

    def hold() -> None:
        other = sqlite3.connect(path, timeout=1)
        other.execute("BEGIN EXCLUSIVE")
        holding.set()
        release.wait(60)
        other.rollback()
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    return holder


@pytest.mark.parametrize("sqlite_inline", [True, False], ids=["inline", "aiosqlite"])
async def test_locked_sqlite_is_waited_out(
    content: Content,
    matchers: Matchers,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sqlite_inline: bool,
) -> None:
    """A lock held longer than the driver waits (BUSY_WAIT) makes the event fail once;
    the core waits and runs it again, and the person gets the answer. On both drivers:
    aiosqlite waits as long (its busy timeout), in its thread."""
    monkeypatch.setattr(inline_sqlite, "BUSY_WAIT", 0.05)  # give up soon, instead of 5 s
    path = tmp_path / "locked.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}", sqlite_inline=sqlite_inline)
    await db.migrate()
    chat = Chat(DialogEngine(content, db, matchers))
    await chat.say("Hallo")
    retrying = _Retrying()
    engine_log = logging.getLogger("bot.dialogs.engine")
    engine_log.addHandler(retrying)
    holding, release = threading.Event(), threading.Event()
    holder = _hold_sqlite(path, holding, release)
    try:
        await asyncio.to_thread(holding.wait)

        def release_once_retrying() -> None:  # the other program ends after the first failure
            retrying.seen.wait(60)
            release.set()

        releaser = asyncio.create_task(asyncio.to_thread(release_once_retrying))
        await chat.press("engagieren")
        await releaser
    finally:
        release.set()
        engine_log.removeHandler(retrying)
        await asyncio.to_thread(holder.join)
    assert retrying.seen.is_set() and "Was interessiert Sie" in chat.text
    async with db.session() as session:
        assert (await session.scalars(select(Conversation.step))).one() == "interests"
    await db.close()


async def _waiting_for_the_lock(statement: asyncio.Task[None]) -> None:
    """Let the statement run until it waits; with the file locked that is only possible
    off the event loop. Had it waited in the loop's thread, it would have failed with
    "database is locked" before this coroutine ran again."""
    for _ in range(10):
        await asyncio.sleep(0)  # each: one round of the loop, no time
    assert not statement.done(), statement.exception() if statement.done() else None


@pytest.mark.parametrize("sqlite_inline", [True, False], ids=["inline", "aiosqlite"])
async def test_waiting_for_a_locked_sqlite_file_does_not_stop_the_bot(
    tmp_path: Path, sqlite_inline: bool
) -> None:
    """Statements run in the event loop's thread; waiting for another program's lock
    must not: other people's updates go on meanwhile (aiosqlite waits in its thread)."""
    path = tmp_path / "locked.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}", sqlite_inline=sqlite_inline)
    await db.migrate()
    holding, release = threading.Event(), threading.Event()
    holder = _hold_sqlite(path, holding, release)
    await asyncio.to_thread(holding.wait)

    async def handle() -> None:
        async with db.session() as session, session.begin():
            assert await repo.first_time(session, "tg:1")

    statement = asyncio.create_task(handle())
    try:
        await _waiting_for_the_lock(statement)  # while it waits, this test runs: the loop is free
    finally:
        release.set()
    await statement  # and once the lock is gone, it goes through
    await asyncio.to_thread(holder.join)
    await db.close()


@pytest.mark.parametrize("sqlite_inline", [True, False], ids=["inline", "aiosqlite"])
async def test_an_event_cancelled_while_waiting_for_the_lock_writes_nothing(
    tmp_path: Path, sqlite_inline: bool
) -> None:
    """Cancelled while its statement waits in a worker thread, the transaction is rolled
    back, and the statement must not run later on its own (exactly-once)."""
    path = tmp_path / "locked.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}", sqlite_inline=sqlite_inline)
    await db.migrate()
    holding, release = threading.Event(), threading.Event()
    holder = _hold_sqlite(path, holding, release)
    await asyncio.to_thread(holding.wait)

    async def handle() -> None:
        async with db.session() as session, session.begin():
            await repo.first_time(session, "tg:2")

    event = asyncio.create_task(handle())
    try:
        await _waiting_for_the_lock(event)
        event.cancel()
        with pytest.raises(asyncio.CancelledError):
            await event
    finally:
        release.set()
    await asyncio.to_thread(holder.join)
    async with db.session() as session, session.begin():
        assert await repo.first_time(session, "tg:2")  # not recorded by the cancelled one
    await db.close()


@pytest.mark.parametrize("any_db_url", ["postgres"], indirect=True)
async def test_postgres_connections_dropped_are_reconnected(
    any_db_url: str, content: Content, matchers: Matchers
) -> None:
    db = Database(any_db_url)
    await db.migrate()
    chat = Chat(DialogEngine(content, db, matchers))
    await chat.say("Hallo")
    name = any_db_url.rsplit("/", 1)[1]
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:  # what a server restart does to our pool
        await connection.execute(
            text("select pg_terminate_backend(pid) from pg_stat_activity where datname = :name"),
            {"name": name},
        )
    await admin.dispose()
    await chat.press("engagieren")
    assert "Was interessiert Sie" in chat.text
    await db.close()


PATH = [
    ("Hallo", "willkommen"),
    ("Ich möchte mich engagieren", "Was interessiert Sie"),
    ("Kinder", "In welchem Ort"),
    (None, "einmal mit anpacken"),  # the village, filled in per person
    ("regelmäßig", "Wann haben Sie"),
    ("abends", "Möchten Sie, dass sich ein Lotse"),
    ("Lotse soll mich beraten", "einverstanden"),
    ("ja", "Wie darf der Lotse"),
    (None, "Wie erreicht"),  # the name
    (None, "Ihre Anfrage ist angekommen"),  # the phone number
]
VILLAGES = [
    "Delitzsch",
    "Taucha",
    "Krostitz",
    "Rackwitz",
    "Zwochau",
    "Löbnitz",
    "Jesewitz",
    "Schkeuditz",
    "Zschepplin",
    "Wölkau",
]


async def walk(fake: FakeTelegram, user: FakeUser, village: str, messages: list[int]) -> None:
    for answer, expect in PATH:
        if answer is None:
            answer = {
                "einmal mit anpacken": village,
                "Wie erreicht": f"Name{user.id}",
                "Ihre Anfrage ist angekommen": f"0170 {user.id}",
            }[expect]
        mark = fake.mark()
        await user.send(answer)
        messages[0] += 1
        await user.wait_for_text(expect, timeout=60, since=mark)


@pytest.mark.slow
async def test_killed_at_random_points_loses_nothing(tmp_path: Path) -> None:
    db, log = tmp_path / "kill.sqlite3", tmp_path / "kill.log"
    rng = random.Random(20261125)
    async with FakeTelegram() as fake:
        process = lotse_process(fake, db, log)
        users = [fake.user(5000 + n) for n in range(20)]
        sent = [0]
        walkers = asyncio.gather(
            *(walk(fake, user, VILLAGES[n % len(VILLAGES)], sent) for n, user in enumerate(users))
        )
        kills = 0
        try:
            while not walkers.done():
                # The bot starts in about 1 s: some kills hit it while it starts.
                await asyncio.wait({walkers}, timeout=rng.uniform(1.0, 3.0))
                if walkers.done() or kills >= 5:
                    continue
                process.send_signal(signal.SIGKILL)  # no chance to clean up
                await asyncio.to_thread(process.wait)
                kills += 1
                process = lotse_process(fake, db, log)
            await walkers
        finally:
            stderr = await stop_process(process, log)
        assert kills >= 3 and sent[0] == 200
    database = Database(f"sqlite+aiosqlite:///{db}")
    async with database.session() as session:
        leads = (await session.scalars(select(Lead))).all()
        people = {u.id: u.external_id for u in (await session.scalars(select(User))).all()}
    await database.close()
    assert len(leads) == len(users)  # every path ended in exactly one lead
    for lead in leads:
        external = people[lead.user_id]
        assert lead.contact == f"0170 {external}" and lead.name == f"Name{external}"
        assert lead.interests == ["kinder-jugend"] and lead.gemeinde
    assert "Traceback" not in stderr
