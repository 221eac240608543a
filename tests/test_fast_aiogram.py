"""bot/telegram/fast_aiogram.py: aiogram with deferred schemas behaves as plain aiogram;
`lotse run` switches it on (FAST_AIOGRAM=0 off), a package import does not, a fallback warns.

Each variant runs in a subprocess of its own (the import can happen once per process):
plain `import aiogram`, the fast import, and the fast import whose self-check fails (the
fallback that builds everything). All three parse the same updates, serialise the same
API calls and reject the same invalid update; their outputs must be identical.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.telegram import fast_aiogram

ROOT = Path(__file__).resolve().parent.parent
USER = {"id": 77, "is_bot": False, "first_name": "Ana", "language_code": "de"}
CHAT = {"id": 77, "type": "private", "first_name": "Ana"}
KEYBOARD = {"inline_keyboard": [[{"text": "Ja", "callback_data": "yes"}]]}
MESSAGE = {"message_id": 10, "date": 1_700_000_000, "chat": CHAT, "from": USER}
UPDATES: list[dict[str, Any]] = [
    {
        "update_id": 1,
        "message": {
            **MESSAGE,
            "text": "/start abc",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    },
    {
        "update_id": 2,
        "callback_query": {
            "id": "4000000001",
            "from": USER,
            "chat_instance": "-1",
            "data": "yes",
            "message": {
                **MESSAGE,
                "from": {"id": 1, "is_bot": True, "first_name": "Lotse"},
                "text": "Passt das?",
                "reply_markup": KEYBOARD,
            },
        },
    },
    {"update_id": 3, "message": {**MESSAGE, "location": {"latitude": 51.47, "longitude": 12.35}}},
    {
        "update_id": 4,
        "message": {
            **MESSAGE,
            "sticker": {
                "file_id": "f1",
                "file_unique_id": "u1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            },
        },
    },
    {"update_id": 5, "edited_message": {**MESSAGE, "edit_date": 1_700_000_100, "text": "neu"}},
    {
        "update_id": 6,
        "message": {
            **MESSAGE,
            "chat": {"id": -100, "type": "supergroup", "title": "Verein"},
            "reply_to_message": {**MESSAGE, "message_id": 9, "text": "vorher"},
            "text": "hallo",
        },
    },
]
INVALID = {"update_id": 7, "message": {"message_id": 1, "date": 1, "text": "ohne Chat"}}

# Runs in the subprocess; prints one JSON document with everything to compare.
SCRIPT = """
import json, logging, sys

logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
variant = sys.argv[1]
if variant != "plain":
    from bot.telegram import fast_aiogram

    fast_aiogram.install()
    assert "aiogram" not in sys.modules, "install() must not import aiogram"
    if variant == "fallback":
        def broken():
            raise RuntimeError("simulated: deferred schemas do not work")
        fast_aiogram._sample_round_trip = broken

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, SetMyCommands
from aiogram.types import (
    BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup,
    KeyboardButton, ReplyKeyboardMarkup, Update,
)
from pydantic import ValidationError

if variant == "fast":  # deferred indeed: only what the self-check used is built so far
    import aiogram.types as types_module

    objects = [getattr(types_module, name) for name in types_module.__all__]
    built = [t for t in objects if getattr(t, "__pydantic_complete__", False)]
    assert len(built) < 50, f"{len(built)} types built at import"

data = json.loads(sys.stdin.read())
bot = Bot("123456:TEST-token")
out = {"updates": [], "sent": [], "responses": []}
for raw in data["updates"]:
    update = Update.model_validate(raw, context={"bot": bot})
    event = update.event
    out["updates"].append({
        "type": update.event_type,
        "event": type(event).__name__,
        "content": getattr(event, "content_type", None),
        "dump": update.model_dump(mode="json", exclude_unset=True),
    })
try:
    Update.model_validate(data["invalid"])
    out["invalid"] = "accepted"
except ValidationError as exc:
    out["invalid"] = [[e["type"], list(e["loc"])] for e in exc.errors()]

inline = InlineKeyboardMarkup(inline_keyboard=[[
    InlineKeyboardButton(text="Ja", callback_data="yes"),
    InlineKeyboardButton(text="Web", url="https://example.org"),
]])
reply = ReplyKeyboardMarkup(
    keyboard=[[KeyboardButton(text="Standort", request_location=True)]], resize_keyboard=True
)
methods = [
    SendMessage(chat_id=77, text="Hallo", reply_markup=inline),
    SendMessage(chat_id=77, text="Wo?", reply_markup=reply),
    EditMessageText(chat_id=77, message_id=10, text="neu", reply_markup=inline),
    AnswerCallbackQuery(callback_query_id="4000000001", text="ok"),
    SetMyCommands(commands=[BotCommand(command="start", description="Start")],
                  scope=BotCommandScopeChat(chat_id=77)),
]
for method in methods:
    fields = method.model_dump(warnings=False).items()
    prepared = {k: bot.session.prepare_value(v, bot=bot, files={}) for k, v in fields}
    out["sent"].append([method.__api_method__, prepared])
answer = {"ok": True, "result": data["updates"][0]["message"]}
result = bot.session.check_response(bot, methods[0], 200, json.dumps(answer)).result
out["responses"].append(result.model_dump(mode="json", exclude_unset=True))

if variant == "fast":  # every type and method builds when first used, none fails
    import aiogram.methods as methods_module
    import aiogram.types as types_module

    def build(cls):
        if isinstance(cls, type) and hasattr(cls, "__pydantic_complete__"):
            if not cls.__pydantic_complete__:
                cls.model_rebuild(raise_errors=True)
            return cls.__pydantic_complete__
        return True

    for module in (types_module, methods_module):
        names = [n for n in module.__all__ if not build(getattr(module, n))]
        assert not names, names
