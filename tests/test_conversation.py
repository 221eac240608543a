"""A conversation, not a form: whole sentences understood at every step, never asked twice.

Scripted `lotse chat` runs, as a person types them, with the shipped content. Assertions
compare with the content's own question texts, so rewording a question keeps them valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.content.model import Content
from bot.store.db import Database
from bot.store.models import Lead
from tests.helpers.chat import Chat, run_lotse

NOT_UNDERSTOOD = ("nicht ganz verstanden", "nicht verstanden", "didn't get", "didn't quite")


@dataclass
class Transcript:
    """The bot's answer to each line typed, in order (the console echoes '> line')."""

    answers: list[str]

    @classmethod
    def of(cls, tmp_path: Path, *lines: str) -> Transcript:
        result = run_lotse("chat", db=tmp_path / "lotse.sqlite3", stdin="\n".join(lines) + "\n")
        assert result.returncode == 0, result.stderr
        parts = result.stdout.split("\n> ")
        assert len(parts) == len(lines) + 1, result.stdout
        return cls([part.split("\n", 1)[1] if "\n" in part else "" for part in parts[1:]])

    def asked(self, question: str) -> list[int]:
        """After which typed lines (0-based) the bot asked this question."""
        return [n for n, answer in enumerate(self.answers) if question in answer]


def q(content: Content, key: str, lang: str = "de") -> str:
    """The first sentence of a question from the content (robust to rewording the rest)."""
    return content.text(key, lang).split("?")[0]


def assert_understood(transcript: Transcript) -> None:
    for n, answer in enumerate(transcript.answers):
        assert not any(word in answer for word in NOT_UNDERSTOOD), f"answer {n}: {answer}"


@pytest.mark.slow
def test_a_whole_first_sentence_reaches_the_offers_without_asking_again(
    tmp_path: Path, content: Content
) -> None:
    chat = Transcript.of(
        tmp_path,
        "Ich möchte bei der Feuerwehr in Krostitz helfen, am liebsten abends",
        "regelmäßig",
    )
    first, second = chat.answers
    assert "Feuerwehr" in first and "Krostitz" in first and "Verstanden" in first
    assert q(content, "ask_time_kind") in first  # the one thing not said yet
    for key in ("ask_interests", "ask_place", "ask_time_slots"):
        assert chat.asked(q(content, key)) == [], key
    assert content.text("offers_intro", "de") in second or "passt leider" in second
    assert_understood(chat)


@pytest.mark.slow
def test_interest_and_village_in_two_short_sentences(tmp_path: Path, content: Content) -> None:
    chat = Transcript.of(tmp_path, "feuerwehr. wohne in hohenpriesnitz", "ab und zu", "abends")
    assert "Hohenprießnitz" in chat.answers[0]
    assert chat.asked(q(content, "ask_place")) == []
    assert chat.asked(q(content, "ask_interests")) == []
    assert chat.asked(q(content, "ask_time_slots")) == [1]
    assert "👉 1." in chat.answers[2]  # the offers
    assert_understood(chat)


@pytest.mark.slow
def test_other_interests_keep_place_and_time(tmp_path: Path, content: Content) -> None:
    chat = Transcript.of(
        tmp_path,
        "Ich will mich in Delitzsch engagieren, regelmäßig am Wochenende, was mit Sport",
        "andere Interessen",
        "was mit Kindern",
    )
    assert "👉 1." in chat.answers[0]  # everything said: the offers straight away
    assert q(content, "ask_interests") in chat.answers[1]
    assert "👉 1." in chat.answers[2]
    for key in ("ask_place", "ask_time_kind", "ask_time_slots"):
        assert chat.asked(q(content, key)) == [], key
    assert_understood(chat)


@pytest.mark.slow
def test_a_correction_changes_that_slot_only(tmp_path: Path, content: Content) -> None:
    chat = Transcript.of(
        tmp_path, "ich möchte helfen, was mit tieren, in Delitzsch", "nee, ich wohne in Zschepplin"
    )
    assert q(content, "ask_time_kind") in chat.answers[0]
    assert "Zschepplin" in chat.answers[1] and "Verstanden" in chat.answers[1]
    assert q(content, "ask_time_kind") in chat.answers[1]  # asked again, and why is clear
    assert_understood(chat)


