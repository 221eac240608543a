"""Any text a person can send gets a sensible reply and never an exception."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.messages import Event
from bot.store.db import Database
from bot.store.models import Conversation
from tests.helpers.chat import Chat

pytestmark = pytest.mark.small_content  # the tests' own content: see tests/conftest.py


NASTY = [
    "",
    "   ",
    "x" * 5000,
    "🙂🙂🙂🚒⚽",
    "\x00\x01\x02\x1b[31m",
    "Ma\ud800ria\udfff",  # lone surrogates: not UTF-8, no database may store them
    "\u202eevil\u202c",
    "z\u200bero\u200dwidth",
    "e\u0301\u0301\u0301",
    "مرحبا، أريد المساعدة",
    "Привет, я хочу помочь",
    "'; DROP TABLE leads; --",
    "<b>fett</b> <script>alert(1)</script>",
    "{place} {0} {{}} %s",
    "/",
    "/unbekannt",
    "/start@lotse_bot extra words",
    "12345678901234567890",
    "999",
]


@pytest.mark.parametrize("step_path", [[], ["engagieren"]])
async def test_nasty_text_never_raises(chat: Chat, db: Database, step_path: list[str]) -> None:
    await chat.say("Hallo")
    for label in step_path:
        await chat.press(label)
    for text in NASTY:
        outcome = await chat.say(text)
        assert outcome.replies and all(m.text.strip() for m in outcome.replies)
        assert "schiefgelaufen" not in chat.text, f"error reply for {text!r}"
    async with db.session() as session:
        assert (await session.scalars(select(Conversation))).one().step


async def test_nasty_text_at_every_step(chat: Chat) -> None:
    steps = ["Hallo", "1", "Sport", "Taucha", "1", "1", "1", "1", "Maria"]
    for answer in steps:
        for text in NASTY[:12]:
            await chat.say(text)
            assert "schiefgelaufen" not in chat.text, f"error reply for {text!r}"
        # Move on with a number: it presses the button of that position when there is one.
        await chat.say(answer) if not answer.isdigit() else await chat.press(chat.labels[0])


async def test_unsupported_message_kinds_get_a_hint(chat: Chat) -> None:
    await chat.say("Hallo")
    await chat.send(Event(chat.sender, "unsupported"))
    assert "Textnachricht" in chat.text
    assert chat.labels  # the current question is shown again


async def test_location_outside_anything_is_handled(chat: Chat) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Sport")
    await chat.send(Event.location(chat.sender, -33.9, 151.2))  # Sydney
    assert "außerhalb" in chat.text
