"""Core messages → Telegram messages: text chunks and keyboards. No network here."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot import messages
from bot.messages import Button, Message
from bot.payloads import MAX_BYTES, SEPARATOR, Nav, OfferDetails

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit per message
SHORT_LABEL = 18  # two buttons share a row when both are this short
# "ℹ️ Mehr zu 1 | 2 | 3" under an offer list: one row, not three (they fit a 320 px phone)
PER_ROW = {"short": 2, "details": 3}

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


@dataclass(frozen=True)
class Rendered:
    chunks: tuple[str, ...]  # the text, split to fit; the keyboard goes with the last chunk
    markup: Markup | None


def render(message: Message, location_label: str) -> Rendered:
    markup = _markup(message.buttons, message.request_location, location_label)
    return Rendered(tuple(split_text(message.text)), markup)


@lru_cache(maxsize=512)
def _markup(
    buttons: tuple[Button, ...], request_location: bool, location_label: str
) -> Markup | None:
    """The same questions are asked again and again: their keyboards (pydantic objects,
    never changed once built) are made once."""
    return keyboard(Message("", buttons, request_location), location_label)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Telegram refuses an empty text: "…" stands in for one."""
    return messages.split_text(text or "…", limit)


def keyboard(message: Message, location_label: str) -> Markup | None:
    buttons = [b for b in message.buttons if _fits(b)]
    if message.request_location and all(_is_nav(b.data) for b in buttons):
        # Telegram can ask for a location only from a reply keyboard, not an inline one.
        rows = [[KeyboardButton(text=location_label, request_location=True)]]
        rows += [[KeyboardButton(text=b.label)] for b in buttons]
        return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, one_time_keyboard=True)
    if not buttons:
        return None
    return InlineKeyboardMarkup(inline_keyboard=_rows(buttons))


def _rows(buttons: list[Button]) -> list[list[InlineKeyboardButton]]:
    rows: list[list[InlineKeyboardButton]] = []
    groups: list[str | None] = []  # the group of each row's buttons
    for button in buttons:
        item = InlineKeyboardButton(text=button.label[:64], callback_data=button.data)
        group = _group(button)
        if rows and group is not None and groups[-1] == group and len(rows[-1]) < PER_ROW[group]:
            rows[-1].append(item)
        else:
            rows.append([item])
            groups.append(group)
    return rows


def _group(button: Button) -> str | None:
    """Buttons of one group share a row: the "ℹ️ Mehr zu N" of an offer list, short labels
    in pairs. Long labels and 'zurück' / 'neu starten' get a row of their own."""
    if OfferDetails.unpack(button.data) is not None:
        return "details"
    if _is_nav(button.data) or len(button.label) > SHORT_LABEL:
        return None
    return "short"


def _is_nav(data: str) -> bool:
    """'zurück' and 'neu starten' get a row of their own (and fit a reply keyboard)."""
    return Nav.unpack(data) is not None


def _fits(button: Button) -> bool:
    """`lotse check` keeps content from making a payload longer than Telegram takes, so this
    is a bug if it happens. Telegram would refuse the whole message; without the one button
    the person still gets the answer and can type instead. Logged loudly, with the payload's
    kind and size only: its fields may be ids of a person's request."""
    size = len(button.data.encode())
    if size <= MAX_BYTES:
        return True
    kind = button.data.partition(SEPARATOR)[0][:8]
    log.warning(
        "button left out: its %r payload is %d bytes, Telegram takes %d", kind, size, MAX_BYTES
    )
    return False
