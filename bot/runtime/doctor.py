"""`lotse doctor`: is this installation ready for `lotse run`? One line per check.

✓ fine, ✗ must be fixed (exit code 1), ! worth a look, – not checked (and why). Every ✗
says what to do. Nothing is changed: no database file is created, no migration runs, no
webhook is set. Secrets (token, passwords, webhook secret) are never printed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.utils.token import TokenValidationError, validate_token
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import create_async_engine

from bot import clock
from bot.config import DEFAULT_CONTROLLER, ON, Settings, _ids
from bot.content.loader import load_content
from bot.content.model import Content, ContentError, summary
from bot.content.trust import example_data, listing
from bot.runtime.telegram import StartupError, make_bot
from bot.store.db import alembic_config

Status = Literal["ok", "fail", "warn", "skip"]
SYMBOLS: dict[Status, str] = {"ok": "✓", "fail": "✗", "warn": "!", "skip": "–"}
DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
TIMEOUT = 10.0  # seconds for the database and for each Telegram request
RECENT_ERROR = dt.timedelta(hours=1)  # a webhook delivery error newer than this fails
SECRET_FORM = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token
NUMBERS = {  # checked only for their form here; from_env reads them
    "WEBHOOK_PORT": "port",
    "METRICS_PORT": "port",
    "WEB_PORT": "port",
    "SMTP_PORT": "port",
    "TELEGRAM_RATE": "number",
    "FAQ_MAX_AGE_DAYS": "days",
    "FREINET_DETAILS_INTERVAL": "number",
}
NOT_CHECKED = "Datenbank, Inhalte, Telegram nicht geprüft – erst die Einstellungen beheben"
CHOICES = {"LOG_FORMAT": ("text", "json"), "SMTP_TLS": ("starttls", "ssl", "none")}
NEW_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


@dataclass(frozen=True)
class Check:
    status: Status
    text: str

    def line(self) -> str:
        return f"{SYMBOLS[self.status]} {self.text}"


def run(env: Mapping[str, str], out: Callable[[str], None] = print) -> int:
    """Print every check as it is done, then a summary; 1 if any check failed."""
    checks = asyncio.run(diagnose(env, lambda check: out(check.line())))
    failed = sum(check.status == "fail" for check in checks)
    if failed:
        out(f"{failed} Problem(e) – bitte beheben und `lotse doctor` noch einmal ausführen.")
        return 1
    out("Alles bereit für `lotse run`.")
    return 0


async def diagnose(env: Mapping[str, str], emit: Callable[[Check], None]) -> list[Check]:
    checks: list[Check] = []

    def note(found: list[Check]) -> None:
        for check in found:
            checks.append(check)
            emit(check)

    found, settings = check_settings(env)
    note(found)
    if settings is None:
        note([Check("skip", NOT_CHECKED)])
        return checks
    note(await check_database(settings.database_url))
    note(await asyncio.to_thread(check_content, settings))
    note(await check_telegram(settings))
    return checks


# ---------------------------------------------------------------------------- settings


def check_settings(env: Mapping[str, str]) -> tuple[list[Check], Settings | None]:
    """The settings one by one; the Settings themselves when they all parse."""
    database = _database_url(env)
    checks = [
        _token(env),
        *_webhook(env),
        _coordinators(env),
        _controller(env),
        *database,
        *_numbers(env),
        *_choices(env),
        *_freinet(env),
        *_whatsapp(env),
    ]
    try:
        settings = Settings.from_env(dict(env))
    except ValueError as exc:  # the first problem from_env met; say it unless said above
        reason = str(exc)
        named = re.match(r"([A-Z][A-Z0-9_]*): ", reason)
        failed = [check.text for check in checks if check.status == "fail"]
        if not (any(t.startswith(named.group(1)) for t in failed) if named else failed):
            checks.append(Check("fail", reason))
        return checks, None
    checks.append(_observability(settings))
    checks.append(_operator(settings))
    return checks, None if database else settings


def _token(env: Mapping[str, str]) -> Check:
    token = env.get("BOT_TOKEN") or ""
    if not token:
        return Check("fail", "BOT_TOKEN fehlt – das Token von @BotFather als BOT_TOKEN eintragen")
    try:
        validate_token(token)
    except TokenValidationError:
        return Check(
            "fail",
            "BOT_TOKEN hat nicht die Form 123456789:ABC… – bei @BotFather "
            "(/mybots → API Token) nachsehen",
        )
    return Check("ok", "BOT_TOKEN hat die richtige Form")


def _webhook(env: Mapping[str, str]) -> list[Check]:
    url = env.get("WEBHOOK_URL") or ""
    path = env.get("WEBHOOK_PATH") or "/telegram"
    checks = []
    if not path.startswith("/"):
        checks.append(
            Check("fail", f"WEBHOOK_PATH muss mit / beginnen, z. B. /telegram (ist {path})")
        )
    if not url:
        return [*checks, Check("ok", "Betriebsart: Long Polling (WEBHOOK_URL nicht gesetzt)")]
    if not re.fullmatch(r"https://[^/\s?#]+(/\S*)?", url):
        return [
            *checks,
            Check(
                "fail",
                f"WEBHOOK_URL muss mit https:// und einem Namen beginnen (ist {url}) – Telegram "
                "liefert nur über HTTPS; TLS macht der Reverse Proxy (docs/deploy.md)",
            ),
        ]
    if url.rstrip("/").endswith(path.rstrip("/")):
        checks.append(
            Check(
                "warn",
                f"WEBHOOK_URL endet schon auf {path} – nur die Adresse angeben; der Pfad "
                "kommt aus WEBHOOK_PATH",
            )
        )
    checks.append(Check("ok", f"Betriebsart: Webhook {url.rstrip('/')}{path}"))
    return [*checks, _secret(env)]


def _secret(env: Mapping[str, str]) -> Check:
    secret = env.get("WEBHOOK_SECRET") or ""
    if not secret:
        return Check(
            "fail",
            "WEBHOOK_SECRET fehlt – ein eigenes Geheimnis setzen (sonst aus dem Token "
            f"abgeleitet), z. B. eines von: {NEW_SECRET}",
        )
    if not SECRET_FORM.fullmatch(secret):
        return Check(
            "fail",
            "WEBHOOK_SECRET darf nur A–Z, a–z, 0–9, _ und - enthalten, 1 bis 256 Zeichen "
            f"(Vorgabe von Telegram) – neu erzeugen: {NEW_SECRET}",
        )
    return Check("ok", "WEBHOOK_SECRET gesetzt")


def _coordinators(env: Mapping[str, str]) -> Check:
    try:
        ids = _ids(env.get("COORDINATOR_IDS", ""))
    except ValueError as exc:
        return Check(
            "fail", f"{exc} – nur Zahlen, durch Komma getrennt (die eigene zeigt @userinfobot)"
        )
    if not ids:
        return Check(
            "warn",
            "COORDINATOR_IDS leer – Anfragen ohne Lotse, /stats und Meldungen zu fehlerhaften "
            "Inhalten erreichen niemanden",
        )
    return Check("ok", f"COORDINATOR_IDS: {len(ids)} Koordinator(en)")


def _controller(env: Mapping[str, str]) -> Check:
    if not (env.get("PRIVACY_CONTROLLER") or "").strip():
        return Check(
            "fail",
            "PRIVACY_CONTROLLER fehlt – Einwilligung und /datenschutz nennen sonst nur "
            f"„{DEFAULT_CONTROLLER}“; Name und Anschrift der verantwortlichen Stelle eintragen",
        )
    return Check("ok", "PRIVACY_CONTROLLER gesetzt")


def _database_url(env: Mapping[str, str]) -> list[Check]:
    raw = env.get("DATABASE_URL") or ""
    if not raw:
        return []
    try:
        url = make_url(raw)
    except ArgumentError:
        return [Check("fail", "DATABASE_URL ist keine Datenbank-URL – Beispiele in .env.example")]
    if url.drivername not in DRIVERS:
        return [
            Check(
                "fail",
                f"DATABASE_URL: Treiber '{url.drivername}' – sqlite+aiosqlite:///… oder "
                "postgresql+asyncpg://… verwenden",
            )
        ]
    return []


def _numbers(env: Mapping[str, str]) -> list[Check]:
    checks = []
    for name, kind in NUMBERS.items():
        value = (env.get(name) or "").strip()
        if not value:
            continue
        try:
            number = float(value) if kind == "number" else int(value)
        except ValueError:
            number = None
        valid = number is not None and (
            0 < number < 65536 if kind == "port" else number > 0  # type: ignore[operator]
        )
        if not valid:
            expected = {"port": "eine Portnummer 1–65535", "number": "eine Zahl > 0"}.get(
                kind, "eine ganze Zahl > 0"
            )
            checks.append(Check("fail", f"{name}: '{value}' – erwartet wird {expected}"))
    return checks


def _choices(env: Mapping[str, str]) -> list[Check]:
    checks = []
    for name, allowed in CHOICES.items():
        value = (env.get(name) or "").strip().lower()
        if value and value not in allowed:
            checks.append(Check("fail", f"{name}: '{value}' – erlaubt: {', '.join(allowed)}"))
    return checks


def _freinet(env: Mapping[str, str]) -> list[Check]:
    if not env.get("FREINET_URL"):
        return []
    missing = [name for name in ("FREINET_KEY",) if not env.get(name)]
    if not (env.get("FREINET_AGENCY_ID") or env.get("FREINET_PORTAL_ID")):
        missing.append("FREINET_AGENCY_ID oder FREINET_PORTAL_ID")
    if missing:
        return [
            Check(
                "fail",
                f"FREINET_URL gesetzt, aber {', '.join(missing)} fehlt – von Freinet erfragen "
                "oder FREINET_URL leeren",
            )
        ]
    details = (env.get("FREINET_DETAILS") or "").strip().lower() in ON
    how = "; Bereiche über die Detailabfrage" if details else ""
    return [Check("ok", f"Freinet-Abgleich eingerichtet (nachts um 03:00{how})")]


def _whatsapp(env: Mapping[str, str]) -> list[Check]:
    """WHATSAPP_TOKEN switches /whatsapp on; without the others it cannot work."""
    if not env.get("WHATSAPP_TOKEN"):
        return []
    needed = ("WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN")
    missing = [name for name in needed if not env.get(name)]
    if missing:
        return [
            Check(
                "fail",
                f"WHATSAPP_TOKEN gesetzt, aber {', '.join(missing)} fehlt – ohne sie nimmt "
                "/whatsapp nichts an (docs/betrieb.md, „WhatsApp“)",
            )
        ]
    return [Check("ok", "WhatsApp eingerichtet: Webhook /whatsapp, Vorlagen in whatsapp.yaml")]


def _operator(settings: Settings) -> Check:
    """A web chat others can reach must say who runs it (Impressum, privacy page)."""
    host = urlsplit(settings.web_public_url).hostname or ""
    local = host in {"127.0.0.1", "localhost", "::1"}
    missing = [
        name
        for name, value in (
            ("OPERATOR_NAME", settings.operator_name),
            ("OPERATOR_CONTACT", settings.operator_contact),
            ("IMPRINT_URL", settings.imprint_url),
        )
        if not value
    ]
    if local or not missing:
        return Check("ok", "Betreiber: " + (settings.operator_name or "nur lokal, nicht nötig"))
    return Check(
        "warn",
        f"Web-Chat öffentlich ({settings.web_public_url}), aber {', '.join(missing)} fehlt – "
        "die Seite muss sagen, wer sie betreibt (Impressum); siehe .env.example",
    )


def _observability(settings: Settings) -> Check:
    logs = settings.log_format or "automatisch (Terminal: text, sonst json)"
    if settings.webhook_url:
        port = settings.metrics_port or settings.webhook_port
        return Check("ok", f"/health und /metrics auf Port {port}; Protokoll: {logs}")
    if settings.metrics_port is None:
        return Check(
            "warn",
            f"/health und /metrics aus (Long Polling ohne METRICS_PORT) – für Docker, "
            f"Überwachung und Load Balancer METRICS_PORT setzen; Protokoll: {logs}",
        )
    return Check("ok", f"/health und /metrics auf Port {settings.metrics_port}; Protokoll: {logs}")


# ---------------------------------------------------------------------------- database


def _where(url: URL) -> str:
    """The database without its password: 'SQLite data/x.sqlite3', 'PostgreSQL host:5432/db'."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database}"
    return f"PostgreSQL {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


