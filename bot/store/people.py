"""Who a demand record belongs to, as SQL: the key that lets counts count people.

Searches and step visits carry the person's random pseudonym (`User.pseudonym`); leads
belong to a user. Neither key names anybody. The report, the weekly digest and /stats all
count distinct keys, so one person looking at the offer list four times counts once.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, case, cast, literal

from bot.store.models import ANONYMOUS, Lead, Search, User


def search_person() -> ColumnElement[str]:
    """Who searched: the pseudonym; a row from before pseudonyms (migration 0012) counts
    as a person of its own."""
    return case(
        (Search.person.is_not(None), Search.person),
        else_=literal("#").concat(cast(Search.id, String)),
    )


def lead_person() -> ColumnElement[str]:
    """Who made a lead (the query must join `User` on `Lead.user_id`): the user; once a
    person deleted their data their leads belong to one shared anonymous user and count
    one person each, as nobody can tell them apart any more."""
    return case(
        (User.channel == ANONYMOUS[0], literal("lead:").concat(cast(Lead.id, String))),
        else_=literal("user:").concat(cast(Lead.user_id, String)),
    )
