"""The web chat's side of the conversation: a browser session talks to the same core.

No HTTP here (that is bot/web/app.py): a person is the id derived from their session
cookie, what they send becomes an `Event` for `DialogEngine.handle`, and what comes back
is stored as transcript lines, so a reload shows the conversation and the current question.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogs.engine import MAX_TEXT, DialogEngine
from bot.leads import invites
from bot.messages import Event, Message, Outcome, Sender, storable
from bot.store import handover, repo
from bot.store.db import Database
from bot.store.models import User
from bot.web import transcript
from bot.web.security import valid_payload
from bot.web.transcript import Line

CHANNEL = "web"
# Links for Telegram only: an invite would make a web session a Lotse, and a web session
# cannot take over another web conversation.
_NOT_HERE = (invites.PREFIX, handover.PREFIX)
# The page's own buttons for commands (Telegram's /meine_daten …), with the text of the
# button: the web texts name these buttons instead of telling people to type a command,
# and the page turns each such name in a text (web_command_<name>) into the button.
COMMANDS = {
    "meine_daten": "web_my_data",
    "loeschen": "web_erase",
    "datenschutz": "web_privacy",
    "sprache": "web_language",
    "start": "web_start",
    "hilfe": "web_help",
}


@dataclass(frozen=True)
class Said:
    """What the page sent: exactly one of the fields is set."""

    text: str | None = None
    button: str | None = None
    start: str | None = None  # a deep-link payload ('' for a plain /start)
    location: tuple[float, float] | None = None
    command: str | None = None  # one of COMMANDS: a button of the page


@dataclass
class Turn:
    lines: list[Line]
    reset: bool = False  # the conversation is gone (deleted by the person): clear the page


@dataclass
class History:
    lines: list[Line]
    started: bool  # False: a new person, the page starts the conversation


class WebChat:
    def __init__(
        self,
        engine: DialogEngine,
        *,
        bot_username: str | None = None,
        on_notify: Callable[[], None] | None = None,
    ) -> None:
        self.engine = engine
        self.bot_username = bot_username
        self.on_notify = on_notify or (lambda: None)  # wakes the Telegram outbox worker
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def db(self) -> Database:
        return self.engine.db

    def _lock(self, person: str) -> asyncio.Lock:
        """One event at a time per person, so the transcript keeps the order of the turns."""
        if len(self._locks) > 5_000:
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return self._locks.setdefault(person, asyncio.Lock())

    async def history(self, person: str, after: int = 0) -> History:
        """The conversation so far (lines after `after`) and messages that waited for it."""
        async with self._lock(person):
            user = await self._user(person)
            if user is None:
                return History([], started=False)
            async with self.db.session() as session, session.begin():
                started = await transcript.has_conversation(session, user.id)
                lines = await transcript.load(session, user.id, after)
                notes = await self._take_notifications(session, user.id)
                await transcript.append(session, user.id, notes)
            if started and not lines and not after:
                # A conversation without transcript (e.g. begun before a crash): ask again.
                lines = (await self._run(person, None, Event(self._sender(person), "resume"))).lines
            return History(lines + notes, started)

    async def send(self, person: str, said: Said, language: str | None = None) -> Turn:
        async with self._lock(person):
            sender = self._sender(person, language)
            echo, event = await self._event(person, sender, said)
            return await self._run(person, echo, event)

    async def telegram_link(self, person: str) -> str | None:
        """A one-time link that continues this conversation on Telegram (None: not offered)."""
        if not self.bot_username:
            return None
        user = await self._user(person)
        if user is None:
            return None
        async with self.db.session() as session, session.begin():
            if not await transcript.has_conversation(session, user.id):
                return None
            code = await handover.create_code(session, user)
        return f"https://t.me/{self.bot_username}?start={handover.PREFIX}{code}"

    # --- inside --------------------------------------------------------------------------

    def _sender(self, person: str, language: str | None = None) -> Sender:
        return Sender(CHANNEL, person, language)

    async def _user(self, person: str) -> User | None:
        async with self.db.session() as session:
            return await session.scalar(
                select(User).where(User.channel == CHANNEL, User.external_id == person)
            )

    async def _event(self, person: str, sender: Sender, said: Said) -> tuple[Line | None, Event]:
        """The core event for what the page sent, and the line that shows it in the chat."""
        if said.button is not None:
            label = await self._label(person, said.button)
            echo = Line("user", label) if label else None
            return echo, Event.button(sender, said.button[:64])
        if said.location is not None:
            content = self.engine.content  # the line shows what was pressed, as labelled
            label = content.text("web_share_location", content.language(sender.language))
            return Line("user", label), Event.location(sender, *said.location)
        if said.command in COMMANDS:
            content = self.engine.content
            label = content.text(COMMANDS[said.command], sender.language or content.languages[0])
            return Line("user", label), Event(sender, "command", command=said.command)
        if said.start is not None:
            payload = said.start if valid_payload(said.start) else ""
            return None, _safe(Event(sender, "command", text=payload, command="start"))
        text = storable(said.text or "")[:MAX_TEXT]
        return Line("user", text), _safe(Event.message(sender, text))

    async def _label(self, person: str, data: str) -> str | None:
        user = await self._user(person)
        if user is None:
            return None
        async with self.db.session() as session:
            return await transcript.button_label(session, user.id, data)

    async def _take_notifications(self, session: AsyncSession, user_id: int) -> list[Line]:
        """Messages that waited for the page; a {/command} in them names the page's button
        (they were written before anyone knew where the person would read them)."""
        content = self.engine.content
        # Written in the person's language when queued: the buttons' names in it too.
        lang = content.language(await repo.language_of(session, user_id))
        notes = await transcript.take_notifications(session, user_id)
        return [replace(note, text=content.commands(note.text, lang, CHANNEL)) for note in notes]

    async def _run(self, person: str, echo: Line | None, event: Event) -> Turn:
        shown: list[Line] = []

        async def record(session: AsyncSession, user_id: int, replies: list[Message]) -> None:
            """The transcript, in the turn's own transaction (see `DialogEngine.handle`)."""
            said = [echo, *map(Line.reply, replies)] if echo else [*map(Line.reply, replies)]
            await transcript.append(session, user_id, said)
            notes = await self._take_notifications(session, user_id)
            await transcript.append(session, user_id, notes)
            shown[:] = [*said, *notes]

        outcome: Outcome = await self.engine.handle(event, record)
        if outcome.notifications:
            self.on_notify()  # already in the outbox, written with the change
        if shown:
            return Turn(shown)
        # Not recorded: the person deleted their data in this turn, or the turn failed and
        # was rolled back (its apology is shown, not stored; the question stays the same).
        lines = [Line.reply(message) for message in outcome.replies]
        return Turn(lines, reset=not await self._has_conversation(person))

    async def _has_conversation(self, person: str) -> bool:
        user = await self._user(person)
        if user is None:
            return False
        async with self.db.session() as session:
            return await transcript.has_conversation(session, user.id)


def _safe(event: Event) -> Event:
    """Invite and handover links are for Telegram: here they are a plain /start."""
    if event.kind == "command" and event.command == "start" and event.text.startswith(_NOT_HERE):
        return replace(event, text="")
    return event
