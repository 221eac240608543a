"""English mode (issue #17, point 5): a person who chose English, or whose first message
was English, reads English everywhere – the replies, the terminal's own lines, /meine_daten,
and the messages written for them to read later (a Lotse's answer, "Hat es geklappt?",
expiry, a reassignment, a Verein's review) on every channel. The Lotse's card stays German
and says which language the person wrote in.

The check is a short list of typical German words. What stays German on purpose is masked
first: the coordinators' data (offer titles, organisations, places, Lotsen's names) and the
Lotse's card, which the terminal prints between two rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select, update

from bot import clock as product_clock
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.leads.desk import introduce
from bot.leads.reassign import reassign
from bot.messages import Event
from bot.payloads import OfferReview
from bot.runtime.ticker import tick
from bot.store import handover, repo
from bot.store.db import Database
from bot.store.models import Conversation, Lead, OfferSubmission, OutboxMessage, User
from tests.helpers.chat import Chat, run_lotse
from tests.helpers.leads import join_as_lotse
from tests.helpers.web import ChatServer, PageClient

GERMAN = (" und ", " Sie ", " nicht ", "Ihre", "bitte", "Angebot", "Verstanden")
RULE = "─" * 60
LOTSE_CARD = re.compile(f"{RULE}.*?{RULE}", re.S)  # a notification printed by `lotse chat`
ANNA, CLAUDIA = "lotse-delitzsch", "lotse-krostitz"


def proper_names(content: Content) -> list[str]:
    """Names that stay as the coordinators wrote them, longest first (a title may hold a
    place's name)."""
    names = {lotse.name for lotse in content.lotsen}
    for offer in content.offers:
        names |= {offer.title, offer.organisation, offer.place}
    for gemeinde in content.places.gemeinden:
        names |= {gemeinde.name, *(ortsteil.name for ortsteil in gemeinde.ortsteile)}
    return sorted(names, key=len, reverse=True)


def german_in(text: str, content: Content) -> list[str]:
    """The German words left in `text` once names, the Lotse's card and the knowledge
    base's questions (German, the bot says so) are taken out."""
    text = LOTSE_CARD.sub("", text)
    text = "\n".join(line for line in text.splitlines() if "❓" not in line)
    for name in proper_names(content):
        text = text.replace(name, "…")
    return [word for word in GERMAN if word in text]


def assert_english(texts: list[str], content: Content) -> None:
    for text in texts:
        assert german_in(text, content) == [], text


# --- the terminal chat, as a person types it ---------------------------------------------


def chat_run(db: Path, *lines: str) -> str:
    result = run_lotse("chat", db=db, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_an_english_volunteer_reads_english_from_first_line_to_deletion(
    tmp_path: Path, content: Content
) -> None:
    out = chat_run(
        tmp_path / "lotse.sqlite3",
        "Hello, I would like to volunteer with children in Delitzsch, regularly in the evenings",
        "1",  # the first offer
        "yes",
        "Tom",
        "0171 2345678",
        "/meine_daten",
        "/hilfe",
        "blablub qwertz",  # not understood: an example says what to write
        "/xyz",
        "/datenschutz",
        "/loeschen",
        "1",
    )
    assert content.text("language_detected", "en").split(".")[0] in out
    assert content.text("offers_intro", "en") in out and "in the evenings" in out
    assert "Englisch (bitte auf Englisch antworten)" in out  # the Lotse's card says it …
    assert "Neue Anfrage" in out  # … in German
    assert "Notification to Anna Beispiel" in out  # the terminal's own line
    assert "On which days" in out and "language: English" in out  # /meine_daten
    assert "/sprache" in out and "e.g." in out  # /hilfe; the example when not understood
    assert content.text("erased", "en") in out
    assert_english([out.split("📎 meine-daten.json")[0], out.split("/loeschen\n")[-1]], content)


@pytest.mark.slow
def test_an_english_request_for_help_and_a_question_for_a_person(
    tmp_path: Path, content: Content
) -> None:
    helped = chat_run(
        tmp_path / "help.sqlite3",
        "Hi, I need help with shopping for my neighbour in Delitzsch",
        "this week",  # English words for a button
        "yes",
        "skip",
        "emma@example.org",
    )
    assert content.text("ask_help_urgency", "en") in helped
    assert "Sprache: Englisch" in helped  # on the Lotse's card
    asked = chat_run(
        tmp_path / "question.sqlite3",
        "Hello, I have a question",
        "Is my dog allowed to come along?",  # not sure: "Ask a person" is offered
        "4",
        "1",
    )
    assert "Frage: Is my dog allowed" in asked and "Sprache: Englisch" in asked
    assert_english([helped, asked], content)


@pytest.mark.slow
def test_the_location_hint_of_the_terminal_speaks_the_persons_language(
    tmp_path: Path, content: Content
) -> None:
    english = chat_run(
        tmp_path / "lotse.sqlite3", "Hello, I want to volunteer", "something with animals"
    )
    assert content.text("console_location_hint", "en") in english
    assert content.text("console_location_hint", "de") not in english


def test_the_check_finds_german_and_spares_names(content: Content) -> None:
    assert german_in("Vielen Dank! Ihre Anfrage ist angekommen.", content) == ["Ihre"]
    offer = content.offers[0]
    assert german_in(f"1. {offer.title}\n   {offer.organisation}, {offer.place}", content) == []


async def test_help_names_the_language_command_in_both_languages(engine: DialogEngine) -> None:
    for lang in ("de", "en"):
        chat = Chat(engine, user=f"help-{lang}", language=lang)
        await chat.say("/start")
        await chat.say("/hilfe")
        assert "/sprache" in chat.text
        assert ("Sprache wählen" in chat.text) == (lang == "de")


# --- messages written now, read later ----------------------------------------------------


async def english_lead(engine: DialogEngine, user: str = "tom") -> Chat:
    """An English first message, through the offers to a lead in Delitzsch (Anna's)."""
    tom = Chat(engine, user=user, language=None)
    await tom.say("Hi, I'd like to volunteer in Delitzsch with kids, regularly in the evenings")
    await tom.press("advise")
    await tom.press("Yes")
    await tom.press("Skip")
    await tom.say("0171 2345678")
    return tom


async def for_citizens(db: Database, since: int = 0) -> list[OutboxMessage]:
    async with db.session() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient_role == "citizen", OutboxMessage.id > since)
            .order_by(OutboxMessage.id)
        )
        return list(rows.all())


