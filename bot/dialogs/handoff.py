"""Questions the bot cannot answer reliably go to a person, whose answer comes back here.

The question becomes a lead of kind "question" (with the person's consent): it goes to
the Lotse of the person's Gemeinde when the dialogue knows it, else to the coordinators,
and follows the same lifecycle as every lead (reminder, escalation, expiry), so no
question is left without an answer. The answer is relayed by `LeadDesk.relay`.
"""

from __future__ import annotations

from bot import clock
from bot.dialogs.answers import MAX_QUESTION
from bot.dialogs.steps import consent_version
from bot.dialogs.turn import Turn
from bot.leads.desk import open_lead
from bot.leads.routing import route
from bot.messages import Button, Message
from bot.payloads import Handoff, Withdraw
from bot.store.models import Lead

QUESTION_KEY = "question"  # in the conversation's pending state: the last open question
ASKED_KEY = "handoff_asked"  # consent was asked for this question


async def _to(turn: Turn) -> tuple[str | None, str]:
    """(lotse id, how the person reads the recipient) for the person's Gemeinde."""
    place = turn.state.answers.get("place") or {}
    lotse = await route(
        turn.session, turn.content.lotsen, place.get("gemeinde"), today=turn.today()
    )
    if lotse is None:
        return None, turn.t("handoff_to_coordination")
    return lotse.id, lotse.name


async def handle(turn: Turn, pressed: Handoff) -> list[Message]:
    """'ask' asks for consent, 'yes' passes the question on, 'no' keeps it."""
    action = pressed.action
    pending = turn.state.pending
    question = pending.get(QUESTION_KEY)
    turn.keep_prompt = False  # the dialogue's question stays what it was
    if action == "ask" and question:
        pending[ASKED_KEY] = True
        return [await _consent(turn, question)]
    if action == "yes" and question and pending.pop(ASKED_KEY, False):
        pending.pop(QUESTION_KEY)
        lead, to = await _create(turn, question)
        withdraw = Button(turn.t("btn_withdraw"), Withdraw(lead.id).pack())
        return [Message(turn.t("handoff_sent", to=to), (withdraw,))]
    if action == "no":
        pending.pop(ASKED_KEY, None)
        return [Message(turn.t("handoff_cancelled"))]
    return [Message(turn.t("handoff_no_question"))]


async def _consent(turn: Turn, question: str) -> Message:
    _, to = await _to(turn)
    buttons = (
        Button(turn.t("btn_handoff_yes"), Handoff("yes").pack()),
        Button(turn.t("btn_handoff_no"), Handoff("no").pack()),
    )
    return Message(turn.t("handoff_consent", to=to, question=question[:MAX_QUESTION]), buttons)


async def _create(turn: Turn, question: str) -> tuple[Lead, str]:
    place = turn.state.answers.get("place") or {}
    lotse_id, to = await _to(turn)
    lotse = next((x for x in turn.content.lotsen if x.id == lotse_id), None)
    language = turn.content.languages[0]
    consent_text = turn.content.text("handoff_consent", language)
    lead = Lead(
        user_id=turn.user.id,
        kind="question",
        status="created",
        gemeinde=place.get("gemeinde"),
        place=place.get("name"),
        interests=list(turn.state.answers.get("interests", [])),
        lotse_id=lotse_id,
        contact="chat",
        details=_details(turn, question),
        consent_version=consent_version(consent_text),
        consent_at=clock.now(),
    )
    card = await open_lead(
        turn.session,
        turn.content,
        lead,
        lotse,
        notice=turn.content.text("question_notice", language),
        coordination_name=turn.content.text("coordination_name", language),
    )
    turn.notifications.append(card)
    return lead, to


def _details(turn: Turn, question: str) -> dict[str, str]:
    """The question first (the desk quotes it when answering), then, for a person who
    writes another language, which one: the Lotse answers in it."""
    language = turn.content.languages[0]  # the card's, the Lotse's
    details = {turn.content.text("detail_question", language): question}
    if turn.lang != language:
        label = turn.content.text("detail_language", language)
        details[label] = turn.content.text(f"language_{turn.lang}", language)
    return details
