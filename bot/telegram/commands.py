"""The command menu per role (setMyCommands): citizens, Lotsen, coordinators."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.content.model import Content

CITIZEN = ("start", "hilfe", "neu", "sprache", "meine_daten", "loeschen", "datenschutz")
LOTSE = (*CITIZEN, "meine_leads")
COORDINATOR = (*LOTSE, "stats", "reload")


def commands(content: Content, names: tuple[str, ...], lang: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=content.text(f"cmd_{name}", lang)[:256])
        for name in names
    ]


async def register_default(bot: Bot, content: Content) -> None:
    for index, lang in enumerate(content.languages):
        # The first language is the default for everyone; others by Telegram language.
        await bot.set_my_commands(
            commands(content, CITIZEN, lang),
            scope=BotCommandScopeDefault(),
            language_code=None if index == 0 else lang,
        )


async def register_for_chat(
    bot: Bot, content: Content, chat_id: int, names: tuple[str, ...]
) -> None:
    await bot.set_my_commands(
        commands(content, names, content.languages[0]), scope=BotCommandScopeChat(chat_id=chat_id)
    )
