"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the Telegram adapter.

Why a real HTTP server and not a mocked ``Bot``: the adapter should be tested through the same
wire format it meets in production (aiogram's form-encoded requests, long polling, error codes
that aiogram maps to its exception types), so timing, retries and parsing are exercised for real.

The fake follows the Bot API closely where behaviour matters for a bot author: ``getUpdates``
offset and long-poll semantics, ``editMessageText`` refusing a no-op edit, a missing
``reply_markup`` on an edit removing the keyboard, HTML/MarkdownV2 ``parse_mode`` being parsed
(and rejected when malformed), 64-byte ``callback_data``, 409 while a webhook is set or when a
second poller takes over. Everything else is kept as simple as the tests allow.

Typical use::

    async with FakeTelegram() as fake:
        ...start the adapter with TELEGRAM_API_URL=fake.base_url...
        anna = fake.user(1001)
        await anna.send("/start")
        await fake.wait_for_text(1001, "Willkommen")
        await anna.press_button("Ja")
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from bot import clock as product_clock

__all__ = ["FakeMessage", "FakeTelegram", "FakeUpload", "FakeUser"]

JsonDict = dict[str, Any]
ChatId = int | str
Handler = Callable[[JsonDict, int], Awaitable[Any]]

#: The real server answers long polls for up to 50 s; tests should not wait that long.
LONG_POLL_CAP = 2.0

#: Form fields that carry user-visible or opaque text and must never be JSON/number-decoded,
#: even when they happen to look like ``[...]`` or ``123``.
_TEXT_FIELDS = frozenset(
    {
        "text",
        "caption",
        "data",
        "callback_data",
        "query",
        "description",
        "short_description",
        "name",
        "title",
        "url",
        "secret_token",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "document",
        "photo",
        "voice",
        "audio",
        "video",
        "animation",
        "sticker",
        "emoji",
        "question",
        "parse_mode",
        "action",
        "language_code",
        "business_connection_id",
        "message_effect_id",
        "first_name",
        "last_name",
        "phone_number",
        "address",
        "payload",
    }
)
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
        "user_id",
        "from_chat_id",
        "duration",
        "width",
        "height",
        "live_period",
        "heading",
        "proximity_alert_radius",
    }
)
_FLOAT_FIELDS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
_BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "allow_paid_broadcast",
    }
)
_INT_RE = re.compile(r"-?\d+")

#: Inline buttons must do something; a bare text button is rejected by Telegram.
_BUTTON_ACTIONS = frozenset(
    {
        "callback_data",
        "url",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "callback_game",
        "pay",
        "copy_text",
    }
)
_HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
        "tg-time",
    }
)
_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class ApiError(Exception):
    """An error answer of the Bot API; raised inside method handlers, turned into JSON."""

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def response(self) -> web.Response:
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.status)


@dataclass
class _Failure:
    status: int
    retry_after: int
    description: str | None


@dataclass
class FakeUpload:
    """A file the bot uploaded (or a fake file a user sent); served again under ``file_path``."""

    file_id: str
    file_unique_id: str
    filename: str
    content_type: str
    data: bytes
    file_path: str


