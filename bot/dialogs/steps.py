"""Step kinds: how a step of each `kind` in dialog.yaml asks and what it does with answers.

Which steps exist, their order and every word shown come from content; the behaviour of
a kind lives here. A step's `handle` returns Stay (ask again, with a hint) or Go (move on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from bot import clock
from bot.content.schema import FaqEntry, Option, Step
from bot.dialogs import offer_details
from bot.dialogs.answers import (
    answer_message,
    question_buttons,
    remember_question,
)
from bot.dialogs.event_lines import event_line
from bot.dialogs.offer_lines import misfit_words, schedule_words, time_words
from bot.dialogs.turn import Turn
from bot.dialogs.understood import place_to_dict, profile_from
from bot.ids import parse_id
from bot.leads.desk import introduce, open_lead
from bot.leads.routing import route
from bot.matching.local_events import Period, asked_period, asks_whats_on
from bot.matching.options import pick, pick_all
from bot.matching.places import PlaceResult
from bot.matching.ranking import Profile, RankedOffer
from bot.messages import Button, Message
from bot.offers import submissions
from bot.payloads import Handoff, Withdraw
from bot.store import repo
from bot.store.models import Lead, OfferSubmission, Search

MAX_CONTACT = 300
_PHONE = re.compile(r"(?:\+|00)?\d[\d\s/()-]{5,}\d")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[a-zA-Z]{2,}")


@dataclass(frozen=True)
class Pressed:
    value: str


@dataclass(frozen=True)
class Typed:
    text: str


@dataclass(frozen=True)
class Located:
    lat: float
    lon: float


Input = Pressed | Typed | Located


@dataclass
class Stay:
    messages: list[Message]
    missed: bool = False  # the answer was not understood (the engine counts misses)


@dataclass
class Go:
    target: str
    messages: list[Message] = field(default_factory=list)
    chosen: bool = False  # the person chose this step (a button's `next`): ask it even if known


def to_option(option: Option, step: Step, name: str, messages: list[Message] | None = None) -> Go:
    """Where an option leads: its own `next` (chosen, asked again if known) or the step's."""
    return Go(option.next or step.next or name, messages or [], chosen=bool(option.next))


Result = Stay | Go


def _option(step: Step, value: str) -> Option | None:
    return next((o for o in step.options if (o.value or o.label) == value), None)


def _choices(
    turn: Turn, step: Step, dynamic: list[str] | None = None
) -> list[tuple[str, list[str]]]:
    """(value, names) of every button the person sees, in order, for typed answers."""
    found = [(f"c{i}", [label]) for i, label in enumerate(dynamic or [])]
    found += [(o.value or o.label, [turn.t(o.label), *o.synonyms]) for o in step.options]
    return found


class StepKind:
    """Default behaviour: show the question and options; a chosen option moves on."""

    async def enter(self, turn: Turn, name: str, step: Step) -> list[Message]:
        return [turn.ask(name, step)]

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        value = given.value if isinstance(given, Pressed) else None
        if isinstance(given, Typed):
            value = pick(given.text, _choices(turn, step))
        option = _option(step, value) if value else None
        if option is None:
            return self.unknown(turn, name, step)
        return await self.chosen(turn, name, step, option)

    async def chosen(self, turn: Turn, name: str, step: Step, option: Option) -> Result:
        if step.save:
            turn.state.answers[step.save] = option.value or option.label
        return to_option(option, step, name)

    def unknown(self, turn: Turn, name: str, step: Step) -> Result:
        return Stay([turn.ask(name, step, text=turn.role_text(step, "unknown"))], missed=True)


class ChoiceStep(StepKind):
    """Buttons that save a value; with `multiple`, typed text may name several."""

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        if isinstance(given, Typed) and step.multiple:
            values = pick_all(given.text, _choices(turn, step))
            if values and step.save:
                turn.state.answers[step.save] = values
                return Go(step.next or name)
        return await super().handle(turn, name, step, given)

    async def chosen(self, turn: Turn, name: str, step: Step, option: Option) -> Result:
        value = option.value or option.label
        if step.save:
            turn.state.answers[step.save] = [value] if step.multiple else value
        return to_option(option, step, name)


