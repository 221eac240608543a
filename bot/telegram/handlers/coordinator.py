"""Coordinators (Telegram ids from COORDINATOR_IDS): /stats and /reload."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.content.model import ContentError
from bot.telegram.bridge import Bridge
from bot.telegram.handlers.filters import inline


def build_router(coordinator_ids: frozenset[int]) -> Router:
    router = Router(name="coordinator")
    router.message.filter(inline(F.chat.type == "private", F.from_user.id.in_(coordinator_ids)))

    @router.message(Command("stats"))
    async def on_stats(message: Message, bridge: Bridge) -> None:
        await bridge.send_text(message.chat.id, await bridge.stats())

    @router.message(Command("reload"))
    async def on_reload(message: Message, bridge: Bridge) -> None:
        try:
            summary = bridge.reload_content()
        except ContentError as exc:
            errors = [str(p) for p in exc.problems if p.severity == "error"]
            text = bridge.t("reload_failed", problems="\n".join(errors[:20]))
        else:
            text = bridge.t("reload_ok", summary=summary)
        await bridge.send_text(message.chat.id, text)

    return router
