"""Texts that fit the person (issue #19, point 6): a Lotse introduced in their own form of
address, German CLI lines without English, `lotse leads` with kind, language and local
times, and /meine_daten in words from the content instead of stored keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.messages import Event
from bot.runtime.ticker import FollowUp
from bot.store.db import Database
from bot.store.models import Lead
from tests.helpers.chat import Chat, run_lotse
from tests.helpers.content_tree import edit, shipped_copy
from tests.helpers.leads import join_as_lotse

pytestmark = pytest.mark.small_content  # the tests' own content: see tests/conftest.py

WINTER = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)  # 09:30 in Delitzsch (MEZ)


async def ask_for_help(engine: DialogEngine, place: str, user: str = "erna") -> Chat:
    chat = Chat(engine, user=user)
    for text in ("Hallo", "Ich brauche Hilfe", "Fahrt zum Arzt", place, "keine Eile", "ja"):
        await chat.say(text)
    await chat.say("Erna")
    await chat.say("034202 12345")
    return chat


async def ask_for_help_in_english(engine: DialogEngine, place: str) -> Chat:
    chat = Chat(engine, user="emma", language="en")
    for text in ("Hello", "I need help", "a lift to the doctor", place):
        await chat.say(text)
    await chat.press("No hurry")
    await chat.press("Yes")
    await chat.say("Emma")
    await chat.say("emma@example.org")
    return chat


@pytest.mark.parametrize(
    ("place", "introduced"),
    [
        ("Krostitz", "Claudia Probst, Ihre Engagementlotsin, meldet sich"),
        ("Taucha", "Hans Mustermann, Ihr Engagementlotse, meldet sich"),
    ],
)
async def test_lotse_is_introduced_in_their_form_of_address(
    engine: DialogEngine, place: str, introduced: str
) -> None:
    chat = await ask_for_help(engine, place)
    assert introduced in chat.text
    assert "Engagement-Lotse," not in chat.text


async def test_neutral_form_of_address(content: Content, db: Database, matchers: Matchers) -> None:
    lotsen = [lotse.model_copy(update={"anrede": "neutral"}) for lotse in content.lotsen]
    engine = DialogEngine(dataclasses.replace(content, lotsen=lotsen), db, matchers)
    chat = await ask_for_help(engine, "Krostitz")
    assert "Claudia Probst, Ihre Ansprechperson im Lotsennetzwerk, meldet sich" in chat.text


async def test_lotse_message_names_the_lotse_in_their_form(
    engine: DialogEngine, db: Database
) -> None:
    citizen = await ask_for_help(engine, "Krostitz")
    lotse = await join_as_lotse(engine, db, "lotse-krostitz", "claudia")
    [card] = [n for n in citizen.last.notifications if n.recipient.role == "lotse"]
    lead_id = card.subject.split(":")[1]
    await lotse.send(Event.button(lotse.sender, f"l:{lead_id}:accept"))
    await lotse.press("Nachricht")
    await lotse.say("Ich rufe morgen an.")
    [note] = [n for n in lotse.last.notifications if n.recipient.role == "citizen"]
    assert "Nachricht von Claudia Probst (Ihre Engagementlotsin)" in note.message.text


def test_check_explains_a_wrong_form_of_address_in_german(tmp_path: Path) -> None:
    tree = shipped_copy(tmp_path)
    edit(tree.path("lotsen.yaml"), "anrede: lotsin", "anrede: Frau")
    result = run_lotse(
        "check",
        db=tmp_path / "x.sqlite3",
        env={"CONTENT_DIR": str(tree.content), "KNOWLEDGE_DIR": str(tree.knowledge)},
    )
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "lotsen.yaml" in output and "anrede" in output and "'Frau'" in output
    assert "'lotsin', 'lotse' oder 'neutral'" in output and " or " not in output


async def test_my_data_shows_labels_from_the_content(engine: DialogEngine) -> None:
    chat = await ask_for_help(engine, "Krostitz")
    await chat.say("/meine_daten")
    text = chat.last.replies[0].text
    assert "Art der Hilfe: 🚗 Fahrten, z. B. zum Arzt" in text
    assert "Dringlichkeit: Keine Eile" in text
    assert "Lotse: Claudia Probst" in text and "lotse-krostitz" not in text
    for key in ("help_kind", "lifts", "urgency", "later", "consent", "lead_id"):
        assert key not in text, key
    data = json.loads(chat.last.replies[0].attachment.content)  # machine-readable: keys
    assert data["conversation"]["answers"]["help_kind"] == "lifts"


async def test_lotse_leads_shows_kind_language_and_local_time(
    tmp_path: Path, clock: ManualClock, content: Content, matchers: Matchers
) -> None:
    path = tmp_path / "leads.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    engine = DialogEngine(content, db, matchers)
    clock.set(WINTER)
    await ask_for_help_in_english(engine, "Krostitz")
    await db.close()

    table = run_lotse("leads", db=path)
    assert table.returncode == 0, table.stderr
    caption, header, _, row = table.stdout.splitlines()  # a help request: no interests
    assert caption == "Zeiten: Ortszeit Europe/Berlin"
    assert header.split()[:5] == ["Nr.", "Zeit", "Art", "Spr.", "Gemeinde"]
    assert "2026-12-01 09:30" in row and "Hilfe gesucht" in row and " en " in row
    assert "wartet auf Annahme" in row and "offered" not in row
    assert all(len(line) <= 100 for line in table.stdout.splitlines())

    [lead] = json.loads(run_lotse("leads", "--json", db=path).stdout)
    assert (lead["kind"], lead["language"]) == ("help", "en")
    assert lead["created"] == "2026-12-01T09:30:00+01:00"


async def test_tick_says_in_german_what_it_did_not_do(content: Content, db: Database) -> None:
    async with db.session() as session:
        step = FollowUp(session, content, WINTER)
        line = await step.run(Lead(id=7, due_kind="remind", status="accepted"))
    assert line == "Anfrage #7: nichts zu tun (Erinnerung, Status „angenommen“)"
