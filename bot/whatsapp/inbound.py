"""What Meta's webhook brings: the signature check, and the JSON read into plain values.

A POST carries `entry[].changes[].value` with `messages` (what people sent) and
`statuses` (what became of what we sent). Anything unexpected in the JSON is skipped,
never an error: Meta adds fields and types over time.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "button", "location", "reaction", "unsupported"]


def signed(raw: bytes, header: str | None, app_secret: str | None) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`,
    compared in constant time. Without a secret nothing is trusted."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


@dataclass(frozen=True)
class Incoming:
    """One message a person sent."""

    id: str  # Meta's message id (wamid): the same message may be delivered again
    wa_id: str  # the person's WhatsApp id (their number)
    kind: Kind
    text: str = ""
    data: str = ""  # the id of a pressed reply button or list row, a template button's payload
    lat: float | None = None
    lon: float | None = None
    template_button: bool = False  # a quick reply of a template (type "button")


@dataclass(frozen=True)
class Status:
    """What Meta reports about a message we sent."""

    wamid: str
    status: str  # sent, delivered, read, failed
    error_code: int | None = None
    error_title: str = ""


def parse(body: Any, phone_number_id: str | None) -> tuple[list[Incoming], list[Status]]:
    """Messages and statuses for our number (`phone_number_id`; None: any)."""
    messages: list[Incoming] = []
    statuses: list[Status] = []
    for value in _values(body):
        number = str(_dict(value.get("metadata")).get("phone_number_id", ""))
        if phone_number_id and number and number != phone_number_id:
            continue  # another number of the same business account
        for item in _list(value.get("messages")):
            message = _message(_dict(item))
            if message is not None:
                messages.append(message)
        for item in _list(value.get("statuses")):
            status = _status(_dict(item))
            if status is not None:
                statuses.append(status)
    return messages, statuses


def _values(body: Any) -> list[dict[str, Any]]:
    body = _dict(body)
    if body.get("object") != "whatsapp_business_account":
        return []
    return [
        _dict(change.get("value"))
        for entry in _list(body.get("entry"))
        for change in map(_dict, _list(_dict(entry).get("changes")))
        if change.get("field") == "messages"
    ]


def _message(item: dict[str, Any]) -> Incoming | None:
    wamid, sender, kind = str(item.get("id", "")), str(item.get("from", "")), item.get("type")
    if not wamid or not sender:
        return None
    if kind == "text":
        return Incoming(wamid, sender, "text", text=str(_dict(item.get("text")).get("body", "")))
    if kind == "interactive":
        interactive = _dict(item.get("interactive"))
        reply = _dict(interactive.get("button_reply") or interactive.get("list_reply"))
        if reply.get("id"):
            return Incoming(wamid, sender, "button", data=str(reply["id"]))
    if kind == "button":  # a template's quick reply
        button = _dict(item.get("button"))
        return Incoming(
            wamid,
            sender,
            "button",
            text=str(button.get("text", "")),
            data=str(button.get("payload", "")),
            template_button=True,
        )
    if kind == "location":
        location = _dict(item.get("location"))
        try:
            lat, lon = float(location["latitude"]), float(location["longitude"])
        except (KeyError, TypeError, ValueError):
            return Incoming(wamid, sender, "unsupported")
        return Incoming(wamid, sender, "location", lat=lat, lon=lon)
    if kind == "reaction":
        return Incoming(wamid, sender, "reaction")
    # image, audio, sticker, video, document, contacts, unsupported …
    return Incoming(wamid, sender, "unsupported")


def _status(item: dict[str, Any]) -> Status | None:
    wamid, status = str(item.get("id", "")), str(item.get("status", ""))
    if not wamid or not status:
        return None
    errors = _list(item.get("errors"))
    error = _dict(errors[0]) if errors else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    return Status(wamid, status[:12], code, str(error.get("title", ""))[:60])


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
