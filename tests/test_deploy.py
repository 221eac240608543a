"""Deployment: the Docker and compose files, `lotse doctor`, and several bot processes on
one database (per-person order, migrations started at once)."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import re
import shutil
import socket
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot import clock as product_clock
from bot.config import Settings
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.messages import Event, Outcome, Sender
from bot.runtime.doctor import run as run_doctor
from bot.store.db import Database, alembic_config
from bot.store.models import Conversation, HandledUpdate, StepVisit, User
from tests.fakes.telegram_api import FakeTelegram
from tests.helpers import ROOT
from tests.helpers.backend import Backend
from tests.helpers.chat import run_lotse

ENV_EXAMPLE = ROOT / ".env.example"
VARIABLE = re.compile(r"^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$")
SECRET = "s3cret-Token_42"
CONTROLLER = "Netzwerk Engagement im Delitzscher Land, Markt 1, 04509 Delitzsch"


# ---------------------------------------------------------------------------- static files


def env_example() -> dict[str, tuple[bool, str, list[str]]]:
    """name → (set without '#', value, the explanation comment lines above it)."""
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    found: dict[str, tuple[bool, str, list[str]]] = {}
    for index, line in enumerate(lines):
        match = VARIABLE.match(line)
        if not match:
            continue
        above = index - 1
        while above >= 0 and VARIABLE.match(lines[above]):  # grouped under one explanation
            above -= 1
        explanation = []
        while above >= 0 and lines[above].startswith("#") and not VARIABLE.match(lines[above]):
            explanation.insert(0, lines[above])
            above -= 1
        found[match.group(2)] = (match.group(1) is None, match.group(3), explanation)
    return found


def settings_variables() -> set[str]:
    """Every variable the settings read: each field's name, and each name in config.py."""
    fields = {field.name.upper() for field in dataclasses.fields(Settings)}
    source = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:\.get\(|, )"([A-Z][A-Z0-9_]*)"', source))
    return fields | read


def test_env_example_documents_every_setting_with_its_default() -> None:
    documented = env_example()
    missing = settings_variables() - set(documented)
    assert not missing, f"not in .env.example: {sorted(missing)}"
    for name, (_active, _value, explanation) in documented.items():
        assert explanation, f"{name}: no explanation above it"
        assert any(" / " in line for line in explanation), f"{name}: German / English wanted"
    defaults = Settings.from_env({})
    fields = {field.name for field in dataclasses.fields(Settings)}
    for name, (active, value, _) in documented.items():
        if active:
            assert value == "", f"{name}: a line to fill in must be empty in the example"
        elif value and name.lower() in fields:  # the shown default is the real one
            shown = getattr(Settings.from_env({name: value}), name.lower())
            assert shown == getattr(defaults, name.lower()), f"{name}={value} is not the default"
    # What must be filled in is active; everything else stays commented (a copied .env
    # must not override the image's defaults with empty values).
    required = {name for name, (active, _, _) in documented.items() if active}
    assert required == {"BOT_TOKEN", "PRIVACY_CONTROLLER", "COORDINATOR_IDS", "POSTGRES_PASSWORD"}


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_the_bot_with_postgres_volumes_and_the_env_file() -> None:
    services = compose()["services"]
    postgres, bot = services["postgres"], services["bot"]
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert bot["env_file"] == ".env"
    assert bot["build"] == "."
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "@postgres:5432/" in bot["environment"]["DATABASE_URL"]
    # The container port is the webhook port and the image's health check port.
    assert bot["environment"]["WEBHOOK_PORT"] == bot["environment"]["METRICS_PORT"] == "8080"
    assert any(str(port).endswith(":8080") for port in bot["ports"])
    assert bot["restart"] == "unless-stopped" == postgres["restart"]
    named = set(compose()["volumes"])
    used = {
        volume.split(":", 1)[0]
        for service in services.values()
        for volume in service.get("volumes", [])
        if not volume.startswith(".")
    }
    assert used == named == {"pgdata", "lotse-data"}
    assert any(v.startswith("./content:/app/content") for v in bot["volumes"])
    assert any(v.startswith("lotse-data:/app/data") for v in bot["volumes"])


