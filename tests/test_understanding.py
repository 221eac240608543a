"""The understanding pass: a whole message read for intent and every slot (issue 17)."""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.content.model import Content
from bot.evaluation.cases import evaluate
from bot.evaluation.openers import evaluate_openers, slot_right
from bot.text import compile_folded, fold
from bot.understanding import Reading, Understander, cues
from tests.helpers import ROOT
from tests.helpers.chat import run_lotse


def assert_first_areas(read: tuple[str, ...], expected: tuple[str, ...]) -> None:
    """The activity's own areas come first (in any order); an area said only as how, for
    whom or where may follow them. Nothing is read where nothing is named."""
    if not expected:
        assert read == ()
    else:
        assert set(read[: len(expected)]) == set(expected), read


@pytest.fixture(scope="module")
def understander(content: Content) -> Understander:
    reader = Understander(content)
    reader.prepare()
    return reader


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("möchte mich ehrenamtlich engagieren", "volunteer"),
        ("ich möchte bei der feuerwehr helfen", "volunteer"),
        ("brauche hilfe für meine nachbarin", "need_help"),
        ("Hello, I moved here from Ukraine and want to help", "volunteer"),
        ("feuerwehr. wohne in hohenpriesnitz", "volunteer"),
        ("Unser Sportverein sucht noch Helfer fürs Sommerfest", "verein"),
        ("Ich hab ne Idee für eine Mitfahrbank bei uns im Dorf", "idea"),
        ("Was ist am Wochenende in Eilenburg los?", "events"),
        ("Bin ich beim Ehrenamt versichert?", "question"),
        ("Ist am Sonntag wieder Flohmarkt in Krostitz?", "events"),
        ("Was ist eigentlich der Unterschied zwischen Ehrenamt und Minijob?", "question"),
        ("Bin ich bei der Freiwilligen Feuerwehr gegen Verdienstausfall abgesichert?", "question"),
        ("Gibt es Unfallversicherung für Helfer beim Dorffest in Lissa?", "question"),
        ("hallo", None),
        ("ok danke", None),
        # a timetable question asks for nothing we offer; a lift someone needs names a person
        ("Wann fährt der nächste Bus nach Leipzig?", None),
        ("wann fährt der 196er heute noch", None),
        ("Wann fährt jemand mit mir zum Arzt nach Eilenburg?", "need_help"),
        # a project made for the place, or funding asked for it, is an idea; a school is none
        ("Ich möchte eine Streuobstwiese neu pflanzen. Gibt es Förderung oder Helfer?", "idea"),
        ("Mein Sohn geht auf die Förderschule. Kann ihm jemand bei Mathe helfen?", "need_help"),
        # German learnt for oneself is a need, taught to others help
        ("Ich bin neu in Deutschland, wo kann ich kostenlos Deutsch lernen? Taucha", "need_help"),
        ("Ich würde gern Geflüchteten beim Deutsch lernen helfen, Taucha", "volunteer"),
    ],
)
def test_intent_of_first_messages(understander: Understander, text: str, intent: str) -> None:
    assert understander.read(text).intent == intent


def test_slots_of_a_whole_sentence(understander: Understander) -> None:
    reading = understander.read(
        "Hallo, ich wohne in Zschortau und würde gern im Sportverein helfen, ab 18 Uhr, "
        "regelmäßig, habe aber kein Auto"
    )
    assert reading.intent == "volunteer"
    assert reading.interests[0] == "sport"
    assert reading.place is not None and reading.place.name == "Zschortau"
    assert reading.time_kind == "regular"
    assert reading.time_slots == ("evening",)
    assert reading.max_km == 8
    assert reading.language == "de"


def test_folded_hands_are_thanks_not_church(understander: Understander) -> None:
    reading = understander.read("Danke dir 🙏")
    assert (reading.intent, reading.interests) == (None, ())


def test_the_regions_rivers_are_nature(understander: Understander) -> None:
    assert understander.read("Ich würde gern beim Saubermachen am Lober helfen").interests == (
        "umwelt",
    )


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # a care home's residents are older people to visit, as the writers name them
        ("Ich würde gern im Pflegeheim vorlesen", ("soziales",)),
        ("Kann gut backen und würde fürs Seniorencafé Kuchen beisteuern", ("soziales",)),
        # a children's festival is for children and the village
        (
            "könnt ich beim kinderfest helfen? schminken kann ich gut",
            ("kinder-jugend", "dorfleben"),
        ),
        # an event for families is for children too
        ("What's on in Delitzsch for families this weekend?", ("kinder-jugend",)),
        (
            "Gibt es in Boyda dieses Jahr ein Sommerfest für Familien?",
            ("dorfleben", "kinder-jugend"),
        ),
        # a ride to the doctor, a visiting dog: social help and health care; yoga is health sport
        ("Kann ich Leute zum Arzt fahren? Wochenende und abends.", ("soziales", "gesundheit")),
        ("Ich kann Leute zur Dialyse oder zum Facharzt fahren.", ("soziales", "gesundheit")),
        ("Yoga-Lehrerin hier, biete kostenlose Kurse an, sonntags", ("sport", "gesundheit")),
    ],
)
def test_areas_of_homes_and_festivals(
    understander: Understander, text: str, areas: tuple[str, ...]
) -> None:
    assert_first_areas(understander.read(text).interests, areas)


def test_a_word_of_its_own_is_no_near_miss_of_others(understander: Understander) -> None:
    # "Freizeitbegleitung" came close to "Ferienfreizeit" and "Alltagsbegleitung"
    text = "Ich würde gern Freizeitbegleiterin für Menschen mit Behinderung werden"
    assert understander.read(text).interests == ("soziales",)


def test_place_with_a_typo_and_the_issue_example(understander: Understander) -> None:
    assert understander.read("feuerwehr. wohne in hohenpriesnitz").place_name == "Hohenprießnitz"
    assert understander.read("was mit Kindern in Delizsch").place_name == "Delitzsch"


@pytest.mark.parametrize(
    "text",
    [
        "ich möchte gerne helfen",
        "Ich brauche Hilfe für meine Kinder",
        "möchte gerne was mit Kindern machen, hab viel Zeit",
        "ich wohne hier und helfe gern",
        "Hallo, ich interessiere mich für ein Ehrenamt",
        # sound alike a place ("Kölsa", "Leuna") but share few of its letters or name an area
        "Mein Sohn geht in die class 5 und braucht Nachhilfe",
        "Ich wäre gern Leihoma für eine Familie",
    ],
)
def test_ordinary_words_are_no_place(understander: Understander, text: str) -> None:
    assert understander.read(text).place is None


def test_a_place_name_that_is_also_a_word_needs_a_cue(understander: Understander) -> None:
    assert understander.read("Sport in der Halle").place is None
    assert understander.read("ich wohne in Werben").place_name == "Werben"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # a village located by the town after it is the place, even one that is also a word
        ("Kann mit dem Traktor helfen. Laue bei Delitzsch.", "Laue"),
        # an Ortsteil written with its town: "Delitzsch-Laue"
        ("Rentner, 66, fit, Delitzsch-Laue. Würde gern was mit Natur machen.", "Laue"),
        ("Krostitz-Kupsal, abends", "Kupsal"),
        ("Kirmesgesellschaft Kletzen sucht noch junge Leute für die Kirmes", "Kletzen"),
        ("Insektenhotel bauen, gern am Wochenende. Werben b. Delitzsch", "Werben"),
        ("Ich backe gern Kuchen, Rabutz bei Wiedemar", "Rabutz"),
        # a village right after the council or group that speaks for it
        ("Der Ortschaftsrat Kletzen sucht Bürger für die Dorfentwicklung", "Kletzen"),
        ("Wir sind die Elterninitiative Spielplatz Biesen und brauchen Helfer", "Biesen"),
        # "bei" before a town alone is still the town
        ("Ich helfe gern bei Delitzsch und Umgebung", "Delitzsch"),
        # a place of the region before a town beyond it; a person's name is no village
        ("Bin Student in Leipzig, wohne aber bei meinen Eltern in Jesevitz", "Jesewitz"),
        ("Ich heiße Nguyen und koche gern. Wohne in Eilenburg.", "Eilenburg"),
    ],
)
def test_which_place_a_sentence_names(understander: Understander, text: str, place: str) -> None:
    assert understander.read(text).place_name == place


def test_filler_words_give_no_interest(understander: Understander) -> None:
    for text in ("ich möchte gerne helfen", "ich habe Zeit und wohne in Krostitz", "hallo"):
        assert understander.read(text).interests == (), text


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("samstagvormittag", ("weekend",)),
        ("vormittags", ("weekday",)),
        ("ab 18 Uhr", ("evening",)),
        ("abends und am Wochenende", ("evening", "weekend")),
        ("nach Feierabend", ("evening",)),
        ("morgen bin ich da", ()),
        # a time alone after a Saturday is the Saturday's; "sonst" names other days
        ("Frühjahrsputz am Samstag, 22.3., ab 9 Uhr", ("weekend",)),
        ("Am Samstag hab ich Zeit. Sonst vormittags.", ("weekday", "weekend")),
        # leaving at any time is no time to help; a parent's evening is the evening
        ("Kann ich jederzeit wieder aufhören?", ()),
        ("Can I stop at any time?", ()),
        ("Am Wochenende geht, sonst nur wenn die Kinder im Bett sind.", ("evening", "weekend")),
        # a daytime apart from the weekend is the week's; next to a weekend day it is its own
        ("Nachmittags oder am Wochenende.", ("weekday", "weekend")),
        ("Samstag und Sonntag vormittags", ("weekend",)),
        ("vormittags oder am wo ende", ("weekend",)),  # the weekend in two words: no crash
        # a time ruled out, a wish, an age, "so-so" name no slot
        ("Selbsthilfegruppe oder so. Bitte nichts am Wochenende.", ()),
        ("Am Wochenende hab ich nichts vor.", ("weekend",)),
        ("Tschüss und ein schönes Wochenende!", ()),
        (
            "Wir suchen Männer und Frauen ab 16. Dienst ist alle zwei Wochen am Montagabend.",
            ("evening",),
        ),
        ("My German is so-so.", ()),
        ("Mo-So", ("weekday", "weekend")),
        # any day, time freely divided
        ("Gern regelmäßig, der Tag ist egal.", ("any",)),
        ("Sprachpaten, 1–2 Stunden pro Woche, die Zeit kann man sich frei einteilen.", ("any",)),
        ("once a week after work", ("evening",)),
        ("Wochenende fällt bei mir flach, aber unter der Woche abends geht.", ("evening",)),
    ],
)
def test_time_slots(understander: Understander, text: str, slots: tuple[str, ...]) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jede Woche", "regular"),
        ("einmalig beim Fest", "once"),
        ("ab und zu mal", "once"),
        ("ich würde mal gern helfen", None),
        ("auf jeden Fall", None),
        # several times a year is a rhythm; once a year is left open
        ("Einlass bei Konzerten, mehrmals im Jahr", "regular"),
        ("Blutspendetermine, 4x im Jahr", "regular"),
        ("a few times a year", "regular"),
        ("einmal im Jahr", None),
        # "once" as "sobald" is no single occasion
        ("I can help once the kids are asleep", None),
        ("I'd help at the village festival, just once.", "once"),
        # an either-or with words on each side
        ("Egal ob regelmäßig oder mal eine Aktion.", "any"),
        ("egal ob kurzfristiges Projekt oder etwas Dauerhaftes", "any"),
        ("einmal im Jahr oder auch laufend, beides ist mir recht", "any"),
        ("regelmäßig, jeden Dienstag oder Mittwoch", "regular"),
        # a negation counts in its own sentence only
        ("Offenes Kicken, kein Verein. Großkrostitz, freitags abends.", "regular"),
        ("Aufwand ca. 2 Std. im Monat.", "regular"),
        ("Ich kann nicht jeden Samstag.", "once"),
        ("Ich suche eine Aufgabe für längerfristig.", "regular"),
        ("Besuchsdienst im Krankenhaus, auf Dauer", "regular"),
        ("websites for local clubs – on a project basis, not long term", "once"),
        ("regelmäßig geht schlecht", "once"),
        ("regelmäßig wäre nicht schlecht", "regular"),
        # a one-off ruled out is none
        ("Bitte nichts Einmaliges, ich suche was Dauerhaftes mit Senioren.", "regular"),
    ],
)
def test_time_kind(understander: Understander, text: str, kind: str | None) -> None:
    assert understander.read(text).time_kind == kind


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("ja klar", "yes"),
        ("jo passt", "yes"),
        ("gerne", "yes"),
        ("na klar", "yes"),
        ("yes please", "yes"),
        ("nu", "yes"),
        ("nu klar", "yes"),
        ("nö danke", "no"),
        ("nee lieber nicht", "no"),
        ("nein", "no"),
        ("no thanks", "no"),
        ("nu mal langsam, was heißt das", None),
        ("ich wohne in Krostitz", None),
    ],
)
def test_yes_no(understander: Understander, text: str, answer: str | None) -> None:
    assert understander.read(text).yes_no == answer


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("das zweite", 2),
        ("die 2", 2),
        ("nummer drei", 3),
        ("the first one", 1),
        ("letzte", -1),
        ("3", 3),
        ("zum ersten Mal hier", None),
        ("bis 10 km", None),
    ],
)
def test_ordinal(understander: Understander, text: str, number: int | None) -> None:
    assert understander.read(text).ordinal == number


def test_language_navigation_and_question(understander: Understander) -> None:
    assert understander.read("I would like to help with the kids").language == "en"
    assert understander.read("Ich möchte gern helfen").language == "de"
    assert understander.read("ok").language is None
    assert understander.read("zurück").navigation == "back"
    assert understander.read("neu starten").navigation == "restart"
    assert understander.read("hi").navigation == "greeting"
    assert understander.read("Wie viele Stunden muss ich machen?").is_question


