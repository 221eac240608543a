"""Observability: /metrics and /health of the real app over HTTP, and the log formats."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot import clock as product_clock
from bot import logs
from bot.config import Settings
from bot.content.model import Content
from bot.store.db import Database
from bot.store.models import Lead, OutboxMessage, User
from bot.telegram.metrics import Metrics
from bot.telegram.ops import OpsEndpoints
from tests.fakes.telegram_api import FakeTelegram
from tests.helpers import free_port
from tests.helpers.telegram import Running, lotse_process, settings_for, stop_process, walk_to_lead

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(port: int) -> Samples:
    """GET /metrics and parse it with Prometheus' own parser (so the format must be right)."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/metrics") as response,
    ):
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        body = await response.text()
    samples: Samples = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def get_json(url: str) -> tuple[int, dict[str, str]]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.json()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.mark.slow
async def test_metrics_count_updates_errors_and_read_leads_from_the_database(
    fake: FakeTelegram, content: Content, sqlite_url: str
) -> None:
    port = free_port()
    run = Running(settings_for(fake, sqlite_url, METRICS_PORT=str(port)), content)
    await run.start()
    try:
        await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls))
        before = await scrape(port)
        assert value(before, "lotse_updates_total", kind="message") == 0
        assert value(before, "lotse_database_up") == 1

        fake.fail_next("sendMessage", status=502, times=1)  # retried by the sender
        user = fake.user(1001)
        await walk_to_lead(user)
        after = await scrape(port)

        messages = value(after, "lotse_updates_total", kind="message")
        presses = value(after, "lotse_updates_total", kind="callback_query")
        assert messages >= 6 and presses >= 4  # walk_to_lead: 6 typed, 4 pressed, 1 location
        handled = sum(
            value(after, "lotse_updates_total", kind=kind)
            for kind in ("message", "callback_query", "edited_message")
        )
        assert value(after, "lotse_reply_seconds_count") == handled
        assert value(after, "lotse_reply_seconds_bucket", le="+Inf") == handled
        assert value(after, "lotse_telegram_errors_total", code="502", method="sendMessage") == 1

        async with run.db.session() as session:
            rows = await session.execute(select(Lead.status, func.count()).group_by(Lead.status))
            by_state = {state: count for state, count in rows.all()}
            pending = await session.scalar(
                select(func.count()).where(OutboxMessage.status == "pending")
            )
            citizen = await session.scalar(select(User.id).where(User.external_id == "1001"))
        assert sum(by_state.values()) == 1
        for state, count in by_state.items():
            assert value(after, "lotse_leads", state=state) == count
        assert value(after, "lotse_outbox_pending") == pending

        # Read at scrape time: rows written by anyone (another process) show up at once.
        now = product_clock.now()
        async with run.db.session() as session, session.begin():
            for status in ("placed", "placed", "expired"):
                session.add(
                    Lead(user_id=citizen, status=status, consent_version="v", consent_at=now)
                )
            session.add(
                OutboxMessage(
                    recipient_role="lotse",
                    recipient_id="nobody-yet",
                    text="x",
                    created_at=now - dt.timedelta(minutes=5),
                    next_attempt_at=now + dt.timedelta(hours=1),
                )
            )
        later = await scrape(port)
        assert value(later, "lotse_leads", state="placed") == 2
        assert value(later, "lotse_leads", state="expired") == 1
        assert value(later, "lotse_leads", state="withdrawn") == 0  # every state is present
        assert value(later, "lotse_outbox_pending") == pending + 1

        status, health = await get_json(f"http://127.0.0.1:{port}/health")
        assert status == 200
        assert health == {"status": "ok", "mode": "polling", "database": "ok"}
    finally:
        await run.stop()


async def test_webhook_mode_serves_metrics_and_health_on_its_port(
    fake: FakeTelegram, content: Content, sqlite_url: str
) -> None:
    port = free_port()
    settings = settings_for(
        fake,
        sqlite_url,
        WEBHOOK_URL="https://bot.example.org",
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET="s3cret",
    )
    run = Running(settings, content)
    await run.start()
    try:
        await fake.wait_for(lambda: any(m == "setWebhook" for m, _ in fake.calls))
        update = {
            "update_id": 7,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1001, "type": "private"},
                "from": {"id": 1001, "is_bot": False, "first_name": "Anna"},
                "text": "Hallo",
            },
        }
        async with aiohttp.ClientSession() as http:
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            async with http.post(
                f"http://127.0.0.1:{port}/telegram", json=update, headers=headers
            ) as response:
                assert response.status == 200
        await fake.wait_for_text(1001, "willkommen")
        samples = await scrape(port)
        assert value(samples, "lotse_updates_total", kind="message") == 1
        assert value(samples, "lotse_reply_seconds_count") == 1
        status, health = await get_json(f"http://127.0.0.1:{port}/health")
        assert (status, health["mode"]) == (200, "webhook")
    finally:
        await run.stop()


async def test_database_gauges_on_sqlite_and_postgres(any_db_url: str) -> None:
    """The scrape-time queries on both databases: leads by state, outbox length and age."""
    db = Database(any_db_url)
    await db.migrate()
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    try:
        async with db.session() as session, session.begin():
            user = User(channel="test", external_id="1", language="de")
            session.add(user)
            await session.flush()
            for status in ("offered", "offered", "accepted", "placed"):
                session.add(
                    Lead(user_id=user.id, status=status, consent_version="v", consent_at=now)
                )
            for minutes_old, due_in, status in (
                (30, -1, "pending"),
                (90, 60, "pending"),
                (99, -5, "sent"),
            ):
                session.add(
                    OutboxMessage(
                        recipient_role="citizen",
                        recipient_id=str(user.id),
                        text="x",
                        status=status,
                        created_at=now - dt.timedelta(minutes=minutes_old),
                        next_attempt_at=now + dt.timedelta(minutes=due_in),
                    )
                )
        metrics = Metrics()
        await metrics.refresh(db, now)
        sample = metrics.registry.get_sample_value
        assert sample("lotse_leads", {"state": "offered"}) == 2
        assert sample("lotse_leads", {"state": "accepted"}) == 1
        assert sample("lotse_leads", {"state": "new"}) == 0
        assert sample("lotse_outbox_pending") == 2  # the sent one does not count
        # Only the due one counts for the age (the other waits, e.g. for quiet hours).
        assert sample("lotse_outbox_oldest_due_seconds") == 30 * 60
    finally:
        await db.close()


