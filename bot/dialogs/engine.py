"""The conversation core: one event in, replies and notifications out.

Transport-free: Telegram, the terminal chat and the tests all call `DialogEngine.handle`.
Each event runs in one database transaction: load state, act, save state (and any lead),
so a crash or restart between two messages loses nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Collection
from dataclasses import asdict
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import heap, logs
from bot.clock import today_in
from bot.config import DEFAULT_CONTROLLER
from bot.content.loader import Content
from bot.dialogs.events import Button, Event, Message, Outcome
from bot.dialogs.extras import Extras
from bot.dialogs.steps import (
    KINDS,
    Go,
    Input,
    Located,
    Pressed,
    Result,
    Stay,
    Typed,
    events_aside,
)
from bot.dialogs.turn import BACK, RESTART, Matchers, State, Turn
from bot.helpdesk.answers import (
    ASIDE_SCORE,
    answer_message,
    looks_like_question,
    remember_question,
)
from bot.leads.lifecycle import not_before
from bot.matching.facts import extract
from bot.matching.normalize import clean, fold
from bot.offers import submissions
from bot.store import repo
from bot.store.db import Database

log = logging.getLogger(__name__)

DB_RETRIES, DB_RETRY_START, DB_RETRY_MAX = 8, 0.25, 4.0  # about 15 s in all
OFFERS_CHECK_SECONDS = 30.0  # how often to look for newly approved or ended Vereine's offers
FREE_TEXT_KINDS = ("text", "contact")  # steps whose answer is free text (names, titles …)
MAX_TEXT = 2000  # longer messages are cut before matching; nobody's answer needs more
LAST_RESORT = "Entschuldigung, da ist etwas schiefgelaufen. Bitte schreiben Sie /start."


class DialogEngine:
    def __init__(
        self,
        content: Content,
        db: Database,
        matchers: Matchers | None = None,
        *,
        controller: str = DEFAULT_CONTROLLER,
        coordinators: Collection[tuple[str, str]] = (),
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        """`coordinators`: (channel, external id) of the people who coordinate; they answer
        questions that are with the coordination and review offers of Vereine."""
        self.base_content = content  # from the files; self.content adds Vereine's offers
        self.content = content
        self.coordinators = frozenset(coordinators)
        self._offers_version: tuple[object, ...] | None = None
        self._offers_checked = -OFFERS_CHECK_SECONDS
        # Which day it is for offers, events and counts: the region's (tests fix one).
        self.today = today or self._regional_today
        self.db = db
        self.controller = controller
        self.matchers = matchers or Matchers.build(content)
        self.extras = Extras(self)

    def replace_content(self, content: Content) -> None:
        """Switch to newly loaded content (coordinators' /reload); conversations carry on."""
        self.base_content = content
        self._use(content)
        self._offers_version = None  # Vereine's offers are added again with the next event
        self.offers_changed()

    def _use(self, content: Content) -> None:
        matchers = Matchers.build(content, previous=self.matchers)
        self.content, self.matchers = content, matchers
        self.extras = Extras(self)
        heap.renewed()

    async def keep_faq_ready(self) -> None:
        """Let the FAQ classifier learn (about a second) in a worker thread unless it has:
        after the start and after each content change, so that no question waits for it
        in the event loop. The adapters call this with their timed work."""
        faq = self.matchers.faq
        if not faq.ready:
            try:
                await asyncio.to_thread(faq.prepare)
            except Exception as exc:  # the first question tries again and says what failed
                logs.failure(log, "FAQ classifier could not learn", exc)

    def _regional_today(self) -> dt.date:
        return today_in(self.content.leads.timezone)

    def offers_changed(self) -> None:
        """A Verein's offer was approved or ended here: look again before the next event."""
        self._offers_checked = -OFFERS_CHECK_SECONDS

    async def _refresh_offers(self, session: AsyncSession) -> None:
        """Add the approved offers of Vereine (in the database, shared by all processes)."""
        now = time.monotonic()
        if now - self._offers_checked < OFFERS_CHECK_SECONDS:
            return
        self._offers_checked = now
        today = self.today()
        version = (*await submissions.version(session), today)
        if version == self._offers_version:
            return
        extra = await submissions.shown(session, today)
        if extra or self.content is not self.base_content:
            base = self.base_content
            self._use(dataclasses.replace(base, offers=base.offers.with_extra(extra)))
        self._offers_version = version

    async def handle(self, event: Event) -> Outcome:
        try:
            # One event per person at a time; across processes see repo.lock_person.
            async with self.db.people.hold(event.sender.channel, event.sender.external_id):
                return await self._handle_with_retries(event)
        except Exception as exc:
            logs.failure(log, f"{event.kind} event failed", exc)
            return Outcome([Message(self._safe_text("error"))])

    async def _handle_with_retries(self, event: Event) -> Outcome:
        """A locked SQLite file or a restarting PostgreSQL server is waited out: the whole
        event is tried again in a fresh transaction instead of being dropped."""
        delay = DB_RETRY_START
        for _attempt in range(DB_RETRIES):
            try:
                return await self._handle(event)
            except (OperationalError, InterfaceError, DisconnectionError) as exc:
                log.warning(
                    "database busy or unreachable (%s), retrying in %.1f s",
                    type(exc).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, DB_RETRY_MAX)
        return await self._handle(event)

    def _safe_text(self, key: str) -> str:
        try:
            return self.content.text(key, self.content.languages[0])
        except Exception:
            return LAST_RESORT

    async def _handle(self, event: Event) -> Outcome:
        start = self.content.dialog.start
        async with self.db.session() as session, session.begin():
            # First: this person's earlier event, in any process, commits before we read.
            await repo.lock_person(session, event.sender.channel, event.sender.external_id)
            await self._refresh_offers(session)
            channel, external_id = event.sender.channel, event.sender.external_id
            user, row, account = await repo.load_person(session, channel, external_id)
            if user is None:  # somebody new
                language = self._language(event.sender.language)
                user = await repo.add_user(session, channel, external_id, language)
            if event.key and not await repo.first_time(session, event.key):
                # Delivered again (e.g. after a crash): show where the person stands instead.
                saved = State(row.step, pending=dict(row.pending)) if row else State("")
                return Outcome(
                    self._prompt(Turn(self.content, self.matchers, session, user, saved))
                )
            fresh = row is None or row.step not in self.content.dialog.steps
            state = (
                State(start)
                if fresh
                else State(row.step, dict(row.answers), list(row.history), dict(row.pending))
            )
            turn = Turn(
                self.content,
                self.matchers,
                session,
                user,
                state,
                account=account,
                controller=self.controller,
                is_coordinator=(channel, external_id) in self.coordinators,
                today=self.today,
            )
            replies = await self._route(turn, event, fresh)
            if turn.keep_prompt:
                self._remember_prompt(turn, replies)
            if not turn.erased:
                await repo.save_conversation(
                    session, user.id, state.step, state.answers, state.history, state.pending
                )
            repo.queue_notifications(
                session,
                turn.notifications,
                citizen_time=lambda moment: not_before(moment, self.content.leads),
            )
        return Outcome(replies, turn.notifications)

    async def _route(self, turn: Turn, event: Event, fresh: bool) -> list[Message]:
        extra = await self.extras.handle(turn, event)
        if extra is not None:
            return extra
        if fresh:
            return await self._restart(turn)
        return await self._dispatch(turn, event)

    def _language(self, code: str | None) -> str:
        short = (code or "").split("-")[0].lower()
        return short if short in self.content.languages else self.content.languages[0]

    async def _dispatch(self, turn: Turn, event: Event) -> list[Message]:
        if event.kind == "command":
            return await self._command(turn, event)
        if event.kind == "resume":
            return self._prompt(turn) or await self._enter(turn, turn.state.step)
        if event.kind == "unsupported":
            return [Message(turn.t("unsupported")), *self._prompt(turn)]
        if event.kind == "location" and event.lat is not None and event.lon is not None:
            return await self._step(turn, Located(event.lat, event.lon))
        if event.kind == "button":
            return await self._button(turn, event.data)
        text = clean(event.text)[:MAX_TEXT]
        if not text:
            return [Message(turn.t("empty")), *self._prompt(turn)]
        navigation = self._navigation(text)
        if navigation == "back":
            return await self._back(turn)
        if navigation == "restart":
            return await self._restart(turn)
        if navigation == "greeting":
            return self._prompt(turn) or await self._enter(turn, turn.state.step)
        if navigation == "help":
            return [Message(turn.t("help")), *self._prompt(turn)]
        whats_on = events_aside(turn, text, self._prompt(turn))
        if whats_on is not None:
            return whats_on
        aside = self._question_aside(turn, text)
        if aside is not None:
            return [aside, *self._prompt(turn)]
        where = (turn.state.step, len(turn.state.history))
        replies = await self._step(turn, Typed(text))
        if "?" in text and where == (turn.state.step, len(turn.state.history)):
            # A question the bot could not answer, and no answer to the step either:
            # offer a person before asking the step's question again.
            handoff = remember_question(turn, text)
            replies.insert(0, Message(turn.t("question_aside_unsure"), (handoff,)))
        return replies

    def _question_aside(self, turn: Turn, text: str) -> Message | None:
        """A question typed in the middle of the dialogue is answered on the side; the
        dialogue then goes on where it was."""
        step = self.content.dialog.steps[turn.state.step]
        if step.kind == "question" or not looks_like_question(text):
            return None
        if step.kind in FREE_TEXT_KINDS and "?" not in text:
            return None  # "am 12.06. ab 9 Uhr" answers the step; only a "?" makes it a question
        hit = self.matchers.faq.answer(text)
        if hit is None or hit.score < ASIDE_SCORE:
            return None
        return answer_message(turn, hit.entry)

    async def _command(self, turn: Turn, event: Event) -> list[Message]:
        if event.command in ("start", "neu", "restart", "menu", "menue"):
            return await self._restart(turn)
        if event.command in ("hilfe", "help"):
            return [Message(turn.t("help")), *self._prompt(turn)]
        if event.command in ("zurueck", "back"):
            return await self._back(turn)
        return [Message(turn.t("unknown_command")), *self._prompt(turn)]

    async def _button(self, turn: Turn, data: str) -> list[Message]:
        if data == BACK:
            return await self._back(turn)
        if data == RESTART:
            return await self._restart(turn)
        kind, _, rest = data.partition(":")
        step_name, _, value = rest.rpartition(":")
        if kind != "s" or step_name != turn.state.step or not value:
            # A button from an earlier question, another chat, or forged data.
            return [Message(turn.t("stale_button")), *self._prompt(turn)]
        return await self._step(turn, Pressed(value))

    def _navigation(self, text: str) -> str | None:
        typed = fold(text)
        if not typed or len(typed) > 30:
            return None
        for intent, words in self.content.dialog.navigation.items():
            for word in words:
                target = fold(word)
                if typed == target or (len(typed) >= 5 and fuzz.ratio(typed, target) >= 88):
                    return intent
        return None

    async def _step(self, turn: Turn, given: Input) -> list[Message]:
        name = turn.state.step
        step = self.content.dialog.steps[name]
        if isinstance(given, Typed) and step.facts:
            turn.state.answers |= extract(step.facts, given.text, self.content.dialog.travel)
        result: Result = await KINDS[step.kind].handle(turn, name, step, given)
        if isinstance(result, Stay):
            return result.messages
        return result.messages + await self._go(turn, result)

    async def _go(self, turn: Turn, result: Go) -> list[Message]:
        current = turn.state.step
        if result.target == self.content.dialog.start:
            turn.state.history.clear()
        elif result.target != current:
            turn.state.history.append(current)
        await repo.count_step(turn.session, result.target, self.today())  # funnel, anonymous
        return await self._enter(turn, result.target)

    async def enter(self, turn: Turn, name: str) -> list[Message]:
        """Move to a step and ask its question (for deep links and language changes)."""
        return await self._enter(turn, name)

    async def restart(self, turn: Turn) -> list[Message]:
        return await self._restart(turn)

    def prompt(self, turn: Turn) -> list[Message]:
        return self._prompt(turn)

    async def _enter(self, turn: Turn, name: str) -> list[Message]:
        turn.state.step = name
        turn.state.pending = {}
        step = self.content.dialog.steps[name]
        return await KINDS[step.kind].enter(turn, name, step)

    async def _back(self, turn: Turn) -> list[Message]:
        if not turn.state.history:
            return await self._restart(turn)
        return await self._enter(turn, turn.state.history.pop())

    async def _restart(self, turn: Turn) -> list[Message]:
        turn.state.answers.clear()
        turn.state.history.clear()
        await repo.count_step(turn.session, self.content.dialog.start, self.today())
        return await self._enter(turn, self.content.dialog.start)

    @staticmethod
    def _remember_prompt(turn: Turn, replies: list[Message]) -> None:
        """Keep the last question so it can be shown again after a hint."""
        asking = [m for m in replies if m.buttons] or replies[-1:]
        if asking:
            turn.state.pending["prompt"] = _stored(asking[-1])

    @staticmethod
    def _prompt(turn: Turn) -> list[Message]:
        saved = turn.state.pending.get("prompt")
        if not saved:
            return []
        buttons = tuple(Button(**b) for b in saved.get("buttons", []))
        return [Message(saved["text"], buttons, saved.get("request_location", False))]


def _stored(message: Message) -> dict[str, Any]:
    """`asdict(message)`, built directly: asdict deep-copies field by field, which cost
    more than anything else in remembering the prompt."""
    if message.attachment is not None:
        return asdict(message)
    return {
        "text": message.text,
        "buttons": [{"label": b.label, "data": b.data} for b in message.buttons],
        "request_location": message.request_location,
        "attachment": None,
    }
