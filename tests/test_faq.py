"""FAQ answering: quality (cross-validated examples, an independent set), and each way of
reading a question on its own."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from bot.content.model import Content
from bot.content.schema import NOT_ANSWERABLE, FaqEntry
from bot.dialogs.turn import Matchers
from bot.evaluation.cases import evaluate, evaluate_file
from bot.helpdesk.faq import IN_SCOPE, FaqMatcher
from tests.helpers.chat import Chat, run_lotse

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "knowledge" / "examples.yaml"
INDEPENDENT_SET = ROOT / "tests" / "data" / "faq_eval.yaml"


# --- quality: examples cross-validated, and an independent set -------------------------


@pytest.mark.slow
def test_examples_cross_validated_reach_their_figures(content: Content) -> None:
    """The classifier answers examples it did not learn from (5 folds)."""
    examples = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))["examples"]
    report = evaluate({"examples": examples}, content)["questions"]
    answered = round(report["top1"] * report["cases"]) + report["wrong_answers"]
    # Measured (docs/usage.md): first 91.1 %, answered right 82.5 %, top-3 98.3 %, 56 wrong
    # answers of 1,331, 29 of 218 unanswerable ones answered. Training is deterministic.
    assert report["cases"] >= 1400
    assert report["first"] >= 0.90, report["misses"]
    assert report["top1"] >= 0.82, report["misses"]
    assert report["top3"] >= 0.98, report["misses"]
    assert report["wrong_answers"] <= 0.045 * answered
    unanswerable = report["unanswerable"]
    assert len(unanswerable["answered_anyway"]) <= 0.14 * unanswerable["cases"], unanswerable


@pytest.mark.slow
def test_independent_set_reaches_the_target(content: Content) -> None:
    """tests/data/faq_eval.yaml was written apart from knowledge/ and never learnt from:
    the right entry comes first for 90 % of its questions (the helpdesk's target)."""
    report = evaluate_file(INDEPENDENT_SET, content)["questions"]
    assert report["seen"] == 0, "questions of the independent set became examples"
    assert report["cases"] >= 150
    assert report["first"] >= 0.90, report["misses"]  # measured 92.5 %
    assert report["top1"] >= 0.80, report["misses"]  # measured 82.8 %, 8 wrong answers
    assert len(report["unanswerable"]["answered_anyway"]) <= 1, report["unanswerable"]


def test_examples_are_many_and_cover_every_entry(content: Content) -> None:
    examples = content.faq_examples
    assert {entry.id for entry in content.faq} <= examples.keys()
    assert all(len(examples[entry.id]) >= 8 for entry in content.faq)
    assert len(examples[NOT_ANSWERABLE]) >= 50


@pytest.mark.slow
def test_lotse_eval_cross_validates_an_examples_file(tmp_path: Path) -> None:
    # A slice of the examples: the command's path, not the figures (the test above has them)
    examples = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))["examples"]
    some = dict(list(examples.items())[:6])
    some[NOT_ANSWERABLE] = examples[NOT_ANSWERABLE][:40]
    small = tmp_path / "examples.yaml"
    small.write_text(yaml.safe_dump({"examples": some}, allow_unicode=True), encoding="utf-8")
    result = run_lotse("eval", str(small), db=tmp_path / "a.db")
    assert result.returncode == 0, result.stderr
    assert "richtiger Eintrag an erster Stelle" in result.stdout
    figures = run_lotse("eval", str(INDEPENDENT_SET), "--json", db=tmp_path / "a.db")
    questions = json.loads(figures.stdout)["questions"]
    assert questions["cases"] >= 150 and questions["first"] >= 0.90 and questions["seen"] == 0


def test_lotse_eval_warns_when_questions_are_also_examples(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        'questions:\n  - {text: "hartz 4 und ehrenamt", expect: buergergeld-ehrenamt}\n'
    )
    result = run_lotse("eval", str(cases), db=tmp_path / "a.db")
    assert "1 Fragen stehen auch in den Beispielen" in result.stdout, result.stdout