class InterestsStep(StepKind):
    """Free text understood by the interest matcher; area buttons when it is unsure."""

    def _area_buttons(self, turn: Turn, name: str) -> list[Button]:
        return [
            turn.step_button(name, i.id, f"{i.emoji} {turn.interest_label(i.id)}".strip())
            for i in turn.content.taxonomy.interests
        ]

    async def enter(self, turn: Turn, name: str, step: Step) -> list[Message]:
        return [turn.ask(name, step, extra=self._area_buttons(turn, name))]

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        areas = [i.id for i in turn.content.taxonomy.interests]
        if isinstance(given, Pressed) and given.value in areas:
            return self._save(turn, step, [given.value], [])
        if isinstance(given, Typed):
            labels = [(a, [turn.interest_label(a)]) for a in areas]
            chosen = pick(given.text, labels) if not given.text.strip().isdigit() else None
            scores = turn.matchers.interests.classify(given.text)
            ids = [chosen] if chosen else turn.matchers.interests.confident_ids(scores)
            if ids:
                subtopics = [s.subtopic for s in scores if s.id in ids and s.subtopic]
                return self._save(turn, step, ids, subtopics)
        if isinstance(given, Pressed) and _option(step, given.value):
            return await super().handle(turn, name, step, given)
        return Stay(
            [
                turn.ask(
                    name,
                    step,
                    text=turn.role_text(step, "unsure"),
                    extra=self._area_buttons(turn, name),
                )
            ],
            missed=True,
        )

    def _save(
        self,
        turn: Turn,
        step: Step,
        ids: list[str],
        subtopics: list[str],
        said: Message | None = None,
    ) -> Result:
        turn.state.answers[step.save or "interests"] = ids
        turn.state.answers["subtopics"] = subtopics
        return Go(step.next or "", [said] if said else [])


class PlaceStep(StepKind):
    """Village by name (typos, Ortsteil/Gemeinde forms) or by shared location."""

    async def enter(self, turn: Turn, name: str, step: Step) -> list[Message]:
        return [turn.ask(name, step, location=True)]

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        pending = turn.state.pending.get("places", [])
        if isinstance(given, Pressed):
            index = _choice_index(given.value, len(pending))
            if index is not None:
                return self._save(turn, step, pending[index], said=True)
            return await super().handle(turn, name, step, given)
        if isinstance(given, Located):
            return self._answer(
                turn, name, step, turn.matchers.places.nearest(given.lat, given.lon)
            )
        if pending:
            value = pick(given.text, _choices(turn, step, [p["label"] for p in pending]))
            index = _choice_index(value or "", len(pending))
            if index is not None:
                return self._save(turn, step, pending[index], said=True)
        return self._answer(turn, name, step, turn.matchers.places.resolve(given.text))

    def _answer(self, turn: Turn, name: str, step: Step, result: PlaceResult) -> Result:
        if result.status == "found" and result.place:
            return self._save(turn, step, place_to_dict(result.place))
        if result.status == "outside" and result.place:
            return self._save(turn, step, place_to_dict(result.place), said=True)
        if result.status in ("ambiguous", "unsure"):
            places = [place_to_dict(p) for p in result.places[:5]]
            turn.state.pending["places"] = places
            buttons = [turn.step_button(name, f"c{i}", p["label"]) for i, p in enumerate(places)]
            text = turn.role_text(step, result.status)
            return Stay([turn.ask(name, step, text=text, extra=buttons, location=True)])
        text = turn.role_text(step, "not_found")
        return Stay([turn.ask(name, step, text=text, location=True)], missed=True)

    def _save(self, turn: Turn, step: Step, place: dict, said: bool = False) -> Go:
        turn.state.answers[step.save or "place"] = place
        # a place chosen among several beyond the border is still said to be outside
        role = "outside" if place.get("level") == "outside" else "understood"
        messages = [Message(turn.role_text(step, role, place=place["label"]))] if said else []
        return Go(step.next or "", messages)


def _choice_index(value: str, count: int) -> int | None:
    index = parse_id(value[1:]) if value.startswith("c") else None
    return index if index is not None and index < count else None


def _title(turn: Turn, offer_id: str) -> str:
    """The title of an offer shown before (its id, should a reload have removed it)."""
    offer = turn.content.offers.get(offer_id)
    return offer.title if offer else offer_id


