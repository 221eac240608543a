"""Settings from the environment (see docs/usage.md, "Configuration")."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/lotse.sqlite3"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
DEFAULT_WEB_PUBLIC_URL = "http://127.0.0.1:8080"
# Meta's Graph API, the version current in late 2026 (a version lives about two years).
DEFAULT_WHATSAPP_API_URL = "https://graph.facebook.com/v26.0"
# Named in the privacy notice and the consent text; production sets PRIVACY_CONTROLLER.
DEFAULT_CONTROLLER = "die Koordinierungsstelle des Netzwerks Engagement im Delitzscher Land"


@dataclass(frozen=True)
class Operator:
    """Who runs this installation (OPERATOR_*, IMPRINT_URL, PRIVACY_URL): named at the foot
    of the web page and in /datenschutz, as a public body's service must be. All optional."""

    name: str | None = None
    address: str | None = None
    contact: str | None = None  # e-mail or phone, as it should be shown
    imprint_url: str | None = None
    privacy_url: str | None = None

    @property
    def configured(self) -> bool:
        return any((self.name, self.address, self.contact, self.imprint_url, self.privacy_url))


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
    # DEPLOYMENT=production: example data (`example: true`) is then an error for `lotse check`
    # and `lotse doctor`; anything else (the default "demo") only names it.
    deployment: str = "demo"
    # Freinet offer list for `lotse offers sync-freinet` and the nightly sync in `lotse run`.
    freinet_url: str | None = None
    freinet_agency_id: str | None = None
    freinet_portal_id: str | None = None
    freinet_key: str | None = field(default=None, repr=False)  # never in logs
    # The detail endpoint's areas for offers the list sends without (FREINET_DETAILS=1), one
    # request per FREINET_DETAILS_INTERVAL seconds, only for offers changed since last time.
    freinet_details: bool = False
    freinet_details_interval: float = 1.0
    # The web chat (`lotse web`, and mounted on the webhook server).
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    web_public_url: str = DEFAULT_WEB_PUBLIC_URL  # for links (e-mails) and the cookie's Secure
    web_allowed_origins: frozenset[str] = frozenset()  # other origins allowed to post/embed
    web_trust_proxy: bool = False  # take the client address from X-Forwarded-For
    # E-mail to web citizens who gave an address; off unless SMTP_HOST is set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)  # never in logs
    smtp_from: str | None = None
    smtp_tls: str = "starttls"  # starttls | ssl | none
    # Observability (docs/deploy.md): log format (None: text on a terminal, else JSON) and the
    # port of /health and /metrics in polling mode (None: off; webhook mode serves them anyway).
    log_format: str | None = None
    # /metrics listens on this machine only unless METRICS_HOST says otherwise; with
    # METRICS_TOKEN set it answers only `Authorization: Bearer <token>` (/health stays open).
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = None
    metrics_token: str | None = field(default=None, repr=False)  # never in logs
    # Speed tricks, each on by default and switchable off (docs/deploy.md, "Schalter"):
    # aiogram's types built on first use (bot/telegram/fast_aiogram.py), SQLite statements
    # in the event loop (bot/store/inline_sqlite.py), the long-lived heap frozen out of the
    # collector (bot/runtime/heap.py).
    fast_aiogram: bool = True
    sqlite_inline: bool = True
    gc_freeze: bool = True
    # Who runs the service (see `Operator`); optional, but a public web chat needs them.
    operator_name: str | None = None
    operator_address: str | None = None
    operator_contact: str | None = None
    imprint_url: str | None = None
    privacy_url: str | None = None
    # WhatsApp (Meta's Cloud API, bot/whatsapp): on when WHATSAPP_TOKEN is set.
    whatsapp_token: str | None = field(default=None, repr=False)  # never in logs
    whatsapp_phone_number_id: str | None = None  # the sending number's id at Meta
    whatsapp_app_secret: str | None = field(default=None, repr=False)  # signs the webhook
    whatsapp_verify_token: str | None = field(default=None, repr=False)  # webhook set-up
    whatsapp_api_url: str = DEFAULT_WHATSAPP_API_URL
    whatsapp_number: str | None = None  # the public number (digits), for wa.me links

    @property
    def production(self) -> bool:
        return self.deployment == "production"

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
            deployment=(env.get("DEPLOYMENT") or "demo").strip().lower(),
            freinet_url=env.get("FREINET_URL") or None,
            freinet_agency_id=env.get("FREINET_AGENCY_ID") or None,
            freinet_portal_id=env.get("FREINET_PORTAL_ID") or None,
            freinet_key=env.get("FREINET_KEY") or None,
            freinet_details=_switch(env, "FREINET_DETAILS", default=False),
            freinet_details_interval=_seconds(env, "FREINET_DETAILS_INTERVAL", 1.0),
            web_host=env.get("WEB_HOST") or "127.0.0.1",
            web_port=_port(env, "WEB_PORT") or 8080,
            web_public_url=(env.get("WEB_PUBLIC_URL") or DEFAULT_WEB_PUBLIC_URL).rstrip("/"),
            web_allowed_origins=frozenset(
                o.rstrip("/") for o in env.get("WEB_ALLOWED_ORIGINS", "").replace(",", " ").split()
            ),
            web_trust_proxy=(env.get("WEB_TRUST_PROXY") or "").lower() in ("1", "true", "yes"),
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=_port(env, "SMTP_PORT") or 587,
            smtp_user=env.get("SMTP_USER") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_from=env.get("SMTP_FROM") or None,
            smtp_tls=_choice(env, "SMTP_TLS", ("starttls", "ssl", "none")) or "starttls",
            log_format=_choice(env, "LOG_FORMAT", ("text", "json")),
            metrics_host=env.get("METRICS_HOST") or "127.0.0.1",
            metrics_port=_port(env, "METRICS_PORT"),
            metrics_token=env.get("METRICS_TOKEN") or None,
            fast_aiogram=_switch(env, "FAST_AIOGRAM"),
            sqlite_inline=_switch(env, "SQLITE_INLINE"),
            gc_freeze=_switch(env, "GC_FREEZE"),
            operator_name=(env.get("OPERATOR_NAME") or "").strip() or None,
            operator_address=(env.get("OPERATOR_ADDRESS") or "").strip() or None,
            operator_contact=(env.get("OPERATOR_CONTACT") or "").strip() or None,
            imprint_url=_web_address(env, "IMPRINT_URL"),
            privacy_url=_web_address(env, "PRIVACY_URL"),
            whatsapp_token=env.get("WHATSAPP_TOKEN") or None,
            whatsapp_phone_number_id=(env.get("WHATSAPP_PHONE_NUMBER_ID") or "").strip() or None,
            whatsapp_app_secret=env.get("WHATSAPP_APP_SECRET") or None,
            whatsapp_verify_token=env.get("WHATSAPP_VERIFY_TOKEN") or None,
            whatsapp_api_url=(env.get("WHATSAPP_API_URL") or DEFAULT_WHATSAPP_API_URL).rstrip("/"),
            whatsapp_number=_phone(env, "WHATSAPP_NUMBER"),
        )

    @property
    def operator(self) -> Operator:
        return Operator(
            self.operator_name,
            self.operator_address,
            self.operator_contact,
            self.imprint_url,
            self.privacy_url,
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


def _choice(env: dict[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    value = (env.get(name) or "").strip().lower()
    if value and value not in allowed:
        raise ValueError(f"{name}: '{value}' – erlaubt: {', '.join(allowed)}")
    return value or None


ON = ("1", "true", "yes", "on")
OFF = ("0", "false", "no", "off")


def _switch(env: dict[str, str], name: str, default: bool = True) -> bool:
    """On/off; a typo is an error rather than silently the default."""
    value = (env.get(name) or "").strip().lower()
    if not value:
        return default
    if value not in ON + OFF:
        raise ValueError(f"{name}: '{value}' – erlaubt: 1 (an) oder 0 (aus)")
    return value in ON


def _web_address(env: dict[str, str], name: str) -> str | None:
    """An http(s) address: it becomes a link on the page, where javascript: must not."""
    value = (env.get(name) or "").strip()
    if value and not value.lower().startswith(("https://", "http://")):
        raise ValueError(f"{name}: '{value}' – bitte eine Adresse mit https:// angeben")
    return value or None


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    value = (env.get(name) or "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise ValueError(f"{name}: '{value}' – erlaubt: Sekunden über 0 bis 3600, z. B. 1.5")
    return seconds


def _phone(env: dict[str, str], name: str) -> str | None:
    """A phone number as wa.me wants it: digits with the country code, no + or spaces."""
    value = "".join(c for c in (env.get(name) or "") if c not in " +-/()")
    if value and not value.isdigit():
        raise ValueError(f"{name}: '{value}' – bitte mit Ländervorwahl, z. B. 4934201234")
    return value or None


def _port(env: dict[str, str], name: str) -> int | None:
    value = (env.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"{name}: '{value}' ist keine Portnummer (1–65535)")
    return int(value)