def test_every_variable_in_compose_is_documented() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    text = text.replace("$$", "")  # $$ is a literal $ for the container's shell
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    assert {"POSTGRES_PASSWORD", "HOST_PORT"} <= used
    missing = used - set(env_example())
    assert not missing, f"compose.yaml uses undocumented variables: {sorted(missing)}"


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) with continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            instructions.append((word.upper(), rest.strip()))
    return instructions


def test_dockerfile_is_slim_non_root_with_health_check() -> None:
    instructions = dockerfile()
    stages = [args for word, args in instructions if word == "FROM"]
    assert stages and all(stage.startswith("python:3.11-slim") for stage in stages)
    final = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    last_stage = instructions[final:]
    users = [args for word, args in last_stage if word == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    assert any(
        word == "RUN" and "useradd" in args and users[-1] in args for word, args in last_stage
    )
    [health] = [args for word, args in last_stage if word == "HEALTHCHECK"]
    assert "/health" in health and "METRICS_PORT" in health
    env = " ".join(args for word, args in last_stage if word == "ENV")
    assert "METRICS_PORT=8080" in env  # so the health endpoint exists in polling mode too
    assert ("CMD", '["lotse", "run"]') in last_stage
    copied = " ".join(args for word, args in last_stage if word == "COPY")
    assert "content" in copied and "knowledge" in copied
    assert any(word == "EXPOSE" and "8080" in args for word, args in last_stage)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "data", ".env"} <= set(ignored)


def _requirement_name(requirement: str) -> str:
    """'SQLAlchemy[asyncio]>=2.0.30,<3' → 'sqlalchemy' (PEP 503 normalised)."""
    name = re.split(r"[\[<>=!~;\s]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_constraints_pin_every_dependency_for_ci_and_the_image() -> None:
    """constraints.txt holds one exact version per package (docs/testing.md); .ci/run and
    the Dockerfile install through it, and .ci/run still runs the README's test command."""
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line.strip() and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s=]+", pin) for pin in pins), pins
    pinned = {_requirement_name(pin) for pin in pins}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    missing = {_requirement_name(r) for r in wanted} - pinned
    assert not missing, f"not in constraints.txt: {sorted(missing)}"
    assert "engagement-lotse" not in pinned  # the project itself is never pinned
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme_command = (
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' && .venv/bin/pytest"
    )
    assert 'export PIP_CONSTRAINT="$PWD/constraints.txt"' in ci
    assert ci.index("PIP_CONSTRAINT") < ci.index(readme_command)
    assert readme_command in (ROOT / "README.md").read_text(encoding="utf-8")
    build = [args for word, args in dockerfile() if word in ("COPY", "RUN")]
    assert any("constraints.txt" in args for args in build if not args.startswith("--from"))
    assert any("PIP_CONSTRAINT=" in args and "pip install" in args for args in build)


def test_proxy_examples_forward_the_webhook_path_and_keep_metrics_inside() -> None:
    path = Settings.from_env({}).webhook_path
    caddy = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert f"@bot path {path} " in caddy and "respond 404" in caddy
    assert f"location = {path} {{" in nginx and "return 404;" in nginx
    for config in (caddy, nginx):
        assert "/metrics" not in config.replace("/health and /metrics stay internal", "")
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "X-Telegram-Bot-Api-Secret-Token" in guide and "pg_dump" in guide
    assert "docs/deploy.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- lotse doctor


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


def base_env(fake: FakeTelegram, database_url: str, **extra: str) -> dict[str, str]:
    """Every setting doctor looks at, explicitly (nothing leaks in from the environment)."""
    return {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(ROOT / "content"),
        "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "PRIVACY_CONTROLLER": CONTROLLER,
        "COORDINATOR_IDS": "9000",
        "WEBHOOK_URL": "",
        "WEBHOOK_SECRET": "",
        "METRICS_PORT": "8080",
        **extra,
    }


async def doctor(env: dict[str, str]) -> tuple[int, str]:
    """`lotse doctor` in a thread of its own (the fake server runs in this event loop)."""
    lines: list[str] = []
    code = await asyncio.to_thread(run_doctor, env, lines.append)
    return code, "\n".join(lines)


async def migrated(url: str, revision: str = "head") -> None:
    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    db = Database(url)
    async with db.engine.begin() as connection:
        await connection.run_sync(upgrade)
    await db.close()


