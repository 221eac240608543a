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
from collections.abc import Awaitable, Callable, Collection
from dataclasses import asdict
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import logs
from bot.clock import today_in
from bot.config import DEFAULT_CONTROLLER, Operator
from bot.content.model import Content
from bot.content.schema import Step
from bot.dialogs import offer_details, understood
from bot.dialogs.answers import (
    ASIDE_SCORE,
    answer_message,
    looks_like_question,
    remember_question,
)
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
from bot.dialogs.turn import Matchers, State, Turn
from bot.leads.lifecycle import not_before
from bot.matching.facts import extract
from bot.matching.options import pick
from bot.messages import Button, Event, Message, Outcome, Sender
from bot.offers import submissions
from bot.payloads import Choice, Nav, unpack
from bot.store import repo
from bot.store.db import Database
from bot.text import clean, fold
from bot.understanding import Reading

log = logging.getLogger(__name__)

DB_RETRIES, DB_RETRY_START, DB_RETRY_MAX = 8, 0.25, 4.0  # about 15 s in all
OFFERS_CHECK_SECONDS = 30.0  # how often to look for newly approved or ended Vereine's offers
FREE_TEXT_KINDS = ("text", "contact")  # steps whose answer is free text (names, titles …)
MAX_TEXT = 2000  # longer messages are cut before matching; nobody's answer needs more
MAX_LABEL = 60  # longer texts are messages, not a button's label typed out
MISSES_BEFORE_HELP = 2  # misses in a row at one step before a person is offered
LAST_RESORT = "Entschuldigung, da ist etwas schiefgelaufen. Bitte schreiben Sie /start."

# A channel's own record of a turn (the web chat's transcript), written in the turn's
# transaction: the step and what the page shows cannot drift apart. Not called when the
# person's data was erased in this turn.
Record = Callable[[AsyncSession, int, list[Message]], Awaitable[None]]


