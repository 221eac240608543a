"""Groups: the bot only points to the private chat, and only when asked with /start."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.telegram.bridge import Bridge
from bot.telegram.handlers.filters import inline


async def on_start(message: Message, bridge: Bridge) -> None:
    language = message.from_user.language_code if message.from_user else None
    await bridge.hint(message.chat.id, language, "group_hint", bot=bridge.bot_username)


async def ignore(_message: Message) -> None:
    """Everything else in groups is not for the bot."""


def build_router() -> Router:
    router = Router(name="group")
    router.message.filter(inline(F.chat.type.in_({"group", "supergroup"})))
    router.message.register(on_start, Command("start"))
    router.message.register(ignore)
    return router
