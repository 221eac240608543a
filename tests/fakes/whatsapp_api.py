"""A fake WhatsApp Cloud API on 127.0.0.1, and people who write to the bot's webhook.

The fake takes `POST /<version>/<phone number id>/messages` with the bearer token, checks
each message object the way Meta does where it matters to the bot (at most 3 reply buttons
of 20 characters, list rows of 24/72 characters and at most 10, bodies of 1,024 and texts
of 4,096 characters, templates only by an approved name, free-form messages only within 24
hours of the person's last message – Meta reports that last one as a failed status later,
the fake answers error 131047 at once), records what was sent and can answer 429 or 500
first. `FakePerson` posts signed webhook requests, as Meta does, to the bot's /whatsapp.

    async with FakeCloudApi(secret="s3cret") as meta:
        meta.webhook = "http://127.0.0.1:<port>/whatsapp"
        anna = meta.person("4915112345678")
        await anna.send("Hallo")
        assert "Willkommen" in anna.last_text()
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from bot import clock as product_clock
from tests.helpers import free_port

VERSION = "v26.0"
PHONE_NUMBER_ID = "1029384756"
TOKEN = "test-token"
WINDOW = dt.timedelta(hours=24)

Json = dict[str, Any]


@dataclass
class Sent:
    to: str
    body: Json  # the message object as posted (type, text / interactive / template)
    wamid: str

    @property
    def kind(self) -> str:
        if self.body["type"] == "interactive":
            return str(self.body["interactive"]["type"])  # button, list, location_request…
        return str(self.body["type"])

    @property
    def text(self) -> str:
        if self.body["type"] == "text":
            return str(self.body["text"]["body"])
        if self.body["type"] == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        return ""

    def choices(self) -> list[tuple[str, str]]:
        """(title, id) of the reply buttons or list rows."""
        if self.body["type"] != "interactive":
            return []
        action = self.body["interactive"]["action"]
        if "buttons" in action:
            return [(b["reply"]["title"], b["reply"]["id"]) for b in action["buttons"]]
        rows = [row for section in action.get("sections", []) for row in section["rows"]]
        return [(f"{r['title']} {r.get('description', '')}", r["id"]) for r in rows]


@dataclass
class FakeCloudApi:
    secret: str = "app-secret"
    templates: set[str] = field(default_factory=lambda: {"lotse_nachricht_wartet"})
    webhook: str = ""  # the bot's /whatsapp
    sent: list[Sent] = field(default_factory=list)
    refused: list[Json] = field(default_factory=list)  # what Meta would not take
    failures: list[tuple[int, Json, dict[str, str]]] = field(default_factory=list)
    last_inbound: dict[str, dt.datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/{VERSION}"
        self._runner: web.AppRunner | None = None
        self.http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post(f"/{VERSION}/{{number}}/messages", self._messages)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.http = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        if self.http is not None:
            await self.http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def fail_next(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        """The next `times` sends get this HTTP status (429, 500 …) instead of going out."""
        headers = {"Retry-After": retry_after} if retry_after else {}
        error = {"error": {"message": "fake failure", "code": 130429 if status == 429 else 1}}
        self.failures += [(status, error, headers)] * times

    def person(self, wa_id: str) -> FakePerson:
        return FakePerson(self, wa_id)

    def to(self, wa_id: str) -> list[Sent]:
        return [sent for sent in self.sent if sent.to == wa_id]

    # --- the API ------------------------------------------------------------------------

    async def _messages(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _error(401, 190, "Invalid OAuth access token")
        if request.match_info["number"] != PHONE_NUMBER_ID:
            return _error(400, 100, "Unknown phone number id")
        if self.failures:
            status, body, headers = self.failures.pop(0)
            return web.json_response(body, status=status, headers=headers)
        body = await request.json()
        problem = self._check(body)
        if problem is not None:
            self.refused.append(body)
            return _error(400, *problem)
        wamid = f"wamid.fake{next(self._ids):06d}"
        message = {k: v for k, v in body.items() if k not in ("messaging_product", "to")}
        message.pop("recipient_type", None)
        self.sent.append(Sent(body["to"], message, wamid))
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": wamid}],
            }
        )

    def _check(self, body: Json) -> tuple[int, str] | None:
        if body.get("messaging_product") != "whatsapp" or not body.get("to"):
            return 100, "messaging_product and to are required"
        kind = body.get("type")
        if kind == "template":
            name = body["template"]["name"]
            return None if name in self.templates else (132001, "Template does not exist")
        last = self.last_inbound.get(body["to"])
        if last is None or product_clock.now() - last >= WINDOW:
            return 131047, "Re-engagement message"
        if kind == "text":
            return None if len(body["text"]["body"]) <= 4096 else (100, "text too long")
        if kind == "interactive":
            return _check_interactive(body["interactive"])
        return 100, f"type {kind} not supported by the fake"


def _check_interactive(interactive: Json) -> tuple[int, str] | None:
    if len(interactive["body"]["text"]) > 1024:
        return 100, "body too long"
    action = interactive["action"]
    if interactive["type"] == "button":
        titles = [b["reply"]["title"] for b in action["buttons"]]
        if not 1 <= len(titles) <= 3 or any(len(t) > 20 for t in titles):
            return 100, "buttons: 1 to 3, titles of at most 20 characters"
        if len(set(titles)) != len(titles):
            return 100, "button titles must be unique"
    elif interactive["type"] == "list":
        rows = [row for section in action["sections"] for row in section["rows"]]
        if not 1 <= len(rows) <= 10 or len(action["button"]) > 20:
            return 100, "list: 1 to 10 rows, a button of at most 20 characters"
        for row in rows:
            if len(row["title"]) > 24 or len(row.get("description", "")) > 72:
                return 100, "row title at most 24, description at most 72 characters"
    elif interactive["type"] != "location_request_message":
        return 100, "unknown interactive type"
    return None


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response({"error": {"message": message, "code": code}}, status=status)


class FakePerson:
    """Somebody on WhatsApp: what they send reaches the bot as Meta's signed webhook."""

    def __init__(self, meta: FakeCloudApi, wa_id: str) -> None:
        self.meta, self.wa_id = meta, wa_id
        self._seen = 0  # messages to this person already read by `new()`

    async def send(self, text: str) -> list[Sent]:
        return await self.message({"type": "text", "text": {"body": text}})

    async def press(self, title_part: str) -> list[Sent]:
        """Tap a reply button or list row of the last interactive message."""
        shown = next((s for s in reversed(self.meta.to(self.wa_id)) if s.choices()), None)
        assert shown is not None, "no buttons shown"
        match = [(t, i) for t, i in shown.choices() if title_part.lower() in t.lower()]
        assert match, f"no choice with {title_part!r} in {shown.choices()}"
        title, data = match[0]
        kind = "button_reply" if shown.kind == "button" else "list_reply"
        reply = {"id": data, "title": title}
        return await self.message(
            {"type": "interactive", "interactive": {"type": kind, kind: reply}}
        )

    async def tap_template_button(self, payload: str, text: str = "Anzeigen") -> list[Sent]:
        return await self.message({"type": "button", "button": {"payload": payload, "text": text}})

    async def share_location(self, lat: float, lon: float) -> list[Sent]:
        return await self.message(
            {"type": "location", "location": {"latitude": lat, "longitude": lon}}
        )

    async def message(self, item: Json, wamid: str | None = None) -> list[Sent]:
        """Post one message; what the bot sent to this person meanwhile."""
        self.meta.last_inbound[self.wa_id] = product_clock.now()
        wamid = wamid or f"wamid.in{next(self.meta._ids):06d}"
        at = str(int(product_clock.now().timestamp()))
        message = {"from": self.wa_id, "id": wamid, "timestamp": at, **item}
        status = await post_webhook(self.meta, _envelope({"messages": [message]}, self.wa_id))
        assert status == 200, f"webhook answered {status}"
        return self.new()

    def new(self) -> list[Sent]:
        mine = self.meta.to(self.wa_id)
        fresh, self._seen = mine[self._seen :], len(mine)
        return fresh