class DialogEngine:
    def __init__(
        self,
        content: Content,
        db: Database,
        matchers: Matchers | None = None,
        *,
        controller: str = DEFAULT_CONTROLLER,
        operator: Operator | None = None,
        coordinators: Collection[tuple[str, str]] = (),
        today: Callable[[], dt.date] | None = None,
        on_switch: Callable[[], None] = lambda: None,
    ) -> None:
        """`coordinators`: (channel, external id) of the people who coordinate; they answer
        questions that are with the coordination and review offers of Vereine. `on_switch`
        runs after each content switch (the runtime passes `bot.runtime.heap.renewed`)."""
        self.base_content = content  # from the files; self.content adds Vereine's offers
        self.content = content
        self.coordinators = frozenset(coordinators)
        self._offers_version: tuple[object, ...] | None = None
        self._offers_checked = -OFFERS_CHECK_SECONDS
        # Which day it is for offers, events and counts: the region's (tests fix one).
        self.today = today or self._regional_today
        self.db = db
        self.controller = controller
        self.operator = operator or Operator()  # named in /datenschutz
        self.matchers = matchers or Matchers.build(content)
        self.extras = Extras(self)
        self._on_switch = on_switch

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
        self._on_switch()

    async def keep_faq_ready(self) -> None:
        """Let the FAQ classifier learn (about a second) in a worker thread unless it has:
        after the start and after each content change, so that no question waits for it
        in the event loop. The adapters call this with their timed work."""
        for learner in (self.matchers.understanding, self.matchers.faq):
            if learner.ready:
                continue
            try:
                await asyncio.to_thread(learner.prepare)
            except Exception as exc:  # the first message tries again and says what failed
                logs.failure(log, f"{type(learner).__name__} could not learn", exc)

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

    async def handle(self, event: Event, record: Record | None = None) -> Outcome:
        """Answer one event in one transaction; `record` (see `Record`) joins that
        transaction. Any failure rolls everything back and answers with an apology."""
        try:
            # One event per person at a time; across processes see repo.lock_person.
            async with self.db.people.hold(event.sender.channel, event.sender.external_id):
                return await self._handle_with_retries(event, record)
        except Exception as exc:
            logs.failure(log, f"{event.kind} event failed", exc)
            return Outcome([Message(self._safe_text("error", event.sender))])

    async def _handle_with_retries(self, event: Event, record: Record | None) -> Outcome:
        """A locked SQLite file or a restarting PostgreSQL server is waited out: the whole
        event is tried again in a fresh transaction instead of being dropped."""
        delay = DB_RETRY_START
        for _attempt in range(DB_RETRIES):
            try:
                return await self._handle(event, record)
            except (OperationalError, InterfaceError, DisconnectionError) as exc:
                log.warning(
                    "database busy or unreachable (%s), retrying in %.1f s",
                    type(exc).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, DB_RETRY_MAX)
        return await self._handle(event, record)

    def _safe_text(self, key: str, sender: Sender) -> str:
        """The apology, without the database: in the language the channel reports."""
        try:
            return self.content.text(key, self._language(sender.language), via=sender.channel)
        except Exception:
            return LAST_RESORT

    async def _handle(self, event: Event, record: Record | None = None) -> Outcome:
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
                again = self._prompt(Turn(self.content, self.matchers, session, user, saved))
                if record is not None:
                    await record(session, user.id, again)
                return Outcome(again, language=user.language)
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
            self._remember_buttons(turn, replies)
            if not turn.erased:
                await repo.save_conversation(
                    session, user.id, state.step, state.answers, state.history, state.pending
                )
            repo.queue_notifications(
                session,
                turn.notifications,
                citizen_time=lambda moment: not_before(moment, self.content.leads),
            )
            if record is not None and not turn.erased:
                await record(session, user.id, replies)
        return Outcome(replies, turn.notifications, turn.lang)

    async def _route(self, turn: Turn, event: Event, fresh: bool) -> list[Message]:
        if event.kind == "text":
            turn.reading = self.matchers.understanding.read(clean(event.text)[:MAX_TEXT])
        event = self._typed_button(turn, event)
        extra = await self.extras.handle(turn, event)
        if extra is not None:
            return extra
        if fresh:
            return await self._first(turn, event)
        return await self._dispatch(turn, event)

    def _typed_button(self, turn: Turn, event: Event) -> Event:
        """A typed answer that names a button of the last message with buttons – by its
        number ('2', 'das zweite'), yes/no ('jo passt' for '✅ Ja, …') or its label with
        typos ('anfrage zurückziehn') – presses that button: what the person sees counts,
        not the step's option of that number."""
        reading, shown = turn.reading, turn.state.pending.get("buttons")
        if reading is None or not shown or reading.navigation or self._writing(turn):
            return event
        details = offer_details.asked(turn, reading)  # "mehr zu 2" opens, does not choose
        if details is not None:
            return Event.button(event.sender, details.pack())
        if data := offer_details.answered(turn, reading):  # "ja" at an offer's details
            return Event.button(event.sender, data)
        labels = [(data, [label]) for label, data in shown]
        says_more = bool(reading.interests or reading.place)  # "Erste Hilfe", "zweite Heimat"
        choice = None if says_more else reading.ordinal
        if choice is not None and -len(shown) <= choice - (choice > 0) < len(shown):
            return Event.button(event.sender, shown[choice - 1 if choice > 0 else choice][1])
        # "nee, ich wohne in Zschortau", "nein, lieber am Wochenende": a correction, which
        # the step reads as such – no "Nein, danke" pressed
        corrects = says_more or bool(reading.time_slots or reading.time_kind)
        if reading.yes_no and not corrects:
            answer = [data for label, data in shown if _answer_word(label) == reading.yes_no]
            if len(answer) == 1:
                return Event.button(event.sender, answer[0])
        named = pick(reading.text, labels) if len(reading.text) <= MAX_LABEL else None
        return Event.button(event.sender, named) if named else event

    @staticmethod
    def _writing(turn: Turn) -> bool:
        """A Lotse or coordinator typing an answer to a lead: their words, not a button."""
        account = turn.account
        return bool(account and account.writing_to_lead) or bool(
            turn.is_coordinator and turn.state.pending.get("writing_to_lead")
        )

    async def _first(self, turn: Turn, event: Event) -> list[Message]:
        """A new conversation: a first sentence that says what the person wants goes
        straight on; anything else gets the welcome and the menu."""
        reading = turn.reading
        switched = self._first_language(turn, reading) if reading else []
        replies = await self._restart(turn)  # in the person's language
        if reading is None:
            return replies
        if self._navigation(reading.text) is not None or not reading.text:
            return switched + replies
        if not reading.intent:  # e.g. only a village: kept, and the menu
            before = understood.snapshot(turn.state.answers)
            understood.store(turn, reading)
            return switched + self._confirmed(turn, before) + replies
        return switched + await self._dispatch(turn, event)

    def _first_language(self, turn: Turn, reading: Reading) -> list[Message]:
        """A first message in English (or another language the content has) is answered in
        it, with a word on how to switch."""
        wanted = reading.language
        if not wanted or wanted == turn.lang or wanted not in self.content.languages:
            return []
        turn.user.language = wanted
        return [Message(turn.t("language_detected"))]

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
        if navigation == "back" and offer_details.viewing(turn):  # from an offer to its list
            turn.keep_prompt = False
            return offer_details.the_list(turn, self._prompt(turn))
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
        reading = turn.reading or self.matchers.understanding.read(text)
        step = self.content.dialog.steps[turn.state.step]
        before = understood.snapshot(turn.state.answers)
        aside = self._question_aside(turn, text)
        if aside is not None:  # answered on the side; what else it said is kept
            understood.store(turn, reading)
            return [aside, *self._confirmed(turn, before), *self._prompt(turn)]
        if step.kind == "menu" and reading.intent:
            return await self._intent(turn, reading, before)
        understood.store(turn, reading, skip=step.save)
        understood.keep_help_words(turn, step, text)
        where = (turn.state.step, len(turn.state.history))
        replies = await self._step(turn, Typed(text), reading, before)
        stayed = where == (turn.state.step, len(turn.state.history))
        if "?" in text and stayed and turn.missed and not turn.confirmed:
            # A question the bot could not answer, and no answer to the step either:
            # offer a person before asking the step's question again.
            handoff = remember_question(turn, text)
            replies.insert(0, Message(turn.t("question_aside_unsure"), (handoff,)))
        return replies

    async def _intent(self, turn: Turn, reading: Reading, before: dict) -> list[Message]:
        """A sentence at the menu that says what the person wants: that option, with every
        slot it carried; the steps whose answer is known are not asked."""
        step = self.content.dialog.steps[turn.state.step]
        option = next(o for o in step.options if (o.value or o.label) == reading.intent)
        understood.store(turn, reading)
        if reading.intent == understood.NEED_HELP:  # the Lotse reads it in the person's words
            understood.keep_help_words(turn, None, reading.text)
        if step.save:
            turn.state.answers[step.save] = option.value or option.label
        confirmed = self._confirmed(turn, before)
        replies = confirmed + await self._go(turn, Go(option.next or step.next or turn.state.step))
        here = self.content.dialog.steps[turn.state.step]
        if here.kind == "question" and reading.is_question:  # the question is the answer
            return confirmed + await self._step(turn, Typed(reading.text))
        return replies

    def _confirmed(self, turn: Turn, before: dict, quiet: str | None = None) -> list[Message]:
        line = understood.summary(turn, before, quiet)
        return [Message(line)] if line else []

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
        match unpack(data):
            case Nav(to="back"):
                return await self._back(turn)
            case Nav(to="restart"):
                return await self._restart(turn)
            case Choice(step=step, value=value) if step == turn.state.step:
                return await self._step(turn, Pressed(value))
        # A button from an earlier question, another chat, or forged data.
        return [Message(turn.t("stale_button")), *self._prompt(turn)]

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

    async def _step(
        self,
        turn: Turn,
        given: Input,
        reading: Reading | None = None,
        before: dict | None = None,
    ) -> list[Message]:
        name = turn.state.step
        step = self.content.dialog.steps[name]
        before = before if before is not None else understood.snapshot(turn.state.answers)
        if isinstance(given, Typed) and step.facts:
            turn.state.answers |= extract(step.facts, given.text, self.content.dialog.travel)
        changed = isinstance(given, Typed) and understood.snapshot(turn.state.answers) != before
        # "nee, ich wohne in Zschortau": the "nee" takes back what was said before, it does
        # not answer the step ("Nein, danke" at the offers)
        taken_back = changed and reading is not None and reading.yes_no == "no"
        result: Result = (
            Stay([], missed=False)
            if taken_back
            else await KINDS[step.kind].handle(turn, name, step, given)
        )
        if isinstance(result, Stay) and result.missed and reading is not None:
            result = await self._read_instead(turn, name, step, reading, result)
        quiet = step.save if step.kind == "choice" else None
        pressed = isinstance(given, Pressed) and turn.reading is None  # not typed out
        confirmed = [] if pressed else self._confirmed(turn, before, quiet)
        turn.confirmed = turn.confirmed or bool(confirmed)
        if isinstance(result, Stay) and changed and step.kind == "offers":
            return confirmed + await self._enter(turn, name)  # new place or time, new offers
        if isinstance(result, Stay) and result.missed and step.kind == "offers" and reading:
            again = understood.restated(turn, reading)
            if again:  # the same wish said again: the same list, and why
                return [Message(again), *await self._enter(turn, name)]
        if taken_back:
            return confirmed + self._prompt(turn)
        if isinstance(result, Stay):
            return self._stay(turn, step, result, confirmed, given)
        return confirmed + result.messages + await self._go(turn, result)

    async def _read_instead(
        self, turn: Turn, name: str, step: Step, reading: Reading, missed: Stay
    ) -> Result:
        """The step did not get its answer from the words it knows; the whole reading may
        have it: 'jo passt' at the consent, 'nö danke' at the offers, a place in a sentence."""
        if reading.yes_no:
            option = next((o for o in step.options if o.value == reading.yes_no), None)
            if option is None and reading.yes_no == "yes" and step.kind == "offers":
                return await KINDS[step.kind].handle(turn, name, step, Pressed("general"))
            if option is not None:
                return await KINDS[step.kind].handle(turn, name, step, Pressed(option.value))
        if understood.fill(turn, reading, step.save):
            return Go(step.next or name)
        return missed

    def _stay(
        self, turn: Turn, step: Step, result: Stay, confirmed: list[Message], given: Input
    ) -> list[Message]:
        """Asked again: never without saying why. Something else understood is confirmed
        instead of 'not understood'; a second miss in a row offers a person."""
        if not result.missed:
            return confirmed + result.messages
        turn.missed = True
        if confirmed:
            return confirmed + self._prompt(turn)
        misses = int(turn.state.pending.get("misses", 0)) + 1
        turn.state.pending["misses"] = misses
        if misses < MISSES_BEFORE_HELP or not isinstance(given, Typed) or not result.messages:
            return result.messages
        person = remember_question(turn, given.text)
        last = result.messages[-1]
        text = f"{last.text}\n\n{turn.t('misses_offer_person')}"
        helped = dataclasses.replace(last, text=text, buttons=(*last.buttons, person))
        return [*result.messages[:-1], helped]

    async def _go(self, turn: Turn, result: Go) -> list[Message]:
        current, target = turn.state.step, result.target
        if target == self.content.dialog.start:  # a new request: only where they live stays
            answers = turn.state.answers
            kept = {k: answers[k] for k in understood.KEPT_FOR_A_NEW_REQUEST if k in answers}
            turn.state.history.clear()
            answers.clear()
            answers.update(kept)
        elif target != current:
            turn.state.history.append(current)
        if not result.chosen:  # what is known is not asked again, unless chosen
            target = self._first_unanswered(turn, target)
        await repo.count_step(turn.session, target, self.today(), turn.user)  # the funnel
        return await self._enter(turn, target)

    def _first_unanswered(self, turn: Turn, target: str) -> str:
        steps = self.content.dialog.steps
        seen = set()
        while target in steps and target not in seen and understood.answered(turn, steps[target]):
            seen.add(target)
            turn.state.history.append(target)
            target = steps[target].next or target
        return target

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
        await repo.count_step(turn.session, self.content.dialog.start, self.today(), turn.user)
        return await self._enter(turn, self.content.dialog.start)

    @staticmethod
    def _remember_prompt(turn: Turn, replies: list[Message]) -> None:
        """Keep the last question so it can be shown again after a hint."""
        asking = [m for m in replies if m.buttons] or replies[-1:]
        if asking:
            turn.state.pending["prompt"] = _stored(asking[-1])

    @staticmethod
    def _remember_buttons(turn: Turn, replies: list[Message]) -> None:
        """The buttons a typed number refers to: those of the last message that has any."""
        with_buttons = [m for m in replies if m.buttons]
        if with_buttons:
            turn.state.pending["buttons"] = [[b.label, b.data] for b in with_buttons[-1].buttons]

    @staticmethod
    def _prompt(turn: Turn) -> list[Message]:
        saved = turn.state.pending.get("prompt")
        if not saved:
            return []
        buttons = tuple(Button(**b) for b in saved.get("buttons", []))
        return [Message(saved["text"], buttons, saved.get("request_location", False))]


def _answer_word(label: str) -> str | None:
    """'✅ Ja, einverstanden' → 'yes'; 'Nein, danke' → 'no'; other labels → None."""
    first = next((w for w in fold(label).split() if w.isalpha()), "")
    return "yes" if first in ("ja", "yes") else "no" if first in ("nein", "no") else None


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
