"""The WhatsApp channel: webhook messages → core events, replies and notifications → Cloud
API messages, within WhatsApp's 24-hour rule.

No HTTP server here (that is webhook.py). A person is `Sender("whatsapp", wa_id)`. What the
core answers goes out at once: the person just wrote, so the window is open. What the
outbox holds for a WhatsApp citizen (a Lotse took the request, wrote, asks "Hat es
geklappt?") is delivered by `deliver_due`: free-form while the window is open; later it
waits, and the person gets one approved template ("a message waits for you", whatsapp.yaml)
until they tap it or write, when everything that waited follows in order.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.content.model import Content
from bot.dialogs.engine import MAX_TEXT, DialogEngine
from bot.messages import Button, Event, Message, Notification, Recipient, Sender
from bot.store import repo
from bot.store.db import Database
from bot.store.models import OutboxMessage, User
from bot.text import fold
from bot.whatsapp import window
from bot.whatsapp.api import CloudApi, Unavailable, WhatsAppError
from bot.whatsapp.inbound import Incoming, Status
from bot.whatsapp.render import Words, render, template
from bot.worker import drain_until_stopped

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
SHOW = "wa-show"  # the payload of the template's button: "show me what waits"
MAX_RETRY_DELAY = dt.timedelta(minutes=5)
# A poster's wa.me link fills in a message ending in '#<payload>' (the /start payload idea).
START = re.compile(r"^(?:.{0,120}\s)?#([A-Za-z0-9_-]{1,64})\s*$", re.DOTALL)


class WhatsAppChannel:
    def __init__(
        self,
        engine: DialogEngine,
        api: CloudApi,
        *,
        on_notify: Callable[[], None] | None = None,
    ) -> None:
        self.engine = engine
        self.api = api
        self.on_notify = on_notify or (lambda: None)  # wakes the Telegram outbox worker
        self.wake = asyncio.Event()  # the runtime wakes this worker when the outbox grew
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def db(self) -> Database:
        return self.engine.db

    @property
    def content(self) -> Content:
        return self.engine.content

    # --- from the webhook -----------------------------------------------------------------

    async def receive(self, messages: list[Incoming], statuses: list[Status]) -> None:
        await self.record_statuses(statuses)
        for incoming in messages:
            await self.handle(incoming)

    async def handle(self, incoming: Incoming) -> None:
        """One message of a person: exactly once, in order with their other messages."""
        if incoming.kind == "reaction":
            return  # an emoji on one of our messages: nothing to answer
        async with self._lock(incoming.wa_id):
            key, now = _key(incoming.id), clock.now()
            known, shown = await self._open_window(incoming.wa_id, key, now)
            if shown is None:
                return  # Meta delivered it again (we answered too slowly): done already
            sender = Sender(CHANNEL, incoming.wa_id)
            if incoming.template_button and incoming.data == SHOW:
                if shown:  # the waiting messages were what they asked for
                    await self._mark_handled(key)
                    return
                event = Event(sender, "resume")
            else:
                event = self._event(sender, incoming)
            await self._run(replace(event, key=key), now, opened=known)

    async def record_statuses(self, statuses: list[Status]) -> None:
        """Sent, delivered, read, failed: kept with the message's id, never its text."""
        if not statuses:
            return
        now = clock.now()
        late: list[int] = []
        async with self.db.session() as session, session.begin():
            for item in statuses:
                error = f"{item.error_code} {item.error_title}"[:80] if item.error_code else None
                row = await window.status(session, item.wamid, item.status, now, error)
                if row is not None and item.error_code == 131047 and row.outbox_id:
                    late.append(row.outbox_id)  # the window closed before it arrived
            for outbox_id in late:
                await self._requeue(session, outbox_id)
        if late:
            self.wake.set()

    # --- the outbox -----------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        await drain_until_stopped(self.deliver_due, self.wake, stop, interval, log, "whatsapp")

    async def deliver_due(self, now: dt.datetime | None = None) -> int:
        """Send what is due for WhatsApp citizens; return how many rows were handled."""
        now = now or clock.now()
        async with self.db.session() as session, session.begin():
            rows = await repo.claim_outbox(session, now, citizens_on=CHANNEL)
        failed_before: set[str] = set()
        for row in rows:
            if row.recipient_id in failed_before:  # nothing overtakes a message that failed
                await self._update(row.id, status="pending", next_attempt_at=now)
                continue
            if not await self._deliver(row, now):
                failed_before.add(row.recipient_id)
        return len(rows)

    async def _deliver(self, row: OutboxMessage, now: dt.datetime) -> bool:
        async with self.db.session() as session:
            user = await session.get(User, int(row.recipient_id))
            contact = await window.contact(session, user.id) if user else None
        if user is None or user.blocked:
            await self._update(row.id, status="failed", last_error="recipient gone")
            return True
        if not window.is_open(contact, now):
            return await self._wait_for_window(row, user, now)
        message = self._queued(row, user.language)
        try:
            await self._send(user.id, user.external_id, user.language, [message], row.id)
        except WhatsAppError as exc:
            if exc.outside_window:
                return await self._wait_for_window(row, user, now)
            await self._update(row.id, status="failed", last_error=exc.short())
            return True
        except Unavailable as exc:
            await self._retry_later(row, now, str(exc))
            return False
        await self._update(row.id, status="sent", sent_at=clock.now(), last_error=None)
        return True

    async def _wait_for_window(self, row: OutboxMessage, user: User, now: dt.datetime) -> bool:
        """Hold the message until the person writes; tell them once, with the template."""
        async with self.db.session() as session:
            due = window.notice_due(await window.contact(session, user.id))
        if due:
            try:
                await self._notice(user, row.subject, now)
            except Unavailable as exc:
                await self._retry_later(row, now, str(exc))
                return False
            except WhatsAppError as exc:  # e.g. the template is not approved (yet)
                log.warning("WhatsApp template refused: %s", exc.short())
                async with self.db.session() as session, session.begin():
                    await window.noticed(session, user.id, now)  # tried: it waits as well
                await self._update(row.id, status=window.WAITING, last_error=exc.short())
                return True
        await self._update(row.id, status=window.WAITING, last_error=None)
        return True

    async def _notice(self, user: User, subject: str | None, now: dt.datetime) -> None:
        content = self.content
        found = next((t for t in content.whatsapp.templates if t.use == "waiting_message"), None)
        if found is None:
            raise WhatsAppError(0, None, "no waiting_message template in whatsapp.yaml")
        lang = user.language if user.language in found.texts else next(iter(found.texts))
        kind = (subject or "").partition(":")[0]
        kind = kind if kind in ("lead", "offer") else "other"
        topic = content.text(f"whatsapp_topic_{kind}", lang)
        parameters = [topic][: len(found.parameters)]
        buttons = [SHOW] * len(found.texts[lang].buttons)
        payload = template(found.name, found.languages.get(lang, lang), parameters, buttons)
        wamid = await self.api.send(user.external_id, payload)
        with suppress(IntegrityError):  # erased meanwhile: nothing to keep
            async with self.db.session() as session, session.begin():
                await window.sent(session, user.id, [wamid], now, template=found.name)
                await window.noticed(session, user.id, now)

    async def _requeue(self, session: AsyncSession, outbox_id: int) -> None:
        """Meta says the window was closed when the message arrived: it goes again, as the
        template's waiting message (the window counts as closed from now on)."""
        row = await session.get(OutboxMessage, outbox_id)
        if row is None or row.status != "sent":
            return
        now = clock.now()
        row.status, row.next_attempt_at = "pending", now
        contact = await window.contact(session, int(row.recipient_id))
        if contact is not None:
            contact.last_inbound_at = now - window.WINDOW

    async def _retry_later(self, row: OutboxMessage, now: dt.datetime, reason: str) -> None:
        delay = min(MAX_RETRY_DELAY, dt.timedelta(seconds=2 ** min(row.attempts, 9)))
        await self._update(
            row.id, status="pending", next_attempt_at=now + delay, last_error=reason[:200]
        )

    # --- inside ---------------------------------------------------------------------------

    def _lock(self, wa_id: str) -> asyncio.Lock:
        """One message at a time per person, so replies keep the order of the messages."""
        if len(self._locks) > 5_000:
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return self._locks.setdefault(wa_id, asyncio.Lock())

    async def _mark_handled(self, key: str) -> None:
        async with self.db.session() as session, session.begin():
            await repo.first_time(session, key)

    async def _open_window(self, wa_id: str, key: str, now: dt.datetime) -> tuple[bool, int | None]:
        """One transaction as the message arrives. Whether the person is known (then their
        window is open now), and how many waiting messages went out first (None: this
        message was handled already)."""
        async with self.db.session() as session, session.begin():
            known = await window.arrival(session, CHANNEL, wa_id, key)
            if known is None:
                return False, 0  # somebody new: the turn opens the window (see `_run`)
            if known.handled:
                return True, None
            await window.opened(session, known.user_id, now)
            rows = await window.waiting(session, known.user_id) if known.waiting else []
        if not rows:
            return True, 0
        user_id, lang = known.user_id, known.language
        header = Message(self.content.text("whatsapp_waited", lang))
        waited = [self._queued(row, lang) for row in rows]
        ids = [row.id for row in rows]
        try:
            await self._send(user_id, wa_id, lang, [header, *waited])
        except (Unavailable, WhatsAppError) as exc:
            # back in line for the outbox worker (the window is open now)
            await self._update(*ids, status="pending", last_error=str(exc)[:200])
            self.wake.set()
            return True, 0
        await self._update(*ids, status="sent", sent_at=clock.now(), last_error=None)
        return True, len(rows)

    def _queued(self, row: OutboxMessage, lang: str | None) -> Message:
        """An outbox row as WhatsApp sends it: queued texts keep {/start} until delivery,
        and WhatsApp names commands its own way (typed words)."""
        text = self.content.commands(row.text, lang or self.content.languages[0], CHANNEL)
        return Message(text, tuple(Button(label, data) for label, data in row.buttons))

    def _event(self, sender: Sender, incoming: Incoming) -> Event:
        if incoming.kind == "button":
            return Event.button(sender, incoming.data[:64])
        if incoming.kind == "location" and incoming.lat is not None and incoming.lon is not None:
            return Event.location(sender, incoming.lat, incoming.lon)
        if incoming.kind != "text":
            return Event(sender, "unsupported")
        text = incoming.text[:MAX_TEXT]
        command = self._typed_command(text)
        if command is not None:
            return Event(sender, "command", command=command)
        start = START.match(text.strip())
        if start:  # from a poster's wa.me link: like Telegram's /start <payload>
            return Event(sender, "command", text=start.group(1), command="start")
        return Event.message(sender, text)

    def _typed_command(self, text: str) -> str | None:
        """'meine Daten', 'löschen' …, typed alone (whatsapp.yaml `commands`)."""
        typed = fold(text)
        if not typed or len(typed) > 40:
            return None
        for command, words in self.content.whatsapp.commands.items():
            if any(typed == fold(word) for word in words):
                return command
        return None

    async def _run(self, event: Event, now: dt.datetime, *, opened: bool) -> None:
        person: list[tuple[int, str]] = []  # (user id, language) after the turn

        async def record(session: AsyncSession, user_id: int, _replies: list[Message]) -> None:
            """In the turn's transaction: a new person's window opens with their message."""
            if not opened:
                await window.opened(session, user_id, now)
            user = await session.get(User, user_id)  # in the session already: no query
            person.append((user_id, user.language if user else self.content.languages[0]))

        outcome = await self.engine.handle(event, record)
        if outcome.notifications:
            self.on_notify()  # already in the outbox, written with the change
        # Not recorded: erased in this turn (nothing more is kept), or the turn failed.
        user_id, lang = person[-1] if person else (None, self.content.languages[0])
        try:
            await self._send(user_id, event.sender.external_id, lang, outcome.replies)
        except (Unavailable, WhatsAppError) as exc:
            log.warning("WhatsApp reply not sent (%s); it waits in the outbox", type(exc).__name__)
            if user_id is not None:
                await self._hold(user_id, outcome.replies)

    async def _send(
        self,
        user_id: int | None,
        wa_id: str,
        lang: str,
        messages: list[Message],
        outbox_id: int | None = None,
    ) -> None:
        """Send in order; Meta's ids are kept (for the statuses) in one transaction at the
        end, also for what went out before a failure."""
        words = self._words(lang)
        sent: list[str] = []
        try:
            for message in messages:
                for payload in render(message, words):
                    sent.append(await self.api.send(wa_id, payload))
        finally:
            if sent and user_id is not None:
                await self._keep(user_id, sent, outbox_id)

    async def _keep(self, user_id: int, wamids: list[str], outbox_id: int | None) -> None:
        with suppress(IntegrityError):  # erased meanwhile: nothing to keep
            async with self.db.session() as session, session.begin():
                await window.sent(session, user_id, wamids, clock.now(), outbox_id=outbox_id)

    async def _hold(self, user_id: int, replies: list[Message]) -> None:
        """Replies Meta did not take now: the outbox worker sends them later, in order."""
        async with self.db.session() as session, session.begin():
            if await session.get(User, user_id) is None:
                return
            notes = [
                Notification(Recipient("citizen", str(user_id), ""), replace(r, attachment=None))
                for r in replies
            ]
            repo.queue_notifications(session, notes)
        self.wake.set()

    def _words(self, lang: str) -> Words:
        content = self.content
        whatsapp = content.whatsapp
        return Words(
            list_button=whatsapp.list_button.get(lang)
            or next(iter(whatsapp.list_button.values()), "…"),
            numbered_hint=content.text("whatsapp_numbered_hint", lang),
            file_not_sent=content.text("whatsapp_file_not_sent", lang),
        )

    async def _update(self, *row_ids: int, **values: object) -> None:
        await repo.update_outbox(self.db, *row_ids, **values)


def _key(wamid: str) -> str:
    """The handled-updates key for a message id (wamids are long; keys hold 64)."""
    return "wa:" + hashlib.sha256(wamid.encode()).hexdigest()[:40]
