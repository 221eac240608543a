"""A database as the bot opens it (fixture `any_db` in tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.db import Database


@dataclass(frozen=True)
class Backend:
    """A database as the bot opens it: the URL and the SQLITE_INLINE switch."""

    url: str
    sqlite_inline: bool = True

    def open(self) -> Database:
        return Database(self.url, sqlite_inline=self.sqlite_inline)

    def env(self) -> dict[str, str]:
        """For a `lotse` process."""
        return {"DATABASE_URL": self.url, "SQLITE_INLINE": "1" if self.sqlite_inline else "0"}

    @property
    def sqlite(self) -> bool:
        return self.url.startswith("sqlite")
