"""SQLite for the asyncio engine without a thread hop per call.

aiosqlite runs every call (cursor, execute, fetch, close, commit) in a thread of its own
and hands the result back through the event loop: about 30 hops per conversation event,
which cost more CPU than the statements themselves. SQLite on a local file answers in
microseconds, so here the statements run directly in the event loop's thread.

Only waiting for a lock held by another process (a `lotse` command, a backup tool) must
not stop the event loop: the connection's own busy timeout is a few milliseconds, and a
statement that still finds the file locked is tried again in a worker thread, for up to
BUSY_WAIT seconds, while the loop goes on. Then "database is locked" is raised as before
(the conversation core waits and runs the event again).

The bot keeps one connection (`Database`): a second one of the same process would wait
for the first one's lock in the loop's thread, where the first can never release it.

On by default for sqlite+aiosqlite URLs; SQLITE_INLINE=0 (bot/config.py) keeps plain
aiosqlite, and the start-up log says which driver runs (docs/deploy.md, "Schalter").
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine.url import URL
from sqlalchemy.util.concurrency import await_, in_greenlet

DRIVER = "lotse"  # URLs "sqlite+aiosqlite://…" are opened as "sqlite+lotse://…" (Database)
BUSY_TIMEOUT_MS = 20  # how long the loop's thread may wait for another process's lock
BUSY_WAIT = 5.0  # then a worker thread waits this long before giving up
T = TypeVar("T")


def _busy(exc: sqlite3.OperationalError) -> bool:
    # SQLITE_BUSY: the statement found the file locked, did nothing and can run again
    # (BUSY_SNAPSHOT and other errors would not be helped by waiting).
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY


def _patiently(call: Callable[[], T], stop: threading.Event) -> T:
    deadline = time.monotonic() + BUSY_WAIT
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or stop.is_set() or time.monotonic() > deadline:
                raise


async def _off_the_loop(call: Callable[[], T]) -> T:
    stop = threading.Event()
    attempt = asyncio.ensure_future(asyncio.to_thread(_patiently, call, stop))
    try:
        return await asyncio.shield(attempt)
    except asyncio.CancelledError:
        # The caller rolls back next; the statement must not run after that (it would then
        # be a transaction of its own). Its current try ends within BUSY_TIMEOUT_MS.
        stop.set()
        await asyncio.wait([attempt])
        if not attempt.cancelled():
            attempt.exception()  # seen: the cancellation is what the caller gets
        raise


def _waiting_for_lock(call: Callable[[], T]) -> T:
    try:
        return call()
    except sqlite3.OperationalError as exc:
        if not _busy(exc):
            raise
    if in_greenlet():  # inside SQLAlchemy's asyncio bridge: wait off the loop's thread
        return await_(_off_the_loop(call))
    return _patiently(call, threading.Event())


class _Done:
    """An awaitable that is finished at once: waiting for it never reaches the loop."""

    def __await__(self) -> Any:
        return iter(())


_DONE = _Done()


def _seem_async() -> None:
    """SQLAlchemy's AsyncConnection.execute insists that the driver awaited something
    (AwaitRequired otherwise): this costs two greenlet switches, no trip to the loop."""
    if in_greenlet():
        await_(_DONE)


class Cursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Cursor:
        _seem_async()
        return _waiting_for_lock(lambda: super(Cursor, self).execute(sql, parameters))

    def executemany(self, sql: str, parameters: Any, /) -> Cursor:
        _seem_async()
        # A list, so that a retry sees every row again (an iterator would be used up).
        rows = list(parameters)
        return _waiting_for_lock(lambda: super(Cursor, self).executemany(sql, rows))

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's asyncio results ask async drivers to let go of the cursor; here
        its rows are read on demand, without waiting, as with the plain sqlite3 driver."""


class Connection(sqlite3.Connection):
    def cursor(self, factory: Any = Cursor) -> Cursor:  # type: ignore[override]
        return super().cursor(factory)

    def commit(self) -> None:
        _waiting_for_lock(super().commit)


class _DBAPI:
    """The sqlite3 module, but `connect` opens a `Connection` of this module."""

    paramstyle = "qmark"

    def __getattr__(self, name: str) -> Any:
        return getattr(sqlite3, name)

    def connect(self, *args: Any, **kwargs: Any) -> Connection:
        kwargs["factory"] = Connection
        kwargs["timeout"] = BUSY_TIMEOUT_MS / 1000
        # A statement that waits for a lock runs in a worker thread (see above).
        kwargs["check_same_thread"] = False
        return sqlite3.connect(*args, **kwargs)


class LotseSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, declared async so that `create_async_engine` takes it: its calls simply
    never wait for the event loop."""

    driver = DRIVER
    is_async = True
    has_terminate = False
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> Any:
        return _DBAPI()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool  # waiting for the connection is async
        return pool.StaticPool


registry.register(f"sqlite.{DRIVER}", __name__, "LotseSQLiteDialect")


def file_db(url: URL) -> bool:
    """A file (one pool of connections), not an in-memory database (one shared connection)."""
    return LotseSQLiteDialect._is_url_file_db(url)


def inline_url(url: URL) -> URL:
    """The same database through this driver (for sqlite+aiosqlite URLs)."""
    return url.set(drivername=f"sqlite+{DRIVER}")
