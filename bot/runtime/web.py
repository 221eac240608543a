"""`lotse web`: the web chat on its own (SQLite by default, shipped content, no token).

With BOT_TOKEN set it also delivers the outbox to Telegram, so a lead from the web reaches
its Lotse even when no `lotse run` is running (several senders are safe: each outbox row
is claimed by one). Content files are watched and reloaded like in `lotse run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from bot import logs
from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.runtime.watch import ContentWatcher, Sources
from bot.store.db import Database
from bot.web.app import mount_web_chat

if TYPE_CHECKING:  # aiogram is imported only when a token is set
    from aiogram import Bot

    from bot.telegram.outbox import OutboxWorker

log = logging.getLogger(__name__)
RELOAD_SECONDS = 30


async def run_web(settings: Settings, content: Content, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    db = Database(settings.database_url, sqlite_inline=settings.sqlite_inline)
    await db.migrate()
    engine = DialogEngine(content, db, controller=settings.privacy_controller)
    background: list[asyncio.Task[None]] = []
    telegram = await _telegram_outbox(settings, engine, db)
    app = web.Application()
    mount_web_chat(
        app,
        engine,
        settings,
        bot_username=telegram.username if telegram else settings.bot_username,
        on_notify=telegram.worker.wake.set if telegram else None,
    )
    app.router.add_get("/health", _health)
    # No access log: it would hold visitors' addresses (personal data).
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.web_host, settings.web_port).start()
        log.info("web chat on http://%s:%s/chat", settings.web_host, settings.web_port)
        if telegram:
            background.append(asyncio.create_task(telegram.worker.run(stop)))
        background.append(asyncio.create_task(_watch(settings, engine, db, stop)))
        await stop.wait()
    finally:
        stop.set()
        for task in background:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=10)
        await runner.cleanup()
        if telegram:
            await telegram.bot.session.close()
        await db.close()


@dataclass
class _Telegram:
    bot: Bot
    worker: OutboxWorker
    username: str | None


async def _telegram_outbox(
    settings: Settings, engine: DialogEngine, db: Database
) -> _Telegram | None:
    """The Telegram outbox worker, when a token is set (imports aiogram only then)."""
    if not settings.bot_token:
        return None
    from bot.runtime.telegram import make_bot
    from bot.telegram.outbox import OutboxWorker
    from bot.telegram.sender import RateLimiter, TelegramSender

    bot = make_bot(settings)
    location = engine.content.text("btn_share_location", engine.content.languages[0])
    limiter = RateLimiter(per_second=settings.telegram_rate)
    sender = TelegramSender(bot, lambda _chat: location, limiter)
    worker = OutboxWorker(db, sender, lambda: engine.content, settings.coordinator_ids)
    username = settings.bot_username
    if not username:
        try:
            username = (await bot.get_me()).username
        except Exception as exc:  # Telegram unreachable: the web chat runs anyway
            logs.failure(log, "getMe failed; 'continue on Telegram' is not offered", exc)
    return _Telegram(bot, worker, username)


async def _watch(
    settings: Settings, engine: DialogEngine, db: Database, stop: asyncio.Event
) -> None:
    """Hot reload: compare the content files every RELOAD_SECONDS, switch when they change."""
    watcher = ContentWatcher(
        Sources(settings.content_dir, settings.knowledge_dir, settings.faq_max_age_days),
        db,
        lambda: engine.content,
        engine.replace_content,
    )
    while not stop.is_set():
        await engine.keep_faq_ready()  # after the start and each content change
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=RELOAD_SECONDS)
        if stop.is_set():
            return
        try:
            await watcher.check()
        except Exception as exc:
            logs.failure(log, "content check failed; the next one retries", exc)


async def _health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})
