"""The one way out to WhatsApp: POST {WHATSAPP_API_URL}/{phone number id}/messages.

aiohttp directly rather than a client library: the channel needs one request (send a
message object) and the webhook lives on the aiohttp server `lotse web` already runs;
pywa would bring its own webhook framework and models beside ours for that.

Retried like Telegram's sender: 429 and Meta's throttling codes wait (Retry-After when
given, else backoff), server errors and network failures back off; other errors are
raised at once so the caller can record them. The waiting goes through `sleep`, which
tests replace: nothing really sleeps there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

RETRIES = 5
BACKOFF_START, BACKOFF_MAX = 0.5, 30.0
TIMEOUT = aiohttp.ClientTimeout(total=30)
# Meta's error codes that mean "too much, wait" (whatever the HTTP status says).
THROTTLED = {4, 80007, 130429, 131048, 131056}
OUTSIDE_WINDOW = 131047  # more than 24 hours since the person's last message


class WhatsAppError(Exception):
    """Meta refused the message (not worth retrying as it is)."""

    def __init__(self, status: int, code: int | None, title: str) -> None:
        super().__init__(f"{status} {code}: {title}")
        self.status, self.code, self.title = status, code, title

    @property
    def outside_window(self) -> bool:
        return self.code == OUTSIDE_WINDOW

    def short(self) -> str:
        """For the database and logs: code and Meta's title, never the message."""
        return f"{self.code or self.status} {self.title}"[:80]


class Unavailable(Exception):
    """Meta did not take the message after all retries (down, or throttling on)."""


class CloudApi:
    def __init__(
        self,
        http: aiohttp.ClientSession | None,
        base_url: str,
        phone_number_id: str,
        token: str,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        retries: int = RETRIES,
    ) -> None:
        self.http = http
        self.url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.sleep = sleep
        self.retries = retries

    def _http(self) -> aiohttp.ClientSession:
        """Made at first use, inside the running loop (None given: ours to close)."""
        if self.http is None:
            self.http = aiohttp.ClientSession()
        return self.http

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()
            self.http = None

    async def send(self, to: str, message: dict[str, Any]) -> str:
        """Send one message object to `to` (a wa_id); Meta's id for it (wamid)."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        body.update(message)
        delay = BACKOFF_START
        for attempt in range(1, self.retries + 1):
            try:
                return await self._post(body)
            except _Retry as retry:
                if attempt == self.retries:
                    raise Unavailable(retry.reason) from None
                wait = retry.after if retry.after is not None else delay
                log.warning("WhatsApp: %s, retry %d in %.1f s", retry.reason, attempt, wait)
                await self.sleep(wait)
                delay = min(delay * 2, BACKOFF_MAX)
        raise Unavailable("no attempt")  # retries < 1

    async def _post(self, body: dict[str, Any]) -> str:
        try:
            async with self._http().post(
                self.url, json=body, headers=self.headers, timeout=TIMEOUT
            ) as response:
                data = await _json(response)
                if response.status == 200:
                    return str(data["messages"][0]["id"])
                error = data.get("error") or {}
                code = error.get("code") if isinstance(error.get("code"), int) else None
                if response.status == 429 or response.status >= 500 or code in THROTTLED:
                    raise _Retry(f"HTTP {response.status}", _retry_after(response))
                raise WhatsAppError(response.status, code, str(error.get("message", ""))[:60])
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _Retry(type(exc).__name__, None) from None
        except (KeyError, IndexError, TypeError) as exc:
            raise _Retry(f"unexpected answer ({type(exc).__name__})", None) from None


class _Retry(Exception):
    def __init__(self, reason: str, after: float | None) -> None:
        super().__init__(reason)
        self.reason, self.after = reason, after


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        data = await response.json(content_type=None)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _retry_after(response: aiohttp.ClientResponse) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return min(float(value), BACKOFF_MAX * 4) if value else None
    except ValueError:
        return None
