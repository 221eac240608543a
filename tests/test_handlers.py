"""The Telegram handlers alone, without a dispatcher: module-level functions and filters."""

from __future__ import annotations

import datetime as dt
import inspect

from aiogram.types import Chat, Message, User

from bot.telegram.handlers import citizen, coordinator, group
from bot.telegram.handlers.coordinator import COORDINATOR_IDS, from_coordinator


def message(sender: int, chat_type: str = "private") -> Message:
    return Message(
        message_id=1,
        date=dt.datetime(2026, 5, 4, tzinfo=dt.UTC),
        chat=Chat(id=sender, type=chat_type),
        from_user=User(id=sender, is_bot=False, first_name="Kim"),
        text="/stats",
    )


async def test_coordinators_are_the_ids_in_the_dispatchers_data() -> None:
    assert COORDINATOR_IDS in inspect.signature(from_coordinator).parameters
    assert await from_coordinator(message(9000), coordinator_ids=frozenset({9000}))
    assert not await from_coordinator(message(9001), coordinator_ids=frozenset({9000}))
    assert not await from_coordinator(message(9000, "group"), coordinator_ids=frozenset({9000}))
    assert not await from_coordinator(message(9000))  # no ids given: nobody


def test_every_dispatcher_gets_routers_of_its_own() -> None:
    """aiogram attaches a router to one parent only; a process may run several bots."""
    for module in (citizen, coordinator, group):
        assert module.build_router() is not module.build_router()
