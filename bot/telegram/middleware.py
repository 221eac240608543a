"""Per-user order, a flood limit, and knowing what is in flight for a clean shutdown."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.store.locks import PersonLocks
from bot.telegram.sender import TokenBucket

log = logging.getLogger(__name__)
MOST_BUCKETS = 10_000  # then the buckets of people who have been quiet a while are dropped
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UserGate(BaseMiddleware):
    """One update per user at a time (in arrival order); at most `burst` quick ones.

    Both hold per process. With several webhook processes the database keeps each person's
    events in order (repo.lock_person); the flood limit then allows up to N times as much,
    which is fine: it protects the process, Telegram's limits are kept by the sender.
    """

    def __init__(
        self,
        rate: float = 1.0,
        burst: float = 8.0,
        on_flood: Callable[[TelegramObject], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._locks = PersonLocks()  # kept only while an update of the person is handled
        self._buckets: dict[int, TokenBucket] = {}
        self._warned: set[int] = set()
        self._rate, self._burst = rate, burst
        self._on_flood = on_flood
        self._clock = clock
        self._in_flight: set[asyncio.Task[Any]] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        update = data.get("event_update")
        if update is not None:
            data["update_key"] = f"tg:{update.update_id}"
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        bucket = self._bucket(user.id)
        if bucket.delay() > 0:
            bucket.tokens += 1  # a refused update costs nothing more
            if user.id not in self._warned and self._on_flood:
                self._warned.add(user.id)
                await self._on_flood(event)
            log.info("flood limit: update dropped")
            return None
        self._warned.discard(user.id)
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            async with self._locks.hold("tg", str(user.id)):
                return await handler(event, data)
        finally:
            if task is not None:
                self._in_flight.discard(task)

    def _bucket(self, user_id: int) -> TokenBucket:
        """The person's flood bucket. A full bucket says nothing a new one would not, so
        when there are many, those are forgotten: memory stays bounded by who is active."""
        if user_id not in self._buckets and len(self._buckets) >= MOST_BUCKETS:
            self._buckets = {uid: b for uid, b in self._buckets.items() if not b.refilled()}
            self._warned &= self._buckets.keys()
        return self._buckets.setdefault(user_id, TokenBucket(self._rate, self._burst, self._clock))

    def tracked(self) -> int:
        """People this gate holds anything for (locks and buckets), for tests and metrics."""
        return len(self._locks) + len(self._buckets)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for updates being handled, so a shutdown loses none of them."""
        current = asyncio.current_task()
        pending = [t for t in self._in_flight if t is not current and not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)