def test_need_help_details(understander: Understander) -> None:
    reading = understander.read("Meine Mutter braucht morgen jemanden zum Einkaufen")
    assert reading.intent == "need_help"
    assert reading.help_kind == "errands"
    assert reading.for_whom == "Meine Mutter"
    assert reading.when == "morgen"
    assert reading.interests == ()


def test_without_intents_file_only_synonyms_count(content: Content) -> None:
    bare = Content(**{**content.__dict__, "intent_examples": {}, "intent_cues": {}})
    reader = Understander(bare)
    assert reader.read("Veranstaltungen").intent == "events"
    assert reader.read("hallo").intent is None


# --- lotse eval: openers ----------------------------------------------------------------

OPENERS = """
openers:
  - {text: "ich möchte bei der feuerwehr helfen", intent: volunteer, interests: [rettung]}
  - {text: "Sport in Delitzsch", intent: volunteer, interests: [sport], place: Eilenburg}
  - {text: "hallo", intent: need_help}
  - {text: "abends in Krostitz", intent: volunteer, time_slots: [evening, weekend]}
"""


def test_openers_scoring_follows_the_strict_slot_rules(understander: Understander) -> None:
    result = evaluate_openers(yaml.safe_load(OPENERS)["openers"], understander)
    assert result["cases"] == 4
    assert result["intent"] == 0.75  # "hallo" is no need_help
    per_slot = result["per_slot"]
    assert per_slot["interests"] == {"accuracy": 1.0, "counted": 2}
    # Delitzsch was read where Eilenburg was expected; Krostitz read but not stated
    assert per_slot["place"] == {"accuracy": 0.0, "counted": 2}
    assert per_slot["time_slots"] == {"accuracy": 0.0, "counted": 1}
    assert per_slot["time_kind"] == {"accuracy": 1.0, "counted": 0}
    assert result["slots"] == pytest.approx(2 / 5)
    assert {miss["text"] for miss in result["misses"]} == {
        "Sport in Delitzsch",
        "hallo",
        "abends in Krostitz",
    }


def test_slot_rules_one_by_one() -> None:
    reading = Reading(text="x", interests=("sport", "kultur"), time_slots=("evening",))
    assert slot_right("interests", ["sport"], reading) is True  # first 1 of those read
    assert slot_right("interests", ["kultur"], reading) is False
    assert slot_right("interests", None, reading) is False  # read, but nothing stated
    assert slot_right("place", None, reading) is None  # neither stated nor read
    assert slot_right("time_slots", ["evening"], reading) is True
    assert slot_right("time_kind", "once", reading) is False


def test_lotse_eval_prints_openers(tmp_path: Path) -> None:
    cases = tmp_path / "openers.yaml"
    cases.write_text(OPENERS, encoding="utf-8")
    shown = run_lotse("eval", str(cases), db=tmp_path / "db.sqlite")
    assert shown.returncode == 0, shown.stderr
    assert "openers: 4 Fälle · Anliegen 75.0%" in shown.stdout
    assert "✗ 'hallo': intent: erwartet need_help, bekam –" in shown.stdout
    as_json = run_lotse("eval", str(cases), "--json", db=tmp_path / "db.sqlite")
    assert json.loads(as_json.stdout)["openers"]["per_slot"]["place"]["counted"] == 2


# --- lotse understand -------------------------------------------------------------------


def test_lotse_understand_json_reads_each_line_of_stdin(tmp_path: Path) -> None:
    shown = run_lotse(
        "understand",
        "-",
        "--json",
        db=tmp_path / "db.sqlite",
        stdin="feuerwehr. wohne in hohenpriesnitz\nhallo\n",
    )
    assert shown.returncode == 0, shown.stderr
    first, second = (json.loads(line) for line in shown.stdout.splitlines())
    assert first["intent"] == "volunteer"
    assert first["interests"] == ["rettung"]
    assert first["interest_words"] == [[fold("feuerwehr")]]  # what each area was read from
    assert first["place"] == "Hohenprießnitz"
    assert first["time_kind"] is None and first["time_slots"] == []
    assert second["intent"] is None


def test_lotse_understand_summary(tmp_path: Path) -> None:
    shown = run_lotse("understand", "brauche hilfe beim einkaufen", db=tmp_path / "db.sqlite")
    assert shown.returncode == 0, shown.stderr
    assert "Anliegen: need_help" in shown.stdout
    assert "Hilfe: errands" in shown.stdout


# --- lotse check on intents.yaml --------------------------------------------------------


@pytest.mark.parametrize("name", ["intents.yaml", "intents-collected.yaml"])
def test_lotse_check_names_file_and_line_of_an_unknown_intent(tmp_path: Path, name: str) -> None:
    content, knowledge = tmp_path / "content", tmp_path / "knowledge"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "knowledge", knowledge)
    intents = content / name
    text = intents.read_text(encoding="utf-8")
    intents.write_text(text.replace("  need_help:\n", "  needhelp:\n", 1), encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row == "  need_help:")

    shown = run_lotse(
        "check",
        db=tmp_path / "db.sqlite",
        env={"CONTENT_DIR": str(content), "KNOWLEDGE_DIR": str(knowledge)},
    )
    assert shown.returncode == 1
    assert f"{intents}:{line}: examples 'needhelp'" in shown.stderr
    assert "need_help" in shown.stderr  # the suggestion


def test_content_loads_without_intents_file(tmp_path: Path) -> None:
    from bot.content.loader import load_content

    content, knowledge = tmp_path / "content", tmp_path / "knowledge"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "knowledge", knowledge)
    (content / "intents.yaml").unlink()
    (content / "intents-collected.yaml").unlink()
    loaded = load_content(content, knowledge)
    assert loaded.intent_examples == {}
    assert Understander(loaded).read("ich möchte helfen").intent == "volunteer"


# --- error classes of the first evaluation: own sentences, not the evaluation's ---------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Ich suche einen Verein in Eilenburg, wo ich mithelfen kann", "volunteer"),
        ("Für unseren Posaunenchor suchen wir noch Bläser", "verein"),
        ("Ich könnte beim Stadtfest am Getränkestand aushelfen", "volunteer"),
        ("Wann ist das nächste Erntefest?", "events"),
        ("Ich könnte für ältere Nachbarn die Einkäufe erledigen", "volunteer"),
        ("Meine Oma braucht jemanden, der für sie einkauft", "need_help"),
        ("Kann ich auch mit 70 noch bei der Tafel mithelfen?", "volunteer"),
        ("Can I join the choir even if I can't read music?", "volunteer"),
        ("Kann ich bei der Streuobstwiese mithelfen?", "volunteer"),
        ("Wir wollen einen Lauftreff neu gründen", "idea"),
        # the writer offers help and asks who wants it (own sentences, December 2026)
        ("Wer braucht Hilfe beim Holzhacken? Hab ne Axt und Zeit", "volunteer"),
        ("Braucht vielleicht jemand meine Hilfe? Bin Rentner in Löbnitz", "volunteer"),
        ("Who needs help with their garden? I have tools", "volunteer"),
        ("Wer kann mir beim Holzhacken helfen?", "need_help"),
        # an organisation, named first, says what it lacks
        ("Der Kleingartenverein kriegt die Hecke allein nicht mehr geschnitten", "verein"),
        ("Unsere Bücherei hätte gern jemanden, der samstags vorliest", "verein"),
        ("Für das Gemeindefest brauchen wir noch Leute am Grill", "verein"),
    ],
)
def test_intent_error_classes(understander: Understander, text: str, intent: str) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "interests"),
    [
        ("Ich komme aus Afghanistan und möchte bei der Feuerwehr helfen", ("rettung",)),
        ("Bin 17 und suche was mit Tieren", ("umwelt",)),
        ("Als Rentnerin würde ich gern im Museum Aufsicht machen", ("kultur",)),
        ("Mit meiner Tochter zusammen würden wir gern Müll sammeln im Wald", ("umwelt",)),
        ("I speak Arabic and English and would like to help at the fire station", ("rettung",)),
        ("ich würde mich gern nützlich machen", ()),
        ("Ich würde gern Handballtraining für Jungs geben", ("sport", "kinder-jugend")),
        ("Unser Heimatverein sucht Helfer für den Weihnachtsmarkt", ("dorfleben",)),
        # own sentences for the error classes of a third author's development set
        ("Ich habe in Syrien als Lehrer gearbeitet, jetzt will ich hier helfen", ()),
        ("I worked as a nurse in Kyiv and want to help here", ()),
        ("Ich wohne in Tiefensee und würde gern helfen", ()),  # an unknown village, no lake
        ("Ich lese Kindern gern was vor, in der Kita vielleicht", ("kinder-jugend",)),
        ("Ich würde gern Leihopa werden", ("soziales",)),
        ("Ich stricke gern Mützen für die Kleiderkammer", ("soziales",)),  # a craft as means
        ("ich stricke gern", ("kultur",)),  # … or the area itself
        ("Wir suchen Betreuer für unsere Jugendmannschaft im Fußball", ("sport", "kinder-jugend")),
        # how someone lives or when they are free names no area; helping such people does
        ("Ich bin alleinerziehend, habe aber abends Zeit", ()),
        ("Ich lebe allein und möchte unter Leute kommen", ()),
        ("Nach der Schule hätte ich Zeit zu helfen", ()),
        ("Ich möchte Alleinerziehende unterstützen", ("soziales",)),
        ("I'm retired and would like to help in my community", ()),
        ("I'd like to help at the community centre", ("dorfleben",)),
        ("Ich bin Oma und habe vormittags Zeit", ()),
        ("Ich arbeite in der Pflege und möchte in meiner Freizeit was anderes machen", ()),
        ("Ich würde gern eine Ferienfreizeit für Kinder begleiten", ("kinder-jugend",)),
        # care for things is no health care; care for people is
        ("Ich würde gern bei der Pflege des Friedhofs helfen", ("dorfleben",)),
        ("Ich kann Gräber pflegen und Blumen gießen", ("umwelt",)),
        # the development sets' writers name the people cared for first (interests-learnt)
        ("Ich möchte alte Menschen pflegen", ("soziales",)),
        ("Ich würde gern in der Pflege helfen", ("gesundheit",)),
        # the writer's own disability names no area; helping people with one does
        ("Ich bin gehörlos und möchte trotzdem helfen, ich kann gut malen", ("kultur",)),
        ("Ich sitze im Rollstuhl, möchte aber gern helfen", ()),
        ("Ich möchte Menschen mit Behinderung beim Einkaufen helfen", ("soziales",)),
        # areas of our own words, each from a writer's miss: giving blood, a deacon, training
        ("Ich helfe gern beim Blutspendetermin", ("gesundheit", "rettung")),
        ("Ich bin Diakon und würde gern einen Besuchsdienst mit aufbauen", ("kirche", "soziales")),
        ("Ich würde mich gern für eine Schulung als Lesepate anmelden", ("kinder-jugend",)),
        ("I'd like to run an English conversation club for kids", ("kinder-jugend",)),
    ],
)
def test_only_the_area_of_the_activity_is_an_interest(
    understander: Understander, text: str, interests: tuple[str, ...]
) -> None:
    assert_first_areas(understander.read(text).interests, interests)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ich kann nur unregelmäßig", "once"),
        ("lieber spontan, nicht jede Woche", "once"),
        ("Ich will mich nicht regelmäßig binden", "once"),
        ("bei einer Aktion im Frühjahr", "once"),
        ("mal beim Sportfest helfen", "once"),
        ("für einen Tag im Oktober", "once"),
        ("zeitlich völlig flexibel", None),
        ("egal ob einmalig oder regelmäßig", "any"),
        ("flexibel", "any"),
        ("Ich würde beim Repair-Café helfen, mittwochs hab ich immer frei", "regular"),
    ],
)
def test_time_kind_error_classes(understander: Understander, text: str, kind: str | None) -> None:
    assert understander.read(text).time_kind == kind


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("Guten Abend, ich hätte nachmittags Zeit", ("weekday",)),
        ("Good evening! I could help on Sunday", ("weekend",)),
        ("Montag und Mittwoch abends", ("evening",)),
        ("Sunday mornings", ("weekend",)),
        ("Ich arbeite abends, deshalb nur vormittags", ("weekday",)),
        ("am Wochenende kann ich nicht, aber dienstags", ("weekday",)),
        ("übers WE", ("weekend",)),
        ("ich bin zeitlich an nichts gebunden", ("any",)),
        ("nur sonntags, unter der Woche bin ich auf Montage", ("weekend",)),
        ("samstags gern, die Woche über bin ich beruflich unterwegs", ("weekend",)),
    ],
)
def test_time_slots_error_classes(
    understander: Understander, text: str, slots: tuple[str, ...]
) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("My father needs a lift to his doctor's appointment", "lifts"),
        ("I need help with the shopping", "errands"),
        ("Could someone help me with my phone?", "digital"),
    ],
)
def test_english_help_kind(understander: Understander, text: str, kind: str) -> None:
    reading = understander.read(text)
    assert reading.intent == "need_help"
    assert reading.help_kind == kind


# --- The independent sets: written blind, never learnt from --------------------------

