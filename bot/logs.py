"""Logging without personal data, as readable lines or as JSON (one object per line).

Our own log lines carry no message texts, names, contacts or usernames. Libraries that
would log SQL parameters (and with them personal data) are kept at WARNING. Exceptions are
written by type and code location only, never with their message: a database error repeats
the parameters it was given, and those may be what a person typed.

`LOG_FORMAT=text` gives `time LEVEL logger: message` lines for a terminal; `LOG_FORMAT=json`
one JSON object per line (time, level, logger, message and any `extra=` fields) for a log
collector. Without LOG_FORMAT: text when standard error is a terminal, JSON otherwise
(a container, a systemd unit, a file).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import traceback
from typing import Any, TextIO

# Libraries that would log per statement or per update (aiogram.event: "Update id=… is
# handled" for every update – a cost per update, and /metrics counts them anyway).
QUIET = (
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "aiosqlite",
    "asyncpg",
    "apscheduler",
    "aiogram.event",
)
FORMATS = ("text", "json")
TRACE_FRAMES = 6  # the innermost frames say where it went wrong; more is noise
# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
_handler: logging.Handler | None = None  # ours, replaced on every configure()


def configure(
    level: int = logging.INFO, log_format: str | None = None, stream: TextIO | None = None
) -> None:
    """Log to standard error at `level`, as `log_format` ('text', 'json', None: automatic)."""
    global _handler
    stream = stream or sys.stderr
    chosen = log_format or ("text" if _is_terminal(stream) else "json")
    if chosen not in FORMATS:
        raise ValueError(f"LOG_FORMAT: '{chosen}' – erlaubt sind text oder json")
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = logging.StreamHandler(stream)
    _handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    root.addHandler(_handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def failure(log: logging.Logger, what: str, exc: BaseException) -> None:
    """Log an exception by type and code location only: its message may hold user data
    (a database error repeats the parameters it was given)."""
    log.error("%s: %s", what, type(exc).__name__, extra={"trace": _frames(exc.__traceback__)})


def _frames(tb: Any) -> str:
    return "".join(traceback.format_tb(tb)[-TRACE_FRAMES:])


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD and not key.startswith("_")
    }


def _exception(record: logging.LogRecord) -> dict[str, str]:
    """A library's `log.exception(...)`: type and frames, without the message."""
    if not record.exc_info or record.exc_info[0] is None:
        return {}
    kind, _value, tb = record.exc_info
    return {"error": kind.__name__, "trace": _frames(tb)}


class TextFormatter(logging.Formatter):
    """`2026-11-25 18:00:00,123 INFO bot.runtime.telegram: message key=value`, trace below."""

    def format(self, record: logging.LogRecord) -> str:
        # Built by hand, not by logging.Formatter.format: that would append a traceback
        # another handler may have cached on the record, message included.
        line = f"{self.formatTime(record)} {record.levelname} {record.name}: {record.getMessage()}"
        fields = {**_extras(record), **_exception(record)}
        trace = fields.pop("trace", None)
        if fields:
            line += " " + " ".join(f"{key}={value}" for key, value in fields.items())
        if trace:
            line += "\n" + str(trace).rstrip("\n")
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_extras(record))
        entry.update(_exception(record))
        return json.dumps(entry, ensure_ascii=False, default=str)
