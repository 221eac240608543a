"""Load: 1,000 simulated citizens at once walk the volunteer path through the fake Bot API,
on SQLite and on PostgreSQL. Asserts correctness only (no error, no lost lead); throughput
and latency are measured by the benchmark, `python -m bench.throughput` (bench/)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.content.model import Content
from bot.store.models import Lead
from tests.fakes.telegram_api import FakeTelegram, FakeUser
from tests.helpers import ROOT
from tests.helpers.telegram import CITIZEN_PATH, Running

CITIZENS = 1000


async def citizen(fake: FakeTelegram, user: FakeUser) -> None:
    for answer, expect in CITIZEN_PATH:
        mark = fake.mark()
        await user.send(answer)
        await user.wait_for_text(expect, timeout=300, since=mark)  # a guard against a hang


@pytest.mark.slow
async def test_thousand_citizens_at_once(any_db_url: str, content: Content) -> None:
    async with FakeTelegram() as fake:
        settings = Settings.from_env(
            {
                "BOT_TOKEN": fake.token,
                "TELEGRAM_API_URL": fake.base_url,
                "DATABASE_URL": any_db_url,
                "CONTENT_DIR": str(ROOT / "content"),
                "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
                "TELEGRAM_RATE": "100000",  # the fake has no global limit; per-chat limits stay
            }
        )
        run = Running(settings, content)
        app = await run.start()
        users = [fake.user(100_000 + n) for n in range(CITIZENS)]
        results = await asyncio.gather(*(citizen(fake, u) for u in users), return_exceptions=True)
        async with run.db.session() as session:
            leads = await session.scalar(select(func.count()).select_from(Lead))
        await run.stop()
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, f"{len(failures)} citizens failed, first: {failures[0]!r}"
    assert leads == CITIZENS
    assert app is not None
