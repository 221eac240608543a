"""A real web chat server on 127.0.0.1, an HTTP client that behaves like its page, and
`lotse web` as a process.

Shared by tests/test_web.py (HTTP level) and tests/test_web_browser.py (Chromium).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.store.db import Database
from bot.web.app import Limits, WebServer, mount_web_chat
from tests.helpers import ROOT, free_port

CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


@dataclass
class ChatServer:
    """`mount_web_chat` on a real aiohttp server, as `lotse web` runs it."""

    db: Database
    engine: DialogEngine
    server: WebServer
    runner: web.AppRunner
    base: str
    notified: list[int] = field(default_factory=list)

    @classmethod
    async def start(
        cls,
        db_url: str,
        content: Content,
        matchers: Matchers,
        *,
        bot_username: str | None = "lotse_test_bot",
        limits: Limits | None = None,
        **env: str,
    ) -> ChatServer:
        port = free_port()
        settings = Settings.from_env(
            {
                "DATABASE_URL": db_url,
                "WEB_PUBLIC_URL": f"http://127.0.0.1:{port}",
                **env,
            }
        )
        db = Database(db_url)
        await db.migrate()
        engine = DialogEngine(content, db, matchers, operator=settings.operator)
        app = web.Application()
        notified: list[int] = []
        server = mount_web_chat(
            app,
            engine,
            settings,
            bot_username=bot_username,
            on_notify=lambda: notified.append(1),
            limits=limits,
        )
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return cls(db, engine, server, runner, f"http://127.0.0.1:{port}", notified)

    async def stop(self) -> None:
        await self.runner.cleanup()
        await self.db.close()


class PageClient:
    """Does over HTTP what chat.js does: open the page, keep the cookie, send, read."""

    def __init__(self, base: str, http: aiohttp.ClientSession, origin: str | None = None):
        self.base, self.http = base, http
        self.origin = origin if origin is not None else base
        self.csrf = ""
        self.lines: list[dict[str, Any]] = []

    @classmethod
    def new(cls, base: str, **kwargs: Any) -> PageClient:
        # unsafe: keep cookies for an IP address host such as 127.0.0.1
        return cls(base, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)), **kwargs)

    async def close(self) -> None:
        await self.http.close()

    async def open(self, query: str = "") -> str:
        async with self.http.get(f"{self.base}/chat{query}") as response:
            assert response.status == 200
            page = await response.text()
        found = CSRF.search(page)
        assert found, "no CSRF token in the page"
        self.csrf = found.group(1)
        return page

    def headers(self) -> dict[str, str]:
        headers = {"X-CSRF-Token": self.csrf}
        if self.origin:
            headers["Origin"] = self.origin
        return headers

    async def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        async with self.http.post(
            f"{self.base}/chat/api/{path}",
            json=body,
            headers=self.headers() if headers is None else headers,
        ) as response:
            return response.status, await response.json()

    async def send(self, **said: Any) -> list[dict[str, Any]]:
        status, data = await self.post("send", said)
        assert status == 200, data
        self.lines += data["lines"]
        return data["lines"]

    async def say(self, text: str) -> str:
        return _texts(await self.send(text=text))

    async def press(self, label_part: str) -> str:
        buttons = self.buttons()
        matches = [b for b in buttons if label_part.lower() in b["label"].lower()]
        assert matches, f"no button {label_part!r} in {[b['label'] for b in buttons]}"
        return _texts(await self.send(button=matches[0]["data"]))

    def buttons(self) -> list[dict[str, str]]:
        with_buttons = [line for line in self.lines if line["buttons"]]
        return with_buttons[-1]["buttons"] if with_buttons else []

    async def history(self, after: int = 0) -> dict[str, Any]:
        async with self.http.get(
            f"{self.base}/chat/api/history",
            params={"after": str(after)},
            headers={"X-CSRF-Token": self.csrf},
        ) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    def cookie(self, name: str = "lotse_chat") -> str:
        for cookie in self.http.cookie_jar:
            if cookie.key == name:
                return cookie.value
        raise AssertionError(f"no cookie {name}")


def _texts(lines: list[dict[str, Any]]) -> str:
    return "\n".join(line["text"] for line in lines)


async def walk_to_offers(page: PageClient) -> list[dict[str, Any]]:
    """The volunteer path from the first question to the offers; the lines that show them."""
    await page.send(start="")
    assert "Ich möchte mich engagieren" in page.buttons()[0]["label"]
    assert "Was interessiert Sie" in await page.press("engagieren")
    assert "In welchem Ort" in await page.say("was mit Kindern")
    assert "einmal mit anpacken" in await page.say("Zschortau")
    assert "Wann haben Sie" in await page.press("Regelmäßig")
    offers = await page.send(text="abends")
    assert "Möchten Sie, dass sich ein Lotse" in _texts(offers)
    return offers


async def walk_to_lead(page: PageClient, contact: str = "0171 2345678") -> str:
    """The volunteer path from the first question to a lead, as on Telegram."""
    await walk_to_offers(page)
    assert "einverstanden" in await page.press("beraten")
    assert "Wie darf der Lotse" in await page.press("Ja, einverstanden")
    assert "Wie erreicht" in await page.say("Maria")
    done = await page.say(contact)
    assert "Ihre Anfrage ist angekommen" in done
    return done


class WebProcess:
    """`lotse web` as a real process. A thread reads its whole output (so the pipe never
    fills) and lets the test wait for a line."""

    def __init__(self, env: Mapping[str, str], args: Sequence[str] = ()) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "web", *args],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, text: str, timeout: float = 120) -> bool:
        """Whether a line with `text` came before the process ended. The timeout is a guard
        against a hang (a first start builds the matchers), not a timing check."""
        with self._changed:
            self._changed.wait_for(lambda: self._seen(text) or self._ended, timeout)
            return self._seen(text)

    def _seen(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self._reader.join()
        return code

    @property
    def output(self) -> str:
        with self._changed:
            return "".join(self.lines)
