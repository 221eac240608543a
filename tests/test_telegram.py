"""The Telegram adapter end to end: the real dispatcher and HTTP session against a fake
Bot API server on 127.0.0.1 (tests/fakes/telegram_api.py)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.leads import invites
from bot.runtime import services
from bot.store.db import Database
from bot.store.models import Conversation, Lead, OfferSubmission, OutboxMessage, User
from bot.telegram import middleware
from tests.fakes.telegram_api import FakeTelegram
from tests.helpers import ROOT, free_port
from tests.helpers.chat import Chat
from tests.helpers.telegram import (
    COORDINATOR,
    Running,
    at_any_hour,
    lotse_process,
    settings_for,
    stop_process,
    walk_to_lead,
    walk_to_offers,
)

Starter = Callable[..., "Running"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def running(
    fake: FakeTelegram, content: Content, sqlite_url: str
) -> AsyncIterator[Callable[..., Running]]:
    started: list[Running] = []
    content = at_any_hour(content)

    def start(**extra: str) -> Running:
        run = Running(settings_for(fake, sqlite_url, **extra), content)
        started.append(run)
        return run

    yield start
    for run in started:
        with contextlib.suppress(Exception):
            await run.stop()


async def bot_up(fake: FakeTelegram, running: Starter) -> Running:
    run = running()
    await run.start()
    await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls))
    return run


async def test_citizen_full_path_by_buttons_and_typing(
    fake: FakeTelegram, running: Starter
) -> None:
    run = await bot_up(fake, running)
    user = fake.user(1001)
    await walk_to_lead(user)
    async with run.db.session() as session:
        [lead] = (await session.scalars(select(Lead))).all()
    assert (lead.gemeinde, lead.place, lead.lotse_id) == ("Rackwitz", "Zschortau", "lotse-rackwitz")
    # The place question offered location sharing through a reply keyboard.
    assert any("Standort teilen" in " ".join(m.reply_keyboard) for m in fake.messages(1001))
    # Button presses edited questions in place instead of piling up messages.
    assert any(method == "editMessageText" for method, _ in fake.calls)
    assert all(m.message_id for m in fake.messages(1001))
    # Plain text only: nothing a person types can be rendered as markup.
    assert all(
        "parse_mode" not in params
        for method, params in fake.calls
        if method in ("sendMessage", "editMessageText")
    )
    commands = [params for method, params in fake.calls if method == "setMyCommands"]
    assert any(c.get("scope", {}).get("chat_id") == COORDINATOR for c in commands)


async def test_the_location_button_speaks_the_language_of_the_first_message(
    fake: FakeTelegram, running: Starter, content: Content
) -> None:
    """Telegram set to German, an English first message: the reply keyboard follows."""
    await bot_up(fake, running)
    user = fake.user(1002, language_code="de")
    await user.send("Hello, I want to volunteer with children")
    await user.wait_for_text(content.text("ask_place", "en").split("?")[0])
    keyboards = [" ".join(m.reply_keyboard) for m in fake.messages(1002)]
    assert any(content.text("btn_share_location", "en") in k for k in keyboards)
    assert not any(content.text("btn_share_location", "de") in k for k in keyboards)


async def test_the_faq_classifier_learns_in_the_background(
    fake: FakeTelegram, running: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Soon after the start the classifier learns in a thread: the first question need
    not wait for it in the event loop."""
    monkeypatch.setattr(services, "FAQ_READY_SECONDS", 0)
    learned = asyncio.Event()
    keep_faq_ready = DialogEngine.keep_faq_ready

    async def and_say_so(engine: DialogEngine) -> None:
        await keep_faq_ready(engine)
        if engine.matchers.faq.ready:
            learned.set()

    monkeypatch.setattr(DialogEngine, "keep_faq_ready", and_say_so)
    run = await bot_up(fake, running)
    assert run.app is not None
    await asyncio.wait_for(learned.wait(), 60)  # a guard against a hang, not a timing check
    assert run.app.engine.matchers.faq.ready
    user = fake.user(1077)
    await user.send("/start")
    await user.wait_for_text("willkommen")


