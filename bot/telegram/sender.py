"""The one way out to Telegram: rate-limited, retried, and patient with outages.

Telegram allows about one message per second per chat (short bursts are fine) and
30 per second overall; on 429 it says how long to wait. Server errors and network
failures are retried with backoff. Permanent errors (403 blocked, 400 bad request)
are raised at once so the caller can record them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from aiogram.types import Message as TgMessage

from bot.messages import Message
from bot.telegram.render import Markup, render

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRIES = 5
BACKOFF_START, BACKOFF_MAX = 0.5, 30.0


class TokenBucket:
    """`rate` tokens per second, up to `burst` saved up; `clock` gives seconds (tests pass
    their own instead of waiting for the bucket to fill)."""

    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.stamp = burst, clock()

    def delay(self) -> float:
        """Take a token; return how long to wait before using it."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def refilled(self) -> bool:
        """Whether the bucket has filled up again since it was last used."""
        return self.tokens + (self.clock() - self.stamp) * self.rate >= self.burst


class RateLimiter:
    def __init__(self, per_second: float = 30, per_chat: float = 1, chat_burst: float = 5):
        self._global = TokenBucket(per_second, per_second)
        self._chats: dict[int, TokenBucket] = {}
        self._per_chat, self._chat_burst = per_chat, chat_burst
        self._lock = asyncio.Lock()

    async def wait(self, chat_id: int) -> None:
        async with self._lock:
            bucket = self._chats.setdefault(chat_id, TokenBucket(self._per_chat, self._chat_burst))
            delay = max(self._global.delay(), bucket.delay())
            if len(self._chats) > 10_000:  # forget idle chats; their buckets are full anyway
                self._chats = {chat_id: bucket}
        if delay > 0:
            await asyncio.sleep(delay)


MAX_REMEMBERED = 10_000  # chats whose language is kept for the location button


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        location_label: Callable[[str | None], str],
        limiter: RateLimiter | None = None,
    ) -> None:
        self.bot = bot
        # The "share location" button's label in a language (None: the default one).
        self.label_in = location_label
        self.languages: dict[int, str] = {}  # chat → the person's language, last heard
        self.limiter = limiter or RateLimiter()
        self.retries = RETRIES  # then the caller decides (e.g. the outbox takes over)
        # How a 429's retry_after and the backoff are waited out (tests record them).
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def speaks(self, chat_id: int, language: str | None) -> None:
        """The core's word on the person's language (Outcome.language): the location
        button follows it, also right after a switch."""
        if language is None:
            return
        if len(self.languages) >= MAX_REMEMBERED and chat_id not in self.languages:
            self.languages.pop(next(iter(self.languages)))  # the oldest goes
        self.languages[chat_id] = language

    def location_label(self, chat_id: int) -> str:
        return self.label_in(self.languages.get(chat_id))

    async def send(self, chat_id: int, message: Message) -> TgMessage | None:
        rendered = render(message, self.location_label(chat_id))
        sent = None
        if message.attachment is not None:
            attachment = message.attachment
            await self._call(
                chat_id,
                lambda: self.bot.send_document(
                    chat_id, BufferedInputFile(attachment.content, attachment.filename)
                ),
            )
        for index, chunk in enumerate(rendered.chunks):
            last = index == len(rendered.chunks) - 1
            markup = rendered.markup if last else None
            sent = await self._call(
                chat_id, lambda c=chunk, m=markup: self.bot.send_message(chat_id, c, reply_markup=m)
            )
        return sent

    async def edit(self, chat_id: int, message_id: int, message: Message) -> bool:
        """Replace a question in place; False when that is not possible (caller sends anew)."""
        rendered = render(message, self.location_label(chat_id))
        if len(rendered.chunks) > 1 or not _inline(rendered.markup):
            return False
        try:
            await self._call(
                chat_id,
                lambda: self.bot.edit_message_text(
                    text=rendered.chunks[0],
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=rendered.markup,
                ),
            )
        except TelegramBadRequest as exc:
            return "not modified" in str(exc).lower()
        return True

    async def close_keyboard(self, chat_id: int, message_id: int, text: str) -> None:
        """Mark an answered question (its keyboard removed) so old buttons are not pressed."""
        with suppress(TelegramBadRequest):  # too old to edit, or unchanged: nothing to do
            await self._call(
                chat_id,
                lambda: self.bot.edit_message_text(
                    text=text[:4096], chat_id=chat_id, message_id=message_id, reply_markup=None
                ),
            )

    async def _call(self, chat_id: int, request: Callable[[], Awaitable[T]]) -> T:
        delay = BACKOFF_START
        for attempt in range(1, self.retries + 1):
            await self.limiter.wait(chat_id)
            try:
                return await request()
            except TelegramRetryAfter as exc:
                log.warning("rate limited by Telegram, waiting %s s", exc.retry_after)
                await self.sleep(exc.retry_after)
            except (TelegramServerError, TelegramNetworkError) as exc:
                if attempt == self.retries:
                    raise
                log.warning(
                    "Telegram unavailable (%s), retry %d in %.1f s",
                    type(exc).__name__,
                    attempt,
                    delay,
                )
                await self.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX)
        return await request()  # after the last 429 wait: one final try, errors propagate


def _inline(markup: Markup | None) -> bool:
    return markup is None or isinstance(markup, InlineKeyboardMarkup)
