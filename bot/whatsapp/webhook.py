"""The Cloud API webhook at /whatsapp on an aiohttp server (`lotse web`, and the webhook
server of `lotse run`).

GET is Meta's one-time check when the operator enters the webhook URL: it answers
`hub.challenge` if `hub.verify_token` is WHATSAPP_VERIFY_TOKEN. POST carries messages and
statuses; only a body signed with the app secret (X-Hub-Signature-256) is read, anything
else gets 401 and is not handled. The answer comes after handling: if we fail, Meta
delivers again, and a message id is handled only once.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable

from aiohttp import web

from bot.config import Settings
from bot.dialogs.engine import DialogEngine
from bot.whatsapp.api import CloudApi
from bot.whatsapp.channel import WhatsAppChannel
from bot.whatsapp.inbound import parse, signed

log = logging.getLogger(__name__)

PATH = "/whatsapp"
MAX_BODY = 1024 * 1024  # Meta batches at most a few hundred small entries


def whatsapp_configured(settings: Settings) -> bool:
    return bool(settings.whatsapp_token)


class Webhook:
    def __init__(self, channel: WhatsAppChannel, settings: Settings) -> None:
        self.channel = channel
        self.settings = settings

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(PATH, self.verify)
        app.router.add_post(PATH, self.receive)

    async def verify(self, request: web.Request) -> web.Response:
        query = request.query
        expected = self.settings.whatsapp_verify_token
        given = query.get("hub.verify_token", "")
        if (
            query.get("hub.mode") == "subscribe"
            and expected
            and hmac.compare_digest(given.encode(), expected.encode())
        ):
            return web.Response(text=query.get("hub.challenge", ""))
        return web.Response(status=403, text="forbidden")

    async def receive(self, request: web.Request) -> web.Response:
        raw = await request.content.read(MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            return web.Response(status=413, text="too large")
        secret = self.settings.whatsapp_app_secret
        if not signed(raw, request.headers.get("X-Hub-Signature-256"), secret):
            log.warning("WhatsApp webhook: unsigned or badly signed request refused")
            return web.Response(status=401, text="bad signature")
        try:
            body = json.loads(raw)
        except ValueError:
            return web.Response(status=400, text="not JSON")
        messages, statuses = parse(body, self.settings.whatsapp_phone_number_id)
        await self.channel.receive(messages, statuses)
        return web.Response(text="ok")


def mount_whatsapp(
    app: web.Application,
    engine: DialogEngine,
    settings: Settings,
    *,
    on_notify: Callable[[], None] | None = None,
) -> WhatsAppChannel:
    """Add /whatsapp to an aiohttp app. The Cloud API client's connection pool lives as long
    as the app; the returned channel is also the outbox worker for WhatsApp citizens (the
    runtime runs it beside the other delivery workers)."""
    api = CloudApi(
        None,  # its connection pool is made at first use and closed with the app
        settings.whatsapp_api_url,
        settings.whatsapp_phone_number_id or "",
        settings.whatsapp_token or "",
    )
    channel = WhatsAppChannel(engine, api, on_notify=on_notify)
    Webhook(channel, settings).add_routes(app)

    async def close(_app: web.Application) -> None:
        await api.close()

    app.on_cleanup.append(close)
    return channel
