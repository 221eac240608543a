"""Prometheus metrics of one bot process (served as /metrics, see bot/telegram/ops.py).

Counted in the process: updates handled (by kind), how long until an update's replies were
sent, failed Bot API requests (by HTTP status code). Read from the database at scrape time,
so they are the same in every process: leads by state, outbox length.

`prometheus_client` writes the text format and keeps the histogram arithmetic right; each
TelegramApp has a registry of its own, so two apps in one process (tests) never mix counts.
No label ever carries a person: kinds, states, codes and method names only.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response
from aiogram.types import TelegramObject, Update
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from sqlalchemy import func, select

from bot import clock
from bot.leads.lifecycle import CLOSED, OPEN
from bot.store.db import Database
from bot.store.models import Lead, OutboxMessage

CONTENT_TYPE = CONTENT_TYPE_LATEST
UPDATE_KINDS = ("message", "edited_message", "callback_query")  # what `lotse run` asks for
# Replies take well under a second normally; seconds when Telegram or the database struggle.
REPLY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
ErrorListener = Callable[[str, str], None]  # (status code or "network", Bot API method)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # CPU, memory, open files (on Linux)
        self.updates = Counter(
            "lotse_updates",
            "Telegram updates handled by this process, by kind",
            ["kind"],
            registry=self.registry,
        )
        self.reply_seconds = Histogram(
            "lotse_reply_seconds",
            "From an update entering the dispatcher until its replies were sent "
            "(or queued in the outbox while Telegram failed)",
            buckets=REPLY_BUCKETS,
            registry=self.registry,
        )
        self.telegram_errors = Counter(
            "lotse_telegram_errors",
            "Failed Bot API requests by HTTP status code ('network': no answer) and method",
            ["code", "method"],
            registry=self.registry,
        )
        self.leads = Gauge(
            "lotse_leads",
            "Leads by state, from the database (the same in every process)",
            ["state"],
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "lotse_outbox_pending",
            "Outbox messages not yet sent, from the database (incl. those waiting for "
            "quiet hours to end or for a Lotse to join)",
            registry=self.registry,
        )
        self.outbox_oldest_due = Gauge(
            "lotse_outbox_oldest_due_seconds",
            "Age of the oldest outbox message that is due but not sent (0: none)",
            registry=self.registry,
        )
        self.database_up = Gauge(
            "lotse_database_up",
            "1 when the database answered the last scrape, else 0 (the gauges above are stale)",
            registry=self.registry,
        )
        for kind in UPDATE_KINDS:
            self.updates.labels(kind)  # present as 0 from the start, for rate() and alerts
        self.middleware = UpdateMetrics(self)

    def telegram_error(self, code: str, method: str) -> None:
        self.telegram_errors.labels(code, method).inc()

    def watch(self, bot: Bot) -> None:
        """Count the failed requests of `bot` (made by make_bot with a MeteredSession)."""
        if isinstance(bot.session, MeteredSession):
            bot.session.listeners.append(self.telegram_error)

    async def refresh(self, db: Database, now: dt.datetime | None = None) -> None:
        """Read the database-backed gauges: two grouped counts on indexed columns."""
        now = now or clock.now()
        async with db.session() as session:
            rows = await session.execute(select(Lead.status, func.count()).group_by(Lead.status))
            by_state: dict[str, int] = {state: count for state, count in rows.all()}
            pending, oldest = (
                await session.execute(
                    select(
                        func.count(),
                        func.min(OutboxMessage.created_at).filter(
                            OutboxMessage.next_attempt_at <= now
                        ),
                    ).where(OutboxMessage.status == "pending")
                )
            ).one()
        for state in (*OPEN, *CLOSED, *by_state):
            self.leads.labels(state).set(by_state.get(state, 0))
        self.outbox_pending.set(pending)
        self.outbox_oldest_due.set(_age(oldest, now))

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _age(moment: dt.datetime | None, now: dt.datetime) -> float:
    if moment is None:
        return 0.0
    if moment.tzinfo is None:  # SQLite hands back naive datetimes (stored as UTC)
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (now - moment).total_seconds())


class UpdateMetrics(BaseMiddleware):
    """Outer middleware on the dispatcher's updates: counts them and times their handling.

    It wraps everything after the update arrives (the per-person queue, the conversation
    core, sending the replies), so the histogram is what a person waits for an answer.
    """

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            self.metrics.reply_seconds.observe(time.perf_counter() - started)
            self.metrics.updates.labels(_kind(event)).inc()


def _kind(event: TelegramObject) -> str:
    if not isinstance(event, Update):
        return "other"
    try:
        return event.event_type
    except Exception:  # an update type aiogram does not know yet
        return "other"


class MeteredSession(AiohttpSession):
    """aiogram's HTTP session, telling listeners about every failed Bot API request.

    Counted here rather than in the sender because this is the one place that sees the
    HTTP status code, and it also sees getUpdates, setWebhook and getMe.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.listeners: list[ErrorListener] = []
        self._answer_types: dict[type, type] = {}

    def check_response(
        self, bot: Bot, method: TelegramMethod[Any], status_code: int, content: str
    ) -> Any:
        if type(method) not in self._answer_types:
            # aiogram reads every answer with `Response[method.__returning__]`. pydantic
            # keeps such a class only while something else refers to it, so it was built
            # anew after most garbage collections: 3 ms of CPU, several times a second.
            self._answer_types[type(method)] = Response[method.__returning__]
        try:
            return super().check_response(bot, method, status_code, content)
        except Exception:
            self._tell(str(status_code), method)
            raise

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        try:
            return await super().make_request(bot, method, timeout)
        except TelegramNetworkError:
            self._tell("network", method)
            raise

    def _tell(self, code: str, method: TelegramMethod[Any]) -> None:
        name = getattr(method, "__api_method__", type(method).__name__)
        for listener in self.listeners:
            listener(code, name)
