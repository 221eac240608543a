"""Tests for the fake Bot API server, driven by aiogram's own client.

Why: the adapter's end-to-end tests are only as trustworthy as the fake they run against, so
here aiogram itself checks that the fake speaks the real wire format (it must parse every
answer) and that each injected fault surfaces as the exception aiogram raises in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from bot import clock as product_clock
from tests.fakes.telegram_api import FakeTelegram, FakeUpload

TOKEN = "123456:TEST-token"
ANNA = 1001


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN, bot_username="lotse_test_bot") as server:
        yield server


def make_bot(fake: FakeTelegram, token: str = TOKEN) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    return Bot(token=token, session=session)


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    client = make_bot(fake)
    yield client
    await client.session.close()


def keyboard(*labels: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data)] for text, data in labels
        ]
    )


async def drain(bot: Bot, offset: int | None = None) -> list[Update]:
    """One non-waiting getUpdates, as a test step that must not hang."""
    return await bot.get_updates(offset=offset, timeout=0)


async def test_get_me_describes_the_bot(fake: FakeTelegram, bot: Bot) -> None:
    """aiogram calls getMe on start-up; it must parse into a bot User."""
    me = await bot.get_me()
    assert me.is_bot
    assert me.username == "lotse_test_bot"
    assert me.id == 123456
    assert fake.calls == [("getMe", {})]


async def test_base_url_is_a_real_local_port(fake: FakeTelegram) -> None:
    """Port 0 must have been replaced by the port the OS actually gave us."""
    assert fake.base_url.startswith("http://127.0.0.1:")
    assert int(fake.base_url.rsplit(":", 1)[1]) > 0


async def test_keyboard_message_and_button_press_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    """The core adapter loop: send buttons, user presses one, bot receives a callback_query."""
    anna = fake.user(ANNA)
    sent = await bot.send_message(
        ANNA, "Magst du draußen helfen?", reply_markup=keyboard(("Ja, gern", "yes"), ("Nein", "no"))
    )
    assert isinstance(sent, Message)
    assert sent.chat.type == "private"
    assert sent.from_user is not None and sent.from_user.is_bot
    assert sent.reply_markup is not None

    [stored] = fake.messages(ANNA)
    assert stored.buttons == [("Ja, gern", "yes"), ("Nein", "no")]
    assert fake.sent(ANNA)[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"

    await anna.press_button("ja")
    [update] = await bot.get_updates(offset=None, timeout=1)
    query = update.callback_query
    assert isinstance(query, CallbackQuery)
    assert query.data == "yes"
    assert query.from_user.id == ANNA
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id
    assert query.message.chat.id == ANNA

    assert await bot.answer_callback_query(query.id, text="Danke!")
    assert fake.answered_callbacks[0]["callback_query_id"] == query.id


async def test_press_button_without_match_lists_the_buttons(fake: FakeTelegram, bot: Bot) -> None:
    """A failing press must tell the test author which buttons there were."""
    anna = fake.user(ANNA)
    await bot.send_message(ANNA, "Wähle", reply_markup=keyboard(("Sport", "s"), ("Natur", "n")))
    with pytest.raises(AssertionError, match=r"Sport.*Natur"):
        await anna.press_button("Kultur")
    with pytest.raises(AssertionError, match="no bot message 999"):
        await anna.press(999, "x")


async def test_command_text_gets_a_bot_command_entity(fake: FakeTelegram, bot: Bot) -> None:
    """aiogram's Command filter needs the entity, not just a leading slash."""
    await fake.user(ANNA, first_name="Anna").send("/start inv-abc")
    [update] = await drain(bot)
    message = update.message
    assert message is not None and message.text == "/start inv-abc"
    assert message.entities is not None
    assert (message.entities[0].type, message.entities[0].offset, message.entities[0].length) == (
        "bot_command",
        0,
        6,
    )
    assert message.chat.type == "private"
    assert message.from_user is not None and message.from_user.language_code == "de"


