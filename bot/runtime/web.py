"""`lotse web`: the web chat on its own (SQLite by default, shipped content, no token).

The loops beside it are those of `lotse run` (bot/runtime/services.py): the ticker, so a
web-only installation reminds, escalates and expires leads too, content hot reload and
the FAQ warm-up. With WHATSAPP_TOKEN set it also serves Meta's webhook at /whatsapp
(bot/whatsapp). With BOT_TOKEN set it also delivers the outbox to Telegram, so a lead
from the web reaches its Lotse even when no `lotse run` is running (several senders are
safe: each outbox row is claimed by one; so are several tickers).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import TYPE_CHECKING

from aiohttp import web

from bot import logs
from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.runtime.services import (
    Background,
    Service,
    build_engine,
    describe,
    open_database,
    services,
)
from bot.store.db import Database
from bot.web.app import mount_web_chat
from bot.whatsapp.webhook import mount_whatsapp

if TYPE_CHECKING:  # aiogram is imported only when a token is set
    from aiogram import Bot

log = logging.getLogger(__name__)


async def run_web(settings: Settings, content: Content, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    db = await open_database(settings)
    engine = build_engine(settings, content, db)
    wanted = services("web", settings)
    background = Background(settings, engine, db, wanted, stop)
    bot: Bot | None = None
    try:
        username = settings.bot_username
        if Service.TELEGRAM_OUTBOX in wanted:
            bot, username = await _telegram_outbox(settings, engine, db, background)
        await _serve(settings, engine, background, username)
    finally:
        if bot is not None:
            await bot.session.close()
        await db.close()


async def _serve(
    settings: Settings, engine: DialogEngine, background: Background, username: str | None
) -> None:
    """The web chat and /health on WEB_HOST:WEB_PORT, the loops beside, until stopped."""
    app = web.Application()
    mount_web_chat(app, engine, settings, bot_username=username, on_notify=background.wake)
    if Service.WHATSAPP in background.wanted:
        # Its outbox worker runs with the others; it is woken with them.
        background.deliver_with(mount_whatsapp(app, engine, settings, on_notify=background.wake))
    app.router.add_get("/health", _health)
    # No access log: it would hold visitors' addresses (personal data).
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.web_host, settings.web_port).start()
        log.info("web chat on http://%s:%s/chat", settings.web_host, settings.web_port)
        log.info("lotse web: %s", describe("web", settings))
        background.start()
        await background.stop.wait()
    finally:
        await background.stop_timers()
        background.stop.set()
        await background.join()
        await runner.cleanup()


async def _telegram_outbox(
    settings: Settings, engine: DialogEngine, db: Database, background: Background
) -> tuple[Bot, str | None]:
    """Deliver the outbox to Telegram too; the bot and its name for 'continue on Telegram'.
    Imported here: without a token `lotse web` starts without aiogram."""
    from bot.runtime.telegram import make_bot, telegram_outbox

    bot = make_bot(settings)
    _sender, worker = telegram_outbox(settings, bot, engine, db)
    background.deliver_with(worker)
    username = settings.bot_username
    if not username:
        try:
            username = (await bot.get_me()).username
        except Exception as exc:  # Telegram unreachable: the web chat runs anyway
            logs.failure(log, "getMe failed; 'continue on Telegram' is not offered", exc)
    return bot, username


async def _health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})