def _envelope(value: Json, wa_id: str = "") -> Json:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "4934201234", "phone_number_id": PHONE_NUMBER_ID},
        **({"contacts": [{"profile": {"name": "Anna"}, "wa_id": wa_id}]} if wa_id else {}),
        **value,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }


def statuses_body(*items: tuple[str, str, str], error: int | None = None) -> Json:
    """A webhook body with statuses (wamid, status, recipient); `error`: Meta's code."""
    at = str(int(product_clock.now().timestamp()))
    errors = {"errors": [{"code": error, "title": "Re-engagement message"}]} if error else {}
    return _envelope(
        {
            "statuses": [
                {"id": wamid, "status": status, "timestamp": at, "recipient_id": to, **errors}
                for wamid, status, to in items
            ]
        }
    )


def sign(secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


async def post_webhook(meta: FakeCloudApi, body: Json, signature: str | bool | None = True) -> int:
    """POST `body` to the bot as Meta does; `signature` True: signed with the app secret,
    a string: that header, None/False: none."""
    assert meta.http is not None and meta.webhook
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature is True:
        headers["X-Hub-Signature-256"] = sign(meta.secret, raw)
    elif isinstance(signature, str):
        headers["X-Hub-Signature-256"] = signature
    async with meta.http.post(meta.webhook, data=raw, headers=headers) as response:
        return response.status