async def test_offset_confirms_updates(fake: FakeTelegram, bot: Bot) -> None:
    """Updates stay until a later offset confirms them, exactly like the real queue."""
    anna = fake.user(ANNA)
    await anna.send("eins")
    await anna.send("zwei")
    first = await drain(bot)
    assert [u.message.text for u in first if u.message] == ["eins", "zwei"]
    assert [u.update_id for u in await drain(bot)] == [u.update_id for u in first]

    assert await drain(bot, offset=first[0].update_id + 1) == first[1:]
    assert await drain(bot, offset=first[-1].update_id + 1) == []
    assert fake.pending == []


async def test_limit_and_negative_offset(fake: FakeTelegram, bot: Bot) -> None:
    """limit caps a batch; a negative offset keeps only the newest updates."""
    anna = fake.user(ANNA)
    for word in ("a", "b", "c"):
        await anna.send(word)
    assert len(await bot.get_updates(limit=2, timeout=0)) == 2
    [last] = await bot.get_updates(offset=-1, timeout=0)
    assert last.message is not None and last.message.text == "c"


async def test_long_poll_returns_update_pushed_during_the_wait(
    fake: FakeTelegram, bot: Bot
) -> None:
    """The adapter relies on long polling to answer promptly, not after the poll timeout:
    a poll that waits gets the update pushed meanwhile (an expired one would answer [])."""
    fake.long_poll_cap = 60.0  # far longer than the test: only the update can end the poll
    poll = asyncio.create_task(bot.get_updates(timeout=60, request_timeout=90))
    await fake.wait_for(lambda: fake.polls_waiting == 1)
    assert not poll.done()
    await fake.user(ANNA).send("Hallo")
    [update] = await asyncio.wait_for(poll, 10)
    assert update.message is not None and update.message.text == "Hallo"
    assert fake.polls_waiting == 0


async def test_long_poll_without_updates_waits_then_returns_empty(
    fake: FakeTelegram, bot: Bot
) -> None:
    """An idle poll must actually wait (else a polling loop spins) and then answer []."""
    poll = asyncio.create_task(bot.get_updates(timeout=1))
    await fake.wait_for(lambda: fake.polls_waiting == 1)  # waiting, not answered at once
    assert not poll.done()
    assert await poll == []
    assert fake.polls_waiting == 0 and fake.calls[-1] == ("getUpdates", {"timeout": 1})


async def test_a_second_poller_terminates_the_first(fake: FakeTelegram, bot: Bot) -> None:
    """Two adapter instances polling at once is a real bug; Telegram answers 409."""
    first = asyncio.create_task(bot.get_updates(timeout=2))
    await fake.wait_for(lambda: fake.polls_waiting == 1)
    assert await bot.get_updates(timeout=0) == []
    with pytest.raises(TelegramConflictError):
        await asyncio.wait_for(first, 5.0)


async def test_allowed_updates_filters_unwanted_types(fake: FakeTelegram, bot: Bot) -> None:
    """aiogram sends allowed_updates from its handlers; other types never arrive."""
    anna = fake.user(ANNA)
    update = await anna.send("original")
    await anna.edit(update["message"]["message_id"], "geändert")
    updates = await bot.get_updates(allowed_updates=["message"], timeout=0)
    assert [u.message.text for u in updates if u.message] == ["original"]
    assert len(updates) == 1
    assert [next(k for k in u if k != "update_id") for u in fake.dropped_updates] == [
        "edited_message"
    ]


