"""Load: 1,000 simulated citizens at once walk the volunteer path through the fake Bot API,
on SQLite and on PostgreSQL. Prints throughput and reply latency; asserts only correctness
(no error, no lost lead). Timing belongs to bench/, not to assertions."""

from __future__ import annotations

import asyncio
import statistics
import time

from sqlalchemy import func, select

from bot.config import Settings
from bot.content.loader import Content
from bot.store.models import Lead
from tests.fakes.telegram_api import FakeTelegram, FakeUser
from tests.helpers import ROOT
from tests.helpers.telegram import CITIZEN_PATH, Running

CITIZENS = 1000


async def citizen(fake: FakeTelegram, user: FakeUser, latencies: list[float]) -> None:
    for answer, expect in CITIZEN_PATH:
        mark = fake.mark()
        start = time.perf_counter()
        await user.send(answer)
        await user.wait_for_text(expect, timeout=300, since=mark)
        latencies.append(time.perf_counter() - start)


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
        latencies: list[float] = []
        started = time.perf_counter()
        users = [fake.user(100_000 + n) for n in range(CITIZENS)]
        results = await asyncio.gather(
            *(citizen(fake, u, latencies) for u in users), return_exceptions=True
        )
        elapsed = time.perf_counter() - started
        async with run.db.session() as session:
            leads = await session.scalar(select(func.count()).select_from(Lead))
        await run.stop()
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, f"{len(failures)} citizens failed, first: {failures[0]!r}"
    assert leads == CITIZENS
    assert app is not None
    latencies.sort()
    print(
        f"\n{any_db_url.split(':')[0]}: {CITIZENS} citizens, {len(latencies)} updates in "
        f"{elapsed:.1f} s = {len(latencies) / elapsed:.0f} updates/s; reply latency "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms"
    )