# --- how people ask, on the shipped knowledge base -------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bin ich versichert?", "unfallversicherung"),
        ("Bin ich beim Ehrenamt versichert?", "unfallversicherung"),
        ("brauch ich son zeugnis von der polizei", "fuehrungszeugnis"),  # colloquial
        ("fürungszeugnis online beantragen", "fuehrungszeugnis-beantragen"),  # typo
        ("Ehrenamtskarte wo beantragen", "ehrenamtskarte-beantragen"),
        ("gibts fürs ehrenamt kohle", "ehrenamtspauschale"),  # "Kohle" is money
        ("minijobgrenze 2026", "minijob-ehrenamt"),  # compound of known words
        ("ehrenamt mit alg2", "buergergeld-ehrenamt"),  # digits glued to letters
        ("wir für sachsen antrag frist", "wir-fuer-sachsen-antrag"),  # a name, not filler
        ("mein sohn ist 16 und will helfen", "jugendliche"),  # a number as an age
        ("am I insured if I get hurt while volunteering", "unfallversicherung"),  # English
        ("ehrenamtskarte", "ehrenamtskarte"),  # the entry named exactly so
        # a project's costs, not the monthly allowance for a person (issue #19)
        ("gibt es Förderung für mein Projekt?", "foerderung-projekt"),
        ("wie gründen wir einen Verein", "verein-gruenden"),
    ],
)
def test_answers_questions_as_people_type_them(
    matchers: Matchers, text: str, expected: str
) -> None:
    hit = matchers.faq.answer(text)
    assert hit is not None and hit.entry.id == expected, matchers.faq.rank(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wie wird das Wetter morgen?",
        "Wann fährt der Bus nach Leipzig?",
        "wie viel kindergeld gibt es",  # "Kindergeld" is not "Kinder" and "Geld"
        "wann kommt die müllabfuhr",
        "how do I get to the airport",
    ],
)
def test_does_not_answer_what_the_knowledge_base_does_not_know(
    matchers: Matchers, text: str
) -> None:
    assert matchers.faq.answer(text) is None, matchers.faq.rank(text)


# --- each way of reading a question (the word reading), on a small knowledge base -----


def entry(entry_id: str, *questions: str, keywords: tuple[str, ...] = ()) -> FaqEntry:
    return FaqEntry(
        id=entry_id,
        questions=list(questions),
        keywords=list(keywords),
        answer="Antwort.",
        source="Test",
        checked=dt.date(2026, 11, 20),
    )


SMALL = [
    entry("versicherung", "Bin ich beim Ehrenamt unfallversichert?"),
    entry("geld", "Bekomme ich Geld für mein Ehrenamt?"),
    entry("zeugnis", "Brauche ich ein erweitertes Führungszeugnis?"),
    entry("karte", "Was bringt die Ehrenamtskarte in Sachsen?"),
    entry("programm", "Was ist Wir für Sachsen?"),
    entry("alter", "Gibt es ein Ehrenamt für Schüler?"),
]


def best(text: str, entries: list[FaqEntry] = SMALL) -> str | None:
    """The entry the word reading finds, if it covers enough of the question and is ahead."""
    hits = FaqMatcher(entries).covering(text, limit=2)
    if not hits or hits[0].score < IN_SCOPE or hits[0].score == hits[1].score:
        return None
    return hits[0].entry.id


def test_a_typo_is_read_as_the_word_it_most_likely_means() -> None:
    assert best("fürungszeugnis?") == "zeugnis"
    assert best("ehrenamtskrate") == "karte"


def test_a_compound_matches_its_parts_and_the_parts_the_compound() -> None:
    assert best("was ist mit einem unfall") == "versicherung"  # part of "unfallversichert"
    assert best("brauche ich ein polizeiführungszeugnis") == "zeugnis"  # unknown compound


def test_words_that_mean_the_same_count_the_same() -> None:
    assert best("gibts kohle") == "geld"
    assert best("do I get money") == "geld"
    assert best("am I insured") == "versicherung"


def test_a_fixed_phrase_is_one_word_not_filler() -> None:
    """'wir' and 'für' are filler; 'wir für sachsen' is a name and wins over 'Sachsen'."""
    assert best("wir für sachsen?") == "programm"
    assert best("ehrenamtskarte sachsen") == "karte"


