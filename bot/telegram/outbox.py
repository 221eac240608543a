"""Delivers queued notifications (the outbox) to Telegram, in order, without losing any."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from sqlalchemy import select, update

from bot import clock
from bot.content.model import Content
from bot.messages import Button, Message, Notification, Recipient
from bot.store import repo
from bot.store.db import Database
from bot.store.models import LotseAccount, OutboxMessage, User
from bot.telegram.sender import TelegramSender
from bot.worker import drain_until_stopped

log = logging.getLogger(__name__)

WAIT_FOR_RECIPIENT = dt.timedelta(minutes=10)  # a Lotse who has not joined yet
MAX_RETRY_DELAY = dt.timedelta(minutes=5)
WEB_CHANNEL, WEB_WAITING = "web", "web"  # citizens of the web chat; their rows wait for the page


class OutboxWorker:
    def __init__(
        self,
        db: Database,
        sender: TelegramSender,
        content: Callable[[], Content],
        coordinator_ids: frozenset[int],
    ) -> None:
        self.db = db
        self.sender = sender
        self.content = content
        self.coordinator_ids = coordinator_ids
        self.wake = asyncio.Event()
        self._held: set[int] = set()  # chats whose replies wait in the outbox

    def holds(self, chat_id: int) -> bool:
        """Replies to this chat wait in the outbox: newer ones must queue behind them."""
        return chat_id in self._held

    async def hold(self, chat_id: int, messages: list[Message]) -> None:
        """Telegram could not take these replies now; deliver them later, in order."""
        self._held.add(chat_id)
        async with self.db.session() as session, session.begin():
            spoken = await repo.language_on(session, "telegram", str(chat_id))
            lang = self.content().language(spoken)
            repo.queue_notifications(
                session,
                [
                    Notification(
                        Recipient("chat", str(chat_id), ""), self._without_file(message, lang)
                    )
                    for message in messages
                ],
            )
        self.wake.set()

    def _without_file(self, message: Message, lang: str) -> Message:
        """The outbox keeps text and buttons, never a file: a file is personal data (the
        /meine_daten export), of which no copy should wait in a table. The text says so,
        in the person's language (`lang`)."""
        if message.attachment is None:
            return message
        note = self.content().text("attachment_not_sent", lang)
        return replace(message, text=f"{message.text}\n\n{note}", attachment=None)

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        # Replies still waiting from before a restart keep their place in line.
        async with self.db.session() as session:
            waiting = await session.scalars(
                select(OutboxMessage.recipient_id).where(
                    OutboxMessage.recipient_role == "chat", OutboxMessage.status == "pending"
                )
            )
            self._held |= {int(chat) for chat in waiting.all()}
        await drain_until_stopped(self.deliver_due, self.wake, stop, interval, log, "outbox")

    async def deliver_due(self, now: dt.datetime | None = None) -> int:
        """Send what is due; return how many rows were handled (0: nothing to do)."""
        now = now or clock.now()
        async with self.db.session() as session, session.begin():
            rows = await repo.claim_outbox(session, now)
        failed_before = False
        for row in rows:
            if failed_before:  # keep the order: nothing overtakes a message that failed
                await self._update(row.id, status="pending", next_attempt_at=now)
                continue
            failed_before = not await self._deliver(row, now)
        return len(rows)

    async def _deliver(self, row: OutboxMessage, now: dt.datetime) -> bool:
        if await self._for_web_chat(row):
            # The web page shows it the next time the person opens it (bot/web); not ours.
            await self._update(row.id, status=WEB_WAITING, last_error=None)
            return True
        chat_ids = await self._chats(row)
        if chat_ids is None:  # a revoked Lotse: never again (revoking moved their leads on)
            await self._update(row.id, status="revoked", last_error="Zugang entzogen")
            return True
        if not chat_ids:
            await self._update(
                row.id,
                status="pending",
                next_attempt_at=now + WAIT_FOR_RECIPIENT,
                last_error="recipient not reachable on Telegram yet",
            )
            return True  # waiting for this recipient must not hold back the others
        content = self.content()
        text = content.commands(row.text, content.languages[0], "telegram")  # {/start}: /start
        message = Message(text, tuple(Button(label, data) for label, data in row.buttons))
        try:
            for chat_id in chat_ids:
                await self.sender.send(chat_id, message)
        except TelegramForbiddenError:
            await self._update(row.id, status="failed", last_error="blocked by the user")
            await self._mark_blocked(row)
            return True
        except TelegramBadRequest as exc:
            await self._update(row.id, status="failed", last_error=str(exc)[:200])
            return True
        except Exception as exc:  # Telegram down: try again later, in order
            delay = min(MAX_RETRY_DELAY, dt.timedelta(seconds=2 ** min(row.attempts, 9)))
            await self._update(
                row.id, status="pending", next_attempt_at=now + delay, last_error=type(exc).__name__
            )
            return False
        await self._update(row.id, status="sent", sent_at=clock.now(), last_error=None)
        if row.recipient_role == "chat" and not await self._waiting_for_chat(row.recipient_id):
            self._held.discard(int(row.recipient_id))
        return True

    async def _waiting_for_chat(self, chat_id: str) -> bool:
        async with self.db.session() as session:
            return (
                await session.scalar(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.recipient_role == "chat",
                        OutboxMessage.recipient_id == chat_id,
                        OutboxMessage.status == "pending",
                    )
                    .limit(1)
                )
                is not None
            )

    async def release(self, lotse_id: str) -> None:
        """A Lotse just joined: what waited for them is due now."""
        async with self.db.session() as session, session.begin():
            await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.recipient_role == "lotse",
                    OutboxMessage.recipient_id == lotse_id,
                    OutboxMessage.status == "pending",
                )
                .values(next_attempt_at=clock.now())
            )

    async def _for_web_chat(self, row: OutboxMessage) -> bool:
        if row.recipient_role != "citizen" or not row.recipient_id.isdigit():
            return False
        async with self.db.session() as session:
            user = await session.get(User, int(row.recipient_id))
        return user is not None and user.channel == WEB_CHANNEL

    async def _chats(self, row: OutboxMessage) -> list[int] | None:
        """Where the message goes: chat ids, [] while the recipient is not reachable yet,
        None when they never will be (a Lotse whose access was revoked)."""
        async with self.db.session() as session:
            if row.recipient_role == "coordinator":
                return sorted(self.coordinator_ids)
            if row.recipient_role == "chat":  # a reply that could not be sent at once
                return [int(row.recipient_id)]
            if row.recipient_role == "citizen":
                user = await session.get(User, int(row.recipient_id))
                if user and user.channel == "telegram" and not user.blocked:
                    return [int(user.external_id)]
                return []
            account = await session.get(LotseAccount, row.recipient_id)
            if account is not None and account.revoked_at is not None:
                return None  # revoked: not even to a telegram_id written in lotsen.yaml
            if account is not None and account.channel == "telegram":
                return [int(account.external_id)]
        configured = next(
            (lotse.telegram_id for lotse in self.content().lotsen if lotse.id == row.recipient_id),
            None,
        )
        return [configured] if configured else []

    async def _update(self, row_id: int, **values: object) -> None:
        await repo.update_outbox(self.db, row_id, **values)

    async def _mark_blocked(self, row: OutboxMessage) -> None:
        if row.recipient_role != "citizen":
            return
        async with self.db.session() as session, session.begin():
            user = await session.get(User, int(row.recipient_id))
            if user is not None:
                user.blocked = True