async def test_every_kind_of_user_update_parses(fake: FakeTelegram, bot: Bot) -> None:
    """Each helper must build an update aiogram accepts, with the field a handler filters on."""
    anna = fake.user(ANNA, first_name="Anna")
    first = await anna.send("Hallo")
    await anna.edit(first["message"]["message_id"], "Hallo!")
    await anna.share_location(51.52, 12.34)
    await anna.send_sticker()
    await anna.send_photo(caption="Mein Garten")
    await anna.send_voice()
    await anna.send_document()
    fake.group_message(chat_id=-100, user_id=ANNA, text="/start")
    fake.push_update(
        {
            "my_chat_member": {
                "chat": anna.chat,
                "from": anna.from_dict,
                "date": int(product_clock.now().timestamp()),
                "old_chat_member": {"status": "member", "user": fake.bot_user},
                "new_chat_member": {"status": "kicked", "user": fake.bot_user, "until_date": 0},
            }
        }
    )

    updates = await drain(bot)
    assert len(updates) == 9
    assert len({u.update_id for u in updates}) == 9
    assert updates == sorted(updates, key=lambda u: u.update_id)
    edited, location, sticker, photo, voice, document, group, member = (
        updates[1].edited_message,
        updates[2].message,
        updates[3].message,
        updates[4].message,
        updates[5].message,
        updates[6].message,
        updates[7].message,
        updates[8].my_chat_member,
    )
    assert edited is not None and edited.text == "Hallo!" and edited.edit_date
    assert location is not None and location.location is not None
    assert location.location.latitude == pytest.approx(51.52)
    assert sticker is not None and sticker.sticker is not None
    assert photo is not None and photo.photo and photo.caption == "Mein Garten"
    assert voice is not None and voice.voice is not None
    assert document is not None and document.document is not None
    assert document.document.file_name == "lebenslauf.pdf"
    assert group is not None and group.chat.type == "supergroup" and group.entities
    assert member is not None and member.new_chat_member.status == "kicked"


async def test_user_files_can_be_downloaded(fake: FakeTelegram, bot: Bot) -> None:
    """getFile plus the /file/bot<token>/ URL, as used when a user sends a document."""
    await fake.user(ANNA).send_document(file_name="bewerbung.pdf")
    [update] = await drain(bot)
    assert update.message is not None and update.message.document is not None
    downloaded = await bot.download(update.message.document.file_id)
    assert downloaded is not None
    assert downloaded.read() == b"fake bewerbung.pdf"


async def test_send_document_accepts_a_multipart_upload(fake: FakeTelegram, bot: Bot) -> None:
    """Lead exports go out as files; the upload must arrive intact and echo a Document."""
    data = b"name;ort\nAnna;Delitzsch\n"
    message = await bot.send_document(
        ANNA, BufferedInputFile(data, filename="leads.csv"), caption="Export"
    )
    assert message.document is not None and message.document.file_name == "leads.csv"
    assert message.caption == "Export"
    assert fake.uploads[0].data == data
    method, params = fake.calls[-1]
    assert method == "sendDocument"
    assert isinstance(params["document"], FakeUpload)
    assert fake.messages(ANNA)[0].document is not None
    assert fake.last_text(ANNA) == "Export"


async def test_edit_applies_and_identical_edit_is_rejected(fake: FakeTelegram, bot: Bot) -> None:
    """Telegram rejects no-op edits with 400; the adapter must cope (or avoid them)."""
    markup = keyboard(("Weiter", "next"))
    sent = await bot.send_message(ANNA, "Schritt 1", reply_markup=markup)
    edited = await bot.edit_message_text(
        "Schritt 2", chat_id=ANNA, message_id=sent.message_id, reply_markup=markup
    )
    assert isinstance(edited, Message) and edited.text == "Schritt 2"
    assert fake.last_text(ANNA) == "Schritt 2"
    assert fake.messages(ANNA)[0].history == ["Schritt 1"]

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Schritt 2", chat_id=ANNA, message_id=sent.message_id, reply_markup=markup
        )

    # Like Telegram, an edit without reply_markup drops the keyboard (so it is a change).
    await bot.edit_message_text("Schritt 2", chat_id=ANNA, message_id=sent.message_id)
    assert fake.messages(ANNA)[0].buttons == []
    await bot.edit_message_reply_markup(
        chat_id=ANNA, message_id=sent.message_id, reply_markup=markup
    )
    assert fake.messages(ANNA)[0].buttons == [("Weiter", "next")]
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=ANNA, message_id=999)


async def test_wait_for_text_sees_edits_and_honours_since(fake: FakeTelegram, bot: Bot) -> None:
    """Tests wait on what the user sees; ``since`` skips text that was already there."""
    sent = await bot.send_message(ANNA, "Ich suche …")
    mark = fake.mark()

    waiting = asyncio.create_task(fake.wait_for_text(ANNA, "suche", since=mark, timeout=5))
    await asyncio.sleep(0)  # it looks once, finds only the old text and waits
    assert not waiting.done()
    await bot.edit_message_text("Ich suche … 3 Treffer", chat_id=ANNA, message_id=sent.message_id)
    found = await waiting
    assert found.text == "Ich suche … 3 Treffer"
    with pytest.raises(AssertionError, match=r"(?s)'nie'.*sendMessage"):
        await fake.wait_for_text(ANNA, "nie", timeout=0.1)


