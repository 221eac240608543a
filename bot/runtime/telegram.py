"""`lotse run`: the Telegram bot, by long polling or (with WEBHOOK_URL) as a webhook server."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.types import TelegramObject, Update
from aiogram.utils.token import TokenValidationError, validate_token
from aiohttp import web
from sqlalchemy import select

from bot import logs
from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.runtime import heap
from bot.runtime.errors import StartupError
from bot.runtime.services import (
    Background,
    Service,
    build_engine,
    describe,
    open_database,
    services,
)
from bot.store.db import Database
from bot.store.models import LotseAccount
from bot.telegram import fast_aiogram
from bot.telegram.bridge import CHANNEL, Bridge
from bot.telegram.commands import COORDINATOR, LOTSE, register_default, register_for_chat
from bot.telegram.handlers import citizen, coordinator, group
from bot.telegram.metrics import MeteredSession, Metrics
from bot.telegram.middleware import UserGate
from bot.telegram.ops import OpsEndpoints
from bot.telegram.outbox import OutboxWorker
from bot.telegram.sender import RateLimiter, TelegramSender

log = logging.getLogger(__name__)
UPDATES = ["message", "edited_message", "callback_query"]
POLL_SECONDS = 25


def check_token(settings: Settings) -> str:
    """BOT_TOKEN in the form Telegram gives out, or a StartupError that says what to fix."""
    if not settings.bot_token:
        raise StartupError("BOT_TOKEN fehlt – bitte das Token von @BotFather als BOT_TOKEN setzen.")
    try:
        validate_token(settings.bot_token)
    except TokenValidationError as exc:
        raise StartupError("BOT_TOKEN hat nicht die Form 123456789:ABC… – bitte prüfen.") from exc
    return settings.bot_token


def make_bot(settings: Settings) -> Bot:
    token = check_token(settings)
    # Metered: failed requests are counted by status code for /metrics.
    session = MeteredSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    # No parse mode: every text is sent as plain text, so nothing a user typed can inject markup.
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=None))


def telegram_outbox(
    settings: Settings, bot: Bot, engine: DialogEngine, db: Database
) -> tuple[TelegramSender, OutboxWorker]:
    """The rate-limited sender and the outbox worker that delivers through it (`lotse run`,
    and `lotse web` with a token)."""

    def location(language: str | None) -> str:
        content = engine.content  # the current one, after a reload too
        return content.text("btn_share_location", content.language(language))

    limiter = RateLimiter(per_second=settings.telegram_rate)
    sender = TelegramSender(bot, location, limiter)
    worker = OutboxWorker(db, sender, lambda: engine.content, settings.coordinator_ids)
    return sender, worker


class TelegramApp:
    """Everything `lotse run` holds: bot, dispatcher, sender, the background loops
    (bot/runtime/services.py), shutdown."""

    def __init__(self, settings: Settings, content: Content, db: Database, bot: Bot) -> None:
        self.settings, self.db, self.bot = settings, db, bot
        self.engine = build_engine(settings, content, db)
        self.sender, self.outbox = telegram_outbox(settings, bot, self.engine, db)
        self.stop = asyncio.Event()
        self.services = services("run", settings)
        self.background = Background(settings, self.engine, db, self.services, self.stop)
        self.background.deliver_with(self.outbox)
        self.gate = UserGate(on_flood=self._flood_notice)
        self.metrics = Metrics()
        self.metrics.watch(bot)
        self.ops = OpsEndpoints(
            db,
            self.metrics,
            "webhook" if settings.webhook_url else "polling",
            token=settings.metrics_token,
        )
        self.dispatcher = Dispatcher()
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
        dp[coordinator.COORDINATOR_IDS] = self.settings.coordinator_ids
        dp.update.outer_middleware(self.metrics.middleware)  # outermost: counts and times all
        for observer in (dp.message, dp.callback_query, dp.edited_message):
            observer.outer_middleware(self.gate)
        dp.include_routers(
            group.build_router(),
            coordinator.build_router(),
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

    async def _flood_notice(self, event: TelegramObject) -> None:
        chat = getattr(getattr(event, "message", event), "chat", None)
        if chat is not None and self.bridge is not None:
            await self.bridge.hint(chat.id, None, "flood")

    async def run(self, handle_signals: bool = True) -> None:
        await self.prepare()
        if self.settings.gc_freeze:
            heap.settle()  # content, matchers and aiogram stay; see bot/runtime/heap.py
        log.info("lotse run: %s", describe("run", self.settings))
        self.background.start()
        if handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self.stop.set)
        ops_server: web.AppRunner | None = None
        try:
            ops_server = await self._serve_ops()
            if self.settings.webhook_url:
                await self._run_webhook()
            else:
                await self._poll()
        finally:
            await self.background.stop_timers()
            await self.gate.drain()
            self.stop.set()
            if ops_server is not None:
                await ops_server.cleanup()
            await self.background.join()
            await self.bot.session.close()

    async def _serve_ops(self) -> web.AppRunner | None:
        """/health and /metrics on METRICS_PORT: needed in polling mode, and in webhook mode
        when they should not share the webhook's port."""
        port = self.settings.metrics_port
        if port is None or (self.settings.webhook_url and port == self.settings.webhook_port):
            return None
        return await self.ops.serve(self.settings.metrics_host, port)

    async def shutdown(self) -> None:
        """Stop as on SIGTERM (for embedding and tests)."""
        self.stop.set()

    async def _poll(self) -> None:
        """Long polling that confirms a batch only after all of it was handled.

        aiogram's own polling confirms an update as soon as the next one is fetched; if the
        process dies meanwhile, that update is lost. Here a batch is handled completely
        (each person's updates in order, different people in parallel) before its offset
        goes back to Telegram; after a crash the batch comes again, and updates already
        handled are recognised by their id and not run twice.
        """
        await self.bot.delete_webhook(drop_pending_updates=False)
        offset: int | None = None
        backoff = 1.0
        while not self.stop.is_set():
            fetch = asyncio.create_task(
                self.bot.get_updates(offset=offset, timeout=POLL_SECONDS, allowed_updates=UPDATES)
            )
            stop = asyncio.create_task(self.stop.wait())
            await asyncio.wait({fetch, stop}, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
            if not fetch.done():
                fetch.cancel()
                break
            try:
                updates = fetch.result()
            except Exception as exc:  # Telegram unreachable: wait and try again
                log.warning(
                    "getUpdates failed (%s), retrying in %.0f s", type(exc).__name__, backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 60.0)
                continue
            backoff = 1.0
            if updates:
                await asyncio.gather(*(self._feed(update) for update in updates))
                offset = updates[-1].update_id + 1
        if offset is not None:  # confirm the last batch so it is not delivered again
            with suppress(Exception):
                await self.bot.get_updates(offset=offset, timeout=0, limit=1)

    async def _feed(self, update: Update) -> None:
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except Exception as exc:
            logs.failure(log, "update failed", exc)

    async def _run_webhook(self) -> None:
        # Imported here: polling needs neither (a shorter start, issue #9).
        from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application

        from bot.web.app import mount_web_chat
        from bot.whatsapp.webhook import mount_whatsapp

        app = web.Application()
        # Handled before the answer (not in the background): if we fail, Telegram retries.
        SimpleRequestHandler(
            dispatcher=self.dispatcher,
            bot=self.bot,
            handle_in_background=False,
            secret_token=self.settings.secret_token(),
        ).register(app, path=self.settings.webhook_path)
        self.ops.register(app)  # /health and /metrics
        if Service.WEB_CHAT in self.services:
            # The web chat (/chat …) on the same server, on the same engine and outbox.
            username = self.bridge.bot_username if self.bridge else self.settings.bot_username
            mount_web_chat(
                app,
                self.engine,
                self.settings,
                bot_username=username,
                on_notify=self.background.wake,
            )
        if Service.WHATSAPP in self.services:
            # Meta's webhook (/whatsapp) on the same server; its outbox worker joins the others.
            self.background.deliver_with(
                mount_whatsapp(app, self.engine, self.settings, on_notify=self.background.wake)
            )
        setup_application(app, self.dispatcher, bot=self.bot)
        # No access log: it would hold web chat visitors' addresses (personal data).
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.settings.webhook_host, self.settings.webhook_port)
        await site.start()
        url = self.settings.webhook_url.rstrip("/") + self.settings.webhook_path  # type: ignore[union-attr]
        await self.bot.set_webhook(
            url, secret_token=self.settings.secret_token(), allowed_updates=UPDATES
        )
        log.info("webhook server listening on port %s", self.settings.webhook_port)
        try:
            await self.stop.wait()
        finally:
            await runner.cleanup()  # stops accepting, lets running requests finish


async def run_bot(settings: Settings, content: Content) -> None:
    _log_switches(settings)
    bot = make_bot(settings)
    db: Database | None = None
    try:
        db = await open_database(settings)
        await TelegramApp(settings, content, db, bot).run()
    finally:
        await bot.session.close()
        if db is not None:
            await db.close()


def _log_switches(settings: Settings) -> None:
    """Which speed tricks are in force, once at start-up (the SQLite driver is logged by
    Database; all switches are in docs/deploy.md, "Schalter")."""
    log.info("aiogram (FAST_AIOGRAM): %s", fast_aiogram.outcome())
    log.info("GC freeze (GC_FREEZE): %s", "on" if settings.gc_freeze else "off")


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
