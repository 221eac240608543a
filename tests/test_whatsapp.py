"""The WhatsApp channel end to end: Meta's signed webhook into a real aiohttp server on
127.0.0.1, the core, and the fake Cloud API (tests/fakes/whatsapp_api.py) for what goes out:
signatures, rendering by WhatsApp's rules, duplicates, retries, statuses, the 24-hour window
and its template, and the citizen journeys of the Telegram tests."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot import clock as product_clock
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.turn import Matchers
from bot.messages import Event, Message, Notification, Recipient, Sender
from bot.privacy.personal_data import enforce_retention
from bot.runtime.web import run_web
from bot.store import repo
from bot.store.db import Database
from bot.store.models import (
    EntryCount,
    HandledUpdate,
    Lead,
    OutboxMessage,
    User,
    WhatsAppContact,
    WhatsAppMessage,
)
from bot.telegram.outbox import OutboxWorker
from bot.whatsapp.channel import SHOW
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.whatsapp_api import (
    FakeCloudApi,
    Sent,
    post_webhook,
    sign,
    statuses_body,
)
from tests.helpers import free_port
from tests.helpers.leads import StubTelegram, join_on_telegram
from tests.helpers.telegram import webhook_app
from tests.helpers.whatsapp import VERIFY_TOKEN, WhatsAppServer, whatsapp_env

ANNA = "4915112345678"
POSTER = "p-kinder-jugend_zschepplin-hohenpriessnitz"  # Hohenprießnitz, Gemeinde Zschepplin
LOTSE_CHAT = 5001  # lotse-rackwitz on Telegram (Zschortau belongs to Rackwitz)
COORDINATOR = 9001
ZSCHORTAU = (51.4793, 12.3589)
# A Monday morning in Delitzsch, far from the quiet hours (21:00–08:00).
MONDAY_MORNING = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)

Start = Callable[..., Any]


@pytest.fixture
async def meta() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi(secret="app-secret") as fake:
        yield fake


@pytest.fixture
def morning(clock: ManualClock) -> ManualClock:
    clock.set(MONDAY_MORNING)
    return clock


@pytest.fixture
async def server(
    meta: FakeCloudApi, content: Content, matchers: Matchers, sqlite_url: str, morning: ManualClock
) -> AsyncIterator[WhatsAppServer]:
    running = await WhatsAppServer.start(
        sqlite_url, content, matchers, meta, coordinators=frozenset({("telegram", "9001")})
    )
    yield running
    await running.stop()


def texts(sent: list[Sent]) -> str:
    return "\n".join(s.text for s in sent)


async def rows(server: WhatsAppServer, model: Any) -> list[Any]:
    async with server.db.session() as session:
        return list((await session.scalars(select(model))).all())


async def join_as_lotse(server: WhatsAppServer, chat_id: int, lotse_id: str) -> Sender:
    return await join_on_telegram(server.engine, server.db, chat_id, lotse_id)


async def walk_to_lead(meta: FakeCloudApi) -> None:
    """The volunteer path of the Telegram tests, on WhatsApp."""
    anna = meta.person(ANNA)
    welcome = await anna.send("Hallo")
    assert "willkommen" in texts(welcome) and welcome[-1].kind == "list"  # six choices
    assert "Was interessiert Sie" in texts(await anna.press("engagieren"))
    asked = await anna.send("was mit Kindern")
    assert "In welchem Ort" in texts(asked)
    assert asked[-1].kind == "location_request_message"  # WhatsApp's "send location"
    assert "einmal mit anpacken" in texts(await anna.share_location(*ZSCHORTAU))
    assert "Wann haben Sie" in texts(await anna.press("Regelmäßig"))
    assert "Möchten Sie, dass sich ein Lotse" in texts(await anna.send("abends"))
    assert "einverstanden" in texts(await anna.press("beraten"))
    assert "Wie darf der Lotse" in texts(await anna.press("Ja, einverstanden"))
    assert "Wie erreicht" in texts(await anna.send("Maria"))
    assert "Ihre Anfrage ist angekommen" in texts(await anna.send("0171 2345678"))


# --- the webhook ------------------------------------------------------------------------


async def test_verification_answers_the_challenge_only_with_the_verify_token(
    server: WhatsAppServer,
) -> None:
    async with aiohttp.ClientSession() as http:
        query = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
        async with http.get(server.url, params={**query, "hub.verify_token": VERIFY_TOKEN}) as ok:
            assert (ok.status, await ok.text()) == (200, "1158201444")
        async with http.get(server.url, params={**query, "hub.verify_token": "guess"}) as bad:
            assert bad.status == 403
        async with http.get(server.url, params=query) as none:
            assert none.status == 403


async def test_unsigned_or_badly_signed_posts_get_401_and_are_not_handled(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    hello = {"from": ANNA, "id": "wamid.x", "type": "text", "text": {"body": "Hi"}}
    value = {"messages": [hello]}
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"field": "messages", "value": value}]}],
    }
    assert await post_webhook(meta, body, signature=None) == 401
    assert await post_webhook(meta, body, signature="sha256=" + "0" * 64) == 401
    assert await post_webhook(meta, body, signature=sign("another-secret", b"{}")) == 401
    assert meta.sent == [] and await rows(server, User) == []
    meta.last_inbound[ANNA] = product_clock.now()
    assert await post_webhook(meta, body) == 200  # signed with the app secret
    assert meta.to(ANNA)


async def test_a_message_id_is_handled_once(server: WhatsAppServer, meta: FakeCloudApi) -> None:
    anna = meta.person(ANNA)
    first = await anna.message({"type": "text", "text": {"body": "Hallo"}}, wamid="wamid.same")
    assert first
    again = await anna.message({"type": "text", "text": {"body": "Hallo"}}, wamid="wamid.same")
    assert again == []  # Meta delivered it twice: answered once
    assert len(await rows(server, HandledUpdate)) == 1


async def test_stickers_and_voice_get_a_friendly_reply_reactions_none(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    anna = meta.person(ANNA)
    await anna.send("Hallo")
    sticker = await anna.message({"type": "sticker", "sticker": {"id": "1", "animated": False}})
    assert "Textnachricht" in texts(sticker)
    voice = await anna.message({"type": "audio", "audio": {"id": "2", "voice": True}})
    assert "Textnachricht" in texts(voice)
    reaction = await anna.message(
        {"type": "reaction", "reaction": {"message_id": meta.sent[0].wamid, "emoji": "👍"}}
    )
    assert reaction == []


# --- rendering and sending --------------------------------------------------------------


async def test_three_short_choices_are_reply_buttons_longer_ones_a_list(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    await walk_to_lead(meta)
    kinds = {s.kind for s in meta.to(ANNA)}
    assert {"list", "button", "location_request_message", "text"} <= kinds
    consent = next(s for s in meta.to(ANNA) if "Ja, einverstanden" in str(s.choices()))
    assert consent.kind == "button" and len(consent.choices()) <= 3
    assert meta.refused == []  # every message kept Meta's limits


async def test_429_and_server_errors_are_retried_without_really_waiting(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    meta.fail_next(429, retry_after="3")
    meta.fail_next(500)
    meta.fail_next(503)
    sent = await meta.person(ANNA).send("Hallo")
    assert "willkommen" in texts(sent)
    assert server.waits == [3.0, 1.0, 2.0]  # Retry-After, then backoff from 0.5 s doubled


async def test_replies_meta_does_not_take_wait_in_the_outbox_in_order(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    meta.fail_next(500, times=5)  # every retry of the first reply
    assert await meta.person(ANNA).send("Hallo") == []
    [held] = await rows(server, OutboxMessage)
    assert held.status == "pending" and "willkommen" in held.text
    assert await server.channel.deliver_due(product_clock.now()) == 1
    assert "willkommen" in meta.to(ANNA)[-1].text
    assert [row.status for row in await rows(server, OutboxMessage)] == ["sent"]


async def test_statuses_are_recorded_and_never_go_back(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    await meta.person(ANNA).send("Hallo")
    wamid = meta.to(ANNA)[-1].wamid
    for status in ("sent", "delivered", "read", "delivered"):  # a late "delivered"
        assert await post_webhook(meta, statuses_body((wamid, status, ANNA))) == 200
    [message] = await rows(server, WhatsAppMessage)
    assert (message.wamid, message.status, message.template) == (wamid, "read", None)
    assert await post_webhook(meta, statuses_body(("wamid.unknown", "read", ANNA))) == 200


# --- typed words, privacy ---------------------------------------------------------------


async def test_typed_words_show_and_delete_the_data(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    anna = meta.person(ANNA)
    await anna.send("Hallo")
    shown = texts(await anna.send("Meine Daten"))
    assert "Ihre gespeicherten Daten" in shown and "WhatsApp" in shown
    assert "Datei" in shown  # no file on WhatsApp; the text says everything is above
    privacy = texts(await anna.send("datenschutz"))
    assert "Meta Platforms Ireland" in privacy and "Auftragsverarbeiter" in privacy
    assert "„löschen“" in privacy  # how to delete, said the WhatsApp way
    asked = await anna.send("löschen")
    assert "Wirklich alle Ihre Daten löschen" in texts(asked)
    done = await anna.press("Ja, alles löschen")
    assert "Ihre Daten sind gelöscht" in texts(done)
    assert [u for u in await rows(server, User) if u.channel == "whatsapp"] == []
    assert await rows(server, WhatsAppContact) == [] and await rows(server, WhatsAppMessage) == []


async def test_slash_commands_work_too(server: WhatsAppServer, meta: FakeCloudApi) -> None:
    anna = meta.person(ANNA)
    await anna.send("Hallo")
    assert "Ihre gespeicherten Daten" in texts(await anna.send("/meine_daten"))


# --- the journeys -----------------------------------------------------------------------


async def test_a_lotse_answer_reaches_whatsapp_in_the_window_and_as_a_template_after(
    server: WhatsAppServer, meta: FakeCloudApi, morning: ManualClock
) -> None:
    lotse = await join_as_lotse(server, LOTSE_CHAT, "lotse-rackwitz")
    await walk_to_lead(meta)
    [lead] = await rows(server, Lead)
    assert (lead.channel, lead.lotse_id, lead.name) == ("whatsapp", "lotse-rackwitz", "Maria")
    # The Lotse's card goes by Telegram, naming WhatsApp; WhatsApp rows are not Telegram's.
    telegram = StubTelegram()
    worker = OutboxWorker(server.db, telegram, lambda: server.engine.content, frozenset())  # type: ignore[arg-type]
    await worker.deliver_due(product_clock.now())
    [(chat, card)] = telegram.sent
    assert chat == LOTSE_CHAT and "über: WhatsApp" in card.text and "0171" not in card.text
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:accept"))
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:write"))
    await server.engine.handle(Event.message(lotse, "Hallo Maria, passt Ihnen Dienstag?"))
    telegram.sent.clear()
    await worker.deliver_due(product_clock.now())
    assert not any("Dienstag" in m.text for _, m in telegram.sent)
    # Within 24 hours of Anna's last message: free-form, at once.
    anna = meta.person(ANNA)
    anna.new()
    assert await server.channel.deliver_due(product_clock.now()) == 2
    arrived = anna.new()
    assert "übernommen" in arrived[0].text and "passt Ihnen Dienstag?" in arrived[1].text
    # Two days later the Lotse writes again: outside the window, only the template goes.
    morning.set(MONDAY_MORNING + dt.timedelta(days=2))
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:write"))
    await server.engine.handle(Event.message(lotse, "Wie war es am Dienstag?"))
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:write"))
    await server.engine.handle(Event.message(lotse, "Melden Sie sich gern."))
    await server.channel.deliver_due(product_clock.now())
    [notice] = anna.new()  # one template for both messages
    template = notice.body["template"]
    assert notice.kind == "template" and template["name"] == "lotse_nachricht_wartet"
    assert template["language"] == {"code": "de"}
    body, button = template["components"]
    assert body["parameters"] == [{"type": "text", "text": "Ihrer Anfrage"}]
    assert button["parameters"] == [{"type": "payload", "payload": SHOW}]
    assert meta.refused == []
    waiting = [r for r in await rows(server, OutboxMessage) if r.status == "whatsapp"]
    assert len(waiting) == 2
    # Anna taps "Anzeigen": what waited follows, in order, and nothing else.
    shown = await anna.tap_template_button(SHOW)
    assert "lagen für Sie bereit" in shown[0].text
    assert ["Wie war es am Dienstag?" in shown[1].text, "Melden Sie sich gern." in shown[2].text]
    assert len(shown) == 3
    assert not [r for r in await rows(server, OutboxMessage) if r.status == "whatsapp"]
    templates = [m for m in await rows(server, WhatsAppMessage) if m.template]
    assert len(templates) == 1


async def test_a_message_meta_reports_outside_the_window_goes_again_as_the_template(
    server: WhatsAppServer, meta: FakeCloudApi, morning: ManualClock
) -> None:
    """Our clock said the window was open, Meta's said no (status failed, 131047)."""
    lotse = await join_as_lotse(server, LOTSE_CHAT, "lotse-rackwitz")
    await walk_to_lead(meta)
    [lead] = await rows(server, Lead)
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:accept"))
    anna = meta.person(ANNA)
    anna.new()
    await server.channel.deliver_due(product_clock.now())
    [taken] = anna.new()
    assert "übernommen" in taken.text
    failed = statuses_body((taken.wamid, "failed", ANNA), error=131047)
    assert await post_webhook(meta, failed) == 200
    [row] = [r for r in await rows(server, OutboxMessage) if r.recipient_role == "citizen"]
    assert row.status == "pending"
    await server.channel.deliver_due(product_clock.now())
    [notice] = anna.new()
    assert notice.kind == "template"
    [message] = [m for m in await rows(server, WhatsAppMessage) if m.wamid == taken.wamid]
    assert message.status == "failed" and message.error.startswith("131047")
    shown = await anna.tap_template_button(SHOW)
    assert "übernommen" in shown[1].text


