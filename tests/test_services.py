"""What `lotse run` and `lotse web` start (bot/runtime/services.py): the table, and the
background loops built from it."""

from __future__ import annotations

import asyncio

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.content.model import Content
from bot.runtime.services import (
    TICK_SECONDS,
    Background,
    Command,
    Service,
    build_engine,
    describe,
    services,
)
from bot.store.db import Database

TOKEN = "123456:TEST-token-for-the-services-test"


def settings(**env: str) -> Settings:
    return Settings.from_env(env)


def test_every_installation_that_accepts_citizens_does_the_timed_lead_work() -> None:
    installations: list[tuple[Command, dict[str, str]]] = [
        ("run", {"BOT_TOKEN": TOKEN}),
        ("run", {"BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://bot.example.org"}),
        ("web", {}),
        ("web", {"BOT_TOKEN": TOKEN}),
    ]
    for command, env in installations:
        wanted = services(command, settings(**env))
        assert {Service.DATABASE, Service.TICKER, Service.CONTENT_RELOAD} <= wanted, command
        assert Service.FAQ_WARMUP in wanted


def test_what_depends_on_the_settings() -> None:
    web_alone = services("web", settings())
    assert Service.TELEGRAM_OUTBOX not in web_alone and Service.WEB_CHAT in web_alone
    assert Service.TELEGRAM_OUTBOX in services("web", settings(BOT_TOKEN=TOKEN))
    polling = services("run", settings(BOT_TOKEN=TOKEN))
    assert {Service.TELEGRAM_UPDATES, Service.TELEGRAM_OUTBOX} <= polling
    assert Service.WEB_CHAT not in polling and Service.HEALTH not in polling
    assert Service.HEALTH in services("run", settings(BOT_TOKEN=TOKEN, METRICS_PORT="9100"))
    webhook = services("run", settings(BOT_TOKEN=TOKEN, WEBHOOK_URL="https://bot.example.org"))
    assert {Service.WEB_CHAT, Service.HEALTH} <= webhook
    assert Service.FREINET_SYNC not in polling
    assert Service.FREINET_SYNC in services("run", settings(FREINET_URL="https://x"))
    assert describe("web", settings()) == (
        "database, content reload, FAQ warm-up, ticker, web chat, health"
    )
    # WhatsApp: /whatsapp wherever a web server runs and WHATSAPP_TOKEN is set.
    assert Service.WHATSAPP not in web_alone
    assert Service.WHATSAPP in services("web", settings(WHATSAPP_TOKEN="t"))
    assert Service.WHATSAPP not in services("run", settings(BOT_TOKEN=TOKEN, WHATSAPP_TOKEN="t"))
    assert Service.WHATSAPP in services(
        "run", settings(BOT_TOKEN=TOKEN, WHATSAPP_TOKEN="t", WEBHOOK_URL="https://bot.example.org")
    )


async def test_lotse_web_schedules_the_ticker_like_lotse_run(
    content: Content, db: Database
) -> None:
    commands: list[tuple[Command, Settings]] = [
        ("run", settings(BOT_TOKEN=TOKEN)),
        ("web", settings()),
    ]
    for command, env in commands:
        wanted = services(command, env)
        engine = build_engine(env, content, db)
        background = Background(env, engine, db, wanted, asyncio.Event())
        scheduler = AsyncIOScheduler()
        background.schedule(scheduler)
        jobs = {job.id: job.trigger for job in scheduler.get_jobs()}
        assert set(jobs) == {"tick", "faq", "reload"}, command
        assert jobs["tick"].interval.total_seconds() == TICK_SECONDS