async def test_html_parse_mode_is_rendered_and_checked(fake: FakeTelegram, bot: Bot) -> None:
    """Users see text without markup; malformed HTML is a 400 in production too."""
    await bot.send_message(ANNA, "<b>Hallo</b> &amp; willkommen", parse_mode="HTML")
    assert fake.last_text(ANNA) == "Hallo & willkommen"
    assert fake.messages(ANNA)[0].raw_text == "<b>Hallo</b> &amp; willkommen"
    with pytest.raises(TelegramBadRequest, match="Unsupported start tag"):
        await bot.send_message(ANNA, "<div>nein</div>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="end tag"):
        await bot.send_message(ANNA, "<b>offen", parse_mode="HTML")


async def test_markdown_v2_needs_escaping(fake: FakeTelegram, bot: Bot) -> None:
    """The classic MarkdownV2 bug (an unescaped '.') must fail here as it does live."""
    await bot.send_message(ANNA, r"*Hallo* Anna\!", parse_mode="MarkdownV2")
    assert fake.last_text(ANNA) == "Hallo Anna!"
    with pytest.raises(TelegramBadRequest, match="reserved"):
        await bot.send_message(ANNA, "Ende.", parse_mode="MarkdownV2")


async def test_bad_messages_are_rejected(bot: Bot) -> None:
    """Limits the adapter can hit with user-controlled content."""
    with pytest.raises(TelegramBadRequest, match="too long"):
        await bot.send_message(ANNA, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ANNA, "x", reply_markup=keyboard(("zu lang", "d" * 65)))


async def test_fail_next_429_raises_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    """Flood control: aiogram must see retry_after; only the next call fails."""
    fake.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(ANNA, "eins")
    assert caught.value.retry_after == 3
    await bot.send_message(ANNA, "zwei")
    assert [p["text"] for p in fake.sent(ANNA)] == ["zwei"]
    assert [p["text"] for m, p in fake.calls if m == "sendMessage"] == ["eins", "zwei"]


async def test_fail_next_server_errors_repeat(fake: FakeTelegram, bot: Bot) -> None:
    """``times`` lets a test exercise retry loops; 5xx map to TelegramServerError."""
    fake.fail_next("getMe", status=500, times=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.get_me()
    assert (await bot.get_me()).username == "lotse_test_bot"


async def test_down_makes_every_call_fail(fake: FakeTelegram, bot: Bot) -> None:
    """Telegram unreachable: 502 with a JSON body, which aiogram turns into a server error."""
    fake.down = True
    with pytest.raises(TelegramServerError) as caught:
        await bot.send_message(ANNA, "Hallo")
    assert isinstance(caught.value, TelegramAPIError)
    fake.down = False
    await bot.send_message(ANNA, "Hallo")
    assert len(fake.sent(ANNA)) == 1


async def test_blocked_user_gives_forbidden(fake: FakeTelegram, bot: Bot) -> None:
    """A volunteer who blocked the bot: the adapter must handle 403 per chat."""
    fake.block(ANNA)
    with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
        await bot.send_message(ANNA, "Hallo")
    await bot.send_message(2002, "Hallo")  # other chats are unaffected
    fake.unblock(ANNA)
    await bot.send_message(ANNA, "Hallo")


async def test_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    """A misconfigured token must fail loudly, as on the real server."""
    intruder = make_bot(fake, token="654321:WRONG-token")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await intruder.get_me()
    finally:
        await intruder.session.close()


async def test_commands_per_scope(fake: FakeTelegram, bot: Bot) -> None:
    """The adapter registers its menu; tests read it back per scope."""
    private = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand(command="start", description="Loslegen")], scope=private)
    assert fake.commands({"type": "all_private_chats"}) == [
        {"command": "start", "description": "Loslegen"}
    ]
    assert fake.commands() == []
    [command] = await bot.get_my_commands(scope=private)
    assert command.command == "start"
    assert await bot.delete_my_commands(scope=private)
    assert await bot.get_my_commands(scope=private) == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start!", description="x")])


