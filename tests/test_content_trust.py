"""Content a coordinator can trust (issue #19): `lotse check` warns on FAQ sources that are
no official or named organisation's page, on past years' amounts named as current, on
answers that open with a paragraph, on placeholder Lotsen names; example data is one info
line in a demo, an error with DEPLOYMENT=production, and listed by `lotse doctor`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import clock
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.trust import addresses, amount_problems, example_data, judge, opens_with_paragraph
from bot.runtime.doctor import check_content
from tests.helpers import ROOT
from tests.helpers.content_tree import Tree, edit, find, line_of, shipped_copy

YEAR = 2026
TRUST_WORDS = ("Quelle von", "Betrag", "Paragraphen", "Platzhalter")


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return shipped_copy(tmp_path)


def trust_warnings(tree: Tree) -> list[str]:
    return [str(w) for w in tree.load().warnings if any(x in w.message for x in TRUST_WORDS)]


# --- sources ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("steuergo.de, https://www.steuergo.de/blog/erhoehung-ab-2026", "Ratgeberblog"),
        ("scheller-partner.de (09.02.2026)", "Ratgeberblog"),
        ("Landkreis Neumarkt, Konzeptpapier, https://www.yumpu.com/de/document/x", "Kopie"),
        ("https://www.ehrenamt.bayern.de/x.php", "Landes Bayern"),
        ("bruchmuehlbach-miesau.de „Führungszeugnis für Ehrenamtliche“", "keine amtliche"),
    ],
)
def test_a_source_that_is_no_official_page_is_named_with_the_reason(source: str, why: str) -> None:
    address = addresses(source)[0]
    reason = judge(address, "Eine Antwort über Sachsen.", trusted=[])
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "source",
    [
        "§ 3 Nr. 26a EStG, https://www.gesetze-im-internet.de/estg/__3.html",
        "ehrenamt.sachsen.de/ehrenamtskarte.html",
        "http://www.ehrenamt.sachsen.de/versicherungsschutz-fuer-ehrenamtlich-engagierte.html",
        "Online-Antrag: fuehrungszeugnis.bund.de",
        "Unfallkasse Sachsen, unfallkassesachsen.de",
        "https://bmfsfj.de/bmfsfj/themen/engagement-und-gesellschaft",
        "https://www.landkreis-nordsachsen.de/",
    ],
)
def test_an_official_page_passes(source: str) -> None:
    assert [judge(a, "Antwort.", trusted=[]) for a in addresses(source)] == [None]


def test_a_named_document_without_address_passes_and_dates_are_no_hosts() -> None:
    assert addresses("Richtlinie des SMS vom 26.08.2021; Kostenverzeichnis JVKostG, Nr. 1130") == []


def test_another_lands_page_passes_where_the_answer_is_about_that_land() -> None:
    (address,) = addresses("https://www.ehrenamt.bayern.de/ehrenamtskarte")
    assert judge(address, "In Bayern gibt es eine eigene Ehrenamtskarte.", trusted=[]) is None


def test_trusted_sources_of_the_knowledge_file_pass(tree: Tree) -> None:
    faq = tree.path("faq.yaml")
    edit(faq, "  - gema.de ", "  - example-verband.de ")
    warned = trust_warnings(tree)
    assert any("gema.de ist keine amtliche Seite" in w for w in warned), warned

    edit(faq, "  - example-verband.de ", "  - gema.de ")
    assert not trust_warnings(tree)


def test_a_blog_source_in_the_faq_is_a_warning_on_its_line(tree: Tree) -> None:
    faq = tree.path("faq.yaml")
    old = 'source: "§ 3 Nr. 26a EStG in der Fassung'
    edit(
        faq,
        old,
        'source: "steuergo.de, https://www.steuergo.de/blog/x; § 3 Nr. 26a EStG in der Fassung',
    )

    content = tree.load()  # a warning, never an error

    line = line_of(faq, "steuergo.de, https://www.steuergo.de/blog/x")
    find(content.warnings, "faq.yaml", line, "steuergo.de", "Ratgeberblog", severity="warning")


def test_the_shipped_content_gives_no_source_or_amount_warning() -> None:
    content = load_content(ROOT / "content", ROOT / "knowledge")
    assert not [str(w) for w in content.warnings if any(x in w.message for x in TRUST_WORDS)]


# --- amounts of past years -------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "Die Pauschale beträgt 2025: 840 € im Jahr.",
        "Nach unserem Stand sind es 40 € im Monat (Stand 2025).",
        "Das Führungszeugnis kostet 13 € (Stand 2021).",
    ],
)
def test_a_past_years_amount_named_as_current_is_found(answer: str) -> None:
    (problem,) = amount_problems(answer, YEAR)
    assert "wie einen aktuellen" in problem


@pytest.mark.parametrize(
    "answer",
    [
        "Sie dürfen 960 € im Jahr steuerfrei bekommen (seit 1.1.2026; bis 2025 waren es 840 €).",
        "• Ehrenamtspauschale: 960 € im Jahr (bisher 840 €)\n• ab 1.1.2026 gilt das neu",
        "Bis zusammen 3.000 € im Kalenderjahr bleiben frei (seit 1.7.2023).",
        "Zuletzt bekannt sind 40 € im Monat (Förderjahr 2025).",
        "Die Karte gilt vom 1.1.2025 bis 31.12.2027.",  # years, but no amount
        "Gesamtkosten bis 20.000 €, für 2026 standen 200.000 € bereit.",
    ],
)
def test_current_or_marked_past_amounts_pass(answer: str) -> None:
    assert amount_problems(answer, YEAR) == []


def test_a_past_amount_named_before_the_current_one_is_found() -> None:
    answer = "• 2021 bis 2025: 840 € im Jahr\n• ab 1.1.2026: 960 € im Jahr"
    (problem,) = amount_problems(answer, YEAR)
    assert "zuerst einen früheren Betrag" in problem
    assert amount_problems("• ab 1.1.2026: 960 € im Jahr\n• 2021 bis 2025: 840 €", YEAR) == []


def test_the_current_year_comes_from_the_clock(tree: Tree) -> None:
    """An amount 'for 2026' is current in 2026 and a past year's amount in 2027."""
    faq = tree.path("faq.yaml")
    with clock.using(ManualClock(dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC))):
        assert not trust_warnings(tree)
    with clock.using(ManualClock(dt.datetime(2027, 1, 4, 12, tzinfo=dt.UTC))):
        warned = trust_warnings(tree)
    assert line_of(faq, "für 2026 standen 200.000 € bereit")  # the sentence that turned old
    assert any("'foerderung-projekt'" in w and "Betrag von 2026" in w for w in warned), warned