INDEPENDENT = {
    # file: (intent, slots) floors, half a point below the figures in round 19
    # (the areas ordered as the development sets' writers name them), so that a change that makes
    # understanding worse fails here. Each set was written blind and is never learnt from;
    # its first-sight figures are in docs/understanding.md. The aim (95 % / 90 %) is not
    # met on all. Figures now: intent / slots.
    "openers_eval.yaml": (0.995, 0.953),  # 100.0 / 95.8
    "openers_heldout.yaml": (0.985, 0.94),  # 99.0 / 94.5
    "openers_final.yaml": (0.984, 0.963),  # 98.9 / 96.8
    "openers_acceptance.yaml": (0.987, 0.952),  # 99.2 / 95.7
    "openers_release.yaml": (0.975, 0.913),  # 98.0 / 91.8
    "openers_blind6.yaml": (0.97, 0.901),  # 97.5 / 90.6
    "openers_blind7.yaml": (0.977, 0.93),  # 98.2 / 93.5
    "openers_blind8.yaml": (0.978, 0.877),  # 98.3 / 88.2
    "openers_blind9.yaml": (0.984, 0.931),  # 98.9 / 93.6
    "openers_blind10.yaml": (0.945, 0.731),  # 95.0 / 73.6
    "openers_blind11.yaml": (0.951, 0.825),  # 95.6 / 83.0
    "openers_blind12.yaml": (0.984, 0.843),  # 98.9 / 84.8
    "openers_blind13.yaml": (0.973, 0.935),  # 97.8 / 94.0
    "openers_blind14.yaml": (0.978, 0.908),  # 98.3 / 91.3
    "openers_blind15.yaml": (0.967, 0.895),  # 97.2 / 90.0
    "openers_blind16.yaml": (0.945, 0.877),  # 95.0 / 88.2
    "openers_blind17.yaml": (0.989, 0.875),  # 99.4 / 88.0
    "openers_blind18.yaml": (0.973, 0.889),  # 97.8 / 89.4
    "openers_blind19.yaml": (0.951, 0.935),  # 95.6 / 94.0
    "openers_blind20.yaml": (0.945, 0.899),  # 95.0 / 90.4
    "openers_blind21.yaml": (0.962, 0.889),  # 96.7 / 89.4
    "openers_blind22.yaml": (0.962, 0.913),  # 96.7 / 91.8
    "openers_blind23.yaml": (0.967, 0.884),  # 97.2 / 88.9
    "openers_blind24.yaml": (0.967, 0.854),  # 97.2 / 85.9
    "openers_blind25.yaml": (0.962, 0.863),  # 96.7 / 86.8
    "openers_blind26.yaml": (0.945, 0.859),  # 95.0 / 86.4
    "openers_blind27.yaml": (0.951, 0.877),  # 95.6 / 88.2
    "openers_blind28.yaml": (0.951, 0.833),  # 95.6 / 83.8
    "openers_blind29.yaml": (0.984, 0.884),  # 98.9 / 88.9
    "openers_blind30.yaml": (0.962, 0.848),  # 96.7 / 85.3
    "openers_blind31.yaml": (0.956, 0.883),  # 96.1 / 88.8
    "openers_blind32.yaml": (0.967, 0.884),  # 97.2 / 88.9
    "openers_blind33.yaml": (0.956, 0.895),  # 96.1 / 90.0
    "openers_blind34.yaml": (0.973, 0.848),  # 97.8 / 85.3
    "openers_blind35.yaml": (0.989, 0.886),  # 99.4 / 89.1
    "openers_blind36.yaml": (0.984, 0.91),  # 98.9 / 91.5
    "openers_blind37.yaml": (0.978, 0.925),  # 98.3 / 93.0
}


@pytest.mark.parametrize("name", list(INDEPENDENT))
def test_independent_openers_stay_at_least_as_good(name: str, understander: Understander) -> None:
    cases = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    result = evaluate_openers(cases["openers"], understander)
    intent, slots = INDEPENDENT[name]
    assert result["intent"] >= intent and result["slots"] >= slots, {
        k: v for k, v in result.items() if k != "misses"
    }


def test_no_independent_opener_is_a_training_example(content: Content) -> None:
    learnt = {  # one- and two-word greetings ("Hallo", "Termine?") are bound to repeat
        fold(text)  # intents.yaml and intents-collected.yaml, as the bot learns them
        for texts in content.intent_examples.values()
        for text in texts
        if len(fold(text).split()) >= 3
    }
    # stock phrases a writer wrote on their own; the example is older than the set (63a0c34,
    # 3377ff7 for "will helfen egal was", 519e8a8 for "danke fur die infos")
    learnt -= {
        "sorry falscher chat",
        "wie funktioniert das hier eigentlich muss ich mich anmelden",
        "will helfen egal was",
        "danke fur die infos",
        "wer bist du",
    }
    for name in INDEPENDENT:
        cases = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
        leaked = [c["text"] for c in cases["openers"] if fold(c["text"]) in learnt]
        assert leaked == [], f"{name}: {leaked}"


def test_every_opener_set_is_either_independent_or_learnt() -> None:
    """A new set in tests/data is a development set (learnt, openers_dev*) or an
    independent one with its floor above; none is forgotten."""
    names = {path.name for path in (ROOT / "tests" / "data").glob("openers_*.yaml")}
    assert {n for n in names if not n.startswith("openers_dev")} == set(INDEPENDENT)


def test_collected_examples_are_the_development_sets() -> None:
    """content/intents-collected.yaml is what tools/collect_intent_examples.py writes from
    the development sets of this checkout (rerun it after changing one)."""
    tool = runpy.run_path(str(ROOT / "tools" / "collect_intent_examples.py"))
    shipped = (ROOT / "content" / "intents-collected.yaml").read_text(encoding="utf-8")
    assert shipped == tool["expected_text"](), "python tools/collect_intent_examples.py"


def test_sets_left_out_as_intent_examples_are_development_sets() -> None:
    """A development set kept from the intent examples (NO_INTENT_EXAMPLES) is still there
    and still a development set: its sentences teach the order of areas."""
    from bot.evaluation.examples import NO_INTENT_EXAMPLES, development_sets, intent_example_sets

    data = ROOT / "tests" / "data"
    names = {path.name for path in development_sets(data)}
    assert names >= NO_INTENT_EXAMPLES
    assert {p.name for p in intent_example_sets(data)} == names - NO_INTENT_EXAMPLES


def test_collected_examples_leave_out_independent_and_own_texts(tmp_path: Path) -> None:
    from bot.content.schema import NO_INTENT
    from bot.evaluation.examples import collected_examples, render

    dev, independent = tmp_path / "openers_dev.yaml", tmp_path / "openers_blind.yaml"
    dev.write_text(
        "openers:\n"
        '  - {text: "Ich möchte im Tierheim helfen", intent: volunteer}\n'
        '  - {text: "Was ist am Samstag los?", intent: events}\n'
        '  - {text: "ich möchte  im tierheim helfen", intent: volunteer}\n'
        '  - {text: "Hallo: \\"Test\\" 😀", intent: null}\n'
        '  - {text: "Brauche Hilfe beim Einkaufen", intent: need_help}\n',
        encoding="utf-8",
    )
    independent.write_text('openers:\n  - {text: "was ist am samstag los", intent: events}\n')
    own = {"need_help": ["Brauche Hilfe beim Einkaufen!"]}
    collected = collected_examples([dev], [independent], own)
    assert collected == {
        "volunteer": ["Ich möchte im Tierheim helfen"],
        NO_INTENT: ['Hallo: "Test" 😀'],
    }
    assert yaml.safe_load(render(collected, ["need_help", "volunteer"]))["examples"] == collected


# --- error classes of the second evaluation: own sentences, not the evaluation's --------


@pytest.mark.parametrize(
    "text",
    [
        "Muss ich für die Hausaufgabenhilfe ein Führungszeugnis vorlegen?",
        "Bin ich beim Training mit der Jugendmannschaft versichert?",
        "Wie viel kann ich als Chorleiter steuerfrei bekommen?",
        "Is my work at the animal shelter covered by insurance?",
    ],
)
def test_questions_carry_no_interests(understander: Understander, text: str) -> None:
    reading = understander.read(text)
    assert reading.intent == "question"
    assert reading.interests == ()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Wer steckt hinter diesem Angebot?", "question"),
        ("Werden meine Nachrichten hier gespeichert?", "question"),
        ("Dürfen Asylbewerber überhaupt ehrenamtlich arbeiten?", "question"),
        ("Kann ich bei der Feuerwehr in Rackwitz mitmachen, obwohl ich erst 14 bin?", "volunteer"),
        ("Könnte mir jemand die Tabletten aus der Apotheke holen?", "need_help"),
        ("Ich wäre froh, wenn mich jemand zum Friseur fahren könnte", "need_help"),
        ("Gibt es Begleitung für meine Schwester zum Amt?", "need_help"),
        ("Gönnte mir eener beim Umzuch helfn?", "need_help"),
        ("Ich könnte einsamen Menschen am Telefon zuhören", "volunteer"),
        ("Kann ich Senioren beim Arztbesuch begleiten?", "volunteer"),
        ("Mir vom Angelverein suchen noch Helfer fürs Fischerfest", "verein"),
        ("Ich suche was Ehrenamtliches im Handballverein", "volunteer"),
        ("Wir überlegen, einen Bücherschrank aufzustellen. Wer kann uns unterstützen?", "idea"),
        ("Ich würde gern eine Sprechstunde für Handyfragen anbieten. Wie fange ich an?", "idea"),
    ],
)
def test_intent_second_error_classes(understander: Understander, text: str, intent: str) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "interests"),
    [
        ("Unser Kirchenchor sucht jemanden für den Vereinskram", ("kirche",)),
        ("Unser Gesangverein sucht neue Stimmen", ("kultur",)),
        ("Ich will mich nicht fest verpflichten, aber helfen", ()),
        ("Gibt es am Samstag etwas für Familien mit Kindern?", ("kinder-jugend",)),
        ("Feuerwehr oder Sportverein, Hauptsache in Zschortau", ("rettung", "sport")),
    ],
)
def test_interests_of_the_activity_not_of_generic_words(
    understander: Understander, text: str, interests: tuple[str, ...]
) -> None:
    assert_first_areas(understander.read(text).interests, interests)


# --- error classes of the third evaluation: own sentences, not the evaluation's ---------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ich könnte jeden Donnerstagnachmittag in der Kleiderkammer stehen", "regular"),
        ("mittwochabends hätte ich Zeit", "regular"),
        ("freitags abends geht bei mir immer", "regular"),
        ("Ich kann montags und freitags", "regular"),
        ("zweimal im Monat würde ich gern mithelfen", "regular"),
        ("I could come in three times a week", "regular"),
        ("every Sunday after church", "regular"),
        ("so ein paar Stunden pro Woche", "regular"),
        ("alle zwei Wochen am Samstag", "regular"),
        ("Ich möchte bloß einmal aushelfen", "once"),
        ("nu, aber nur eemal", "once"),
        ("Das wäre für mich eine einmalige Aktion", "once"),
        ("I could help this Saturday", "once"),
        ("am nächsten Sonntag könnte ich", "once"),
        ("Hätte mal einen Vormittag übrig", "once"),
        ("wenn Not am Mann ist, ruft mich an", "once"),
        ("once a week", "regular"),
        ("einen Abend pro Woche", "regular"),
        ("Ich kann nicht jeden Dienstag", "once"),
    ],
)
def test_time_kind_from_recurrence(understander: Understander, text: str, kind: str) -> None:
    assert understander.read(text).time_kind == kind


def test_an_idea_schedules_itself_not_the_person(understander: Understander) -> None:
    idea = understander.read("Projektidee: ein wöchentlicher Spieletreff im Gemeindehaus")
    assert idea.intent == "idea"
    assert idea.time_kind is None
    planned = understander.read(
        "Ich will einen Seniorentanz jeden Freitag gründen, hab abends Zeit"
    )
    assert planned.time_kind == "regular"
    club = understander.read("Unser Sportverein sucht jeden Mittwoch jemanden fürs Training")
    assert club.time_kind == "regular"


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("Ich hab ab und zu mal einen Nachmittag frei", ()),
        ("an einem Vormittag könnte ich", ()),
        ("einen Nachmittag pro Woche", ("weekday",)),
        ("nachmittags hab ich Zeit", ("weekday",)),
        ("einen Samstagnachmittag", ("weekend",)),
    ],
)
def test_a_single_afternoon_is_no_weekday(
    understander: Understander, text: str, slots: tuple[str, ...]
) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    ("text", "interests"),
    [
        ("Wir sind ein kleiner Heimatverein und suchen Leute für die Chronik", ("kultur",)),
        ("Unser kleines Tierheim braucht Gassigeher", ("umwelt",)),
        ("Ich würde den Kleinen gern etwas vorlesen", ("kinder-jugend",)),
        ("Ich bin 13 und möchte beim Tierschutz helfen", ("umwelt",)),
        ("Mit meiner Klasse würde ich gern mit den Schülern eine Webseite bauen", ("digital",)),
        ("Ich bin neu zugezogen und würde gern beim Sportverein helfen", ("sport",)),
        ("Wir sind neu in Deutschland und kennen noch keinen, wollen helfen", ()),
        ("Ich helfe gern bei Vereinsveranstaltungen", ()),
        ("Ich würde beim Gemeindefest der Kirche Kaffee kochen", ("kirche",)),
        ("Ich könnte einen Computerkurs für Senioren in der Bücherei geben", ("digital",)),
        ("Ich fotografiere gern beim Dorffest", ("dorfleben",)),
        ("Wir wollen den Jugendclub neu streichen", ("kinder-jugend",)),
    ],
)
def test_audience_venue_and_means_are_no_area(
    understander: Understander, text: str, interests: tuple[str, ...]
) -> None:
    reading = understander.read(text)
    assert reading.interests[: len(interests)] == interests
    if not interests:
        assert reading.interests == ()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("We run a small food bank in Eilenburg and need drivers", "verein"),
        ("I'm with the rowing club, we'd like to put our offer on here", "verein"),
        ("Wir sind eine Elterninitiative und suchen jemanden für die Kasse", "verein"),
        ("Der Ortsbeirat möchte Einwohner für eine Arbeitsgruppe gewinnen", "verein"),
        ("Ich bräuchte manchmal Unterstützung beim Wäschewaschen", "need_help"),
        ("Mein Opa sucht eine Aufgabe, er würde gern Vogelhäuschen bauen", "volunteer"),
        ("Wir wollen als Team einen Tag lang was Gutes tun", "volunteer"),
        ("hab lust auf ehrenamt, was gibts da?", "volunteer"),
        ("Ich will einen Kochtreff gründen. Wer hilft mir dabei?", "idea"),
    ],
)
def test_intent_third_error_classes(understander: Understander, text: str, intent: str) -> None:
    assert understander.read(text).intent == intent