async def test_health_says_503_when_the_database_is_gone_and_metrics_still_answer() -> None:
    """A database nobody listens on (port 1): health fails, process metrics remain."""
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/nothing")
    ops = OpsEndpoints(db, Metrics(), "polling")
    port = free_port()
    runner = await ops.serve("127.0.0.1", port)
    try:
        status, health = await get_json(f"http://127.0.0.1:{port}/health")
        assert status == 503
        assert health == {"status": "degraded", "mode": "polling", "database": "unreachable"}
        samples = await scrape(port)
        assert value(samples, "lotse_database_up") == 0
        assert ("lotse_updates_total", (("kind", "message"),)) in samples
    finally:
        await runner.cleanup()
        await db.close()


def test_metrics_listen_on_this_machine_only_unless_told() -> None:
    assert Settings.from_env({}).metrics_host == "127.0.0.1"
    assert Settings.from_env({"METRICS_HOST": "0.0.0.0"}).metrics_host == "0.0.0.0"
    assert "s3cret" not in repr(Settings.from_env({"METRICS_TOKEN": "s3cret"}))


async def test_metrics_token_guards_metrics_but_not_health(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/lotse.sqlite3")
    await db.migrate()
    ops = OpsEndpoints(db, Metrics(), "polling", token="s3cret")
    port = free_port()
    runner = await ops.serve("127.0.0.1", port)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
                async with http.get(f"{url}/metrics", headers=headers) as response:
                    assert response.status == 401, headers
                    assert "lotse_" not in await response.text()
            authorised = {"Authorization": "Bearer s3cret"}
            async with http.get(f"{url}/metrics", headers=authorised) as response:
                assert response.status == 200
                assert "lotse_database_up" in await response.text()
        status, health = await get_json(f"{url}/health")
        assert (status, health["status"]) == (200, "ok")
    finally:
        await runner.cleanup()
        await db.close()


# ---------------------------------------------------------------------------- logs


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def restore_logging() -> AsyncIterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def test_log_format_is_text_on_a_terminal_and_json_otherwise(restore_logging: None) -> None:
    log = logging.getLogger("bot.test")
    terminal, pipe = Terminal(), io.StringIO()
    logs.configure(logging.INFO, stream=terminal)
    log.info("tick: %d steps done", 3, extra={"steps": 3})
    logs.configure(logging.INFO, stream=pipe)
    log.info("tick: %d steps done", 3, extra={"steps": 3})
    assert " INFO bot.test: tick: 3 steps done steps=3" in terminal.getvalue()
    [line] = pipe.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "bot.test"
    assert entry["message"] == "tick: 3 steps done" and entry["steps"] == 3
    assert dt.datetime.fromisoformat(entry["time"]).tzinfo is not None
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logs.configure(logging.INFO, "xml", stream=pipe)


def what_a_person_typed() -> str:
    return "Maria Zyx, 0170 5550123"  # (not on the raising line: frames show their source)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_exceptions_are_logged_without_their_message(
    restore_logging: None, log_format: str
) -> None:
    """A database error repeats its parameters: only type and code location may be logged,
    from our failure() and from a library's log.exception() alike."""
    stream = io.StringIO()
    logs.configure(logging.INFO, log_format, stream=stream)
    log = logging.getLogger("bot.test")
    try:
        raise ValueError(what_a_person_typed())
    except ValueError as exc:
        logs.failure(log, "update failed", exc)
        logging.getLogger("aiohttp.server").exception("Error handling request")
    output = stream.getvalue()
    assert "Maria" not in output and "0170" not in output
    assert "update failed: ValueError" in output
    assert "test_metrics.py" in output  # where it happened
    if log_format == "json":
        first, second = (json.loads(line) for line in output.splitlines())
        assert first["message"] == "update failed: ValueError" and "trace" in first
        assert second["error"] == "ValueError" and "trace" in second
    else:
        assert "Error handling request error=ValueError" in output


@pytest.mark.slow
async def test_lotse_run_logs_json_lines_when_not_on_a_terminal(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """A real `lotse run`, its standard error a file: every line is one JSON object."""
    log_file = tmp_path / "run.log"
    process = lotse_process(fake, tmp_path / "run.sqlite3", log_file)
    try:
        user = fake.user(1001)
        await user.send("Hallo")
        await user.wait_for_text("willkommen", timeout=90)
    finally:
        output = await stop_process(process, log_file)
    lines = output.splitlines()
    assert lines
    entries = [json.loads(line) for line in lines]
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    assert any(entry["level"] == "INFO" for entry in entries)


@pytest.mark.slow
async def test_lotse_run_logs_text_when_asked(fake: FakeTelegram, tmp_path: Path) -> None:
    log_file = tmp_path / "run.log"
    process = lotse_process(fake, tmp_path / "run.sqlite3", log_file, LOG_FORMAT="text")
    try:
        await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), timeout=90)
    finally:
        output = await stop_process(process, log_file)
    assert " INFO " in output
    assert not output.lstrip().startswith("{")
