"""The HTTP client the runtime hands to the core (aiohttp): the core names only the
`HttpGet` interface (`bot.offers.freinet`), so it never imports aiohttp."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import aiohttp

from bot.offers.freinet import HttpResponse, ResponseTooLarge, Unreachable


async def http_get(
    url: str, params: Mapping[str, str], *, timeout: float, max_bytes: int
) -> HttpResponse:
    """GET `url`; read at most `max_bytes` of the answer (see `HttpGet`)."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.get(url, params=dict(params)) as response,
        ):
            body = await _read_limited(response, max_bytes) if response.status == 200 else b""
            return HttpResponse(response.status, response.reason or "", body)
    except aiohttp.ClientError as exc:
        # The message of some client errors holds the URL with its query: name only the host.
        raise Unreachable(f"{type(exc).__name__}, {urlsplit(url).hostname}") from exc


async def _read_limited(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge
        chunks.append(chunk)
    return b"".join(chunks)
