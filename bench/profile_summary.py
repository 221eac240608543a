"""Where a profiled bot spends its CPU: own time (cProfile `tottime`) summed per library.

A rough split (profiling slows Python code more than C code), but enough to say which layer
a faster bot would have to change. With SQLite, the database thread's CPU shows up under
whatever the main thread did meanwhile, mostly the event loop's wait (epoll).
"""

from __future__ import annotations

import pstats
from collections import Counter

# (group, markers in the file path or function name); the first match wins.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bot code (dialogue, matching, adapter)", ("/bot/",)),
    ("aiogram (dispatcher, types, client)", ("/aiogram/",)),
    ("pydantic (Telegram types)", ("/pydantic", "pydantic_core")),
    ("SQLAlchemy (ORM, SQL)", ("/sqlalchemy/",)),
    ("database driver", ("/aiosqlite/", "/asyncpg/", "sqlite3", "greenlet", "SimpleQueue")),
    ("HTTP (aiohttp, yarl, multidict)", ("/aiohttp/", "/yarl/", "/multidict/", "_http_")),
    ("logging", ("/logging/",)),
    ("event loop wait (epoll)", ("select.epoll",)),
    ("other libraries", ("site-packages",)),
    ("asyncio and other stdlib", ("/lib/python3", "<frozen")),
)
OTHER = "other built-in functions"


def group_of(filename: str, function: str) -> str:
    where = f"{filename} {function}"
    for group, markers in GROUPS:
        if any(marker in where for marker in markers):
            return group
    return OTHER


def by_group(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Seconds of own time per group, largest first."""
    totals: Counter[str] = Counter()
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        own_time = row[2]
        totals[group_of(filename, function)] += own_time
    return totals.most_common()


def summary_lines(stats: pstats.Stats, updates: int) -> list[str]:
    groups = by_group(stats)
    total = sum(seconds for _, seconds in groups) or 1.0
    lines = [f"  {'where':<42} {'share':>6} {'ms/update':>10}"]
    for group, seconds in groups:
        per_update = seconds / updates * 1000 if updates else float("nan")
        lines.append(f"  {group:<42} {seconds / total:>6.0%} {per_update:>10.2f}")
    return lines