@dataclass
class FakeMessage:
    """A bot message as the chat shows it now: edits are applied in place.

    ``text`` is what the user sees (``parse_mode`` markup removed; a document's caption);
    ``raw_text`` is what the bot sent; ``history`` holds earlier versions of ``text``.
    ``touched_at`` is the index into ``FakeTelegram.calls`` of the send or latest edit, which
    lets ``wait_for_text(..., since=fake.mark())`` ignore messages from before an action.
    """

    message_id: int
    chat_id: ChatId
    text: str
    raw_text: str
    reply_markup: JsonDict | None
    raw: JsonDict
    touched_at: int
    history: list[str] = field(default_factory=list)
    document: JsonDict | None = None

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons flattened row by row as ``(text, callback_data)``; URL buttons -> None."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [(b.get("text", ""), b.get("callback_data")) for row in rows for b in row]

    @property
    def reply_keyboard(self) -> list[str]:
        """Labels of a reply (custom) keyboard, flattened; empty for inline keyboards."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [b if isinstance(b, str) else b.get("text", "") for row in rows for b in row]


class FakeUser:
    """A person in a private chat with the bot; every action queues one update."""

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        first_name: str,
        language_code: str | None,
        username: str | None = None,
    ):
        self.fake = fake
        self.id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username

    @property
    def chat_id(self) -> int:
        return self.id

    @property
    def from_dict(self) -> JsonDict:
        user: JsonDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    @property
    def chat(self) -> JsonDict:
        chat: JsonDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat

    async def _queue(self, kind: str, payload: JsonDict) -> JsonDict:
        update = self.fake.push_update({kind: payload})
        await asyncio.sleep(0)  # let a waiting long poll see it before the test goes on
        return update

    async def _message(self, **content: Any) -> JsonDict:
        message = self.fake._new_user_message(self.from_dict, self.chat, content)
        return await self._queue("message", message)

    async def send(self, text: str) -> JsonDict:
        """Type a text message; a leading ``/word`` gets a ``bot_command`` entity. Returns the
        queued update (``update["message"]["message_id"]`` is needed for ``edit``)."""
        return await self._message(**_text_content(text))

    async def edit(self, message_id: int, text: str) -> JsonDict:
        """Edit one of the user's own messages (queues ``edited_message``)."""
        original = self.fake._user_messages.get((self.id, message_id))
        date = original["date"] if original else int(product_clock.now().timestamp())
        edited = {
            "message_id": message_id,
            "date": date,
            "chat": self.chat,
            "from": self.from_dict,
            "edit_date": int(product_clock.now().timestamp()),
            **_text_content(text),
        }
        self.fake._user_messages[(self.id, message_id)] = edited
        return await self._queue("edited_message", edited)

    async def press(self, message_id: int, callback_data: str) -> JsonDict:
        """Press an inline button on the bot's message ``message_id`` in this user's chat.

        The data is not checked against the message's buttons, so stale or forged presses
        can be simulated; the message itself must exist (a user cannot press on nothing).
        """
        message = self.fake._bot_messages(self.id).get(message_id)
        if message is None:
            raise AssertionError(
                f"chat {self.id} has no bot message {message_id}; "
                f"there are {list(self.fake._bot_messages(self.id))}"
            )
        query = {
            "id": str(next(self.fake._callback_ids)),
            "from": self.from_dict,
            "message": copy.deepcopy(message.raw),
            "chat_instance": f"ci-{self.id}",
            "data": callback_data,
        }
        self.fake._callback_queries[query["id"]] = query
        return await self._queue("callback_query", query)

    async def press_button(self, label: str) -> JsonDict:
        """Press the button whose label contains ``label`` (case-insensitive) on the newest bot
        message that has such a button; an exact label wins over a partial one."""
        wanted = label.casefold()
        for message in reversed(self.fake.messages(self.id)):
            candidates = [(text, data) for text, data in message.buttons if data is not None]
            matches = [c for c in candidates if wanted in c[0].casefold()]
            if matches:
                exact = [c for c in matches if c[0].casefold() == wanted]
                _, data = (exact or matches)[0]
                assert data is not None
                return await self.press(message.message_id, data)
        available = {
            m.message_id: [t for t, d in m.buttons if d is not None]
            for m in reversed(self.fake.messages(self.id))
            if m.buttons
        }
        raise AssertionError(
            f"no inline button containing {label!r} in chat {self.id}; "
            f"buttons by message id (newest first): {available or 'none'}"
        )

    async def share_location(self, latitude: float, longitude: float) -> JsonDict:
        return await self._message(location={"latitude": latitude, "longitude": longitude})

    async def send_sticker(self, emoji: str = "👍") -> JsonDict:
        upload = self.fake._fake_file("sticker.webp", "image/webp", "stickers")
        return await self._message(
            sticker={
                "file_id": upload.file_id,
                "file_unique_id": upload.file_unique_id,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
                "file_size": len(upload.data),
            }
        )

    async def send_photo(self, caption: str | None = None) -> JsonDict:
        upload = self.fake._fake_file("photo.jpg", "image/jpeg", "photos")
        sizes = [
            {
                "file_id": f"{upload.file_id}{suffix}",
                "file_unique_id": f"{upload.file_unique_id}{suffix}",
                "width": w,
                "height": h,
                "file_size": len(upload.data),
            }
            for suffix, w, h in (("-s", 90, 67), ("", 1280, 960))
        ]
        self.fake.files[f"{upload.file_id}-s"] = upload
        return await self._message(photo=sizes, **_caption(caption))

    async def send_voice(self, duration: int = 3) -> JsonDict:
        upload = self.fake._fake_file("voice.ogg", "audio/ogg", "voice")
        return await self._message(
            voice={
                "file_id": upload.file_id,
                "file_unique_id": upload.file_unique_id,
                "duration": duration,
                "mime_type": "audio/ogg",
                "file_size": len(upload.data),
            }
        )

    async def send_document(
        self,
        file_name: str = "lebenslauf.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
    ) -> JsonDict:
        upload = self.fake._fake_file(file_name, mime_type, "documents")
        return await self._message(document=_document_dict(upload), **_caption(caption))

    # Shortcuts, so a test about one user reads naturally.
    def messages(self) -> list[FakeMessage]:
        return self.fake.messages(self.id)

    def last_text(self) -> str:
        return self.fake.last_text(self.id)

    async def wait_for_text(
        self, substring: str, timeout: float = 30.0, since: int | None = None
    ) -> FakeMessage:
        return await self.fake.wait_for_text(self.id, substring, timeout, since=since)


