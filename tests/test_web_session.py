"""Only sessions the server issued are valid: a cookie value the client chose (session
fixation) is replaced on the page and refused by the API."""

from __future__ import annotations

import aiohttp
import pytest

from bot.content.model import Content
from bot.dialogs.turn import Matchers
from bot.web import security
from tests.helpers.web import ChatServer, PageClient

CHOSEN = "AttackerChoseThisValue"  # 22 characters of [A-Za-z0-9_-], as a session looks


async def page_cookie(base: str, sent: str) -> str:
    """The session the page sets when the browser brings cookie `sent`."""
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http,
        http.get(f"{base}/chat", headers={"Cookie": f"lotse_chat={sent}"}) as response,
    ):
        assert response.status == 200
        return response.cookies["lotse_chat"].value


async def send_as(base: str, token: str) -> int:
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http,
        http.post(
            f"{base}/chat/api/send",
            json={"text": "Hallo"},
            headers={
                "Cookie": f"lotse_chat={token}",
                "X-CSRF-Token": security.csrf_token(token),  # the attacker knows both
                "Origin": base,
            },
        ) as response,
    ):
        return response.status


@pytest.mark.parametrize("chosen", [CHOSEN, CHOSEN + "x" * 22])
async def test_a_session_the_server_never_issued_is_not_accepted(
    any_db_url: str, content: Content, matchers: Matchers, chosen: str
) -> None:
    server = await ChatServer.start(any_db_url, content, matchers)
    try:
        issued = await page_cookie(server.base, chosen)
        assert issued != chosen  # the page issued a session of its own
        assert await send_as(server.base, chosen) == 403
        assert await send_as(server.base, issued) == 200
        assert await page_cookie(server.base, issued) == issued  # and keeps it
    finally:
        await server.stop()


async def test_an_issued_session_holds_in_a_second_process(
    sqlite_url: str, content: Content, matchers: Matchers
) -> None:
    first = await ChatServer.start(sqlite_url, content, matchers)
    page = PageClient.new(first.base)
    try:
        await page.open()
        await page.send(start="")
        token = page.cookie()
        second = await ChatServer.start(sqlite_url, content, matchers)
        try:
            assert await page_cookie(second.base, token) == token
            assert await send_as(second.base, token) == 200
        finally:
            await second.stop()
    finally:
        await page.close()
        await first.stop()