async def test_a_message_typed_after_the_template_also_brings_what_waited(
    server: WhatsAppServer, meta: FakeCloudApi, morning: ManualClock
) -> None:
    lotse = await join_as_lotse(server, LOTSE_CHAT, "lotse-rackwitz")
    await walk_to_lead(meta)
    [lead] = await rows(server, Lead)
    morning.set(MONDAY_MORNING + dt.timedelta(days=3))
    await server.engine.handle(Event.button(lotse, f"l:{lead.id}:accept"))
    await server.channel.deliver_due(product_clock.now())
    anna = meta.person(ANNA)
    anna.new()
    replies = await anna.send("Hallo, was gibt es Neues?")
    assert "lagen für Sie bereit" in replies[0].text and "übernommen" in replies[1].text
    assert len(replies) > 2  # and the message itself is answered


async def test_what_waited_for_the_window_names_commands_the_whatsapp_way(
    server: WhatsAppServer, meta: FakeCloudApi, morning: ManualClock
) -> None:
    anna = meta.person(ANNA)
    await anna.send("Hallo")
    [user] = await rows(server, User)
    morning.set(MONDAY_MORNING + dt.timedelta(days=2))  # the window has closed
    async with server.db.session() as session, session.begin():
        note = Notification(
            Recipient("citizen", str(user.id), ""), Message("Neu anfangen? Schreiben Sie {/start}.")
        )
        repo.queue_notifications(session, [note])
    await server.channel.deliver_due(product_clock.now())  # held: the template goes out
    anna.new()
    replies = await anna.send("Hallo")
    assert "Neu anfangen? Schreiben Sie „start“." in texts(replies)


