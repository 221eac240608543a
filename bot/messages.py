"""What goes into the conversation core and what comes out. No transport types here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

# "resume" asks for the current question again (a client reconnecting, the terminal chat starting).
EventKind = Literal["text", "button", "location", "command", "unsupported", "resume"]


# NUL (PostgreSQL refuses it in text) and lone surrogates (not UTF-8: SQLite and the JSON of
# the web chat refuse them): no channel's input may carry them into storage.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` without the characters no database or page can keep; the rest unchanged."""
    return _UNSTORABLE.sub("", text)


@dataclass(frozen=True)
class Sender:
    channel: str  # "telegram", "console", "test" …
    external_id: str  # the channel's id for this person
    language: str | None = None  # e.g. Telegram's language_code


@dataclass(frozen=True)
class Event:
    sender: Sender
    kind: EventKind
    text: str = ""  # message text, or the command's arguments
    data: str = ""  # button payload (callback data)
    command: str = ""  # without the slash: "start", "neu", "hilfe"
    lat: float | None = None
    lon: float | None = None
    key: str | None = None  # the transport's id for this event; a repeat is not run twice

    def __post_init__(self) -> None:
        # Cleaned where every channel's input passes, before anything is stored.
        object.__setattr__(self, "text", storable(self.text))
        object.__setattr__(self, "data", storable(self.data))

    @classmethod
    def message(cls, sender: Sender, text: str) -> Event:
        """A typed message; '/cmd args' becomes a command event."""
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            head, _, args = stripped[1:].partition(" ")
            return cls(sender, "command", text=args.strip(), command=head.split("@")[0].lower())
        return cls(sender, "text", text=text)

    @classmethod
    def button(cls, sender: Sender, data: str) -> Event:
        return cls(sender, "button", data=data)

    @classmethod
    def location(cls, sender: Sender, lat: float, lon: float) -> Event:
        return cls(sender, "location", lat=lat, lon=lon)


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # at most 64 bytes (Telegram's callback_data limit)


@dataclass(frozen=True)
class Attachment:
    """A file sent along with a message (e.g. the person's data as JSON)."""

    filename: str
    content: bytes
    mime: str = "application/json"


@dataclass(frozen=True)
class Message:
    text: str
    buttons: tuple[Button, ...] = ()
    request_location: bool = False  # the transport may offer a "share location" button
    attachment: Attachment | None = None


@dataclass(frozen=True)
class Recipient:
    role: Literal["lotse", "coordinator", "citizen", "chat"]  # chat: a Telegram chat id
    id: str
    name: str
    telegram_id: int | None = None


@dataclass(frozen=True)
class Notification:
    recipient: Recipient
    message: Message
    # What the message is about ("lead:12", "offer:3"): it may quote the person's words, so
    # it is deleted with that lead's or offer's personal data (bot/privacy/personal_data.py).
    subject: str | None = None


@dataclass
class Outcome:
    replies: list[Message] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    # The person's language after the event (None: not known): a channel's own words around
    # the replies (the terminal's location hint) follow it, even just after a switch.
    language: str | None = None


def split_text(text: str, limit: int) -> list[str]:
    """A text in pieces of at most `limit` characters, for channels with a length limit:
    cut at a paragraph, else a line, else a word boundary (only whitespace is dropped)."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = max(
            text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit), text.rfind(" ", 0, limit)
        )
        if cut <= 0:
            cut = limit
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n ")
    chunks.append(text)
    return chunks
