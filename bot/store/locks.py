"""One person's events one after another, within this process.

The conversation core runs each event in one transaction: read the state, act, write it.
Two events of the same person running at once would both read the same state and one
write would be lost. Within a process this lock makes the second event wait for the
first (whichever adapter it came from: Telegram, the web chat, the terminal). Across
processes, which only PostgreSQL supports, `repo.lock_person` does the same inside the
transaction with an advisory lock; taking this lock first means that a process never holds
more than one database connection waiting for the same person.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class PersonLocks:
    def __init__(self) -> None:
        # person → (lock, how many events hold or wait for it); dropped when nobody does,
        # so the table stays as small as the number of people being served right now.
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, channel: str, external_id: str) -> AsyncIterator[None]:
        key = (channel, external_id)
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