class FakeTelegram:
    """The fake Bot API server. See the module docstring; one instance per test."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        bot_username: str = "lotse_test_bot",
        bot_first_name: str = "Engagement-Lotse",
        long_poll_cap: float = LONG_POLL_CAP,
    ):
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user: JsonDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.long_poll_cap = long_poll_cap

        #: Every request, in order: (method as in the URL, parsed params). Failed ones too.
        self.calls: list[tuple[str, JsonDict]] = []
        self._chat_events: dict[ChatId, asyncio.Event] = {}
        #: Set (and replaced by a fresh one) on every change: ``wait_for`` awaits it.
        self._changed = asyncio.Event()
        #: getUpdates requests waiting for an update right now (long polls in progress).
        self.polls_waiting = 0
        #: When True every request gets HTTP 502 (Telegram unreachable behind its proxy).
        self.down = False
        #: Updates not yet confirmed by a getUpdates offset.
        self.pending: list[JsonDict] = []
        #: Updates discarded because allowed_updates excluded their type.
        self.dropped_updates: list[JsonDict] = []
        #: allowed_updates as last sent with getUpdates/setWebhook (None: all types).
        self.allowed_updates: list[str] | None = None
        self.webhook: JsonDict = {"url": "", "secret_token": None}
        self.answered_callbacks: list[JsonDict] = []
        self.uploads: list[FakeUpload] = []
        self.files: dict[str, FakeUpload] = {}

        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._chats: dict[ChatId, JsonDict] = {}
        self._messages: dict[ChatId, dict[int, FakeMessage]] = {}
        self._user_messages: dict[tuple[ChatId, int], JsonDict] = {}
        self._callback_queries: dict[str, JsonDict] = {}
        self._sent: list[tuple[ChatId, JsonDict]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._blocked: set[ChatId] = set()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(4_000_000_001)
        self._file_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._poll_generation = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._methods: dict[str, Handler] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendChatAction": self._send_chat_action,
                "sendDocument": self._send_document,
                "getFile": self._get_file,
            }.items()
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown_path)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()  # release long polls at once
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self._port}"

    # ------------------------------------------------------------------ feeding updates

    def user(
        self,
        user_id: int,
        first_name: str = "Anna",
        language_code: str | None = "de",
        username: str | None = None,
    ) -> FakeUser:
        person = FakeUser(self, user_id, first_name, language_code, username)
        self._chats[user_id] = person.chat
        return person

    def group_message(
        self,
        chat_id: int = -100,
        user_id: int = 1001,
        text: str = "/start",
        title: str = "Testgruppe",
        first_name: str = "Anna",
        chat_type: str = "supergroup",
    ) -> JsonDict:
        """Queue a text message from ``user_id`` in a group chat; returns the update."""
        chat = {"id": chat_id, "type": chat_type, "title": title}
        self._chats[chat_id] = chat
        sender = {"id": user_id, "is_bot": False, "first_name": first_name}
        message = self._new_user_message(sender, chat, _text_content(text))
        return self.push_update({"message": message})

    def push_update(self, update: JsonDict) -> JsonDict:
        """Queue a raw update (``update_id`` assigned if missing) and wake long polls."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        self.pending.append(update)
        self._new_update.set()
        self._notify()
        return update

    # ------------------------------------------------------------------ what the bot did

    def sent(self, chat_id: ChatId) -> list[JsonDict]:
        """Params of the *successful* sendMessage calls to the chat, in order.

        Calls answered with an injected error are left out (they never reached the user);
        find them in ``calls``.
        """
        chat_id = _chat_key(chat_id)
        return [params for target, params in self._sent if target == chat_id]

    def messages(self, chat_id: ChatId) -> list[FakeMessage]:
        """The bot's messages in the chat as they look now (edits applied, deletions gone)."""
        return list(self._bot_messages(_chat_key(chat_id)).values())

    def last_text(self, chat_id: ChatId) -> str:
        """Text of the newest bot message in the chat; AssertionError if there is none."""
        messages = self.messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot has sent nothing to chat {chat_id}\n{self.dump()}")
        return messages[-1].text

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """Commands stored by setMyCommands for the scope (default scope if None)."""
        return list(self._commands.get(_commands_key(scope, language_code), []))

    def mark(self) -> int:
        """A position in ``calls``; pass as ``since=`` to only see later sends and edits."""
        return len(self.calls)

    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = 30.0,
        message: str = "",
        poll: float | None = None,
    ) -> Any:
        """Wait until ``predicate()`` (may be async) is truthy; return its value.

        The predicate is looked at again whenever the fake sees a request, answers one or
        gets an update - no polling, so a condition on the fake's state (``calls``,
        ``sent``, ``polls_waiting`` …) is seen at once. A condition on something else (a
        file, a process) needs ``poll``: then it is also looked at every ``poll`` seconds.
        ``timeout`` only guards against a hang; it is no assertion on timing.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed  # taken before looking: a change in between is not missed
            result = predicate()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                what = f": {message}" if message else ""
                raise AssertionError(f"condition not met within {timeout:g} s{what}\n{self.dump()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, poll or remaining))

    def _notify(self) -> None:
        """Wake ``wait_for``: something changed."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for_text(
        self, chat_id: ChatId, substring: str, timeout: float = 30.0, since: int | None = None
    ) -> FakeMessage:
        """Wait until a bot message in the chat (sent or edited, newest first) contains
        ``substring``; with ``since=fake.mark()`` only messages touched after the mark count."""

        def find() -> FakeMessage | None:
            for msg in reversed(self.messages(chat_id)):
                if substring in msg.text and (since is None or msg.touched_at >= since):
                    return msg
            return None

        # Woken by each call touching the chat (cheap with thousands of waiting users);
        # the event is taken before looking, so a change in between is never missed.
        deadline = time.monotonic() + timeout
        while True:
            event = self._chat_events.setdefault(_chat_key(chat_id), asyncio.Event())
            found = find()
            if found is not None:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"condition not met within {timeout:g} s: a bot message containing "
                    f"{substring!r} in chat {chat_id}\n{self.dump()}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 1.0))

    def dump(self, last: int = 15) -> str:
        """Recent calls, queue and chats, for assertion messages."""
        lines = [f"recent API calls ({min(last, len(self.calls))} of {len(self.calls)}):"]
        for index, (method, params) in list(enumerate(self.calls))[-last:]:
            lines.append(f"  #{index} {method} {_short(params)}")
        lines.append(f"pending updates: {[_update_type(u) for u in self.pending]}")
        for chat_id, messages in self._messages.items():
            lines.append(f"chat {chat_id}:")
            for msg in list(messages.values())[-5:]:
                buttons = f" buttons={[t for t, _ in msg.buttons]}" if msg.buttons else ""
                lines.append(f"  [{msg.message_id}] {msg.text[:200]!r}{buttons}")
        return "\n".join(lines)

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with an error (429 carries
        ``parameters.retry_after``; other codes the same shape without parameters)."""
        queue = self._failures.setdefault(method.lower(), [])
        queue.extend(_Failure(status, retry_after, description) for _ in range(times))

    def block(self, chat_id: ChatId) -> None:
        """The user blocked the bot: sends and edits to the chat answer 403."""
        self._blocked.add(_chat_key(chat_id))

    def unblock(self, chat_id: ChatId) -> None:
        self._blocked.discard(_chat_key(chat_id))

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await _read_params(request)
        except ApiError as error:
            self.calls.append((method, {}))
            return error.response()
        self.calls.append((method, params))
        index = len(self.calls) - 1
        self._notify()
        try:
            return await self._answer(request, method, params, index)
        finally:
            self._notify()  # the answer changed the state (sent, edited, answered …)

    async def _answer(
        self, request: web.Request, method: str, params: JsonDict, index: int
    ) -> web.Response:
        if self.down:
            return web.json_response(
                {"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502
            )
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        failures = self._failures.get(method.lower())
        if failures:
            return self._failure_response(failures.pop(0))
        handler = self._methods.get(method.lower())
        if handler is None:
            return ApiError(404, "Not Found: method not found").response()
        try:
            result = await handler(params, index)
        except ApiError as error:
            return error.response()
        if "chat_id" in params:
            self._touched(params["chat_id"])
        return web.json_response({"ok": True, "result": result})

    def _touched(self, chat_id: ChatId) -> None:
        """Wake whoever waits for this chat (instead of everybody polling)."""
        with contextlib.suppress(ValueError, TypeError):
            key = _chat_key(chat_id)
            event = self._chat_events.pop(key, None)
            if event is not None:
                event.set()

    @staticmethod
    def _failure_response(failure: _Failure) -> web.Response:
        if failure.status == 429:
            description = failure.description or (
                f"Too Many Requests: retry after {failure.retry_after}"
            )
            return ApiError(429, description, {"retry_after": failure.retry_after}).response()
        description = failure.description or _DEFAULT_DESCRIPTIONS.get(
            failure.status, f"Error {failure.status}"
        )
        return ApiError(failure.status, description).response()

    async def _handle_file(self, request: web.Request) -> web.Response:
        if self.down:
            return web.Response(status=502, text="Bad Gateway")
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["path"]
        for upload in self.files.values():
            if upload.file_path == path:
                return web.Response(body=upload.data, content_type=upload.content_type)
        return web.Response(status=404, text="Not Found")

    async def _handle_unknown_path(self, request: web.Request) -> web.Response:
        self.calls.append((request.path, {}))
        self._notify()
        return ApiError(404, "Not Found").response()

    # ------------------------------------------------------------------ state helpers

    def _bot_messages(self, chat_id: ChatId) -> dict[int, FakeMessage]:
        return self._messages.get(chat_id, {})

    def _chat(self, chat_id: ChatId) -> JsonDict:
        known = self._chats.get(chat_id)
        if known is not None:
            return known
        if isinstance(chat_id, str):
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Unbekannt"}
        return {"id": chat_id, "type": "supergroup", "title": "Unbekannte Gruppe"}

    def _target_chat(self, params: JsonDict) -> ChatId:
        if "chat_id" not in params or params["chat_id"] in ("", None):
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat_id = _chat_key(params["chat_id"])
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _stored_message(self, params: JsonDict, missing: str) -> FakeMessage:
        chat_id = self._target_chat(params)
        if params.get("message_id") in (None, ""):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = self._bot_messages(chat_id).get(int(params["message_id"]))
        if message is None:
            raise ApiError(400, f"Bad Request: {missing}")
        return message

    def _new_user_message(self, sender: JsonDict, chat: JsonDict, content: JsonDict) -> JsonDict:
        message = {
            "message_id": next(self._message_ids),
            "date": int(product_clock.now().timestamp()),
            "chat": chat,
            "from": sender,
            **content,
        }
        self._user_messages[(chat["id"], message["message_id"])] = message
        return message

    def _store_bot_message(
        self,
        chat_id: ChatId,
        content: JsonDict,
        text: str,
        raw_text: str,
        markup: JsonDict | None,
        index: int,
    ) -> FakeMessage:
        raw: JsonDict = {
            "message_id": next(self._message_ids),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(product_clock.now().timestamp()),
            **content,
        }
        if _inline(markup):
            raw["reply_markup"] = markup
        message = FakeMessage(
            message_id=raw["message_id"],
            chat_id=chat_id,
            text=text,
            raw_text=raw_text,
            reply_markup=markup,
            raw=raw,
            touched_at=index,
            document=content.get("document"),
        )
        self._messages.setdefault(chat_id, {})[message.message_id] = message
        return message

    def _register_file(
        self, filename: str, content_type: str, data: bytes, folder: str
    ) -> FakeUpload:
        number = next(self._file_ids)
        upload = FakeUpload(
            file_id=f"FAKE-FILE-{number}",
            file_unique_id=f"fu{number}",
            filename=filename,
            content_type=content_type,
            data=data,
            file_path=f"{folder}/file_{number}_{filename}",
        )
        self.files[upload.file_id] = upload
        return upload

    def _fake_file(self, filename: str, content_type: str, folder: str) -> FakeUpload:
        return self._register_file(filename, content_type, f"fake {filename}".encode(), folder)

    def _apply_allowed_updates(self) -> None:
        if not self.allowed_updates:
            return
        kept = []
        for update in self.pending:
            if _update_type(update) in self.allowed_updates:
                kept.append(update)
            else:
                self.dropped_updates.append(update)
        self.pending = kept

    # ------------------------------------------------------------------ Bot API methods

    async def _get_me(self, params: JsonDict, index: int) -> JsonDict:
        return self.bot_user

    async def _get_updates(self, params: JsonDict, index: int) -> list[JsonDict]:
        if self.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is "
                "active; use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int) and offset < 0:
            self.pending = self.pending[offset:]
        elif isinstance(offset, int) and offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        if isinstance(params.get("allowed_updates"), list):
            self.allowed_updates = list(params["allowed_updates"]) or None
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), self.long_poll_cap)

        # A newer getUpdates terminates an older one still waiting, as on the real server.
        self._poll_generation += 1
        generation = self._poll_generation
        self._new_update.set()
        await asyncio.sleep(0)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            self._apply_allowed_updates()
            if self.pending or self._closing:
                return copy.deepcopy(self.pending[:limit])
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            self._new_update.clear()
            self.polls_waiting += 1
            self._notify()
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), remaining)
            finally:
                self.polls_waiting -= 1
            if generation != self._poll_generation:
                raise ApiError(409, _DEFAULT_DESCRIPTIONS[409])

    async def _send_message(self, params: JsonDict, index: int) -> JsonDict:
        chat_id = self._target_chat(params)
        raw_text = params.get("text")
        if not isinstance(raw_text, str) or not raw_text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        text = _render(raw_text, params.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        markup = _checked_markup(params.get("reply_markup"))
        message = self._store_bot_message(chat_id, {"text": text}, text, raw_text, markup, index)
        self._sent.append((chat_id, params))
        return message.raw

    async def _edit_message_text(self, params: JsonDict, index: int) -> JsonDict | bool:
        if params.get("inline_message_id"):
            return True  # inline messages are not tracked
        message = self._stored_message(params, "message to edit not found")
        if message.document is not None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        raw_text = params.get("text")
        if not isinstance(raw_text, str) or not raw_text.strip():
            raise ApiError(400, "Bad Request: text must be non-empty")
        text = _render(raw_text, params.get("parse_mode"))
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        markup = _checked_markup(params.get("reply_markup"))
        if text == message.text and _inline(markup) == _inline(message.reply_markup):
            raise ApiError(400, _NOT_MODIFIED)
        message.history.append(message.text)
        message.text, message.raw_text = text, raw_text
        message.raw["text"] = text
        self._apply_markup(message, markup, index)
        return message.raw

    async def _edit_message_reply_markup(self, params: JsonDict, index: int) -> JsonDict | bool:
        if params.get("inline_message_id"):
            return True
        message = self._stored_message(params, "message to edit not found")
        markup = _checked_markup(params.get("reply_markup"))
        if _inline(markup) == _inline(message.reply_markup):
            raise ApiError(400, _NOT_MODIFIED)
        self._apply_markup(message, markup, index)
        return message.raw

    @staticmethod
    def _apply_markup(message: FakeMessage, markup: JsonDict | None, index: int) -> None:
        message.reply_markup = _inline(markup)
        if message.reply_markup:
            message.raw["reply_markup"] = message.reply_markup
        else:
            message.raw.pop("reply_markup", None)
        message.raw["edit_date"] = int(product_clock.now().timestamp())
        message.touched_at = index

    async def _delete_message(self, params: JsonDict, index: int) -> bool:
        message = self._stored_message(params, "message to delete not found")
        del self._messages[message.chat_id][message.message_id]
        return True

    async def _answer_callback_query(self, params: JsonDict, index: int) -> bool:
        if str(params.get("callback_query_id", "")) not in self._callback_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.answered_callbacks.append(params)
        return True

    async def _set_my_commands(self, params: JsonDict, index: int) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands must be an array")
        for command in commands:
            name = str(command.get("command", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params.get("scope"), params.get("language_code") or "")
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: JsonDict, index: int) -> list[JsonDict]:
        return self.commands(params.get("scope"), params.get("language_code") or "")

    async def _delete_my_commands(self, params: JsonDict, index: int) -> bool:
        self._commands.pop(
            _commands_key(params.get("scope"), params.get("language_code") or ""), None
        )
        return True

    async def _set_webhook(self, params: JsonDict, index: int) -> bool:
        url = params.get("url") or ""
        if url and not str(url).startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        if isinstance(params.get("allowed_updates"), list):
            self.allowed_updates = list(params["allowed_updates"]) or None
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    async def _delete_webhook(self, params: JsonDict, index: int) -> bool:
        self.webhook = {"url": "", "secret_token": None}
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    async def _get_webhook_info(self, params: JsonDict, index: int) -> JsonDict:
        info: JsonDict = {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if self.allowed_updates:
            info["allowed_updates"] = self.allowed_updates
        return info

    async def _send_chat_action(self, params: JsonDict, index: int) -> bool:
        self._target_chat(params)
        if not params.get("action"):
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _send_document(self, params: JsonDict, index: int) -> JsonDict:
        chat_id = self._target_chat(params)
        document = params.get("document")
        if isinstance(document, FakeUpload):
            upload = self._register_file(
                document.filename, document.content_type, document.data, "documents"
            )
            self.uploads.append(upload)
        elif isinstance(document, str) and document in self.files:
            upload = self.files[document]
        elif isinstance(document, str) and document.startswith(("http://", "https://")):
            name = document.rsplit("/", 1)[-1] or "file"
            upload = self._register_file(name, "application/octet-stream", b"", "documents")
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        raw_caption = params.get("caption") or ""
        caption = _render(raw_caption, params.get("parse_mode")) if raw_caption else ""
        if len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        content: JsonDict = {"document": _document_dict(upload), **_caption(caption or None)}
        markup = _checked_markup(params.get("reply_markup"))
        message = self._store_bot_message(chat_id, content, caption, raw_caption, markup, index)
        return message.raw

    async def _get_file(self, params: JsonDict, index: int) -> JsonDict:
        upload = self.files.get(str(params.get("file_id", "")))
        if upload is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": upload.file_id,
            "file_unique_id": upload.file_unique_id,
            "file_size": len(upload.data),
            "file_path": upload.file_path,
        }


# ---------------------------------------------------------------------- request parsing


async def _read_params(request: web.Request) -> JsonDict:
    """Query string plus body (JSON, urlencoded or multipart), normalised.

    Multipart file parts become ``FakeUpload`` objects, and ``attach://name`` references are
    resolved to them, so ``params["document"]`` is the upload whichever way it was sent.
    """
    params: JsonDict = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as error:
                raise ApiError(400, "Bad Request: can't parse JSON") from error
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON body must be an object")
            params.update(body)
        elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            attachments: dict[str, FakeUpload] = {}
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    attachments[key] = FakeUpload(
                        file_id="",
                        file_unique_id="",
                        filename=value.filename or key,
                        content_type=value.content_type or "application/octet-stream",
                        data=value.file.read(),
                        file_path="",
                    )
                else:
                    params[key] = value if isinstance(value, str) else bytes(value).decode()
            for key, value in list(params.items()):
                if isinstance(value, str) and value.startswith("attach://"):
                    name = value.removeprefix("attach://")
                    if name in attachments:
                        params[key] = attachments.pop(name)
            params.update(attachments)  # parts sent directly under the field's own name
    return {key: _normalise(key, value) for key, value in params.items()}


def _normalise(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _TEXT_FIELDS:
        return value
    stripped = value.strip()
    if stripped[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            return json.loads(stripped)
    if key in _INT_FIELDS and _INT_RE.fullmatch(stripped):
        return int(stripped)
    if key in _FLOAT_FIELDS:
        with contextlib.suppress(ValueError):
            return float(stripped)
    if key in _BOOL_FIELDS and stripped.lower() in ("true", "false", "1", "0"):
        return stripped.lower() in ("true", "1")
    return value


def _chat_key(chat_id: Any) -> ChatId:
    if isinstance(chat_id, str) and _INT_RE.fullmatch(chat_id.strip()):
        return int(chat_id)
    return chat_id  # type: ignore[no-any-return]


def _commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    scope = scope or {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code


def _inline(markup: JsonDict | None) -> JsonDict | None:
    """The markup as a message keeps it: only non-empty inline keyboards survive."""
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return markup
    return None


def _checked_markup(markup: Any) -> JsonDict | None:
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup  # reply keyboard, ReplyKeyboardRemove, ForceReply
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array of Array')
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict) or not button.get("text"):
            raise ApiError(
                400, "Bad Request: can't parse inline keyboard button: Text must be non-empty"
            )
        if not _BUTTON_ACTIONS & button.keys():
            raise ApiError(
                400,
                "Bad Request: can't parse inline keyboard button: "
                "Text buttons are unallowed in the inline keyboard",
            )
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= 64:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


# ---------------------------------------------------------------------- message content


def _text_content(text: str) -> JsonDict:
    content: JsonDict = {"text": text}
    if text.startswith("/") and len(text) > 1:
        command = text.split(maxsplit=1)[0]
        content["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
        ]
    return content


def _caption(caption: str | None) -> JsonDict:
    return {"caption": caption} if caption else {}


def _document_dict(upload: FakeUpload) -> JsonDict:
    return {
        "file_id": upload.file_id,
        "file_unique_id": upload.file_unique_id,
        "file_name": upload.filename,
        "mime_type": upload.content_type,
        "file_size": len(upload.data),
    }


def _update_type(update: JsonDict) -> str:
    return next((key for key in update if key != "update_id"), "?")


def _short(params: JsonDict) -> str:
    shown = {}
    for key, value in params.items():
        if isinstance(value, FakeUpload):
            value = f"<upload {value.filename} {len(value.data)} B>"
        elif isinstance(value, str) and len(value) > 120:
            value = value[:117] + "..."
        shown[key] = value
    text = json.dumps(shown, ensure_ascii=False, default=str)
    return text if len(text) <= 400 else text[:397] + "..."


# ---------------------------------------------------------------------- parse_mode


def _render(text: str, parse_mode: Any) -> str:
    """The text the user sees, or ApiError 400 "can't parse entities" like Telegram."""
    mode = str(parse_mode or "").lower()
    if mode == "html":
        return _HtmlText.render(text)
    if mode == "markdownv2":
        return _render_markdown_v2(text)
    if mode == "markdown":
        return (
            re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
            .replace("*", "")
            .replace("_", "")
            .replace("`", "")
        )
    return text


def _entity_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


class _HtmlText(HTMLParser):
    """Telegram's HTML subset: known tags only, properly nested; entities unescaped."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.parts: list[str] = []
        self.stack: list[str] = []

    @classmethod
    def render(cls, source: str) -> str:
        parser = cls(source)
        parser.feed(source)
        parser.close()
        if parser.stack:
            raise _entity_error(
                f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
            )
        return "".join(parser.parts)

    def _offset(self) -> int:
        line, column = self.getpos()
        lines = self.source.splitlines(keepends=True)
        prefix = "".join(lines[: line - 1])
        if line - 1 < len(lines):
            prefix += lines[line - 1][:column]
        return len(prefix.encode())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise _entity_error(f'Unsupported start tag "{tag}" at byte offset {self._offset()}')
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise _entity_error(f'Unsupported start tag "{tag}" at byte offset {self._offset()}')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            raise _entity_error(f"Unexpected end tag at byte offset {self._offset()}")
        if self.stack[-1] != tag:
            raise _entity_error(
                f"Unmatched end tag at byte offset {self._offset()}, expected "
                f'"</{self.stack[-1]}>", found "</{tag}>"'
            )
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _render_markdown_v2(text: str) -> str:
    """MarkdownV2 to plain text; unescaped reserved characters are an error, as in Telegram."""
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        char = text[i]
        top = stack[-1][0] if stack else ""
        if char == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i, line_start = i + 2, False
            continue
        if top in ("`", "```"):  # inside code only ` and \ are special
            if text.startswith(top, i):
                stack.pop()
                i += len(top)
            else:
                out.append(char)
                i += 1
            continue
        if text.startswith("```", i) or char == "`":
            marker = "```" if text.startswith("```", i) else "`"
            stack.append((marker, i))
            i += len(marker)
            if marker == "```":  # optional language name up to the line break
                match = re.match(r"[\w+-]*\n", text[i:])
                if match:
                    i += match.end()
            continue
        if char == "]" and top == "[":
            stack.pop()
            match = re.match(r"\(((?:\\.|[^)\\])*)\)", text[i + 1 :])
            if not match:
                raise _entity_error(f"Can't find end of a url at byte offset {i}")
            i += 1 + match.end()
            continue
        if char == "[" or text.startswith("![", i):
            stack.append(("[", i))
            i += 2 if char == "!" else 1
            continue
        if char == ">" and line_start:
            i += 1
            continue
        marker = next((m for m in ("||", "__", "*", "_", "~") if text.startswith(m, i)), "")
        if marker:
            if any(m == marker for m, _ in stack):
                while stack and stack[-1][0] != marker:
                    stack.pop()
                stack.pop()
            else:
                stack.append((marker, i))
            i += len(marker)
            line_start = False
            continue
        if char in _MDV2_RESERVED:
            raise _entity_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(char)
        line_start = char == "\n"
        i += 1
    if stack:
        _, start = stack[-1]
        offset = len(text[:start].encode())
        raise _entity_error(f"Can't find end of the entity starting at byte offset {offset}")
    return "".join(out)