@pytest.mark.slow
def test_the_same_wish_said_again_at_the_offers(tmp_path: Path, content: Content) -> None:
    """Said again at the offers, the same areas and place are no failed choice of an offer:
    the bot says it has them and shows the list again (a change is a correction, above)."""
    chat = Transcript.of(
        tmp_path,
        "Ich würde gern bei der Feuerwehr in Krostitz helfen, am liebsten abends",
        "regelmäßig",
        "Ich möchte bei der Feuerwehr in Krostitz helfen",
    )
    again = content.text("understood_again", "de", items="x").split("x")[0]
    assert again in chat.answers[2] and "Krostitz" in chat.answers[2]
    assert chat.asked(q(content, "ask_lotse")) == [1, 2]  # the list again
    assert content.text("offers_unknown", "de")[:30] not in chat.answers[2]
    assert_understood(chat)


@pytest.mark.slow
def test_a_correction_at_the_offers_is_no_no_thanks(tmp_path: Path, content: Content) -> None:
    """'nee, ich wohne in Zschortau' takes back the place, it does not press 'Nein, danke';
    the offers are listed again for the new place, and again for a new time."""
    chat = Transcript.of(
        tmp_path,
        "Ich würde gern bei der Feuerwehr in Krostitz helfen, am liebsten abends",
        "regelmäßig",
        "nee, ich wohne in Zschortau",
        "nein, lieber am Wochenende",
        "nein danke",
    )
    goodbye = q(content, "goodbye").split("!")[0]
    assert chat.asked(q(content, "ask_lotse")) == [1, 2, 3]
    assert "Verstanden" in chat.answers[2] and "Zschortau" in chat.answers[2]
    assert "Verstanden" in chat.answers[3] and "Wochenende" in chat.answers[3]
    # Krostitz is no longer "vor Ort": the list was made again for Zschortau
    assert content.text("distance_here", "de") in chat.answers[1]
    assert content.text("distance_here", "de") not in chat.answers[2]
    assert chat.asked(goodbye) == [4]  # only the plain "nein danke" says goodbye
    assert_understood(chat)


@pytest.mark.slow
def test_need_help_in_one_sentence(tmp_path: Path, content: Content) -> None:
    chat = Transcript.of(
        tmp_path, "Ich brauche Hilfe beim Einkaufen für meine Nachbarin in Delitzsch"
    )
    assert q(content, "ask_help_urgency") in chat.answers[0]
    assert chat.asked(q(content, "ask_help_place")) == []
    assert_understood(chat)


@pytest.mark.slow
def test_english_first_message_gets_english_answers(tmp_path: Path, content: Content) -> None:
    chat = Transcript.of(tmp_path, "Hello, I moved here from Ukraine and want to help")
    answer = chat.answers[0]
    assert content.text("language_detected", "en") in answer
    assert q(content, "ask_interests", "en") in answer
    assert "Schön, dass" not in answer


@pytest.mark.slow
def test_typed_answers_in_everyday_forms(tmp_path: Path, content: Content) -> None:
    chat = Transcript.of(
        tmp_path,
        "Ich möchte mich in Delitzsch engagieren, regelmäßig abends, was mit Kindern",
        "das zweite",
        "jo passt",
    )
    assert "👉 2." in chat.answers[0]
    assert content.text("consent", "de").split("(")[0] in chat.answers[1]
    assert q(content, "ask_name") in chat.answers[2]
    assert_understood(chat)


@pytest.mark.slow
def test_no_thanks_at_the_offers_and_a_miss_says_what_is_needed(
    tmp_path: Path, content: Content
) -> None:
    chat = Transcript.of(
        tmp_path,
        "Ich möchte mich in Delitzsch engagieren, regelmäßig abends, was mit Kindern",
        "blubb",
        "nö danke",
    )
    assert content.text("offers_unknown", "de").split("(")[0] in chat.answers[1]
    assert content.text("goodbye", "de").split("!")[0] in chat.answers[2]


@pytest.mark.slow
def test_two_misses_offer_a_person(tmp_path: Path, content: Content) -> None:
    chat = Transcript.of(tmp_path, "Hallo", "1", "xyz", "qqq")
    assert content.text("misses_offer_person", "de") not in chat.answers[2]
    assert content.text("misses_offer_person", "de") in chat.answers[3]
    assert content.text("btn_ask_human", "de") in chat.answers[3]


@pytest.mark.slow
def test_help_mentions_the_language_and_is_no_miss(tmp_path: Path) -> None:
    chat = Transcript.of(tmp_path, "Hallo", "/hilfe")
    assert "/sprache" in chat.answers[1]
    assert_understood(chat)


# --- In the core: typed answers name the buttons the person sees -----------------------

UNANSWERABLE = "Wie repariere ich einen tropfenden Wasserhahn?"


async def test_a_typed_number_means_the_last_messages_button(chat: Chat, content: Content) -> None:
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say("Bin ich versichert, wenn ich ehrenamtlich helfe?")
    related = [b for b in chat.buttons if b.data.startswith("faq:")]
    assert len(related) >= 2, chat.labels
    await chat.say("2")
    wanted = next(e for e in content.faq if f"faq:{e.id}" == related[1].data)
    assert wanted.answer.strip()[:40] in chat.text


