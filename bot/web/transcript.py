"""The web chat's transcript: what was said, so a reloaded page shows the conversation.

Rows live in `web_messages`, tied to the conversation (deleted with it by retention and by
/loeschen). Only the last KEEP lines per person are kept. Buttons stay on the current
question only: when a new question with buttons arrives, older lines lose theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.messages import Attachment, Message
from bot.store.handover import WAITING
from bot.store.models import Conversation, OutboxMessage, WebMessage

KEEP = 200  # lines per person; older ones are dropped
RECENT = 40  # lines looked at for buttons still shown


@dataclass
class Line:
    """One line of the chat as the page shows it."""

    sender: str  # "user", "bot" or "note" (a notification, e.g. a Lotse's message)
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, data)
    location: bool = False  # the question may be answered with the browser's location
    id: int | None = None  # None: not stored (e.g. the reply to /loeschen)
    attachment: Attachment | None = None  # only in the answer to the request, never stored

    @classmethod
    def reply(cls, message: Message, sender: str = "bot") -> Line:
        return cls(
            sender,
            message.text,
            [(b.label, b.data) for b in message.buttons],
            message.request_location,
            attachment=message.attachment,
        )

    @classmethod
    def of(cls, row: WebMessage) -> Line:
        buttons = [(str(label), str(data)) for label, data in row.buttons]
        return cls(row.sender, row.text, buttons, row.location, row.id)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "from": self.sender,
            "text": self.text,
            "buttons": [{"label": label, "data": data} for label, data in self.buttons],
            "location": self.location,
        }
        if self.attachment is not None:
            data["attachment"] = {
                "filename": self.attachment.filename,
                "mime": self.attachment.mime,
                "text": self.attachment.content.decode("utf-8", "replace"),
            }
        return data


async def has_conversation(session: AsyncSession, user_id: int) -> bool:
    return await session.get(Conversation, user_id) is not None


async def load(session: AsyncSession, user_id: int, after: int = 0) -> list[Line]:
    rows = await session.scalars(
        select(WebMessage)
        .where(WebMessage.user_id == user_id, WebMessage.id > after)
        .order_by(WebMessage.id.desc())
        .limit(KEEP)
    )
    return [Line.of(row) for row in reversed(rows.all())]


async def button_label(session: AsyncSession, user_id: int, data: str) -> str | None:
    """The label of a button the page shows now (to echo what was pressed)."""
    for row in await _recent(session, user_id):
        for label, button_data in row.buttons:
            if button_data == data:
                return str(label)
    return None


async def append(session: AsyncSession, user_id: int, lines: Sequence[Line]) -> None:
    """Store lines (they get their ids); a new question with buttons retires older ones."""
    if not lines or not await has_conversation(session, user_id):
        return  # erased in this turn, or gone by retention: nothing to keep
    if any(line.buttons and line.sender == "bot" for line in lines):
        for row in await _recent(session, user_id):
            if row.buttons:
                row.buttons = []
    now = clock.now()
    rows = [
        WebMessage(
            user_id=user_id,
            at=now,
            sender=line.sender,
            text=line.text,
            buttons=[list(b) for b in line.buttons],
            location=line.location,
        )
        for line in lines
    ]
    session.add_all(rows)
    await session.flush()
    for line, row in zip(lines, rows, strict=True):
        line.id = row.id
    await _trim(session, user_id)


async def _recent(session: AsyncSession, user_id: int) -> Sequence[WebMessage]:
    """The lines that may still carry buttons: older ones lost theirs long ago."""
    rows = await session.scalars(
        select(WebMessage)
        .where(WebMessage.user_id == user_id)
        .order_by(WebMessage.id.desc())
        .limit(RECENT)
    )
    return rows.all()


async def _trim(session: AsyncSession, user_id: int) -> None:
    keep = (
        select(WebMessage.id)
        .where(WebMessage.user_id == user_id)
        .order_by(WebMessage.id.desc())
        .limit(KEEP)
    )
    await session.execute(
        delete(WebMessage).where(
            WebMessage.user_id == user_id, WebMessage.id.not_in(keep.scalar_subquery())
        )
    )


async def take_notifications(session: AsyncSession, user_id: int) -> list[Line]:
    """Messages for this person that wait in the outbox (a Lotse took the request, wrote,
    asks 'Hat es geklappt?'): they become lines of the chat and count as delivered."""
    rows = (
        await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.recipient_role == "citizen",
                OutboxMessage.recipient_id == str(user_id),
                OutboxMessage.status.in_(WAITING),
            )
            .order_by(OutboxMessage.id)
        )
    ).all()
    if not rows:
        return []
    now = clock.now()
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([row.id for row in rows]))
        .values(status="sent", sent_at=now, last_error=None)
    )
    return [
        Line("note", row.text, [(str(label), str(data)) for label, data in row.buttons])
        for row in rows
    ]
