"""Benchmark: the real bot (`lotse run`) under load, against a minimal aiogram echo bot.

Simulated citizens walk the full volunteer path (the same ten messages as tests/test_load.py)
through the fake Bot API (tests/fakes/telegram_api.py) over real HTTP. Each bot runs as a
process of its own, so its CPU time and peak memory are its own; the fake server and the
citizens share the benchmark process. For every delivery mode (long polling, webhook) the
echo bot runs first on the same fake server with the same messages, then the real bot on
SQLite and on PostgreSQL (a fresh file / database each).

Per bot it prints: an open-loop run (a fixed rate of messages, e.g. 200/s, whatever the bot
does) with p50/p99 reply latency; a closed-loop run (a fixed number of messages in flight)
whose rate is the maximum throughput; CPU milliseconds per update; peak memory (VmHWM).
Then the per-update time ratio real bot / echo bot, startup time to the first answered
update, and memory with many open conversations and many offers.

CPU per update is the figure to compare: rates and latencies depend on what else runs on
the machine (the load average is printed at the start and the end).

    python -m bench.throughput             # everything, about 8 minutes
    python -m bench.throughput --quick     # smoke run: load part, polling, SQLite (30–50 s)
    python -m bench.throughput --parts memory --conversations 10000 --offers 100000
    python -m bench.throughput --profile   # also: where the real bot spends its CPU
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import os
import pstats
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

from bench.procs import BotProcess, Usage, cpu_seconds_of_this_process
from bench.profile_summary import summary_lines
from bench.traffic import (
    REPLY_TIMEOUT,
    Citizens,
    Figures,
    Step,
    TimedFake,
    WebhookDelivery,
    echo_path,
    polling_delivery,
)

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
WEBHOOK_SECRET = "bench-secret"
# Log lines that are warnings or errors, in the text and in the JSON log format.
WARNINGS = (" WARNING ", " ERROR ", '"WARNING"', '"ERROR"', "Traceback")
# Targets from issue #9: checked and printed, never asserted.
TARGET_RATIO, TARGET_P99_MS, TARGET_MEMORY_MB, TARGET_STARTUP_S = 3.0, 100.0, 300.0, 2.0


def volunteer_path() -> tuple[Step, ...]:
    """The volunteer path of the load test, so both stay in step with the dialogue."""
    from tests.helpers.telegram import CITIZEN_PATH

    return tuple(Step(text, expect) for text, expect in CITIZEN_PATH)


@dataclass
class Options:
    rate: float = 200.0  # open loop: messages per second
    seconds: float = 8.0  # length of each measured run
    warmup: float = 2.0  # seconds of light load before measuring
    in_flight: int = 64  # closed loop: messages waiting for an answer at any time
    think: float = 2.0  # seconds a citizen waits between answer and next message
    modes: list[str] = field(default_factory=lambda: ["polling", "webhook"])
    databases: list[str] = field(default_factory=lambda: ["sqlite", "postgres"])
    startups: int = 3  # starts measured per database (median printed)
    conversations: int = 4_000  # memory run: open conversations (target: 10,000)
    offers: int = 10_000  # memory run: offers in the content (target: 100,000)
    walkers: int = 100  # memory run: citizens who walk the whole path (offers are ranked)
    parts: list[str] = field(default_factory=lambda: ["load", "startup", "memory"])
    workdir: Path | None = None  # keep bot logs, databases and generated content here


PARTS = ["load", "startup", "memory", "profile"]
PRESETS = {
    "full": Options(),
    "quick": Options(  # about 30 s: the load part only, polling, SQLite
        rate=100,
        seconds=3,
        warmup=1,
        in_flight=32,
        modes=["polling"],
        databases=["sqlite"],
        parts=["load"],
        startups=1,
        conversations=500,
        offers=1_000,
        walkers=10,
    ),
}


# ---------------------------------------------------------------------- the bots


@dataclass
class Bot:
    """One bot process to measure: how to start it and what its answers look like."""

    name: str
    mode: str
    database: str  # "-" for the echo bot
    args: list[str]
    env: dict[str, str]
    path: tuple[Step, ...]

    @property
    def label(self) -> str:
        return f"{self.name} {self.mode}" + ("" if self.database == "-" else f" {self.database}")


def echo_bot(fake: TimedFake, mode: str) -> Bot:
    env = {"BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url}
    return Bot("echo", mode, "-", ["-m", "bench.echo_bot"], env, echo_path(volunteer_path()))


def lotse_bot(
    fake: TimedFake, mode: str, database: str, url: str, folder: Path, content: str = "content"
) -> Bot:
    """`lotse run` on the content copied into `folder` (see `freeze_content`)."""
    env = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": url,
        "CONTENT_DIR": str(folder / content),
        "KNOWLEDGE_DIR": str(folder / "knowledge"),
        # The fake has no overall limit (real Telegram: 30 messages/s per bot); the per-chat
        # limits of the sender and the per-person flood limit stay as they are.
        "TELEGRAM_RATE": "100000",
    }
    return Bot("lotse", mode, database, ["-m", "bot", "run"], env, volunteer_path())


def freeze_content(folder: Path) -> None:
    """Copy the shipped content and knowledge: edits in the working tree during a run would
    make the bots reload their content (hot reload) and blur the figures."""
    for name in ("content", "knowledge"):
        shutil.copytree(ROOT / name, folder / name, dirs_exist_ok=True)


class Databases:
    """Fresh databases: SQLite files in the temp folder, PostgreSQL databases on the server."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.created: list[str] = []

    def sqlite(self) -> str:
        return f"sqlite+aiosqlite:///{self.folder / f'lotse-{uuid.uuid4().hex[:8]}.sqlite3'}"

    async def postgres(self) -> str:
        name = f"lotse_bench_{uuid.uuid4().hex[:12]}"
        await _postgres_admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"

    async def fresh(self, kind: str) -> str:
        return self.sqlite() if kind == "sqlite" else await self.postgres()

    async def drop_all(self) -> None:
        for name in self.created:
            with contextlib.suppress(OSError, SQLAlchemyError):
                await _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _postgres_admin(statement: str) -> None:
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def postgres_available() -> bool:
    try:
        await _postgres_admin("SELECT 1")
    except (OSError, SQLAlchemyError):
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------------- one bot under load


