"""Numbers that come from outside (a URL, a button's data) parsed strictly and bounded.

`str.isdigit` and `int` accept more than ASCII digits ("²", Arabic-Indic "١٢"), `int`
refuses more than 4,300 digits with an error, and a number beyond a database integer
makes the query fail: each would end as a 500 or a traceback. Ids here are what the
database's integer keys can hold.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1  # integer primary keys on SQLite and PostgreSQL
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(text: str, maximum: int = MAX_ID) -> int | None:
    """A plain decimal 0…maximum (ASCII digits only, no sign or space), else None."""
    if not 0 < len(text) <= _MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= maximum else None
