"""What a Lotse does with a lead: accept or decline, get in touch, report the outcome.

Transport-free like the dialogue: takes the acting Lotse and a button action, changes the
lead (with an audit event), and returns the reply plus notifications for others.
Only the Lotse a lead is assigned to can act on it; contact details are shown only
after accepting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.model import LATER, Content
from bot.content.schema import Lotse
from bot.leads.lifecycle import OPEN, change
from bot.leads.routing import COORDINATION_ID, recipient_for
from bot.messages import Button, Message, Notification, Recipient
from bot.payloads import LeadAction
from bot.store import repo
from bot.store.models import Lead, LotseAccount

# action → (statuses it may start from, status it leads to)
ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("offered",), "accepted"),
    "decline": (("offered",), "new"),
    "contacted": (("accepted",), "contacted"),
    "placed": (("accepted", "contacted"), "placed"),
    "not_fit": (("accepted", "contacted"), "not_fit"),
    "unreachable": (("accepted", "contacted"), "unreachable"),
}
BUTTONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    "offered": ("accept", "decline"),
    "accepted": ("write", "contacted", "placed", "not_fit", "unreachable"),
    "contacted": ("write", "placed", "not_fit", "unreachable"),
}
# A question for a person (bot/dialogs/handoff.py) is answered, not placed; "new" means it
# is with the coordinators, who answer it themselves.
QUESTION_BUTTONS: dict[str, tuple[str, ...]] = {
    "offered": ("answer", "decline"),
    "accepted": ("answer",),
    "contacted": ("answer",),
    "new": ("answer",),
}
ANSWERABLE = ("offered", "accepted", "contacted", "new")
SHOWN_CHANNELS = ("telegram", "web", "whatsapp")  # named on the card; texts channel_<name>


class Desk(Protocol):
    """Who acts on a lead: a Lotse's account, or the coordinators (lotse_id None)."""

    lotse_id: str | None
    writing_to_lead: int | None


@dataclass
class CoordinatorDesk:
    """The coordinators act on the leads that are with them (no Lotse assigned)."""

    writing_to_lead: int | None = None
    lotse_id: str | None = None


def subject(lead: Lead) -> str:
    """What a notification about this lead is about (it may quote the person's words)."""
    return f"lead:{lead.id}"


@dataclass
class DeskResult:
    replies: list[Message] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


