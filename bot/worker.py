"""The loop every delivery worker runs (Telegram outbox, e-mail): drain, then wait."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot import logs


async def drain_until_stopped(
    deliver_due: Callable[[], Awaitable[int]],
    wake: asyncio.Event,
    stop: asyncio.Event,
    interval: float,
    log: logging.Logger,
    what: str,
) -> None:
    """Deliver until nothing is due, then sleep until woken, stopped or `interval` passed.
    A failed round is logged (without personal data) and tried again next round."""
    while not stop.is_set():
        try:
            while await deliver_due():
                pass
        except Exception as exc:
            logs.failure(log, f"{what} round failed; will retry", exc)
        wake.clear()
        waits = [asyncio.create_task(wake.wait()), asyncio.create_task(stop.wait())]
        await asyncio.wait(waits, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
        for task in waits:
            task.cancel()
