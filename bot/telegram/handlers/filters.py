"""Magic filters (`F.…`) checked in the event loop.

aiogram runs every filter that is a plain function, magic filters included, in a worker
thread (`asyncio.to_thread`): for checks like `F.chat.type == "private"` the round trip
costs far more than the check, and each update passes about ten of them. `inline(F.…)`
keeps the filter's meaning (its value, e.g. the text for `F.text`) and runs it at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.magic_filter import MagicFilter


def inline(*magic: MagicFilter) -> Callable[[TelegramObject], Awaitable[Any]]:
    """All of the magic filters (like several filters in one call), as a coroutine."""

    async def check(event: TelegramObject) -> Any:
        result: Any = True
        for one in magic:
            result = one.resolve(event)
            if not result:
                return result
        return result

    return check