async def revisions(url: str) -> set[str]:
    db = Database(url)
    async with db.engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: set(MigrationContext.configure(sync).get_current_heads())
        )
    await db.close()
    return current


def heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


async def test_doctor_says_all_is_ready_on_sqlite_and_postgres(
    fake: FakeTelegram, any_db_url: str
) -> None:
    await migrated(any_db_url)
    fake.webhook = {"url": "https://bot.example.org/telegram", "secret_token": SECRET}
    env = base_env(fake, any_db_url, WEBHOOK_URL="https://bot.example.org", WEBHOOK_SECRET=SECRET)
    code, output = await doctor(env)
    assert code == 0, output
    assert "✗" not in output
    for expected in (
        "✓ BOT_TOKEN hat die richtige Form",
        "✓ Betriebsart: Webhook https://bot.example.org/telegram",
        "✓ WEBHOOK_SECRET gesetzt",
        "✓ COORDINATOR_IDS: 1 Koordinator",
        "✓ PRIVACY_CONTROLLER gesetzt",
        "erreichbar",
        f"✓ Datenbankschema aktuell (Migration {', '.join(sorted(heads()))})",
        "✓ Inhalte gültig:",
        "✓ Token gültig: @lotse_test_bot (getMe)",
        "✓ Webhook eingetragen: https://bot.example.org/telegram, 0 Update(s) warten",
        "Alles bereit",
    ):
        assert expected in output, f"{expected!r} missing in:\n{output}"
    methods = [method for method, _ in fake.calls]
    assert "getMe" in methods and "getWebhookInfo" in methods
    assert "setWebhook" not in methods and "deleteWebhook" not in methods  # looks only
    assert fake.token not in output and SECRET not in output


async def test_doctor_warns_when_a_public_web_chat_names_no_operator(
    fake: FakeTelegram, sqlite_url: str
) -> None:
    await migrated(sqlite_url)
    public = base_env(fake, sqlite_url, WEB_PUBLIC_URL="https://lotse.example.org")
    code, output = await doctor(public)
    assert code == 0, output  # a warning, not a failure
    warning = next(line for line in output.splitlines() if "Web-Chat öffentlich" in line)
    assert warning.startswith("!") and "OPERATOR_NAME" in warning and "IMPRINT_URL" in warning
    named = {
        "OPERATOR_NAME": "Netzwerk Ehrenamt Delitzscher Land",
        "OPERATOR_CONTACT": "info@example.org",
        "IMPRINT_URL": "https://example.org/impressum",
    }
    _code, output = await doctor({**public, **named})
    assert "Web-Chat öffentlich" not in output
    assert "✓ Betreiber: Netzwerk Ehrenamt Delitzscher Land" in output
    _code, output = await doctor(base_env(fake, sqlite_url))  # only this machine: no warning
    assert "Web-Chat öffentlich" not in output


async def test_doctor_says_what_whatsapp_still_needs(fake: FakeTelegram, sqlite_url: str) -> None:
    await migrated(sqlite_url)
    half = base_env(fake, sqlite_url, WHATSAPP_TOKEN="t", WHATSAPP_APP_SECRET="s")
    code, output = await doctor(half)
    assert code == 1, output
    failed = next(line for line in output.splitlines() if "WHATSAPP_TOKEN gesetzt" in line)
    assert "WHATSAPP_PHONE_NUMBER_ID" in failed and "WHATSAPP_VERIFY_TOKEN" in failed
    assert "WHATSAPP_APP_SECRET" not in failed
    whole = {**half, "WHATSAPP_PHONE_NUMBER_ID": "1", "WHATSAPP_VERIFY_TOKEN": "v"}
    code, output = await doctor(whole)
    assert code == 0 and "✓ WhatsApp eingerichtet" in output, output


async def test_doctor_finds_a_database_without_schema_and_creates_nothing(
    fake: FakeTelegram, any_db_url: str
) -> None:
    code, output = await doctor(base_env(fake, any_db_url))
    assert code == 1
    assert "✗ Datenbank hat noch kein Schema – `lotse run` legt es beim Start an" in output
    if any_db_url.startswith("sqlite"):
        path = Path(any_db_url.split("///", 1)[1])
        assert "gibt es noch nicht" in output
        assert not path.exists()  # doctor only looks
    else:
        assert await revisions(any_db_url) == set()


