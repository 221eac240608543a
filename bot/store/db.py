"""Engine, sessions and automatic migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, func, select
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.store import inline_sqlite
from bot.store.locks import PersonLocks

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x4C6F747365_4D6967  # advisory lock key for migrations ("Lotse", "Mig")
SCRUB = "lotse_scrub"  # in a connection's info: personal data was erased in its transaction
log = logging.getLogger(__name__)


class Database:
    def __init__(self, url: str, *, sqlite_inline: bool = True) -> None:
        """`sqlite_inline` (SQLITE_INLINE): a SQLite URL runs on the in-loop driver of
        inline_sqlite.py; False: on the URL's own driver (aiosqlite: a thread per call)."""
        self.url = url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        if parsed.get_backend_name() == "sqlite":
            self.engine: AsyncEngine = _sqlite_engine(parsed, sqlite_inline)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine.pool, "checkin", _scrub_wal)
        else:
            # pre_ping: a connection that died with a database restart is replaced, not used.
            self.engine = create_async_engine(url, pool_pre_ping=True)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.people = PersonLocks()  # one event per person at a time in this process

    def session(self) -> AsyncSession:
        return self.sessions()

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision.

        On PostgreSQL several processes may start at once: an advisory lock lets one of
        them migrate while the others wait, then find the schema current and do nothing.
        """
        async with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
            else:
                # Python's sqlite3 runs DDL outside any transaction: a process killed
                # halfway would leave tables without their revision, and every later start
                # would fail on "table already exists". An explicit BEGIN makes the whole
                # upgrade one transaction (IMMEDIATE: a second process waits for it).
                await connection.exec_driver_sql("BEGIN IMMEDIATE")
            await connection.run_sync(_upgrade)

    async def close(self) -> None:
        await self.engine.dispose()


def _sqlite_engine(url: URL, inline: bool) -> AsyncEngine:
    if not inline:
        log.info("SQLite: %s driver, a thread per call (SQLITE_INLINE=0)", url.get_driver_name())
        # pre_ping as for PostgreSQL; a pool of connections, each waiting in its own thread.
        return create_async_engine(url, pool_pre_ping=True)
    log.info("SQLite: in-loop driver (bot/store/inline_sqlite.py; SQLITE_INLINE=0 switches it off)")
    # One connection, used in the event loop's thread (see inline_sqlite): SQLite writes one
    # transaction at a time anyway, and transactions now wait for the connection in asyncio
    # instead of for the file lock in SQLite's sleep loop.
    one = {"pool_size": 1, "max_overflow": 0} if inline_sqlite.file_db(url) else {}
    return create_async_engine(inline_sqlite.inline_url(url), **one)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is still crash-safe for the application (only an OS crash or power
    # loss can undo the very last commits) and makes each commit much cheaper.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # The in-loop driver waits longer for another process's lock off the event loop
    # (inline_sqlite); aiosqlite waits in its thread, as long as the in-loop driver at most.
    inline = isinstance(dbapi_connection, inline_sqlite.Connection)
    wait_ms = inline_sqlite.BUSY_TIMEOUT_MS if inline else int(inline_sqlite.BUSY_WAIT * 1000)
    cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
    # Erased personal data must not linger in free pages of the file: deleted content is
    # overwritten with zeros (see also _scrub_wal for the write-ahead log).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


async def scrub_after_commit(session: AsyncSession) -> None:
    """Personal data is erased in this transaction: once it is committed, no copy may stay
    in SQLite's write-ahead log (which keeps the old pages until a checkpoint truncates it)."""
    (await session.connection()).info[SCRUB] = True


def _scrub_wal(dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
    """Back in the pool after a transaction that erased personal data: copy the WAL into the
    file (where secure_delete has zeroed the deleted rows) and truncate it to nothing. If
    another process reads just then, the next erasure or the daily retention run catches up."""
    if dbapi_connection is None or not record.info.pop(SCRUB, False):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        cursor.close()


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")