async def check_database(raw: str) -> list[Check]:
    """Reachable, and the schema at the newest migration (read only, nothing upgraded)."""
    url = make_url(raw)
    where = _where(url)
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database not in (None, "", ":memory:") and not Path(url.database).exists():
        return [
            Check("warn", f"Datenbank {where} gibt es noch nicht – `lotse run` legt sie an"),
            _schema(set()),
        ]
    connect_args = {} if sqlite else {"timeout": TIMEOUT}
    engine = create_async_engine(url, connect_args=connect_args)
    try:
        async with asyncio.timeout(TIMEOUT), engine.connect() as connection:
            await connection.execute(text("select 1"))
            current = await connection.run_sync(
                lambda sync: set(MigrationContext.configure(sync).get_current_heads())
            )
    except Exception as exc:
        hint = (
            "Datei und Rechte prüfen"
            if sqlite
            else "läuft PostgreSQL? Host, Port, Benutzer und Passwort in DATABASE_URL prüfen"
        )
        return [Check("fail", f"Datenbank {where} nicht erreichbar ({_reason(exc)}) – {hint}")]
    finally:
        await engine.dispose()
    return [Check("ok", f"Datenbank {where} erreichbar"), _schema(current)]


def _schema(current: set[str]) -> Check:
    script = ScriptDirectory.from_config(alembic_config())
    heads = set(script.get_heads())
    if current == heads:
        return Check("ok", f"Datenbankschema aktuell (Migration {', '.join(sorted(heads))})")
    if not current:
        return Check("fail", "Datenbank hat noch kein Schema – `lotse run` legt es beim Start an")
    unknown = [revision for revision in current if not _known(script, revision)]
    if unknown:
        return Check(
            "fail",
            f"Datenbankschema {', '.join(sorted(unknown))} ist neuer als dieses Programm "
            "(erwartet: " + ", ".join(sorted(heads)) + ") – die neuere Version einsetzen; "
            "nie mit älterem Code auf eine neuere Datenbank (docs/deploy.md)",
        )
    missing = len(list(script.iterate_revisions(tuple(heads), tuple(current))))
    return Check(
        "fail",
        f"Datenbankschema auf {', '.join(sorted(current))}, dieses Programm erwartet "
        f"{', '.join(sorted(heads))} ({missing} Migration(en) offen) – `lotse run` migriert "
        "beim Start; vorher sichern (docs/deploy.md)",
    )


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _reason(exc: BaseException, secret: str | None = None) -> str:
    """Type and first line of an error, without a secret that might be in it."""
    if isinstance(exc, TimeoutError):
        return f"keine Antwort nach {TIMEOUT:.0f} s"
    first = (str(exc).strip().splitlines() or [""])[0][:160]
    if secret:
        first = first.replace(secret, "…")
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