async def test_doctor_finds_migrations_still_to_run_and_runs_none(
    fake: FakeTelegram, any_db_url: str
) -> None:
    await migrated(any_db_url, "0005")
    code, output = await doctor(base_env(fake, any_db_url))
    assert code == 1
    assert re.search(r"✗ Datenbankschema auf 0005, dieses Programm erwartet \S+ \(\d+ Migr", output)
    assert await revisions(any_db_url) == {"0005"}


async def test_doctor_finds_a_database_newer_than_the_program(
    fake: FakeTelegram, sqlite_url: str
) -> None:
    await migrated(sqlite_url)
    db = Database(sqlite_url)
    async with db.engine.begin() as connection:
        await connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    await db.close()
    code, output = await doctor(base_env(fake, sqlite_url))
    assert code == 1
    assert "✗ Datenbankschema 9999 ist neuer als dieses Programm" in output


async def test_doctor_cannot_reach_postgres_and_keeps_the_password(fake: FakeTelegram) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql+asyncpg://lotse:pw-geheim-77@127.0.0.1:{port}/lotse"
    code, output = await doctor(base_env(fake, url))
    assert code == 1
    assert f"✗ Datenbank PostgreSQL 127.0.0.1:{port}/lotse nicht erreichbar" in output
    assert "läuft PostgreSQL?" in output
    assert "pw-geheim-77" not in output


async def test_doctor_reports_broken_content_with_file_and_line(
    fake: FakeTelegram, sqlite_url: str, tmp_path: Path
) -> None:
    await migrated(sqlite_url)
    content_dir = tmp_path / "content"
    shutil.copytree(ROOT / "content", content_dir)
    dialog = content_dir / "dialog.yaml"
    text = dialog.read_text(encoding="utf-8")
    assert "    next: place\n" in text
    dialog.write_text(text.replace("    next: place\n", "    next: plaec\n", 1), encoding="utf-8")
    code, output = await doctor(base_env(fake, sqlite_url, CONTENT_DIR=str(content_dir)))
    assert code == 1
    assert re.search(
        r"✗ Inhalte fehlerhaft: 1 Fehler, zuerst: \S*dialog\.yaml:\d+: .*plaec", output
    )
    assert "alle mit `lotse check`" in output
    assert "✓ Token gültig" in output  # the other checks still ran


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("", ["✗ BOT_TOKEN fehlt", "– Telegram nicht gefragt (getMe) – BOT_TOKEN ist nicht"]),
        ("not-a-token", ["✗ BOT_TOKEN hat nicht die Form", "– Telegram nicht gefragt"]),
        ("123456:WRONG-token", ["✓ BOT_TOKEN hat die richtige Form", "✗ Telegram lehnt"]),
    ],
)
async def test_doctor_checks_the_token(
    fake: FakeTelegram, sqlite_url: str, token: str, expected: list[str]
) -> None:
    await migrated(sqlite_url)
    code, output = await doctor(base_env(fake, sqlite_url, BOT_TOKEN=token))
    assert code == 1
    for line in expected:
        assert line in output, output
    if token:
        assert token not in output


async def test_doctor_when_telegram_cannot_be_reached(fake: FakeTelegram, sqlite_url: str) -> None:
    await migrated(sqlite_url)
    fake.down = True  # every request: 502 Bad Gateway
    code, output = await doctor(base_env(fake, sqlite_url))
    assert code == 1
    assert f"✗ Telegram unter {fake.base_url} nicht erreichbar" in output
    assert fake.token not in output


class WebhookFailing(FakeTelegram):
    """Telegram could not deliver to the webhook two minutes ago."""

    async def _get_webhook_info(self, params: dict[str, Any], index: int) -> dict[str, Any]:
        info = await super()._get_webhook_info(params, index)
        return {
            **info,
            "pending_update_count": 17,
            "last_error_date": int(product_clock.now().timestamp()) - 120,
            "last_error_message": "Connection refused",
        }