class OffersStep(StepKind):
    """The best offers with a reason each, and the question whether a Lotse should call."""

    async def enter(self, turn: Turn, name: str, step: Step) -> list[Message]:
        profile = profile_from(turn.state.answers, turn.today())
        ranked = turn.matchers.offers.rank(profile, limit=3)
        await self._record_demand(turn, ranked)
        turn.state.pending["offers"] = [r.offer.id for r in ranked]
        if not ranked:
            return [
                turn.ask(
                    name,
                    step,
                    text=turn.role_text(step, "none"),
                    extra=[self._general(turn, name, step)],
                )
            ]
        lines = [self._intro(turn, step, ranked, profile)]
        lines += [self._line(turn, n, r, profile.today) for n, r in enumerate(ranked, start=1)]
        lines.append(turn.t(step.text))
        buttons = [
            turn.step_button(name, f"c{i}", turn.t("btn_offer", n=i + 1, title=r.offer.title))
            for i, r in enumerate(ranked)
        ]
        # Choosing stays first (a typed "2" still chooses the second offer); the details
        # buttons follow as one short row, so the keyboard grows by one row, not three.
        details = offer_details.buttons(turn, turn.state.pending["offers"])
        return [
            turn.ask(
                name,
                step,
                text="\n\n".join(lines),
                extra=[*buttons, *details, self._general(turn, name, step)],
            )
        ]

    def _general(self, turn: Turn, name: str, step: Step) -> Button:
        return turn.step_button(name, "general", turn.role_text(step, "general"))

    def _intro(self, turn: Turn, step: Step, ranked: list[RankedOffer], profile: Profile) -> str:
        """'Das könnte passen', or honestly that nothing fits well – or nothing at the
        person's time, which they said (the offers' lines say when each one is)."""
        said = profile.when != 0 or profile.time_kind is not None
        if said and not any(r.fits_time for r in ranked):
            time = time_words(turn, profile.when) if profile.when else ""
            time = time or turn.t(f"time_{profile.time_kind}")
            return turn.role_text(step, "time_none", time=time)
        return turn.role_text(step, "intro" if ranked[0].good else "weak")

    def _line(self, turn: Turn, n: int, ranked: RankedOffer, today: dt.date) -> str:
        offer = ranked.offer
        km = ranked.distance_km
        distance = (
            turn.t("distance_here")
            if km is not None and km < 1
            else (turn.t("distance_km", km=f"{km:.0f}") if km is not None else "")
        )
        when = schedule_words(turn, offer, today, ranked.misfit)
        parts = [turn.interest_label(ranked.interest), distance, when]
        parts.append(misfit_words(turn, offer, ranked.misfit))
        reason = " · ".join(p for p in parts if p)
        return turn.t(
            "offer_line",
            n=n,
            title=offer.title,
            organisation=offer.organisation,
            place=offer.place,
            reason=reason,
        )

    async def _record_demand(self, turn: Turn, ranked: list[RankedOffer]) -> None:
        place = turn.state.answers.get("place") or {}
        unmet = not ranked or not ranked[0].good
        best = ranked[0].score if ranked else None
        await repo.record_searches(
            turn.session,
            [
                Search(
                    gemeinde=place.get("gemeinde"),
                    interest=interest,
                    results=len(ranked),
                    best_score=best,
                    unmet=unmet,
                    person=repo.pseudonym(turn.user),  # repeat views count once
                )
                for interest in turn.state.answers.get("interests", [])
            ],
        )

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        offers = turn.state.pending.get("offers", [])
        value = given.value if isinstance(given, Pressed) else None
        if isinstance(given, Typed):
            titles = [_title(turn, offer_id) for offer_id in offers]
            general = ("general", [turn.role_text(step, "general")])
            value = pick(given.text, [*_choices(turn, step, titles), general])
        index = _choice_index(value or "", len(offers))
        if index is not None:
            turn.state.answers["offer_id"] = offers[index]
            return Go(step.next or name)
        if value == "general":
            turn.state.answers["offer_id"] = None
            return Go(step.next or name)
        option = _option(step, value) if value else None
        if option:
            return to_option(option, step, name)
        return Stay([turn.ask(name, step, text=turn.role_text(step, "unknown"))], missed=True)