async def the_lead(db: Database) -> Lead:
    async with db.session() as session:
        return (await session.scalars(select(Lead))).one()


async def test_a_lotses_answer_and_the_follow_up_reach_an_english_person_in_english(
    engine: DialogEngine, db: Database, content: Content
) -> None:
    await english_lead(engine)
    lead = await the_lead(db)
    anna = await join_as_lotse(engine, db, ANNA, "anna-chat")
    await anna.send(Event.button(anna.sender, f"l:{lead.id}:accept"))
    await anna.send(Event.button(anna.sender, f"l:{lead.id}:write"))
    await anna.say("Hello Tom, would Tuesday suit you?")
    await anna.send(Event.button(anna.sender, f"l:{lead.id}:placed"))
    assert "Anfrage" in anna.text  # the Lotse's own replies stay German
    async with db.session() as session, session.begin():
        await session.execute(update(Lead).values(due_kind="followup", due_at=product_clock.now()))
    await tick(db, content, product_clock.now())
    taken, message, followup = await for_citizens(db)
    holder = introduce(content, next(x for x in content.lotsen if x.id == ANNA), "en")
    assert taken.text == content.text("lead_taken", "en", via="later", **holder)
    assert "would Tuesday suit you?" in message.text
    assert followup.text == content.text("followup_question", "en", via="later")
    assert [label for label, _ in followup.buttons] == [
        content.text(f"btn_followup_{answer}", "en") for answer in ("yes", "partly", "no")
    ]
    assert_english([taken.text, message.text, followup.text], content)


async def test_expiry_and_a_reassignment_are_told_in_english(
    engine: DialogEngine, db: Database, content: Content
) -> None:
    await english_lead(engine)
    lead = await the_lead(db)
    moved, _ = await reassign(db, content, lead.id, CLAUDIA)
    assert moved
    async with db.session() as session, session.begin():
        await session.execute(update(Lead).values(due_kind="expire", due_at=product_clock.now()))
    await tick(db, content, product_clock.now())
    reassigned, expired = await for_citizens(db)
    assert reassigned.text == content.text(
        "lead_reassigned_citizen", "en", via="later", lotse="Claudia Probst"
    )
    assert expired.text == content.text("expired_citizen", "en", via="later")
    assert_english([reassigned.text, expired.text], content)


