"""An offer opened before choosing it ("ℹ️ Mehr zu 2"): the core, on the tests' own content.

What the details show, choosing from them (the same consent flow), back to the very same
list, typed requests ("mehr zu 2", "was ist das erste genau?"), and buttons that name an
offer which is not (or no longer) in the person's list."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from bot.content.model import Content
from bot.content.offer_table import OfferTable
from bot.dialogs.engine import DialogEngine
from bot.messages import Event
from bot.payloads import OfferDetails, OfferList
from bot.store.db import Database
from bot.store.models import Conversation, Lead, Search
from bot.telegram.render import keyboard
from tests.helpers.chat import Chat, walk_to_results

pytestmark = pytest.mark.small_content  # the tests' own content: see tests/conftest.py

# walk_to_results on the small content lists these, in this order
LISTED = ["dz-selben-jugendfeuerwehr", "ta-jugendclub-abende", "dz-lesepaten-grundschule"]


async def conversation(db: Database) -> Conversation:
    async with db.session() as session:
        return (await session.scalars(select(Conversation))).one()


async def searches(db: Database) -> int:
    async with db.session() as session:
        return (await session.scalar(select(func.count()).select_from(Search))) or 0


async def test_the_list_has_one_details_button_per_offer_after_the_choices(
    chat: Chat, db: Database
) -> None:
    await walk_to_results(chat)
    assert (await conversation(db)).pending["offers"] == LISTED
    assert chat.labels[:6] == [
        "👉 1. Betreuer für die Jugendfeuerwehr",
        "👉 2. Offene Abende im Jugendclub mitgestalten",
        "👉 3. Lesepate in der Grundschule",
        "ℹ️ Mehr zu 1",
        "ℹ️ Mehr zu 2",
        "ℹ️ Mehr zu 3",
    ]
    assert [b.data for b in chat.buttons[3:6]] == [OfferDetails(o).pack() for o in LISTED]


async def test_details_show_every_field_the_offer_has_and_only_those(chat: Chat) -> None:
    await walk_to_results(chat)
    await chat.press("Mehr zu 3")
    [details] = chat.last.replies
    assert details.text.startswith("ℹ️ 3. Lesepate in der Grundschule")
    for line in (
        "Was Sie tun: Mit Kindern der 2. und 3. Klasse",
        "📍 Wo: Delitzsch",
        "🗓 Wann: einmal pro Woche vormittags, Tag nach Absprache (etwa 1,5 Std. pro Woche)",
        "👥 Wer steht dahinter: Schulförderverein einer Delitzscher Grundschule",
        "🎒 Was Sie mitbringen sollten: Geduld, Freude am Vorlesen",
        "♿ Barrierefreiheit: Schulhaus mit Aufzug",
        "🔗 Mehr dazu: https://lesepaten.beispiel.de/delitzsch",
    ):
        assert line in details.text
    assert chat.labels == ["✅ Das möchte ich", "↩️ Zurück zur Liste"]
    await chat.press("Zurück zur Liste")
    await chat.press("Mehr zu 1")
    one = chat.text
    assert "📍 Wo: Selben (Gemeinde Delitzsch)" in one
    assert "Barrierefreiheit" not in one and "🔗" not in one  # this offer has neither


async def test_back_shows_the_same_list_and_asks_nothing_again(chat: Chat, db: Database) -> None:
    await walk_to_results(chat)
    listed = chat.last_message()
    recorded = await searches(db)
    await chat.press("Mehr zu 2")
    await chat.press("Zurück zur Liste")
    assert chat.last.replies == [listed]
    await chat.press("Mehr zu 1")
    await chat.say("zurück")  # typed, too: back to the list, not to the time question
    assert chat.last.replies == [listed]
    row = await conversation(db)
    assert row.step == "results" and row.pending["offers"] == LISTED
    assert await searches(db) == recorded  # not ranked (nor counted as a search) again
    await chat.say("zurück")  # at the list itself 'zurück' is the previous question again
    assert (await conversation(db)).step == "time_slots"


async def test_choosing_from_the_details_leads_to_consent_for_that_offer(
    chat: Chat, db: Database
) -> None:
    await walk_to_results(chat)
    await chat.press("Mehr zu 2")
    await chat.press("Das möchte ich")
    assert "einverstanden" in chat.text
    assert (await conversation(db)).step == "consent"
    await chat.press("Ja, einverstanden")
    await chat.say("Maria")
    await chat.say("0171 2345678")
    async with db.session() as session:
        lead = (await session.scalars(select(Lead))).one()
    assert lead.offer_id == "ta-jugendclub-abende" and lead.consent_version


@pytest.mark.parametrize(("answer", "step"), [("ja, gerne", "consent"), ("nee", "results")])
async def test_yes_at_the_details_chooses_that_offer_and_no_goes_back(
    chat: Chat, db: Database, answer: str, step: str
) -> None:
    await walk_to_results(chat)
    listed = chat.last_message()
    await chat.press("Mehr zu 3")
    await chat.say(answer)
    assert (await conversation(db)).step == step
    if step == "results":
        assert chat.last.replies == [listed]
    else:
        assert (await conversation(db)).answers["offer_id"] == LISTED[2]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("mehr zu 2", 2),
        ("Details zum zweiten", 2),
        ("was ist das erste genau?", 1),
        ("Erzählen Sie mir bitte mehr über das dritte Angebot", 3),
        ("mehr zum letzten", 3),
        ("Infos zu Lesepate in der Grundschule", 3),
    ],
)
async def test_typed_words_open_the_details_instead_of_choosing(
    chat: Chat, db: Database, typed: str, number: int
) -> None:
    await walk_to_results(chat)
    await chat.say(typed)
    assert chat.text.startswith(f"ℹ️ {number}. ")
    assert (await conversation(db)).step == "results"


async def test_an_ordinal_without_asking_for_more_still_chooses(chat: Chat, db: Database) -> None:
    await walk_to_results(chat)
    await chat.say("das zweite")
    assert (await conversation(db)).step == "consent"


async def test_in_english_the_details_speak_english(engine: DialogEngine) -> None:
    chat = Chat(engine, user="tom", language="en")
    await chat.say("Hello")
    await chat.press("volunteer")
    await chat.say("something with children")
    await chat.say("Delitzsch")
    await chat.press("Regular")
    await chat.press("Evenings")
    assert "ℹ️ More on 2" in chat.labels
    await chat.say("tell me more about the third one")
    assert "♿ Accessibility:" in chat.text and "🗓 When:" in chat.text
    assert chat.labels == ["✅ I'd like this one", "↩️ Back to the list"]


FORGED = [
    OfferDetails("no-such-offer").pack(),  # no offer has this id
    OfferDetails("kr-seniorengymnastik").pack(),  # an offer, but not in this person's list
    "od:",
    "od:a:b",
    "ol:1",
]


@pytest.mark.parametrize("data", FORGED)
async def test_a_forged_or_stale_details_button_gets_a_friendly_reply(
    chat: Chat, db: Database, data: str
) -> None:
    await walk_to_results(chat)
    listed = chat.last_message()
    await chat.send(Event.button(chat.sender, data))
    assert "früheren Frage" in chat.text
    assert chat.last.replies[-1] == listed  # and the list again, unchanged
    assert (await conversation(db)).step == "results"


async def test_details_buttons_at_another_step_are_stale(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    for data in (OfferDetails(LISTED[0]).pack(), OfferList().pack()):
        await chat.send(Event.button(chat.sender, data))
        assert "früheren Frage" in chat.text
        assert (await conversation(db)).step == "interests"


def _without(content: Content, offer_id: str, *, archive: bool) -> Content:
    """The content after a reload in which the offer ended: archived, or gone."""
    offers = [
        o.model_copy(update={"archived": True}) if o.id == offer_id and archive else o
        for o in content.offers
        if archive or o.id != offer_id
    ]
    return dataclasses.replace(content, offers=OfferTable.of(offers))


@pytest.mark.parametrize("archive", [True, False], ids=["archived", "removed"])
async def test_an_offer_that_ended_after_the_list_was_shown_is_explained(
    chat: Chat, engine: DialogEngine, content: Content, db: Database, archive: bool
) -> None:
    await walk_to_results(chat)
    listed = chat.last_message()
    engine.replace_content(_without(content, LISTED[1], archive=archive))
    await chat.press("Mehr zu 2")
    assert "gibt es leider nicht mehr" in chat.text
    assert chat.last.replies[-1] == listed
    await chat.press("Mehr zu 1")  # the others still open
    assert chat.text.startswith("ℹ️ 1. Betreuer für die Jugendfeuerwehr")


async def test_the_telegram_keyboard_of_the_list_is_compact(chat: Chat) -> None:
    await walk_to_results(chat)
    markup = keyboard(chat.last_message(), "Standort teilen")
    assert markup is not None
    rows = [[b.text for b in row] for row in markup.inline_keyboard]  # type: ignore[union-attr]
    assert rows[3] == ["ℹ️ Mehr zu 1", "ℹ️ Mehr zu 2", "ℹ️ Mehr zu 3"]
    assert [len(row) for row in rows[:3]] == [1, 1, 1]  # each offer's title on its own row
    assert rows[4] == ["💬 Lotse soll mich beraten"]  # the row after stays as it was
