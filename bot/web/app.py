"""The web chat over HTTP (aiohttp): the page, the widget script and a small JSON API.

Routes (all under /chat, so they fit next to the Telegram webhook on one server):

    GET  /chat               the chat page (?embed=1 inside the widget, ?start=PAYLOAD)
    GET  /chat/widget.js     the embeddable widget: a button that opens /chat?embed=1
    GET  /chat/static/NAME   chat.css, chat.js
    GET  /chat/api/history   the conversation so far and messages that waited for it
    POST /chat/api/send      {"text"} | {"button"} | {"start"} | {"location": {lat, lon}}
                             | {"command"} (the page's buttons: meine_daten, loeschen …)
    POST /chat/api/telegram  a one-time link that continues the conversation on Telegram
    GET  /chat/health        {"status": "ok"}

Every API call needs the session cookie and the page's CSRF token (X-CSRF-Token); POSTs
must come from an allowed origin. Rate limits per session and per address answer 429.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import math
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.ids import parse_id
from bot.store import repo
from bot.web import security
from bot.web.chat import CHANNEL, COMMANDS, Said, WebChat
from bot.web.mail import MailNotifier, mail_configured

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
ASSETS = {"chat.css": "text/css", "chat.js": "text/javascript"}
COOKIE, EMBED_COOKIE = "lotse_chat", "lotse_chat_embed"
COOKIE_DAYS = 90  # renewed on every visit; what it points to follows the retention rules
MAX_BODY = 16 * 1024
POLL_SECONDS = 20  # the open page asks for new messages (e.g. from the Lotse) this often
# Texts the page's script needs, by their key in texts.yaml.
SCRIPT_TEXTS = {
    "you": "web_you",
    "bot": "web_bot",
    "note": "web_note",
    "answers": "web_answers_label",
    "share_location": "web_share_location",
    "location_failed": "web_location_failed",
    "unavailable": "web_unavailable",
    "download": "web_download",
    "telegram_link": "web_telegram_link",
    "telegram_open": "web_telegram_open",
}
PAGE_TEXTS = (
    "web_title",
    "web_heading",
    "web_intro",
    "web_transcript_label",
    "web_input_label",
    "web_input_hint",
    "web_send",
    "web_privacy",
    "web_my_data",
    "web_erase",
    "web_language",
    "web_telegram_button",
)


@dataclass(frozen=True)
class Limits:
    """Requests per minute: messages per session and per address, and reads per address."""

    per_session: int = 20
    per_address: int = 120
    reads_per_address: int = 240


class Refused(Exception):
    """A request that is answered with an error status and a friendly text."""

    def __init__(self, status: int, text_key: str) -> None:
        super().__init__(text_key)
        self.status, self.text_key = status, text_key


class WebServer:
    def __init__(self, chat: WebChat, settings: Settings, limits: Limits | None = None) -> None:
        self.chat, self.settings = chat, settings
        self._key: str | None = None  # signs sessions: the installation's, from the database
        limits = limits or Limits()
        self.per_session = security.RateLimiter(limits.per_session)
        self.per_address = security.RateLimiter(limits.per_address)
        self.reads = security.RateLimiter(limits.reads_per_address)
        self.template = (STATIC / "chat.html").read_text(encoding="utf-8")
        self.widget = (STATIC / "widget.js").read_text(encoding="utf-8")
        public = urlsplit(settings.web_public_url)
        self.secure = public.scheme == "https"
        self.cookie_path = public.path.rstrip("/") + "/chat"

    @property
    def content(self) -> Content:
        return self.chat.engine.content

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/chat", self.page)
        app.router.add_get("/chat/", self.slash)
        app.router.add_get("/chat/widget.js", self.widget_script)
        app.router.add_get("/chat/static/{name}", self.asset)
        app.router.add_get("/chat/health", self.health)
        app.router.add_get("/chat/api/history", self.history)
        app.router.add_post("/chat/api/send", self.send)
        app.router.add_post("/chat/api/telegram", self.telegram)

    # --- pages and files ---------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        embed = request.query.get("embed") == "1"
        token = request.cookies.get(_cookie(embed))
        key = await self._session_key()
        if not security.valid_session(token, key):
            token = security.new_session(key)
        lang = self._lang(request)
        start = request.query.get("start", "")
        values = {key: self.content.text(key, lang) for key in PAGE_TEXTS}
        values |= {
            "lang": lang,
            "csrf": security.csrf_token(token),  # type: ignore[arg-type]
            "body_class": "embed" if embed else "page",
            "replies": self.content.text(
                "web_replies_mail" if mail_configured(self.settings) else "web_replies_here", lang
            ),
            "telegram_hidden": "" if self.chat.bot_username else " hidden",
            "operator": self._operator_html(lang),
        }
        config = {
            "texts": {name: self.content.text(key, lang) for name, key in SCRIPT_TEXTS.items()},
            "embed": embed,
            "start": start if security.valid_payload(start) else "",
            "poll_seconds": POLL_SECONDS,
            "commands": self._command_refs(),
        }
        body = self._fill(values, config)
        response = web.Response(text=body, content_type="text/html", charset="utf-8")
        self._set_cookie(response, token, embed)  # type: ignore[arg-type]
        self._page_headers(response, embed)
        return response

    def _command_refs(self) -> list[dict[str, str]]:
        """How texts name the page's commands ('„📄 Meine Daten“', in every language: a
        message may have waited in the outbox in another one); the page shows each as a
        button that gives the command."""
        refs = {
            self.content.command_ref(command, lang, CHANNEL): command
            for command in COMMANDS
            for lang in self.content.languages
        }
        return [
            {"ref": ref, "label": ref.strip('„“" '), "command": command}
            for ref, command in refs.items()
            if ref.strip('„“" ')
        ]

    def _operator_html(self, lang: str) -> str:
        """The operator at the foot of the page (OPERATOR_*), every value escaped; nothing
        when none is set (`lotse doctor` warns about that for a public web chat)."""
        operator = self.settings.operator
        if not operator.configured:
            return ""
        lines = [html.escape(v) for v in (operator.name, operator.address, operator.contact) if v]
        links = [
            f'<a href="{html.escape(url)}">{html.escape(self.content.text(k, lang))}</a>'
            for url, k in (
                (operator.imprint_url, "web_imprint"),
                (operator.privacy_url, "web_privacy_policy"),
            )
            if url
        ]
        label = html.escape(self.content.text("web_operator_label", lang), quote=True)
        parts = [f'<address class="who">{"<br>".join(lines)}</address>'] if lines else []
        if links:
            parts.append(f'<p class="links">{" · ".join(links)}</p>')
        return f'<section class="operator" aria-label="{label}">{"".join(parts)}</section>'

    def _fill(self, values: dict[str, str], config: dict[str, Any]) -> str:
        page = self.template
        for key, value in values.items():
            # Built here already escaped: the attribute and the operator's footer.
            raw = key in ("telegram_hidden", "operator")
            escaped = value if raw else html.escape(value, quote=True)
            page = page.replace("{{" + key + "}}", escaped)
        return page.replace("{{config}}", _script_json(config))

    async def slash(self, _request: web.Request) -> web.Response:
        raise web.HTTPPermanentRedirect(location=self.cookie_path)

    async def widget_script(self, request: web.Request) -> web.Response:
        lang = self._lang(request)
        texts = {
            "open": self.content.text("web_widget_open", lang),
            "close": self.content.text("web_widget_close", lang),
            "title": self.content.text("web_title", lang),
        }
        body = self.widget.replace("__TEXTS__", _script_json(texts))
        response = web.Response(text=body, content_type="text/javascript", charset="utf-8")
        response.headers["Cache-Control"] = "public, max-age=300"
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"  # for other sites
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def asset(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in ASSETS:
            raise web.HTTPNotFound()
        response = web.Response(
            body=(STATIC / name).read_bytes(), content_type=ASSETS[name], charset="utf-8"
        )
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    # --- the API -------------------------------------------------------------------------

    async def history(self, request: web.Request) -> web.Response:
        try:
            person = await self._admit(request, write=False)
        except Refused as refused:
            return self._refusal(request, refused)
        after = parse_id(request.query.get("after", "0"))
        if after is None:
            return self._refusal(request, Refused(400, "web_unavailable"))
        found = await self.chat.history(person, after)
        return _json({"lines": [line.as_json() for line in found.lines], "started": found.started})

    async def send(self, request: web.Request) -> web.Response:
        try:
            person = await self._admit(request, write=True)
            said = _said(await _body(request))
        except Refused as refused:
            return self._refusal(request, refused)
        turn = await self.chat.send(person, said, self._lang(request))
        return _json({"lines": [line.as_json() for line in turn.lines], "reset": turn.reset})

    async def telegram(self, request: web.Request) -> web.Response:
        try:
            person = await self._admit(request, write=True)
        except Refused as refused:
            return self._refusal(request, refused)
        link = await self.chat.telegram_link(person)
        if link is None:
            return self._refusal(request, Refused(404, "web_unavailable"))
        return _json({"link": link})

    async def _session_key(self) -> str:
        if self._key is None:
            async with self.chat.db.session() as session, session.begin():
                self._key = await repo.installation_secret(session, security.SESSION_KEY)
        return self._key

    async def _admit(self, request: web.Request, *, write: bool) -> str:
        """The person behind the request, or Refused: no session, wrong origin, no CSRF
        token, too many requests."""
        token = request.cookies.get(_cookie(request.query.get("embed") == "1"))
        if not security.valid_session(token, await self._session_key()):
            raise Refused(403, "web_forbidden")
        assert token is not None
        headers = request.headers
        if write and not security.origin_allowed(
            headers.get("Origin"), headers.get("Referer"), self._origins(request)
        ):
            log.warning("web chat: request from a foreign origin refused")
            raise Refused(403, "web_forbidden")
        if not security.csrf_ok(token, headers.get("X-CSRF-Token")):
            log.warning("web chat: request without a valid CSRF token refused")
            raise Refused(403, "web_forbidden")
        person = security.person_id(token)
        address = self._address(request)
        if write:
            if not self.per_address.allow(address) or not self.per_session.allow(person):
                raise Refused(429, "web_rate_limited")
        elif not self.reads.allow(address):
            raise Refused(429, "web_rate_limited")
        return person

    def _refusal(self, request: web.Request, refused: Refused) -> web.Response:
        text = self.content.text(refused.text_key, self._lang(request))
        response = _json({"error": text}, status=refused.status)
        if refused.status == 429:
            response.headers["Retry-After"] = "60"
        return response

    # --- helpers -------------------------------------------------------------------------

    def _origins(self, request: web.Request) -> set[str]:
        own = {self.settings.web_public_url, f"{request.scheme}://{request.host}"}
        return own | set(self.settings.web_allowed_origins)

    def _address(self, request: web.Request) -> str:
        if self.settings.web_trust_proxy:
            forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
            if forwarded:
                return forwarded  # added by our own reverse proxy: the last hop is the client
        return request.remote or "-"

    def _lang(self, request: web.Request) -> str:
        """The first language of the browser that the content has, else the first one."""
        for part in request.headers.get("Accept-Language", "").split(","):
            code = part.split(";")[0].strip().split("-")[0].lower()
            if code in self.content.languages:
                return code
        return self.content.languages[0]

    def _set_cookie(self, response: web.Response, token: str, embed: bool) -> None:
        # Inside the widget the page is a third-party frame: only SameSite=None cookies
        # reach it, and browsers require Secure and keep them per embedding site
        # (Partitioned). On plain http (development) that is not possible: Lax.
        cross_site = embed and self.secure
        parts = [
            f"{_cookie(embed)}={token}",  # [A-Za-z0-9_-] only: nothing to quote
            f"Max-Age={COOKIE_DAYS * 86400}",
            f"Path={self.cookie_path}",
            "HttpOnly",
            "SameSite=None" if cross_site else "SameSite=Lax",
        ]
        if self.secure:
            parts.append("Secure")
        if cross_site:
            parts.append("Partitioned")  # written by hand: Python 3.11's cookies lack it
        response.headers.add("Set-Cookie", "; ".join(parts))

    def _page_headers(self, response: web.Response, embed: bool) -> None:
        if embed:
            allowed = sorted(self.settings.web_allowed_origins)
            ancestors = " ".join(["'self'", *allowed]) if allowed else "*"
        else:
            ancestors = "'self'"
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {ancestors}"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "geolocation=(self)"
        response.headers["Cache-Control"] = "no-store"


def _cookie(embed: bool) -> str:
    return EMBED_COOKIE if embed else COOKIE


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    response = web.json_response(data, status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


async def _body(request: web.Request) -> dict[str, Any]:
    if (request.content_length or 0) > MAX_BODY:
        raise Refused(413, "web_unavailable")
    raw = await request.read()  # without a length: bounded by the app's client_max_size
    if len(raw) > MAX_BODY:
        raise Refused(413, "web_unavailable")
    try:
        data = json.loads(raw or b"{}")
    except ValueError as exc:
        raise Refused(400, "web_unavailable") from exc
    if not isinstance(data, dict):
        raise Refused(400, "web_unavailable")
    return data


def _said(data: dict[str, Any]) -> Said:
    """What the page sent, checked: exactly one known field of the right type."""
    text, button, start, location = (data.get(k) for k in ("text", "button", "start", "location"))
    command = data.get("command")
    if isinstance(command, str) and command in COMMANDS:
        return Said(command=command)
    if isinstance(text, str) and text.strip():
        return Said(text=text)
    if isinstance(button, str) and 0 < len(button) <= 64:
        return Said(button=button)
    if isinstance(start, str) and len(start) <= 64:
        return Said(start=start)
    if isinstance(location, dict):
        lat, lon = location.get("lat"), location.get("lon")
        if _number(lat, 90) and _number(lon, 180):
            return Said(location=(float(lat), float(lon)))  # type: ignore[arg-type]
    raise Refused(400, "web_unavailable")


def _number(value: object, bound: float) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and -bound <= value <= bound
    )


# --- running it ---------------------------------------------------------------------------


def mount_web_chat(
    app: web.Application,
    engine: DialogEngine,
    settings: Settings,
    *,
    bot_username: str | None = None,
    on_notify: Callable[[], None] | None = None,
    limits: Limits | None = None,
) -> WebServer:
    """Add the web chat to an aiohttp app (`lotse web`, or the webhook server of `lotse run`);
    with SMTP configured, the e-mail worker runs as long as the app does."""
    chat = WebChat(engine, bot_username=bot_username, on_notify=on_notify)
    server = WebServer(chat, settings, limits)
    server.add_routes(app)
    if mail_configured(settings):
        notifier = MailNotifier(engine.db, settings, lambda: engine.content)

        async def mailing(_app: web.Application) -> AsyncIterator[None]:
            stop = asyncio.Event()
            task = asyncio.create_task(notifier.run(stop))
            yield
            stop.set()
            notifier.wake.set()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        app.cleanup_ctx.append(mailing)
    return server
