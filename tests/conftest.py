"""Shared fixtures: the shipped content, the tests' own small content, real databases (SQLite
file, PostgreSQL), a chat driver.

`content`/`matchers`/`engine`/`chat` use the shipped content (content/, knowledge/): the
end-to-end tests show that what coordinators maintain works. A module that asserts on wording
uses the tests' own small set (tests/content/) instead, so that editing content/ cannot break
it: it overrides the two fixtures with the small ones, and `engine` and `chat` follow::

    @pytest.fixture(scope="module")
    def content(small_content: Content) -> Content:
        return small_content

    @pytest.fixture(scope="module")
    def matchers(small_matchers: Matchers) -> Matchers:
        return small_matchers

`small_engine` and `small_chat` are there for a single test in a module on shipped content;
`shipped_content` and `shipped_matchers` for a single test in a module on the small set.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

from bot import clock as product_clock
from bot.clock import ManualClock, ShiftedClock
from bot.content.loader import load_content
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.store.db import Database
from tests.helpers import POSTGRES_URL, ROOT, SMALL_CONTENT
from tests.helpers.backend import Backend
from tests.helpers.chat import Chat


@pytest.fixture(autouse=True)
def _moment_of_the_run() -> Iterator[None]:
    """With LOTSE_NOW set (see docs/testing.md), every test starts at that moment and its
    clock runs on from there; subprocesses inherit the variable and start there too."""
    start = os.environ.get(product_clock.ENVIRONMENT_VARIABLE, "").strip()
    if not start:
        yield
        return
    with product_clock.using(ShiftedClock(product_clock.parse(start))):
        yield


@pytest.fixture
def clock() -> Iterator[ManualClock]:
    """The product's clock, standing still at the run's moment until the test moves it."""
    with product_clock.using(ManualClock(product_clock.now())) as manual:
        yield manual


@pytest.fixture(scope="session")
def shipped_content() -> Content:
    """content/ and knowledge/ as the bot ships them, whichever `content` a module uses."""
    return load_content(ROOT / "content", ROOT / "knowledge")


@pytest.fixture(scope="session")
def shipped_matchers(shipped_content: Content) -> Matchers:
    return Matchers.build(shipped_content)


@pytest.fixture(scope="module")
def content(request: pytest.FixtureRequest) -> Content:
    """The shipped content; the tests' own small set in modules marked `small_content`
    (they assert on wording, which coordinators may change in content/)."""
    return request.getfixturevalue(f"{_content_set(request)}_content")


@pytest.fixture(scope="module")
def matchers(request: pytest.FixtureRequest) -> Matchers:
    return request.getfixturevalue(f"{_content_set(request)}_matchers")


def _content_set(request: pytest.FixtureRequest) -> str:
    return "small" if request.node.get_closest_marker("small_content") else "shipped"


@pytest.fixture(scope="session")
def small_content() -> Content:
    """The tests' own content (tests/content/), owned by the tests, not by coordinators."""
    return load_content(SMALL_CONTENT / "content", SMALL_CONTENT / "knowledge")


@pytest.fixture(scope="session")
def small_matchers(small_content: Content) -> Matchers:
    return Matchers.build(small_content)


async def _postgres_available() -> bool:
    engine = create_async_engine(POSTGRES_URL)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("select 1"))
    except (OSError, SQLAlchemyError):
        return False
    finally:
        await engine.dispose()
    return True


async def _admin(statement: str) -> None:
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _postgres_database() -> AsyncIterator[str]:
    """A PostgreSQL database of its own for one test, so tests never see each other's rows."""
    if not await _postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL not reachable at {POSTGRES_URL} (CI must start it)")
        pytest.skip("PostgreSQL not reachable")
    name = f"lotse_test_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}"')
    yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
async def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database URL for SQLite (a real file, the default in-loop driver) and for
    PostgreSQL (a real server); `any_db` adds SQLite on plain aiosqlite."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/lotse.sqlite3"
        return
    async for url in _postgres_database():
        yield url


@pytest.fixture(params=["sqlite-inline", "sqlite-aiosqlite", "postgres"])
async def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """Each way the bot can store: SQLite on the in-loop driver (the default) and on plain
    aiosqlite (SQLITE_INLINE=0), and PostgreSQL. A test parametrises it indirectly to pick."""
    if request.param.startswith("sqlite"):
        url = f"sqlite+aiosqlite:///{tmp_path}/lotse.sqlite3"
        yield Backend(url, sqlite_inline=request.param == "sqlite-inline")
        return
    async for url in _postgres_database():
        yield Backend(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/lotse.sqlite3"


@pytest.fixture
async def db(sqlite_url: str) -> AsyncIterator[Database]:
    database = Database(sqlite_url)
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
def engine(content: Content, db: Database, matchers: Matchers) -> DialogEngine:
    return DialogEngine(content, db, matchers)


@pytest.fixture
def chat(engine: DialogEngine) -> Chat:
    return Chat(engine)


@pytest.fixture
def small_engine(small_content: Content, db: Database, small_matchers: Matchers) -> DialogEngine:
    return DialogEngine(small_content, db, small_matchers)


@pytest.fixture
def small_chat(small_engine: DialogEngine) -> Chat:
    return Chat(small_engine)
