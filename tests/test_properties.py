"""Property-based: random sequences of events from several people never break the core,
always get an answer, and never show one person's data to another. On the tests' own small
content (tests/content/), so the places and texts they use stay put.

CI runs a fixed-seed profile (HYPOTHESIS_PROFILE=ci, the default); for a longer local run:
HYPOTHESIS_PROFILE=long pytest tests/test_properties.py
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.messages import Event, Sender
from bot.store.db import Database
from bot.store.models import Lead, LotseAccount

pytestmark = pytest.mark.small_content  # the tests' own content: see tests/conftest.py


settings.register_profile(
    "ci",
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PEOPLE = 3
LOTSE = PEOPLE  # index of the person who is the Lotse of Delitzsch


def marker_name(person: int) -> str:
    return f"Zyxname{person}"


def marker_phone(person: int) -> str:
    return f"0170 99{person}{person}{person}{person}{person}"


NASTY = st.sampled_from(
    [
        "",
        " ",
        "x" * 5000,
        "🙂" * 50,
        "\u202eevil",
        "z\u200bwj",
        "e\u0301\u0301",
        "'; DROP TABLE leads;--",
        "<b>fett</b>",
        "{place} {0} %s",
        "مرحبا",
        "/",
        "/unbekannt",
        "zurück",
        "neu starten",
        "1",
    ]
)
ANSWERS = st.sampled_from(
    [
        "Hallo",
        "1",
        "2",
        "3",
        "4",
        "Kinder",
        "Feuerwer",
        "Sport",
        "Delitzsch",
        "Rödgen",
        "Leipzig",
        "ja",
        "nein",
        "abends",
        "regelmäßig",
        "Lotse soll mich beraten",
        "Überspringen",
        "Bin ich versichert?",
        "/start",
        "/hilfe",
        "/sprache",
        "/meine_daten",
        "/loeschen",
        "/meine_leads",
        "/start i-sport",
        "/start o-dz-tafel-ausgabe",
        "/start inv-forged",
    ]
)
ACTION = st.one_of(
    st.tuples(
        st.just("text"), st.integers(0, PEOPLE), st.one_of(ANSWERS, NASTY, st.text(max_size=60))
    ),
    st.tuples(st.just("own_button"), st.integers(0, PEOPLE), st.integers(0, 20)),
    st.tuples(st.just("foreign_button"), st.integers(0, PEOPLE), st.integers(0, PEOPLE)),
    st.tuples(
        st.just("forged"),
        st.integers(0, PEOPLE),
        st.one_of(
            st.text(max_size=64),
            st.sampled_from(
                [
                    "l:1:accept",
                    "l:2:accept",
                    "l:1:show",
                    "w:1",
                    "f:1:yes",
                    "del:yes",
                    "lang:en",
                    "s:consent:yes",
                    "nav:back",
                    "nav:restart",
                ]
            ),
        ),
    ),
    st.tuples(st.just("personal"), st.integers(0, PEOPLE - 1), st.sampled_from(["name", "phone"])),
    st.tuples(
        st.just("location"),
        st.integers(0, PEOPLE),
        st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    ),
)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database, copied for every example (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"

    async def make() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.migrate()
        async with db.session() as session, session.begin():
            session.add(
                LotseAccount(lotse_id="lotse-delitzsch", channel="test", external_id=f"p{LOTSE}")
            )
        await db.close()

    asyncio.run(make())
    return path


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def play(content: Content, matchers: Matchers, db_path: Path, actions: list[tuple]) -> None:  # type: ignore[type-arg]
    db = Database(f"sqlite+aiosqlite:///{db_path}")
    engine = DialogEngine(content, db, matchers)
    senders = [Sender("test", f"p{n}", "de") for n in range(PEOPLE + 1)]
    buttons: list[list[str]] = [[] for _ in senders]
    errors = ErrorLog()
    seen: list[tuple[int, str]] = []
    logging.getLogger("bot").addHandler(errors)
    try:
        for kind, who, what in actions:
            event = _event(kind, who, what, senders, buttons)
            outcome = await engine.handle(event)
            assert outcome.replies, f"no answer to {event}"
            assert all(m.text.strip() for m in outcome.replies)
            assert not errors.records, errors.records[0].getMessage()
            shown = [b.data for m in outcome.replies for b in m.buttons]
            if shown:
                buttons[who] = shown
            shown_text = " ".join(m.text for m in outcome.replies)
            await _no_leak(db, who, shown_text)
            seen.append((who, shown_text))
    finally:
        logging.getLogger("bot").removeHandler(errors)
        await db.close()
    return seen


def _event(
    kind: str, who: int, what: object, senders: list[Sender], buttons: list[list[str]]
) -> Event:
    sender = senders[who]
    if kind == "text":
        return Event.message(sender, str(what))
    if kind == "personal":
        return Event.message(sender, marker_name(who) if what == "name" else marker_phone(who))
    if kind == "location":
        lat, lon = what  # type: ignore[misc]
        return Event.location(sender, lat, lon)
    if kind == "own_button" and buttons[who]:
        return Event.button(sender, buttons[who][int(what) % len(buttons[who])])  # type: ignore[call-overload]
    if kind == "foreign_button" and buttons[int(what)]:  # type: ignore[call-overload]
        return Event.button(sender, buttons[int(what)][0])  # type: ignore[call-overload]
    if kind == "forged":
        return Event.button(sender, str(what))
    return Event.message(sender, "Hallo")


async def _no_leak(db: Database, who: int, shown: str) -> None:
    """A citizen never sees another citizen's name or phone; the Lotse only those of leads
    they accepted."""
    for other in range(PEOPLE):
        if other == who:
            continue
        leaked = marker_name(other) in shown or marker_phone(other) in shown
        if not leaked:
            continue
        assert who == LOTSE, f"person {who} saw person {other}'s data"
        async with db.session() as session:
            leads = (await session.scalars(select(Lead))).all()
        allowed = any(
            lead.lotse_id == "lotse-delitzsch"
            and lead.status in ("accepted", "contacted", "placed", "not_fit", "unreachable")
            and (lead.name == marker_name(other) or lead.contact == marker_phone(other))
            for lead in leads
        )
        assert allowed, f"the Lotse saw person {other}'s data without accepting their lead"


@given(actions=st.lists(ACTION, min_size=1, max_size=40))
def test_random_event_sequences(
    actions: list[tuple],
    content: Content,
    matchers: Matchers,  # type: ignore[type-arg]
    template_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    db_path = tmp_path_factory.mktemp("example") / "db.sqlite3"
    shutil.copy(template_db, db_path)
    asyncio.run(play(content, matchers, db_path, actions))


def test_a_full_path_for_everyone_then_lotse_accepts(
    content: Content, matchers: Matchers, template_db: Path, tmp_path: Path
) -> None:
    """A fixed scenario through the same checker: leads exist, the Lotse may see only after
    accepting (guards the checker itself against passing vacuously)."""
    db_path = tmp_path / "db.sqlite3"
    shutil.copy(template_db, db_path)
    path = ["Hallo", "1", "Kinder", "Delitzsch", "1", "1", "Lotse soll mich beraten", "ja"]
    actions: list[tuple] = []  # type: ignore[type-arg]
    for person in range(PEOPLE):
        actions += [("text", person, text) for text in path]
        actions += [("personal", person, "name"), ("personal", person, "phone")]
    actions += [("forged", LOTSE, "l:1:show"), ("forged", LOTSE, "l:1:accept")]
    seen = asyncio.run(play(content, matchers, db_path, actions))
    assert marker_phone(0) not in seen[-2][1]  # before accepting: no contact details
    assert marker_phone(0) in seen[-1][1]  # after accepting: the contact, as it should be