async def test_doctor_checks_webhook_settings_and_what_telegram_says(sqlite_url: str) -> None:
    await migrated(sqlite_url)
    async with WebhookFailing() as fake:
        fake.webhook = {"url": "https://bot.example.org/telegram", "secret_token": SECRET}
        webhook = {"WEBHOOK_URL": "https://bot.example.org", "WEBHOOK_SECRET": SECRET}
        code, output = await doctor(base_env(fake, sqlite_url, **webhook))
        assert code == 1
        assert (
            "✗ Telegram kann den Webhook nicht erreichen: „Connection refused“ vor 2 min" in output
        )
        assert "17 Update(s) warten" in output

        code, output = await doctor(
            base_env(fake, sqlite_url, WEBHOOK_URL="http://bot.example.org")
        )
        assert code == 1
        assert "✗ WEBHOOK_URL muss mit https:// und einem Namen beginnen" in output

        code, output = await doctor(base_env(fake, sqlite_url, WEBHOOK_URL="https://other.example"))
        assert code == 1
        assert "✗ WEBHOOK_SECRET fehlt" in output
        assert "! Telegram liefert an https://bot.example.org/telegram, eingestellt ist" in output

        code, output = await doctor(base_env(fake, sqlite_url, WEBHOOK_SECRET="with space"))
        assert "✗" not in output  # a secret without webhook mode is not used
        code, output = await doctor(
            base_env(fake, sqlite_url, WEBHOOK_URL="https://bot.example.org", WEBHOOK_SECRET="a b")
        )
        assert "✗ WEBHOOK_SECRET darf nur A–Z, a–z, 0–9, _ und - enthalten" in output


async def test_doctor_in_polling_mode_warns_of_a_webhook_still_set(
    fake: FakeTelegram, sqlite_url: str
) -> None:
    await migrated(sqlite_url)
    fake.webhook = {"url": "https://old.example.org/telegram", "secret_token": None}
    code, output = await doctor(base_env(fake, sqlite_url, METRICS_PORT=""))
    assert code == 0, output  # warnings do not fail
    assert "! Telegram liefert an den Webhook https://old.example.org/telegram" in output
    assert "! /health und /metrics aus (Long Polling ohne METRICS_PORT)" in output


@pytest.mark.slow
async def test_lotse_doctor_command_line(fake: FakeTelegram, sqlite_url: str) -> None:
    """The real command: exit codes, and broken settings as lines, not a traceback."""
    await migrated(sqlite_url)
    database = Path(sqlite_url.split("///", 1)[1])
    good = base_env(fake, sqlite_url)
    result = await asyncio.to_thread(run_lotse, "doctor", db=database, env=good)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ Token gültig: @lotse_test_bot" in result.stdout

    broken = {**good, "METRICS_PORT": "acht", "COORDINATOR_IDS": "9000,anna", "LOG_FORMAT": "xml"}
    result = await asyncio.to_thread(run_lotse, "doctor", db=database, env=broken)
    assert result.returncode == 1
    assert "✗ METRICS_PORT: 'acht' – erwartet wird eine Portnummer 1–65535" in result.stdout
    assert "✗ COORDINATOR_IDS: 'anna' ist keine Telegram-Nutzer-ID" in result.stdout
    assert "✗ LOG_FORMAT: 'xml' – erlaubt: text, json" in result.stdout
    assert "– Datenbank, Inhalte, Telegram nicht geprüft" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr

    # Other commands stop with one line pointing to doctor (exit 2, as for a bad token).
    result = await asyncio.to_thread(run_lotse, "check", db=database, env=broken)
    assert result.returncode == 2
    assert "lotse doctor" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------- several processes


def texts(outcome: Outcome) -> str:
    return "\n".join(message.text for message in outcome.replies)


@pytest.fixture
async def two_processes(any_db: Backend) -> AsyncIterator[tuple[Database, Database]]:
    """On PostgreSQL two Database objects, like two bot processes (own pools, own locks).
    SQLite serves one process: there both engines share it (e.g. Telegram and web chat),
    on the in-loop driver's one connection or on aiosqlite's pool (SQLITE_INLINE=0)."""
    first = any_db.open()
    await first.migrate()
    second = first if any_db.sqlite else any_db.open()
    yield first, second
    await first.close()
    if second is not first:
        await second.close()


