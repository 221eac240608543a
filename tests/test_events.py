"""'📅 Was ist los?': the regional calendar through the conversation core, and its checks.

The dialogue tests run the tests' own small content (tests/content/) with a calendar of
their own (dates relative to a fixed day, given to the engine as its clock), against a real
SQLite file; two tests check the shipped calendar (content/events.yaml).
The validation tests break a copy of content/events.yaml and expect `file:line` errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import clock as product_clock
from bot.clock import today_in
from bot.content.loader import load_content
from bot.content.model import Content
from bot.content.schema import EventsFile
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.matching.local_events import EventCalendar, asked_period, asks_whats_on
from bot.messages import Event
from bot.store.db import Database
from tests.helpers import ROOT
from tests.helpers.chat import Chat, run_lotse
from tests.helpers.content_tree import Tree, find, line_of, shipped_copy

pytestmark = pytest.mark.small_content  # the tests' own content: see tests/conftest.py


TODAY = dt.date(2026, 12, 1)  # a Tuesday


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def event(title: str, offset: int, place: str, **more: Any) -> dict[str, Any]:
    described = {"description": "Alle sind eingeladen."}
    return {"title": title, "date": day(offset), "place": place, **described, **more}


# Seen from Krostitz: Kupsal 3 km, Jesewitz 9 km, Delitzsch 10 km, Wiedemar 17 km.
CALENDAR = [
    event("Blutspende", 4, "Krostitz", time="15:00", end_time="19:00", venue="Grundschule"),
    event("Weihnachtsmarkt", 4, "Delitzsch", time="11:00", link="https://www.delitzsch.de"),
    event("Stammtisch", 1, "Jesewitz", time="19:00"),
    event("Gestriges Fest", -1, "Krostitz"),
    event("Laufende Ausstellung", -2, "Kupsal", gemeinde="Krostitz", end_date=day(1)),
    event("Beendete Ausstellung", -5, "Kupsal", gemeinde="Krostitz", end_date=day(-1)),
    event("Fest in Wiedemar", 2, "Wiedemar"),
    event("Letzter Tag im Fenster", 42, "Krostitz"),
    event("Zu weit voraus", 43, "Krostitz"),
]
NEAR_KROSTITZ = [
    "Laufende Ausstellung",  # began two days ago, still on: counts as today's
    "Stammtisch",
    "Blutspende",  # same day as the Weihnachtsmarkt, but nearer
    "Weihnachtsmarkt",
    "Letzter Tag im Fenster",
]
NEVER_SHOWN = ["Gestriges Fest", "Beendete Ausstellung", "Zu weit voraus"]


def with_calendar(
    content: Content, matchers: Matchers, events: list[dict[str, Any]], **settings: Any
) -> tuple[Content, Matchers]:
    """The content with another calendar (no need to rebuild the other matchers)."""
    calendar = EventsFile.model_validate({"events": events, **settings})
    changed = dataclasses.replace(content, events=calendar)
    found = EventCalendar(calendar.events, matchers.places.places)
    return changed, dataclasses.replace(matchers, events=found)


def chat_with(
    content: Content,
    matchers: Matchers,
    db: Database,
    events: list[dict[str, Any]] = CALENDAR,
    language: str = "de",
    today: dt.date = TODAY,
    **settings: Any,
) -> Chat:
    changed, changed_matchers = with_calendar(content, matchers, events, **settings)
    engine = DialogEngine(changed, db, changed_matchers, today=lambda: today)
    return Chat(engine, language=language)


def shown_titles(text: str, candidates: list[str]) -> list[str]:
    """The candidates' titles in the order they appear in the reply."""
    found = [(text.index(f"\n{title}\n"), title) for title in candidates if f"\n{title}\n" in text]
    return [title for _, title in sorted(found)]


ALL_TITLES = [e["title"] for e in CALENDAR]


# --- the dialogue ------------------------------------------------------------------------


