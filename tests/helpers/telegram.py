"""The Telegram adapter in tests: in this event loop (``Running``) or as a real `lotse run`
process, against the fake Bot API server (tests/fakes/telegram_api.py)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from bot.config import Settings
from bot.content.model import Content
from bot.content.schema import QuietHours
from bot.runtime.telegram import TelegramApp, make_bot
from bot.store.db import Database
from tests.fakes.telegram_api import FakeMessage, FakeTelegram, FakeUser
from tests.helpers import ROOT

COORDINATOR = 9000
ZSCHORTAU = (51.4793, 12.3589)


def settings_for(fake: FakeTelegram, db_url: str, **extra: str) -> Settings:
    return Settings.from_env(
        {
            "BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.base_url,
            "DATABASE_URL": db_url,
            "COORDINATOR_IDS": str(COORDINATOR),
            "CONTENT_DIR": str(ROOT / "content"),
            "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
            **extra,
        }
    )


class Running:
    """A TelegramApp running in this event loop; stop() shuts it down like SIGTERM."""

    def __init__(self, settings: Settings, content: Content) -> None:
        self.settings, self.content = settings, content
        self.db = Database(settings.database_url)
        self.app: TelegramApp | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> TelegramApp:
        await self.db.migrate()
        self.app = TelegramApp(self.settings, self.content, self.db, make_bot(self.settings))
        self.task = asyncio.create_task(self.app.run(handle_signals=False))
        return self.app

    async def stop(self) -> None:
        if self.app and self.task:
            await self.app.shutdown()
            await asyncio.wait_for(self.task, timeout=10)
        await self.db.close()


def at_any_hour(content: Content) -> Content:
    """The shipped content without quiet hours: messages to citizens (a Lotse took the
    request, an answer) would otherwise wait until 08:00 when the tests run late."""
    never = QuietHours.model_validate({"from": "00:00", "to": "00:00"})
    return dataclasses.replace(
        content, leads=content.leads.model_copy(update={"quiet_hours": never})
    )


async def walk_to_offers(user: FakeUser) -> FakeMessage:
    """The volunteer path to the offers; the message that lists them."""
    await user.send("Hallo")
    await user.wait_for_text("willkommen")
    await user.press_button("engagieren")
    await user.wait_for_text("Was interessiert Sie")
    await user.send("was mit Kindern")
    await user.wait_for_text("In welchem Ort")
    await user.share_location(*ZSCHORTAU)
    await user.wait_for_text("📍 Zschortau")
    await user.wait_for_text("einmal mit anpacken")
    await user.press_button("Regelmäßig")
    await user.wait_for_text("Wann haben Sie")
    await user.send("abends")
    return await user.wait_for_text("Möchten Sie, dass sich ein Lotse")


async def walk_to_lead(user: FakeUser) -> None:
    await walk_to_offers(user)
    await user.press_button("beraten")
    await user.wait_for_text("einverstanden")
    await user.press_button("Ja, einverstanden")
    await user.wait_for_text("Wie darf der Lotse")
    await user.send("Maria")
    await user.wait_for_text("Wie erreicht")
    await user.send("0171 2345678")
    await user.wait_for_text("Ihre Anfrage ist angekommen")


def lotse_process(fake: FakeTelegram, db: Path, log: Path, **extra: str) -> subprocess.Popen[str]:
    """`lotse run` as a real process; its log goes to a file (a pipe could fill and block)."""
    env = {
        **os.environ,
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        **extra,
    }
    with log.open("a") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )


async def stop_process(process: subprocess.Popen[str], log: Path) -> str:
    process.send_signal(signal.SIGTERM)
    await asyncio.to_thread(process.wait, 30)
    return log.read_text(encoding="utf-8")


#: The volunteer path as 1,000 citizens walk it in tests/test_load.py and bench/throughput.py:
#: (what the person types, a part of the answer to wait for).
CITIZEN_PATH = [
    ("Hallo", "willkommen"),
    ("Ich möchte mich engagieren", "Was interessiert Sie"),
    ("Sport", "In welchem Ort"),
    ("Taucha", "einmal mit anpacken"),
    ("egal", "Wann haben Sie"),
    ("flexibel", "Möchten Sie, dass sich ein Lotse"),
    ("Lotse soll mich beraten", "einverstanden"),
    ("ja", "Wie darf der Lotse"),
    ("Überspringen", "Wie erreicht"),
    ("mail@example.org", "Ihre Anfrage ist angekommen"),
]


@contextlib.asynccontextmanager
async def webhook_app(
    fake: FakeTelegram, db_url: str, content: Content, port: int, **env: str
) -> AsyncIterator[tuple[TelegramApp, Database]]:
    """`lotse run` in webhook mode on 127.0.0.1:`port`, running until the block ends; it
    has registered its webhook with the fake Telegram when the block starts."""
    settings = Settings.from_env(
        {
            "BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.base_url,
            "DATABASE_URL": db_url,
            "WEBHOOK_URL": "https://bot.example.org",
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            **env,
        }
    )
    db = Database(db_url)
    await db.migrate()
    app = TelegramApp(settings, content, db, make_bot(settings))
    task = asyncio.create_task(app.run(handle_signals=False))
    try:
        await fake.wait_for(lambda: any(m == "setWebhook" for m, _ in fake.calls))
        yield app, db
    finally:
        await app.shutdown()
        await asyncio.wait_for(task, timeout=10)
        await db.close()