class LeadDesk:
    def __init__(self, content: Content) -> None:
        self.content = content

    def t(self, key: str, lang: str, **values: object) -> str:
        return self.content.text(key, lang, **values)

    async def act(
        self, session: AsyncSession, account: Desk, lead_id: int, action: str, lang: str
    ) -> DeskResult:
        lead = await session.get(Lead, lead_id)
        if lead is None or lead.lotse_id != account.lotse_id:
            return DeskResult([Message(self.t("lotse_not_yours", lang))])
        if action == "show":
            return DeskResult([self.card(lead, lang)])
        if lead.kind == "question":
            return self._question_action(session, account, lead, action, lang)
        if account.lotse_id is None:  # coordinators: only questions so far
            return DeskResult([Message(self.t("lotse_action_invalid", lang))])
        if action == "write":
            if lead.status not in ("accepted", "contacted"):
                return DeskResult([Message(self.t("lotse_action_invalid", lang))])
            account.writing_to_lead = lead.id
            return DeskResult([Message(self.t("lotse_write_prompt", lang))])
        allowed = ACTIONS.get(action)
        if allowed is None or lead.status not in allowed[0]:
            return DeskResult(
                [Message(self.t("lotse_action_invalid", lang)), self.card(lead, lang)]
            )
        if action == "decline":
            return self._decline(session, account, lead, lang)
        change(
            session,
            lead,
            allowed[1],
            actor=f"lotse:{account.lotse_id}",
            note=action,
            timing=self.content.leads,
        )
        result = DeskResult()
        if action == "accept":
            result.notifications.append(await self._to_citizen(session, lead, "lead_taken"))
        result.replies.append(self.card(lead, lang))
        return result

    def _question_action(
        self, session: AsyncSession, account: Desk, lead: Lead, action: str, lang: str
    ) -> DeskResult:
        """'answer' opens the reply (the next message goes to the person); 'decline'
        hands the question to the coordinators like any lead."""
        if action == "decline" and lead.status == "offered":
            return self._decline(session, account, lead, lang)
        if action != "answer" or lead.status not in ANSWERABLE:
            return DeskResult(
                [Message(self.t("lotse_action_invalid", lang)), self.card(lead, lang)]
            )
        if lead.status == "offered":
            change(session, lead, "accepted", actor=_actor(account), timing=self.content.leads)
        account.writing_to_lead = lead.id
        question = next(iter((lead.details or {}).values()), "")
        return DeskResult([Message(self.t("answer_write_prompt", lang, question=question))])

    def _decline(self, session: AsyncSession, account: Desk, lead: Lead, lang: str) -> DeskResult:
        change(
            session, lead, "new", actor=_actor(account), note="decline", timing=self.content.leads
        )  # before lotse_id is cleared: the audit trail names who declined
        lead.lotse_id = None
        coordination = Recipient("coordinator", COORDINATION_ID, self.t("coordination_name", "de"))
        note = self.card(lead, "de", note=self.t("lead_declined_note", "de"))
        return DeskResult(
            [Message(self.t("lotse_declined", lang))],
            [Notification(coordination, note, subject(lead))],
        )

    async def relay(self, session: AsyncSession, account: Desk, text: str, lang: str) -> DeskResult:
        """The Lotse's next message after 'write' goes to the citizen of that lead."""
        lead = await session.get(Lead, account.writing_to_lead or 0)
        account.writing_to_lead = None
        if lead is None or lead.lotse_id != account.lotse_id:
            return DeskResult([Message(self.t("lotse_not_yours", lang))])
        if lead.kind == "question":
            return await self._answer(session, account, lead, text, lang)
        note = await self._to_citizen(session, lead, "lotse_message", message=text[:3000])
        if lead.status == "accepted":
            change(
                session,
                lead,
                "contacted",
                actor=f"lotse:{account.lotse_id}",
                note="message",
                timing=self.content.leads,
            )
        return DeskResult(
            [Message(self.t("lotse_message_sent", lang)), self.card(lead, lang)], [note]
        )

    async def _answer(
        self, session: AsyncSession, account: Desk, lead: Lead, text: str, lang: str
    ) -> DeskResult:
        if lead.status not in ANSWERABLE:
            return DeskResult([Message(self.t("lotse_action_invalid", lang))])
        question = next(iter((lead.details or {}).values()), "")
        note = await self._to_citizen(
            session,
            lead,
            "question_answered",
            question=question,
            message=text[:3000],
        )
        change(session, lead, "answered", actor=_actor(account), timing=self.content.leads)
        return DeskResult([Message(self.t("answer_sent", lang)), self.card(lead, lang)], [note])

    async def my_leads(self, session: AsyncSession, account: LotseAccount, lang: str) -> DeskResult:
        leads = (
            await session.scalars(
                select(Lead)
                .where(Lead.lotse_id == account.lotse_id, Lead.status.in_(OPEN))
                .order_by(Lead.id)
            )
        ).all()
        if not leads:
            return DeskResult([Message(self.t("my_leads_none", lang))])
        lines = [self.t("my_leads_header", lang, count=len(leads))]
        lines += [self._summary_line(lead, lang) for lead in leads]
        buttons = tuple(
            Button(f"#{lead.id}", LeadAction(lead.id, "show").pack()) for lead in leads[:30]
        )
        return DeskResult([Message("\n".join(lines), buttons)])

    def card(self, lead: Lead, lang: str, note: str = "") -> Message:
        """The lead as a Lotse sees it; contact details only once accepted."""
        text = self.t(
            "lead_card",
            lang,
            id=lead.id,
            interests=self._interests(lead, lang),
            place=self._place(lead),
            offer=self._offer(lead),
            status=self.t(f"status_{lead.status}", lang),
        )
        kind = self.t(f"lead_kind_{lead.kind}", lang) if lead.kind != "volunteer" else ""
        lines = [f"{label}: {value}" for label, value in (lead.details or {}).items()]
        text = "\n".join(filter(None, [kind, *_known(text), *lines, self._channel(lead, lang)]))
        if lead.status in ("accepted", "contacted", "placed", "not_fit", "unreachable"):
            contact = self.t("contact_via_chat", lang) if lead.contact == "chat" else lead.contact
            text += "\n" + self.t(
                "lead_card_contact", lang, name=lead.name or "–", contact=contact or "–"
            )
        if note:
            text = f"{note}\n\n{text}"
        buttons = tuple(
            Button(self.t(f"btn_lead_{action}", lang), LeadAction(lead.id, action).pack())
            for action in _buttons(lead)
        )
        return Message(text, buttons)

    def _channel(self, lead: Lead, lang: str) -> str:
        """'über: Web-Chat' – where the request came from (Telegram, the web chat)."""
        if lead.channel not in SHOWN_CHANNELS:
            return ""
        name = self.t(f"channel_{lead.channel}", lang)
        return self.t("lead_card_channel", lang, channel=name)

    def _summary_line(self, lead: Lead, lang: str) -> str:
        return (
            f"#{lead.id} · {self._interests(lead, lang)} · {self._place(lead)} · "
            f"{self.t(f'status_{lead.status}', lang)}"
        )

    async def _to_citizen(
        self, session: AsyncSession, lead: Lead, key: str, **values: object
    ) -> Notification:
        """A message for the lead's person, in the language they chose or wrote in."""
        lang = self.content.language(await repo.language_of(session, lead.user_id))
        holder = introduce(self.content, self.holder(lead), lang)
        return Notification(
            Recipient("citizen", str(lead.user_id), ""),
            # {/start}: as the channel that delivers it names it (the outbox decides).
            Message(self.content.text(key, lang, via=LATER, **holder, **values)),
            subject(lead),
        )

    def holder(self, lead: Lead) -> Lotse | None:
        """The Lotse who has the lead now (None: the coordination)."""
        return next((lotse for lotse in self.content.lotsen if lotse.id == lead.lotse_id), None)

    def holder_name(self, lead: Lead) -> str:
        """Who has the lead now, by name (the coordination when no Lotse)."""
        return introduce(self.content, self.holder(lead), "de")["lotse"]

    def _interests(self, lead: Lead, lang: str) -> str:
        return ", ".join(self.content.interest_label(i, lang) for i in lead.interests) or "–"

    def _place(self, lead: Lead) -> str:
        if lead.place and lead.gemeinde and lead.place != lead.gemeinde:
            return f"{lead.place} ({lead.gemeinde})"
        return lead.place or lead.gemeinde or "–"

    def _offer(self, lead: Lead) -> str:
        offer = self.content.offers.get(lead.offer_id)
        return offer.title if offer else "–"


