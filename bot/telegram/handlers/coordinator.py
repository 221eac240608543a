"""Coordinators (Telegram ids from COORDINATOR_IDS): /stats and /reload.

Who is a coordinator is read from the dispatcher's data (`coordinator_ids`, set by the
runtime), so the router needs no settings when it is built.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.content.model import ContentError
from bot.telegram.bridge import Bridge

# The dispatcher's data key (a frozenset of Telegram ids); aiogram hands it to the filter
# by this name, so it is the name of `from_coordinator`'s parameter too.
COORDINATOR_IDS = "coordinator_ids"


async def from_coordinator(message: Message, coordinator_ids: frozenset[int] = frozenset()) -> bool:
    """A private message from one of the coordinators (none if the runtime set no ids)."""
    sender = message.from_user
    return message.chat.type == "private" and sender is not None and sender.id in coordinator_ids


async def on_stats(message: Message, bridge: Bridge) -> None:
    await bridge.send_text(message.chat.id, await bridge.stats())


async def on_reload(message: Message, bridge: Bridge) -> None:
    try:
        summary = bridge.reload_content()
    except ContentError as exc:
        errors = [str(p) for p in exc.problems if p.severity == "error"]
        text = bridge.t("reload_failed", problems="\n".join(errors[:20]))
    else:
        text = bridge.t("reload_ok", summary=summary)
    await bridge.send_text(message.chat.id, text)


def build_router() -> Router:
    router = Router(name="coordinator")
    router.message.filter(from_coordinator)
    router.message.register(on_stats, Command("stats"))
    router.message.register(on_reload, Command("reload"))
    return router