def test_a_village_alone_at_the_end(understander: Understander) -> None:
    assert understander.read("würde beim Fest helfen, Getränke. zschortau").place_name == (
        "Zschortau"
    )
    assert understander.read("ich helfe gern, danke").place is None


# --- third round: error classes of a blind evaluation (own sentences) ---------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # organisations in English and formal German speak for themselves
        ("We're a small handball club in Rackwitz and need volunteers for match days", "verein"),
        ("Our congregation is looking for volunteers for the Sunday café", "verein"),
        ("I run a tiny cat rescue and we'd like to list our volunteering roles", "verein"),
        ("Wir sind ein Altenpflegeheim und würden uns über Vorleser freuen", "verein"),
        ("Wir, der Förderverein der Oberschule, würden gern Lernpaten finden", "verein"),
        # a group of friends or colleagues helping for themselves
        ("Wir sind sechs Kolleginnen und suchen für unseren Teamtag eine Aktion", "volunteer"),
        ("We're a group of friends looking to help out somewhere for a day", "volunteer"),
        # need help said indirectly
        ("Das Laub wächst uns über den Kopf, wir sind beide über 80. Gibt es Helfer?", "need_help"),
        ("suche jemand der mir beim Umzug hilft", "need_help"),
        # short and slangy volunteering
        ("Ehrenamt", "volunteer"),
        ("alter wo kann man hier ehrenamt machen", "volunteer"),
        ("Looking for a one-off volunteering thing next weekend, open to anything", "volunteer"),
        # questions about the service, discounts and funding; events asks when and where
        ("Gibt es euch auch auf dem Handy als App?", "question"),
        ("Kriegen Ehrenamtliche Vergünstigungen im Hallenbad?", "question"),
        ("Gibt es Fördergeld für Sportvereine? Uns fehlen Tore", "question"),
        ("Gibt es im Frühjahr Müllsammeltage? Wann und wo?", "events"),
    ],
)
def test_intent_fourth_error_classes(understander: Understander, text: str, intent: str) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "interests"),
    [
        ("Ich würde gern bei der Kinderfeuerwehr mithelfen", ("rettung",)),
        ("Beim Jugendrotkreuz würde ich gern mitmachen", ("rettung",)),
        ("Im Kinderchor könnte ich die Proben begleiten", ("kultur",)),
        ("Ich (39, zwei Kinder) möchte im Naturschutz helfen", ("umwelt",)),
        ("Wir sind eine Familie mit 4 Kindern und würden gern im Tierheim helfen", ("umwelt",)),
        ("Ich könnte die Kasse im Sportverein übernehmen", ("sport",)),
        ("Unser Verein sucht einen Kassenwart", ()),
        ("Ich würde mich gern politisch engagieren, aber nicht in einer Partei", ("beteiligung",)),
        ("Bei der Suchtberatung oder Selbsthilfe würde ich gern helfen", ("gesundheit",)),
        # a visiting service is social help wherever it visits (the writers: 9 of 10)
        ("Ich könnte beim Besuchsdienst im Krankenhaus oder Pflegeheim helfen", ("soziales",)),
        ("Im Heimatverein würde ich alte Fotos und die Dorfgeschichte sortieren", ("kultur",)),
        ("Der Ortschaftsrat sucht Leute für einen Arbeitseinsatz", ()),
        ("Wir sind fünf Kollegen und suchen für unseren Social Day eine Aktion", ()),
    ],
)
def test_interests_fourth_error_classes(
    understander: Understander, text: str, interests: tuple[str, ...]
) -> None:
    assert_first_areas(understander.read(text).interests, interests)


@pytest.mark.parametrize(
    ("text", "interests"),
    [
        # the organisation's own area after the activity's
        (
            "Wir sind ein Selbsthilfeverein und suchen jemanden für unsere Website",
            ("digital", "gesundheit"),
        ),
        # the youth section of an organisation: the organisation first, then its youth
        ("Ich würde gern bei der Kinderfeuerwehr mithelfen", ("rettung", "kinder-jugend")),
        # for whom: the activity first, then the people it is for
        ("Ich würde gern Schulkindern zeigen, wie Bienen leben", ("umwelt", "kinder-jugend")),
        ("Ich würde gern Yoga für Senioren anbieten", ("sport", "gesundheit", "soziales")),
    ],
)
def test_areas_said_beside_the_activity_come_after_it(
    understander: Understander, text: str, interests: tuple[str, ...]
) -> None:
    assert understander.read(text).interests[: len(interests)] == interests


# --- eighth round: error classes of a new development set (own sentences) ---------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # help offered on a condition: whoever needs it may call
        (
            "Hab einen Transporter. Falls mal ein Verein was zu fahren braucht, sagt Bescheid",
            "volunteer",
        ),
        ("If anyone needs a hand with the garden, I'm around on Saturdays", "volunteer"),
        (
            "Ich kann Trompete spielen. Falls eine Kapelle in Krostitz oder der Umgebung mal "
            "Verstärkung braucht, meldet euch",
            "volunteer",
        ),
        # … but a need of the writer's own stays a need
        ("Meine Mutter braucht jemanden, wenn sie zum Arzt muss", "need_help"),
        # helping the relatives of others after one's own loss
        (
            "Nach dem Tod meiner Mutter möchte ich Angehörige von Pflegebedürftigen begleiten",
            "volunteer",
        ),
        # an organisation named first says what it lacks
        ("Die Kleiderkammer Delitzsch braucht Leute zum Sortieren", "verein"),
        ("Unser Dorfladen sucht Verkäuferinnen für samstags", "verein"),
        # rules asked about are questions
        ("Muss man Mitglied im Verein sein, um beim Fest zu helfen?", "question"),
        # a sale or spam with a price wants nothing we offer; helping sell for a cause does
        ("Verkaufe Kinderfahrrad, kaum benutzt, 40 VB", None),
        ("Earn 3000€ a week from home, click now", None),
        (
            "Ich würde beim Weihnachtsmarkt Glühwein verkaufen, der Erlös geht an die Kita",
            "volunteer",
        ),
        # a need said as what one does not manage
        ("Ich will online einen Termin buchen und krieg das nicht hin", "need_help"),
        (
            "Meine Eltern sind über 80, die Dachrinne müsste gemacht werden. Gibt es dafür Helfer?",
            "need_help",
        ),
        # what the writer can do, for others who no longer manage
        (
            "Ich kann Fenster putzen und einkaufen, für Senioren, die es nicht mehr schaffen",
            "volunteer",
        ),
        # a bare domain with a loan offer is spam
        ("Schnelle Kredite ohne Schufa, jetzt klicken: geld-sofort.example", None),
        # asking for a place that needs people: the writer would help there
        ("Ich spiele Posaune. Gibt es einen Posaunenchor, der Verstärkung sucht?", "volunteer"),
        # help offered for whoever will need it, said as a condition
        (
            "Bin Gärtnermeister im Ruhestand. Wenn eine Schule oder ein Verein einen Garten "
            "anlegen will, berate und helfe ich gern.",
            "volunteer",
        ),
        ("Falls am Vereinsheim mal das Dach undicht ist, meldet euch", "volunteer"),
        ("Kann jemand einen Rentner gebrauchen, der gern vorliest?", "volunteer"),
        # … but someone who can help, asked for, is a need
        ("Mein Zaun ist umgefallen. Wenn jemand helfen kann, melden Sie sich bitte", "need_help"),
        ("Ich suche Hilfe beim Bewerbung schreiben", "need_help"),
        # eligibility and rules are questions
        (
            "Ich habe noch keine Arbeitserlaubnis. Darf ich trotzdem ehrenamtlich arbeiten?",
            "question",
        ),
        # planned events and information evenings are events
        ("Sind im Herbst in Taucha Läufe geplant?", "events"),
        ("Gibt es einen Termin für die nächste Pflanzaktion in Rackwitz?", "events"),
        # somewhere a relative could go is an event
        ("Gibt es Seniorennachmittage, wo meine Mutter hingehen kann?", "events"),
        # an idea put up for discussion, and support asked for it
        (
            "Wie wäre es mit einem Tauschregal im Dorfladen in Glesien? Ich würde mich kümmern.",
            "idea",
        ),
        ("I'd like to start a chess club in Taucha. Would anyone support that?", "idea"),
        # helping at events is volunteering; when a council meets or what is on is events
        ("Ich könnte bei Veranstaltungen den Grill machen", "volunteer"),
        ("Wann tagt der Gemeinderat in Rackwitz?", "events"),
        ("Gibt es am Sonntag ein Konzert in Eilenburg?", "events"),
        # an organisation presumed to need people, by someone who would join
        ("Der Heimatverein sucht doch bestimmt Leute, oder? Ich wär dabei", "volunteer"),
        # a chairperson's call
        (
            "Hallo, ich bin Vorsitzender vom TSV Glesien. Uns fehlen Schiedsrichter, gerne melden!",
            "verein",
        ),
        # free time offered, even next week, is volunteering, not a question about events
        ("Hätte nächste Woche Zeit", "volunteer"),
        # a pet of the writer's to be cared for is a need
        ("Wer könnte meinen Hund ausführen? Ich liege mit Grippe im Bett.", "need_help"),
        # asking whether helpers are still sought, or a place that needs them, offers help
        ("Werden in Delitzsch noch Lesepaten gesucht? Ich hätte Zeit.", "volunteer"),
        ("Gibt es in Glesien einen Chor, der Tenöre braucht?", "volunteer"),
        (
            "Bin Bauer in Kyhna, hab einen Trecker und Anhänger. Wenn fürs Osterfeuer was zu "
            "fahren ist, ruft an.",
            "volunteer",
        ),
        # a call for helping hands comes from an organisation
        ("Pflanzaktion am Samstag an der Loberaue, jede helfende Hand zählt!", "verein"),
        # a wish for the village is an idea
        ("Es wär schön, wenn's in Glesien einen Spieleabend gäbe", "idea"),
    ],
)
def test_intent_eighth_error_classes(
    understander: Understander, text: str, intent: str | None
) -> None:
    assert understander.read(text).intent == intent


def test_patterns_match_words_that_fold_their_letter_pairs(understander: Understander) -> None:
    """`fold` reads "ue", "ae" and "oe" as one letter ("dauerhaft" → "daurhaft", "Tuesday"
    → "tusday"); the signal patterns are folded the same way, so these words are found."""
    assert compile_folded(r"\bdauerhaft\b").search(fold("Ich helfe dauerhaft"))
    assert understander.read("Eher punktuell als dauerhaft, bitte").time_kind == "once"
    assert understander.read("I could help on Tuesdays and Thursdays").time_kind == "regular"
    assert cues.own_group("We are a group of colleagues and want to help")
    assert cues.organisation_needs("Die Feuerwehr Zwochau braucht dringend Leute")
    assert cues.is_question("does this cost anything")


@pytest.mark.parametrize(
    "text",
    [
        "does anyone need help with gardening",
        "Braucht jemand Hilfe beim Umzug? Hab nen Transporter",
        "Ich will ein Dorffest organisieren. Kann mir jemand helfen?",
        "Hat jemand Lust, das mit mir zu bauen?",
    ],
)
def test_help_offered_or_a_project_is_no_need_of_the_writer(text: str) -> None:
    assert cues.direction(text) != "receiver"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a negation ends at "aber": the rhythm after it is meant
        ("Unter der Woche geht's nicht, aber jeden zweiten Samstag hätte ich Zeit", "regular"),
        ("Ich kann nicht jede Woche, aber ab und zu", "once"),
        # an age range is no date, a single mum no single occasion
        ("Die Jugendfeuerwehr sucht Betreuer, die samstags mit den 10-16-Jährigen üben", None),
        ("I'm a single mum and need help with forms, maybe once a month", "regular"),
        ("Ich kann am 3.5. beim Aufbau helfen", "once"),
        # help at a named occasion is one-off, unless a rhythm is said beside it
        ("Ich würde beim Dorffest in Zwochau helfen", "once"),
        ("Wir suchen Helfer für unser Sommerfest im Juli", "once"),
        ("Ich würde gern jeden Samstag beim Heimatverein helfen, auch beim Dorffest", "regular"),
        ("Ich helfe gern am Stand beim Wochenmarkt in Delitzsch", None),
        ("Was ist beim Dorffest in Zwochau los?", None),
        # a question or what's on offers no time of one's own
        ("Bin ich versichert, wenn ich beim Dorffest helfe?", None),
        ("Any concerts around Schkeuditz this Saturday?", None),
        # a day and its time of day, both in the plural, are a weekly hour
        ("Saturday mornings would be ideal for me to help", "regular"),
    ],
)
def test_time_kind_after_a_negation_and_of_weekly_hours(
    understander: Understander, text: str, kind: str | None
) -> None:
    assert understander.read(text).time_kind == kind


