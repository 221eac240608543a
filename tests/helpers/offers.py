"""A Verein entering an offer in the chat, as test_submissions and test_erasure need it."""

from __future__ import annotations

from bot.dialogs.engine import DialogEngine
from tests.helpers.chat import Chat

TITLE = "Vorleser für die Kita gesucht"
SUMMARY = "Einmal pro Woche den Kindern eine Geschichte vorlesen."


async def submit_offer(engine: DialogEngine, user: str = "verein", summary: str = SUMMARY) -> Chat:
    """The seven questions answered, consent given: the offer waits for review."""
    chat = Chat(engine, user=user)
    await chat.say("Hallo")
    await chat.press("Verein")
    assert "Wie soll das Angebot heißen" in chat.text
    for answer in (
        TITLE,
        summary,
        "Kinder",
        "Zschepen",
        "jeden Dienstag 16 Uhr",
        "Kita Sonnenschein e. V.",
        "0171 1234567",
    ):
        await chat.say(answer)
    assert "Einverstanden" in chat.text
    await chat.press("Ja")
    assert "zur Prüfung" in chat.text
    return chat
