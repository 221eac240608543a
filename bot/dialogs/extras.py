"""Everything around the dialogue: Lotse actions, invite and poster deep links, language.

Kept apart from the step machine so the dialogue stays about the citizen's questions.
`Extras.handle` returns None when an event is plain dialogue.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.config import Operator
from bot.content.model import Content
from bot.dialogs import handoff, offer_details
from bot.dialogs.answers import answer_message, entry_for
from bot.dialogs.steps import QuestionStep, place_to_dict
from bot.dialogs.turn import Turn
from bot.leads import invites
from bot.leads.desk import CoordinatorDesk, Desk, DeskResult, LeadDesk
from bot.leads.desk import subject as lead_subject
from bot.leads.lifecycle import OPEN, change
from bot.leads.routing import COORDINATION_ID
from bot.messages import Attachment, Button, Event, Message, Notification, Recipient
from bot.offers import submissions
from bot.payloads import (
    Erase,
    FaqAnswer,
    Followup,
    Handoff,
    Language,
    LeadAction,
    OfferCurrent,
    OfferDetails,
    OfferList,
    OfferReview,
    Payload,
    Withdraw,
    unpack,
)
from bot.posters import links
from bot.privacy.personal_data import as_json, erase_person, personal_data, readable
from bot.store import handover, repo
from bot.store.models import Lead, LeadEvent, OfferSubmission

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"de": "🇩🇪 Deutsch", "en": "🇬🇧 English"}
SIDE_EFFECT_KINDS = {"offers", "lead"}  # not re-entered on a language change
WRITING_KEY = "writing_to_lead"  # a coordinator's next text answers this lead


class Flow(Protocol):
    """What the features need of the dialogue engine: its content and its moves.
    `DialogEngine` is one; the features never reach further into it."""

    @property
    def content(self) -> Content: ...

    @property
    def operator(self) -> Operator: ...

    def prompt(self, turn: Turn) -> list[Message]: ...

    async def enter(self, turn: Turn, name: str) -> list[Message]: ...

    async def restart(self, turn: Turn) -> list[Message]: ...

    def offers_changed(self) -> None: ...


class Extras:
    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.content = flow.content
        self.desk = LeadDesk(flow.content)

    async def handle(self, turn: Turn, event: Event) -> list[Message] | None:
        if event.kind == "button":
            return await self._pressed(turn, unpack(event.data))
        if event.kind == "command":
            if event.command == "start" and event.text:
                return await self._start_payload(turn, event.text.split()[0])
            if event.command in ("sprache", "language"):
                return self._choose_language(turn)
            if event.command == "meine_leads":
                return await self._my_leads(turn)
            if event.command == "meine_daten":
                return await self._my_data(turn)
            if event.command == "loeschen":
                return self._confirm_erase(turn)
            if event.command == "datenschutz":
                turn.keep_prompt = False  # an aside: the dialogue's question stays the same
                return [Message(self._privacy_notice(turn)), *self.flow.prompt(turn)]
        desk = self._desk(turn)
        if event.kind == "text" and desk is not None and desk.writing_to_lead:
            result = await self.desk.relay(turn.session, desk, event.text, turn.lang)
            return self._desk_reply(turn, result, desk)
        return None

    async def _pressed(self, turn: Turn, pressed: Payload | None) -> list[Message] | None:
        """The buttons around the dialogue; None for the dialogue's own, and for data that
        is none of ours (the engine answers it as a stale button)."""
        match pressed:
            case LeadAction():
                return await self._lead_action(turn, pressed)
            case Handoff():
                return await handoff.handle(turn, pressed)
            case OfferReview():
                return await self._review_offer(turn, pressed)
            case OfferCurrent():
                return await self._offer_still_current(turn, pressed)
            case Withdraw() | Followup():
                return await self._citizen_lead(turn, pressed)
            case FaqAnswer():
                return self._faq_answer(turn, pressed)
            case OfferDetails():
                return offer_details.show(turn, pressed, self.flow.prompt(turn))
            case OfferList():
                return offer_details.the_list(turn, self.flow.prompt(turn))
            case Erase(answer=answer):
                return await self._erase(turn, answer == "yes")
            case Language(code=code):
                return await self._set_language(turn, code)
        return None

    def _faq_answer(self, turn: Turn, pressed: FaqAnswer) -> list[Message]:
        entry = entry_for(turn, pressed)
        if entry is None:
            return [Message(turn.t("stale_button")), *self.flow.prompt(turn)]
        turn.keep_prompt = False
        step = self.flow.content.dialog.steps[turn.state.step]
        if step.kind == "question":  # the answer is the step's question again
            return [QuestionStep.answered(turn, turn.state.step, step, entry)]
        return [answer_message(turn, entry), *self.flow.prompt(turn)]

    # --- Lotsen ---------------------------------------------------------------------

    def _desk(self, turn: Turn) -> Desk | None:
        """The sender's desk: their Lotse account, the coordinators' desk, or none."""
        if turn.account is not None:
            return turn.account
        if turn.is_coordinator:
            return CoordinatorDesk(turn.state.pending.get(WRITING_KEY))
        return None

    async def _lead_action(self, turn: Turn, pressed: LeadAction) -> list[Message]:
        desk = self._desk(turn)
        if desk is None:
            log.warning("lead button refused: sender is no Lotse")
            return [Message(turn.t("only_lotse")), *self.flow.prompt(turn)]
        result = await self.desk.act(turn.session, desk, pressed.lead, pressed.action, turn.lang)
        return self._desk_reply(turn, result, desk)

    async def _my_leads(self, turn: Turn) -> list[Message]:
        if turn.account is None:
            return [Message(turn.t("only_lotse")), *self.flow.prompt(turn)]
        return self._desk_reply(
            turn, await self.desk.my_leads(turn.session, turn.account, turn.lang)
        )

    def _desk_reply(
        self, turn: Turn, result: DeskResult, desk: Desk | None = None
    ) -> list[Message]:
        if isinstance(desk, CoordinatorDesk):  # coordinators keep it in their conversation
            turn.state.pending[WRITING_KEY] = desk.writing_to_lead
        turn.keep_prompt = False
        turn.notifications.extend(result.notifications)
        return result.replies

    # --- Vereine's offers ------------------------------------------------------------------

    async def _review_offer(self, turn: Turn, pressed: OfferReview) -> list[Message]:
        """Approve or reject a Verein's offer – coordinators only."""
        turn.keep_prompt = False
        if not turn.is_coordinator:
            log.warning("offer review refused: sender is no coordinator")
            return [Message(turn.t("only_coordinator")), *self.flow.prompt(turn)]
        action = pressed.action
        submission, notes = await submissions.decide(
            turn.session,
            pressed.submission,
            action == "approve",
            actor="coordinator",
            content=self.content,
            today=turn.today(),
        )
        if submission is None:
            return [Message(turn.t("submission_already_decided"))]
        turn.notifications.extend(notes)
        self.flow.offers_changed()
        return [Message(turn.t(f"submission_{action}d_reply", title=submission.data["title"]))]

    async def _offer_still_current(self, turn: Turn, pressed: OfferCurrent) -> list[Message]:
        """Keep or end an offer – only the person who submitted it."""
        turn.keep_prompt = False
        submission = await turn.session.get(OfferSubmission, pressed.submission)
        if submission is None or submission.user_id != turn.user.id:
            log.warning("offer button refused: not the person's own offer")
            return [Message(turn.t("stale_button")), *self.flow.prompt(turn)]
        key = await submissions.answer_still_current(
            turn.session, submission, pressed.answer == "keep", self.content, turn.today()
        )
        self.flow.offers_changed()
        until = f"{submission.expires_on:%d.%m.%Y}" if submission.expires_on else ""
        return [Message(turn.t(key, title=submission.data["title"], until=until))]

    # --- data protection --------------------------------------------------------------

    def _privacy_notice(self, turn: Turn) -> str:
        keep = self.content.leads.retention
        notice = turn.t(
            "privacy_notice",
            conversations_days=keep.conversations_days,
            closed_leads_days=keep.closed_leads_days,
        )
        # A channel with a processor of its own (WhatsApp: Meta) names it.
        channel = f"privacy_channel_{turn.user.channel}"
        extra = [turn.t(channel)] if channel in self.content.texts.texts else []
        return "\n".join([notice, *extra, *self._operator_lines(turn)])

    def _operator_lines(self, turn: Turn) -> list[str]:
        """Who runs the service and where its imprint and privacy policy are (OPERATOR_*)."""
        operator = self.flow.operator
        lines = []
        named = ", ".join(filter(None, (operator.name, operator.address, operator.contact)))
        if named:
            lines.append(turn.t("privacy_operator", operator=named))
        if operator.imprint_url:
            lines.append(turn.t("privacy_imprint", url=operator.imprint_url))
        if operator.privacy_url:
            lines.append(turn.t("privacy_policy", url=operator.privacy_url))
        return lines

    async def _my_data(self, turn: Turn) -> list[Message]:
        data = await personal_data(turn.session, turn.user)
        # queued texts keep {/start} until delivery; shown now, they name it as this channel does
        for waiting in data["messages_waiting"]:
            waiting["text"] = self.content.commands(waiting["text"], turn.lang, turn.user.channel)
        turn.keep_prompt = False
        export = Attachment("meine-daten.json", as_json(data))
        return [Message(readable(data, self.content, turn.lang), attachment=export)]

    def _confirm_erase(self, turn: Turn) -> list[Message]:
        turn.keep_prompt = False
        turn.state.pending["erase_requested"] = True  # 'del:yes' counts only after this
        buttons = (
            Button(turn.t("btn_erase_yes"), Erase("yes").pack()),
            Button(turn.t("btn_erase_no"), Erase("no").pack()),
        )
        return [Message(turn.t("erase_confirm"), buttons)]

    async def _erase(self, turn: Turn, confirmed: bool) -> list[Message]:
        requested = turn.state.pending.pop("erase_requested", False)
        if not confirmed or not requested:
            return [Message(turn.t("erase_cancelled")), *self.flow.prompt(turn)]
        said = Message(turn.t("erased"))  # in the person's language, before it is gone
        turn.notifications.extend(await erase_person(turn.session, turn.user, self.content))
        turn.erased = True
        return [said]

    # --- the citizen's own lead -----------------------------------------------------

    async def _citizen_lead(self, turn: Turn, pressed: Withdraw | Followup) -> list[Message]:
        """Withdraw the person's own open lead, or answer its follow-up question.
        Anybody else's lead, or a closed one, is refused."""
        lead = await turn.session.get(Lead, pressed.lead)
        if lead is None or lead.user_id != turn.user.id:
            log.warning("lead button refused: not the person's own lead")
            return [Message(turn.t("stale_button")), *self.flow.prompt(turn)]
        timing = self.content.leads
        if isinstance(pressed, Withdraw) and lead.status in OPEN:
            lotse_lang = self.content.languages[0]  # the card is for the Lotse
            note = self.content.text("lead_withdrawn_note", lotse_lang)
            notice = self.desk.card(lead, lotse_lang, note=note)
            change(
                turn.session, lead, "withdrawn", actor="citizen", note="withdrawn", timing=timing
            )
            if lead.lotse_id:
                recipient = Recipient("lotse", lead.lotse_id, "")
            else:
                recipient = Recipient("coordinator", COORDINATION_ID, "")
            turn.notifications.append(
                Notification(recipient, Message(notice.text), lead_subject(lead))
            )
            return [Message(turn.t("withdrawn"))]
        if isinstance(pressed, Followup) and lead.status == "placed":
            answer = lead.followup = pressed.answer
            turn.session.add(
                LeadEvent(
                    lead_id=lead.id,
                    actor="citizen",
                    from_status=lead.status,
                    to_status=lead.status,
                    note=f"followup:{answer}",
                )
            )
            turn.keep_prompt = False
            return [Message(turn.t("followup_thanks"))]
        return [Message(turn.t("stale_button")), *self.flow.prompt(turn)]

    # --- deep links -----------------------------------------------------------------

    async def _start_payload(self, turn: Turn, payload: str) -> list[Message]:
        if payload.startswith(invites.PREFIX):
            return await self._join_as_lotse(turn, payload.removeprefix(invites.PREFIX))
        if payload.startswith(handover.PREFIX):
            return await self._continue_here(turn, payload.removeprefix(handover.PREFIX))
        replies = await self._follow_link(turn, payload)
        # Which poster or link brought a conversation: a count per day and channel, no
        # person; links the project did not issue are one number, not rows of their own.
        source, today = links.issued(payload, self.content, turn.matchers.places), turn.today()
        await repo.count_entry(turn.session, today, source, turn.user.channel)
        if replies is None:
            return [Message(turn.t("deeplink_unknown")), *await self.flow.restart(turn)]
        if turn.state.answers.get("source"):  # a lead from here counts for the same row
            turn.state.answers["source"] = source
        await repo.count_step(turn.session, turn.state.step, today, turn.user)  # funnel: here
        return replies

    async def _continue_here(self, turn: Turn, code: str) -> list[Message]:
        """A one-time link from the web chat: that conversation goes on in this chat."""
        moved = None
        if turn.user.channel != handover.FROM_CHANNEL:  # web to web would only shuffle records
            moved = await handover.redeem(turn.session, code, turn.user)
        if moved is None:
            log.warning("handover refused: unknown, used or expired code")
            return [Message(turn.t("handover_invalid")), *await self.flow.restart(turn)]
        state = turn.state
        state.step, state.answers = moved.step, dict(moved.answers)
        state.history, state.pending = list(moved.history), dict(moved.pending)
        said = Message(turn.t("handover_welcome"))
        return [said, *(self.flow.prompt(turn) or await self.flow.enter(turn, state.step))]

    async def _follow_link(self, turn: Turn, payload: str) -> list[Message] | None:
        """The replies to a poster, interest or offer link; None for an unknown one."""
        kind, _, ident = payload.partition("-")
        targets = self.content.dialog.deeplinks
        if kind == links.POSTER and "poster" in targets:
            return await self._jump_to_poster(turn, ident, payload)
        if kind == links.INTEREST and "interest" in targets and self._top(ident):
            return await self._jump_to_interest(turn, ident, targets["interest"])
        offer = self.content.offers.get(ident) if kind == links.OFFER else None
        if "offer" in targets and offer is not None and not offer.archived:
            return await self._jump_to_offer(turn, offer.id, targets["offer"])
        return None

    async def _jump_to_poster(self, turn: Turn, ident: str, payload: str) -> list[Message] | None:
        """Interest and village from a poster; a village no longer known acts like `i-`."""
        targets = self.content.dialog.deeplinks
        link = links.parse_poster(ident, turn.matchers.places)
        if link is None or not self._top(link.interest) or not links.valid_payload(payload):
            return None
        if link.place is None:
            if "interest" not in targets:
                return None
            replies = await self._jump_to_interest(turn, link.interest, targets["interest"])
            turn.state.answers["source"] = payload
            return replies
        await self.flow.restart(turn)
        self._set_interest(turn, link.interest, payload)
        place = place_to_dict(link.place)
        turn.state.answers["place"] = place
        if "interest" in targets:  # "zurück" leads to the place question of the interest link
            turn.state.history.append(targets["interest"])
        said = Message(
            turn.t(
                "deeplink_poster",
                interests=turn.interest_label(link.interest),
                place=place["label"],
            )
        )
        return [said, *await self.flow.enter(turn, targets["poster"])]

    def _top(self, interest: str) -> str | None:
        for area in self.content.taxonomy.interests:
            if interest == area.id or interest in {s.id for s in area.subtopics}:
                return area.id
        return None

    async def _jump_to_interest(self, turn: Turn, interest: str, target: str) -> list[Message]:
        await self.flow.restart(turn)
        self._set_interest(turn, interest, f"i-{interest}")
        said = Message(turn.t("interests_understood", interests=turn.interest_label(interest)))
        return [said, *await self.flow.enter(turn, target)]

    def _set_interest(self, turn: Turn, interest: str, source: str) -> None:
        top = self._top(interest) or interest
        turn.state.answers["interests"] = [top]
        turn.state.answers["subtopics"] = [interest] if interest != top else []
        turn.state.answers["source"] = source  # kept with a lead: how many leads a link brought
        turn.state.history = [self.content.dialog.start]

    async def _jump_to_offer(self, turn: Turn, offer_id: str, target: str) -> list[Message]:
        await self.flow.restart(turn)
        offer = self.content.offers.get(offer_id)
        assert offer is not None  # _follow_link found it
        turn.state.answers["offer_id"] = offer.id
        turn.state.answers["interests"] = list(
            dict.fromkeys(top for i in offer.interests if (top := self._top(i)))
        )
        turn.state.answers["source"] = f"o-{offer.id}"
        turn.state.history = [self.content.dialog.start]
        said = Message(
            turn.t(
                "deeplink_offer",
                title=offer.title,
                organisation=offer.organisation,
                place=offer.place,
            )
        )
        return [said, *await self.flow.enter(turn, target)]

    async def _join_as_lotse(self, turn: Turn, code: str) -> list[Message]:
        sender = turn.user
        account = await invites.redeem(turn.session, code, sender.channel, sender.external_id)
        lotse = next((x for x in self.content.lotsen if account and x.id == account.lotse_id), None)
        turn.keep_prompt = False
        if account is None or lotse is None:
            log.warning("invite refused: unknown, used or expired code")
            return [Message(turn.t("invite_invalid"))]
        turn.account = account
        return [
            Message(turn.t("lotse_welcome", name=lotse.name, gemeinden=", ".join(lotse.gemeinden)))
        ]

    # --- language -------------------------------------------------------------------

    def _choose_language(self, turn: Turn) -> list[Message]:
        turn.keep_prompt = False
        buttons = tuple(
            Button(LANGUAGE_NAMES.get(lang, lang), Language(lang).pack())
            for lang in self.content.languages
        )
        return [Message(turn.t("choose_language"), buttons)]

    async def _set_language(self, turn: Turn, lang: str) -> list[Message]:
        if lang not in self.content.languages:
            return [Message(turn.t("stale_button")), *self.flow.prompt(turn)]
        turn.user.language = lang
        said = Message(turn.t("language_set"))
        step = self.content.dialog.steps[turn.state.step]
        if step.kind in SIDE_EFFECT_KINDS:
            return [said, *self.flow.prompt(turn)]
        return [said, *await self.flow.enter(turn, turn.state.step)]
