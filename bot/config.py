"""Settings from the environment (see README, "Konfiguration")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/lotse.sqlite3"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"


@dataclass(frozen=True)
class Settings:
    database_url: str
    content_dir: Path
    knowledge_dir: Path
    bot_token: str | None
    telegram_api_url: str
    webhook_url: str | None
    faq_max_age_days: int

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            content_dir=Path(env.get("CONTENT_DIR") or "content"),
            knowledge_dir=Path(env.get("KNOWLEDGE_DIR") or "knowledge"),
            bot_token=env.get("BOT_TOKEN") or None,
            telegram_api_url=env.get("TELEGRAM_API_URL") or DEFAULT_TELEGRAM_API_URL,
            webhook_url=env.get("WEBHOOK_URL") or None,
            faq_max_age_days=int(env.get("FAQ_MAX_AGE_DAYS") or 365),
        )
