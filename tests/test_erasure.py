"""/loeschen and retention leave none of a person's words anywhere in the database.

A unique marker goes in the way a person types it – a question handed to a person, a
need-help request in their own words, a web transcript, an offer a Verein entered – and
afterwards no byte of the database holds it: on SQLite neither the file nor its WAL
(deleted pages could keep it), on PostgreSQL no text or JSON column of any table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.messages import Event, Message
from bot.runtime.ticker import tick
from bot.store.db import Database
from bot.store.models import OfferSubmission, User
from bot.web import transcript
from tests.helpers.chat import Chat
from tests.helpers.offers import submit_offer

COORDINATOR = ("test", "coord")


def marker() -> str:
    return f"Zebrafink{uuid.uuid4().hex[:12]}"  # ASCII: JSON must not escape it


@pytest.fixture
async def world(
    any_db_url: str, content: Content, matchers: Matchers, clock: ManualClock
) -> AsyncIterator[tuple[Database, DialogEngine]]:
    db = Database(any_db_url)
    await db.migrate()
    yield db, DialogEngine(content, db, matchers, coordinators={COORDINATOR})
    await db.close()


async def question(engine: DialogEngine, secret: str) -> Chat:
    chat = Chat(engine, user="4711")
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say(f"Wie repariere ich einen tropfenden Wasserhahn, {secret}?")
    await chat.press("Menschen fragen")
    await chat.press("Ja, Frage weitergeben")
    assert "weitergegeben" in chat.text or "an die Koordinierungsstelle" in chat.text
    return chat


async def need_help(engine: DialogEngine, secret: str) -> Chat:
    chat = Chat(engine, user="4712")
    await chat.say(
        f"Ich brauche jemanden, der meine Mutter {secret} dienstags zum Arzt fährt, "
        "wir wohnen in Delitzsch"
    )
    await chat.say("diese Woche")
    await chat.say("ja")
    await chat.say("Überspringen")
    await chat.say("0171 2345678")
    return chat


async def web_transcript(engine: DialogEngine, secret: str) -> Chat:
    chat = Chat(engine, user="4713")
    await chat.say("Hallo")
    async with engine.db.session() as session, session.begin():
        user = await session.scalar(select(User).where(User.external_id == "4713"))
        assert user is not None
        await transcript.append(
            session,
            user.id,
            [transcript.Line.reply(Message(f"Ich heiße {secret}"), sender="user")],
        )
    return chat


async def offer(engine: DialogEngine, secret: str) -> Chat:
    return await submit_offer(
        engine, "4714", f"Einmal pro Woche den Kindern {secret} eine Geschichte vorlesen."
    )


WAYS: dict[str, Callable[[DialogEngine, str], Awaitable[Chat]]] = {
    "question": question,
    "need_help": need_help,
    "web_transcript": web_transcript,
    "offer": offer,
}


async def places_holding(db: Database, secret: str) -> list[str]:
    """Where the marker is: SQLite file bytes (and WAL), or PostgreSQL columns."""
    url = make_url(db.url)
    if url.get_backend_name() == "sqlite":
        found = []
        for suffix in ("", "-wal", "-journal"):
            path = Path(f"{url.database}{suffix}")
            if path.exists() and secret.encode() in path.read_bytes():
                found.append(path.name)
        return found
    found = []
    async with db.session() as session:
        columns = (
            await session.execute(
                text(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND data_type IN "
                    "('text', 'character varying', 'json', 'jsonb', 'character')"
                )
            )
        ).all()
        for table, column in columns:
            hits = await session.scalar(
                text(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE :m'),
                {"m": f"%{secret}%"},
            )
            if hits:
                found.append(f"{table}.{column}")
    return found


@pytest.mark.parametrize("way", sorted(WAYS))
async def test_erase_leaves_no_word_of_the_person(
    world: tuple[Database, DialogEngine], way: str
) -> None:
    db, engine = world
    secret = marker()
    chat = await WAYS[way](engine, secret)
    assert await places_holding(db, secret), "the marker never reached the database"
    await chat.say("/loeschen")
    await chat.press("Ja, alles löschen")
    assert "Ihre Daten sind gelöscht" in chat.text
    assert await places_holding(db, secret) == []


@pytest.mark.parametrize("way", sorted(WAYS))
async def test_retention_leaves_no_word_of_the_person(
    world: tuple[Database, DialogEngine], content: Content, clock: ManualClock, way: str
) -> None:
    db, engine = world
    secret = marker()
    await WAYS[way](engine, secret)
    if way == "offer":  # a rejected offer ends; a pending one waits for the coordinators
        coordinator = Chat(engine, user=COORDINATOR[1])
        async with db.session() as session:
            submission = await session.scalar(select(OfferSubmission))
            assert submission is not None
        await coordinator.send(Event.button(coordinator.sender, f"or:{submission.id}:reject"))
    assert await places_holding(db, secret)
    for _ in range(8):  # each tick moves the leads one step on: expiry, then anonymizing
        clock.advance(dt.timedelta(days=200))
        await tick(db, content, clock.now())
    assert await places_holding(db, secret) == []
