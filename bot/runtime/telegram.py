"""`lotse run`: the Telegram bot, by long polling or (with WEBHOOK_URL) as a webhook server."""

from __future__ import annotations

import asyncio
import datetime as dt
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
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select

from bot import clock, logs
from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.offers.importer import ImportFailed, sync_freinet
from bot.runtime import heap
from bot.runtime.http import http_get
from bot.runtime.ticker import tick
from bot.runtime.watch import ContentWatcher, Sources
from bot.store.db import Database
from bot.store.models import LotseAccount
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
TICK_SECONDS = 60
# The first tick waits a little: after a restart it may have much to do, and updates that
# arrived meanwhile are answered first (issue #9: startup to the first answer).
FIRST_TICK_SECONDS = 5
FAQ_READY_SECONDS = 1  # after the start: the first updates come first, then the FAQ learns
RELOAD_SECONDS = 30  # how often content files are compared (hot reload)
FREINET_SYNC = {"hour": 3, "minute": 0, "timezone": "Europe/Berlin"}  # nightly, when set
POLL_SECONDS = 25


class StartupError(Exception):
    """A problem an operator must fix; its message is one clear line."""


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


class TelegramApp:
    """Everything `lotse run` holds: bot, dispatcher, sender, outbox worker, shutdown."""

    def __init__(self, settings: Settings, content: Content, db: Database, bot: Bot) -> None:
        self.settings, self.db, self.bot = settings, db, bot
        self.engine = DialogEngine(
            content,
            db,
            controller=settings.privacy_controller,
            coordinators={("telegram", str(i)) for i in settings.coordinator_ids},
            on_switch=heap.renewed,
        )
        self.watcher = ContentWatcher(
            Sources(settings.content_dir, settings.knowledge_dir, settings.faq_max_age_days),
            db,
            lambda: self.engine.content,
            self.engine.replace_content,
        )
        location = content.text("btn_share_location", content.languages[0])
        self.sender = TelegramSender(
            bot, lambda _chat: location, RateLimiter(per_second=settings.telegram_rate)
        )
        self.outbox = OutboxWorker(
            db, self.sender, lambda: self.engine.content, settings.coordinator_ids
        )
        self.gate = UserGate(on_flood=self._flood_notice)
        self.metrics = Metrics()
        self.metrics.watch(bot)
        self.ops = OpsEndpoints(db, self.metrics, "webhook" if settings.webhook_url else "polling")
        self.dispatcher = Dispatcher()
        self.stop = asyncio.Event()
        self.bridge: Bridge | None = None
        self._ticking = asyncio.Lock()

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

    async def _tick(self) -> None:
        if self.stop.is_set():
            return
        try:
            async with self._ticking:
                done = await tick(self.db, self.engine.content, clock.now())
        except Exception as exc:
            logs.failure(log, "tick failed; the next one retries", exc)
            return
        if done:
            log.info("tick: %d steps done", len(done))
            self.outbox.wake.set()

    async def _keep_faq_ready(self) -> None:
        try:
            await self.engine.keep_faq_ready()
        except asyncio.CancelledError:
            if not self.stop.is_set():
                raise
            # stopped while the classifier learns: nothing lost, nothing to report

    def _schedule_content(self, scheduler: AsyncIOScheduler) -> None:
        """Hot reload every RELOAD_SECONDS; the Freinet sync nightly when FREINET_URL is set."""
        scheduler.add_job(
            self._check_content, "interval", seconds=RELOAD_SECONDS, max_instances=1, coalesce=True
        )
        if self.settings.freinet_url:
            scheduler.add_job(
                self._sync_freinet, "cron", max_instances=1, coalesce=True, **FREINET_SYNC
            )

    async def _check_content(self, settle: bool = True) -> None:
        try:
            outcome = await self.watcher.check(settle)
        except Exception as exc:
            logs.failure(log, "content check failed; the next one retries", exc)
            return
        if outcome == "failed":
            self.outbox.wake.set()  # the coordinators' notice is in the outbox

    async def _sync_freinet(self) -> None:
        """Import Freinet's offer list; the watcher then switches the engine to it."""
        try:
            report = await sync_freinet(self.settings, http_get)
        except ImportFailed as exc:
            log.error("Freinet sync failed: %s", exc)
            return
        except Exception as exc:
            logs.failure(log, "Freinet sync failed", exc)
            return
        log.info("Freinet sync: %s", report.counts())
        if report.written:  # replaced atomically: no need to wait for it to settle
            await self._check_content(settle=False)

    async def _flood_notice(self, event: TelegramObject) -> None:
        chat = getattr(getattr(event, "message", event), "chat", None)
        if chat is not None and self.bridge is not None:
            await self.bridge.hint(chat.id, None, "flood")

    async def run(self, handle_signals: bool = True) -> None:
        await self.prepare()
        heap.settle()  # content, matchers and aiogram stay; see bot/runtime/heap.py
        worker = asyncio.create_task(self.outbox.run(self.stop))
        scheduler = AsyncIOScheduler(timezone=dt.UTC)
        # APScheduler only ticks; what is due lives in the database (bot/runtime/ticker.py).
        scheduler.add_job(
            self._tick,
            "interval",
            seconds=TICK_SECONDS,
            max_instances=1,
            coalesce=True,
            next_run_time=clock.scheduler_time(FIRST_TICK_SECONDS),
        )
        # The FAQ classifier learns in a thread once the first updates are answered, and
        # again after a content change (see DialogEngine.keep_faq_ready).
        scheduler.add_job(
            self._keep_faq_ready,
            "interval",
            seconds=RELOAD_SECONDS,
            max_instances=1,
            coalesce=True,
            next_run_time=clock.scheduler_time(FAQ_READY_SECONDS),
        )
        self._schedule_content(scheduler)
        scheduler.start()
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
            async with self._ticking:  # let a running tick finish its transaction
                scheduler.shutdown(wait=False)
            await self.gate.drain()
            self.stop.set()
            if ops_server is not None:
                await ops_server.cleanup()
            with suppress(asyncio.CancelledError):
                await worker
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

        app = web.Application()
        # Handled before the answer (not in the background): if we fail, Telegram retries.
        SimpleRequestHandler(
            dispatcher=self.dispatcher,
            bot=self.bot,
            handle_in_background=False,
            secret_token=self.settings.secret_token(),
        ).register(app, path=self.settings.webhook_path)
        self.ops.register(app)  # /health and /metrics
        # The web chat (/chat …) on the same server, on the same engine and outbox.
        mount_web_chat(
            app,
            self.engine,
            self.settings,
            bot_username=self.bridge.bot_username if self.bridge else self.settings.bot_username,
            on_notify=self.outbox.wake.set,
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