def test_an_answer_opening_with_a_paragraph_is_found() -> None:
    assert opens_with_paragraph("Die Ehrenamtspauschale (§ 3 Nr. 26a EStG) erlaubt …")
    assert not opens_with_paragraph(
        "Bis 960 € im Jahr sind steuerfrei. Grundlage: § 3 Nr. 26a EStG."
    )


# --- example data ----------------------------------------------------------------------


def test_a_placeholder_lotse_name_without_the_example_marker_is_a_warning(tree: Tree) -> None:
    lotsen = tree.path("lotsen.yaml")
    text = lotsen.read_text(encoding="utf-8")
    lotsen.write_text(text.replace("    example: true\n", ""), encoding="utf-8")
    edit(lotsen, "name: Anna Beispiel", "name: Anna Schneider")  # a real-looking name

    warned = trust_warnings(tree)

    assert any(f":{line_of(lotsen, 'Jens Platzhalter')}:" in w for w in warned), warned
    assert not any("Anna Schneider" in w for w in warned)
    assert not [w for w in trust_warnings(shipped_copy(tree.content.parent / "again"))]


def test_example_data_names_the_marked_lotsen_offers_and_events() -> None:
    content = load_content(ROOT / "content", ROOT / "knowledge")
    examples = example_data(content)
    assert "Jens Platzhalter (Zschepplin)" in examples.lotsen
    assert len(examples.lotsen) == sum(lotse.example for lotse in content.lotsen)
    assert examples.offers == tuple(o.id for o in content.offers if o.example)
    assert examples.events == tuple(e.title for e in content.events.events if e.example)


def test_without_example_data_nothing_is_named(tree: Tree) -> None:
    for name in ("lotsen.yaml", "offers.yaml", "events.yaml"):
        path = tree.path(name)
        path.write_text(
            path.read_text(encoding="utf-8").replace("example: true", "example: false"),
            encoding="utf-8",
        )
    assert not example_data(tree.load())


def run_check(tree: Tree, **env: str) -> subprocess.CompletedProcess[str]:
    variables = {
        **os.environ,
        "CONTENT_DIR": str(tree.content),
        "KNOWLEDGE_DIR": str(tree.knowledge),
    }
    variables.pop("DEPLOYMENT", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=ROOT,
        env={**variables, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_lotse_check_names_example_data_in_one_line_in_the_demo(tree: Tree) -> None:
    result = run_check(tree)

    assert result.returncode == 0, result.stderr
    hints = [line for line in result.stdout.splitlines() if "Beispieldaten" in line]
    assert len(hints) == 1 and hints[0].startswith("Hinweis:") and "10 Lotsen" in hints[0]


def test_lotse_check_fails_on_example_data_in_production(tree: Tree) -> None:
    result = run_check(tree, DEPLOYMENT="production")

    assert result.returncode == 1
    assert "DEPLOYMENT=production" in result.stderr
    assert "Jens Platzhalter (Zschepplin)" in result.stderr


def test_lotse_doctor_lists_example_data_and_fails_on_it_in_production(tree: Tree) -> None:
    env = {"CONTENT_DIR": str(tree.content), "KNOWLEDGE_DIR": str(tree.knowledge)}

    demo = check_content(Settings.from_env(env))
    production = check_content(Settings.from_env({**env, "DEPLOYMENT": "production"}))

    assert [c.status for c in demo][:2] == ["ok", "warn"]
    assert "Anna Beispiel (Delitzsch)" in demo[1].text and "dz-tafel-ausgabe" in demo[1].text
    assert [c.status for c in production][:2] == ["ok", "fail"]


def test_lotse_doctor_says_whether_posters_can_name_a_phone_number(tree: Tree) -> None:
    env = {"CONTENT_DIR": str(tree.content), "KNOWLEDGE_DIR": str(tree.knowledge)}
    [*_, without] = check_content(Settings.from_env(env))
    [*_, network] = check_content(Settings.from_env({**env, "NETWORK_PHONE": "034202 1234"}))
    assert without.status == "warn" and "NETWORK_PHONE" in without.text
    assert network.status == "ok" and "Telefon des Netzwerks" in network.text