def test_an_ideas_own_schedule_is_read(understander: Understander) -> None:
    reading = understander.read("Idee: ein Repair-Café in Delitzsch, einmal im Monat samstags")
    assert (reading.intent, reading.time_kind, reading.time_slots) == (
        "idea",
        "regular",
        ("weekend",),
    )


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # an age is no clock time
        (
            "Die Jugendfeuerwehr braucht Betreuer für Kinder ab 8. Samstags alle 2 Wochen.",
            ("weekend",),
        ),
        ("Jugendliche ab 14 Jahren können mitmachen, Training ab 18 Uhr", ("evening",)),
        # "weekday evenings", "werktags abends" are the evening, not also the daytime
        ("Looking for volunteering in Schkeuditz, weekday evenings", ("evening",)),
        ("werktags abends hätte ich Zeit", ("evening",)),
        ("wochentags hätte ich Zeit", ("weekday",)),
    ],
)
def test_time_slots_of_ages_and_weekday_evenings(
    understander: Understander, text: str, slots: tuple[str, ...]
) -> None:
    assert understander.read(text).time_slots == slots


def test_of_course_is_no_nature_and_english_plurals_are_read(understander: Understander) -> None:
    reading = understander.read("Ich würde natürlich gern Senioren besuchen")
    assert reading.interests == ("soziales",)
    assert understander.read("Ich kann Leuten PCs einrichten").interests == ("digital",)
    # "nach Feierabend" is a time, no celebration
    assert understander.read("Ich kann nach Feierabend helfen").interests == ()


def test_the_region_is_no_place_and_an_organisation_cues_its_village(
    understander: Understander,
) -> None:
    assert understander.read("Ich wohne im Delitzscher Land und will helfen").place is None
    place = understander.read("Der Sportverein Kletzen sucht Übungsleiter").place
    assert place is not None and place.name == "Kletzen"
    assert understander.read("Our parish is looking for volunteers").place is None


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("I'm free most evenings after work", ("evening",)),
        ("during the week I could help", ("weekday",)),
        ("unter der Woche hätte ich Zeit", ("weekday",)),
        ("Mo–Fr früh könnte ich", ("weekday",)),
        ("zeitlich egal", ("any",)),
    ],
)
def test_time_slots_fourth_error_classes(
    understander: Understander, text: str, slots: tuple[str, ...]
) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ich hätte zwei Wochen im März Zeit", "once"),
        ("eine Woche im Sommer könnte ich helfen", "once"),
        ("samstag in 2 wochen hätte ich zeit", "once"),
        ("eher einmalig als dauerhaft", "once"),
        ("lieber regelmäßig als spontan", "regular"),
        ("am besten samstags", None),
        ("I could help on Saturdays", None),
        ("habe montags Zeit", None),
        ("jeden Samstag", "regular"),
        ("immer montags", "regular"),
        ("dienstags und donnerstags", "regular"),
        ("dienstagabends", "regular"),
        # a date is one occasion; asking what is on at a date offers no time
        ("Ich hätte am 3.5. Zeit", "once"),
        ("Der Angelverein sucht Helfer beim Arbeitseinsatz am 14. März", "once"),
        ("I could help next week", "once"),
        ("Gibt es nächste Woche ein Konzert?", None),
        ("Ich hab Zeit ab 17 Uhr", None),
        # one named day ("am Donnerstag") is one occasion, the day with -s a habit or a wish
        ("Kann mich jemand am Donnerstag zum Zahnarzt fahren?", "once"),
        ("Könnte diese Woche beim Umzug helfen", "once"),
        ("am Samstagvormittag könnte ich", None),
    ],
)
def test_time_kind_habit_or_preference(
    understander: Understander, text: str, kind: str | None
) -> None:
    assert understander.read(text).time_kind == kind


# --- the same reading in every process ------------------------------------------------------

_TIES = """
from pathlib import Path
from bot.content.loader import load_content
from bot.matching.interests import InterestMatcher
matcher = InterestMatcher(load_content(Path("content"), Path("knowledge")).taxonomy)
for text in ("Jugendfeuerwehr", "Kinderturnen im Sportverein", "Garten und Kirche", "Chor 🎵 ⚽"):
    print([s.id for s in matcher.classify(text)])
"""


def test_interests_come_in_the_same_order_whatever_the_hash_seed() -> None:
    """Ties between areas ("Jugendfeuerwehr": fire brigade and youth) once came out in the
    order of a Python set, which changes from process to process with the hash seed."""
    runs = {
        subprocess.run(
            [sys.executable, "-c", _TIES],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (0, 1, 2, 3)
    }
    assert len(runs) == 1, runs


@pytest.mark.parametrize(
    "text",
    [
        "Wir sind eine junge Familie und wollen uns im Ort einbringen",
        "Wir suchen was, wo wir als Familie helfen können",
        "Als Rentnerpaar suchen wir eine sinnvolle Aufgabe",
        "We are a family of four and would like to help out",
    ],
)
def test_a_family_or_couple_helping_together_volunteers(
    understander: Understander, text: str
) -> None:
    assert understander.read(text).intent == "volunteer"


def test_an_english_word_that_sounds_like_a_village_is_no_place(
    understander: Understander,
) -> None:
    """'income' has the phonetic code of 'Hainichen' (the h is silent to it)."""
    assert understander.read("Do I lose any income benefits when I volunteer?").place is None
    # an English word is no misspelt village either: "teach" is no Taucha
    found = understander.read("Our youth club is looking for someone who can teach guitar")
    assert found.place is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("würde gern beim Heimatfest mithelfen, Aufbau oder Ausschank", "volunteer"),
        ("Ich bin Kantorin und suche Sängerinnen für unseren Kirchenchor", "verein"),
        ("Our youth club is looking for someone who can teach guitar", "verein"),
        ("Allein schaff ich den Weg zum Arzt nicht mehr, bin 88", "need_help"),
        ("Mein Handy spinnt. Gibt es Hilfe für ältere Leute?", "need_help"),
    ],
)
def test_signal_phrases_of_round_seven(understander: Understander, text: str, intent: str) -> None:
    """A sentence without 'ich' ("würde gern … mithelfen") offers help; someone writing for
    their organisation ("suche … für unseren Kirchenchor", "is looking for") is a Verein."""
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "Biete Hilfe beim Umzug an, habe einen Transporter",
        "Suche ein Ehrenamt im Hospiz, weil ich weiß, wie wichtig es ist, dass jemand da ist",
        "I offer help with gardening for older people",
    ],
)
def test_offering_help_or_looking_for_a_task_is_volunteering(
    understander: Understander, text: str
) -> None:
    assert understander.read(text).intent == "volunteer"


def test_looking_for_help_is_still_a_need(understander: Understander) -> None:
    assert understander.read("Suche Hilfe beim Umzug, bin 80").intent == "need_help"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Verdienen Sie 5000€ pro Woche bequem von zu Hause! Jetzt klicken: bit.ly/xyz123", None),
        ("Win a free iPhone now: http://win-iphone.xyz/claim", None),
        ("Unser Verein sucht Helfer, Infos unter www.sv-krostitz.de", "verein"),
        ("Kostet das was? Auf https://www.ehrenamt.sachsen.de steht was von 960 €", "question"),
    ],
)
def test_an_advertisement_wants_nothing_we_offer(
    understander: Understander, text: str, intent: str | None
) -> None:
    """A link with earning, winning or clicking is spam; a link beside a real wish is not."""
    assert understander.read(text).intent == intent


# --- round 9: rhythms and holidays ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a count per week or month, whatever is counted
        ("Der Seniorentreff braucht jemanden für drei Fahrten pro Woche", "regular"),
        ("Kassenwart gesucht, etwa 3 Std. im Monat", "regular"),
        ("Wir treffen uns alle 3 Monate", "regular"),
        ("Sitzung einmal im Quartal", "regular"),
        ("Mir machen das eemal in dr Woche", "regular"),
        # a fixed weekly hour, days that belong together, a group's practice on its day
        ("Ich könnte donnerstags ab 15 Uhr vorlesen", "regular"),
        ("Helfen ginge Dienstag und Freitag", "regular"),
        ("Ich hab Mo, Mi, Fr Zeit", "regular"),
        ("Chorprobe ist immer Donnerstag im Gemeindehaus", "regular"),
        ("Unser Training wäre am Dienstagabend", "regular"),
        ("I'd like to do so", None),
        # a holiday is one stretch of time – unless a rhythm is named beside it
        ("Ich möchte in den Herbstferien im Tierheim helfen", "once"),
        ("Wir suchen Helfer vor Weihnachten", "once"),
        ("In den Ferien jeden Montag", "regular"),
        ("Was ist in den Osterferien für Kinder los?", None),
        ("Die Gemeinde sucht Wahlhelfer für die Landtagswahl", "once"),
    ],
)
def test_time_kind_rhythms_and_holidays(
    understander: Understander, text: str, kind: str | None
) -> None:
    assert understander.read(text).time_kind == kind


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("Ich hab Mo, Mi, Fr Zeit", ("weekday",)),
        ("Di und Do ab 18 Uhr", ("evening",)),
        ("Sa und So", ("weekend",)),
    ],
)
def test_abbreviated_days_are_time_slots(
    understander: Understander, text: str, slots: tuple[str, ...]
) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # reviving or turning something into a place is an idea, and the help asked is for it
        ("Wir möchten das Osterreiten in Zwochau wiederbeleben. Wer hilft uns dabei?", "idea"),
        ("Aus der alten Schule könnte man ein Jugendcafé draus machen, wer hilft mir?", "idea"),
        ("Um wie viel Uhr beginnt das Konzert in der Kirche Löbnitz?", "events"),
        # an investment pitch wants nothing we offer, even without a link
        ("I can make you 200% profit with crypto, contact me on WhatsApp", None),
        ("Investieren Sie jetzt: 40 Prozent Rendite im Monat!", None),
    ],
)
def test_reviving_timing_and_investment_pitches(
    understander: Understander, text: str, intent: str | None
) -> None:
    assert understander.read(text).intent == intent


def test_a_bracketed_note_is_no_part_of_a_place_name(understander: Understander) -> None:
    """The region's place list names 'Wölkau (Hauptort/Verwaltungssitz)': the note in
    brackets describes the place, the bot's name for it is 'Wölkau'."""
    reading = understander.read("Ich wohne in Wölkau und helfe gern im Garten")
    assert slot_right("place", "Wölkau (Hauptort/Verwaltungssitz)", reading) is True
    assert slot_right("place", "Wölkau", reading) is True
    assert slot_right("place", "Naundorf (mit Kämmereiforst)", reading) is False


def test_eval_places_ignore_a_bracketed_note(understander: Understander) -> None:
    cases = {"places": [{"text": "Woelkau", "expect": "Wölkau (Hauptort/Verwaltungssitz)"}]}
    assert evaluate(cases, understander.content)["places"]["top1"] == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Gibt es in Eilenburg Einkaufshelfer, die was vorbeibringen? Ich komme nicht mehr raus",
        "Gibt es hier Leute, die Ältere zum Arzt fahren? Für meinen Opa in Kyhna",
        "Meine Mutter ist 88 und allein in Lissa. Könnte nächste Woche mal jemand vorbeischauen?",
        "Mein Mann liegt im Krankenhaus, der Keller steht unter Wasser. Wer kann uns helfen?",
    ],
)
def test_looking_for_helpers_is_a_need(understander: Understander, text: str) -> None:
    assert understander.read(text).intent == "need_help"


def test_asking_for_a_club_that_needs_people_is_still_volunteering(
    understander: Understander,
) -> None:
    text = "Gibt es Vereine in Delitzsch, die Helfer suchen? Ich hätte samstags Zeit"
    assert understander.read(text).intent == "volunteer"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # founding something for others is an idea, though it names whom it is for
        (
            "Ich würde gern für Kinder aus dem Dorf eine Theater-AG aufbauen, damit sie was "
            "zu tun haben und Spaß haben",
            "idea",
        ),
        # a skill, or help for whoever founds something, is still volunteering
        ("Ich kann gut organisieren und würde Senioren bei Ausflügen begleiten", "volunteer"),
        ("Falls jemand eine Theatergruppe gründen will, helfe ich gern mit", "volunteer"),
    ],
)
def test_founding_for_others_is_an_idea(understander: Understander, text: str, intent: str) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "Die Kinder sind aus dem Haus und ich hätte samstags Zeit zum Helfen",
        "Ich habe als Kind selbst viel Hilfe bekommen und möchte etwas zurückgeben",
        "My kids have grown up, so I have time to help out",
    ],
)
def test_own_children_as_a_stage_of_life_name_no_area(
    understander: Understander, text: str
) -> None:
    assert "kinder-jugend" not in understander.read(text).interests


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # Saxon day names
        ("Ich gönnt Sonnahmds im Verein mithelfen", ("weekend",)),
        ("Freitach hätt ich Zeit", ("weekday",)),
        # a clock time without "Uhr", or with a dot, survives the split at punctuation
        ("Jeden Dienstag 19:30 Probe", ("evening",)),
        ("ab 17.30 Uhr ginge es", ("evening",)),
        # a weekend day at the end of a compound
        ("Wir suchen Helfer für den Markt am Ostersonntag", ("weekend",)),
        # a reason or a second clause after a busy one keeps its own time
        ("Ich kann nur am Wochenende wegen Montage", ("weekend",)),
        ("Ich arbeite bis 14 Uhr und hätte nachmittags Zeit", ("weekday",)),
    ],
)
def test_time_slots_as_people_write_them(
    understander: Understander, text: str, slots: tuple[str, ...]
) -> None:
    assert understander.read(text).time_slots == slots


def test_saxon_weekly_day_is_a_habit(understander: Understander) -> None:
    assert understander.read("Mir treffen uns immer Samsdach").time_kind == "regular"


@pytest.mark.parametrize(
    "text",
    [
        "The youth club in Taucha needs two more volunteers for Friday nights",
        "Der Schachclub Delitzsch sucht neue Mitglieder, die auch mal Kinder anleiten",
        "Das Seniorenparlament sucht Erwachsene, die beim Protokoll helfen",
    ],
)
def test_an_organisation_asking_for_people_is_a_verein(
    understander: Understander, text: str
) -> None:
    assert understander.read(text).intent == "verein"


