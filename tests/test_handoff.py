"""A question the bot cannot answer goes to a person, and the answer comes back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.store.db import Database
from bot.store.models import Lead, LeadEvent
from tests.helpers.chat import Chat
from tests.helpers.leads import join_as_lotse, outbox

pytestmark = pytest.mark.small_content  # the tests' own content: see tests/conftest.py


UNANSWERABLE = "Wie repariere ich einen tropfenden Wasserhahn?"


async def ask_unanswerable(chat: Chat) -> None:
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say(UNANSWERABLE)
    assert "keine sichere Antwort" in chat.text
    await chat.press("Menschen fragen")
    assert UNANSWERABLE in chat.text and "Einverstanden" in chat.text


async def leads(db: Database) -> list[Lead]:
    async with db.session() as session:
        return list((await session.scalars(select(Lead).order_by(Lead.id))).all())


async def test_question_goes_to_coordinators_and_their_answer_reaches_the_citizen(
    content: Content, db: Database, matchers: Matchers
) -> None:
    engine = DialogEngine(content, db, matchers, coordinators={("test", "coord")})
    citizen = Chat(engine, user="citizen")
    await ask_unanswerable(citizen)
    await citizen.press("Ja, Frage weitergeben")
    assert "an die Koordinierungsstelle" in citizen.text
    [lead] = await leads(db)
    assert (lead.kind, lead.status, lead.lotse_id, lead.contact) == (
        "question",
        "new",
        None,
        "chat",
    )
    assert list(lead.details.values()) == [UNANSWERABLE]
    [card] = await outbox(db)
    assert card.recipient_role == "coordinator" and UNANSWERABLE in card.text
    answer_data = next(data for label, data in card.buttons if "Antworten" in label)

    stranger = Chat(engine, user="stranger")  # not a coordinator: the forged press is refused
    await stranger.say("Hallo")
    await stranger.send(stranger_press(stranger, answer_data))
    assert "Lotsen" in stranger.text
    coordinator = Chat(engine, user="coord")
    await coordinator.say("Hallo")
    await coordinator.send(stranger_press(coordinator, answer_data))
    assert UNANSWERABLE in coordinator.text  # asked to write the answer, question quoted
    await coordinator.say("Dichtung tauschen – der Repair-Café-Verein hilft gern!")
    assert "unterwegs" in coordinator.text

    [lead] = await leads(db)
    assert lead.status == "answered"
    rows = await outbox(db)
    to_citizen = [r for r in rows if r.recipient_role == "citizen"]
    assert len(to_citizen) == 1 and "Dichtung tauschen" in to_citizen[0].text
    assert UNANSWERABLE in to_citizen[0].text
    async with db.session() as session:
        actors = (await session.scalars(select(LeadEvent.actor))).all()
    assert "coordinator" in actors

    await coordinator.say("Noch ein Nachsatz")  # the reply is over: this is plain dialogue
    assert len([r for r in await outbox(db) if r.recipient_role == "citizen"]) == 1


def stranger_press(chat: Chat, data: str):
    from bot.messages import Event

    return Event.button(chat.sender, data)


async def test_question_goes_to_the_lotse_of_the_place_and_can_be_declined(
    engine: DialogEngine, db: Database
) -> None:
    citizen = Chat(engine, user="citizen")
    for text in ("Hallo", "1", "Kinder", "Delitzsch", "1", "1"):
        await citizen.say(text)  # the dialogue knows the place now
    await citizen.press("Nein")
    await ask_unanswerable(citizen)
    assert "Anna Beispiel" in citizen.text  # the Lotse of Delitzsch is named before consent
    await citizen.press("Ja")
    [lead] = await leads(db)
    assert (lead.status, lead.lotse_id, lead.gemeinde) == (
        "offered",
        "lotse-delitzsch",
        "Delitzsch",
    )
    [card] = await outbox(db)
    assert [label for label, _ in card.buttons] == ["✍️ Antworten", "❌ Ablehnen"]

    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "lotse1")
    decline = next(data for label, data in card.buttons if "Ablehnen" in label)
    await lotse.send(stranger_press(lotse, decline))
    [lead] = await leads(db)
    assert (lead.status, lead.lotse_id) == ("new", None)
    assert any(r.recipient_role == "coordinator" for r in await outbox(db))


async def test_lotse_answers_a_question(engine: DialogEngine, db: Database) -> None:
    citizen = Chat(engine, user="citizen")
    for text in ("Hallo", "1", "Kinder", "Delitzsch", "1", "1"):
        await citizen.say(text)
    await citizen.press("Nein")
    await ask_unanswerable(citizen)
    await citizen.press("Ja")
    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "lotse1")
    [card] = await outbox(db)
    answer = next(data for label, data in card.buttons if "Antworten" in label)
    await lotse.send(stranger_press(lotse, answer))
    await lotse.say("Dichtung tauschen.")
    [lead] = await leads(db)
    assert lead.status == "answered"
    [reply] = [r for r in await outbox(db) if r.recipient_role == "citizen"]
    assert "Anna Beispiel" in reply.text and "Dichtung tauschen." in reply.text
    await lotse.send(stranger_press(lotse, answer))  # answered: a second answer is refused
    assert "geht bei dieser Anfrage gerade nicht" in lotse.text


async def test_no_handoff_without_consent_or_without_a_question(
    engine: DialogEngine, db: Database
) -> None:
    citizen = Chat(engine, user="citizen")
    await ask_unanswerable(citizen)
    await citizen.press("Nein")
    assert await leads(db) == []
    await citizen.send(stranger_press(citizen, "hq:yes"))  # forged: consent was not asked
    assert await leads(db) == []
    other = Chat(engine, user="other")
    await other.say("Hallo")
    await other.send(stranger_press(other, "hq:ask"))  # no question asked yet
    assert "Welche Frage" in other.text
    assert await leads(db) == []


async def test_an_answer_that_does_not_help_can_go_to_a_person(
    engine: DialogEngine, db: Database
) -> None:
    citizen = Chat(engine, user="citizen")
    await citizen.say("Hallo")
    await citizen.press("Frage")
    await citizen.say("Bin ich beim Ehrenamt versichert?")
    assert "Quelle" in citizen.text
    await citizen.press("Hilft nicht")
    await citizen.press("Ja")
    [lead] = await leads(db)
    assert list(lead.details.values()) == ["Bin ich beim Ehrenamt versichert?"]


async def test_withdrawn_question_tells_the_recipient(engine: DialogEngine, db: Database) -> None:
    citizen = Chat(engine, user="citizen")
    await ask_unanswerable(citizen)
    await citizen.press("Ja")
    await citizen.press("zurückziehen")
    [lead] = await leads(db)
    assert lead.status == "withdrawn"


async def test_unanswered_question_in_the_middle_of_the_dialogue(
    engine: DialogEngine, db: Database
) -> None:
    citizen = Chat(engine, user="citizen")
    await citizen.say("Hallo")
    await citizen.press("engagieren")
    await citizen.say("Wie komme ich mit dem Bus zum Bahnhof?")
    assert "Falls das eine Frage war" in citizen.text
    assert citizen.last.replies[-1].buttons  # the step's question comes again, last
    await citizen.send(stranger_press(citizen, "hq:ask"))
    await citizen.press("Ja")
    [lead] = await leads(db)
    assert list(lead.details.values()) == ["Wie komme ich mit dem Bus zum Bahnhof?"]
    await citizen.say("Kinder")  # the dialogue goes on where it was
    assert "Kinder" in citizen.text


async def test_answers_with_a_question_mark_that_move_on_get_no_offer(
    engine: DialogEngine,
) -> None:
    citizen = Chat(engine, user="citizen")
    await citizen.say("Hallo")
    await citizen.press("engagieren")
    await citizen.say("Was mit Kindern?")
    assert "Falls das eine Frage war" not in citizen.text
