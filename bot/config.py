"""Settings from the environment (see README, "Konfiguration")."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/lotse.sqlite3"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
# Named in the privacy notice and the consent text; production sets PRIVACY_CONTROLLER.
DEFAULT_CONTROLLER = "die Koordinierungsstelle des Netzwerks Engagement im Delitzscher Land"


@dataclass(frozen=True)
class Settings:
    database_url: str
    content_dir: Path
    knowledge_dir: Path
    bot_token: str | None
    telegram_api_url: str
    webhook_url: str | None
    webhook_path: str
    webhook_host: str
    webhook_port: int
    webhook_secret: str | None
    bot_username: str | None
    coordinator_ids: frozenset[int]
    privacy_controller: str
    telegram_rate: float  # messages per second overall (Telegram allows about 30)
    faq_max_age_days: int
    # Freinet offer list for `lotse offers sync-freinet` and the nightly sync in `lotse run`.
    freinet_url: str | None = None
    freinet_agency_id: str | None = None
    freinet_portal_id: str | None = None
    freinet_key: str | None = field(default=None, repr=False)  # never in logs

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
            webhook_path=env.get("WEBHOOK_PATH") or "/telegram",
            webhook_host=env.get("WEBHOOK_HOST") or "0.0.0.0",
            webhook_port=int(env.get("WEBHOOK_PORT") or 8080),
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            bot_username=(env.get("BOT_USERNAME") or "").lstrip("@") or None,
            coordinator_ids=_ids(env.get("COORDINATOR_IDS", "")),
            privacy_controller=env.get("PRIVACY_CONTROLLER") or DEFAULT_CONTROLLER,
            telegram_rate=float(env.get("TELEGRAM_RATE") or 30),
            faq_max_age_days=int(env.get("FAQ_MAX_AGE_DAYS") or 365),
            freinet_url=env.get("FREINET_URL") or None,
            freinet_agency_id=env.get("FREINET_AGENCY_ID") or None,
            freinet_portal_id=env.get("FREINET_PORTAL_ID") or None,
            freinet_key=env.get("FREINET_KEY") or None,
        )

    def secret_token(self) -> str:
        """Webhook secret: configured, or derived from the token so all processes agree."""
        if self.webhook_secret:
            return self.webhook_secret
        return hashlib.sha256(f"webhook:{self.bot_token}".encode()).hexdigest()[:48]


def _ids(text: str) -> frozenset[int]:
    """Telegram user ids of coordinators, comma- or space-separated."""
    ids = set()
    for part in text.replace(",", " ").split():
        if not part.lstrip("-").isdigit():
            raise ValueError(f"COORDINATOR_IDS: '{part}' ist keine Telegram-Nutzer-ID (Zahl)")
        ids.add(int(part))
    return frozenset(ids)