async def test_menu_asks_the_place_then_lists_near_events_by_day_and_distance(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    assert "📅 Was ist los?" in chat.labels
    await chat.press("Was ist los")
    assert "Für welchen Ort" in chat.text
    assert chat.last_message().request_location

    await chat.say("Krostitz")

    assert "rund um Krostitz? Veranstaltungen bis 15 km entfernt" in chat.text
    assert "in den nächsten 6 Wochen" in chat.text
    assert shown_titles(chat.text, ALL_TITLES) == NEAR_KROSTITZ
    assert {"📍 Anderer Ort", "🏠 Zum Hauptmenü"} <= set(chat.labels)


async def test_each_event_shows_day_time_place_distance_description_and_link(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Krostitz")

    assert "📅 Sa 05.12. · 15:00–19:00 Uhr · Krostitz, Grundschule · vor Ort\nBlutspende\n" in (
        chat.text
    )
    assert "📅 Sa 05.12. · 11:00 Uhr · Delitzsch · 10 km\nWeihnachtsmarkt\n" in chat.text
    assert "Weihnachtsmarkt\nAlle sind eingeladen.\n🔗 https://www.delitzsch.de" in chat.text
    assert "📅 So 29.11. – Mi 02.12. · Kupsal (Krostitz) · 3 km\nLaufende Ausstellung" in (
        chat.text
    )


async def test_past_far_and_too_distant_events_are_not_in_the_near_list(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.say("was ist los")  # typed instead of pressed
    await chat.say("Krostitz")

    for title in [*NEVER_SHOWN, "Fest in Wiedemar"]:
        assert f"\n{title}\n" not in chat.text, title


async def test_nothing_near_shows_the_whole_region_instead(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db, radius_km=2)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Zschortau")  # 2 km from none of the events

    assert "Rund um Zschortau (Rackwitz) steht bis 2 km" in chat.text
    assert "im ganzen Delitzscher Land" in chat.text
    assert shown_titles(chat.text, ALL_TITLES) == [
        "Laufende Ausstellung",
        "Stammtisch",
        "Fest in Wiedemar",
        "Weihnachtsmarkt",  # Delitzsch is nearer to Zschortau than Krostitz
        "Blutspende",
        "Letzter Tag im Fenster",
    ]


async def test_an_empty_window_says_so(content: Content, matchers: Matchers, db: Database) -> None:
    later = [e for e in CALENDAR if e["title"] in NEVER_SHOWN]
    chat = chat_with(content, matchers, db, events=later)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Krostitz")

    assert "Im Kalender steht in den nächsten 6 Wochen leider noch nichts" in chat.text
    assert shown_titles(chat.text, ALL_TITLES) == []


async def test_a_known_place_is_not_asked_again(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Krostitz")
    await chat.press("Hauptmenü")
    await chat.press("Was ist los")

    assert "Für welchen Ort" not in chat.text
    assert shown_titles(chat.text, ALL_TITLES) == NEAR_KROSTITZ


async def test_another_place_by_button_by_typing_and_by_location(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Krostitz")

    await chat.press("Anderer Ort")
    assert "Für welchen Ort" in chat.text
    await chat.say("Wiedemar")
    assert "rund um Wiedemar" in chat.text
    assert "Fest in Wiedemar" in shown_titles(chat.text, ALL_TITLES)
    assert "Blutspende" not in shown_titles(chat.text, ALL_TITLES)  # Krostitz: 17 km

    await chat.say("Jesewitz")  # typed right at the list
    assert "rund um Jesewitz" in chat.text
    assert "Stammtisch" in shown_titles(chat.text, ALL_TITLES)

    await chat.send(Event.location(chat.sender, 51.4645, 12.502))  # Kupsal
    assert "rund um Kupsal (Krostitz)" in chat.text


async def test_back_from_the_list_goes_to_the_place_question(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Krostitz")
    await chat.say("zurück")
    assert "Für welchen Ort" in chat.text
    await chat.say("zurück")
    assert "willkommen" in chat.text.lower()


async def test_more_events_than_shown_are_counted(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db, max_shown=2)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Krostitz")

    assert shown_titles(chat.text, ALL_TITLES) == NEAR_KROSTITZ[:2]
    assert "… und 3 weitere" in chat.text


async def test_english_days_and_times(content: Content, matchers: Matchers, db: Database) -> None:
    chat = chat_with(content, matchers, db, language="en")
    await chat.say("Hello")
    await chat.press("What's on")
    await chat.say("Krostitz")

    assert "What's on around Krostitz" in chat.text
    assert "📅 Sat 05/12 · 15:00–19:00 · Krostitz, Grundschule · in your village" in chat.text


async def test_the_days_move_on_with_the_clock(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db, today=day(5))  # the Saturday's events are over
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Krostitz")

    assert shown_titles(chat.text, ALL_TITLES) == ["Letzter Tag im Fenster", "Zu weit voraus"]


# --- asked at any step ---------------------------------------------------------------------


async def test_a_question_mid_dialogue_is_answered_on_the_side(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("was mit Kindern")

    await chat.say("Was ist am Wochenende in Delitzsch los?")

    assert "rund um Delitzsch? Veranstaltungen bis 15 km entfernt am Wochenende" in chat.text
    # Saturday 5 and Sunday 6 December only; on the same day the nearer first
    assert shown_titles(chat.text, ALL_TITLES) == ["Weihnachtsmarkt", "Blutspende"]
    assert chat.last_message().text.startswith("In welchem Ort wohnen Sie?")  # still asked
    await chat.say("Krostitz")
    assert "Möchten Sie eher einmal" in chat.text  # the dialogue went on where it was


async def test_today_without_a_known_place_lists_the_region(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.say("Gibt es heute irgendwelche Veranstaltungen?")

    assert "Das ist los im Delitzscher Land heute" in chat.text
    assert shown_titles(chat.text, ALL_TITLES) == ["Laufende Ausstellung"]
    assert "📅 Was ist los?" in chat.labels  # the menu is shown again


async def test_at_the_calendar_a_period_question_answers_with_its_buttons(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Krostitz")
    await chat.say("und was ist nächste Woche los?")

    assert chat.last_message().text.startswith("Im Kalender steht nächste Woche leider noch")
    assert "📍 Anderer Ort" in chat.labels


async def test_free_answers_are_not_taken_for_calendar_questions(
    content: Content, matchers: Matchers, db: Database
) -> None:
    chat = chat_with(content, matchers, db)
    await chat.say("Hallo")
    await chat.press("Projektidee")
    await chat.say("Ein Fest, damit am Wochenende im Dorf mal was los ist")

    assert "Wo soll das stattfinden" in chat.text


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Was ist am Wochenende in Delitzsch los?", True),
        ("was is heute los", True),
        ("Gibt es Veranstaltungen in Krostitz?", True),
        ("Termine nächste Woche", True),
        ("what's on this weekend", True),
        ("Bin ich beim Ehrenamt versichert?", False),
        ("Ich möchte bei Veranstaltungen helfen", False),
        ("Krostitz", False),
        ("Was ist mit meiner Anfrage los?", False),
        ("was ist los mit dir", False),
    ],
)
def test_what_counts_as_a_calendar_question(text: str, asks: bool) -> None:
    assert asks_whats_on(text) is asks


@pytest.mark.parametrize(
    ("today", "text", "period"),
    [
        (TODAY, "am Wochenende", ("weekend", day(4), day(5))),  # Tuesday → Sat, Sun
        (day(4), "am Wochenende", ("weekend", day(4), day(5))),  # on Saturday
        (day(5), "übers Wochenende", ("weekend", day(5), day(5))),  # on Sunday: what is left
        (TODAY, "heute", ("today", TODAY, TODAY)),
        (TODAY, "morgen Abend", ("tomorrow", day(1), day(1))),
        (TODAY, "diese Woche", ("this_week", TODAY, day(5))),
        (TODAY, "nächste Woche", ("next_week", day(6), day(12))),
        (TODAY, "was ist los", ("weeks", TODAY, day(42))),
    ],
)
def test_the_days_a_question_is_about(
    today: dt.date, text: str, period: tuple[str, dt.date, dt.date]
) -> None:
    found = asked_period(text, today, weeks=6)
    assert (found.name, found.first, found.last) == period


# --- the shipped calendar ------------------------------------------------------------------


SHIPPED_DAY = dt.date(2026, 11, 25)


def test_shipped_events_are_examples_spread_over_the_coming_weeks(
    shipped_content: Content,
) -> None:
    content = shipped_content
    events = content.events.events
    assert all(e.example for e in events)
    past = [e for e in events if e.last_day < SHIPPED_DAY]
    coming = [e for e in events if e.last_day >= SHIPPED_DAY]
    assert 1 <= len(past) <= 2
    assert 8 <= len(coming) <= 12
    assert any(e.date.year == 2027 for e in coming)
    assert (content.events.weeks, content.events.radius_km) == (6, 15)


async def test_shipped_past_events_vanish(
    shipped_content: Content, shipped_matchers: Matchers, db: Database
) -> None:
    content = shipped_content
    engine = DialogEngine(content, db, shipped_matchers, today=lambda: SHIPPED_DAY)
    chat = Chat(engine)
    await chat.say("Hallo")
    await chat.press("Was ist los")
    await chat.say("Delitzsch")

    past = [e.title for e in content.events.events if e.last_day < SHIPPED_DAY]
    assert past and all(f"\n{title}\n" not in chat.text for title in past)
    assert "\nDelitzscher Weihnachtsmarkt\n" in chat.text


# --- validation -----------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return shipped_copy(tmp_path)


def write_events(tree: Tree, body: str) -> Path:
    path = tree.path("events.yaml")
    path.write_text("events:\n" + body, encoding="utf-8")
    return path


GOOD = """  - title: Blutspende
    date: 2026-12-05
    place: Krostitz
    description: Bitte Ausweis mitbringen.
"""


def test_unknown_place_is_named_with_its_line_and_a_suggestion(tree: Tree) -> None:
    path = write_events(tree, GOOD + GOOD.replace("Krostitz", "Krostiz").replace("12-05", "12-06"))

    problem = find(tree.problems(), "events.yaml", line_of(path, "place: Krostiz"), "'Krostiz'")
    assert "unbekannter Ort" in problem.message and "Meinten Sie „Krostitz“" in problem.message


def test_a_name_that_exists_twice_needs_the_gemeinde(tree: Tree) -> None:
    path = write_events(tree, GOOD.replace("Krostitz", "Rödgen"))
    find(tree.problems(), "events.yaml", line_of(path, "place: Rödgen"), "mehrmals", "gemeinde")

    write_events(tree, GOOD.replace("Krostitz", "Rödgen\n    gemeinde: Zschepplin"))
    assert tree.load().events.events[0].gemeinde == "Zschepplin"


@pytest.mark.parametrize("link", ["www.delitzsch.de", "ftp://delitzsch.de/plan", "javascript:x"])
def test_a_link_must_open_a_web_page(tree: Tree, link: str) -> None:
    path = write_events(tree, GOOD + f'    link: "{link}"\n')
    find(tree.problems(), "events.yaml", line_of(path, "link:"), "https://")


def test_end_before_start_is_reported(tree: Tree) -> None:
    path = write_events(
        tree, GOOD + '    end_date: 2026-12-04\n    time: "18:00"\n    end_time: "17:00"\n'
    )
    problems = tree.problems()
    find(problems, "events.yaml", line_of(path, "end_date:"), "end_date", "vor 'date'")


def test_end_time_before_start_time_is_reported(tree: Tree) -> None:
    path = write_events(tree, GOOD + '    time: "18:00"\n    end_time: "17:00"\n')
    find(tree.problems(), "events.yaml", line_of(path, "end_time:"), "17:00", "18:00")


def test_an_impossible_time_is_reported_in_german(tree: Tree) -> None:
    path = write_events(tree, GOOD + '    time: "25:00"\n')
    find(tree.problems(), "events.yaml", line_of(path, "time:"), "keine gültige Uhrzeit")


def test_a_time_without_quotes_is_understood(tree: Tree) -> None:
    write_events(tree, GOOD + "    time: 14:30\n    end_time: 18 Uhr\n")  # YAML reads 870
    [loaded] = tree.load().events.events
    assert (loaded.time, loaded.end_time) == (dt.time(14, 30), dt.time(18, 0))


def test_a_date_in_the_past_is_fine(tree: Tree) -> None:
    write_events(tree, GOOD.replace("2026-12-05", "2019-05-01"))
    content = tree.load()
    assert content.events.events[0].date == dt.date(2019, 5, 1)
    assert not [w for w in content.warnings if w.file.endswith("events.yaml")]


def test_without_events_file_the_calendar_is_empty(tree: Tree) -> None:
    tree.path("events.yaml").unlink()
    content = tree.load()
    assert content.events.events == [] and content.events.weeks == 6


def test_place_step_must_ask_a_place(tree: Tree) -> None:
    dialog = tree.path("dialog.yaml")
    text = dialog.read_text(encoding="utf-8")
    dialog.write_text(text.replace("place_step: events_place", "place_step: goodbye"), "utf-8")
    find(tree.problems(), "dialog.yaml", line_of(dialog, "place_step: goodbye"), "'place'")


def test_lotse_check_prints_file_and_line(tree: Tree, tmp_path: Path) -> None:
    path = write_events(tree, GOOD + '    link: "www.delitzsch.de"\n')
    result = run_lotse(
        "check",
        db=tmp_path / "check.sqlite3",
        env={"CONTENT_DIR": str(tree.content), "KNOWLEDGE_DIR": str(tree.knowledge)},
    )
    assert result.returncode == 1
    assert f"events.yaml:{line_of(path, 'link:')}: Link 'www.delitzsch.de'" in result.stdout + (
        result.stderr
    )


def test_shipped_events_file_loads_from_disk() -> None:
    content = load_content(ROOT / "content", ROOT / "knowledge")
    assert content.events.events
    assert yaml.safe_load((ROOT / "content" / "events.yaml").read_text("utf-8"))["weeks"] == 6


# --- which day it is ------------------------------------------------------------------


def test_the_day_is_the_regions_not_the_servers() -> None:
    """Half past midnight in Delitzsch is still yesterday on a server that runs on UTC."""
    late = dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC)
    assert today_in("Europe/Berlin", late) == dt.date(2026, 11, 26)
    assert today_in("Europe/Berlin", late - dt.timedelta(hours=1)) == dt.date(2026, 11, 25)


async def test_the_engine_counts_days_in_the_content_timezone(
    content: Content, db: Database, matchers: Matchers
) -> None:
    far_east = "Pacific/Kiritimati"  # UTC+14: most hours of a day, another date than UTC
    leads = content.leads.model_copy(update={"timezone": far_east})
    engine = DialogEngine(dataclasses.replace(content, leads=leads), db, matchers)
    assert engine.today() == product_clock.today_in(far_east)
