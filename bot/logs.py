"""Logging without personal data.

Our own log lines carry no message texts, names, contacts or usernames. Libraries that
would log SQL parameters (and with them personal data) are kept at WARNING.
"""

from __future__ import annotations

import logging
import traceback

QUIET = ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg", "apscheduler")


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


def failure(log: logging.Logger, what: str, exc: BaseException) -> None:
    """Log an exception by type and code location only: its message may hold user data
    (a database error repeats the parameters it was given)."""
    frames = "".join(traceback.format_tb(exc.__traceback__)[-6:])
    log.error("%s: %s\n%s", what, type(exc).__name__, frames)
