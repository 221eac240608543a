"""Core messages → Cloud API message objects (without `to`). No network here.

WhatsApp's rules decide the shape of a question with choices:

- up to 3 choices whose labels fit 20 characters: reply buttons;
- up to 10 choices (or 3 with longer labels): a list message, row titles of 24 characters
  with the whole label as the row's description (72);
- more: numbered lines; the person types the number (the core presses that button).

A text is at most 4,096 characters, the body of an interactive message 1,024: longer texts
go first as plain messages, the choices with the last part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.messages import Button, Message
from bot.payloads import Nav

MAX_TEXT = 4096
MAX_BODY = 1024  # interactive messages (buttons, list, location request)
MAX_BUTTONS, BUTTON_TITLE = 3, 20
MAX_ROWS, ROW_TITLE, ROW_DESCRIPTION = 10, 24, 72
MAX_ID = 200  # a list row's id (a reply button's may be 256)

Payload = dict[str, Any]


@dataclass(frozen=True)
class Words:
    """The channel's own words, in the person's language (from content)."""

    list_button: str  # opens a list message
    numbered_hint: str  # under numbered choices
    file_not_sent: str  # instead of an attachment


def render(message: Message, words: Words) -> list[Payload]:
    """The Cloud API messages for one core message, in the order to send them."""
    text = message.text or "…"
    if message.attachment is not None:
        text = f"{text}\n\n{words.file_not_sent}"
    buttons = tuple(b for b in message.buttons if b.data and len(b.data) <= MAX_ID)
    if message.request_location and all(_is_nav(b.data) for b in buttons):
        # WhatsApp's "send location" button; 'zurück' and 'neu' can be typed.
        return _with_body(text, _location_request)
    if not buttons:
        return [_text(chunk) for chunk in split_text(text, MAX_TEXT)]
    if len(buttons) <= MAX_BUTTONS and _fit_as_buttons(buttons):
        return _with_body(text, lambda body: _buttons(body, buttons))
    if len(buttons) <= MAX_ROWS:
        return _with_body(text, lambda body: _list(body, buttons, words.list_button))
    lines = "\n".join(f"{n}. {b.label}" for n, b in enumerate(buttons, 1))
    numbered = f"{text}\n\n{lines}\n\n{words.numbered_hint}"
    return [_text(chunk) for chunk in split_text(numbered, MAX_TEXT)]


def template(
    name: str, language: str, parameters: list[str], button_payloads: list[str]
) -> Payload:
    """An approved template: its body's {{1}}… and a payload per quick-reply button."""
    components: list[Payload] = []
    if parameters:
        components.append(
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}
        )
    for index, payload in enumerate(button_payloads):
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": payload}],
            }
        )
    return {
        "type": "template",
        "template": {"name": name, "language": {"code": language}, "components": components},
    }


def split_text(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries (only whitespace is dropped)."""
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


def short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


# --- inside ------------------------------------------------------------------------------


def _with_body(text: str, interactive: Any) -> list[Payload]:
    """Plain messages for what does not fit, the interactive one with the last part."""
    chunks = split_text(text, MAX_TEXT)
    last = split_text(chunks.pop(), MAX_BODY)
    body = last.pop()
    return [*map(_text, chunks), *map(_text, last), interactive(body)]


def _text(body: str) -> Payload:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def _fit_as_buttons(buttons: tuple[Button, ...]) -> bool:
    labels = [b.label for b in buttons]
    return all(0 < len(label) <= BUTTON_TITLE for label in labels) and len(set(labels)) == len(
        labels
    )


def _buttons(body: str, buttons: tuple[Button, ...]) -> Payload:
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": b.data, "title": b.label}} for b in buttons
                ]
            },
        },
    }


def _list(body: str, buttons: tuple[Button, ...], label: str) -> Payload:
    rows = []
    for button in buttons:
        row = {"id": button.data, "title": short(button.label, ROW_TITLE)}
        if len(button.label) > ROW_TITLE:  # the whole label, so nothing is lost
            row["description"] = short(button.label, ROW_DESCRIPTION)
        rows.append(row)
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": body},
            "action": {"button": short(label, BUTTON_TITLE), "sections": [{"rows": rows}]},
        },
    }


def _location_request(body: str) -> Payload:
    return {
        "type": "interactive",
        "interactive": {
            "type": "location_request_message",
            "body": {"text": body},
            "action": {"name": "send_location"},
        },
    }


def _is_nav(data: str) -> bool:
    return Nav.unpack(data) is not None
