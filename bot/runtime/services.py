"""One place that wires the program: what `lotse run` and `lotse web` start.

`COMMANDS` lists, per long-running command, the services it starts and when:

| service          | `lotse run`                               | `lotse web`                 |
| ---------------- | ----------------------------------------- | --------------------------- |
| database         | migrated on start                         | migrated on start           |
| content reload   | every RELOAD_SECONDS                      | every RELOAD_SECONDS        |
| FAQ warm-up      | soon after the start, after each reload   | the same                    |
| ticker           | every TICK_SECONDS (`ticker.py`)          | the same                    |
| Freinet sync     | nightly, with FREINET_URL                 | –                           |
| Telegram outbox  | always                                    | with BOT_TOKEN              |
| Telegram updates | long polling, or webhook with WEBHOOK_URL | –                           |
| web chat         | on the webhook server                     | on WEB_HOST:WEB_PORT        |
| WhatsApp         | /whatsapp on the webhook server, with     | /whatsapp, with             |
|                  | WHATSAPP_TOKEN; its own outbox worker     | WHATSAPP_TOKEN; the same    |
| health           | /health, /metrics (METRICS_PORT, webhook) | /health                     |

The web chat brings its e-mail worker along when SMTP_HOST is set (`mount_web_chat`).

Both commands build on this module: `open_database` and `build_engine` make the core the
same way, and `Background` starts and stops the loops that run beside serving (ticker,
hot reload, FAQ warm-up, Freinet sync, delivery workers) from the same code. What serves
people (polling, webhook, the web chat's HTTP server) stays in `telegram.py` and `web.py`.

Every installation that accepts citizens ticks, so a web-only one also sends reminders,
escalates and expires leads. Several processes on one database may tick at once: each
timed step is claimed in its own transaction (`bot/runtime/ticker.py`), so none runs twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import clock, logs
from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.offers.exclusive import NIGHTLY
from bot.offers.importer import ImportFailed, ImportRunning, sync_freinet
from bot.runtime import heap
from bot.runtime.http import http_get
from bot.runtime.ticker import tick
from bot.runtime.watch import ContentWatcher, Sources
from bot.store.db import Database

log = logging.getLogger(__name__)

TICK_SECONDS = 60
# The first tick waits a little: after a restart it may have much to do, and updates that
# arrived meanwhile are answered first (issue #9: startup to the first answer).
FIRST_TICK_SECONDS = 5
FAQ_READY_SECONDS = 1  # after the start: the first updates come first, then the FAQ learns
RELOAD_SECONDS = 30  # how often content files are compared (hot reload)
FREINET_SYNC = {"hour": 3, "minute": 0, "timezone": "Europe/Berlin"}  # nightly, when set
# A run that starts late (a busy event loop, a slow start) still runs, once: APScheduler
# would otherwise drop a run more than a second late, and the first tick, the FAQ warm-up
# or the night's sync would wait a whole interval (a day for the sync).
ONCE_EVEN_IF_LATE = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}


class Service(StrEnum):
    DATABASE = "database"
    CONTENT_RELOAD = "content reload"
    FAQ_WARMUP = "FAQ warm-up"
    TICKER = "ticker"
    FREINET_SYNC = "Freinet sync"
    TELEGRAM_OUTBOX = "Telegram outbox"
    TELEGRAM_UPDATES = "Telegram updates"
    WEB_CHAT = "web chat"
    WHATSAPP = "WhatsApp"
    HEALTH = "health"


def _always(_settings: Settings) -> bool:
    return True


@dataclass(frozen=True)
class Part:
    """A service a command starts, and the settings it needs for that."""

    service: Service
    when: Callable[[Settings], bool] = _always


Command = Literal["run", "web"]

COMMANDS: dict[Command, tuple[Part, ...]] = {
    "run": (
        Part(Service.DATABASE),
        Part(Service.CONTENT_RELOAD),
        Part(Service.FAQ_WARMUP),
        Part(Service.TICKER),
        Part(Service.FREINET_SYNC, when=lambda s: bool(s.freinet_url)),
        Part(Service.TELEGRAM_OUTBOX),
        Part(Service.TELEGRAM_UPDATES),
        Part(Service.WEB_CHAT, when=lambda s: bool(s.webhook_url)),
        Part(Service.WHATSAPP, when=lambda s: bool(s.webhook_url and s.whatsapp_token)),
        Part(Service.HEALTH, when=lambda s: bool(s.webhook_url) or s.metrics_port is not None),
    ),
    "web": (
        Part(Service.DATABASE),
        Part(Service.CONTENT_RELOAD),
        Part(Service.FAQ_WARMUP),
        Part(Service.TICKER),
        Part(Service.TELEGRAM_OUTBOX, when=lambda s: bool(s.bot_token)),
        Part(Service.WEB_CHAT),
        Part(Service.WHATSAPP, when=lambda s: bool(s.whatsapp_token)),
        Part(Service.HEALTH),
    ),
}


def services(command: Command, settings: Settings) -> frozenset[Service]:
    """What `command` starts with these settings."""
    return frozenset(part.service for part in COMMANDS[command] if part.when(settings))


async def open_database(settings: Settings) -> Database:
    """The database, migrated to the newest schema (several processes may start at once)."""
    db = Database(settings.database_url, sqlite_inline=settings.sqlite_inline)
    await db.migrate()
    return db


def build_engine(settings: Settings, content: Content, db: Database) -> DialogEngine:
    """The dialogue engine every channel of a process shares."""
    return DialogEngine(
        content,
        db,
        controller=settings.privacy_controller,
        operator=settings.operator,
        coordinators={("telegram", str(i)) for i in settings.coordinator_ids},
        on_switch=heap.renewed,
    )


class Delivery(Protocol):
    """A worker that sends what the outbox holds (Telegram outbox, e-mail)."""

    wake: asyncio.Event

    async def run(self, stop: asyncio.Event) -> None: ...


class Background:
    """The loops beside serving, as `services` says; one instance per process.

    `start()` schedules the timed ones and starts the delivery workers; `stop_timers()`
    lets a running tick finish its transaction and schedules nothing more; once the
    command has set `stop`, `join()` waits for the workers.
    """

    def __init__(
        self,
        settings: Settings,
        engine: DialogEngine,
        db: Database,
        wanted: frozenset[Service],
        stop: asyncio.Event,
    ) -> None:
        self.settings, self.engine, self.db = settings, engine, db
        self.wanted, self.stop = wanted, stop
        self.deliveries: list[Delivery] = []
        self.watcher = ContentWatcher(
            Sources(settings.content_dir, settings.knowledge_dir, settings.faq_max_age_days),
            db,
            lambda: self.engine.content,
            self.engine.replace_content,
        )
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self._ticking = asyncio.Lock()
        self._workers: list[asyncio.Task[None]] = []

    def deliver_with(self, delivery: Delivery) -> None:
        """Add a delivery worker; it is woken when the loops queue notifications. Added
        after `start()` (a server mounted later), it starts at once."""
        self.deliveries.append(delivery)
        if self.scheduler.running:
            self._workers.append(asyncio.create_task(delivery.run(self.stop)))

    def wake(self) -> None:
        """Something new is in the outbox: the workers look now, not at their next round."""
        for delivery in self.deliveries:
            delivery.wake.set()

    def start(self) -> None:
        self._workers = [asyncio.create_task(d.run(self.stop)) for d in self.deliveries]
        self.schedule(self.scheduler)
        self.scheduler.start()

    async def stop_timers(self) -> None:
        if not self.scheduler.running:
            return
        async with self._ticking:  # let a running tick finish its transaction
            self.scheduler.shutdown(wait=False)

    async def join(self) -> None:
        for worker in self._workers:
            with suppress(asyncio.CancelledError):
                await worker

    def schedule(self, scheduler: AsyncIOScheduler) -> None:
        """The timed loops this process runs (APScheduler only times them; what is due lives
        in the database, see bot/runtime/ticker.py)."""
        every = {"trigger": "interval", **ONCE_EVEN_IF_LATE}
        if Service.TICKER in self.wanted:
            first = clock.scheduler_time(FIRST_TICK_SECONDS)
            scheduler.add_job(
                self.tick, id="tick", seconds=TICK_SECONDS, next_run_time=first, **every
            )
        if Service.FAQ_WARMUP in self.wanted:
            # The FAQ classifier learns in a thread once the first updates are answered,
            # and again after a content change (see DialogEngine.keep_faq_ready).
            first = clock.scheduler_time(FAQ_READY_SECONDS)
            scheduler.add_job(
                self.keep_faq_ready, id="faq", seconds=RELOAD_SECONDS, next_run_time=first, **every
            )
        if Service.CONTENT_RELOAD in self.wanted:
            scheduler.add_job(self.check_content, id="reload", seconds=RELOAD_SECONDS, **every)
        if Service.FREINET_SYNC in self.wanted:
            scheduler.add_job(
                self.sync_freinet,
                "cron",
                id="freinet",
                **ONCE_EVEN_IF_LATE,
                **FREINET_SYNC,
            )

    async def tick(self) -> None:
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
            self.wake()

    async def keep_faq_ready(self) -> None:
        try:
            await self.engine.keep_faq_ready()
        except asyncio.CancelledError:
            if not self.stop.is_set():
                raise
            # stopped while the classifier learns: nothing lost, nothing to report

    async def check_content(self, settle: bool = True) -> None:
        try:
            outcome = await self.watcher.check(settle)
        except Exception as exc:
            logs.failure(log, "content check failed; the next one retries", exc)
            return
        if outcome == "failed":
            self.wake()  # the coordinators' notice is in the outbox

    async def sync_freinet(self) -> None:
        """Import Freinet's offer list; the watcher then switches the engine to it."""
        try:
            report = await sync_freinet(self.settings, http_get, who=NIGHTLY)
        except ImportRunning as exc:  # a coordinator's import right now: theirs goes first
            log.warning("Freinet sync skipped, another import runs; next night retries: %s", exc)
            return
        except ImportFailed as exc:
            log.error("Freinet sync failed: %s", exc)
            return
        except Exception as exc:
            logs.failure(log, "Freinet sync failed", exc)
            return
        log.info("Freinet sync: %s", report.counts())
        if report.details is not None:
            log.info("Freinet sync: %s", report.details.line())
        if report.written:  # replaced atomically: no need to wait for it to settle
            await self.check_content(settle=False)


def describe(command: Command, settings: Settings) -> str:
    """One log line: what this process runs (in the table's order)."""
    wanted = services(command, settings)
    return ", ".join(p.service for p in COMMANDS[command] if p.service in wanted)