# ---------------------------------------------------------------------------- content


def check_content(settings: Settings) -> list[Check]:
    """The content loads; then the example data still in use (an error in production)."""
    try:
        content = load_content(
            settings.content_dir, settings.knowledge_dir, faq_max_age_days=settings.faq_max_age_days
        )
    except ContentError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        first = f", zuerst: {errors[0]}" if errors else ""
        return [
            Check(
                "fail", f"Inhalte fehlerhaft: {len(errors)} Fehler{first} – alle mit `lotse check`"
            )
        ]
    warnings = f"; {len(content.warnings)} Warnung(en), siehe `lotse check`"
    loaded = Check(
        "ok", f"Inhalte gültig: {summary(content)}" + (warnings if content.warnings else "")
    )
    return [loaded, *_example_data(content, settings), _poster_phones(content, settings)]


def _poster_phones(content: Content, settings: Settings) -> Check:
    """Posters name a number for people without a smartphone: a Lotse's (only with their
    `poster_phone`) or the network's (NETWORK_PHONE); without either they name none."""
    willing = sum(1 for lotse in content.lotsen if lotse.poster_phone)
    if settings.network_phone:
        return Check(
            "ok", f"Plakate: Telefon des Netzwerks gesetzt, {willing} Lotse(n) mit eigener"
        )
    if willing:
        return Check("ok", f"Plakate: {willing} Lotse(n) mit Telefonnummer (poster_phone)")
    return Check(
        "warn",
        "Plakate ohne Telefonnummer: NETWORK_PHONE setzen oder poster_phone in lotsen.yaml "
        "(für Menschen ohne Smartphone)",
    )