def test_a_number_can_name_an_age() -> None:
    assert best("ich bin 15, geht das") == "alter"
    assert best("15 euro") is None  # a plain number says nothing


def test_an_unknown_compound_of_known_words_is_not_both_words() -> None:
    """'Kindergeld' is made of 'Kinder' and 'Geld', but is not what an entry about money
    for children is about: it earns part of the credit only."""
    entries = [*SMALL, entry("kinder", "Gibt es Geld für Kinder?")]
    compound = FaqMatcher(entries).covering("kindergeld")[0]
    words = FaqMatcher(entries).covering("kinder geld")[0]
    assert compound.entry.id == words.entry.id == "kinder"
    assert compound.score < 0.6 * words.score


def test_words_no_entry_knows_count_against_every_entry() -> None:
    assert best("geld") == "geld"
    assert best("wann fährt der bus, und was kostet das geld für die fahrkarte") is None


def test_two_entries_equally_close_leave_the_bot_unsure() -> None:
    twins = [entry("a", "Was ist die Ehrenamtskarte?"), entry("b", "Was ist die Ehrenamtskarte?")]
    assert best("ehrenamtskarte", twins) is None
    assert [hit.score for hit in FaqMatcher(twins).covering("ehrenamtskarte")] == [1.0, 1.0]


def test_keywords_count_a_little_less_than_questions() -> None:
    entries = [entry("frage", "Was kostet das Führungszeugnis?"), entry("wort", "Was ist das?")]
    entries.append(entry("stichwort", "Was ist mit Gebühren?", keywords=("führungszeugnis",)))
    ranked = FaqMatcher(entries).covering("führungszeugnis")
    assert ranked[0].entry.id == "frage" and ranked[1].entry.id == "stichwort"


# --- when the bot is not sure --------------------------------------------------------


async def test_an_unsure_question_offers_the_likeliest_entries(chat: Chat) -> None:
    """'geld' alone could mean the allowance, expenses or a funding programme: the bot
    offers them as buttons, one press answers, and the person can still ask a human."""
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say("geld")
    assert "Meinten Sie" in chat.text
    offered = [label for label in chat.labels if label.startswith("❓")]
    assert len(offered) >= 2 and any("Menschen fragen" in label for label in chat.labels)
    await chat.press("Ehrenamtspauschale")
    assert "840" in chat.text and "Quelle:" in chat.text
    assert "nicht sicher" not in chat.text  # answered: the step asks for the next question


def test_a_question_between_two_entries_offers_both(matchers: Matchers) -> None:
    """How to get the card: who gets it, or where to apply? Both are offered."""
    text = "wie krieg ich die karte"
    offered = {entry.id for entry in matchers.faq.suggestions(text)}
    assert matchers.faq.answer(text) is None
    assert {"ehrenamtskarte", "ehrenamtskarte-beantragen"} <= offered


async def test_a_question_off_the_topics_offers_no_entries(chat: Chat) -> None:
    await chat.say("Hallo")
    await chat.press("Frage")
    await chat.say("Wie repariere ich einen tropfenden Wasserhahn?")
    assert "keine sichere Antwort" in chat.text
    assert not [label for label in chat.labels if label.startswith("❓")]


def test_the_classifier_learns_from_examples() -> None:
    """An example teaches a phrasing no word rule knows; examples under 'keine-antwort'
    teach what the knowledge base does not answer."""
    entries = [
        entry("zeugnis", "Brauche ich ein erweitertes Führungszeugnis?"),
        entry("geld", "Bekomme ich Geld für mein Ehrenamt?"),
    ]
    plain = FaqMatcher(entries)
    taught = FaqMatcher(
        entries,
        {
            "zeugnis": ["das papier von der polizei", "wisch vom amt ob ich vorbestraft bin"],
            "geld": ["gibt es eine aufwandsentschädigung"],
            NOT_ANSWERABLE: ["wie viel rente bekomme ich", "wann kommt die rente"],
        },
    )
    asked = "brauch ich den wisch von der polizei"
    assert plain.rank(asked)[0].vote < taught.rank(asked)[0].vote
    assert taught.rank(asked)[0].entry.id == "zeugnis"
    assert taught.suggestions("wann gibt es rente") == []
