"""Benchmark: the WhatsApp channel of `lotse web` against a minimal webhook echo, in one run.

Simulated people post Meta's signed webhook requests (tests/fakes/whatsapp_api.py) to each
bot over real HTTP; the bots answer through the fake Cloud API in this process. Each bot runs
as a process of its own, so its CPU time and peak memory are its own. First the echo
(bench/whatsapp_echo.py: check the signature, answer each text with one text), then
`lotse web` with WHATSAPP_TOKEN on a fresh SQLite file.

Closed loop: `--in-flight` people at once, each walking the volunteer path of the load test
(typed, ten messages) again and again as a new person, for `--seconds`. A webhook request
is answered after the bot's replies went out, so its duration is the reply latency.

Per bot it prints: messages handled, lost (not 200, or no reply), messages/s, p50/p99
latency, CPU milliseconds per message, peak memory; then the CPU ratio lotse / echo.

    python -m bench.whatsapp                   # 10 s per bot, 8 in flight, SQLite
    python -m bench.whatsapp --seconds 3 --in-flight 4
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import statistics
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.procs import BotProcess
from tests.fakes.whatsapp_api import PHONE_NUMBER_ID, TOKEN, FakeCloudApi
from tests.helpers import free_port
from tests.helpers.telegram import CITIZEN_PATH

SECRET, VERIFY = "bench-app-secret", "bench-verify"
READY_TIMEOUT = 60.0


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0

    def row(self) -> str:
        done = len(self.latencies)
        ordered = sorted(self.latencies) or [0.0]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (
            f"{self.name:<26} {done:>6} sent {self.lost:>3} lost "
            f"{done / max(self.seconds, 1e-9):>8.1f} msg/s"
            f"  p50 {statistics.median(ordered) * 1000:>6.1f} ms"
            f"  p99 {p99 * 1000:>6.1f} ms  CPU {self.cpu_ms():>6.2f} ms/msg"
            f"  peak {self.peak_mb:>5.0f} MB"
        )

    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / max(1, len(self.latencies))


async def measure(
    name: str,
    args: list[str],
    env: dict[str, str],
    meta: FakeCloudApi,
    options: argparse.Namespace,
) -> Run:
    port = free_port()
    meta.webhook = f"http://127.0.0.1:{port}/whatsapp"
    settings = {
        "WEB_HOST": "127.0.0.1",
        "WEB_PORT": str(port),
        "WHATSAPP_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY,
        "WHATSAPP_API_URL": meta.base_url,
        "LOG_FORMAT": "text",
        **env,
    }
    log = Path(options.workdir) / f"{name.replace(' ', '-')}.log"
    bot = BotProcess(args, settings, log)
    bot.start()
    run = Run(name)
    try:
        await _ready(meta.webhook)
        await _walk(meta, options, itertools.count(), seconds=options.warmup)  # warm up
        before = bot.usage().cpu_seconds
        start = time.perf_counter()
        await _walk(meta, options, itertools.count(10_000_000), seconds=options.seconds, run=run)
        run.seconds = time.perf_counter() - start
        usage = bot.usage()
        run.cpu_seconds, run.peak_mb = usage.cpu_seconds - before, usage.peak_rss_mb
    except Exception:
        print(bot.log_tail(), file=sys.stderr)
        raise
    finally:
        await bot.stop()
    return run


async def _ready(webhook: str) -> None:
    query = urllib.parse.urlencode(
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "up"}
    )
    deadline = time.perf_counter() + READY_TIMEOUT
    async with aiohttp.ClientSession() as http:
        while time.perf_counter() < deadline:
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"{webhook}?{query}") as answer:
                    if answer.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise TimeoutError(f"no webhook at {webhook} after {READY_TIMEOUT:g} s")


async def _walk(
    meta: FakeCloudApi,
    options: argparse.Namespace,
    numbers: itertools.count,
    *,
    seconds: float,
    run: Run | None = None,
) -> None:
    """`in_flight` people at a time walk the path until `seconds` have passed."""
    end = time.perf_counter() + seconds

    async def person() -> None:
        while time.perf_counter() < end:
            walker = meta.person(f"49170{next(numbers):08d}")
            for text, _expect in CITIZEN_PATH:
                if time.perf_counter() >= end:
                    return
                began = time.perf_counter()
                try:
                    replies = await walker.send(text)
                except AssertionError:  # the webhook did not answer 200
                    replies = []
                if run is None:
                    continue
                if replies:
                    run.latencies.append(time.perf_counter() - began)
                else:
                    run.lost += 1

    await asyncio.gather(*(person() for _ in range(options.in_flight)))


async def main_async(options: argparse.Namespace) -> None:
    print(
        f"WhatsApp webhook, closed loop: {options.in_flight} in flight, {options.seconds:g} s "
        f"per bot; load average {_load()}",
        flush=True,
    )
    async with FakeCloudApi(secret=SECRET) as meta:
        echo = await measure("echo whatsapp", ["-m", "bench.whatsapp_echo"], {}, meta, options)
        print(echo.row(), flush=True)
        runs = []
        for database in options.databases:
            url = _database_url(database, options.workdir)
            args = ["-m", "bot", "web"]
            env = {"DATABASE_URL": url}
            run = await measure(f"lotse whatsapp {database}", args, env, meta, options)
            print(run.row(), flush=True)
            runs.append(run)
    for run in runs:
        ratio = run.cpu_ms() / max(echo.cpu_ms(), 1e-9)
        print(f"{run.name:<26} CPU per message {ratio:.1f}× the echo's", flush=True)
    print(f"load average at the end {_load()}", flush=True)


def _database_url(database: str, workdir: str) -> str:
    return f"sqlite+aiosqlite:///{workdir}/bench-whatsapp-{database}.sqlite3"


def _load() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "?"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--in-flight", type=int, default=8)
    parser.add_argument("--databases", nargs="+", default=["sqlite"], choices=["sqlite"])
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-whatsapp-") as workdir:
        options.workdir = workdir
        asyncio.run(main_async(options))


if __name__ == "__main__":
    main()