@pytest.mark.parametrize(
    "text",
    [
        # asking whether helpers are still wanted offers to be one
        "Sucht der Heimatverein in Zschepplin noch Leute fürs Backfest? Ich backe gern",
        "Werden beim Lauf in Rackwitz noch Streckenposten gebraucht?",
        "Kuchenbäcker gesucht? Ich hätte Zeit",
        "Zum Erntefest braucht ihr doch bestimmt Hilfe, ich und mein Bruder sind dabei",
        "Do you still need helpers for the Christmas market in Delitzsch?",
        # a separable verb: "packen … mit an"
        "Beim Kirchendach in Zwochau packe ich gern mit an",
    ],
)
def test_asking_whether_helpers_are_wanted_is_volunteering(
    understander: Understander, text: str
) -> None:
    assert understander.read(text).intent == "volunteer"


@pytest.mark.parametrize(
    "text",
    [
        # a Verein's own notice puts the verb later; someone asking for themselves is a need
        "Für unser Sommerfest in Wiedemar werden noch Helfer gesucht",
        "Kassenwart gesucht! Der Anglerverein Kupsal braucht dich",
        "Hat noch jemand Lust, mir beim Umzug zu helfen?",
        "Ist jemand da, der mir mit dem Rasen helfen kann?",
    ],
)
def test_a_notice_or_a_plea_is_no_question_whether_helpers_are_wanted(text: str) -> None:
    assert not cues.asks_if_wanted(text)


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # after school is a weekday afternoon; any day is any time
        ("Ich bin 15 und könnte nach der Schule im Tierheim helfen", ("weekday",)),
        ("I'm free after school on most days", ("weekday",)),
        ("Ich hab jeden Tag Zeit, Hauptsache es ist sinnvoll", ("any",)),
        ("Any day works for me", ("any",)),
        # "kein Problem" says the time suits, it does not say the person is busy
        ("Abends ist kein Problem für mich", ("evening",)),
        ("Wochenenddienste sind kein Problem", ("weekend",)),
    ],
)
def test_time_slots_of_school_any_day_and_no_problem(
    understander: Understander, text: str, slots: tuple[str, ...]
) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # repairing instead of throwing away is a green matter first
        ("Ich könnte im Reparaturcafé in Taucha Toaster flicken", ("umwelt",)),
        # the youngest footballers are children who play a sport
        ("Ich würde gern die Bambinis in Rackwitz trainieren", ("sport", "kinder-jugend")),
        ("Bei den D-Junioren könnte ich als Co-Trainer helfen", ("sport", "kinder-jugend")),
    ],
)
def test_repair_cafes_and_young_teams(
    understander: Understander, text: str, areas: tuple[str, ...]
) -> None:
    assert_first_areas(understander.read(text).interests, areas)


@pytest.mark.parametrize(
    "text",
    [
        # someone as whom the writer serves; help for whoever has to do something
        "Ich kann ab und an jemanden zur Physio nach Delitzsch fahren",
        "Ich würde auch mal Leute zum Wahllokal begleiten",
        "Hab nen Anhänger, falls mal jemand Sperrmüll wegbringen muss",
    ],
)
def test_serving_someone_or_whoever_must_is_the_writers_offer(text: str) -> None:
    assert cues.direction(text) == "doer"


def test_needing_someone_to_drive_stays_a_need() -> None:
    assert cues.direction("Wenn ich zum Arzt muss, wer fährt mich?") != "doer"


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # a sub-topic's `also:` areas follow its own (content/taxonomy.yaml)
        ("Im Kirchenchor in Zschortau würde ich gern mitmachen", ("kirche", "kultur")),
        ("Ich kann Sanitätsdienst bei Sportfesten übernehmen", ("rettung", "gesundheit")),
        ("Ich erkläre Senioren gern ihr Smartphone", ("digital", "soziales")),
        ("Ich möchte Hospizbegleiterin werden", ("gesundheit", "soziales")),
        ("Bei der Christenlehre in Krostitz könnte ich helfen", ("kirche", "kinder-jugend")),
        ("Ich wäre gern Lesepatin an der Grundschule", ("kinder-jugend", "kultur")),
        ("Sonntags könnte ich für die offene Kirche aufschließen", ("kirche", "kultur")),
        ("Ich könnte beim Herzsport in Taucha helfen", ("sport", "gesundheit")),
        ("Fürs Gemeindefest backe ich gern", ("kirche", "dorfleben")),
    ],
)
def test_a_sub_topic_brings_the_areas_it_also_belongs_to(
    understander: Understander, text: str, areas: tuple[str, ...]
) -> None:
    assert understander.read(text).interests[: len(areas)] == areas


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # old as said of a thing, one's age and being retired name no older people
        ("Wir wollen das alte Spritzenhaus in Kyhna als Dorftreff herrichten", ("dorfleben",)),
        ("Ich möchte eine Wiese mit alten Obstsorten pflegen", ("umwelt",)),
        ("Ich bin 15 und würde in meinem Alter gern schon zur Feuerwehr", ("rettung",)),
        ("Rentnerin hier, ich würde gern im Tierheim helfen", ("umwelt",)),
        ("Ich (Frührentner) könnte beim Dorffest helfen", ("dorfleben",)),
        # older people stay older people
        ("Ich möchte alten Menschen vorlesen", ("soziales",)),
        ("Ich würde gern alte Leute in Zwochau besuchen", ("soziales",)),
    ],
)
def test_old_things_age_and_retirement_are_no_older_people(
    understander: Understander, text: str, areas: tuple[str, ...]
) -> None:
    assert understander.read(text).interests[: len(areas)] == areas
    if areas != ("soziales",):
        assert "soziales" not in understander.read(text).interests


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # the village's own life follows the activity's areas, and is the area alone
        ("Ich möchte mich in meinem Dorf mehr einbringen", ("dorfleben",)),
        ("Ich möchte was Gutes für mein Dorf tun", ("dorfleben",)),
        ("Ich kann für unser Dorf eine Website bauen", ("digital", "dorfleben")),
        ("Im Dorf würde ich gern Senioren besuchen", ("soziales", "dorfleben")),
        # things a village keeps together: their own area, then village life
        ("Ich würde gern an der Ortschronik von Zschortau mitschreiben", ("kultur", "dorfleben")),
        ("Ich möchte in Lemsel eine Mitfahrbank aufstellen, wer hilft?", ("soziales", "dorfleben")),
        ("Ich würde mich gern um den Bücherschrank in Brodau kümmern", ("kultur", "dorfleben")),
        ("Ich würde mich gern um den Buecherschrank in Brodau kümmern", ("kultur", "dorfleben")),
        ("Beim Dorfputz in Kyhna bin ich dabei", ("dorfleben", "umwelt")),
        # markets, carnival and parades: the village's and its culture
        (
            "Kann beim Weihnachtsmarkt in Zschortau helfen, Glühwein ausschenken",
            ("dorfleben", "kultur"),
        ),
        # what neighbours make together
        ("Wir wollen einen Gemeinschaftsgarten in Taucha anlegen", ("umwelt", "dorfleben")),
        ("Ich möchte im Sommer ein Open-Air-Kino in Kölsa machen", ("kultur", "dorfleben")),
        # older people as whom an activity is for: social work after the activity's area
        ("Ich würde gern Gymnastik für Senioren in Wiedemar anleiten", ("sport", "soziales")),
        ("Kann Gitarre spielen für ältere Menschen im Heim", ("kultur", "soziales")),
    ],
)
def test_the_village_is_village_life_after_the_activity(
    understander: Understander, text: str, areas: tuple[str, ...]
) -> None:
    assert understander.read(text).interests == areas


@pytest.mark.parametrize(
    "text",
    [
        "Der internationale Gesprächskreis in Eilenburg sucht Leute, die Deutsch mit uns üben",
        "Is there an international evening in Delitzsch this month?",
    ],
)
def test_international_groups_are_integration(understander: Understander, text: str) -> None:
    assert understander.read(text).interests[0] == "integration"


def test_may_i_also_asks_a_question_it_offers_nothing() -> None:
    """'kann ich auch', 'darf ich auch' are no volunteer cues: they ask about a condition."""
    examples = yaml.safe_load((ROOT / "content" / "intents.yaml").read_text(encoding="utf-8"))
    volunteer = {fold(cue) for cue in examples["cues"]["volunteer"]}
    assert not volunteer & {"kann ich auch", "darf ich auch", "geht das auch"}


def test_a_condition_asked_is_a_question(understander: Understander) -> None:
    assert understander.read("Darf ich auch ohne Führerschein helfen?").intent == "question"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a month named is when a single thing happens, unless a rhythm is said beside it
        ("Wir suchen Helfer fürs Abfischen am Teich im Oktober", "once"),
        ("Könnte mir jemand Ende April beim Umzug helfen?", "once"),
        ("Ab Oktober könnte ich jeden Dienstag helfen", "regular"),
    ],
)
def test_a_month_named_is_one_occasion(understander: Understander, text: str, kind: str) -> None:
    assert understander.read(text).time_kind == kind


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # young people as the helpers wanted, a team, a custom dying out: no area of their own
        ("Der Karnevalsverein braucht junge Leute für den Umzug", ("dorfleben", "kultur")),
        ("Wir suchen Begleiter für Spaziergänge mit Senioren, gerne auch Schüler!", ("soziales",)),
        ("Hallo liebes Team, ich würde gern beim Tierheim helfen", ("umwelt",)),
        ("Das Osterfeuer stirbt bei uns aus, ich würde gern mithelfen", ("dorfleben",)),
    ],
)
def test_who_helps_and_how_a_custom_fares_name_no_area(
    understander: Understander, text: str, areas: tuple[str, ...]
) -> None:
    assert understander.read(text).interests == areas


def test_a_council_naming_itself_is_no_area(understander: Understander) -> None:
    reading = understander.read("Ortsrat Lissa: Fürs Osterfeuer suchen wir noch Helfer")
    assert reading.interests == ("dorfleben",)


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # a time range is when it starts
        ("Die Bücherei braucht Leute für Mittwoch 16-18 Uhr", ("weekday",)),
        ("Probe ist donnerstags 19:30–21 Uhr", ("evening",)),
        # an emoji ends a clause: the "nicht" after it says nothing about the weekend
        ("Am Wochenende hätte ich Zeit 😅 nur unter der Woche nicht", ("weekend",)),
    ],
)
def test_time_ranges_and_emoji_clauses(
    understander: Understander, text: str, slots: tuple[str, ...]
) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # of two places joined by "und"/"oder"/"/", the first is where the person is
        ("Wir wohnen in Krostitz und Zschölkau und würden gern helfen", "Krostitz"),
        ("Ich könnte in Eilenburg oder Delitzsch helfen", "Eilenburg"),
        # a comma or "bei" still names the Ortsteil of its Gemeinde
        ("Ich wohne in Beerendorf bei Delitzsch", "Beerendorf"),
    ],
)
def test_the_first_of_a_list_of_places(understander: Understander, text: str, place: str) -> None:
    assert understander.read(text).place_name == place


@pytest.mark.parametrize(
    "text",
    [
        "Ich würde gern einen Spieleabend im Gemeindehaus organisieren",
        "We would like to organise a clothes swap in Taucha",
        "Für einen Bücherflohmarkt in Zwochau suche Mitstreiter",
        "Ich hätte Lust, im Pfarrgarten einen Filmabend zu organisieren",
        "I want to start an English conversation club in Eilenburg",
    ],
)
def test_organising_something_new_is_an_idea(understander: Understander, text: str) -> None:
    assert understander.read(text).intent == "idea"


def test_a_message_that_wants_nothing_we_offer_names_no_area(understander: Understander) -> None:
    reading = understander.read("Wer hat gestern gewonnen, Lok oder Chemie? Fußball ist toll")
    assert reading.intent is None
    assert reading.interests == ()
    # an area said alone is kept for the conversation, whatever the menu choice
    assert understander.read("Fußball").interests == ("sport",)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # one day named with "den" or a clock time is one occasion
        ("Wir brauchen noch Streckenposten für den Sonntag", "once"),
        ("Arbeitseinsatz am Dorfteich, Samstag 9 Uhr, Handschuhe gibt es", "once"),
        ("Jeden Samstag 9 Uhr treffen wir uns zum Training", "regular"),
    ],
)
def test_one_day_named_with_den_or_a_clock_is_one_occasion(
    understander: Understander, text: str, kind: str
) -> None:
    assert understander.read(text).time_kind == kind


