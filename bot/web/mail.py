"""E-mail to web citizens: a message for them (a Lotse took the request, wrote to them)
also goes out by e-mail, if SMTP is configured and they gave an e-mail address as contact.

The page stays the main way: the e-mail says there is a message and carries its text. A
message the page has shown already is not mailed. At most once: a message is claimed
('mailing') before sending, so two processes never mail it twice; a crash while sending
loses that e-mail, never the message on the page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage

from sqlalchemy import String, cast, select, update

from bot import clock
from bot.config import Settings
from bot.content.model import Content
from bot.store.db import Database
from bot.store.models import Lead, OutboxMessage, User
from bot.worker import drain_until_stopped

log = logging.getLogger(__name__)

EMAIL = re.compile(r"[^\s@<>,;]+@[^\s@<>,;]+\.[A-Za-z]{2,}")
UNDECIDED = ("pending", "web")  # not mailed yet, not shown yet
MAX_ATTEMPTS = 5
TIMEOUT = 30  # seconds for the SMTP conversation


def mail_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host and (settings.smtp_from or settings.smtp_user))


class Mailer:
    """Sends one plain-text e-mail over SMTP (in a thread: smtplib blocks)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, to: str, subject: str, body: str) -> None:
        await asyncio.to_thread(self._send, to, subject, body)

    def _send(self, to: str, subject: str, body: str) -> None:
        s = self.settings
        mail = EmailMessage()
        mail["From"] = s.smtp_from or s.smtp_user or ""
        mail["To"] = to
        mail["Subject"] = subject
        mail.set_content(body)
        host, port = s.smtp_host or "", s.smtp_port
        if s.smtp_tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with client:
            if s.smtp_tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if s.smtp_user and s.smtp_password:
                client.login(s.smtp_user, s.smtp_password)
            client.send_message(mail)


class MailNotifier:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        content: Callable[[], Content],
        mailer: Mailer | None = None,
    ) -> None:
        self.db, self.settings, self.content = db, settings, content
        self.mailer = mailer or Mailer(settings)
        self.wake = asyncio.Event()

    async def run(self, stop: asyncio.Event, interval: float = 15.0) -> None:
        await drain_until_stopped(self.deliver_due, self.wake, stop, interval, log, "mail")

    async def deliver_due(self, now: dt.datetime | None = None) -> int:
        """Mail what is due (quiet hours are kept: citizens' rows are due after them);
        return how many rows were decided."""
        now = now or clock.now()
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(OutboxMessage.id, OutboxMessage.text, User.id, User.language)
                    .join(User, OutboxMessage.recipient_id == cast(User.id, String))
                    .where(
                        OutboxMessage.recipient_role == "citizen",
                        OutboxMessage.status.in_(UNDECIDED),
                        OutboxMessage.next_attempt_at <= now,
                        User.channel == "web",
                    )
                    .order_by(OutboxMessage.id)
                    .limit(20)
                )
            ).all()
        for row_id, text, user_id, language in rows:
            await self._decide(row_id, text, user_id, language, now)
        return len(rows)

    async def _decide(
        self, row_id: int, text: str, user_id: int, language: str, now: dt.datetime
    ) -> None:
        address = await self._address(user_id)
        if address is None:  # no e-mail given: the page alone shows it
            await self._set(row_id, UNDECIDED, status="web-only")
            return
        if not await self._set(row_id, UNDECIDED, status="mailing"):
            return  # the page showed it meanwhile, or another process has it
        content = self.content()
        lang = language if language in content.languages else content.languages[0]
        link = f"{self.settings.web_public_url}/chat"
        # {/start} in a queued text: as the web page names it, in the person's language
        # (the text was written in it when queued).
        words = content.commands(text, lang, "web")
        try:
            await self.mailer.send(
                address,
                content.text("web_mail_subject", lang),
                content.text("web_mail_body", lang, message=words, link=link),
            )
        except (OSError, smtplib.SMTPException) as exc:
            await self._failed(row_id, now, exc)
            return
        await self._set(row_id, ("mailing",), status="mailed", last_error=None)
        log.info("mailed web message %s", row_id)

    async def _failed(self, row_id: int, now: dt.datetime, exc: Exception) -> None:
        async with self.db.session() as session, session.begin():
            row = await session.get(OutboxMessage, row_id)
            if row is None or row.status != "mailing":
                return
            row.attempts += 1
            row.last_error = f"mail: {type(exc).__name__}"
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "web-only"
            else:
                row.status = "web"
                row.next_attempt_at = now + dt.timedelta(minutes=2**row.attempts)
        log.warning("mail for web message %s failed (%s)", row_id, type(exc).__name__)

    async def _set(self, row_id: int, when: tuple[str, ...], **values: object) -> bool:
        """Change the row only while its status is one of `when` (an atomic claim)."""
        async with self.db.session() as session, session.begin():
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status.in_(when))
                .values(**values)
            )
        return bool(result.rowcount)

    async def _address(self, user_id: int) -> str | None:
        """The e-mail address the person gave with their latest request, if any."""
        async with self.db.session() as session:
            contacts = await session.scalars(
                select(Lead.contact)
                .where(Lead.user_id == user_id, Lead.contact.is_not(None))
                .order_by(Lead.id.desc())
            )
            for contact in contacts.all():
                found = EMAIL.search(contact or "")
                if found:
                    return found.group(0)
        return None
