"""Lead status changes, their audit trail, and the timed step that each status implies.

One function changes a lead's status (`change`); it records who, when and why, and sets
the lead's next due step (remind, escalate, outcome, followup, a daily reminder to
the coordinators, expire). The ticker
(`bot/runtime/ticker.py`) carries out due steps. Times come from content/leads.yaml.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import clock
from bot.content.schema import LeadsFile
from bot.store.models import Lead, LeadEvent

OPEN = ("new", "offered", "accepted", "contacted")
CLOSED = ("placed", "not_fit", "unreachable", "withdrawn", "expired", "answered")


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def change(
    session: AsyncSession,
    lead: Lead,
    status: str,
    *,
    actor: str,
    timing: LeadsFile,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Every status change leaves an audit event and sets the next due step."""
    now = now or clock.now()
    session.add(
        LeadEvent(
            lead_id=lead.id,
            actor=actor,
            from_status=lead.status,
            to_status=status,
            note=note,
            at=now,
        )
    )
    lead.status = status
    _schedule(lead, timing, now)


def hand_to(
    session: AsyncSession,
    lead: Lead,
    lotse_id: str | None,
    *,
    why: str,
    actor: str,
    timing: LeadsFile,
    now: dt.datetime,
) -> None:
    """The lead goes to a Lotse (offered) or back to the coordinators (new). The event's note
    "to:<lotse> (why)" is the routing note that response times and the ticker read."""
    lead.lotse_id = lotse_id
    change(
        session,
        lead,
        "offered" if lotse_id else "new",
        actor=actor,
        note=f"to:{lotse_id or 'coordinators'} ({why})",
        timing=timing,
        now=now,
    )


def _schedule(lead: Lead, timing: LeadsFile, now: dt.datetime) -> None:
    hours, days = dt.timedelta(hours=1), dt.timedelta(days=1)
    due: tuple[dt.datetime, str] | None = None
    if lead.status == "offered":
        lead.offered_at = now
        due = (now + timing.remind_after_hours * hours, "remind")
    elif lead.status == "accepted" or (lead.status == "contacted" and lead.due_kind != "outcome"):
        due = (now + timing.outcome_reminder_after_days * days, "outcome")
    elif lead.status == "contacted":
        return  # the outcome reminder set on acceptance stays
    elif lead.status == "placed":
        due = (now + timing.followup_after_days * days, "followup")
    elif lead.status == "new":  # with the coordinators
        due = coordination_due(now, now, timing)
    lead.due_at, lead.due_kind = due if due else (None, None)


def coordination_due(
    since: dt.datetime, now: dt.datetime, timing: LeadsFile
) -> tuple[dt.datetime, str]:
    """A lead with the coordinators since `since`: its next reminder after `now`, else expiry.

    Reminders keep to the rhythm of `since` (a late tick does not shift the next one, a
    missed day is not sent twice) and are moved out of the quiet hours.
    """
    step = dt.timedelta(days=timing.coordination_reminder_days)
    expiry = aware(since) + dt.timedelta(days=timing.expire_after_days)
    periods = (aware(now) - aware(since)) // step + 1
    remind = not_before(aware(since) + periods * step, timing)
    return (remind, "coordination") if remind < expiry else (expiry, "expire")


def not_before(moment: dt.datetime, timing: LeadsFile) -> dt.datetime:
    """The first time from `moment` on that is outside the quiet hours (for citizens)."""
    zone = ZoneInfo(timing.timezone)
    local = aware(moment).astimezone(zone)
    start, end = timing.quiet_hours.start, timing.quiet_hours.end
    time_of_day = local.time()
    quiet = (
        (start <= time_of_day or time_of_day < end) if start > end else start <= time_of_day < end
    )
    if not quiet:
        return aware(moment)
    day = local.date() if time_of_day < end else local.date() + dt.timedelta(days=1)
    wake = dt.datetime.combine(day, end, tzinfo=zone)
    return wake.astimezone(dt.UTC)


def next_weekly(moment: dt.datetime, timing: LeadsFile) -> dt.datetime:
    """The next digest time (e.g. Monday 08:00 local) strictly after `moment`."""
    zone = ZoneInfo(timing.timezone)
    local = aware(moment).astimezone(zone)
    weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    ahead = (weekdays.index(timing.digest.weekday) - local.weekday()) % 7
    candidate = dt.datetime.combine(
        local.date() + dt.timedelta(days=ahead), timing.digest.time, tzinfo=zone
    )
    if candidate <= local:
        candidate += dt.timedelta(days=7)
    return candidate.astimezone(dt.UTC)