def consent_version(text: str) -> str:
    """Identifies the exact consent text a person agreed to."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class ConsentStep(StepKind):
    """Explicit consent; the option with value 'yes' records it with text version and time."""

    async def chosen(self, turn: Turn, name: str, step: Step, option: Option) -> Result:
        if option.value == "yes":
            turn.state.answers["consent"] = {
                "version": consent_version(turn.content.text(step.text, turn.content.languages[0])),
                "at": clock.now().isoformat(),
            }
            return to_option(option, step, name)
        turn.state.answers.pop("consent", None)
        return to_option(option, step, name, [Message(turn.role_text(step, "declined"))])


class TextStep(StepKind):
    """A short free answer (e.g. a name); options such as 'skip' move on without one."""

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        if isinstance(given, Typed) and pick(given.text, _choices(turn, step)) is None:
            text = " ".join(given.text.split())
            if len(text) > step.max_length:
                return Stay([turn.ask(name, step, text=turn.role_text(step, "too_long"))])
            if len(text) < step.min_length:
                shortest = str(step.min_length)
                too_short = turn.role_text(step, "too_short", min=shortest)
                return Stay([turn.ask(name, step, text=too_short)])
            turn.state.answers[step.save or name] = text
            return Go(step.next or name)
        return await super().handle(turn, name, step, given)

    async def chosen(self, turn: Turn, name: str, step: Step, option: Option) -> Result:
        turn.state.answers[step.save or name] = None
        return to_option(option, step, name)


class ContactStep(StepKind):
    """How to be reached: a phone number or e-mail in the text, or an option like 'here in chat'."""

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        if isinstance(given, Typed) and pick(given.text, _choices(turn, step)) is None:
            text = " ".join(given.text.split())
            if _PHONE.search(text) or _EMAIL.search(text):
                turn.state.answers[step.save or "contact"] = text[:MAX_CONTACT]
                return Go(step.next or name)
            return Stay([turn.ask(name, step, text=turn.role_text(step, "invalid"))], missed=True)
        return await super().handle(turn, name, step, given)

    def unknown(self, turn: Turn, name: str, step: Step) -> Result:
        return Stay([turn.ask(name, step, text=turn.role_text(step, "invalid"))], missed=True)


class LeadStep(StepKind):
    """Store the lead (only with consent) and notify the responsible Lotse."""

    async def enter(self, turn: Turn, name: str, step: Step) -> list[Message]:
        answers = turn.state.answers
        if not answers.get("consent"):  # reached without consent (a forged path): store nothing
            return [turn.ask(name, step, text=turn.t("consent_declined"))]
        lead = await turn.session.get(Lead, answers.get("lead_id", 0))
        if lead is None:
            lead = await self._create(turn, step)
            answers["lead_id"] = lead.id
        turn.state.history.clear()  # the lead is sent: no way 'back' into the form
        lotse = next((x for x in turn.content.lotsen if x.id == lead.lotse_id), None)
        if lotse:
            text = turn.t(step.text, **introduce(turn.content, lotse, turn.lang))
        else:
            text = turn.role_text(step, "no_lotse")
        withdraw = Button(turn.t("btn_withdraw"), Withdraw(lead.id).pack())
        return [turn.ask(name, step, text=text, extra=[withdraw])]

    async def _create(self, turn: Turn, step: Step) -> Lead:
        answers = turn.state.answers
        place = answers.get("place") or {}
        interests = answers.get("interests", [])
        offer = turn.content.offers.get(answers.get("offer_id"))
        gemeinde = place.get("gemeinde") or (offer.gemeinde if offer else None)
        lotse = await route(
            turn.session, turn.content.lotsen, gemeinde, interests, today=turn.today()
        )
        consent = answers["consent"]
        lead = Lead(
            user_id=turn.user.id,
            kind=step.lead_kind or "volunteer",
            status="created",
            gemeinde=gemeinde,
            place=place.get("name"),
            interests=interests,
            offer_id=answers.get("offer_id"),
            lotse_id=lotse.id if lotse else None,
            name=answers.get("name"),
            contact=answers.get("contact"),
            details=lead_details(turn, step),
            consent_version=consent["version"],
            consent_at=dt.datetime.fromisoformat(consent["at"]),
        )
        lotse_lang = turn.content.languages[0]  # the card is the Lotse's, not the person's
        notice = turn.role_key(step, "lotse_notice")
        card = await open_lead(
            turn.session,
            turn.content,
            lead,
            lotse,
            notice=turn.content.text(notice, lotse_lang),
            coordination_name=turn.content.text("coordination_name", lotse_lang),
        )
        turn.notifications.append(card)
        if answers.get("source"):  # came from a poster or link: one more lead for it, anonymous
            source, channel = answers["source"], turn.user.channel
            await repo.count_entry(turn.session, turn.today(), source, channel, lead=True)
        return lead


def lead_details(turn: Turn, step: Step) -> dict[str, str]:
    """The answers a lead step passes on (e.g. kind of help, urgency), as readable text in
    the Lotse's language (the content's first); the person's own words stay as written."""
    lotse_lang = turn.content.languages[0]

    def lotse_text(key: str) -> str:
        return turn.content.text(key, lotse_lang)

    details = {}
    for key, label in step.details.items():
        value = turn.state.answers.get(key)
        if value is None:
            continue
        if isinstance(value, dict):  # a place
            value = value.get("label") or value.get("name")
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        option_labels = {
            o.value or o.label: lotse_text(o.label)
            for s in turn.content.dialog.steps.values()
            if s.save == key
            for o in s.options
        }
        details[lotse_text(label)] = option_labels.get(str(value), str(value))
    if turn.lang != lotse_lang:  # the Lotse knows in which language to answer
        details[lotse_text("detail_language")] = lotse_text(f"language_{turn.lang}")
    return details