def _example_data(content: Content, settings: Settings) -> list[Check]:
    examples = example_data(content)
    if not examples:
        return [Check("ok", "keine Beispieldaten (example: true) im Einsatz")]
    status: Status = "fail" if settings.production else "warn"
    where = (
        "DEPLOYMENT=production – durch echte ersetzen oder löschen"
        if settings.production
        else "vor dem echten Betrieb durch echte ersetzen"
    )
    lines = "".join(f"\n    {line}" for line in listing(examples))  # one check, one line per kind
    return [Check(status, f"Beispieldaten im Einsatz ({examples.counts()}) – {where}:{lines}")]


# ---------------------------------------------------------------------------- Telegram


async def check_telegram(settings: Settings) -> list[Check]:
    if not settings.bot_token:
        return [Check("skip", "Telegram nicht gefragt (getMe) – BOT_TOKEN ist nicht gesetzt")]
    try:
        bot = make_bot(settings)
    except StartupError:
        return [Check("skip", "Telegram nicht gefragt (getMe) – BOT_TOKEN hat nicht die Form")]
    try:
        me = await bot.get_me(request_timeout=int(TIMEOUT))
    except (TelegramUnauthorizedError, TelegramNotFound):
        await bot.session.close()
        return [
            Check(
                "fail", "Telegram lehnt BOT_TOKEN ab – bei @BotFather prüfen (/mybots → API Token)"
            )
        ]
    except (TelegramAPIError, TelegramNetworkError) as exc:
        await bot.session.close()
        return [
            Check(
                "fail",
                f"Telegram unter {settings.telegram_api_url} nicht erreichbar "
                f"({_reason(exc, settings.bot_token)}) – Netz, Firewall, Proxy und "
                "TELEGRAM_API_URL prüfen",
            )
        ]
    checks = [Check("ok", f"Token gültig: @{me.username} (getMe)")]
    try:
        checks.append(await _webhook_info(bot, settings))
    finally:
        await bot.session.close()
    return checks