def introduce(content: Content, lotse: Lotse | None, lang: str) -> dict[str, str]:
    """{lotse} and {lotse_title} for texts to the person: the name, and how this Lotse is
    introduced (lotsen.yaml `anrede`: "Ihre Engagementlotsin", "Ihr Engagementlotse", …)."""
    if lotse is None:
        return {
            "lotse": content.text("coordination_name", lang),
            "lotse_title": content.text("lotse_title_coordination", lang),
        }
    return {"lotse": lotse.name, "lotse_title": content.text(f"lotse_title_{lotse.anrede}", lang)}


def _actor(account: Desk) -> str:
    return f"lotse:{account.lotse_id}" if account.lotse_id else "coordinator"


def _buttons(lead: Lead) -> tuple[str, ...]:
    table = QUESTION_BUTTONS if lead.kind == "question" else BUTTONS_BY_STATUS
    return table.get(lead.status, ())


def _known(card: str) -> list[str]:
    """The card's lines without those that say nothing (e.g. 'Angebot: –' on a help request)."""
    return [line for line in card.splitlines() if not line.endswith(": –")]


async def open_lead(
    session: AsyncSession,
    content: Content,
    lead: Lead,
    lotse: Lotse | None,
    *,
    notice: str,
    coordination_name: str,
) -> Notification:
    """Store a new lead in its first state – offered to `lotse`, or new with the
    coordinators when there is none – and return the card that tells them."""
    await repo.add_lead(session, lead)
    change(
        session,
        lead,
        "offered" if lotse else "new",
        actor="citizen",
        note=f"to:{lotse.id}" if lotse else "to:coordinators",
        timing=content.leads,
    )
    card = LeadDesk(content).card(lead, content.languages[0], note=notice)
    return Notification(recipient_for(lotse, coordination_name), card, subject(lead))