class SubmitOfferStep(StepKind):
    """A Verein's offer, stored for review (only with consent); the coordinators are told.

    Reads the answers saved as offer_title, offer_summary, offer_interests, offer_place,
    offer_when, offer_organisation and offer_contact."""

    async def enter(self, turn: Turn, name: str, step: Step) -> list[Message]:
        answers = turn.state.answers
        if not answers.get("consent"):  # reached without consent (a forged path): store nothing
            return [turn.ask(name, step, text=turn.t("consent_declined"))]
        if not answers.get("submission_id"):
            place = answers.get("offer_place") or {}
            submission = OfferSubmission(
                user_id=turn.user.id,
                gemeinde=place.get("gemeinde"),
                data={
                    "title": answers.get("offer_title") or "",
                    "summary": answers.get("offer_summary") or "",
                    "interests": answers.get("offer_interests") or [],
                    "place": place,
                    "when": answers.get("offer_when") or "",
                    "organisation": answers.get("offer_organisation") or "",
                    "contact": answers.get("offer_contact") or "",
                },
            )
            turn.session.add(submission)
            await turn.session.flush()
            answers["submission_id"] = submission.id
            turn.notifications.append(submissions.for_review(submission, turn.content, turn.lang))
        turn.state.history.clear()  # sent: no way 'back' into the form
        return [turn.ask(name, step)]


class QuestionStep(StepKind):
    """A question answered from the knowledge base; the person may ask as many as they like."""

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        if isinstance(given, Typed) and pick(given.text, _choices(turn, step)) is None:
            hit = turn.matchers.faq.answer(given.text)
            handoff = remember_question(turn, given.text)
            turn.keep_prompt = False  # an answer: the step's own question stays the prompt
            if hit is None:
                suggested = question_buttons(turn.matchers.faq.suggestions(given.text))
                text = turn.role_text(step, "suggest" if suggested else "unknown")
                return Stay([turn.ask(name, step, text=text, extra=[*suggested, handoff])])
            return Stay([self.answered(turn, name, step, hit.entry)])
        return await super().handle(turn, name, step, given)

    @staticmethod
    def answered(turn: Turn, name: str, step: Step, entry: FaqEntry) -> Message:
        """The answer as the step's question: ask another, or pass this one to a person."""
        answer = answer_message(turn, entry, step.texts.get("answer", "faq_answer"))
        not_helpful = Button(turn.t("btn_not_helpful"), Handoff("ask").pack())
        return turn.ask(name, step, text=answer.text, extra=[*answer.buttons, not_helpful])


