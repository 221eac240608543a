"""The WhatsApp webhook on a real aiohttp server on 127.0.0.1, talking to the fake Cloud API
(tests/fakes/whatsapp_api.py), as `lotse web` runs it with WHATSAPP_TOKEN set."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.store.db import Database
from bot.whatsapp.channel import WhatsAppChannel
from bot.whatsapp.webhook import mount_whatsapp
from tests.fakes.whatsapp_api import PHONE_NUMBER_ID, TOKEN, FakeCloudApi
from tests.helpers import free_port

VERIFY_TOKEN = "verify-me"


def whatsapp_env(meta: FakeCloudApi) -> dict[str, str]:
    """The settings that point the WhatsApp channel at the fake Cloud API."""
    return {
        "WHATSAPP_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": meta.secret,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_API_URL": meta.base_url,
    }


@dataclass
class WhatsAppServer:
    db: Database
    engine: DialogEngine
    channel: WhatsAppChannel
    runner: web.AppRunner
    url: str  # the webhook: http://127.0.0.1:<port>/whatsapp
    waits: list[float] = field(default_factory=list)  # what the sender waited out
    notified: list[int] = field(default_factory=list)

    @classmethod
    async def start(
        cls,
        db_url: str,
        content: Content,
        matchers: Matchers,
        meta: FakeCloudApi,
        coordinators: frozenset[tuple[str, str]] = frozenset(),
    ) -> WhatsAppServer:
        settings = Settings.from_env({"DATABASE_URL": db_url, **whatsapp_env(meta)})
        db = Database(db_url)
        await db.migrate()
        engine = DialogEngine(content, db, matchers, coordinators=coordinators)
        app = web.Application()
        notified: list[int] = []
        channel = mount_whatsapp(app, engine, settings, on_notify=lambda: notified.append(1))
        waits: list[float] = []

        async def no_sleep(seconds: float) -> None:  # recorded, never waited
            waits.append(seconds)

        channel.api.sleep = no_sleep
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        url = f"http://127.0.0.1:{port}/whatsapp"
        meta.webhook = url
        return cls(db, engine, channel, runner, url, waits, notified)

    async def stop(self) -> None:
        await self.runner.cleanup()
        await self.db.close()
