"""Storage on every backend: a real SQLite file on both drivers (the in-loop driver and
plain aiosqlite, SQLITE_INLINE=0) and a real PostgreSQL server (fixture `any_db`)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.leads.overview import lead_rows
from bot.messages import Event, Sender
from bot.store import repo
from bot.store.db import Database, alembic_config
from bot.store.models import Conversation, HandledUpdate, Lead, StepVisit, User
from tests.helpers.backend import Backend
from tests.helpers.chat import Chat


async def test_migrations_create_schema_and_are_idempotent(any_db: Backend) -> None:
    db = any_db.open()
    await db.migrate()
    await db.migrate()
    async with db.session() as session:
        version = (await session.execute(text("select version_num from alembic_version"))).scalar()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert version == head
    await db.close()


async def test_user_is_unique_per_channel(any_db: Backend) -> None:
    db = any_db.open()
    await db.migrate()
    async with db.session() as session, session.begin():
        first, created = await repo.get_or_create_user(session, "telegram", "42", "de")
        again, created_again = await repo.get_or_create_user(session, "telegram", "42", "de")
        other, _ = await repo.get_or_create_user(session, "console", "42", "de")
    assert created and not created_again and first.id == again.id != other.id
    await db.close()


async def test_conversation_state_round_trips(any_db: Backend) -> None:
    db = any_db.open()
    await db.migrate()
    answers = {
        "place": {"name": "Schönwölkau", "lat": 51.5},
        "interests": ["umwelt"],
        "note": "Grüße 🌳 „Zitat“",
    }
    async with db.session() as session, session.begin():
        user, _ = await repo.get_or_create_user(session, "test", "u", "de")
        await repo.save_conversation(session, user.id, "place", answers, ["start"], {"x": 1})
    async with db.session() as session, session.begin():
        row = await repo.load_conversation(session, user.id)
        assert row is not None and row.answers == answers and row.history == ["start"]
        row_answers = dict(row.answers)
        row_answers["interests"] = ["sport"]
        await repo.save_conversation(session, user.id, "time_kind", row_answers, [], {})
    async with db.session() as session:
        row = await repo.load_conversation(session, user.id)
        assert row is not None and row.step == "time_kind"
        assert row.answers["interests"] == ["sport"]
    await db.close()


async def test_an_event_delivered_twice_is_handled_once(
    any_db: Backend, content: Content, matchers: Matchers
) -> None:
    """The repeat (e.g. after a crash before Telegram got the offset) shows the question
    again and changes nothing: no step, no count, no second record of the update."""
    db = any_db.open()
    await db.migrate()
    engine = DialogEngine(content, db, matchers)
    sender = Sender("telegram", "twice")
    await engine.handle(Event(sender, "text", text="Hallo", key="tg:1"))
    step = Event(sender, "text", text="Ich möchte mich engagieren", key="tg:2")
    first = await engine.handle(step)

    async def stored() -> tuple[object, ...]:
        async with db.session() as session:
            return (
                await session.scalar(select(Conversation.step)),
                await session.scalar(select(func.count()).select_from(StepVisit)),
                await session.scalar(select(func.count()).select_from(HandledUpdate)),
            )

    before = await stored()
    again = await engine.handle(step)
    assert await stored() == before and before[2] == 2
    assert [m.text for m in again.replies] == [first.replies[-1].text]
    await db.close()


async def test_whole_journey_and_resume_on_each_backend(
    any_db: Backend, content: Content, matchers: Matchers
) -> None:
    db = any_db.open()
    await db.migrate()
    chat = Chat(DialogEngine(content, db, matchers), user="resume-me")
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Tiere")
    await db.close()  # the process stops mid-dialogue

    db = any_db.open()
    await db.migrate()
    chat = Chat(DialogEngine(content, db, matchers), user="resume-me")
    await chat.say("Zschortau")
    assert "📍 Zschortau (Rackwitz)" in chat.text
    await chat.press("Egal")
    await chat.press("flexibel")
    await chat.press("beraten")
    await chat.press("Ja")
    await chat.say("Kim")
    await chat.say("kim@example.org")
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 1
        [lead] = (await session.scalars(select(Lead))).all()
    assert (lead.gemeinde, lead.lotse_id, lead.interests) == (
        "Rackwitz",
        "lotse-rackwitz",
        ["umwelt"],
    )
    rows = await lead_rows(db, content)
    assert rows[0]["lotse"] == "lotse-rackwitz" and "contact" not in rows[0]
    await db.close()


@pytest.mark.parametrize("sqlite_inline", [True, False], ids=["inline", "aiosqlite"])
async def test_sqlite_migration_is_all_or_nothing(tmp_path: Path, sqlite_inline: bool) -> None:
    """A migration that fails halfway (like a process killed during its first start)
    leaves no half-made schema behind; the next start migrates from scratch."""
    from sqlalchemy import event, inspect

    url = f"sqlite+aiosqlite:///{tmp_path / 'half.sqlite3'}"
    db = Database(url, sqlite_inline=sqlite_inline)

    def fail_at_searches(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().startswith("CREATE TABLE searches"):
            raise RuntimeError("killed")

    event.listen(db.engine.sync_engine, "before_cursor_execute", fail_at_searches)
    with pytest.raises(RuntimeError):
        await db.migrate()
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    await db.close()
    assert tables == []  # users, conversations … were created before 'searches': rolled back

    again = Database(url, sqlite_inline=sqlite_inline)
    await again.migrate()
    async with again.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    await again.close()
    assert {"users", "searches", "alembic_version", "offer_submissions"} <= set(tables)


@pytest.mark.parametrize(
    ("sqlite_inline", "driver", "said"),
    [(True, "lotse", "SQLite: in-loop driver"), (False, "aiosqlite", "SQLite: aiosqlite driver")],
)
async def test_the_sqlite_driver_follows_the_switch_and_says_so_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, sqlite_inline: bool, driver: str, said: str
) -> None:
    """SQLITE_INLINE picks the driver for the same sqlite+aiosqlite URL; the start-up log
    names it (one INFO line, no path: the file name could say whose bot it is)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'switch.sqlite3'}"
    with caplog.at_level(logging.INFO, logger="bot.store.db"):
        db = Database(url, sqlite_inline=sqlite_inline)
        await db.migrate()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("SQLite")]
    assert len(lines) == 1 and lines[0].startswith(said) and str(tmp_path) not in lines[0]
    assert db.engine.dialect.driver == driver
    await db.close()


@pytest.mark.parametrize("any_db_url", ["postgres"], indirect=True)
async def test_postgres_ignores_the_sqlite_switch(any_db_url: str) -> None:
    db = Database(any_db_url, sqlite_inline=False)
    assert db.engine.dialect.driver == "asyncpg"
    await db.close()