@dataclass
class Phase:
    """A measured run and the CPU used meanwhile (seconds)."""

    figures: Figures
    bot_cpu: float  # the bot process
    bench_cpu: float  # this process: the fake server and the citizens

    @property
    def cpu_ms_per_update(self) -> float:
        answered = self.figures.answered
        return self.bot_cpu / answered * 1000 if answered else float("nan")

    def busy(self, cpu: float) -> float:
        """Share of one core used during the run (near 100 %: that process is the limit)."""
        return cpu / self.figures.seconds if self.figures.seconds else 0.0


@dataclass
class Result:
    bot: Bot
    open: Phase
    closed: Phase
    usage: Usage
    log_warnings: int  # WARNING / ERROR lines in the bot's log
    started: float  # seconds from process start to the first answer (new database)


class Session:
    """A running bot process with its citizens; stopped and checked on exit."""

    def __init__(self, fake: TimedFake, bot: Bot, folder: Path, first_user: int, think: float):
        self.fake, self.bot = fake, bot
        env = dict(bot.env)
        self.webhook: WebhookDelivery | None = None
        if bot.mode == "webhook":
            port = free_port()
            env |= {
                "WEBHOOK_URL": "https://bench.invalid",
                "WEBHOOK_HOST": "127.0.0.1",
                "WEBHOOK_PORT": str(port),
                "WEBHOOK_SECRET": WEBHOOK_SECRET,
            }
            self.webhook = WebhookDelivery(f"http://127.0.0.1:{port}/telegram", WEBHOOK_SECRET)
        log = folder / f"{bot.name}-{bot.mode}-{bot.database}-{first_user}.log"
        self.process = BotProcess(bot.args, env, log)
        deliver = self.webhook or polling_delivery(fake)
        self.citizens = Citizens(fake, deliver, bot.path, first_user, think=think)

    async def start(self, timeout: float = 300.0) -> float:
        """Start the process; seconds until its first answer (one citizen says hello)."""
        _reset(self.fake)
        self.process.start()
        if self.webhook is not None:  # the server listens once the webhook is registered
            await self.fake.wait_for(
                lambda: self.fake.webhook["url"] or not self.process.alive(), timeout, poll=0.1
            )
        self.citizens.timeout = timeout
        first = await self.citizens.first_messages(1, 1)
        self.citizens.timeout = REPLY_TIMEOUT
        if not first.answered:
            raise RuntimeError(f"{self.bot.label} did not answer:\n{self.process.log_tail()}")
        return first.last_arrival - self.process.started_at

    async def phase(self, load: str, opts: Options) -> Phase:
        before, bench_before = self.process.usage().cpu_seconds, cpu_seconds_of_this_process()
        if load == "open":
            figures = await self.citizens.open_loop(opts.rate, opts.seconds)
        else:
            figures = await self.citizens.closed_loop(opts.in_flight, opts.seconds)
        return Phase(
            figures,
            self.process.usage().cpu_seconds - before,
            cpu_seconds_of_this_process() - bench_before,
        )

    async def stop(self) -> None:
        if self.webhook is not None:
            await self.webhook.close()
        code = await self.process.stop()
        if code != 0:
            print(f"  ! {self.bot.label} exited with {code}:\n{self.process.log_tail()}")


