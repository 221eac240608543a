"""The conversation core, step by step, against a real SQLite file.

On the tests' own small content (tests/content/): these tests assert on wording, places and
offers, and coordinators editing content/ must not break them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.messages import Event
from bot.store.db import Database
from bot.store.models import Conversation, Lead, Search, User
from tests.helpers.chat import Chat, walk_to_results

pytestmark = pytest.mark.small_content  # the tests' own content: see tests/conftest.py


async def conversation_row(db: Database) -> Conversation:
    async with db.session() as session:
        rows = (await session.scalars(select(Conversation))).all()
    assert len(rows) == 1
    return rows[0]


async def test_first_message_greets_with_main_menu(chat: Chat) -> None:
    await chat.say("Hallo")
    assert "willkommen" in chat.text.lower()
    assert any("engagieren" in label for label in chat.labels)
    assert any("Hilfe" in label for label in chat.labels)
    assert any("Frage" in label for label in chat.labels)


async def test_interest_by_free_text_with_typo(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Feuerwer")
    assert "Feuerwehr" in chat.text
    row = await conversation_row(db)
    assert row.step == "place"
    assert row.answers["interests"] == ["rettung"]


async def test_unclear_interest_shows_area_buttons(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("hmm weiß nicht so recht")
    assert "nicht sicher" in chat.text
    assert len([label for label in chat.labels if "Zurück" not in label]) == 12
    await chat.press("Umwelt")
    assert (await conversation_row(db)).answers["interests"] == ["umwelt"]


async def test_several_interests_in_one_sentence(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Ich mag Fußball und würde gern Senioren besuchen")
    assert set((await conversation_row(db)).answers["interests"]) >= {"sport", "soziales"}


async def test_village_with_typo_and_gemeinde_form(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Kinder")
    await chat.say("Delizsch-Beerendorf")
    assert "Beerendorf (Delitzsch)" in chat.text
    place = (await conversation_row(db)).answers["place"]
    assert (place["name"], place["gemeinde"]) == ("Beerendorf", "Delitzsch")


async def test_ambiguous_village_asks_back_with_buttons(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Kinder")
    await chat.say("Rödgen")
    assert "mehrmals" in chat.text
    assert "Rödgen (Delitzsch)" in chat.labels and "Rödgen (Zschepplin)" in chat.labels
    await chat.press("Zschepplin")
    place = (await conversation_row(db)).answers["place"]
    assert (place["name"], place["gemeinde"]) == ("Rödgen", "Zschepplin")


async def test_unknown_village_asks_again(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Kinder")
    await chat.say("Xyzabc")
    assert "kenne ich leider nicht" in chat.text
    assert (await conversation_row(db)).step == "place"


async def test_location_resolves_to_nearest_village(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Kinder")
    await chat.send(Event.location(chat.sender, 51.4793, 12.3589))  # Zschortau
    assert (await conversation_row(db)).answers["place"]["name"] == "Zschortau"


async def test_outside_region_is_answered_honestly(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Kultur")
    await chat.say("Leipzig")
    assert "außerhalb" in chat.text and "ehrensache.jetzt" in chat.text
    assert (await conversation_row(db)).step == "time_kind"


async def test_offers_show_three_with_reasons(chat: Chat) -> None:
    await walk_to_results(chat)
    offers_message = chat.last_message().text
    assert "1." in offers_message and "3." in offers_message
    assert " km" in offers_message or "vor Ort" in offers_message
    assert "Möchten Sie, dass sich ein Lotse bei Ihnen meldet?" in offers_message
    assert sum(1 for label in chat.labels if label.startswith("👉")) == 3


async def test_unmet_demand_is_recorded(chat: Chat, db: Database) -> None:
    await walk_to_results(chat)
    async with db.session() as session:
        searches = (await session.scalars(select(Search))).all()
    assert [(s.gemeinde, s.interest) for s in searches] == [("Delitzsch", "kinder-jugend")]


async def test_typed_button_labels_with_typos(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.say("ich möchte mich engagiren")  # typo in a button label
    assert (await conversation_row(db)).step == "interests"
    await chat.say("Kinder")
    await chat.say("Krostitz")
    await chat.say("regelmässig")
    assert (await conversation_row(db)).answers["time_kind"] == "regular"
    await chat.say("abends und am Wochenende")
    row = await conversation_row(db)
    assert row.answers["time_slots"] == ["evening", "weekend"]
    assert row.step == "results"


async def test_back_returns_to_previous_question(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Sport")
    await chat.say("zurück")
    assert (await conversation_row(db)).step == "interests"
    assert "Was interessiert Sie" in chat.text
    await chat.press("Zurück")
    assert (await conversation_row(db)).step == "start"


async def test_restart_at_every_step(chat: Chat, db: Database, content: Content) -> None:
    for command in ("neu starten", "/start", "/neu"):
        await chat.say("Hallo")
        await chat.press("engagieren")
        await chat.say("Sport")
        await chat.say(command)
        row = await conversation_row(db)
        assert row.step == content.dialog.start
        assert row.answers == {}
        assert "willkommen" in chat.text.lower()


async def test_stale_or_forged_button_is_refused(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    for data in ("s:start:volunteer", "s:interests:no-such-area", "garbage", "s::", "x" * 64):
        await chat.send(Event.button(chat.sender, data))
        assert (await conversation_row(db)).step == "interests"
    await chat.send(Event.button(chat.sender, "s:start:volunteer"))
    assert "früheren Frage" in chat.text


# Malformed data under every prefix the bot uses, and well-formed data naming nothing.
FORGED_PRESSES = [
    "l:x:accept",
    "l:²:accept",
    "l:99999999999:accept",
    "l:1:delete",
    "l:1",
    "w:abc",
    "w:1:2",
    "f:1:maybe",
    "or:1:approve:now",
    "or:x:approve",
    "oc::keep",
    "hq:maybe",
    "del:perhaps",
    "lang:",
    "lang:xx",
    "faq:",
    "faq:no-such-entry",
    "nav:sideways",
    "s:interests",
    "s:interests:sport:extra",
    "s:interests:" + "ä" * 30,
    "🙂:1",
    ":::",
    "",
]


@pytest.mark.parametrize("data", FORGED_PRESSES)
async def test_forged_data_of_every_kind_is_a_stale_button(
    chat: Chat, db: Database, data: str
) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.send(Event.button(chat.sender, data))
    assert "früheren Frage" in chat.text
    assert (await conversation_row(db)).step == "interests"


async def test_full_path_creates_lead_and_notifies_lotse(chat: Chat, db: Database) -> None:
    await walk_to_results(chat)
    await chat.press("👉 1.")
    assert "einverstanden" in chat.text
    await chat.press("Ja, einverstanden")
    await chat.say("Maria")
    await chat.say("Telefon 0171 2345678, gern abends")
    assert "Anna Beispiel" in chat.text
    [note] = chat.last.notifications
    assert note.recipient.id == "lotse-delitzsch"
    assert "0171" not in note.message.text and "Maria" not in note.message.text
    async with db.session() as session:
        [lead] = (await session.scalars(select(Lead))).all()
    assert lead.gemeinde == "Delitzsch" and lead.lotse_id == "lotse-delitzsch"
    assert lead.contact == "Telefon 0171 2345678, gern abends" and lead.name == "Maria"
    assert lead.offer_id and lead.consent_version and lead.status == "offered"


async def test_no_lead_without_consent(chat: Chat, db: Database) -> None:
    await walk_to_results(chat)
    await chat.press("beraten")
    await chat.press("Nein")
    assert "ohne Ihr Einverständnis" in chat.text
    async with db.session() as session:
        assert (await session.scalars(select(Lead))).all() == []


async def test_contact_must_contain_phone_or_email(chat: Chat, db: Database) -> None:
    await walk_to_results(chat)
    await chat.press("beraten")
    await chat.press("Ja")
    await chat.press("Überspringen")
    await chat.say("ruft mich einfach an")
    assert "keine Telefonnummer" in chat.text
    await chat.say("maria@example.org")
    async with db.session() as session:
        [lead] = (await session.scalars(select(Lead))).all()
    assert lead.contact == "maria@example.org" and lead.name is None


async def test_other_doors_do_not_dead_end(chat: Chat) -> None:
    for door in ("Hilfe", "Verein", "Projektidee"):
        await chat.say("/start")
        await chat.press(door)
        assert chat.labels, f"{door} must offer a way on"
        await chat.press("Zurück")
        assert "willkommen" in chat.text.lower()


async def test_need_help_becomes_a_help_request_for_the_local_lotse(
    chat: Chat, db: Database
) -> None:
    for text in (
        "Hallo",
        "Ich brauche Hilfe",
        "Einkauf",
        "Laue",
        "keine Eile",
        "ja",
        "Erna",
        "034202 12345",
    ):
        await chat.say(text)
    assert "Bitte um Hilfe ist angekommen" in chat.text
    async with db.session() as session:
        [lead] = (await session.scalars(select(Lead))).all()
    assert (lead.kind, lead.gemeinde, lead.lotse_id) == ("help", "Delitzsch", "lotse-delitzsch")
    assert lead.details == {
        "Art der Hilfe": "🛒 Einkauf & Besorgungen",
        "Dringlichkeit": "Keine Eile",
    }
    [note] = chat.last.notifications
    assert "Hilfe gesucht" in note.message.text and "Einkauf" in note.message.text
    assert "034202" not in note.message.text  # contact only after accepting


async def test_an_idea_is_asked_three_questions_and_reaches_a_lotse(
    chat: Chat, db: Database
) -> None:
    idea = "Ein Repair-Café im Dorfgemeinschaftshaus, einmal im Monat."
    for text in (
        "Hallo",
        "Ich habe eine Projektidee",
        idea,
        "Zschortau",
        "Leute, die löten können",
        "ja",
        "Überspringen",
        "ideen@example.org",
    ):
        await chat.say(text)
    assert "Danke für Ihre Idee" in chat.text
    async with db.session() as session:
        [lead] = (await session.scalars(select(Lead))).all()
    assert (lead.kind, lead.gemeinde, lead.lotse_id) == ("idea", "Rackwitz", "lotse-rackwitz")
    assert lead.details == {"Idee": idea, "Braucht": "Leute, die löten können"}


async def test_question_is_answered_with_source(chat: Chat) -> None:
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say("Bin ich beim Ehrenamt versichert?")
    assert "Quelle:" in chat.text and "Stand:" in chat.text


async def test_conversation_resumes_after_restart(
    content: Content, matchers: Matchers, sqlite_url: str
) -> None:
    first = Database(sqlite_url)
    await first.migrate()
    chat = Chat(DialogEngine(content, first, matchers))
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Sport")
    await first.close()  # the process dies here

    second = Database(sqlite_url)
    await second.migrate()  # migrations are idempotent
    chat = Chat(DialogEngine(content, second, matchers))
    await chat.send(Event(chat.sender, "resume"))
    assert "In welchem Ort" in chat.text
    await chat.say("Taucha")
    row = await conversation_row(second)
    assert row.answers["interests"] == ["sport"] and row.answers["place"]["name"] == "Taucha"
    async with second.session() as session:
        assert len((await session.scalars(select(User))).all()) == 1
    await second.close()


async def test_english_texts_follow_user_language(engine: DialogEngine) -> None:
    chat = Chat(engine, user="tom", language="en-GB")
    await chat.say("hello")
    assert "welcome" in chat.text.lower()
    await chat.press("volunteer")
    await chat.say("sports")
    assert "Where do you live" in chat.text


async def test_funnel_counts_each_person_once_per_step(chat: Chat, db: Database) -> None:
    from bot.store.models import StepVisit

    await walk_to_results(chat)
    await chat.say("zurück")  # going back is not a new arrival
    await chat.say("neu starten")  # nor is starting over: the same person, once per step
    await walk_to_results(chat)
    async with db.session() as session:
        visits = (await session.scalars(select(StepVisit))).all()
    assert len({v.person for v in visits}) == 1  # one pseudonym, no user id
    counts = {step: sum(v.step == step for v in visits) for step in {v.step for v in visits}}
    assert counts == {
        "start": 1,
        "interests": 1,
        "place": 1,
        "time_kind": 1,
        "time_slots": 1,
        "results": 1,
    }


async def test_a_greeting_mid_dialogue_shows_the_current_question(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Sport")
    await chat.say("Hallo")
    assert "In welchem Ort" in chat.text
    assert (await conversation_row(db)).step == "place"  # nothing lost, nothing restarted


async def test_a_question_mid_dialogue_is_answered_and_the_dialogue_goes_on(
    chat: Chat, db: Database
) -> None:
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say("Sport")
    await chat.say("Bin ich beim Ehrenamt versichert?")
    assert "Quelle:" in chat.text and "In welchem Ort" in chat.text
    assert (await conversation_row(db)).step == "place"
    related = [b for b in chat.last.replies[0].buttons if b.label.startswith("❓")]
    assert related, "related questions are offered as buttons"
    await chat.send(Event.button(chat.sender, related[0].data))
    assert "Quelle:" in chat.text and (await conversation_row(db)).step == "place"
    await chat.say("Taucha")  # an ordinary answer is still an answer, not a question
    assert (await conversation_row(db)).step == "time_kind"


def test_lotse_ask_answers_from_the_terminal(tmp_path: Path) -> None:
    from tests.helpers import SMALL_CONTENT
    from tests.helpers.chat import run_lotse

    small = {
        "CONTENT_DIR": str(SMALL_CONTENT / "content"),
        "KNOWLEDGE_DIR": str(SMALL_CONTENT / "knowledge"),
    }
    result = run_lotse(
        "ask", "Was ist die Ehrenamtspauschale?", "--json", db=tmp_path / "a.db", env=small
    )
    assert result.returncode == 0, result.stderr
    import json

    answer = json.loads(result.stdout)["answer"]
    assert answer["id"] == "ehrenamtspauschale" and answer["source"] and answer["checked"]
    unsure = run_lotse("ask", "Wann fährt der Bus nach Leipzig?", db=tmp_path / "a.db", env=small)
    assert "Nicht sicher" in unsure.stdout
