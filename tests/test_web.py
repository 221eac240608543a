"""The web chat over real HTTP on 127.0.0.1: page, session cookie, CSRF and origin checks,
rate limits, leads with their channel, answers from Lotsen, e-mail, the one-time link to
Telegram, the webhook server and `lotse web` (storage on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from email import message_from_bytes
from email.message import Message as EmailMessage
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from bot import clock as product_clock
from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.leads.lifecycle import aware
from bot.messages import Event, Sender
from bot.privacy.personal_data import enforce_retention
from bot.runtime.ticker import tick
from bot.store import handover
from bot.store.db import Database
from bot.store.models import Conversation, Lead, OutboxMessage, User, WebMessage
from bot.telegram.outbox import OutboxWorker
from bot.web import transcript
from bot.web.app import Limits
from bot.web.mail import MailNotifier
from tests.fakes.telegram_api import FakeTelegram
from tests.helpers import free_port
from tests.helpers.leads import StubTelegram, join_on_telegram
from tests.helpers.telegram import webhook_app
from tests.helpers.web import ChatServer, PageClient, WebProcess, walk_to_lead, walk_to_offers

ROOT = Path(__file__).resolve().parent.parent
LOTSE_CHAT = 5001  # the Telegram chat of lotse-rackwitz (Zschortau belongs to Rackwitz)

Start = Callable[..., Awaitable[ChatServer]]


@pytest.fixture
async def start_server(content: Content, matchers: Matchers) -> AsyncIterator[Start]:
    started: list[ChatServer] = []

    async def start(db_url: str, **kwargs: Any) -> ChatServer:
        server = await ChatServer.start(db_url, content, matchers, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        await server.stop()


@pytest.fixture
async def pages() -> AsyncIterator[Callable[..., PageClient]]:
    opened: list[PageClient] = []

    def new(base: str, **kwargs: Any) -> PageClient:
        page = PageClient.new(base, **kwargs)
        opened.append(page)
        return page

    yield new
    for page in opened:
        await page.close()


async def join_as_lotse(server: ChatServer, chat_id: int, lotse_id: str) -> Sender:
    return await join_on_telegram(server.engine, server.db, chat_id, lotse_id)


async def the_lead(server: ChatServer) -> Lead:
    async with server.db.session() as session:
        return (await session.scalars(select(Lead))).one()


async def outbox(server: ChatServer, role: str) -> list[OutboxMessage]:
    async with server.db.session() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient_role == role)
            .order_by(OutboxMessage.id)
        )
        return list(rows.all())


# --- the page ---------------------------------------------------------------------------


async def test_page_is_self_contained_with_a_safe_session_cookie(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    page = pages(server.base)
    async with page.http.get(f"{server.base}/chat") as response:
        html = await response.text()
        headers = response.headers
        cookie = response.cookies["lotse_chat"]
    assert '<html lang="de">' in html
    assert 'role="log"' in html and 'aria-live="polite"' in html
    assert '<label for="message">Ihre Nachricht</label>' in html
    # Nothing from elsewhere: no CDN, fonts or trackers; the CSP forbids them anyway.
    assert not re.search(r'(src|href)="(https?:)?//', html)
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/chat"
    assert not cookie["secure"]  # plain http here; see the https case below
    assert re.fullmatch(r"[A-Za-z0-9_-]{44}", cookie.value)  # 128 random bits + signature
    for name, kind in (("chat.js", "javascript"), ("chat.css", "css")):
        async with page.http.get(f"{server.base}/chat/static/{name}") as response:
            assert response.status == 200 and kind in response.headers["Content-Type"]
    async with page.http.get(f"{server.base}/chat/static/../app.py") as response:
        assert response.status == 404
    async with page.http.get(f"{server.base}/chat/widget.js") as response:
        widget = await response.text()
    assert "Chat öffnen" in widget and "__TEXTS__" not in widget
    async with page.http.get(f"{server.base}/chat/health") as response:
        assert (await response.json())["status"] == "ok"


async def test_cookie_is_secure_on_https_and_works_inside_other_sites(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(
        sqlite_url,
        WEB_PUBLIC_URL="https://lotse.example.org",
        WEB_ALLOWED_ORIGINS="https://verein.example.org",
    )
    page = pages(server.base)
    async with page.http.get(f"{server.base}/chat") as response:
        assert "Secure" in response.headers["Set-Cookie"]
        assert "SameSite=Lax" in response.headers["Set-Cookie"]
    async with page.http.get(f"{server.base}/chat?embed=1") as response:
        set_cookie = response.headers["Set-Cookie"]
        csp = response.headers["Content-Security-Policy"]
    # A third-party frame only gets SameSite=None cookies, kept per embedding site.
    assert "lotse_chat_embed=" in set_cookie
    assert all(part in set_cookie for part in ("Secure", "SameSite=None", "Partitioned"))
    assert "frame-ancestors 'self' https://verein.example.org" in csp


async def test_start_payload_works_like_a_telegram_deep_link(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    page = pages(server.base)
    html = await page.open("?start=i-sport")
    assert '"start": "i-sport"' in html
    assert '"start": ""' in await page.open("?start=%3Cscript%3E")  # not a payload: dropped
    replies = await page.send(start="i-sport")
    assert "Verstanden: Sport" in replies[0]["text"]
    assert "In welchem Ort" in replies[-1]["text"]
    # Invite and handover links belong to Telegram: typed here they are a plain /start.
    text = await page.say("/start inv-abcdefghijklmnopqrstuvwx")
    assert "Hallo und willkommen" in text and "Einladung" not in text
    async with server.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Lead)) == 0


# --- protection -------------------------------------------------------------------------


async def test_api_refuses_missing_csrf_token_and_foreign_origins(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url, WEB_ALLOWED_ORIGINS="https://verein.example.org")
    page = pages(server.base)
    await page.open()
    own = server.base
    refused = [
        {"Origin": own},  # no token
        {"Origin": own, "X-CSRF-Token": "0" * 64},  # a wrong token
        {"Origin": "https://evil.example", "X-CSRF-Token": page.csrf},
        {"Referer": "https://evil.example/page", "X-CSRF-Token": page.csrf},
        {"Origin": "null", "X-CSRF-Token": page.csrf},
        {"X-CSRF-Token": page.csrf},  # neither Origin nor Referer
    ]
    for headers in refused:
        status, data = await page.post("send", {"text": "Hallo"}, headers=headers)
        assert status == 403, headers
        assert "aus Sicherheitsgründen" in data["error"]
    async with page.http.get(f"{server.base}/chat/api/history") as response:
        assert response.status == 403  # reading needs the token too
    # Without the session cookie the token alone is worth nothing.
    stranger = pages(server.base)
    status, _ = await stranger.post("send", {"text": "Hallo"}, headers=page.headers())
    assert status == 403
    async with server.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
    accepted = [
        {"Origin": own, "X-CSRF-Token": page.csrf},
        {"Referer": f"{own}/chat", "X-CSRF-Token": page.csrf},
        {"Origin": "https://verein.example.org", "X-CSRF-Token": page.csrf},
    ]
    for headers in accepted:
        status, data = await page.post("send", {"start": ""}, headers=headers)
        assert status == 200, headers
    status, _ = await page.post("send", {"nonsense": 1})
    assert status == 400
    status, _ = await page.post("send", {"text": "x" * 20_000})
    assert status == 413


async def test_rate_limit_per_session_answers_429_in_german(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)  # the defaults: 20 messages a minute
    page = pages(server.base)
    await page.open()
    for _ in range(20):
        status, _ = await page.post("send", {"text": "Hallo"})
        assert status == 200
    async with page.http.post(
        f"{server.base}/chat/api/send", json={"text": "Hallo"}, headers=page.headers()
    ) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "60"
        assert "etwas schnell" in (await response.json())["error"]
    # Another person from elsewhere is not affected.
    other = pages(server.base)
    await other.open()
    status, _ = await other.post("send", {"text": "Hallo"})
    assert status == 200


async def test_rate_limit_per_address_counts_all_sessions(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url, limits=Limits(per_session=100, per_address=6))
    statuses = []
    for _ in range(4):  # new cookies do not help: the address is the same
        page = pages(server.base)
        await page.open()
        for _ in range(2):
            statuses.append((await page.post("send", {"text": "Hallo"}))[0])
    assert statuses == [200] * 6 + [429] * 2


# --- the conversation -------------------------------------------------------------------


async def test_conversation_survives_a_reload_with_the_cookie(
    start_server: Start, pages: Callable[..., PageClient], any_db_url: str
) -> None:
    server = await start_server(any_db_url)
    page = pages(server.base)
    await page.open()
    await page.send(start="")
    await page.press("engagieren")
    await page.say("was mit Kindern")
    # The page is reloaded: same cookie, a new page (and a new client).
    again = pages(server.base)
    again.http.cookie_jar.update_cookies({"lotse_chat": page.cookie()})
    await again.open()
    history = await again.history()
    assert history["started"] is True
    lines = history["lines"]
    assert [line["from"] for line in lines[:3]] == ["bot", "user", "bot"]
    assert lines[1]["text"] == "🙋 Ich möchte mich engagieren"  # the pressed button
    assert lines[-1]["text"].startswith("In welchem Ort")
    # Only the current question keeps its buttons; answered ones show text only.
    assert [bool(line["buttons"]) for line in lines].count(True) == 1
    assert any("Zurück" in b["label"] for b in lines[-1]["buttons"])
    assert lines[-1]["location"] is True
    again.lines = lines
    assert "einmal mit anpacken" in await again.say("Zschortau")
    # Without the cookie it is somebody new.
    stranger = pages(server.base)
    await stranger.open()
    assert await stranger.history() == {"lines": [], "started": False}


async def test_an_offer_opens_before_choosing_and_the_list_comes_back(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    page = pages(server.base)
    await page.open()
    [listed] = bot_lines(await walk_to_offers(page))
    assert [b["label"] for b in listed["buttons"][3:6]] == [f"ℹ️ Mehr zu {n}" for n in (1, 2, 3)]

    [details] = bot_lines(await page.send(button=listed["buttons"][4]["data"]))
    assert details["text"].startswith("ℹ️ 2. ") and "🗓 Wann:" in details["text"]
    labels = [b["label"] for b in details["buttons"]]
    assert labels == ["✅ Das möchte ich", "↩️ Zurück zur Liste"]
    [again] = bot_lines(await page.send(button=details["buttons"][1]["data"]))
    assert (again["text"], again["buttons"]) == (listed["text"], listed["buttons"])

    # A forged or stale details button is answered kindly, over HTTP like any other.
    status, data = await page.post("send", {"button": "od:no-such-offer"})
    assert status == 200 and "früheren Frage" in bot_lines(data["lines"])[0]["text"]

    assert bot_lines(await page.send(text="mehr zu 1"))[0]["text"].startswith("ℹ️ 1. ")
    assert "Sind Sie damit einverstanden" in await page.press("Das möchte ich")
    # After a reload the page shows where the person is: the consent, with its buttons.
    history = (await page.history())["lines"]
    assert "einverstanden" in history[-1]["text"] and history[-1]["buttons"]


def bot_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["from"] == "bot"]


async def test_nul_bytes_and_lone_surrogates_are_cleaned_before_anything_is_stored(
    start_server: Start, pages: Callable[..., PageClient], any_db_url: str
) -> None:
    """PostgreSQL refuses NUL in text, SQLite and JSON refuse lone surrogates: such input
    used to end in HTTP 500 with the step already moved on (issue #18, point 5)."""
    server = await start_server(any_db_url)
    page = pages(server.base)
    await page.open()
    await page.send(start="")
    await page.press("engagieren")
    assert "In welchem Ort" in await page.say("was mit\x00 Kindern\ud800")
    assert "einmal mit anpacken" in await page.say("Zschor\x00tau")
    history = await page.history()
    said = [line["text"] for line in history["lines"] if line["from"] == "user"]
    assert said[-2:] == ["was mit Kindern", "Zschortau"]
    async with server.db.session() as session:
        answers = (await session.scalars(select(Conversation.answers))).one()
    assert "\x00" not in json.dumps(answers, ensure_ascii=False)


async def test_step_and_transcript_are_one_transaction(
    start_server: Start,
    pages: Callable[..., PageClient],
    any_db_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the transcript cannot be written, the step does not move on either: the page
    shows an apology and the next answer is read against the same question."""
    server = await start_server(any_db_url)
    page = pages(server.base)
    await page.open()
    await page.send(start="")
    await page.press("engagieren")
    assert "In welchem Ort" in await page.say("was mit Kindern")
    async with server.db.session() as session:
        before = (await session.scalars(select(Conversation.step))).one()
    append = transcript.append

    async def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the transcript table is gone")

    monkeypatch.setattr(transcript, "append", failing)
    apology = await page.say("Zschortau")
    assert "schiefgelaufen" in apology or "Entschuldigung" in apology
    async with server.db.session() as session:
        assert (await session.scalars(select(Conversation.step))).one() == before
    monkeypatch.setattr(transcript, "append", append)
    assert "einmal mit anpacken" in await page.say("Zschortau")  # the same question again
    async with server.db.session() as session:
        assert (await session.scalars(select(Conversation.step))).one() != before
    history = await page.history()
    user_lines = [line["text"] for line in history["lines"] if line["from"] == "user"]
    assert user_lines.count("Zschortau") == 1  # the failed turn left no trace


async def test_deleting_ones_data_clears_the_page(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    page = pages(server.base)
    await page.open()
    await page.send(start="")
    await page.press("engagieren")
    await page.say("/loeschen")
    status, data = await page.post("send", {"button": "del:yes"})
    assert status == 200 and data["reset"] is True
    assert (await page.history())["started"] is False
    async with server.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(WebMessage)) == 0
        web_users = select(func.count()).select_from(User).where(User.channel == "web")
        assert await session.scalar(web_users) == 0


async def test_transcript_is_in_the_export_and_goes_with_the_conversation(
    start_server: Start, pages: Callable[..., PageClient], any_db_url: str
) -> None:
    server = await start_server(any_db_url)
    page = pages(server.base)
    await page.open()
    await page.send(start="")
    await page.press("engagieren")
    await page.say("was mit Kindern")
    lines = await page.send(text="/meine_daten")
    [export] = [line for line in lines if "attachment" in line]
    assert export["attachment"]["filename"] == "meine-daten.json"
    data = json.loads(export["attachment"]["text"])
    assert data["person"]["channel"] == "web"
    assert page.cookie() not in export["attachment"]["text"]  # only a hash of it is stored
    assert {"from": "user", "text": "was mit Kindern"}.items() <= data["web_chat"][3].items()
    # Unfinished conversations are deleted after 30 days: the transcript goes with them.
    async with server.db.session() as session, session.begin():
        later = product_clock.now() + dt.timedelta(days=31)
        await enforce_retention(session, server.engine.content, later)
    async with server.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(WebMessage)) == 0
    assert (await page.history())["started"] is False


async def test_web_lead_reaches_the_lotse_with_the_channel_and_answers_come_back(
    start_server: Start, pages: Callable[..., PageClient], any_db_url: str
) -> None:
    server = await start_server(any_db_url)
    lotse = await join_as_lotse(server, LOTSE_CHAT, "lotse-rackwitz")
    page = pages(server.base)
    await page.open()
    await walk_to_lead(page)
    lead = await the_lead(server)
    assert (lead.channel, lead.lotse_id, lead.name) == ("web", "lotse-rackwitz", "Maria")
    assert server.notified  # the Telegram outbox worker was woken
    # The Telegram outbox worker sends the card to the Lotse as for any lead …
    telegram = StubTelegram()
    worker = OutboxWorker(server.db, telegram, lambda: server.engine.content, frozenset())  # type: ignore[arg-type]
    await worker.deliver_due(product_clock.now())
    [(chat, card)] = telegram.sent
    assert chat == LOTSE_CHAT and "über: Web-Chat" in card.text
    assert "0171" not in card.text  # contact details only after accepting
    # … the Lotse accepts and writes, on Telegram.
    accept = next(b for b in card.buttons if b.data.endswith(":accept"))
    await server.engine.handle(Event.button(lotse, accept.data))
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:write"))
    await server.engine.handle(Event.message(lotse, "Hallo Maria, passt Ihnen Dienstag?"))
    # Messages to a web citizen are not for Telegram: they wait for the page.
    later = product_clock.now() + dt.timedelta(days=1)  # past any quiet hours
    telegram.sent.clear()
    await worker.deliver_due(later)
    assert telegram.sent == []
    assert {row.status for row in await outbox(server, "citizen")} == {"web"}
    # The next time the page is opened (or asks while open), they are there, once.
    seen = max(line["id"] for line in page.lines if line["id"])
    history = await page.history(after=seen)
    notes = [line for line in history["lines"] if line["from"] == "note"]
    assert len(notes) == 2
    assert "hat Ihre Anfrage übernommen" in notes[0]["text"]
    assert "passt Ihnen Dienstag?" in notes[1]["text"]
    assert {row.status for row in await outbox(server, "citizen")} == {"sent"}
    assert (await page.history(after=max(n["id"] for n in notes)))["lines"] == []
    reloaded = await page.history()
    assert [line["text"] for line in reloaded["lines"][-2:]] == [n["text"] for n in notes]


async def test_web_citizen_messages_wait_for_the_page_even_without_telegram(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    """`lotse web` alone (no token, no outbox worker): the rows are still shown."""
    server = await start_server(sqlite_url)
    lotse = await join_as_lotse(server, LOTSE_CHAT, "lotse-rackwitz")
    page = pages(server.base)
    await page.open()
    await walk_to_lead(page)
    lead = await the_lead(server)
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:accept"))
    assert {row.status for row in await outbox(server, "citizen")} == {"pending"}
    notes = [line for line in (await page.history())["lines"] if line["from"] == "note"]
    assert len(notes) == 1 and "übernommen" in notes[0]["text"]


# --- e-mail ---------------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, _server: object, _session: object, envelope: Any) -> str:
        self.mails.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Any:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
async def mailing(start_server: Start, sqlite_url: str, smtp: Any) -> tuple[ChatServer, Any]:
    """A web chat server that mails answers through the test SMTP server, and its inbox."""
    inbox, port = smtp
    server = await start_server(
        sqlite_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        SMTP_FROM="lotse@example.org",
        SMTP_TLS="none",
    )
    return server, inbox


def mail_notifier(server: ChatServer) -> MailNotifier:
    return MailNotifier(server.db, server.server.settings, lambda: server.engine.content)


async def test_answers_go_by_email_only_to_web_citizens_who_gave_an_address(
    mailing: tuple[ChatServer, Any], pages: Callable[..., PageClient]
) -> None:
    server, inbox = mailing
    lotse = await join_as_lotse(server, LOTSE_CHAT, "lotse-rackwitz")
    maria = pages(server.base)
    assert "zusätzlich per E-Mail" in await maria.open()  # offered, since SMTP is set
    await walk_to_lead(maria, contact="maria@example.org")
    paul = pages(server.base)
    await paul.open()
    await walk_to_lead(paul, contact="0171 2345678")
    async with server.db.session() as session:
        leads = (await session.scalars(select(Lead).order_by(Lead.id))).all()
    for lead in leads:
        await server.engine.handle(Event.button(lotse, f"l:{lead.id}:accept"))
    notifier = mail_notifier(server)
    later = product_clock.now() + dt.timedelta(days=1)  # past any quiet hours
    assert await notifier.deliver_due(later) == 2
    [(to, mail)] = inbox.mails
    assert to == ["maria@example.org"]
    assert str(mail["Subject"]).replace("\n ", " ") == (
        "Engagement-Lotse Delitzscher Land: neue Nachricht zu Ihrer Anfrage"
    )
    body = mail.get_payload(decode=True).decode()
    assert "hat Ihre Anfrage übernommen" in body and f"{server.base}/chat" in body
    statuses = [row.status for row in await outbox(server, "citizen")]
    assert statuses == ["mailed", "web-only"]
    assert await notifier.deliver_due(later) == 0  # never twice
    # The page still shows it (both of them) …
    for page in (maria, paul):
        notes = [line for line in (await page.history())["lines"] if line["from"] == "note"]
        assert len(notes) == 1
    # … and what the page showed first is not mailed any more.
    await server.engine.handle(Event.button(lotse, f"l:{leads[0].id}:write"))
    await server.engine.handle(Event.message(lotse, "Bis Dienstag!"))
    await maria.history()
    assert await notifier.deliver_due(later) == 0
    assert len(inbox.mails) == 1


async def test_no_email_without_smtp(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    page = pages(server.base)
    html = await page.open()
    assert "E-Mail" not in html.split('class="replies">')[1].split("</p>")[0]


# --- continuing on Telegram -------------------------------------------------------------


async def test_one_time_link_moves_the_conversation_to_telegram_once(
    start_server: Start, pages: Callable[..., PageClient], any_db_url: str
) -> None:
    server = await start_server(any_db_url)
    page = pages(server.base)
    assert 'id="telegram" class="link">' in await page.open()  # offered: BOT_USERNAME known
    await page.send(start="")
    await page.press("engagieren")
    await page.say("was mit Kindern")
    await page.say("Zschortau")
    status, data = await page.post("telegram", {})
    assert status == 200
    link = r"https://t\.me/lotse_test_bot\?start=(web-[A-Za-z0-9_-]{24})"
    found = re.fullmatch(link, data["link"])
    assert found, data
    payload = found.group(1)
    # A web session cannot take over a conversation with it.
    thief = pages(server.base)
    await thief.open()
    assert "Hallo und willkommen" in await thief.say(f"/start {payload}")
    # On Telegram the conversation goes on where it was.
    anna = Sender("telegram", "777", "de")
    outcome = await server.engine.handle(Event.message(anna, f"/start {payload}"))
    texts = [m.text for m in outcome.replies]
    assert "Hier geht Ihr Gespräch aus dem Web-Chat weiter" in texts[0]
    assert "einmal mit anpacken" in texts[-1] and outcome.replies[-1].buttons
    async with server.db.session() as session:
        telegram_user = await session.scalar(select(User).where(User.channel == "telegram"))
        assert telegram_user is not None
        moved = await session.get(Conversation, telegram_user.id)
        assert moved is not None and moved.step == "time_kind"
        assert moved.answers["place"]["name"] == "Zschortau"
        assert moved.answers["interests"] == ["kinder-jugend"]
        web_users = await session.scalars(select(User.external_id).where(User.channel == "web"))
        assert page.cookie() not in web_users.all()
    outcome = await server.engine.handle(
        Event.button(anna, outcome.replies[-1].buttons[1].data)  # "Regelmäßig"
    )
    assert "Wann haben Sie" in outcome.replies[-1].text
    # Used once: a second time (anybody) it is refused and starts afresh.
    paul = Sender("telegram", "778", "de")
    outcome = await server.engine.handle(Event.message(paul, f"/start {payload}"))
    assert "abgelaufen oder wurde schon benutzt" in outcome.replies[0].text
    # The web page now starts afresh too: the conversation lives on Telegram.
    assert (await page.history())["started"] is False


async def test_link_expires_after_30_minutes_and_is_not_offered_without_bot_username(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url, bot_username=None)
    page = pages(server.base)
    assert 'id="telegram" class="link" hidden>' in await page.open()
    await page.send(start="")
    status, data = await page.post("telegram", {})
    assert status == 404 and data["error"]
    async with server.db.session() as session, session.begin():
        user = await session.scalar(select(User).where(User.channel == "web"))
        assert user is not None
        old = product_clock.now() - dt.timedelta(minutes=31)
        code = await handover.create_code(session, user, now=old)
    outcome = await server.engine.handle(
        Event.message(Sender("telegram", "777", "de"), f"/start {handover.PREFIX}{code}")
    )
    assert "abgelaufen" in outcome.replies[0].text
    assert (await page.history())["started"] is True  # nothing moved


async def test_a_moved_request_keeps_reaching_its_person_on_telegram(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    lotse = await join_as_lotse(server, LOTSE_CHAT, "lotse-rackwitz")
    page = pages(server.base)
    await page.open()
    await walk_to_lead(page)
    lead = await the_lead(server)
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:accept"))  # waits for the page
    _, data = await page.post("telegram", {})
    anna = Sender("telegram", "777", "de")
    await server.engine.handle(Event.message(anna, "/start " + data["link"].split("start=")[1]))
    telegram = StubTelegram()
    worker = OutboxWorker(server.db, telegram, lambda: server.engine.content, frozenset())  # type: ignore[arg-type]
    await worker.deliver_due(product_clock.now() + dt.timedelta(days=1))
    to_anna = [message.text for chat, message in telegram.sent if chat == 777]
    assert any("übernommen" in text for text in to_anna)
    assert (await the_lead(server)).channel == "web"  # where it came from stays on the card


# --- where it runs --------------------------------------------------------------------


async def test_webhook_server_serves_the_web_chat(
    content: Content, sqlite_url: str, pages: Callable[..., PageClient]
) -> None:
    port = free_port()
    async with (
        FakeTelegram() as fake,
        webhook_app(
            fake,
            sqlite_url,
            content,
            port,
            CONTENT_DIR=str(ROOT / "content"),
            KNOWLEDGE_DIR=str(ROOT / "knowledge"),
        ),
    ):
        page = pages(f"http://127.0.0.1:{port}")
        html = await page.open()
        assert 'id="telegram" class="link">' in html  # the bot's name came from getMe
        await page.send(start="")
        assert "Was interessiert Sie" in await page.press("engagieren")


@pytest.mark.slow
def test_lotse_web_command_serves_the_chat_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = WebProcess(  # --host/--port override WEB_HOST/WEB_PORT (issue #20, point 6)
        {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/lotse.sqlite3",
            "WEB_HOST": "192.0.2.1",  # not this machine: listening there would fail
            "WEB_PORT": "1",
            "BOT_TOKEN": "",
        },
        ["--host", "127.0.0.1", "--port", str(port)],
    )
    try:
        listening = process.wait_for("web chat on")  # logged once the server listens
        assert listening and process.process.poll() is None, process.output
        html = asyncio.run(_fetch(f"http://127.0.0.1:{port}/chat"))
        assert "Engagement-Lotse" in html and 'name="csrf-token"' in html
    finally:
        code = process.stop()
    log = process.output
    assert code == 0, log
    assert f"http://127.0.0.1:{port}/chat" in log
    assert "ticker" in log  # what it runs is logged, the timed lead work included


@pytest.mark.slow
async def test_lotse_web_alone_reminds_the_lotse_of_a_web_lead(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    """A web-only installation (no token, no `lotse run`) does the timed lead work too:
    a `lotse web` process whose clock is past a web lead's reminder time reminds the
    Lotse, through the outbox, next to the server the lead came in on."""
    server = await start_server(sqlite_url)
    page = pages(server.base)
    await page.open()
    await walk_to_lead(page)
    lead = await the_lead(server)
    assert lead.status == "offered" and lead.due_kind == "remind" and lead.due_at is not None
    # LOTSE_NOW (bot/clock.py) starts the process's clock just after the reminder is due.
    later = aware(lead.due_at) + dt.timedelta(minutes=1)
    process = WebProcess(
        {
            "DATABASE_URL": sqlite_url,
            "WEB_PORT": str(free_port()),
            "BOT_TOKEN": "",
            "LOTSE_NOW": later.isoformat(),
        }
    )
    try:
        # Logged after the tick's transaction is committed (the first one runs soon).
        ticked = await asyncio.to_thread(process.wait_for, "tick: ")
    finally:
        code = await asyncio.to_thread(process.stop)
    assert ticked and code == 0, process.output
    reminders = [row for row in await outbox(server, "lotse") if "Erinnerung" in row.text]
    assert [(row.recipient_id, row.status) for row in reminders] == [(lead.lotse_id, "pending")]
    assert (await the_lead(server)).due_kind == "escalate"


async def _fetch(url: str) -> str:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return await response.text()


# --- texts name the page's buttons, not Telegram's commands; the operator -------------


async def test_web_texts_name_the_pages_buttons_instead_of_slash_commands(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    page = pages(server.base)
    html_page = await page.open()
    for command in ("meine_daten", "loeschen", "datenschutz", "sprache"):
        assert f'data-command="{command}"' in html_page
    await walk_to_lead(page)
    await page.send(command="datenschutz")
    await page.say("hilfe")
    shown = "\n".join(line["text"] for line in page.lines)
    assert "Datenschutz beim Engagement-Lotsen" in shown and "„📄 Meine Daten“" in shown
    for command in ("/meine_daten", "/loeschen", "/datenschutz", "/start", "/hilfe"):
        assert command not in shown, command


async def test_here_in_the_chat_says_what_it_means_in_a_browser(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str, content: Content
) -> None:
    """On the web 'Hier im Chat' works only in this browser: the question says so and
    asks for a phone number or e-mail instead; Telegram keeps its own wording."""
    server = await start_server(sqlite_url)
    page = pages(server.base)
    await page.open()
    await walk_to_offers(page)
    await page.press("beraten")
    await page.press("Ja, einverstanden")
    asked = await page.say("Maria")
    assert "Telefonnummer oder E-Mail-Adresse" in asked
    assert "im selben Browser" in asked and "Cookies" in asked and "anderes Gerät" in asked
    assert "💬 Hier im Chat (nur dieser Browser)" in [b["label"] for b in page.buttons()]
    assert "nur in diesem Browser" in await page.say("irgendwann mal")
    assert "Ihre Anfrage ist angekommen" in await page.press("Hier im Chat")
    # Telegram and the terminal: 'here in the chat' is the person's messenger, as before.
    for via in ("telegram", "console"):
        assert content.text("ask_contact", "de", via=via) == content.text("ask_contact", "de")
        assert content.text("btn_contact_chat", "en", via=via) == "💬 Here in the chat"
    assert "same browser" in content.text("ask_contact", "en", via="web")


async def test_the_pages_buttons_export_and_delete_the_data(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    page = pages(server.base)
    await page.open()
    await page.send(start="")
    await page.press("engagieren")
    lines = await page.send(command="meine_daten")
    assert lines[0] == {**lines[0], "from": "user", "text": "📄 Meine Daten"}
    [export] = [line for line in lines if "attachment" in line]
    assert json.loads(export["attachment"]["text"])["person"]["channel"] == "web"
    assert "Wirklich alle Ihre Daten löschen?" in _said(await page.send(command="loeschen"))
    await page.press("Ja, alles löschen")
    assert (await page.history())["started"] is False
    status, _ = await page.post("send", {"command": "stats"})  # only the page's buttons
    assert status == 400


def _said(lines: list[dict[str, Any]]) -> str:
    return "\n".join(line["text"] for line in lines)


async def test_footer_and_privacy_notice_name_the_operator_escaped(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(
        sqlite_url,
        OPERATOR_NAME="Landratsamt <script>alert(1)</script>",
        OPERATOR_ADDRESS="Richard-Wagner-Str. 7a, 04509 Delitzsch",
        OPERATOR_CONTACT="engagement@example.org",
        IMPRINT_URL="https://example.org/impressum?a=1&b=2",
        PRIVACY_URL="https://example.org/datenschutz",
    )
    page = pages(server.base)
    html_page = await page.open()
    footer = html_page[html_page.index("<footer") : html_page.index("</footer>")]
    assert "<script>alert" not in html_page
    assert 'aria-label="Betreiber"' in footer
    assert "Landratsamt &lt;script&gt;alert(1)&lt;/script&gt;" in footer
    assert "04509 Delitzsch" in footer and "engagement@example.org" in footer
    assert '<a href="https://example.org/impressum?a=1&amp;b=2">Impressum</a>' in footer
    assert '<a href="https://example.org/datenschutz">Datenschutzerklärung</a>' in footer
    await page.send(start="")
    notice = _said(await page.send(command="datenschutz"))
    assert "Betreiber: Landratsamt <script>alert(1)</script>, Richard-Wagner-Str." in notice
    assert "Impressum: https://example.org/impressum?a=1&b=2" in notice


async def test_without_operator_settings_the_footer_names_nobody(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    assert 'class="operator"' not in await pages(server.base).open()


def test_operator_links_must_be_web_addresses() -> None:
    with pytest.raises(ValueError, match="IMPRINT_URL"):
        Settings.from_env({"IMPRINT_URL": "javascript:alert(1)"})


async def test_telegram_keeps_its_slash_commands(content: Content, sqlite_url: str) -> None:
    db = Database(sqlite_url)
    await db.migrate()
    try:
        engine = DialogEngine(content, db)
        person = Sender("telegram", "77", "de")
        notice = (await engine.handle(Event.message(person, "/datenschutz"))).replies[0].text
        assert "/meine_daten zeigt alles" in notice and "/loeschen löscht es" in notice
        help_text = (await engine.handle(Event.message(person, "/hilfe"))).replies[0].text
        assert "„neu starten“ oder /start – von vorn beginnen" in help_text
        assert "/meine_daten – was über Sie gespeichert ist; /loeschen – alles löschen" in help_text
        faq = await engine.handle(Event.message(person, "Wie lösche ich meine Daten?"))
        assert "Tippen Sie auf /loeschen." in faq.replies[0].text
    finally:
        await db.close()


async def test_the_page_shows_commands_named_in_texts_as_buttons(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    server = await start_server(sqlite_url)
    page = pages(server.base)
    html_page = await page.open()
    config = json.loads(re.search(r'id="chat-config">(.*?)</script>', html_page)[1])  # type: ignore[index]
    refs = {(item["ref"], item["label"], item["command"]) for item in config["commands"]}
    assert ("„📄 Meine Daten“", "📄 Meine Daten", "meine_daten") in refs
    assert ('"🔄 Start over"', "🔄 Start over", "start") in refs  # a waiting note may be English
    await page.send(start="")
    await page.press("engagieren")
    # The buttons in a text give their command: 'Neu beginnen' and 'Hilfe' as well.
    helped = await page.send(command="hilfe")
    assert helped[0]["text"] == "❓ Hilfe" and "„🔄 Neu beginnen“" in _said(helped)
    # An FAQ answer, too: '{/loeschen}' in knowledge/faq.yaml.
    answered = await page.say("Wie lösche ich meine Daten?")
    assert "Tippen Sie auf „🗑 Daten löschen“" in answered and "/loeschen" not in answered
    restarted = await page.send(command="start")
    assert restarted[0]["text"] == "🔄 Neu beginnen"
    assert "Ich möchte mich engagieren" in page.buttons()[0]["label"]


async def test_queued_messages_name_the_command_as_the_persons_channel_gives_it(
    start_server: Start, pages: Callable[..., PageClient], sqlite_url: str
) -> None:
    """'Ihre Anfrage ist abgelaufen … {/start}' is written by the ticker before anyone
    knows where it will be read: the page shows its button, Telegram gets /start (here
    after the person moved their conversation there)."""
    server = await start_server(sqlite_url)
    content = server.engine.content
    web_page, moving = pages(server.base), pages(server.base)
    for page in (web_page, moving):
        await page.open()
        await walk_to_lead(page)
    now = product_clock.now()
    async with server.db.session() as session, session.begin():
        for lead in await session.scalars(select(Lead)):
            lead.due_kind, lead.due_at = "expire", now - dt.timedelta(minutes=1)
    done = await tick(server.db, content, now)
    assert sum("abgelaufen" in line for line in done) == 2
    assert all("{/start}" in row.text for row in await outbox(server, "citizen"))
    # The web page: the page's own words (its button), never a slash command.
    notes = [line for line in (await web_page.history())["lines"] if line["from"] == "note"]
    [expired] = [note["text"] for note in notes if "abgelaufen" in note["text"]]
    assert "tippen Sie gern auf „🔄 Neu beginnen“, dann" in expired
    assert "/start" not in expired and "{/" not in expired
    # Telegram: the person moved there before the message went out.
    _, data = await moving.post("telegram", {})
    anna = Sender("telegram", "777", "de")
    await server.engine.handle(Event.message(anna, "/start " + data["link"].split("start=")[1]))
    telegram = StubTelegram()
    worker = OutboxWorker(server.db, telegram, lambda: content, frozenset())  # type: ignore[arg-type]
    await worker.deliver_due(now + dt.timedelta(days=1))
    [to_anna] = [m.text for chat, m in telegram.sent if chat == 777 and "abgelaufen" in m.text]
    assert "tippen Sie gern auf /start, dann" in to_anna


async def test_a_mailed_message_names_the_pages_button_not_a_command(
    mailing: tuple[ChatServer, Any], pages: Callable[..., PageClient]
) -> None:
    server, inbox = mailing
    maria = pages(server.base)
    await maria.open()
    await walk_to_lead(maria, contact="maria@example.org")
    now = product_clock.now()
    async with server.db.session() as session, session.begin():
        lead = (await session.scalars(select(Lead))).one()
        lead.due_kind, lead.due_at = "expire", now - dt.timedelta(minutes=1)
    await tick(server.db, server.engine.content, now)
    notifier = mail_notifier(server)
    assert await notifier.deliver_due(now + dt.timedelta(days=1)) == 1
    [(_, mail)] = inbox.mails
    body = mail.get_payload(decode=True).decode()
    assert "tippen Sie gern auf „🔄 Neu beginnen“" in body
    assert "/start" not in body and "{/" not in body