async def test_one_persons_events_run_one_at_a_time_across_processes(
    two_processes: tuple[Database, Database], content: Content, matchers: Matchers
) -> None:
    """Both processes get events of the same person at the same moment (as from Telegram's
    parallel webhook connections behind a load balancer): every event is handled, each on
    the state the previous one left – no error, no lost update, no double step."""
    engines = [DialogEngine(content, db, matchers) for db in two_processes]
    person = Sender("telegram", "4711", "de")
    keys = itertools.count()
    error = content.text("error", "de")
    stale = content.text("stale_button", "de")

    async def at_once(events: list[Event]) -> list[Outcome]:
        return await asyncio.gather(
            *(
                engines[n % 2].handle(dataclasses.replace(event, key=f"tg:{next(keys)}"))
                for n, event in enumerate(events)
            )
        )

    # A new person writes twelve times at once: one user, one conversation, no error.
    first = await at_once([Event.message(person, "Hallo")] * 12)
    assert all(error not in texts(outcome) for outcome in first)
    volunteer = next(
        button.data
        for outcome in first
        for message in outcome.replies
        for button in message.buttons
        if button.data.endswith(":volunteer")
    )
    # The same button pressed twelve times at once (double taps): it moves on once.
    presses = await at_once([Event.button(person, volunteer)] * 12)
    [moved] = [outcome for outcome in presses if stale not in texts(outcome)]
    assert content.text("ask_interests", "de") in texts(moved)  # the 11 others: "earlier"

    # Forward one step at a time, then "zurück" as often as there are steps, all at once:
    # each goes back one step, so together they arrive exactly at the start.
    engine = engines[0]
    for answer in ("Sport", "Taucha", "regelmäßig"):
        outcome = await engine.handle(Event.message(person, answer))
        assert error not in texts(outcome)
    db = two_processes[0]
    async with db.session() as session:
        user_id = await session.scalar(select(User.id).where(User.external_id == "4711"))
        conversation = await session.get(Conversation, user_id)
        assert conversation is not None
        depth = len(conversation.history)
    assert depth == 4  # start, interests, place, time_kind
    backs = await at_once([Event.message(person, "zurück")] * depth)
    assert all(error not in texts(outcome) for outcome in backs)

    async with db.session() as session:
        conversation = await session.get(Conversation, user_id, populate_existing=True)
        assert conversation is not None
        assert (conversation.step, conversation.history) == ("start", [])
        users = await session.scalar(select(func.count()).where(User.external_id == "4711"))
        handled = await session.scalar(select(func.count()).select_from(HandledUpdate))
        entered = await session.scalar(
            select(func.count()).select_from(StepVisit).where(StepVisit.step == "interests")
        )
    assert users == 1
    assert handled == 12 + 12 + depth  # every event with a key was handled, once
    assert entered == 1  # only the one press that moved on entered the step


async def test_migrations_started_by_several_processes_at_once(postgres_url: str) -> None:
    """Processes started together (compose --scale): one migrates, the others wait for it."""
    databases = [Database(postgres_url) for _ in range(3)]
    try:
        async with asyncio.timeout(120):  # without the lock they block each other for good
            await asyncio.gather(*(db.migrate() for db in databases))
    finally:
        for db in databases:
            await db.close()
    assert await revisions(postgres_url) == heads()


@pytest.fixture
async def postgres_url(any_db_url: str) -> str:
    if not any_db_url.startswith("postgresql"):
        pytest.skip("several processes at once: PostgreSQL only (SQLite serves one process)")
    return any_db_url


SWITCHES = {
    "FAST_AIOGRAM": "fast_aiogram",
    "SQLITE_INLINE": "sqlite_inline",
    "GC_FREEZE": "gc_freeze",
}


@pytest.mark.parametrize("name", sorted(SWITCHES))
def test_speed_switches_are_on_by_default_and_switch_off(name: str) -> None:
    """Each speed trick is on unless its variable says 0 (docs/deploy.md, "Schalter");
    a typo is an error, not silently "on"."""
    field = SWITCHES[name]
    assert getattr(Settings.from_env({}), field) is True
    for value, on in [("1", True), ("yes", True), ("0", False), ("off", False), (" FALSE ", False)]:
        assert getattr(Settings.from_env({name: value}), field) is on, value
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: "aus"})
    documented = env_example()
    assert documented[name][:2] == (False, "1"), f"{name}: shown commented, with its default"
