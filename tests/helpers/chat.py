"""Driving the conversation core like a person, and the `lotse` command as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.dialogs.engine import DialogEngine
from bot.messages import Button, Event, Message, Outcome, Sender
from tests.helpers import ROOT


class Chat:
    """Drives the core like a person would: type, press buttons by label, read replies."""

    def __init__(self, engine: DialogEngine, user: str = "anna", language: str | None = "de"):
        self.engine = engine
        self.sender = Sender("test", user, language)
        self.last: Outcome = Outcome()
        self.buttons: tuple[Button, ...] = ()

    async def send(self, event: Event) -> Outcome:
        self.last = await self.engine.handle(event)
        assert self.last.replies, f"no reply to {event}"
        with_buttons = [m for m in self.last.replies if m.buttons]
        if with_buttons:
            self.buttons = with_buttons[-1].buttons
        return self.last

    async def say(self, text: str) -> Outcome:
        return await self.send(Event.message(self.sender, text))

    async def press(self, label_part: str) -> Outcome:
        matches = [b for b in self.buttons if label_part.lower() in b.label.lower()]
        assert matches, f"no button with {label_part!r} in {[b.label for b in self.buttons]}"
        return await self.send(Event.button(self.sender, matches[0].data))

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.last.replies)

    @property
    def labels(self) -> list[str]:
        return [b.label for b in self.buttons]

    def last_message(self) -> Message:
        return self.last.replies[-1]


async def walk_to_results(chat: Chat) -> None:
    """The volunteer path to the offers: children, Delitzsch, regularly, evenings."""
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("was mit Kindern")
    await chat.say("Delitzsch")
    await chat.press("Regelmäßig")
    await chat.press("Abends")


def run_lotse(
    *args: str, db: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a newcomer runs it, against the SQLite file `db`."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=120,
        check=False,
    )