async def test_question_handed_to_the_coordination_comes_back_on_whatsapp(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    anna = meta.person(ANNA)
    await anna.send("Hallo")
    assert "Stellen Sie Ihre Frage" in texts(await anna.press("Frage"))
    unsure = await anna.send("Wie repariere ich einen tropfenden Wasserhahn?")
    assert "keine sichere Antwort" in texts(unsure)
    assert "Einverstanden" in texts(await anna.press("Menschen fragen"))
    assert "Koordinierungsstelle" in texts(await anna.press("Ja, Frage weitergeben"))
    coordinator = Sender("telegram", str(COORDINATOR), "de")
    [lead] = await rows(server, Lead)
    await server.engine.handle(Event.button(coordinator, f"l:{lead.id}:answer"))
    await server.engine.handle(Event.message(coordinator, "Das Repair-Café hilft samstags."))
    await server.channel.deliver_due(product_clock.now())
    answer = anna.new()
    assert any("Repair-Café" in s.text for s in answer)


async def test_a_queued_text_names_commands_the_whatsapp_way(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    """Texts for the outbox keep {/start} until delivery (the person may have moved to
    another channel meanwhile); on WhatsApp it becomes the typed word."""
    anna = meta.person(ANNA)
    await anna.send("Hallo")
    [user] = await rows(server, User)
    async with server.db.session() as session, session.begin():
        note = Notification(
            Recipient("citizen", str(user.id), ""), Message("Neu anfangen? Schreiben Sie {/start}.")
        )
        repo.queue_notifications(session, [note])
    await server.channel.deliver_due(product_clock.now())
    assert any(s.text == "Neu anfangen? Schreiben Sie „start“." for s in anna.new())


async def test_a_poster_link_starts_like_a_telegram_deep_link(
    server: WhatsAppServer, meta: FakeCloudApi
) -> None:
    """The message a poster's wa.me code types in (poster_whatsapp_text) ends in the payload."""
    anna = meta.person(ANNA)
    started = texts(await anna.send(f"Hallo! Ich komme vom Plakat. #{POSTER}"))
    assert "Kinder & Jugend in Hohenprießnitz" in started
    async with server.db.session() as session:
        [entry] = (await session.scalars(select(EntryCount))).all()
    assert (entry.source, entry.channel, entry.started) == (POSTER, "whatsapp", 1)


async def test_the_journey_and_statuses_on_sqlite_and_postgresql(
    meta: FakeCloudApi,
    content: Content,
    matchers: Matchers,
    any_db_url: str,
    morning: ManualClock,
) -> None:
    server = await WhatsAppServer.start(any_db_url, content, matchers, meta)
    try:
        await walk_to_lead(meta)
        [lead] = await rows(server, Lead)
        assert lead.channel == "whatsapp"
        await post_webhook(meta, statuses_body((meta.to(ANNA)[-1].wamid, "read", ANNA)))
        [read] = [m for m in await rows(server, WhatsAppMessage) if m.status == "read"]
        assert read.user_id == lead.user_id
        [contact] = await rows(server, WhatsAppContact)
        assert contact.user_id == lead.user_id and contact.last_inbound_at is not None
        # Meta's ids and statuses go after the retention of delivered messages (30 days).
        later = product_clock.now() + dt.timedelta(days=31)
        async with server.db.session() as session, session.begin():
            await enforce_retention(session, content, later)
        assert await rows(server, WhatsAppMessage) == []
    finally:
        await server.stop()


@pytest.mark.parametrize(
    ("choice", "expect"),
    [
        ("Hilfe", "Wobei bräuchten Sie Unterstützung"),
        ("Verein", "Verein"),
        ("Projektidee", "was Sie vorhaben"),
        ("Was ist los", "was los ist"),
    ],
)
async def test_every_way_in_starts_on_whatsapp_within_metas_limits(
    server: WhatsAppServer, meta: FakeCloudApi, choice: str, expect: str
) -> None:
    anna = meta.person(ANNA)
    await anna.send("Hallo")
    first = await anna.press(choice)
    assert first and expect.lower() in texts(first).lower(), texts(first)
    # And on: the first choice offered, or a typed answer where none is.
    shown = next((s for s in reversed(first) if s.choices()), None)
    if shown is not None:
        await anna.press(shown.choices()[0][0][:10])
    else:
        await anna.send("Delitzsch")
    assert meta.refused == []  # every message kept WhatsApp's limits


async def test_lotse_web_serves_the_webhook_and_its_worker_delivers_the_outbox(
    meta: FakeCloudApi, content: Content, sqlite_url: str
) -> None:
    """`lotse web` with WHATSAPP_TOKEN, wired as in production: /whatsapp answers, and the
    WhatsApp outbox worker runs beside the web chat (no test calls deliver_due here)."""
    port = free_port()
    settings = Settings.from_env(
        {
            "DATABASE_URL": sqlite_url,
            "WEB_PORT": str(port),
            **whatsapp_env(meta),
        }
    )
    stop = asyncio.Event()
    serving = asyncio.create_task(run_web(settings, content, stop))
    meta.webhook = f"http://127.0.0.1:{port}/whatsapp"
    try:
        await until(lambda: _listening(port))
        anna = meta.person(ANNA)
        assert "willkommen" in texts(await anna.send("Hallo"))
        db = Database(sqlite_url)
        try:
            async with db.session() as session, session.begin():
                user = (await session.scalars(select(User))).one()
                note = Message("Hallo, hier ist Ihr Lotse.")
                repo.queue_notifications(
                    session, [Notification(Recipient("citizen", str(user.id), ""), note)]
                )
        finally:
            await db.close()
        await until(lambda: any("Ihr Lotse" in s.text for s in meta.to(ANNA)))
    finally:
        stop.set()
        await serving


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait for something another task does (the server starting, the worker's round)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_lotse_run_in_webhook_mode_serves_whatsapp_too(
    meta: FakeCloudApi, content: Content, sqlite_url: str
) -> None:
    """The Telegram webhook server carries /whatsapp, and its worker starts there late
    (after the background loops), delivering what waits for a WhatsApp citizen."""
    port = free_port()
    meta.webhook = f"http://127.0.0.1:{port}/whatsapp"
    async with (
        FakeTelegram() as telegram,
        webhook_app(telegram, sqlite_url, content, port, **whatsapp_env(meta)) as (app, db),
    ):
        anna = meta.person(ANNA)
        assert "willkommen" in texts(await anna.send("Hallo"))
        async with db.session() as session, session.begin():
            user = (await session.scalars(select(User))).one()
            note = Message("Hallo, hier ist Ihr Lotse.")
            repo.queue_notifications(
                session, [Notification(Recipient("citizen", str(user.id), ""), note)]
            )
        app.background.wake()
        await until(lambda: any("Ihr Lotse" in s.text for s in meta.to(ANNA)))
        assert not any("Ihr Lotse" in str(params) for _, params in telegram.calls)
