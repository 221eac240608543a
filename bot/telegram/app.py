"""`lotse run`: the Telegram bot, by long polling or (with WEBHOOK_URL) as a webhook server."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal
from contextlib import suppress

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.types import TelegramObject
from aiogram.utils.token import TokenValidationError, validate_token
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select

from bot.config import Settings
from bot.content.loader import Content
from bot.dialogs.engine import DialogEngine
from bot.handlers import citizen, coordinator, group
from bot.leads.ticker import tick
from bot.store.db import Database
from bot.store.models import LotseAccount
from bot.telegram.bridge import CHANNEL, Bridge
from bot.telegram.commands import COORDINATOR, LOTSE, register_default, register_for_chat
from bot.telegram.middleware import UserGate
from bot.telegram.outbox import OutboxWorker
from bot.telegram.sender import TelegramSender

log = logging.getLogger(__name__)
UPDATES = ["message", "edited_message", "callback_query"]
TICK_SECONDS = 60


class StartupError(Exception):
    """A problem an operator must fix; its message is one clear line."""


def make_bot(settings: Settings) -> Bot:
    if not settings.bot_token:
        raise StartupError("BOT_TOKEN fehlt – bitte das Token von @BotFather als BOT_TOKEN setzen.")
    try:
        validate_token(settings.bot_token)
    except TokenValidationError as exc:
        raise StartupError("BOT_TOKEN hat nicht die Form 123456789:ABC… – bitte prüfen.") from exc
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    # No parse mode: every text is sent as plain text, so nothing a user typed can inject markup.
    return Bot(settings.bot_token, session=session, default=DefaultBotProperties(parse_mode=None))


class TelegramApp:
    """Everything `lotse run` holds: bot, dispatcher, sender, outbox worker, shutdown."""

    def __init__(self, settings: Settings, content: Content, db: Database, bot: Bot) -> None:
        self.settings, self.db, self.bot = settings, db, bot
        self.engine = DialogEngine(content, db)
        location = content.text("btn_share_location", content.languages[0])
        self.sender = TelegramSender(bot, lambda _chat: location)
        self.outbox = OutboxWorker(
            db, self.sender, lambda: self.engine.content, settings.coordinator_ids
        )
        self.gate = UserGate(on_flood=self._flood_notice)
        self.dispatcher = Dispatcher()
        self.stop = asyncio.Event()
        self.bridge: Bridge | None = None

    async def prepare(self) -> None:
        try:
            me = await self.bot.get_me()
        except TelegramUnauthorizedError as exc:
            raise StartupError(
                "BOT_TOKEN wird von Telegram abgelehnt – Token bei @BotFather prüfen."
            ) from exc
        self.bridge = Bridge(
            self.engine, self.sender, self.outbox, me.username or "", self.settings
        )
        dp = self.dispatcher
        dp["bridge"] = self.bridge
        for observer in (dp.message, dp.callback_query, dp.edited_message):
            observer.outer_middleware(self.gate)
        dp.include_routers(
            group.build_router(),
            coordinator.build_router(self.settings.coordinator_ids),
            citizen.build_router(),
        )
        await self._register_commands()

    async def _register_commands(self) -> None:
        content = self.engine.content
        await register_default(self.bot, content)
        async with self.db.session() as session:
            lotsen = (
                await session.scalars(
                    select(LotseAccount).where(
                        LotseAccount.channel == CHANNEL, LotseAccount.revoked_at.is_(None)
                    )
                )
            ).all()
        lotse_chats = {int(account.external_id) for account in lotsen}
        for chat_id in lotse_chats - self.settings.coordinator_ids:
            await register_for_chat(self.bot, content, chat_id, LOTSE)
        for chat_id in self.settings.coordinator_ids:
            await register_for_chat(self.bot, content, chat_id, COORDINATOR)

    async def _tick(self) -> None:
        try:
            done = await tick(self.db, self.engine.content, dt.datetime.now(dt.UTC))
        except Exception:
            log.exception("tick failed; the next one retries")
            return
        if done:
            log.info("tick: %d steps done", len(done))
            self.outbox.wake.set()

    async def _flood_notice(self, event: TelegramObject) -> None:
        chat = getattr(getattr(event, "message", event), "chat", None)
        if chat is not None and self.bridge is not None:
            await self.bridge.hint(chat.id, None, "flood")

    async def run(self, handle_signals: bool = True) -> None:
        await self.prepare()
        worker = asyncio.create_task(self.outbox.run(self.stop))
        scheduler = AsyncIOScheduler(timezone=dt.UTC)
        # APScheduler only ticks; what is due lives in the database (bot/leads/ticker.py).
        scheduler.add_job(
            self._tick,
            "interval",
            seconds=TICK_SECONDS,
            max_instances=1,
            coalesce=True,
            next_run_time=dt.datetime.now(dt.UTC),
        )
        scheduler.start()
        try:
            if self.settings.webhook_url:
                await self._run_webhook(handle_signals)
            else:
                await self.bot.delete_webhook(drop_pending_updates=False)
                # Updates are confirmed only when the next batch is fetched, so one that was
                # being handled when a signal came is delivered again after a restart.
                await self.dispatcher.start_polling(
                    self.bot,
                    allowed_updates=UPDATES,
                    handle_signals=True,
                    close_bot_session=False,
                    polling_timeout=25,
                )
        finally:
            scheduler.shutdown(wait=False)
            await self.gate.drain()
            self.stop.set()
            with suppress(asyncio.CancelledError):
                await worker
            await self.bot.session.close()

    async def shutdown(self) -> None:
        """Stop as on SIGTERM (for embedding and tests)."""
        self.stop.set()
        if not self.settings.webhook_url:
            with suppress(RuntimeError):  # polling not started yet
                await self.dispatcher.stop_polling()

    async def _run_webhook(self, handle_signals: bool) -> None:
        app = web.Application()
        # Handled before the answer (not in the background): if we fail, Telegram retries.
        SimpleRequestHandler(
            dispatcher=self.dispatcher,
            bot=self.bot,
            handle_in_background=False,
            secret_token=self.settings.secret_token(),
        ).register(app, path=self.settings.webhook_path)
        app.router.add_get("/health", _health)
        setup_application(app, self.dispatcher, bot=self.bot)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, self.settings.webhook_host, self.settings.webhook_port)
        await site.start()
        url = self.settings.webhook_url.rstrip("/") + self.settings.webhook_path  # type: ignore[union-attr]
        await self.bot.set_webhook(
            url, secret_token=self.settings.secret_token(), allowed_updates=UPDATES
        )
        log.info("webhook server listening on port %s", self.settings.webhook_port)
        if handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self.stop.set)
        try:
            await self.stop.wait()
        finally:
            await runner.cleanup()  # stops accepting, lets running requests finish


async def _health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def run_bot(settings: Settings, content: Content) -> None:
    bot = make_bot(settings)
    db = Database(settings.database_url)
    try:
        await db.migrate()
        await TelegramApp(settings, content, db, bot).run()
    finally:
        await bot.session.close()
        await db.close()


async def bot_username(settings: Settings) -> str:
    """For invite links: BOT_USERNAME, or asked from Telegram with the token."""
    if settings.bot_username:
        return settings.bot_username
    if not settings.bot_token:
        raise StartupError("Für den Link BOT_USERNAME (oder BOT_TOKEN) setzen.")
    bot = make_bot(settings)
    try:
        me = await bot.get_me()
    except TelegramUnauthorizedError as exc:
        raise StartupError("BOT_TOKEN wird von Telegram abgelehnt.") from exc
    finally:
        await bot.session.close()
    return me.username or ""