def test_saxon_days_with_a_doubled_vowel(understander: Understander) -> None:
    assert understander.read("Am Samsdaach gönnt ich helfen").time_slots == ("weekend",)


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # "Technik" beside a stage or a festival is stage technology, else computers
        ("Die Theatergruppe sucht Leute für Technik und Kostüme", ("kultur",)),
        ("Ich plane ein Sommerkino im Park und suche Leute für die Technik", ("kultur",)),
        ("Ich kenne mich mit Technik aus und könnte Vereinen bei der Website helfen", ("digital",)),
    ],
)
def test_technik_on_a_stage_is_culture(
    understander: Understander, text: str, areas: tuple[str, ...]
) -> None:
    assert understander.read(text).interests[: len(areas)] == areas


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # English is a language here, not homework; the school holidays are a time
        ("Is there any volunteering in English around Taucha?", ()),
        ("Ich gebe gern Nachhilfe in Englisch", ("kinder-jugend",)),
        ("In den Herbstferien würde ich gern im Tierheim helfen", ("umwelt",)),
        ("Ich würde im Ferienlager als Betreuer mitfahren", ("kinder-jugend",)),
    ],
)
def test_english_and_school_holidays_are_no_school_work(
    understander: Understander, text: str, areas: tuple[str, ...]
) -> None:
    assert understander.read(text).interests == areas


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a message that opens by asking where something is on or can be joined wants to go
        ("Gibt es einen Lauftreff in Schkeuditz?", "events"),
        ("Wo finde ich einen Töpferkurs in der Nähe von Taucha?", "events"),
        ("Gibt es in Krostitz eine Theatergruppe, bei der man mitspielen kann?", "events"),
        ("Gibt es Seniorennachmittage in Zschortau? Mein Vater ist viel allein.", "events"),
        # … unless it asks for helpers or where the writer could help
        ("Ich spiele Posaune. Gibt es einen Posaunenchor, der Verstärkung sucht?", "volunteer"),
        ("Gibt es ein Tierheim in Delitzsch, wo ich Katzen streicheln kann?", "volunteer"),
        ("Is there a church choir in Delitzsch I could join?", "volunteer"),
    ],
)
def test_asking_what_is_there_is_going_out(
    understander: Understander, text: str, intent: str
) -> None:
    assert understander.read(text).intent == intent


def test_what_is_there_opens_the_message() -> None:
    assert cues.asks_whats_there("Gibt es einen Spieleabend in Delitzsch?")
    # a later question about a group follows what the writer said first
    assert not cues.asks_whats_there("Ich würde gern Kröten retten. Gibt es da eine Gruppe?")
    assert not cues.asks_whats_there("Gibt es einen Spieleabend in Delitzsch.")  # no question
    assert not cues.asks_whats_there("Gibt es einen Fahrdienst für Ältere?")  # a service


@pytest.mark.parametrize(
    "text",
    [
        "Was läuft denn am Freitag in Eilenburg? Wir haben frei.",
        "Nu, was is am Pfingstsonntag in Krostitz los? Meine Enkel sind da.",
        "Tach, was steht im Juli in Schkeuditz so an?",
        "What's on in Taucha this weekend? My parents are visiting.",
        # young people are whom it is for, not helpers asked for
        "Gibt es in Krostitz abends was für junge Leute?",
    ],
)
def test_what_is_on_opens_the_message(understander: Understander, text: str) -> None:
    assert cues.asks_whats_there(text)
    assert understander.read(text).intent == "events"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # an introduction, then the question what is on: events
        (
            "Wir sind Rentner und neu in Glesien. Gibt es hier Tanzabende oder Konzerte?",
            "events",
        ),
        ("Bin 15 und wohne in Lissa. Gibts hier irgendwo ne Jugenddisco?", "events"),
        # … unless the message offers help somewhere in it
        (
            "Ich bin Rentner und helfe gern. Gibt es in Glesien einen Seniorentreff?",
            "volunteer",
        ),
    ],
)
def test_what_is_on_after_an_introduction(
    understander: Understander, text: str, intent: str
) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "Was ist eine Übungsleiterpauschale?",  # asks what a word means
        "Was geht, ich würde gern bei der Feuerwehr helfen",  # a greeting, then an offer
        "Was läuft da mit der Versicherung, wenn ich beim Dorffest helfe?",
        "Gibt es in Krostitz Leute, die beim Umzug anpacken?",
    ],
)
def test_what_is_on_needs_an_outing(text: str) -> None:
    assert not cues.asks_whats_there(text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # someone looking for a club to help in offers themselves
        ("Übungsleiterin mit Lizenz sucht Verein im Raum Delitzsch", "volunteer"),
        ("Suche nen Chor in Taucha, singe Alt", "volunteer"),
        # a group founding something asks how to begin: an idea
        ("Wir wollen in Eigenregie eine Boulebahn in Zwochau bauen, wer berät uns?", "idea"),
        ("Wer erklärt mir, wie man ein Nachbarschaftsfest anfängt? Wohne in Zwochau", "idea"),
    ],
)
def test_seeking_a_club_and_founding_in_own_words(
    understander: Understander, text: str, intent: str
) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        # trouble told in one's own words is a need, not an offer
        "hab grad voll den stress mit der miete und weiß nicht an wen ich mich wenden soll",
        "Seit dem Unfall trau ich mich nicht mehr allein einkaufen. Wohne in Zschortau",
        "Ich würde gern mal wieder ins Theater, brauche aber Begleitung (Rollstuhl)",
        "Wir sind am Ende, der Keller steht unter Wasser. Bitte helfen!",
        # looking for a service for one's own relative
        "Ich suche für meine Mutter in Zwochau einen Fahrdienst zum Arzt",
        "Such für meinen Opa jemanden zum Vorlesen, er wohnt in Badrina",
    ],
)
def test_trouble_in_own_words_is_a_need(understander: Understander, text: str) -> None:
    assert understander.read(text).intent == "need_help"


@pytest.mark.parametrize(
    ("short", "spelled"),
    [
        # abbreviations typed on a phone read as the words they stand for
        ("kann am Sa vorm. helfen", "kann am Samstag vormittags helfen"),
        ("jeden 2. Mi nachm.", "jeden 2. Mittwoch nachmittags"),
        ("Fr abend hätte ich Zeit", "Freitag abend hätte ich Zeit"),
        ("1x/Woche abds", "1x pro Woche abends"),
        ("am So", "am Sonntag"),
        ("hab tgl. Zeit", "hab täglich Zeit"),
    ],
)
def test_abbreviated_single_days_and_parts(
    understander: Understander, short: str, spelled: str
) -> None:
    got, want = understander.read(short), understander.read(spelled)
    assert (got.time_kind, got.time_slots) == (want.time_kind, want.time_slots)
    assert want.time_slots or want.time_kind  # the spelled-out form says when


def test_so_and_do_stay_words_where_they_are_words(understander: Understander) -> None:
    reading = understander.read("ab so 17 Uhr, nur so zum Spaß, das do ich gern")
    assert (reading.time_kind, reading.time_slots) == (None, ("evening",))


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # where someone lives comes before where they work or see the doctor
        ("Ich arbeite in Delitzsch und wohne in Zschortau, Tierheim wäre schön", "Zschortau"),
        ("Ich wohne in Zschortau, arbeite aber in Delitzsch. Feuerwehr wäre toll", "Zschortau"),
        ("Meine Oma wohnt in Kyhna und muss jeden Montag zum Arzt nach Delitzsch", "Kyhna"),
        # without a word of living the first village named stays the place
        ("Von Kyhna zum Arzt nach Delitzsch, wer kann mich fahren?", "Kyhna"),
        # an Ortsteil beside its Gemeinde is still the Ortsteil
        ("Ich wohne in Wiedemar, Ortsteil Kölsa, und helfe gern", "Kölsa"),
    ],
)
def test_home_before_work_among_villages(understander: Understander, text: str, place: str) -> None:
    assert understander.read(text).place_name == place


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a role in an organisation and "we" need people: the organisation is looking
        (
            "Ich bin Kassenwart vom Kleingartenverein Zschortau, beruflich Busfahrer. "
            "Wir machen im Mai einen Arbeitseinsatz und brauchen noch ein paar Leute.",
            "verein",
        ),
        ("Wir sind der Dorfclub Kletzen und suchen Leute für die Kirmes", "verein"),
        ("Ich bin Trainerin beim SV Wölpern, wir brauchen Betreuer fürs Ferienlager", "verein"),
        # a role alone, helping elsewhere, is the writer volunteering
        ("Ich bin Trainer beim SV Wölpern und würde gern Senioren besuchen", "volunteer"),
    ],
)
def test_a_role_in_an_organisation_that_needs_people(
    understander: Understander, text: str, intent: str
) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # an idea said as "die Idee", "wie fang ich … an", "wer macht mit", "würd … organisieren"
        ("Ich hab die Idee für einen Lauftreff in Krostitz, wer kann mir helfen?", "idea"),
        ("Tauschregal am Dorfplatz in Kyhna – wie fang ich sowas an?", "idea"),
        ("ich würd gern nen kleinen flohmarkt im dorf organisieren, wer macht mit?", "idea"),
        # setting up a phone for someone is no project
        ("Kann mir jemand mein neues Handy einrichten? Wohne in Krostitz", "need_help"),
    ],
)
def test_ideas_in_more_words(understander: Understander, text: str, intent: str) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    ("text", "interests"),
    [
        # a newcomer's language offers help to newcomers: after the activity, or alone
        ("Ich spreche Paschtu und Deutsch und möchte gern helfen", ("integration",)),
        ("Ich spreche Ukrainisch und würde bei der Tafel helfen", ("soziales", "integration")),
        # German or English spoken says nothing about the area
        ("Ich spreche Englisch und möchte gern helfen", ()),
    ],
)
def test_a_newcomers_language_offers_help_to_newcomers(
    understander: Understander, text: str, interests: tuple[str, ...]
) -> None:
    assert understander.read(text).interests[:2] == interests


@pytest.mark.parametrize(
    ("text", "interests"),
    [
        # words the taxonomy lacked
        ("Ich könnte im Vereinsheim die Fenster streichen", ("dorfleben",)),
        ("Ich helfe Vereinen beim Datenschutz", ("digital",)),
        ("Ich helfe gern beim Mittelaltermarkt auf der Burg", ("kultur",)),
        ("Wer paddelt beim Drachenbootrennen mit? Ich wäre dabei", ("sport",)),
        ("Ich würde bei einer Bürgerbefragung helfen, Fragebögen verteilen", ("beteiligung",)),
        # the village hall as a venue comes after what is done there
        ("Ich biete einen Malkurs im Gemeindesaal an", ("kultur", "dorfleben")),
    ],
)
def test_more_words_for_areas(
    understander: Understander, text: str, interests: tuple[str, ...]
) -> None:
    assert understander.read(text).interests[: len(interests)] == interests


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # an FAQ topic named in a message that asks nothing is no question
        ("Ich helfe Vereinen beim Datenschutz", "volunteer"),
        ("Ich helfe Vereinen beim Datenschutz – was muss ich beachten?", "question"),
    ],
)
def test_a_question_asks(understander: Understander, text: str, intent: str) -> None:
    assert understander.read(text).intent == intent


@pytest.mark.parametrize(
    ("short", "spelled"),
    [
        # "WE" is the weekend, "18h" six o'clock, as spelled out
        ("jedes 2. WE hab ich Zeit", "jedes 2. Wochenende hab ich Zeit"),
        ("WE und abends", "Wochenende und abends"),
        ("17-19h hätte ich Zeit", "17-19 Uhr hätte ich Zeit"),
    ],
)
def test_weekend_and_hours_abbreviated(
    understander: Understander, short: str, spelled: str
) -> None:
    got, want = understander.read(short), understander.read(spelled)
    assert (got.time_kind, got.time_slots) == (want.time_kind, want.time_slots)
    assert want.time_slots


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # the weekend and the evenings of the week; a Saturday evening is the weekend
        ("am Wochenende und abends", ("evening", "weekend")),
        ("samstags gegen Abend", ("weekend",)),
        # the evenings of a workday and a weekend day: the evening (Monday to Friday) and
        # the weekend, no daytime
        ("Meistens Freitag- oder Samstagabend", ("evening", "weekend")),
        ("freitags oder samstags abends", ("evening", "weekend")),
        ("Montag bis Freitag abends und am Wochenende", ("evening", "weekend")),
        # a time that suits: nobody is at work
        ("Weekends work best for me.", ("weekend",)),
        ("Evenings work for us", ("evening",)),
        ("I work on weekends", ()),
        # an hour said with the evening is in the evening
        ("I'd like to coach kids. Evenings after 6 are good.", ("evening",)),
        ("von zu Hause aus, zu jeder Tageszeit", ("any",)),
        # shouted in capitals, "WE" is a word
        ("WE NEED HELP WITH OUR GARDEN", ()),
    ],
)
def test_weekend_and_evenings(understander: Understander, text: str, slots: tuple) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    "text",
    [
        # asking where something is on names only an area, but asks: no volunteering
        "Gibt es Radtouren, bei denen man einfach mitmachen kann?",
        "Wo finde ich einen Gottesdienst am Ostersonntag in Krostitz?",
    ],
)
def test_what_is_there_with_only_an_area(understander: Understander, text: str) -> None:
    assert understander.read(text).intent == "events"


@pytest.mark.parametrize(
    "text",
    [
        # selling without a figure is still selling
        "Verkaufe gebrauchte Gartenmöbel, gute Preise, bei Interesse melden",
        "We offer cheap web design services, contact now",
        "Wir bieten Wärmepumpen mit 0 % Finanzierung an, jetzt unverbindliches Angebot sichern",
    ],
)
def test_selling_without_a_price_wants_nothing_we_offer(
    understander: Understander, text: str
) -> None:
    assert understander.read(text).intent is None


def test_asking_if_they_could_use_help_offers_it(understander: Understander) -> None:
    text = "Könnt ihr beim Sommerfest in Kletzen noch Hilfe brauchen? Ich wäre dabei"
    assert understander.read(text).intent == "volunteer"


@pytest.mark.parametrize(
    "text",
    [
        # a clean-up day, a bonfire, a parade are occasions like a festival; a date is a date
        "Ich helfe beim Frühjahrsputz im Dorf",
        "Für das Hexenfeuer in Kyhna schleppe ich gern Holz",
        "Beim Faschingsumzug fahre ich den Wagen",
        "We need helpers on Saturday, 12 July",
    ],
)
def test_more_named_occasions_are_one_off(understander: Understander, text: str) -> None:
    assert understander.read(text).time_kind == "once"


def test_moving_house_is_no_occasion(understander: Understander) -> None:
    assert understander.read("Ich kann beim Umzug helfen, Möbel tragen").time_kind is None


