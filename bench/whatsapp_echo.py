"""The baseline for WhatsApp: a minimal Cloud API webhook echo on aiohttp.

It does what any WhatsApp webhook must: check `X-Hub-Signature-256`, read the JSON and
answer each text message with one text message (POST to the Cloud API); nothing else.
Same settings as `lotse web` reads: WEB_HOST, WEB_PORT, WHATSAPP_TOKEN,
WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_API_URL.

    WHATSAPP_TOKEN=… WHATSAPP_API_URL=http://127.0.0.1:8081/v26.0 python -m bench.whatsapp_echo
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
from typing import Any

import aiohttp
from aiohttp import web

from bench.procs import until_signalled


async def serve(env: dict[str, str]) -> None:
    secret = env["WHATSAPP_APP_SECRET"].encode()
    url = f"{env['WHATSAPP_API_URL']}/{env['WHATSAPP_PHONE_NUMBER_ID']}/messages"
    headers = {"Authorization": f"Bearer {env['WHATSAPP_TOKEN']}"}
    http = aiohttp.ClientSession()

    async def receive(request: web.Request) -> web.Response:
        raw = await request.read()
        expected = "sha256=" + hmac.new(secret, raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
            return web.Response(status=401)
        body: dict[str, Any] = json.loads(raw)
        for entry in body.get("entry", []):
            for change in entry.get("changes", []):
                for message in change.get("value", {}).get("messages", []):
                    text = message.get("text", {}).get("body", "?")
                    reply = {
                        "messaging_product": "whatsapp",
                        "to": message["from"],
                        "type": "text",
                        "text": {"body": text},
                    }
                    async with http.post(url, json=reply, headers=headers) as answer:
                        await answer.read()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/whatsapp", receive)
    app.router.add_get("/whatsapp", lambda r: _challenge(r, env))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, env.get("WEB_HOST", "127.0.0.1"), int(env["WEB_PORT"])).start()
    try:
        await until_signalled()
    finally:
        await runner.cleanup()
        await http.close()


async def _challenge(request: web.Request, env: dict[str, str]) -> web.Response:
    if request.query.get("hub.verify_token") == env.get("WHATSAPP_VERIFY_TOKEN"):
        return web.Response(text=request.query.get("hub.challenge", ""))
    return web.Response(status=403)


if __name__ == "__main__":
    asyncio.run(serve(dict(os.environ)))
