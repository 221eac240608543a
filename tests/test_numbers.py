"""Every number from outside is parsed strictly and bounded: a bad one gets HTTP 400 or a
friendly reply, never a 500 or an ERROR with a traceback."""

from __future__ import annotations

import logging

import pytest

from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.ids import parse_id
from bot.messages import Event
from bot.store.db import Database
from tests.helpers.chat import Chat
from tests.helpers.leads import join_as_lotse
from tests.helpers.web import ChatServer, PageClient

HOSTILE = ["²", "١٢", "9" * 5000, "9" * 30, "99999999999", "-1", "+1", " 1", "1e3", "", "0x1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_parse_id_refuses_what_is_no_plain_small_number(text: str) -> None:
    assert parse_id(text) is None


def test_parse_id_takes_plain_numbers() -> None:
    assert parse_id("0") == 0 and parse_id("42") == 42 and parse_id("2147483647") == 2147483647


@pytest.mark.parametrize("after", ["²", "9" * 5000, "9" * 30, "abc", "-3"])
async def test_history_after_a_bad_number_is_400(
    any_db_url: str, content: Content, matchers: Matchers, after: str
) -> None:
    server = await ChatServer.start(any_db_url, content, matchers)
    page = PageClient.new(server.base)
    try:
        await page.open()
        await page.send(start="")
        async with page.http.get(
            f"{server.base}/chat/api/history",
            params={"after": after},
            headers={"X-CSRF-Token": page.csrf},
        ) as response:
            assert response.status == 400, await response.text()
            assert "error" in await response.json()
        assert (await page.history(after=0))["lines"]  # a good number still works
    finally:
        await page.close()
        await server.stop()


BUTTONS = [
    "l:²:show",
    "l:١:show",
    f"l:{'9' * 30}:show",
    f"l:{'9' * 5000}:show",
    "w:²",
    f"w:{'9' * 30}",
    f"w:{'9' * 5000}",
    f"f:{'9' * 30}:yes",
    "f:²:yes",
    "or:²:approve",
    f"or:{'9' * 11}:approve",
    "oc:²:keep",
    f"oc:{'9' * 11}:keep",
]


@pytest.mark.parametrize("data", BUTTONS)
async def test_forged_buttons_with_bad_numbers_get_a_friendly_reply(
    any_db_url: str,
    content: Content,
    matchers: Matchers,
    caplog: pytest.LogCaptureFixture,
    data: str,
) -> None:
    db = Database(any_db_url)
    await db.migrate()
    try:
        engine = DialogEngine(content, db, matchers, coordinators={("test", "coord")})
        lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "lotse")
        coordinator = Chat(engine, user="coord")
        await coordinator.say("Hallo")
        for chat in (lotse, coordinator, Chat(engine, user="citizen")):
            caplog.clear()
            with caplog.at_level(logging.WARNING):
                outcome = await chat.send(Event.button(chat.sender, data))
            assert outcome.replies
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR], data
    finally:
        await db.close()


@pytest.mark.parametrize("text", ["²", "9" * 5000, "١٢"])
async def test_a_typed_number_that_is_no_button_is_read_as_text(
    chat: Chat, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    await chat.say("Hallo")
    with caplog.at_level(logging.WARNING):
        await chat.say(text)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