def test_heard_of_a_need_is_an_offer(understander: Understander) -> None:
    text = "Hab gehört, der Heimatverein braucht Hilfe beim Backofenfest. Ich wär dabei"
    assert understander.read(text).intent == "volunteer"


def test_asking_whom_to_turn_to_is_no_faq_question(understander: Understander) -> None:
    text = "Ich hätte gern eine Mitfahrbank am Ortsausgang von Kyhna. Mit wem muss ich da reden?"
    assert understander.read(text).intent == "idea"


def test_a_relative_glad_of_a_visit_is_a_need(understander: Understander) -> None:
    text = "Mein Opa in Zschepen würde sich sehr über Besuch freuen, er ist viel allein"
    assert understander.read(text).intent == "need_help"


@pytest.mark.parametrize(
    "text",
    [
        # help offered to whoever may need it, and care given to one's own, are offers
        "Ich hab ein Auto und Zeit. Vielleicht braucht jemand eine Fahrt zum Arzt?",
        "Ich habe meinen Vater jahrelang gepflegt und würde jetzt gern anderen beistehen",
    ],
)
def test_offers_after_own_experience(understander: Understander, text: str) -> None:
    assert understander.read(text).intent == "volunteer"


def test_promoting_ones_own_plan_is_an_idea(understander: Understander) -> None:
    text = (
        "Ich mache im Juni einen Kinderflohmarkt auf dem Dorfplatz in Kyhna. "
        "Wie kann ich das bekannt machen?"
    )
    assert understander.read(text).intent == "idea"


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # how much per week names no working days …
        ("Kann 1x in der Woche Senioren besuchen, wohne in Kyhna", ()),
        ("Ich bräuchte 3 Stunden in der Woche Hilfe im Garten", ()),
        # … but a part of the day still does, and so does "in der Woche" alone
        ("Ich hätte zwei Nachmittage in der Woche Zeit", ("weekday",)),
        ("Kann in der Woche helfen", ("weekday",)),
    ],
)
def test_per_week_is_no_weekday(understander: Understander, text: str, slots: tuple) -> None:
    assert understander.read(text).time_slots == slots


# --- round 15: general rules decided on dev16 (never on an independent set) -------------


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # a time that is hard or bad is no slot, nor one the writer rules out in dialect
        ("Unter der Woche ist es schwierig, aber am Wochenende geht immer.", ("weekend",)),
        ("Vormittags hab ich Zeit, bloß ni am Wochenende.", ("weekday",)),
        ("Abends ist schlecht, nachmittags unter der Woche gern.", ("weekday",)),
    ],
)
def test_a_difficult_time_is_no_slot(understander: Understander, text: str, slots: tuple) -> None:
    assert understander.read(text).time_slots == slots


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # a skate park is sport and youth work; foodsharing is green and social help
        ("Ich möchte in Kyhna einen Skatepark anstoßen", {"sport", "kinder-jugend"}),
        ("Wir wollen eine Foodsharing-Station am Bahnhof aufbauen", {"umwelt", "soziales"}),
        # a clean-up day is the village's and a green matter
        ("Hab Lust, beim Dorfputz in Kyhna mitzumachen", {"dorfleben", "umwelt"}),
    ],
)
def test_words_that_name_two_areas(understander: Understander, text: str, areas: set) -> None:
    assert set(understander.read(text).interests[:2]) == areas


def test_everyone_young_and_old_is_no_youth_work(understander: Understander) -> None:
    reading = understander.read("Ich plane einen Spielenachmittag für Jung und Alt im Gemeindesaal")
    assert "kinder-jugend" not in reading.interests


def test_more_area_words(understander: Understander) -> None:
    assert understander.read("Wann trifft sich der Seniorenkreis?").interests == ("soziales",)
    assert understander.read("Suche ein Ehrenamt als Webentwicklerin").interests == ("digital",)
    assert understander.read("Bin Hobbyfotograf, suche was").interests == ("kultur",)


@pytest.mark.parametrize(
    "text",
    [
        "Schützenverein Kölsa hier – Helfer für das Schützenfest gesucht!",
        "Kita Sonnenschein: Vorlesepaten gesucht",
    ],
)
def test_an_organisation_advertising_is_a_verein(understander: Understander, text: str) -> None:
    assert understander.read(text).intent == "verein"


@pytest.mark.parametrize(
    ("text", "first", "not_wanted"),
    [
        # an area the writer does not want is no area to offer
        (
            "Ich such was Ehrenamtliches, aber bitte NICHT mit Kindern. Tiere wären super.",
            "umwelt",
            "kinder-jugend",
        ),
        (
            "bitte nix mit kirche oder religion, und auch kein sport. eher soziales",
            "soziales",
            "kirche",
        ),
        (
            "bitte nix mit kirche oder religion, und auch kein sport. eher soziales",
            "soziales",
            "sport",
        ),
        (
            "Bin beim SV Zwochau, will aber was außerhalb vom Sport machen, mit Kindern",
            "kinder-jugend",
            "sport",
        ),
        # everything but one area; a list of areas not wanted goes on after "keine"
        ("Ich mach alles außer Kirche, am liebsten draußen in der Natur", "umwelt", "kirche"),
        ("Aber bitte kein Sport, keine Kinder. Tiere gern", "umwelt", "kinder-jugend"),
        ("gern draußen, aber nicht mit Kindern und nicht in der Kirche", "umwelt", "kirche"),
        ("Eher Senioren, mit Kindern hab ich zuhause genug", "soziales", "kinder-jugend"),
        # what a village lacks is what the idea is about
        (
            "In Kursdorf gibt es nix für Jugendliche, ich will einen Treff aufmachen",
            "kinder-jugend",
            "-",
        ),
    ],
)
def test_areas_not_wanted_are_left_out(
    understander: Understander, text: str, first: str, not_wanted: str
) -> None:
    areas = understander.read(text).interests
    assert areas[0] == first and not_wanted not in areas, areas


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # "Termine" is a word of the start menu and is dropped from the areas' text: "keine
        # festen Termine" must not be left as a Fest
        ("Helfen ja, aber keine festen Termine bitte", ()),
        ("Beim nächsten Dorffest helfe ich gern", ("dorfleben",)),
        ("Handballtraining, fest jede Woche", ("sport",)),
        ("ab und zu bei Aktionen helfen, nichts Festes", ()),
        # cycling is no driving people; a bus that goes is no ride to give
        ("Wo kann man hier schön wandern oder Rad fahren?", ("sport",)),
        ("Ich kann Leute zum Arzt fahren", ("soziales", "gesundheit")),
        ("Wann fährt der nächste Bus nach Leipzig?", ()),
        ("Ich könnte Fahrten zum Arzt übernehmen", ("soziales", "gesundheit")),
        # an English word is no compound: "stu|dying" is no hospice
        ("I'm studying in Leipzig and would like to help out", ()),
        # near is no sewing
        ("irgendwas mit Senioren in meiner Nähe", ("soziales",)),
        ("Ich nähe gern", ("kultur",)),
        # a role in a club names its area; a job or a stage of life does not
        ("Ich bin Schiedsrichter und suche einen Verein rund um Dölzig", ("sport",)),
        ("Bin Fußballtrainerin mit C-Lizenz, wer braucht Hilfe?", ("sport",)),
        ("Bin Rentner und hab Zeit", ()),
    ],
)
def test_words_that_only_sound_like_an_area(
    understander: Understander, text: str, areas: tuple
) -> None:
    assert understander.read(text).interests == areas


@pytest.mark.parametrize(
    ("text", "area"),
    [
        # a lebendiger Adventskalender is a village's custom, no calendar of dates
        ("Wie wär's mit einem lebendigen Adventskalender in Hayna?", "dorfleben"),
        ("Eine Zeitbank für Wölpern: jeder hilft mit dem, was er kann", "soziales"),
        ("Ich würde gern bei den Eisenbahnfreunden helfen", "kultur"),
        ("Samstag helfe ich beim Kopfweidenschneiden", "umwelt"),
    ],
)
def test_words_of_village_customs_and_clubs(
    understander: Understander, text: str, area: str
) -> None:
    assert understander.read(text).interests[:1] == (area,)


@pytest.mark.parametrize(
    ("text", "kind", "slots"),
    [
        # a rhythm ruled out after it is said is no rhythm; a day ruled out is only that day
        ("Feste Termine kann ich nicht zusagen, aber ab und zu gern", "once", ()),
        ("Regelmäßig geht leider nicht, Schichtdienst", "once", ()),
        ("Kann mal hier mal da, aber nix Regelmäßiges", "once", ()),
        ("jeden Dienstag geht nicht, aber donnerstags", None, ("weekday",)),
        # but not a negation in the next sentence, nor "nicht nur"
        ("Fahrer für zwei Touren pro Woche gesucht. P-Schein nicht nötig", "regular", ()),
        ("Ich würde gern regelmäßig helfen, nicht nur einmal", "regular", ()),
        # any time of the day is no rhythm
        ("Ich kann helfen, zu jeder Tageszeit", None, ("any",)),
        # a clause of work before "so" or "deshalb" is no time to help
        ("I work weekends so weekdays are better", None, ("weekday",)),
        ("Ich arbeite am Wochenende deshalb lieber unter der Woche", None, ("weekday",)),
        # "nicht vor 18 Uhr" is from six on; "6pm" written as one word is six in the evening
        ("Nicht vor 18 Uhr, bin bis dahin auf Arbeit", None, ("evening",)),
        ("I can help after 6pm", None, ("evening",)),
        ("I can help after 6.30 p.m.", None, ("evening",)),
    ],
)
def test_time_ruled_out_after_it_is_said(
    understander: Understander, text: str, kind: str | None, slots: tuple[str, ...]
) -> None:
    reading = understander.read(text)
    assert (reading.time_kind, reading.time_slots) == (kind, slots)


@pytest.mark.parametrize(
    ("text", "place", "areas", "slots"),
    [
        # what a person takes back in the same message is no slot; what follows is
        ("Suche was mit Sport für Kinder in Eilenburg äh nee in Doberschütz", "Doberschütz",
         ("sport", "kinder-jugend"), ()),
        ("Wohne in Delitzsch, äh nein, seit letztem Monat in Zschepplin. Suche was mit Sport",
         "Zschepplin", ("sport",), ()),
        ("Tierheim, ne warte, ich bin ja allergisch. Dann lieber was mit Büchern. Krostitz",
         "Krostitz", ("kultur",), ()),
        ("Ich kann am Wochenende, nee doch nicht. Unter der Woche abends. Selben", "Selben",
         (), ("evening",)),
        ("Markranstädt, äh, nee, ich meine Schkeuditz. Ich würde gern im Chor singen",
         "Schkeuditz", ("kultur",), ()),
        # "ne" as an article takes nothing back
        ("Gibt's in Krostitz ne Skatrunde oder ne Theatergruppe?", "Krostitz", (), ()),
    ],
)  # fmt: skip
def test_words_taken_back_in_the_same_message(
    understander: Understander, text: str, place: str, areas: tuple, slots: tuple
) -> None:
    reading = understander.read(text)
    assert reading.place_name == place
    assert set(reading.interests[: len(areas)]) == set(areas)
    assert reading.time_slots == slots
    assert reading.text == text  # the message itself is kept whole


@pytest.mark.parametrize(
    ("text", "areas", "slots"),
    [
        # school hours are the daytime of the week, and the children no area to help in
        ("Ich möchte helfen. Zeit hab ich, wenn meine Kinder in der Schule sind", (),
         ("weekday",)),
        ("I could help while the kids are at school, maybe with refugees", ("integration",),
         ("weekday",)),
        ("Was Sinnvolles, während die Kinder in Kita und Schule sind", (), ("weekday",)),
        ("Ich würde gern in der Schule bei der Hausaufgabenhilfe helfen", ("kinder-jugend",),
         ()),
        # always having time is any time; "viel Zeit" splits the writers and stays unread
        ("Rentnerin, stricke gern für Bedürftige. Zeit hab ich immer.", ("soziales",),
         ("any",)),
        ("bin rentner und hab eigentlich immer zeit", (), ("any",)),
    ],
)  # fmt: skip
def test_school_hours_and_always_having_time(
    understander: Understander, text: str, areas: tuple, slots: tuple
) -> None:
    reading = understander.read(text)
    assert_first_areas(reading.interests, areas)
    assert reading.time_slots == slots


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # asking who needs you, or whether anyone needs help, offers help
        ("Mein Talent: Grillen. Wohne in Dölzig. Wer braucht mich?", "volunteer"),
        ("Rentner, handwerklich geschickt. Wer braucht nen Hausmeister für lau?", "volunteer"),
        ("Gibt es in Löbnitz jemanden, der Hilfe beim Ortsarchiv braucht?", "volunteer"),
        ("Gibt es einen Chor, die Hilfe bei der Technik braucht? Ton kann ich.", "volunteer"),
        ("Welche Sportvereine in Zschortau brauchen Hilfe?", "volunteer"),
        ("Feuerwehr? DRK? Irgendwas, wo man Erste Hilfe braucht", "volunteer"),
        # asking for someone who helps you is a need
        ("Gibt es jemanden, der mir beim Einkaufen hilft?", "need_help"),
        ("Wo bekomme ich Hilfe, wenn mein Vater Pflege braucht?", "need_help"),
        # a person named from outside: one who seeks company needs it, one who seeks a
        # task offers help; a club that seeks people is a Verein
        ("Ältere Dame in Hayna sucht Begleitung für Spaziergänge, 2x pro Woche", "need_help"),
        ("Rentner sucht Ehrenamt in Krostitz", "volunteer"),
        ("Der Sportverein sucht Ehrenamtliche", "verein"),
    ],
)
def test_asking_who_needs_help_offers_it(
    understander: Understander, text: str, intent: str
) -> None:
    assert understander.read(text).intent == intent