async def test_handoff_and_its_consent_by_typed_words(chat: Chat, db: Database) -> None:
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say(UNANSWERABLE)
    await chat.say("einen menschen fragen")
    assert UNANSWERABLE in chat.text and "Einverstanden" in chat.text
    await chat.say("nein danke")
    assert UNANSWERABLE not in chat.text  # declined, not taken as a new question
    async with db.session() as session:
        assert (await session.scalars(select(Lead))).all() == []


async def test_consent_and_withdrawal_by_typed_words(chat: Chat, db: Database) -> None:
    await chat.say("Ich möchte mich in Delitzsch engagieren, regelmäßig abends, was mit Kindern")
    await chat.say("beraten")
    await chat.say("ja klar")
    await chat.say("Anna")
    await chat.say("0171 2345678")
    assert any("zurückziehen" in label for label in chat.labels)
    await chat.say("anfrage zurückziehn")
    async with db.session() as session:
        [lead] = (await session.scalars(select(Lead))).all()
    assert lead.status == "withdrawn"


async def test_need_help_keeps_the_persons_words_for_the_lotse(
    chat: Chat, db: Database, content: Content
) -> None:
    said = (
        "Ich brauche jemanden, der meine Mutter dienstags zum Arzt fährt, wir wohnen in Delitzsch"
    )
    await chat.say(said)
    await chat.say("diese Woche")
    await chat.say("ja")
    await chat.say("Überspringen")
    await chat.say("0171 2345678")
    async with db.session() as session:
        [lead] = (await session.scalars(select(Lead))).all()
    assert lead.kind == "help" and lead.place == "Delitzsch"
    assert said in lead.details[content.text("detail_help_text", "de")]


async def test_an_english_lead_tells_the_lotse_the_language(
    chat: Chat, db: Database, content: Content
) -> None:
    await chat.say("Hi, I'd like to volunteer in Delitzsch with kids, regularly in the evenings")
    await chat.press("advise")
    await chat.press("Yes")
    await chat.press("Skip")
    await chat.say("0171 2345678")
    card = chat.last.notifications[0].message.text
    assert content.text("detail_language", "de") in card and "Englisch" in card
    assert "Interests" not in card  # the card is in the Lotse's language


async def test_an_answered_question_gets_no_not_understood(chat: Chat, content: Content) -> None:
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say("Bin ich versichert?")
    assert content.text("question_aside_unsure", "de") not in chat.text
    assert not any(word in chat.text for word in NOT_UNDERSTOOD)
    await chat.say("/hilfe")
    assert "/sprache" in chat.text
    assert not any(word in chat.text for word in NOT_UNDERSTOOD)


async def test_after_an_aside_the_steps_own_question_comes_again(
    chat: Chat, content: Content
) -> None:
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say("wie krieg ich die karte")  # not sure: "Meinten Sie …?"
    unsure = chat.last_message().text
    await chat.say("was ist am wochenende in delitzsch los")
    assert chat.last_message().text != unsure  # not the old suggestions again
    assert content.text("ask_question", "de") in chat.last_message().text


async def test_a_village_beyond_the_border_is_named_as_such_and_searched_from(
    chat: Chat, content: Content
) -> None:
    """'wohne in Tiefensee' (Bad Düben, beyond the border): the first answer says where that
    is and that offers nearby follow – the place step's own answer says the same."""
    await chat.say("Ich will bei der Feuerwehr helfen, wohne in Tiefensee, regelmäßig abends")
    said = content.text("place_understood_outside", "de", place="Tiefensee (Bad Düben)")
    # then offers, each with its distance from Tiefensee
    assert said in chat.text, chat.text
    assert " km" in chat.text and any("👉" in label for label in chat.labels)


@pytest.mark.slow
def test_the_understood_line_names_the_days_said_and_leaves_out_what_was_taken_back(
    tmp_path: Path, content: Content
) -> None:
    """The line confirms "Freitag- oder Samstagabend" as said, not as "Abends, Am Wochenende";
    a village taken back in the same sentence is not confirmed at all."""
    chat = Transcript.of(
        tmp_path,
        "Ich würde gern beim Sportverein in Eilenburg, äh nee, in Krostitz helfen, "
        "Freitag- oder Samstagabend",
    )
    (first,) = chat.answers
    assert "Verstanden" in first and "Freitags und samstags abends" in first
    assert "Krostitz" in first and "Eilenburg" not in first
    assert_understood(chat)
