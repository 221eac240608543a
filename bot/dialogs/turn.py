"""One turn of a conversation: the state, the content, and helpers to build replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.config import DEFAULT_CONTROLLER
from bot.content.model import Content
from bot.content.schema import KIND_TEXTS, Step
from bot.helpdesk.faq import FaqMatcher
from bot.matching.interests import InterestMatcher
from bot.matching.local_events import EventCalendar
from bot.matching.places import PlaceResolver
from bot.matching.ranking import OfferRanker
from bot.messages import Button, Message, Notification
from bot.payloads import Choice, Nav
from bot.store.models import LotseAccount, User
from bot.understanding import Reading, Understander


@dataclass
class Matchers:
    """Everything derived from content once, at load time."""

    interests: InterestMatcher
    places: PlaceResolver
    offers: OfferRanker
    faq: FaqMatcher
    events: EventCalendar
    understanding: Understander

    @classmethod
    def build(cls, content: Content, previous: Matchers | None = None) -> Matchers:
        """`previous`: matchers of the content before; the FAQ's is kept if its entries are
        the same (its classifier took a second to learn), e.g. when only offers changed."""
        places = PlaceResolver(content.places)
        faq = previous.faq if previous else None
        if faq is None or not faq.built_from(content.faq, content.faq_examples):
            faq = FaqMatcher(content.faq, content.faq_examples)
        interests = InterestMatcher(content.taxonomy)
        understanding = previous.understanding if previous else None
        if understanding is None or not understanding.built_from(content):
            understanding = Understander(content, interests, places)
        return cls(
            interests,
            places,
            OfferRanker(content.offers, content.taxonomy, places.places),
            faq,
            EventCalendar(content.events.events, places.places),
            understanding,
        )


@dataclass
class State:
    step: str
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    pending: dict[str, Any] = field(default_factory=dict)


@dataclass
class Turn:
    content: Content
    matchers: Matchers
    session: AsyncSession
    user: User
    state: State
    account: LotseAccount | None = None  # set when the sender is an onboarded Lotse
    notifications: list[Notification] = field(default_factory=list)
    keep_prompt: bool = True  # False for replies that are not a dialogue question
    controller: str = ""  # named in consent and privacy texts (PRIVACY_CONTROLLER)
    erased: bool = False  # the person deleted their data in this turn: store nothing more
    today: Callable[[], dt.date] = clock.today  # the engine's clock (tests fix the day)
    is_coordinator: bool = False  # the sender is one of the coordinators (COORDINATOR_IDS)
    reading: Reading | None = None  # what the typed message says, read whole
    confirmed: bool = False  # this turn said 'Verstanden: …' about something in the message
    missed: bool = False  # the step did not understand the typed answer

    @property
    def lang(self) -> str:
        return (
            self.user.language
            if self.user.language in self.content.languages
            else self.content.languages[0]
        )

    def t(self, key: str, **values: Any) -> str:
        # {/command} in a text: as the person's channel offers it (a button on the web).
        return self.content.text(
            key, self.lang, via=self.user.channel, controller=self._controller(), **values
        )

    def _controller(self) -> str:
        """The operator's PRIVACY_CONTROLLER as set (a name); the default wording unset,
        in the person's language."""
        if self.controller in ("", DEFAULT_CONTROLLER):
            return self.content.text("privacy_controller_default", self.lang)
        return self.controller

    def role_text(self, step: Step, role: str, **values: Any) -> str:
        """A step's text for a role ('unsure', 'ambiguous' …), overridable per step in YAML."""
        return self.t(self.role_key(step, role), **values)

    def role_key(self, step: Step, role: str) -> str:
        """The text key of a step's role (for texts to others, in their language)."""
        return step.texts.get(role, KIND_TEXTS[step.kind][role])

    def step_button(self, step_name: str, value: str, label: str) -> Button:
        return Button(label, Choice(step_name, value).pack())

    def option_buttons(self, step_name: str, step: Step) -> list[Button]:
        return [
            self.step_button(step_name, option.value or option.label, self.t(option.label))
            for option in step.options
        ]

    def nav_buttons(self) -> list[Button]:
        return [Button(self.t("btn_back"), Nav("back").pack())] if self.state.history else []

    def ask(
        self,
        step_name: str,
        step: Step,
        text: str | None = None,
        extra: list[Button] | tuple[Button, ...] = (),
        *,
        location: bool = False,
    ) -> Message:
        """The step's question (or `text`) with its buttons, then extra ones, then 'back'."""
        buttons = [*extra, *self.option_buttons(step_name, step), *self.nav_buttons()]
        return Message(text or self.t(step.text), tuple(buttons), request_location=location)

    def interest_label(self, interest_id: str) -> str:
        return self.content.interest_label(interest_id, self.lang)
