"""`lotse chat`: talk to the bot in the terminal.

Interactive on a terminal; when standard input is a pipe, one message per line, replies
printed with buttons as `[1] label`, so a conversation can be scripted. Typing a button's
number presses it. Notifications for Lotsen appear in the same output, clearly marked.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TextIO

from bot.dialogs.engine import DialogEngine
from bot.ids import parse_id
from bot.messages import Button, Event, Message, Outcome, Sender

RULE = "─" * 60


class ConsoleChat:
    def __init__(
        self, engine: DialogEngine, user: str, language: str | None, out: TextIO = sys.stdout
    ) -> None:
        self.engine = engine
        self.sender = Sender("console", user, language)
        self.out = out
        self.buttons: tuple[Button, ...] = ()

    async def send(self, line: str) -> Outcome:
        typed = line.strip()
        number = parse_id(typed)
        if number is not None and 0 < number <= len(self.buttons):
            event = Event.button(self.sender, self.buttons[number - 1].data)
        elif typed.lower().startswith("/ort ") and _coordinates(typed[5:]):
            event = Event.location(self.sender, *_coordinates(typed[5:]))  # type: ignore[misc]
        else:
            event = Event.message(self.sender, line)
        outcome = await self.engine.handle(event)
        self.show(outcome)
        return outcome

    def show(self, outcome: Outcome) -> None:
        content = self.engine.content
        # The terminal's own words in the person's language (it may have just switched).
        lang = content.language(outcome.language or self.sender.language)
        hint = content.text("console_location_hint", lang)
        for message in outcome.replies:
            self._print_message(message, hint=hint)
            if message.buttons:
                self.buttons = message.buttons
        for note in outcome.notifications:
            who = note.recipient
            heading = content.text(
                "console_notification", lang, name=who.name, role=who.role, id=who.id
            )
            self._write(f"\n{RULE}\n{heading}\n")
            self._print_message(note.message, numbered=False)
            self._write(f"{RULE}\n")

    def _print_message(self, message: Message, numbered: bool = True, hint: str = "") -> None:
        self._write(f"\n{message.text}\n")
        for index, button in enumerate(message.buttons, start=1):
            self._write(f"[{index}] {button.label}\n" if numbered else f"[ {button.label} ]\n")
        if message.attachment is not None:
            self._write(f"📎 {message.attachment.filename}:\n")
            self._write(message.attachment.content.decode("utf-8", "replace") + "\n")
        if message.request_location and hint:
            self._write(f"{hint}\n")

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()


def _coordinates(text: str) -> tuple[float, float] | None:
    parts = text.replace(",", " ").split()
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (ValueError, IndexError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def learn_while_typing(engine: DialogEngine) -> threading.Thread:
    """The classifiers learn (2–3 s) in a daemon thread while the person reads the greeting
    and types, so the first answer does not wait for them. `input()` blocks the event loop,
    so DialogEngine.keep_faq_ready (which needs the loop) cannot do it here; both learners
    take a lock, so a message that comes first only waits for the rest."""

    def learn() -> None:
        for learner in (engine.matchers.understanding, engine.matchers.faq):
            try:
                learner.prepare()
            except Exception:  # the first message tries again and says what failed
                return

    thread = threading.Thread(target=learn, name="lotse-learn", daemon=True)
    thread.start()
    return thread


async def run_chat(
    engine: DialogEngine,
    user: str,
    language: str | None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    read_line: Callable[[str], str] | None = None,
) -> None:
    chat = ConsoleChat(engine, user, language, out)
    if not stdin.isatty():
        for line in stdin:
            out.write(f"\n> {line.rstrip()}\n")
            await chat.send(line.rstrip("\n"))
        return
    out.write("Engagement-Lotse im Terminal. Beenden mit Strg+D. Zahl tippen = Schaltfläche.\n")
    learn_while_typing(engine)
    chat.show(await engine.handle(Event(chat.sender, "resume")))
    prompt = read_line or input
    while True:
        try:
            line = prompt("\nSie: ")
        except (EOFError, KeyboardInterrupt):
            out.write("\nTschüss!\n")
            return
        await chat.send(line)