if variant == "fallback":  # as after a plain import: every type and method is built
    import aiogram.methods as methods_module
    import aiogram.types as types_module

    for module in (types_module, methods_module):
        objects = [getattr(module, name) for name in module.__all__]
        models = [m for m in objects if hasattr(m, "__pydantic_complete__")]
        incomplete = [m.__name__ for m in models if not m.__pydantic_complete__]
        assert not incomplete, incomplete
print(json.dumps(out, sort_keys=True))
"""


def _run(variant: str) -> tuple[dict[str, Any], str]:
    data = json.dumps({"updates": UPDATES, "invalid": INVALID})
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, variant],
        input=data,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout), result.stderr


@pytest.fixture(scope="module")
def plain() -> dict[str, Any]:
    return _run("plain")[0]


@pytest.mark.slow
def test_plain_reference_parses_every_update(plain: dict[str, Any]) -> None:
    kinds = [(u["type"], u["content"]) for u in plain["updates"]]
    assert kinds == [
        ("message", "text"),
        ("callback_query", None),
        ("message", "location"),
        ("message", "sticker"),
        ("edited_message", "text"),
        ("message", "text"),
    ]
    assert plain["invalid"] != "accepted"
    button = {"text": "Web", "url": "https://example.org"}
    markup = {"inline_keyboard": [[{"text": "Ja", "callback_data": "yes"}, button]]}
    assert json.loads(plain["sent"][0][1]["reply_markup"]) == markup


@pytest.mark.slow
def test_fast_import_parses_and_serialises_as_plain_aiogram(plain: dict[str, Any]) -> None:
    fast, log = _run("fast")
    assert fast == plain
    assert "fast aiogram import" not in log  # neither skipped nor fallen back


@pytest.mark.slow
def test_failed_self_check_builds_everything_as_plain_aiogram(plain: dict[str, Any]) -> None:
    fallback, log = _run("fallback")
    assert fallback == plain
    # A WARNING (the start is about 2 s slower), with the reason.
    assert "WARNING:bot.telegram.fast_aiogram:fast aiogram import failed its check" in log
    assert "RuntimeError: simulated" in log


# `lotse run` itself: BOT_TOKEN empty, so it stops after the imports, before any network.
ENTRY = """
import gc, json
from bot import cli
code = cli.main(["run"])
import aiogram.types
from bot.telegram import fast_aiogram
print(json.dumps({
    "code": code,
    "outcome": fast_aiogram.outcome(),
    "deferred": not aiogram.types.Poll.__pydantic_complete__,
    "frozen": gc.get_freeze_count() > 0,
}))
"""
# Importing the Telegram package (and its handlers, which import aiogram) installs nothing.
IMPORT_ONLY = """
import json, sys
import bot.telegram.handlers.citizen
import aiogram.types
from bot.telegram import fast_aiogram
hooks = [f for f in sys.meta_path if isinstance(f, fast_aiogram._Hook)]
print(json.dumps({"hooks": len(hooks), "deferred": not aiogram.types.Poll.__pydantic_complete__}))
"""


def _python(script: str, **env: str) -> tuple[dict[str, Any], str]:
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1]), result.stderr


@pytest.mark.slow
def test_lotse_run_installs_it_before_aiogram_is_imported() -> None:
    """The entry point, not a package import, switches it on: `lotse run` imports the
    Telegram runtime with aiogram's types deferred (and the heap frozen, GC_FREEZE)."""
    run, log = _python(ENTRY, BOT_TOKEN="")
    assert run["code"] == 2  # BOT_TOKEN missing: stopped after the imports
    assert run["outcome"].startswith("types built on first use") and run["deferred"]
    assert run["frozen"]
    assert "fast aiogram import" not in log


@pytest.mark.slow
def test_switched_off_lotse_run_imports_aiogram_plainly() -> None:
    run, log = _python(ENTRY, BOT_TOKEN="", FAST_AIOGRAM="0", GC_FREEZE="0")
    assert run["code"] == 2
    assert run["outcome"].startswith("off") and not run["deferred"]
    assert not run["frozen"]
    assert "fast aiogram import" not in log  # off is not a fallback: no warning


@pytest.mark.slow
def test_importing_the_telegram_package_installs_nothing() -> None:
    imported, _ = _python(IMPORT_ONLY)
    assert imported == {"hooks": 0, "deferred": False}


def test_install_after_aiogram_warns_and_changes_nothing(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too late (aiogram already imported): a WARNING, no hook, the start-up log says so."""
    monkeypatch.setattr(fast_aiogram, "_outcome", fast_aiogram._outcome)
    monkeypatch.setitem(sys.modules, "aiogram", sys.modules.get("aiogram") or ModuleType("aiogram"))
    hooks = list(sys.meta_path)
    with caplog.at_level(logging.DEBUG, logger=fast_aiogram.__name__):
        assert fast_aiogram.install() is False
    assert sys.meta_path == hooks
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "imported before install()" in record.getMessage()
    assert "not applied" in fast_aiogram.outcome()


def test_install_with_a_different_pydantic_warns_and_changes_nothing(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fast_aiogram, "_outcome", fast_aiogram._outcome)
    monkeypatch.delitem(sys.modules, "aiogram", raising=False)
    monkeypatch.setattr(fast_aiogram, "_pydantic_fits", lambda: False)
    hooks = list(sys.meta_path)
    with caplog.at_level(logging.DEBUG, logger=fast_aiogram.__name__):
        assert fast_aiogram.install() is False
    assert sys.meta_path == hooks
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "model_rebuild differs" in record.getMessage()
