"""Between aiogram handlers and the core: updates become events, outcomes become messages.

Handlers stay thin; everything Telegram-specific that is not a handler lives here.
"""

from __future__ import annotations

from dataclasses import replace

from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.types import User as TgUser

from bot.config import Settings
from bot.content.loader import load_content
from bot.content.model import summary
from bot.dialogs.engine import DialogEngine
from bot.leads.stats import stats_text
from bot.messages import Event, Message, Sender
from bot.store import repo
from bot.telegram.commands import COORDINATOR, LOTSE, register_for_chat
from bot.telegram.outbox import OutboxWorker
from bot.telegram.sender import TelegramSender

CHANNEL = "telegram"


def sender_of(user: TgUser) -> Sender:
    return Sender(CHANNEL, str(user.id), user.language_code)


class Bridge:
    def __init__(
        self,
        engine: DialogEngine,
        sender: TelegramSender,
        outbox: OutboxWorker,
        bot_username: str,
        settings: Settings,
    ) -> None:
        self.engine = engine
        self.sender = sender
        self.outbox = outbox
        self.bot_username = bot_username
        self.settings = settings

    async def handle(
        self,
        event: Event,
        chat_id: int,
        pressed: CallbackQuery | None = None,
        key: str | None = None,
    ) -> None:
        outcome = await self.engine.handle(replace(event, key=key) if key else event)
        self.sender.speaks(chat_id, outcome.language)
        if outcome.notifications:
            self.outbox.wake.set()  # already in the outbox, written with the change
        replies = list(outcome.replies)
        if self.outbox.holds(chat_id):  # earlier replies still wait: keep the order
            await self.outbox.hold(chat_id, replies)
            return
        delivered: list[Message] = []
        try:
            await self._deliver(chat_id, replies, pressed, delivered)
        except (TelegramServerError, TelegramNetworkError, TelegramRetryAfter):
            # Telegram is down for longer than the sender's retries: the outbox delivers
            # these replies (and any that follow) once it is back, in order.
            await self.outbox.hold(chat_id, replies[len(delivered) :])

    async def _deliver(
        self,
        chat_id: int,
        replies: list[Message],
        pressed: CallbackQuery | None,
        delivered: list[Message],
    ) -> None:
        """Send the replies, noting each in `delivered` as it goes out."""
        message = pressed.message if pressed else None
        if message is not None and hasattr(message, "message_id"):
            # On a button press the question turns into the answer, not a new message.
            if len(replies) == 1 and await self.sender.edit(
                chat_id, message.message_id, replies[0]
            ):
                delivered.append(replies[0])
                return
            label = _pressed_label(message.reply_markup, pressed.data if pressed else None)
            if label and getattr(message, "text", None):
                await self.sender.close_keyboard(
                    chat_id, message.message_id, f"{message.text}\n\n✓ {label}"
                )
        for reply in replies:
            await self.sender.send(chat_id, reply)
            delivered.append(reply)

    def t(self, key: str, lang: str | None = None, **values: object) -> str:
        content = self.engine.content
        chosen = lang if lang in content.languages else content.languages[0]
        return content.text(key, chosen, **values)

    async def hint(self, chat_id: int, lang: str | None, key: str, **values: object) -> None:
        await self.send_text(chat_id, self.t(key, (lang or "").split("-")[0], **values))

    async def send_text(self, chat_id: int, text: str) -> None:
        await self.sender.send(chat_id, Message(text))

    async def stats(self) -> str:
        async with self.engine.db.session() as session:
            return await stats_text(session, self.engine.content, self.engine.content.languages[0])

    def reload_content(self) -> str:
        """Re-read content; on errors raise ContentError and keep the last good content."""
        content = load_content(
            self.settings.content_dir,
            self.settings.knowledge_dir,
            faq_max_age_days=self.settings.faq_max_age_days,
        )
        self.engine.replace_content(content)
        return summary(content)

    async def after_join(self, user_id: int) -> None:
        """A new Lotse gets the Lotse command menu, and leads that waited go out now."""
        async with self.engine.db.session() as session:
            account = await repo.lotse_account(session, CHANNEL, str(user_id))
        if account is None:
            return
        names = COORDINATOR if user_id in self.settings.coordinator_ids else LOTSE
        await register_for_chat(self.sender.bot, self.engine.content, user_id, names)
        await self.outbox.release(account.lotse_id)
        self.outbox.wake.set()


def _pressed_label(markup: object, data: str | None) -> str | None:
    if not isinstance(markup, InlineKeyboardMarkup) or data is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