@pytest.mark.slow
async def test_lotse_onboarding_accepting_and_closing(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    citizen, lotse = fake.user(1001), fake.user(2002, first_name="Rita")
    await walk_to_lead(citizen)
    async with run.db.session() as session, session.begin():
        code = await invites.create_invite(session, "lotse-rackwitz")
    await lotse.send(f"/start inv-{code}")
    await lotse.wait_for_text("Willkommen")
    # The lead that waited for this Lotse is delivered now, without contact details.
    card = await lotse.wait_for_text("bitte annehmen")
    assert "0171" not in card.text and "Maria" not in card.text
    await fake.wait_for(
        lambda: any(
            c.get("scope", {}).get("chat_id") == 2002 for m, c in fake.calls if m == "setMyCommands"
        )
    )
    await lotse.press_button("Annehmen")
    accepted = await lotse.wait_for_text("0171 2345678")
    assert "Maria" in accepted.text
    await citizen.wait_for_text("hat Ihre Anfrage übernommen")
    await lotse.press_button("Kontakt aufgenommen")
    await lotse.wait_for_text("#1 · Kontakt aufgenommen")
    await lotse.press_button("Vermittelt")
    await lotse.wait_for_text("#1 · vermittelt")
    await lotse.send("/meine_leads")
    await lotse.wait_for_text("keine offenen Anfragen")
    async with run.db.session() as session:
        assert (await session.scalars(select(Lead.status))).one() == "placed"


async def test_an_offer_opens_in_place_and_goes_back_to_the_same_list(
    fake: FakeTelegram, running: Starter
) -> None:
    """'ℹ️ Mehr zu 2' turns the list into the offer's details (an edit, no new message);
    'Zurück zur Liste' turns it back into the very same list; 'Das möchte ich' consents."""
    await bot_up(fake, running)
    user = fake.user(1001)
    listed = await walk_to_offers(user)
    rows = [[b["text"] for b in row] for row in listed.reply_markup["inline_keyboard"]]
    assert ["ℹ️ Mehr zu 1", "ℹ️ Mehr zu 2", "ℹ️ Mehr zu 3"] in rows  # one row, not three

    mark = fake.mark()
    await user.press_button("Mehr zu 2")
    details = await user.wait_for_text("🗓 Wann:", since=mark)
    assert details.message_id == listed.message_id  # the list turned into the details
    assert details.text.startswith("ℹ️ 2. ") and "👥 Wer steht dahinter:" in details.text
    assert [label for label, _ in details.buttons] == ["✅ Das möchte ich", "↩️ Zurück zur Liste"]

    mark = fake.mark()
    await user.press_button("Zurück zur Liste")
    again = await user.wait_for_text("Möchten Sie, dass sich ein Lotse", since=mark)
    assert (again.message_id, again.text, again.buttons) == (
        listed.message_id,
        listed.text,
        listed.buttons,
    )

    mark = fake.mark()
    await user.send("was ist das erste genau?")  # typed, too
    typed = await user.wait_for_text("🗓 Wann:", since=mark)
    assert typed.text.startswith("ℹ️ 1. ")
    await user.press_button("Das möchte ich")
    await user.wait_for_text("Sind Sie damit einverstanden", since=mark)


@pytest.mark.slow
async def test_forged_and_stale_callbacks_are_refused(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    citizen, other = fake.user(1001), fake.user(3003)
    await walk_to_lead(citizen)
    await other.send("Hallo")
    greeting = await other.wait_for_text("willkommen")
    await other.press(greeting.message_id, "l:1:accept")  # somebody else's lead
    await other.wait_for_text("für Engagement-Lotsen")
    await other.press(greeting.message_id, "s:consent:yes")  # a button of another step
    await other.wait_for_text("früheren Frage")
    async with run.db.session() as session:
        assert (await session.scalars(select(Lead.status))).one() == "offered"


def recorded_waits(run: Running) -> list[float]:
    """Make the app's sender note its waits (429's retry_after, backoff) instead of
    sleeping them: the test checks what it waited for, not how long it took."""
    assert run.app is not None
    waits: list[float] = []

    async def note(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(0)

    run.app.sender.sleep = note
    return waits


async def test_rate_limit_429_reply_still_arrives(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    waits = recorded_waits(run)
    fake.fail_next("sendMessage", status=429, retry_after=7)
    user = fake.user(1001)
    await user.send("Hallo")
    await user.wait_for_text("willkommen")
    sends = [m for m, _ in fake.calls if m == "sendMessage"]
    assert len(sends) == 2  # the refused one and the retry
    assert waits == [7]  # after waiting as long as Telegram asked


async def test_server_errors_are_retried(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    waits = recorded_waits(run)
    fake.fail_next("sendMessage", status=502, times=2)
    user = fake.user(1001)
    await user.send("Hallo")
    await user.wait_for_text("willkommen")
    assert waits == [0.5, 1.0]  # backing off, twice as long each time


@pytest.mark.slow
async def test_unsupported_messages_edits_and_groups(fake: FakeTelegram, running: Starter) -> None:
    await bot_up(fake, running)
    user = fake.user(1001)
    await user.send("Hallo")
    await user.wait_for_text("willkommen")
    for action in (user.send_sticker, user.send_photo, user.send_voice, user.send_document):
        before = len(fake.sent(1001))
        await action()
        # A hint, then the current question again: two messages.
        await fake.wait_for(lambda b=before: len(fake.sent(1001)) >= b + 2)
        assert "Textnachricht" in " ".join(m["text"] for m in fake.sent(1001)[before:])
    sent = await user.send("Feuerwehr")
    await user.edit(sent["message"]["message_id"], "Sport")
    await user.wait_for_text("bearbeitet")
    fake.group_message(chat_id=-100, user_id=1001, text="/start")
    await fake.wait_for_text(-100, "persönlichen Chat")
    fake.group_message(chat_id=-100, user_id=1001, text="Hallo zusammen")
    # One person's updates are handled in order: once the next /start is answered, the
    # message before it was handled too - and got no answer.
    fake.group_message(chat_id=-100, user_id=1001, text="/start")
    await fake.wait_for(lambda: len(fake.sent(-100)) >= 2)
    assert ["persönlichen Chat" in m["text"] for m in fake.sent(-100)] == [True, True]


@pytest.mark.slow
async def test_coordinator_stats_and_reload(
    fake: FakeTelegram, running: Starter, tmp_path: Path
) -> None:
    import shutil

    content_dir = tmp_path / "content"
    shutil.copytree(ROOT / "content", content_dir)
    await bot_up(fake, lambda: running(CONTENT_DIR=str(content_dir)))
    coordinator, citizen = fake.user(COORDINATOR), fake.user(1001)
    await walk_to_lead(citizen)
    await coordinator.send("/stats")
    stats = await coordinator.wait_for_text("Überblick")
    assert "1 Anfragen" in stats.text
    texts = content_dir / "texts.yaml"
    texts.write_text(
        texts.read_text(encoding="utf-8").replace("texts:", "texts:\n  broken: [", 1),
        encoding="utf-8",
    )
    await coordinator.send("/reload")
    failed = await coordinator.wait_for_text("letzten guten Stand")
    assert "texts.yaml:" in failed.text
    await citizen.send("/start")
    await citizen.wait_for_text("willkommen")  # still working on the last good content
    await citizen.send("/stats")
    await citizen.wait_for_text("Diesen Befehl kenne ich nicht")


async def test_long_texts_are_split(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    from bot.messages import Message

    assert run.app is not None
    await run.app.sender.send(1001, Message("Wort " * 2000))
    sent = fake.sent(1001)
    assert len(sent) == 3 and all(len(m["text"]) <= 4096 for m in sent)


def refused_sends(fake: FakeTelegram, chat_id: int) -> int:
    """sendMessage requests to the chat that the fake got while it was down."""
    delivered = len(fake.sent(chat_id))
    tried = sum(1 for m, p in fake.calls if m == "sendMessage" and p.get("chat_id") == chat_id)
    return tried - delivered


@pytest.mark.slow
async def test_outbox_waits_while_telegram_is_down(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    citizen, lotse = fake.user(1001), fake.user(2002)
    async with run.db.session() as session, session.begin():
        code = await invites.create_invite(session, "lotse-rackwitz")
    await lotse.send(f"/start inv-{code}")
    await lotse.wait_for_text("Willkommen")
    await walk_to_lead(citizen)
    await lotse.wait_for_text("bitte annehmen")
    fake.down = True
    assert run.app is not None
    async with run.db.session() as session, session.begin():
        from bot.messages import Message, Notification, Recipient
        from bot.store import repo

        repo.queue_notifications(
            session,
            [
                Notification(Recipient("lotse", "lotse-rackwitz", ""), Message(f"Eins-{n}"))
                for n in range(3)
            ],
        )
    # The outbox tries while Telegram is down (refused), and tries again (refused again).
    await fake.wait_for(lambda: refused_sends(fake, 2002) >= 2, timeout=15)
    fake.down = False
    for n in range(3):
        await lotse.wait_for_text(f"Eins-{n}", timeout=15)
    texts = [m["text"] for m in fake.sent(2002) if m["text"].startswith("Eins-")]
    assert texts == ["Eins-0", "Eins-1", "Eins-2"]


@pytest.mark.slow
async def test_blocked_user_is_marked_not_retried(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    citizen = fake.user(1001)
    await walk_to_lead(citizen)
    fake.block(1001)
    async with run.db.session() as session, session.begin():
        from bot.messages import Message, Notification, Recipient
        from bot.store import repo

        user = (await session.scalars(select(User))).one()
        repo.queue_notifications(
            session, [Notification(Recipient("citizen", str(user.id), ""), Message("Hallo?"))]
        )
    assert run.app is not None
    outbox = run.app.outbox
    handled = asyncio.Event()
    mark_blocked = outbox._mark_blocked

    async def and_say_so(row: OutboxMessage) -> None:
        await mark_blocked(row)
        handled.set()

    outbox._mark_blocked = and_say_so  # type: ignore[method-assign]
    outbox.wake.set()

    async def marked() -> bool:
        async with run.db.session() as session:
            user = (await session.scalars(select(User))).one()
            row = (
                await session.scalars(select(OutboxMessage).where(OutboxMessage.text == "Hallo?"))
            ).one()
            return user.blocked and row.status == "failed"

    await asyncio.wait_for(handled.wait(), 10)
    assert await marked()


async def test_restart_mid_dialogue_continues(fake: FakeTelegram, running: Starter) -> None:
    first = await bot_up(fake, running)
    user = fake.user(1001)
    await user.send("Hallo")
    await user.wait_for_text("willkommen")
    await user.press_button("engagieren")
    await user.wait_for_text("Was interessiert")
    await first.stop()
    second = await bot_up(fake, running)
    await user.send("Sport")
    await user.wait_for_text("In welchem Ort")
    async with second.db.session() as session:
        assert (await session.scalars(select(Conversation.step))).one() == "place"


async def test_webhook_checks_secret(fake: FakeTelegram, running: Starter) -> None:
    port = free_port()
    run = running(
        WEBHOOK_URL="https://bot.example.org",
        WEBHOOK_PORT=str(port),
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_SECRET="s3cret-token",
    )
    await run.start()
    await fake.wait_for(lambda: any(m == "setWebhook" for m, _ in fake.calls))
    [(_, hook)] = [(m, p) for m, p in fake.calls if m == "setWebhook"]
    assert hook["url"] == "https://bot.example.org/telegram"
    assert hook["secret_token"] == "s3cret-token"
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1001, "type": "private"},
            "from": {"id": 1001, "is_bot": False, "first_name": "Anna"},
            "text": "Hallo",
        },
    }
    url = f"http://127.0.0.1:{port}/telegram"
    async with aiohttp.ClientSession() as http:
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        ) as response:
            assert response.status in (401, 403)
        assert fake.sent(1001) == []
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
        ) as response:
            assert response.status == 200
        async with http.get(f"http://127.0.0.1:{port}/health") as response:
            assert (await response.json())["status"] == "ok"
    await fake.wait_for_text(1001, "willkommen")


SPEED_OFF = {"FAST_AIOGRAM": "0", "SQLITE_INLINE": "0", "GC_FREEZE": "0"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("switches", "said"),
    [
        (
            {},
            [
                "aiogram (FAST_AIOGRAM): types built on first use",
                "SQLite: in-loop driver",
                "GC freeze (GC_FREEZE): on",
            ],
        ),
        (
            SPEED_OFF,
            [
                "aiogram (FAST_AIOGRAM): off",
                "SQLite: aiosqlite driver",
                "GC freeze (GC_FREEZE): off",
            ],
        ),
    ],
    ids=["speed-ups on", "speed-ups off"],
)
async def test_lotse_run_as_process_answers_and_stops_on_sigterm(
    fake: FakeTelegram, tmp_path: Path, switches: dict[str, str], said: list[str]
) -> None:
    """Also with every speed-up switched off; the start-up log says which are in force."""
    log = tmp_path / "run.log"
    process = lotse_process(fake, tmp_path / "run.sqlite3", log, LOG_FORMAT="text", **switches)
    try:
        user = fake.user(1001)
        await user.send("Hallo")
        await user.wait_for_text("willkommen", timeout=60)  # the process's start included
    finally:
        stderr = await stop_process(process, log)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    for line in said:
        assert stderr.count(line) == 1, line
    assert "WARNING" not in stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("", "BOT_TOKEN fehlt"),
        ("not-a-token", "nicht die Form"),
        ("123456:WRONG-token", "abgelehnt"),
    ],
)
async def test_bad_token_gives_one_clear_line(
    fake: FakeTelegram, tmp_path: Path, token: str, expected: str
) -> None:
    env = {
        **os.environ,
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/t.sqlite3",
    }
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


async def test_notification_written_before_a_crash_goes_out_after_restart(
    fake: FakeTelegram, content: Content, sqlite_url: str, running: Starter
) -> None:
    """The lead and its notification were committed, then the process died before sending."""
    from bot.store.models import LotseAccount

    db = Database(sqlite_url)
    await db.migrate()
    async with db.session() as session, session.begin():
        session.add(LotseAccount(lotse_id="lotse-taucha", channel="telegram", external_id="2002"))
    chat = Chat(DialogEngine(content, db), user="1001")
    for text in ("Hallo", "1", "Sport", "Taucha", "1", "1", "Lotse soll mich beraten", "ja", "1"):
        await chat.say(text)
    await chat.say("0171 2345678")
    async with db.session() as session:
        [row] = (await session.scalars(select(OutboxMessage))).all()
        assert row.status == "pending"  # committed with the lead, not yet sent
    await db.close()
    await bot_up(fake, running)
    await fake.wait_for_text(2002, "bitte annehmen", timeout=10)


@pytest.mark.slow
async def test_flood_limit_answers_once_then_drops(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    user = fake.user(1001)
    for n in range(30):
        await user.send(f"Nachricht {n}")
    await user.wait_for_text("Langsam bitte", timeout=10)
    assert run.app is not None
    registry = run.app.metrics.registry

    def all_handled() -> bool:  # counted when handled, dropped or not
        count = registry.get_sample_value("lotse_updates_total", {"kind": "message"})
        return (count or 0) >= 30

    # Not the fake's state: looked at again with each of the bot's requests (its long
    # polls come at least every LONG_POLL_CAP seconds).
    await fake.wait_for(all_handled, timeout=10)
    flood_notes = [m for m in fake.sent(1001) if "Langsam bitte" in m["text"]]
    assert len(flood_notes) == 1
    assert len(fake.sent(1001)) < 30  # most of the burst was dropped, not answered


@pytest.mark.slow
async def test_logs_carry_no_personal_data(fake: FakeTelegram, tmp_path: Path) -> None:
    """Grep a real `lotse run` process's log after a full path with a name and a phone."""
    log_file = tmp_path / "lotse.log"
    process = lotse_process(fake, tmp_path / "log.sqlite3", log_file)
    secrets_typed = ["Zyxmaria", "0170 5550123", "Zschortau, ohne Auto"]
    try:
        user = fake.user(4242, first_name="Zyxfirst", username="zyx_handle")
        steps = [
            ("Hallo", "willkommen"),
            ("Ich möchte mich engagieren", "Was interessiert"),
            ("Feuerwehr", "In welchem Ort"),
            (secrets_typed[2], "einmal mit anpacken"),
            ("egal", "Wann haben Sie"),
            ("flexibel", "Möchten Sie"),
            ("Lotse soll mich beraten", "einverstanden"),
            ("ja", "Wie darf"),
            (secrets_typed[0], "Wie erreicht"),
            (secrets_typed[1], "angekommen"),
            ("/meine_daten", "gespeicherten Daten"),
        ]
        for answer, expect in steps:
            mark = fake.mark()
            await user.send(answer)
            await user.wait_for_text(expect, timeout=30, since=mark)
    finally:
        log = await stop_process(process, log_file)
    assert "INFO" in log  # logging was on
    for secret in [*secrets_typed, "Zyxfirst", "zyx_handle", "0170", "Zschortau"]:
        assert secret not in log, f"{secret!r} appears in the log"


async def test_replies_wait_in_outbox_while_telegram_fails_and_keep_order(
    fake: FakeTelegram, running: Starter
) -> None:
    run = await bot_up(fake, running)
    assert run.app is not None
    run.app.sender.retries = 1  # give up on direct sending at once, as after minutes of 5xx
    fake.fail_next("sendMessage", status=502, times=3)
    user = fake.user(1001)
    await user.send("Hallo")
    await fake.wait_for(lambda: run.app is not None and run.app.outbox.holds(1001))
    await user.send("/hilfe")  # queued behind the first reply, not sent before it
    await user.wait_for_text("So funktioniert", timeout=30)
    texts = [m["text"] for m in fake.sent(1001)]
    welcome = next(i for i, t in enumerate(texts) if "willkommen" in t)
    helping = next(i for i, t in enumerate(texts) if "So funktioniert" in t)
    assert welcome < helping


async def test_a_data_export_held_in_the_outbox_says_the_file_did_not_go(
    fake: FakeTelegram, running: Starter
) -> None:
    """The outbox keeps no copy of the /meine_daten file (personal data): the text that
    follows later says so, and the person asks again."""
    run = await bot_up(fake, running)
    assert run.app is not None
    run.app.sender.retries = 1
    user = fake.user(1001)
    await user.send("Hallo")
    await user.wait_for_text("willkommen")
    fake.fail_next("sendDocument", status=502, times=3)
    await user.send("/meine_daten")
    answer = await user.wait_for_text("Datei dazu konnte Telegram gerade nicht", timeout=30)
    assert "gespeicherten Daten" in answer.text
    async with run.db.session() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    [held] = [row for row in rows if "Datei dazu" in row.text]
    assert held.recipient_role == "chat" and held.status == "sent"


async def test_question_handoff_round_trip(fake: FakeTelegram, running: Starter) -> None:
    """Not sure → the person agrees → the coordinators get it → their answer reaches the
    person, all over the Bot API."""
    run = await bot_up(fake, running)
    citizen, coordinator = fake.user(1001), fake.user(COORDINATOR)
    await citizen.send("Hallo")
    await citizen.wait_for_text("willkommen")
    await citizen.press_button("Frage")
    await citizen.wait_for_text("Stellen Sie Ihre Frage")
    await citizen.send("Wie repariere ich einen tropfenden Wasserhahn?")
    await citizen.wait_for_text("keine sichere Antwort")
    await citizen.press_button("Menschen fragen")
    await citizen.wait_for_text("Einverstanden")
    await citizen.press_button("Ja, Frage weitergeben")
    await citizen.wait_for_text("unterwegs an die Koordinierungsstelle")
    await coordinator.wait_for_text("tropfenden Wasserhahn")
    await coordinator.press_button("Antworten")
    await coordinator.wait_for_text("Schreiben Sie jetzt Ihre Antwort")
    await coordinator.send("Das Repair-Café in Delitzsch hilft jeden ersten Samstag.")
    await coordinator.wait_for_text("Antwort ist unterwegs")
    answer = await citizen.wait_for_text("Repair-Café")
    assert "Antwort von Koordinierungsstelle" in answer.text
    async with run.db.session() as session:
        assert (await session.scalars(select(Lead.status))).one() == "answered"


@pytest.mark.slow
async def test_verein_offer_review_by_buttons(fake: FakeTelegram, running: Starter) -> None:
    run = await bot_up(fake, running)
    verein, coordinator = fake.user(3003), fake.user(COORDINATOR)
    await verein.send("Hallo")
    await verein.wait_for_text("willkommen")
    await verein.press_button("Verein")
    await verein.wait_for_text("Wie soll das Angebot heißen")
    for answer, expect in (
        ("Helfer fürs Dorffest gesucht", "Was sollen die Freiwilligen tun"),
        ("Aufbau, Kuchenstand und Abbau beim Dorffest.", "Zu welchem Bereich"),
        ("Dorffest und Feste", "Wo findet es statt"),
        ("Zschortau", "Wann?"),
        ("am 12.06. ab 9 Uhr", "Wie heißt Ihr Verein"),
        ("Heimatverein Zschortau", "Wie erreichen Interessierte"),
        ("verein@example.org", "Einverstanden"),
    ):
        await verein.send(answer)
        await verein.wait_for_text(expect)
    await verein.press_button("Ja")
    await verein.wait_for_text("zur Prüfung")
    await coordinator.wait_for_text("Helfer fürs Dorffest gesucht")
    await coordinator.press_button("Freigeben")
    await coordinator.wait_for_text("Freigegeben")
    await verein.wait_for_text("ist freigegeben")
    async with run.db.session() as session:
        [submission] = (await session.scalars(select(OfferSubmission))).all()
    assert submission.status == "approved" and submission.gemeinde == "Rackwitz"


async def test_the_user_gate_forgets_people_who_went_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Per-person locks live only while an update is handled; flood buckets of people who
    have been quiet long enough to be full again are dropped once there are many."""
    monkeypatch.setattr(middleware, "MOST_BUCKETS", 5)
    now = [0.0]
    gate = middleware.UserGate(rate=1000.0, burst=8.0, clock=lambda: now[0])
    handled: list[int] = []

    async def handler(_event: object, data: dict[str, Any]) -> None:
        handled.append(data["event_from_user"].id)

    for user_id in range(1, 21):
        data: dict[str, Any] = {"event_from_user": SimpleNamespace(id=user_id)}
        await gate(handler, SimpleNamespace(), data)
        now[0] += 0.01  # at 1,000 tokens/s the bucket is full again
    assert handled == list(range(1, 21))
    assert gate.tracked() <= 6