async def test_a_german_person_still_gets_german_later(
    engine: DialogEngine, db: Database, content: Content
) -> None:
    erna = Chat(engine, user="erna")
    for text in ("Hallo", "1", "Kinder", "Delitzsch", "1", "1"):
        await erna.say(text)
    await erna.press("beraten")
    await erna.press("Ja")
    await erna.press("Überspringen")
    await erna.say("0171 2345678")
    async with db.session() as session, session.begin():
        await session.execute(update(Lead).values(due_kind="expire", due_at=product_clock.now()))
    await tick(db, content, product_clock.now())
    [expired] = await for_citizens(db)
    assert expired.text == content.text("expired_citizen", "de", via="later")


async def test_a_verein_that_wrote_english_hears_the_review_in_english(
    content: Content, db: Database, matchers: Matchers
) -> None:
    engine = DialogEngine(content, db, matchers, coordinators={("test", "coord")})
    verein = Chat(engine, user="club", language="en")
    for text in (
        "Hello, our sports club in Krostitz is looking for volunteers",
        "Coaches for the kids' football team",
        "We need two people to help train children.",
    ):
        await verein.say(text)
    await verein.press("Sports")
    for text in ("Krostitz", "Saturdays 10am", "SV Krostitz", "trainer@example.org"):
        await verein.say(text)
    await verein.press("Yes")
    async with db.session() as session:
        [submission] = (await session.scalars(select(OfferSubmission))).all()
        [card] = (await session.scalars(select(OutboxMessage))).all()
    assert "Sprache: Englisch" in card.text and "Freigeben" in card.buttons[0][0]
    coordinator = Chat(engine, user="coord")
    await coordinator.say("Hallo")
    await coordinator.send(
        Event.button(coordinator.sender, OfferReview(submission.id, "approve").pack())
    )
    [approved] = await for_citizens(db)
    assert "Coaches for the kids' football team" in approved.text
    assert_english([approved.text], content)


# --- the web chat over HTTP --------------------------------------------------------------


async def test_the_web_page_in_english_shows_later_messages_in_english(
    content: Content, matchers: Matchers, sqlite_url: str
) -> None:
    """A browser that asks for English: the conversation, the Lotse's message and the
    expiry notice in English, the notice naming the page's English button."""
    server = await ChatServer.start(sqlite_url, content, matchers)
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    http = aiohttp.ClientSession(cookie_jar=jar, headers={"Accept-Language": "en-GB,en;q=0.8"})
    page = PageClient(server.base, http)
    try:
        await page.open()
        said = [line["text"] for line in await page.send(start="")]
        said.append(await page.press("volunteer"))
        said.append(await page.say("something with children"))
        said.append(await page.say("Delitzsch"))
        said.append(await page.press("Regularly"))
        said.append(await page.say("evenings"))
        said.append(await page.press("advise"))
        said.append(await page.press("Yes"))
        said.append(await page.press("Skip"))
        said.append(await page.say("0171 2345678"))
        assert content.text("offers_intro", "en") in "\n".join(said)
        lead = await the_lead(server.db)
        anna = await join_as_lotse(server.engine, server.db, ANNA, "anna-chat")
        await anna.send(Event.button(anna.sender, f"l:{lead.id}:accept"))
        await anna.send(Event.button(anna.sender, f"l:{lead.id}:write"))
        await anna.say("Hello, would Tuesday suit you?")
        async with server.db.session() as session, session.begin():
            await session.execute(
                update(Lead).values(due_kind="expire", due_at=product_clock.now())
            )
        await tick(server.db, content, product_clock.now())
        notes = [line["text"] for line in (await page.history())["lines"] if line["from"] == "note"]
        assert len(notes) == 3 and "would Tuesday suit you?" in notes[1]
        assert content.text("web_command_start", "en") in notes[2] and "{/" not in notes[2]
        assert_english(said + notes, content)
    finally:
        await http.close()
        await server.stop()


async def test_moving_to_telegram_keeps_the_language_spoken_on_the_web(db: Database) -> None:
    async with db.session() as session, session.begin():
        web = await repo.add_user(session, "web", "browser-1", "en")
        session.add(Conversation(user_id=web.id, step="start"))
        telegram = await repo.add_user(session, "telegram", "777", "de")  # Telegram in German
        code = await handover.create_code(session, web)
    async with db.session() as session, session.begin():
        target = await session.get(User, telegram.id)
        assert target is not None
        assert await handover.redeem(session, code, target) is not None
    async with db.session() as session:
        assert await repo.language_of(session, telegram.id) == "en"
