"""`lotse offers review`: the coordinators' review of Vereine's offers in the terminal.

The same decision as the Telegram buttons (`submissions.decide`); the Verein's message
goes into the outbox, which the running bot delivers.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.clock import today_in
from bot.content.model import Content
from bot.offers import submissions
from bot.store import repo
from bot.store.db import Database

ANSWERS = {"f": True, "freigeben": True, "a": False, "ablehnen": False}


async def listing(db: Database, content: Content) -> list[str]:
    async with db.session() as session:
        waiting = await submissions.pending(session)
    lang = content.languages[0]
    if not waiting:
        return ["Keine Vereinsangebote warten auf Prüfung."]
    return [submissions.summary(s, content, lang) + "\n" for s in waiting]


async def decide_one(
    db: Database, content: Content, submission_id: int, approve: bool
) -> tuple[bool, str]:
    """(decided?, what happened)"""
    async with db.session() as session, session.begin():
        submission, notes = await submissions.decide(
            session,
            submission_id,
            approve,
            actor="coordinator:terminal",
            content=content,
            today=today_in(content.leads.timezone),
        )
        repo.queue_notifications(session, notes)
    if submission is None:
        return False, f"Angebot #{submission_id} wartet nicht (mehr) auf Prüfung – nichts geändert."
    verb = "freigegeben" if approve else "abgelehnt"
    until = f" (sichtbar bis {submission.expires_on:%d.%m.%Y})" if submission.expires_on else ""
    return True, f"Angebot #{submission_id} „{submission.data['title']}“ {verb}{until}."


async def interactive(db: Database, content: Content, ask: Callable[[str], str]) -> list[str]:
    """One pending offer after the other: [f]reigeben, [a]blehnen, Enter = überspringen."""
    async with db.session() as session:
        waiting = await submissions.pending(session)
    if not waiting:
        return ["Keine Vereinsangebote warten auf Prüfung."]
    done = []
    for submission in waiting:
        print(submissions.summary(submission, content, content.languages[0]))
        answer = ask("[f]reigeben, [a]blehnen, Enter = überspringen, [q] beenden: ").strip()
        if answer.lower() in ("q", "quit", "beenden"):
            break
        if answer.lower() in ANSWERS:
            _, line = await decide_one(db, content, submission.id, ANSWERS[answer.lower()])
            done.append(line)
            print(done[-1])
        print()
    return done