class EventsStep(StepKind):
    """What's on in the next weeks near the person's place; when nothing is near, in the
    whole region. Without a known place it first asks `place_step`; a place typed or shared
    at the list shows that place's events."""

    async def enter(self, turn: Turn, name: str, step: Step) -> list[Message]:
        place = turn.state.answers.get(self.place_key(turn, step)) or {}
        if not place and step.place_step:
            return await self._ask_place(turn, step.place_step)
        period = asked_period("", turn.today(), turn.content.events.weeks)
        return [turn.ask(name, step, text=self.listing_text(turn, step, place, period))]

    def listing_text(self, turn: Turn, step: Step, place: dict, period: Period) -> str:
        calendar = turn.content.events
        listing = turn.matchers.events.listing(
            period, place.get("lat"), place.get("lon"), calendar.radius_km
        )
        values = {"place": place.get("label", ""), "km": f"{calendar.radius_km:g}"}
        values["weeks"] = str(calendar.weeks)
        values["period"] = turn.t(f"events_period_{period.name}", **values)
        if listing.near:
            heading, shown = turn.t(step.text, **values), listing.near
        elif listing.region:
            role = "none" if place else "region"
            heading, shown = turn.role_text(step, role, **values), listing.region
        else:
            return turn.role_text(step, "nothing", **values)
        lines = [heading, *(event_line(turn, e) for e in shown[: calendar.max_shown])]
        if len(shown) > calendar.max_shown:
            more = len(shown) - calendar.max_shown
            lines.append(turn.role_text(step, "more", count=str(more), **values))
        return "\n\n".join(lines)

    async def handle(self, turn: Turn, name: str, step: Step, given: Input) -> Result:
        found = None
        if isinstance(given, Located):
            found = turn.matchers.places.nearest(given.lat, given.lon)
        elif isinstance(given, Typed) and pick(given.text, _choices(turn, step)) is None:
            found = turn.matchers.places.resolve(given.text)
        if found is not None and found.status in ("found", "outside") and found.place:
            turn.state.answers[self.place_key(turn, step)] = place_to_dict(found.place)
            return Stay(await self.enter(turn, name, step))
        return await super().handle(turn, name, step, given)

    @staticmethod
    def place_key(turn: Turn, step: Step) -> str:
        """Where the place step saves its answer (usually 'place', shared with other paths)."""
        asking = turn.content.dialog.steps.get(step.place_step or "")
        return (asking.save if asking else None) or "place"

    async def _ask_place(self, turn: Turn, target: str) -> list[Message]:
        turn.state.step = target
        await repo.count_step(turn.session, target, turn.today(), turn.user)  # the funnel
        asking = turn.content.dialog.steps[target]
        return await KINDS[asking.kind].enter(turn, target, asking)


FREE_TEXT_KINDS = ("text", "contact")  # answers there are the person's own words


def events_aside(turn: Turn, text: str, prompt: list[Message]) -> list[Message] | None:
    """'Was ist am Wochenende in Delitzsch los?' typed at any step but a free answer: the
    calendar for those days around that place (else the known one), then the current
    question again. None when the text asks no such thing."""
    steps = turn.content.dialog.steps
    here = steps[turn.state.step]
    calendar_step = next(((n, s) for n, s in steps.items() if s.kind == "events"), None)
    if calendar_step is None or here.kind in FREE_TEXT_KINDS or not asks_whats_on(text):
        return None
    if pick(text, _choices(turn, here)) is not None:
        return None  # the words of a button ("was ist los" in the menu) press it
    name, step = calendar_step
    key = EventsStep.place_key(turn, step)
    place = turn.state.answers.get(key) or {}
    named = turn.matchers.places.resolve(text)
    if named.status in ("found", "outside") and named.place:
        place = place_to_dict(named.place)
    period = asked_period(text, turn.today(), turn.content.events.weeks)
    listing = EventsStep().listing_text(turn, step, place, period)
    if turn.state.step != name:
        return [Message(listing), *prompt]
    if place:
        turn.state.answers[key] = place  # at the calendar itself the place is the answer
    return [turn.ask(name, step, text=listing)]


KINDS: dict[str, StepKind] = {
    "menu": StepKind(),
    "info": StepKind(),
    "choice": ChoiceStep(),
    "interests": InterestsStep(),
    "place": PlaceStep(),
    "offers": OffersStep(),
    "consent": ConsentStep(),
    "text": TextStep(),
    "contact": ContactStep(),
    "lead": LeadStep(),
    "question": QuestionStep(),
    "events": EventsStep(),
    "submit_offer": SubmitOfferStep(),
}
