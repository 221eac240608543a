"""What a Lotse does with a lead: accept or decline, get in touch, report the outcome.

Transport-free like the dialogue: takes the acting Lotse and a button action, changes the
lead (with an audit event), and returns the reply plus notifications for others.
Only the Lotse a lead is assigned to can act on it; contact details are shown only
after accepting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.loader import Content
from bot.dialogs.events import Button, Message, Notification, Recipient
from bot.leads.lifecycle import OPEN, change
from bot.leads.routing import COORDINATION_ID
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


def lead_button(lead_id: int, action: str) -> str:
    return f"l:{lead_id}:{action}"


def parse_lead_button(data: str) -> tuple[int, str] | None:
    kind, _, rest = data.partition(":")
    lead_id, _, action = rest.partition(":")
    if kind != "l" or not lead_id.isdigit() or not action:
        return None
    return int(lead_id), action


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
        self, session: AsyncSession, account: LotseAccount, lead_id: int, action: str, lang: str
    ) -> DeskResult:
        lead = await session.get(Lead, lead_id)
        if lead is None or lead.lotse_id != account.lotse_id:
            return DeskResult([Message(self.t("lotse_not_yours", lang))])
        if action == "show":
            return DeskResult([self.card(lead, lang)])
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
            result.notifications.append(
                self._to_citizen(lead, "lead_taken", self._lotse_name(lead))
            )
        if action == "decline":
            lead.lotse_id = None
            result.notifications.append(
                Notification(
                    Recipient("coordinator", COORDINATION_ID, self.t("coordination_name", "de")),
                    self.card(lead, "de", note=self.t("lead_declined_note", "de")),
                )
            )
            result.replies.append(Message(self.t("lotse_declined", lang)))
            return result
        result.replies.append(self.card(lead, lang))
        return result

    async def relay(
        self, session: AsyncSession, account: LotseAccount, text: str, lang: str
    ) -> DeskResult:
        """The Lotse's next message after 'write' goes to the citizen of that lead."""
        lead = await session.get(Lead, account.writing_to_lead or 0)
        account.writing_to_lead = None
        if lead is None or lead.lotse_id != account.lotse_id:
            return DeskResult([Message(self.t("lotse_not_yours", lang))])
        note = self._to_citizen(lead, "lotse_message", self._lotse_name(lead), message=text[:3000])
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
        buttons = tuple(Button(f"#{lead.id}", lead_button(lead.id, "show")) for lead in leads[:30])
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
        text = "\n".join(filter(None, [kind, text, *lines]))
        if lead.status in ("accepted", "contacted", "placed", "not_fit", "unreachable"):
            contact = self.t("contact_via_chat", lang) if lead.contact == "chat" else lead.contact
            text += "\n" + self.t(
                "lead_card_contact", lang, name=lead.name or "–", contact=contact or "–"
            )
        if note:
            text = f"{note}\n\n{text}"
        buttons = tuple(
            Button(self.t(f"btn_lead_{action}", lang), lead_button(lead.id, action))
            for action in BUTTONS_BY_STATUS.get(lead.status, ())
        )
        return Message(text, buttons)

    def _summary_line(self, lead: Lead, lang: str) -> str:
        return (
            f"#{lead.id} · {self._interests(lead, lang)} · {self._place(lead)} · "
            f"{self.t(f'status_{lead.status}', lang)}"
        )

    def _to_citizen(self, lead: Lead, key: str, lotse: str, **values: object) -> Notification:
        return Notification(
            Recipient("citizen", str(lead.user_id), ""),
            Message(self.t(key, "de", lotse=lotse, **values)),
        )

    def _lotse_name(self, lead: Lead) -> str:
        return next(
            (lotse.name for lotse in self.content.lotsen if lotse.id == lead.lotse_id),
            self.t("coordination_name", "de"),
        )

    def _interests(self, lead: Lead, lang: str) -> str:
        labels = {i.id: i.label.get(lang, i.id) for i in self.content.taxonomy.interests}
        return ", ".join(labels.get(i, i) for i in lead.interests) or "–"

    def _place(self, lead: Lead) -> str:
        if lead.place and lead.gemeinde and lead.place != lead.gemeinde:
            return f"{lead.place} ({lead.gemeinde})"
        return lead.place or lead.gemeinde or "–"

    def _offer(self, lead: Lead) -> str:
        return next((o.title for o in self.content.offers if o.id == lead.offer_id), "–")