def _reset(fake: TimedFake) -> None:
    """Between two bots on the same fake server: no webhook, no leftover updates."""
    fake.webhook = {"url": "", "secret_token": None}
    fake.pending.clear()


@contextlib.asynccontextmanager
async def running(
    fake: TimedFake, bot: Bot, folder: Path, first_user: int, think: float
) -> AsyncIterator[Session]:
    session = Session(fake, bot, folder, first_user, think)
    try:
        yield session
    finally:
        await session.stop()


async def load_tests(fake: TimedFake, opts: Options, dbs: Databases, folder: Path) -> None:
    """Echo bot, then the real bot on each database, per delivery mode; then the ratios."""
    print(
        f"\nFull volunteer path ({len(volunteer_path())} messages per citizen, {opts.think:g} s "
        f"between answer and next message) vs. a minimal aiogram echo bot, same fake Bot API.\n"
        f"open: {opts.rate:g} messages/s for {opts.seconds:g} s; closed: {opts.in_flight} "
        f"messages in flight for {opts.seconds:g} s. Latency from hand-over (getUpdates answer "
        f"or webhook POST) to the bot's answer at the fake server; e2e from the citizen's send.\n"
    )
    print(HEADER, flush=True)
    results: list[Result] = []
    first = 1_000
    for mode in opts.modes:
        bots = [echo_bot(fake, mode)]
        bots += [
            lotse_bot(fake, mode, kind, await dbs.fresh(kind), folder) for kind in opts.databases
        ]
        for bot in bots:
            result = await load_test(fake, bot, opts, folder, first)
            first += 10_000_000
            print_result(result, opts)
            results.append(result)
    print_ratios(results, opts)


async def load_test(fake: TimedFake, bot: Bot, opts: Options, folder: Path, first: int) -> Result:
    async with running(fake, bot, folder, first, opts.think) as session:
        started = await session.start()
        await session.citizens.open_loop(opts.rate / 4, opts.warmup)
        # What the fake server holds from earlier bots (every call, every message) would
        # make this process's full garbage collections take 0.1–0.3 s, counted as the
        # bot's latency: kept out of them while measuring.
        gc.collect()
        gc.freeze()
        try:
            open_phase = await session.phase("open", opts)
            closed_phase = await session.phase("closed", opts)
        finally:
            gc.unfreeze()
        usage = session.process.usage()
    warnings = session.process.log_count(WARNINGS)
    return Result(bot, open_phase, closed_phase, usage, warnings, started)


# ---------------------------------------------------------------------- printing

