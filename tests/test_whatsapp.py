"""The WhatsApp channel end to end: Meta's signed webhook into a real aiohttp server on
127.0.0.1, the core, and the fake Cloud API (tests/fakes/whatsapp_api.py) for what goes out."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.content.model import Content
from bot.dialogs.turn import Matchers
from tests.fakes.whatsapp_api import FakeCloudApi
from tests.helpers.whatsapp import WhatsAppServer

ANNA = "4915112345678"


@pytest.fixture
async def meta() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi(secret="app-secret") as fake:
        yield fake


@pytest.fixture
async def server(
    meta: FakeCloudApi, content: Content, matchers: Matchers, sqlite_url: str
) -> AsyncIterator[WhatsAppServer]:
    running = await WhatsAppServer.start(sqlite_url, content, matchers, meta)
    yield running
    await running.stop()


async def test_first_message_gets_the_welcome_and_the_menu(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    anna = meta.person(ANNA)
    sent = await anna.send("Hallo")
    for s in sent:
        print(s.kind, s.body)
    assert sent