async def _webhook_info(bot: Bot, settings: Settings) -> Check:
    try:
        info = await bot.get_webhook_info(request_timeout=int(TIMEOUT))
    except (TelegramAPIError, TelegramNetworkError) as exc:
        return Check("fail", f"getWebhookInfo fehlgeschlagen ({_reason(exc, settings.bot_token)})")
    if not settings.webhook_url:
        if info.url:
            return Check(
                "warn",
                f"Telegram liefert an den Webhook {info.url} – `lotse run` (Long Polling) "
                "trägt ihn beim Start aus; läuft dort noch eine andere Installation?",
            )
        return Check("ok", "kein Webhook eingetragen (richtig für Long Polling)")
    expected = settings.webhook_url.rstrip("/") + settings.webhook_path
    waiting = f"{info.pending_update_count} Update(s) warten"
    if not info.url:
        return Check(
            "warn", f"Webhook noch nicht eingetragen – `lotse run` trägt {expected} beim Start ein"
        )
    if info.url != expected:
        return Check(
            "warn",
            f"Telegram liefert an {info.url}, eingestellt ist {expected} – `lotse run` stellt "
            "beim Start um",
        )
    if info.last_error_date is not None:
        age = clock.now() - _utc(info.last_error_date)
        error = f"„{info.last_error_message}“ vor {_duration(age)}"
        if age < RECENT_ERROR:
            return Check(
                "fail",
                f"Telegram kann den Webhook nicht erreichen: {error}; {waiting} – Reverse "
                "Proxy, TLS-Zertifikat, Port und WEBHOOK_SECRET prüfen (docs/deploy.md)",
            )
        return Check("ok", f"Webhook eingetragen: {info.url}, {waiting}; letzter Fehler {error}")
    return Check("ok", f"Webhook eingetragen: {info.url}, {waiting}")


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _duration(age: dt.timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