HEADER = (
    f"{'bot':<24} {'load':<16} {'sent':>6} {'lost':>5} {'upd/s':>7} {'p50 ms':>7} "
    f"{'p99 ms':>7} {'e2e p99':>8} {'CPU ms/upd':>10} {'bot CPU':>7} {'bench CPU':>9}"
)


def phase_line(label: str, load: str, phase: Phase) -> str:
    f = phase.figures
    return (
        f"{label:<24} {load:<16} {f.sent:>6} {f.unanswered:>5} {f.updates_per_second:>7.1f} "
        f"{f.latency_ms(0.5):>7.1f} {f.latency_ms(0.99):>7.1f} "
        f"{f.latency_ms(0.99, end_to_end=True):>8.1f} {phase.cpu_ms_per_update:>10.2f} "
        f"{phase.busy(phase.bot_cpu):>7.0%} {phase.busy(phase.bench_cpu):>9.0%}"
    )


def print_result(result: Result, opts: Options) -> None:
    label = result.bot.label
    print(phase_line(label, f"open {opts.rate:g}/s", result.open), flush=True)
    print(phase_line(label, f"closed {opts.in_flight} in fl.", result.closed), flush=True)
    print(
        f"{'':<24} peak memory {result.usage.peak_rss_mb:.0f} MB, first answer "
        f"{result.started:.1f} s after start, {result.log_warnings} warnings in its log",
        flush=True,
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_ratios(results: list[Result], opts: Options) -> None:
    """Real bot / echo bot in the same mode. CPU per update is the per-update time that does
    not depend on what else runs on the machine; the throughput ratio also shows when the
    benchmark process, not the bot, was the limit for the echo bot (its 'bench CPU')."""
    print(f"\nPer-update time, real bot / echo bot (target ≤ {TARGET_RATIO:g} on SQLite):")
    for result in results:
        echo = next(
            (r for r in results if r.bot.name == "echo" and r.bot.mode == result.bot.mode), None
        )
        if result.bot.name != "lotse" or echo is None:
            continue
        cpu = result.closed.cpu_ms_per_update / echo.closed.cpu_ms_per_update
        wall = echo.closed.figures.updates_per_second / result.closed.figures.updates_per_second
        p99 = result.open.figures.latency_ms(0.99)
        line = (
            f"  {result.bot.label:<24} CPU per update {cpu:5.1f}×, max throughput {wall:5.1f}×; "
            f"p99 at {opts.rate:g}/s {p99:.0f} ms"
        )
        if result.bot.database == "sqlite":
            in_time = p99 < TARGET_P99_MS and result.open.figures.unanswered == 0
            line += (
                f"  [ratio: {verdict(cpu <= TARGET_RATIO)}; "
                f"p99 < {TARGET_P99_MS:g} ms at {opts.rate:g}/s: {verdict(in_time)}]"
            )
        print(line, flush=True)


# ---------------------------------------------------------------------- startup


async def startup(fake: TimedFake, opts: Options, dbs: Databases, folder: Path) -> None:
    """Seconds from process start to the first answered update, shipped content; also the
    CPU seconds the process used until then (less dependent on what else runs)."""
    print(
        f"\nStartup to the first answered update (polling, shipped content; median of "
        f"{opts.startups}; CPU seconds of the bot process until then in brackets):",
        flush=True,
    )
    user = 900_000_000
    wall, cpu = await _start_once(fake, echo_bot(fake, "polling"), folder, user)
    print(f"  {'echo bot':<34} {wall:5.2f} s ({cpu:.2f} s CPU)", flush=True)
    for kind in opts.databases:
        fresh: list[tuple[float, float]] = []
        again: list[tuple[float, float]] = []
        for _ in range(opts.startups):
            url = await dbs.fresh(kind)
            for starts in (fresh, again):
                user += 10
                bot = lotse_bot(fake, "polling", kind, url, folder)
                starts.append(await _start_once(fake, bot, folder, user))
        for what, starts in ((f"new database ({kind})", fresh), (f"restart ({kind})", again)):
            wall = statistics.median(w for w, _ in starts)
            cpu = statistics.median(c for _, c in starts)
            print(
                f"  lotse run, {what:<23} {wall:5.2f} s ({cpu:.2f} s CPU)  "
                f"[< {TARGET_STARTUP_S:g} s: {verdict(wall < TARGET_STARTUP_S)}]",
                flush=True,
            )


async def _start_once(fake: TimedFake, bot: Bot, folder: Path, user: int) -> tuple[float, float]:
    """Wall seconds to the first answer, and the bot's CPU seconds until then."""
    async with running(fake, bot, folder, user, think=0) as session:
        wall = await session.start()
        return wall, session.process.usage().cpu_seconds


# ---------------------------------------------------------------------- memory


def offers_content(folder: Path, count: int) -> Path:
    """The shipped content plus `count` generated offers (as `lotse offers import` would
    add them, in offers-imported.yaml)."""
    from bench.matching import generate_offers
    from bot.content.loader import load_content

    target = folder / "content-offers"
    shutil.copytree(folder / "content", target, dirs_exist_ok=True)
    content = load_content(folder / "content", folder / "knowledge")
    offers = [
        o.model_dump(mode="python", exclude_defaults=True) for o in generate_offers(content, count)
    ]
    with (target / "offers-imported.yaml").open("w", encoding="utf-8") as out:
        yaml.dump(
            {"offers": offers}, out, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False
        )
    return target


async def memory(fake: TimedFake, opts: Options, dbs: Databases, folder: Path) -> None:
    """Open conversations live in the database: the process should not grow with them."""
    print(
        f"\nMemory: {opts.conversations:,} open conversations and {opts.offers:,} offers "
        "(lotse run, polling, SQLite):",
        flush=True,
    )
    made = time.perf_counter()
    content_dir = offers_content(folder, opts.offers)
    print(f"  ({opts.offers:,} offers generated in {time.perf_counter() - made:.0f} s)")
    bot = lotse_bot(fake, "polling", "sqlite", dbs.sqlite(), folder, content_dir.name)
    async with running(fake, bot, folder, 1_000_000_000, think=1.1) as session:
        started = await session.start(timeout=900)
        print(
            f"  startup with {opts.offers:,} offers: {started:.1f} s, "
            f"memory {session.process.usage().rss_mb:.0f} MB "
            f"(peak while loading {session.process.usage().peak_rss_mb:.0f} MB)",
            flush=True,
        )
        chunk = max(1, opts.conversations // 4)
        opened = 0
        while opened < opts.conversations:
            step = min(chunk, opts.conversations - opened)
            figures = await session.citizens.first_messages(step, opts.in_flight)
            opened += step
            usage = session.process.usage()
            print(
                f"  {opened:>7,} conversations opened: memory {usage.rss_mb:.0f} MB "
                f"({figures.updates_per_second:.0f} upd/s, {figures.unanswered} lost)",
                flush=True,
            )
        walked = await session.citizens.walk(opts.walkers)
        usage = session.process.usage()
        print(
            f"  {opts.walkers} citizens walked the whole path ({walked.answered} answers, "
            f"offers ranked among {opts.offers:,}): memory {usage.rss_mb:.0f} MB",
            flush=True,
        )
        target = f"< {TARGET_MEMORY_MB:g} MB with 10,000 conversations and 100,000 offers: "
        if opts.conversations >= 10_000 and opts.offers >= 100_000:
            target += verdict(usage.peak_rss_mb < TARGET_MEMORY_MB)
        else:
            target += "see --conversations 10000 --offers 100000"
        print(f"  peak memory {usage.peak_rss_mb:.0f} MB  [{target}]", flush=True)


# ---------------------------------------------------------------------- profile


async def profile(fake: TimedFake, opts: Options, dbs: Databases, folder: Path) -> None:
    """The real bot under cProfile during a closed-loop run: where the time goes."""
    stats_file = folder / "lotse.prof"
    bot = lotse_bot(fake, "polling", "sqlite", dbs.sqlite(), folder)
    bot = dataclasses.replace(bot, args=["-m", "bench.profiled_run", str(stats_file)])
    async with running(fake, bot, folder, 1_500_000_000, opts.think) as session:
        await session.start()
        await session.citizens.open_loop(opts.rate / 4, opts.warmup)
        os.kill(session.process.pid, signal.SIGUSR1)
        phase = await session.phase("closed", opts)
        os.kill(session.process.pid, signal.SIGUSR2)
        await session.fake.wait_for(stats_file.exists, timeout=30, poll=0.1)
    updates = phase.figures.answered
    stats = pstats.Stats(str(stats_file), stream=sys.stdout)
    print(
        f"\nProfile of lotse run (SQLite, polling), CPU time during {updates} answered updates "
        f"in a closed loop ({phase.cpu_ms_per_update:.1f} ms CPU per update with the profiler):"
    )
    print("\n".join(summary_lines(stats, updates)))
    print("\nFunctions by own time, then by cumulative time (coroutines count once per resume):")
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(50)


# ---------------------------------------------------------------------- main


async def run(opts: Options) -> None:
    if "postgres" in opts.databases and not await postgres_available():
        print(f"PostgreSQL not reachable at {POSTGRES_URL}: measuring SQLite only")
        opts.databases = [d for d in opts.databases if d != "postgres"]
    with tempfile.TemporaryDirectory(prefix="lotse-bench-") as temp:
        folder = opts.workdir or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        freeze_content(folder)
        dbs = Databases(folder)
        async with TimedFake() as fake:
            try:
                await _run_all(fake, opts, dbs, folder)
            finally:
                await dbs.drop_all()


async def _run_all(fake: TimedFake, opts: Options, dbs: Databases, folder: Path) -> None:
    print(machine(), flush=True)
    if "load" in opts.parts:
        await load_tests(fake, opts, dbs, folder)
    if "startup" in opts.parts and opts.startups:
        await startup(fake, opts, dbs, folder)
    if "memory" in opts.parts and opts.conversations:
        await memory(fake, opts, dbs, folder)
    if "profile" in opts.parts:
        await profile(fake, opts, dbs, folder)
    print(f"\nAt the end: {machine()}")


def machine() -> str:
    """Cores and load: on a shared machine the rates and latencies depend on it."""
    load = Path("/proc/loadavg").read_text().split()[0]
    return f"machine: {os.cpu_count()} cores, load average {load} (1 min)"


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run of about 30 s (load, polling, SQLite)"
    )
    parser.add_argument("--rate", type=float, help="open loop: messages per second")
    parser.add_argument("--seconds", type=float, help="length of each measured run")
    parser.add_argument("--warmup", type=float, help="seconds of light load first")
    parser.add_argument("--in-flight", type=int, help="closed loop: messages in flight")
    parser.add_argument("--think", type=float, help="seconds between answer and next message")
    parser.add_argument("--modes", nargs="+", choices=["polling", "webhook"])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"])
    parser.add_argument("--startups", type=int, help="starts measured per database (0: none)")
    parser.add_argument("--conversations", type=int, help="memory run (0: none)")
    parser.add_argument("--offers", type=int, help="offers in the memory run")
    parser.add_argument("--walkers", type=int, help="memory run: citizens walking the path")
    parser.add_argument("--parts", nargs="+", choices=PARTS, help="what to run (default: all)")
    parser.add_argument("--profile", action="store_true", help="also cProfile the real bot")
    parser.add_argument("--workdir", type=Path, help="keep logs, SQLite files, content here")
    args = vars(parser.parse_args(argv))
    opts = dataclasses.replace(PRESETS["quick" if args.pop("quick") else "full"])
    if args.pop("profile"):
        opts.parts = [*(args.pop("parts") or opts.parts), "profile"]
    for name, value in args.items():
        if value is not None and value is not False:
            setattr(opts, name, value)
    return opts


def main(argv: list[str] | None = None) -> None:
    asyncio.run(run(parse_options(argv)))


if __name__ == "__main__":
    main()
