"""The baseline: a minimal aiogram 3 echo bot (Dispatcher + one handler per update type).

Every message is answered with one sendMessage repeating its text; a button press with one
sendMessage repeating its data. Same settings as `lotse run` reads: BOT_TOKEN,
TELEGRAM_API_URL, and WEBHOOK_URL / WEBHOOK_PATH / WEBHOOK_HOST / WEBHOOK_PORT /
WEBHOOK_SECRET for webhook mode (long polling without WEBHOOK_URL).

    BOT_TOKEN=… TELEGRAM_API_URL=http://127.0.0.1:8081 python -m bench.echo_bot
"""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bench.procs import until_signalled


def build_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    @dispatcher.callback_query()
    async def pressed(query: CallbackQuery, bot: Bot) -> None:
        await bot.send_message(query.from_user.id, query.data or "?")

    return dispatcher


async def serve_webhook(bot: Bot, dispatcher: Dispatcher, env: dict[str, str]) -> None:
    """Like `lotse run` in webhook mode: each update is handled before the HTTP answer."""
    path = env.get("WEBHOOK_PATH", "/telegram")
    secret = env.get("WEBHOOK_SECRET")
    app = web.Application()
    SimpleRequestHandler(
        dispatcher=dispatcher, bot=bot, handle_in_background=False, secret_token=secret
    ).register(app, path=path)
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    port = int(env.get("WEBHOOK_PORT", "8080"))
    await web.TCPSite(runner, env.get("WEBHOOK_HOST", "127.0.0.1"), port).start()
    await bot.set_webhook(env["WEBHOOK_URL"].rstrip("/") + path, secret_token=secret)
    try:
        await until_signalled()
    finally:
        await runner.cleanup()


async def main() -> None:
    env = dict(os.environ)
    session = AiohttpSession(api=TelegramAPIServer.from_base(env["TELEGRAM_API_URL"]))
    bot = Bot(env["BOT_TOKEN"], session=session)
    dispatcher = build_dispatcher()
    try:
        if env.get("WEBHOOK_URL"):
            await serve_webhook(bot, dispatcher, env)
        else:
            await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=False)
    finally:
        await bot.session.close()


if __name__ == "__main__":
    asyncio.run(main())