async def test_webhook_lifecycle_and_conflict_with_polling(fake: FakeTelegram, bot: Bot) -> None:
    """Polling while a webhook is set is a 409 live; deleteWebhook clears it."""
    assert await bot.set_webhook("https://lotse.example/tg", secret_token="geheim")
    info = await bot.get_webhook_info()
    assert info.url == "https://lotse.example/tg"
    assert fake.webhook["secret_token"] == "geheim"
    with pytest.raises(TelegramConflictError):
        await drain(bot)
    await fake.user(ANNA).send("Hallo")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await drain(bot) == []


async def test_chat_action_and_delete(fake: FakeTelegram, bot: Bot) -> None:
    """Typing indicator and message deletion are fire-and-forget calls the adapter may use."""
    assert await bot.send_chat_action(ANNA, "typing")
    sent = await bot.send_message(ANNA, "weg damit")
    assert await bot.delete_message(ANNA, sent.message_id)
    assert fake.messages(ANNA) == []


async def test_raw_http_bodies_and_unknown_methods(fake: FakeTelegram) -> None:
    """Other clients send JSON or urlencoded bodies; both must parse the same way."""
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    async with aiohttp.ClientSession() as http:
        url = f"{fake.base_url}/bot{TOKEN}"
        async with http.post(
            f"{url}/sendMessage",
            data={"chat_id": "7", "text": "[kein JSON]", "reply_markup": markup},
        ) as resp:
            assert resp.status == 200 and (await resp.json())["ok"]
        async with http.post(
            f"{url}/sendMessage", json={"chat_id": 7, "text": "json", "reply_markup": markup}
        ) as resp:
            assert (await resp.json())["result"]["reply_markup"]["inline_keyboard"]
        async with http.post(f"{url}/sendPoll", json={"chat_id": 7}) as resp:
            body = await resp.json()
            assert resp.status == 404
            assert body == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
    form_params, json_params = fake.sent(7)
    assert form_params["chat_id"] == 7 and form_params["text"] == "[kein JSON]"
    assert form_params["reply_markup"] == json_params["reply_markup"]
    assert fake.calls[-1] == ("sendPoll", {"chat_id": 7})


async def test_unknown_method_via_aiogram_is_not_found(bot: Bot) -> None:
    """Anything unimplemented fails visibly instead of pretending success."""
    with pytest.raises(TelegramNotFound):
        await bot.send_poll(ANNA, "Frage?", options=["a", "b"])


async def test_stop_releases_the_port() -> None:
    """After stop the server is gone, so a leaked adapter cannot keep talking to it."""
    fake = FakeTelegram()
    await fake.start()
    url = fake.base_url
    await fake.stop()
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(f"{url}/bot{fake.token}/getMe")


async def test_dispatcher_polling_end_to_end(fake: FakeTelegram, bot: Bot) -> None:
    """The way the adapter uses the fake: aiogram's own polling loop, handlers, buttons."""
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(
            "Willkommen! Magst du helfen?", reply_markup=keyboard(("Ja", "yes"), ("Nein", "no"))
        )

    @dp.callback_query(F.data == "yes")
    async def yes(query: CallbackQuery) -> None:
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text("Super, dann legen wir los.")

    polling = asyncio.create_task(
        dp.start_polling(bot, polling_timeout=1, handle_signals=False, close_bot_session=False)
    )
    try:
        anna = fake.user(ANNA)
        await anna.send("/start")
        await anna.wait_for_text("Willkommen")
        await anna.press_button("Ja")
        await anna.wait_for_text("legen wir los")
        await fake.wait_for(lambda: fake.answered_callbacks)
        assert fake.messages(ANNA)[0].buttons == []
        assert sorted(fake.allowed_updates or []) == ["callback_query", "message"]
    finally:
        await dp.stop_polling()
        await polling
