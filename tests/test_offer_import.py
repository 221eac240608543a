"""`lotse offers import` (CSV, Freinet XML) and `lotse offers sync-freinet`.

Every test works on a private copy of the shipped content, runs the real command line and
reads back what a coordinator would see: the printed summary, content/offers-imported.yaml
and `lotse check`. The Freinet sync talks HTTP to a local aiohttp server on 127.0.0.1 that
serves the fixtures in tests/data/freinet/.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from bot.cli import main
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.model import IMPORTED_OFFERS, ContentError
from bot.dialogs.turn import Matchers
from bot.matching.ranking import Profile
from bot.offers.exclusive import LOCK_FILE
from bot.offers.htmltext import html_to_text
from bot.offers.importer import ImportReport

ROOT = Path(__file__).resolve().parent.parent
FREINET = ROOT / "tests" / "data" / "freinet"
AGENCY, KEY = "1234", "geheim-0815"
KROSTITZ = (51.4622, 12.4533)


@dataclass
class Tree:
    """A private content/ + knowledge/ copy; run `lotse` on it and read the result."""

    root: Path
    capsys: pytest.CaptureFixture[str]

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def imported(self) -> Path:
        return self.content / IMPORTED_OFFERS

    def lotse(self, *argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err

    def offers(self) -> dict[str, dict]:
        data = yaml.safe_load(self.imported.read_text(encoding="utf-8"))
        return {o["id"]: o for o in data["offers"]}

    def csv(self, name: str, *lines: str) -> Path:
        path = self.root / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


@pytest.fixture
def tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Tree:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    (tmp_path / "content" / IMPORTED_OFFERS).unlink(missing_ok=True)
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path / "content"))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    for name in ("FREINET_URL", "FREINET_AGENCY_ID", "FREINET_PORTAL_ID", "FREINET_KEY"):
        monkeypatch.delenv(name, raising=False)
    return Tree(tmp_path, capsys)


def counts(out: str) -> dict[str, int]:
    """'3 neu, 0 aktualisiert, …' from the summary's first line."""
    first = out.splitlines()[0]
    return {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", first)}


# --- CSV -----------------------------------------------------------------------------

HEADER = (
    "id;title;organisation;place;gemeinde;lat;lon;interests;summary;needed;schedule_kind;"
    "slots;schedule_text;schedule_short;hours_per_week;date;contact;updated;url"
)
TAFEL = (
    "tafel-1;Helfen bei der Tafel;Tafel Delitzsch;Delitzsch;;;;soziales, soziales-tafel;"
    "Lebensmittel ausgeben.;;regular;weekday;dienstags 9–12 Uhr;dienstags;3;;"
    "Über Ihren Engagementlotsen;2026-11-20;"
)
LESEN = (
    "lesen-2;Lesepate;Grundschule Krostitz;Krostitz;;;;kinder-lernen;Mit Kindern lesen.;;"
    "regular;weekday;montags;montags;1;;Über Ihren Engagementlotsen;20.11.2026;"
)
FEST = (
    "fest-3;Dorffest-Helfer;Heimatverein;;;51,4793;12,3589;dorfleben-feste;Aufbauen.;;once;"
    "weekend;am 12. Juni;12. Juni;;2027-06-12;Über Ihren Engagementlotsen;;"
)


def test_template_imports_cleanly(tree: Tree) -> None:
    code, out, err = tree.lotse("offers", "import", str(ROOT / "docs" / "offers-template.csv"))
    assert code == 0, err
    assert counts(out) == {
        "neu": 3,
        "aktualisiert": 0,
        "archiviert": 0,
        "unverändert": 0,
        "abgelehnt": 0,
    }
    assert tree.lotse("check")[0] == 0


def test_csv_good_and_broken_rows_with_line_numbers(tree: Tree) -> None:
    path = tree.csv(
        "angebote.csv",
        HEADER,  # line 1
        TAFEL,  # 2
        '"multi-1";"Ein Titel";"Verein";"Delitzsch";;;;"kultur";"Zeile eins',  # 3: starts here
        'Zeile zwei";;;;"abends";"abends";;;"Über Ihren Engagementlotsen";;',  # 4
        "kochen-4;Kochen;Verein;Delitzsch;;;;kochen;Kochen.;;;;abends;abends;;;Lotse;;",  # 5
        "",  # 6: empty lines are skipped, but counted
        "leipzig-5;In Leipzig;Verein;Leipzig;;;;sport;Sport.;;;;abends;abends;;;Lotse;;",  # 7
        "notitle-6;;Verein;Delitzsch;;;;sport;Sport.;;;;abends;abends;;;Lotse;;",  # 8
        TAFEL.replace("Helfen bei der Tafel", "Doppelt"),  # 9: same id again
        LESEN,  # 10
        FEST,  # 11
        "weit-7;Weit weg;Verein;;;51.3396;12.3713;sport;Sport.;;;;abends;abends;;;Lotse;;",  # 12
        "zeit-8;Zeit;Verein;Delitzsch;;;;sport;Sport.;;;;"
        "ein sehr langer Text über die Zeiten, ohne Kurzform;;;;Lotse;;",  # 13
    )
    code, out, err = tree.lotse("offers", "import", str(path))
    assert code == 0, err
    assert counts(out) == {
        "neu": 4,
        "aktualisiert": 0,
        "archiviert": 0,
        "unverändert": 0,
        "abgelehnt": 6,
    }
    assert "Zeile 5: unbekanntes Interessengebiet 'kochen'" in out
    assert "Zeile 7: Ort 'Leipzig' liegt außerhalb der Region" in out
    assert "Zeile 8: title: darf nicht leer sein" in out
    assert "Zeile 9: id 'tafel-1' doppelt (schon in Zeile 2)" in out
    assert "Zeile 12: Koordinaten 51.3396, 12.3713 liegen außerhalb der Region" in out
    assert "Zeile 13: schedule_short fehlt" in out
    offers = tree.offers()
    assert set(offers) == {"csv-tafel-1", "csv-multi-1", "csv-lesen-2", "csv-fest-3"}
    assert offers["csv-multi-1"]["summary"] == "Zeile eins\nZeile zwei"
    assert offers["csv-fest-3"]["place"] == "Zschortau"  # from the coordinates
    assert offers["csv-fest-3"]["gemeinde"] == "Rackwitz"
    assert offers["csv-tafel-1"]["source"] == "csv"
    assert offers["csv-tafel-1"]["source_id"] == "tafel-1"
    assert str(offers["csv-lesen-2"]["updated"]) == "2026-11-20"
    assert tree.lotse("check")[0] == 0


def test_csv_without_required_columns_changes_nothing(tree: Tree) -> None:
    tree.lotse("offers", "import", str(tree.csv("gut.csv", HEADER, TAFEL)))
    before = tree.imported.read_bytes()
    bad = tree.csv("falsch.csv", "id;titel;organisation;place", "x;y;z;Delitzsch")
    code, out, err = tree.lotse("offers", "import", str(bad))
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Spalte(n) fehlen: title, interests, summary, schedule_text, contact" in err
    assert tree.imported.read_bytes() == before


def test_csv_with_an_unclosed_quote_is_refused_whole_naming_its_line(tree: Tree) -> None:
    """Read leniently, everything after the quote would become one cell: those rows would
    vanish, and the import would archive their offers."""
    tree.lotse("offers", "import", str(tree.csv("gut.csv", HEADER, TAFEL, LESEN, FEST)))
    before = tree.imported.read_bytes()
    broken = TAFEL.replace(";Helfen", ';"Helfen', 1)
    assert broken != TAFEL
    code, out, err = tree.lotse(
        "offers", "import", str(tree.csv("kaputt.csv", HEADER, LESEN, broken, FEST))
    )
    assert code == 1
    assert out == ""
    assert 'kaputt.csv:3: das Anführungszeichen (") in Zeile 3 wird nicht geschlossen' in err
    assert "nichts importiert" in err
    assert tree.imported.read_bytes() == before


def test_csv_reimport_is_idempotent_archives_and_restores(tree: Tree) -> None:
    full = tree.csv("a.csv", HEADER, TAFEL, LESEN, FEST)
    assert counts(tree.lotse("offers", "import", str(full))[1])["neu"] == 3
    written = tree.imported.stat().st_mtime_ns

    code, out, _ = tree.lotse("offers", "import", str(full))
    assert code == 0
    assert counts(out)["neu"] == 0
    assert counts(out)["unverändert"] == 3
    assert "Datei unverändert" in out
    assert tree.imported.stat().st_mtime_ns == written  # not even rewritten

    changed = tree.csv("b.csv", HEADER, TAFEL.replace("dienstags 9–12", "mittwochs 9–12"), LESEN)
    out = tree.lotse("offers", "import", str(changed))[1]
    assert counts(out) == {
        "neu": 0,
        "aktualisiert": 1,
        "archiviert": 1,
        "unverändert": 1,
        "abgelehnt": 0,
    }
    offers = tree.offers()
    assert offers["csv-fest-3"]["archived"] is True
    assert offers["csv-tafel-1"]["schedule"]["text"] == "mittwochs 9–12 Uhr"

    out = tree.lotse("offers", "import", str(full))[1]
    assert counts(out)["aktualisiert"] == 2  # the Tafel again, and the festival is back
    assert "wieder aktiv: csv-fest-3" in out
    assert "archived" not in tree.offers()["csv-fest-3"]


def test_rejected_row_keeps_its_last_good_version(tree: Tree) -> None:
    tree.lotse("offers", "import", str(tree.csv("a.csv", HEADER, TAFEL, LESEN)))
    broken = LESEN.replace("kinder-lernen", "kinder-lesen")
    out = tree.lotse("offers", "import", str(tree.csv("b.csv", HEADER, TAFEL, broken)))[1]
    assert counts(out)["archiviert"] == 0
    assert "Zeile 3: unbekanntes Interessengebiet 'kinder-lesen'" in out
    assert "archived" not in tree.offers()["csv-lesen-2"]


def test_hand_written_offers_are_never_touched(tree: Tree) -> None:
    before = (tree.content / "offers.yaml").read_bytes()
    tree.lotse("offers", "import", str(tree.csv("a.csv", HEADER, TAFEL)))
    tree.lotse("offers", "import", str(FREINET / "angebote.xml"))
    assert (tree.content / "offers.yaml").read_bytes() == before


def test_csv_in_windows_1252_with_commas(tree: Tree) -> None:
    lines = [
        HEADER.replace(";", ","),
        "k-1,Kirchenchor,Kirchgemeinde,Delitzsch,,,,kirche-musik,Singen im Chor.,,regular,"
        'evening,"donnerstags, 19 Uhr",donnerstags,2,,Über Ihren Engagementlotsen,,',
    ]
    path = tree.root / "excel.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    code, _, err = tree.lotse("offers", "import", str(path))
    assert code == 0, err
    assert tree.offers()["csv-k-1"]["contact"] == "Über Ihren Engagementlotsen"
    assert tree.offers()["csv-k-1"]["schedule"]["text"] == "donnerstags, 19 Uhr"


# --- CSV as spreadsheets write it (issue #18) ------------------------------------------

COLUMNS = [*HEADER.split(";"), "description"]


def cells(**values: str) -> list[str]:
    """One valid row's cells in HEADER's order; a value is written into the file as given."""
    row = {
        "id": "d-1",
        "title": "Danke sagen",
        "organisation": "Verein",
        "place": "Delitzsch",
        "interests": "sport",
        "summary": "Sport.",
        "schedule_text": "abends",
        "contact": "Lotse",
        **values,
    }
    return [row.get(column, "") for column in COLUMNS]


def excel_file(tree: Tree, sep: str, *rows: list[str], encoding: str = "utf-8") -> Path:
    """Header and rows as Excel saves them: CRLF at the end of each row."""
    lines = [sep.join(COLUMNS), *(sep.join(row) for row in rows)]
    path = tree.root / "excel.csv"
    path.write_bytes("".join(f"{line}\r\n" for line in lines).encode(encoding))
    return path


@pytest.mark.parametrize("sep", [";", ","])
def test_csv_doubled_quotes_around_the_separator(tree: Tree, sep: str) -> None:
    path = excel_file(
        tree,
        sep,
        cells(title=f'"Wir sagen ""Danke""{sep} und zwar oft"'),
        cells(id="d-2", title='"""Tafel"" hilft"', summary=f'"Mehl{sep} Zucker{sep} ""Eier"""'),
    )
    code, out, err = tree.lotse("offers", "import", str(path))
    assert code == 0, err
    assert counts(out)["neu"] == 2, out
    offers = tree.offers()
    assert offers["csv-d-1"]["title"] == f'Wir sagen "Danke"{sep} und zwar oft'
    assert offers["csv-d-1"]["place"] == "Delitzsch"
    assert offers["csv-d-2"]["title"] == '"Tafel" hilft'
    assert offers["csv-d-2"]["summary"] == f'Mehl{sep} Zucker{sep} "Eier"'


def test_csv_cell_over_several_lines_as_excel_writes_it(tree: Tree) -> None:
    # Excel ends a row with CRLF and a line break inside a cell (Alt+Enter) with LF.
    description = '"Erste Zeile mit ""Zitat""; Semikolon\nzweite Zeile\ndritte Zeile"'
    path = excel_file(
        tree,
        ";",
        cells(description=description),  # lines 2–4
        cells(id="d-2", place="Leipzig"),  # line 5
        cells(id="d-3", title='"""Ja"", sagen"'),  # line 6
    )
    code, out, err = tree.lotse("offers", "import", str(path))
    assert code == 0, err
    assert counts(out)["neu"] == 2, out
    assert "Zeile 5: Ort 'Leipzig' liegt außerhalb der Region" in out
    offers = tree.offers()
    assert offers["csv-d-1"]["description"] == (
        'Erste Zeile mit "Zitat"; Semikolon\nzweite Zeile\ndritte Zeile'
    )
    assert offers["csv-d-3"]["title"] == '"Ja", sagen'


def test_csv_utf8_with_bom(tree: Tree) -> None:
    path = excel_file(
        tree,
        ";",
        cells(organisation="Müller & Söhne", summary='"Spende: 5 €; ""gern"""'),
        encoding="utf-8-sig",
    )
    code, out, err = tree.lotse("offers", "import", str(path))
    assert code == 0, err
    assert counts(out)["neu"] == 1, out
    assert "unbekannte Spalten" not in out  # the BOM is not part of the column name 'id'
    offer = tree.offers()["csv-d-1"]
    assert (offer["organisation"], offer["summary"]) == ("Müller & Söhne", 'Spende: 5 €; "gern"')


def test_csv_windows_1252_from_old_excel(tree: Tree) -> None:
    path = excel_file(
        tree,
        ";",
        cells(organisation='"Müller; ""Söhne"""', summary="Spende: 5 € – „gern“"),
        encoding="cp1252",
    )
    code, out, err = tree.lotse("offers", "import", str(path))
    assert code == 0, err
    assert counts(out)["neu"] == 1, out
    offer = tree.offers()["csv-d-1"]
    assert offer["organisation"] == 'Müller; "Söhne"'
    assert offer["summary"] == "Spende: 5 € – „gern“"


def test_csv_row_with_wrong_number_of_cells_is_rejected_with_its_line(tree: Tree) -> None:
    first = excel_file(tree, ";", cells(), cells(id="d-2"), cells(id="d-3"))
    assert counts(tree.lotse("offers", "import", str(first))[1])["neu"] == 3
    # d-2: an unquoted ';' in the title shifts the place into the next column;
    # d-4: the last cells are missing.
    path = excel_file(
        tree,
        ";",
        cells(),  # line 2
        cells(id="d-2", title="Kaffee; Kuchen"),  # line 3
        cells(id="d-3", description='"lang\nund breit"'),  # lines 4–5
        cells(id="d-4")[:10],  # line 6
        cells(id="d-5"),  # line 7
    )
    code, out, err = tree.lotse("offers", "import", str(path))
    assert code == 0, err
    assert counts(out) == {
        "neu": 1,
        "aktualisiert": 1,
        "archiviert": 0,
        "unverändert": 1,
        "abgelehnt": 2,
    }, out
    assert "Zeile 3: 21 Zellen statt 20" in out
    assert "Zeile 6: 10 Zellen statt 20" in out
    assert "unbekannter Ort" not in out
    offers = tree.offers()
    assert set(offers) == {"csv-d-1", "csv-d-2", "csv-d-3", "csv-d-5"}
    assert "archived" not in offers["csv-d-2"]  # a broken row keeps the last good version


def test_csv_separator_from_the_header_not_from_quoted_cells(tree: Tree) -> None:
    # The header says ','; the rows have far more ';' – all inside quotes.
    busy = '"a; b; c; d; e; f; g; h; i; j; k; l; m; n; o; p; q; r; s; t; u; ""v""; w"'
    path = excel_file(tree, ",", cells(summary=busy), cells(id="d-2", needed=busy))
    code, out, err = tree.lotse("offers", "import", str(path))
    assert code == 0, err
    assert counts(out)["neu"] == 2, out
    expected = 'a; b; c; d; e; f; g; h; i; j; k; l; m; n; o; p; q; r; s; t; u; "v"; w'
    assert tree.offers()["csv-d-1"]["summary"] == expected
    assert tree.offers()["csv-d-2"]["needed"] == expected


# --- Freinet XML ---------------------------------------------------------------------


def test_freinet_import(tree: Tree) -> None:
    code, out, err = tree.lotse("offers", "import", str(FREINET / "angebote.xml"))
    assert code == 0, err
    assert counts(out) == {
        "neu": 4,
        "aktualisiert": 0,
        "archiviert": 0,
        "unverändert": 0,
        "abgelehnt": 4,
    }
    assert "angebotsId 4714: Koordinaten 51.3396, 12.3713 liegen außerhalb der Region" in out
    assert "(nächster Ort: Leipzig)" in out
    assert "angebotsId 4715: kein Tätigkeitsbereich zugeordnet ('Kreatives Gestalten')" in out
    assert "angebotsId 4717: sucht derzeit niemanden" in out
    assert "angebotsId 4718: Ort 'Rödgen' ist mehrdeutig" in out
    assert "Kreatives Gestalten (1×), Tiergestützte Pädagogik (1×)" in out  # unknown areas
    assert "Alleinerziehende (1×)" in out  # unknown target group

    offers = tree.offers()
    assert set(offers) == {"fn-4711", "fn-4712", "fn-4713", "fn-4716"}
    lesen = offers["fn-4711"]
    assert lesen["source"] == "freinet"
    assert lesen["source_id"] == "4711"
    assert lesen["interests"] == ["kinder-lernen", "kinder-jugend"]
    assert lesen["organisation"] == "Schulförderverein Wallgraben e.V."
    assert str(lesen["updated"]) == "2025-11-13"  # bearbeitet, a Unix time
    assert lesen["description"] == (
        "Die Grundschule am Wallgraben sucht Lesepatinnen & Lesepaten für die Klassen 2 und 3."
        "\n\nSie lesen mit zwei bis drei Kindern und sprechen über das Buch.\n"
        "Vorkenntnisse: keine.\n\n• Zeit: dienstags\n• Ort: Schulbibliothek"
    )
    # Coordinates "0" mean unknown: the place comes from `ort`.
    assert (offers["fn-4712"]["place"], offers["fn-4712"]["gemeinde"]) == ("Krostitz", "Krostitz")
    assert offers["fn-4712"]["summary"].startswith("Zuhören, vorlesen")  # no kurz_beschreibung
    assert offers["fn-4712"]["description"].endswith("wir begleiten Sie bei den ersten Besuchen.")
    # Comma decimals in the coordinates; one unmapped area does not stop the mapped one.
    assert offers["fn-4713"]["place"] == "Zschortau"
    assert offers["fn-4713"]["interests"] == ["umwelt", "umwelt-naturschutz"]
    # HTML as real child elements of <beschreibung>, entities in escaped HTML.
    assert offers["fn-4713"]["description"] == (
        "Samstags von 9 bis 12 Uhr, Handschuhe werden gestellt.\n\nFür Groß und Klein."
    )
    assert offers["fn-4716"]["description"] == (
        "Was Sie erwartet\n\nSpiel, Technik & Teamgeist – montags 17–19 Uhr."
    )
    for offer in offers.values():
        for text in (offer["title"], offer["summary"], offer.get("description", "")):
            assert not re.search(r"<[^>]+>|&[#a-z0-9]+;", text), text
            assert "trackVisit" not in text and "color:red" not in text
    assert tree.lotse("check")[0] == 0


def test_malformed_xml_exits_1_and_changes_nothing(tree: Tree) -> None:
    tree.lotse("offers", "import", str(FREINET / "angebote.xml"))
    before = tree.imported.read_bytes()
    code, out, err = tree.lotse("offers", "import", str(FREINET / "kaputt.xml"))
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"{FREINET / 'kaputt.xml'}: kein gültiges XML (mismatched tag: line 5, column 34)"
    ]
    assert tree.imported.read_bytes() == before
    # No temporary file is left behind (the lock file stays: see bot/offers/exclusive.py).
    hidden = [p.name for p in tree.content.iterdir() if p.name.startswith(".")]
    assert hidden in ([], [LOCK_FILE])


def test_xml_with_entity_declarations_is_refused(tree: Tree) -> None:
    bomb = tree.root / "bombe.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx">'
        '<!ENTITY y "&x;&x;&x;&x;&x;">]><angebotsliste>&y;</angebotsliste>',
        encoding="utf-8",
    )
    code, _, err = tree.lotse("offers", "import", str(bomb))
    assert code == 1
    assert "XML mit DTD oder Entitäten abgelehnt" in err
    assert not tree.imported.exists()


def test_unknown_format_by_content(tree: Tree) -> None:
    renamed = tree.root / "export.dat"
    renamed.write_bytes((FREINET / "angebote.xml").read_bytes())
    code, out, _ = tree.lotse("offers", "import", str(renamed))
    assert code == 0
    assert counts(out)["neu"] == 4


# --- the loader and `lotse check` ----------------------------------------------------


def test_imported_id_must_not_clash_with_hand_written(tree: Tree) -> None:
    tree.lotse("offers", "import", str(FREINET / "angebote.xml"))
    text = tree.imported.read_text(encoding="utf-8").replace("id: fn-4713", "id: dz-tafel-ausgabe")
    tree.imported.write_text(text, encoding="utf-8")
    line = next(
        n for n, row in enumerate(text.splitlines(), 1) if row.endswith("id: dz-tafel-ausgabe")
    )
    with pytest.raises(ContentError) as caught:
        load_content(tree.content, tree.root / "knowledge")
    messages = [str(p) for p in caught.value.problems]
    assert any(
        m.startswith(f"{tree.imported}:{line}: importierte Kennung 'dz-tafel-ausgabe'")
        for m in messages
    ), messages


def test_mapping_is_checked(tree: Tree) -> None:
    path = tree.content / "freinet-mapping.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Tierschutz: [umwelt, umwelt-tiere]", "Tierschutz: [umwelt, tierschutz]")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "tierschutz]" in row)
    code, _, err = tree.lotse("check")
    assert code == 1
    assert f"freinet-mapping.yaml:{line}: unbekanntes Interessengebiet 'tierschutz'" in err


def test_html_to_text() -> None:
    assert html_to_text("<p>a &amp; b</p><p>c<br>d</p>") == "a & b\n\nc\nd"
    assert html_to_text("<script>x = '<p>'</script><style>p {}</style>ok") == "ok"
    assert html_to_text("<div><div><span>tief <b>ge<i>schach</i>telt</b></span></div></div>") == (
        "tief geschachtelt"
    )
    assert html_to_text("f&uuml;r&nbsp;alle &#8211; &#x201E;ja&#x201C;") == "für alle – „ja“"
    assert html_to_text("&lt;p&gt;zweimal &amp;amp; maskiert&lt;/p&gt;") == "zweimal & maskiert"
    assert html_to_text("<ul>\n <li>eins</li>\n <li>zwei</li>\n</ul>") == "• eins\n• zwei"
    assert html_to_text("<p>offen <b>nie geschlossen") == "offen nie geschlossen"
    assert html_to_text("") == ""


# --- sync over HTTP --------------------------------------------------------------------


@dataclass
class FakeFreinet:
    """Serves an offer list like Freinet's MatchingServiceEndpoint on 127.0.0.1."""

    body: bytes = b""
    status: int = 200
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append({"path": request.path, **request.query})
        return web.Response(body=self.body, status=self.status, content_type="text/xml")


@pytest.fixture
async def freinet(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeFreinet]:
    fake = FakeFreinet((FREINET / "angebote.xml").read_bytes())
    app = web.Application()
    app.router.add_get("/query/api/MatchingServiceEndpoint.php", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("FREINET_URL", fake.url)
    monkeypatch.setenv("FREINET_AGENCY_ID", AGENCY)
    monkeypatch.setenv("FREINET_KEY", KEY)
    yield fake
    await runner.cleanup()


async def sync(tree: Tree) -> tuple[int, str, str]:
    """`lotse offers sync-freinet` in a thread: it runs its own event loop."""
    return await asyncio.to_thread(tree.lotse, "offers", "sync-freinet")


def without(xml: bytes, angebots_id: str) -> bytes:
    pattern = rf'\s*<angebot angebotsId="{angebots_id}">.*?</angebot>'.encode()
    return re.sub(pattern, b"", xml, flags=re.DOTALL)


def ranked_ids(tree: Tree, interests: tuple[str, ...], where: tuple[float, float]) -> list[str]:
    content = load_content(tree.content, tree.root / "knowledge")
    ranker = Matchers.build(content).offers
    profile = Profile(interests, lat=where[0], lon=where[1])
    return [r.offer.id for r in ranker.rank(profile, limit=10)]


async def test_sync_twice_then_archive_then_restore(tree: Tree, freinet: FakeFreinet) -> None:
    code, out, err = await sync(tree)
    assert code == 0, err
    assert counts(out)["neu"] == 4
    assert freinet.requests[-1] == {
        "path": "/query/api/MatchingServiceEndpoint.php",
        "agencyId": AGENCY,
        "accessKey": KEY,
        "limit": "10000",
    }
    assert "fn-4712" in ranked_ids(tree, ("soziales-senioren",), KROSTITZ)

    code, out, _ = await sync(tree)
    assert code == 0
    assert counts(out) == {
        "neu": 0,
        "aktualisiert": 0,
        "archiviert": 0,
        "unverändert": 4,
        "abgelehnt": 4,
    }

    freinet.body = without(freinet.body, "4712")
    code, out, _ = await sync(tree)
    assert code == 0
    assert counts(out) == {
        "neu": 0,
        "aktualisiert": 0,
        "archiviert": 1,
        "unverändert": 3,
        "abgelehnt": 4,
    }
    assert "archiviert (nicht mehr in der Quelle): fn-4712" in out
    assert tree.offers()["fn-4712"]["archived"] is True
    assert "fn-4712" not in ranked_ids(tree, ("soziales-senioren",), KROSTITZ)
    assert tree.lotse("check")[0] == 0

    freinet.body = (FREINET / "angebote.xml").read_bytes()
    code, out, _ = await sync(tree)
    assert counts(out)["aktualisiert"] == 1
    assert "wieder aktiv: fn-4712" in out
    assert "fn-4712" in ranked_ids(tree, ("soziales-senioren",), KROSTITZ)


async def test_sync_http_error_is_one_clear_line(tree: Tree, freinet: FakeFreinet) -> None:
    freinet.status, freinet.body = 403, b"<error>Zugriff verweigert</error>"
    code, out, err = await sync(tree)
    assert code == 1
    assert out == ""
    assert err.strip() == (
        "Freinet antwortet mit HTTP 403 Forbidden – Zugangsdaten "
        "(FREINET_AGENCY_ID/FREINET_PORTAL_ID, FREINET_KEY) prüfen"
    )
    assert KEY not in err
    assert not tree.imported.exists()


async def test_sync_malformed_answer_changes_nothing(tree: Tree, freinet: FakeFreinet) -> None:
    await sync(tree)
    before = tree.imported.read_bytes()
    freinet.body = (FREINET / "kaputt.xml").read_bytes()
    code, _, err = await sync(tree)
    assert code == 1
    assert err.startswith("Freinet: kein gültiges XML")
    assert tree.imported.read_bytes() == before


def test_sync_unreachable_names_no_key(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FREINET_URL", "http://127.0.0.1:9")  # discard port: nobody listens
    monkeypatch.setenv("FREINET_AGENCY_ID", AGENCY)
    monkeypatch.setenv("FREINET_KEY", KEY)
    code, _, err = tree.lotse("offers", "sync-freinet")
    assert code == 1
    assert err.startswith("Freinet nicht erreichbar (ClientConnectorError, 127.0.0.1)")
    assert KEY not in err


def test_sync_without_configuration(tree: Tree) -> None:
    code, _, err = tree.lotse("offers", "sync-freinet")
    assert code == 1
    assert err.strip() == (
        "Freinet ist nicht eingerichtet: FREINET_URL, FREINET_AGENCY_ID (oder "
        "FREINET_PORTAL_ID) und FREINET_KEY setzen"
    )


def test_detail_url_and_dry_run(tree: Tree) -> None:
    mapping = tree.content / "freinet-mapping.yaml"
    text = mapping.read_text(encoding="utf-8").replace(
        "  # detail_url:", '  detail_url: "https://example.org/angebot?detail={id}"\n  # was:'
    )
    mapping.write_text(text, encoding="utf-8")
    code, out, _ = tree.lotse("offers", "import", "--dry-run", str(FREINET / "angebote.xml"))
    assert code == 0
    assert counts(out)["neu"] == 4
    assert "Datei unverändert" in out
    assert not tree.imported.exists()
    tree.lotse("offers", "import", str(FREINET / "angebote.xml"))
    assert tree.offers()["fn-4711"]["url"] == "https://example.org/angebot?detail=4711"


def test_request_per_agency_or_portal() -> None:
    from bot.offers.freinet import request_for

    agency = Settings.from_env(
        {"FREINET_URL": "https://f.example/", "FREINET_AGENCY_ID": "7", "FREINET_KEY": "k"}
    )
    assert request_for(agency) == (
        "https://f.example/query/api/MatchingServiceEndpoint.php",
        {"agencyId": "7", "accessKey": "k", "limit": "10000"},
    )
    portal = Settings.from_env(
        {"FREINET_URL": "https://f.example", "FREINET_PORTAL_ID": "9", "FREINET_KEY": "k"}
    )
    assert (
        request_for(portal)[0]
        == "https://f.example/query/api/portal/v1/MatchingServiceEndpoint.php"
    )
    assert request_for(portal)[1]["portalId"] == "9"
    assert "freinet_key" not in repr(portal)  # never in a log line that shows the settings


def test_offer_seeking_nobody_any_more_is_archived(tree: Tree) -> None:
    xml = (FREINET / "angebote.xml").read_text(encoding="utf-8")
    seeking = tree.root / "vorher.xml"
    seeking.write_text(xml.replace("<anzahl_gesuche>0<", "<anzahl_gesuche>5<"), encoding="utf-8")
    assert counts(tree.lotse("offers", "import", str(seeking))[1])["neu"] == 5
    out = tree.lotse("offers", "import", str(FREINET / "angebote.xml"))[1]
    assert counts(out)["archiviert"] == 1
    assert "angebotsId 4717: sucht derzeit niemanden (anzahl_gesuche 0)" in out
    assert tree.offers()["fn-4717"]["archived"] is True


def test_ids_that_differ_only_in_spelling(tree: Tree) -> None:
    path = tree.csv("a.csv", HEADER, TAFEL, TAFEL.replace("tafel-1;", "Tafel 1;", 1))
    out = tree.lotse("offers", "import", str(path))[1]
    assert "Zeile 3: id 'Tafel 1' ergibt dieselbe Kennung csv-tafel-1 wie Zeile 2" in out
    respelled = tree.csv("b.csv", HEADER, TAFEL.replace("tafel-1;", "Tafel 1;", 1))
    out = tree.lotse("offers", "import", str(respelled))[1]
    assert counts(out)["archiviert"] == 0
    assert tree.offers()["csv-tafel-1"]["source_id"] == "Tafel 1"


# --- a real list: no areas (issue #19) -------------------------------------------------

WITHOUT_AREAS = FREINET / "liste-ohne-bereiche.xml"


def test_list_without_areas_gets_interests_from_title_and_description(tree: Tree) -> None:
    code, out, err = tree.lotse("offers", "import", str(WITHOUT_AREAS))
    assert code == 0, err
    assert counts(out) == {
        "neu": 4,
        "aktualisiert": 0,
        "archiviert": 0,
        "unverändert": 0,
        "abgelehnt": 2,
    }
    assert (
        "  Interessen erschlossen aus Titel/Beschreibung: 4 Angebote – bitte prüfen "
        "(interests_inferred: true): fn-4801, fn-4802, fn-4803, fn-4805"
    ) in out.splitlines()
    assert (
        "angebotsId 4804: kein Tätigkeitsbereich zugeordnet (keine angegeben) und aus "
        "Titel/Beschreibung kein Interessengebiet erkennbar"
    ) in out
    offers = tree.offers()
    assert {i: o["interests"] for i, o in offers.items()} == {
        "fn-4801": ["kinder-jugend", "kinder-lesepaten"],
        "fn-4802": ["soziales", "soziales-senioren"],  # not "vorlesen" of its description
        "fn-4803": ["kinder-jugend", "kinder-jugendarbeit", "rettung", "rettung-feuerwehr"],
        "fn-4805": ["umwelt", "umwelt-naturschutz"],  # not "Groß und Klein"
    }
    assert all(o["interests_inferred"] is True for o in offers.values())
    text = tree.imported.read_text(encoding="utf-8")
    assert "interests_inferred: true" in text.split("offers:")[0]  # the header explains it
    code, out, _ = tree.lotse("check")
    assert code == 0
    assert "Angebote (4 mit erschlossenen Interessen – bitte prüfen)" in out
    # The people who search find them.
    assert "fn-4802" in ranked_ids(tree, ("soziales-senioren",), KROSTITZ)


def test_reimporting_a_list_without_areas_changes_nothing(tree: Tree) -> None:
    tree.lotse("offers", "import", str(WITHOUT_AREAS))
    before = tree.imported.read_bytes()
    stamp = tree.imported.stat().st_mtime_ns
    code, out, _ = tree.lotse("offers", "import", str(WITHOUT_AREAS))
    assert code == 0
    assert counts(out) == {
        "neu": 0,
        "aktualisiert": 0,
        "archiviert": 0,
        "unverändert": 4,
        "abgelehnt": 2,
    }
    assert "Datei unverändert" in out
    assert tree.imported.read_bytes() == before
    assert tree.imported.stat().st_mtime_ns == stamp  # not even rewritten


def test_corrected_interests_survive_the_next_import(tree: Tree) -> None:
    tree.lotse("offers", "import", str(WITHOUT_AREAS))
    text = tree.imported.read_text(encoding="utf-8")
    start = text.index("- id: fn-4803")
    end = text.index("- id: fn-4805")
    corrected = text[start:end].replace(
        "  interests:\n  - kinder-jugend\n  - kinder-jugendarbeit\n  - rettung\n"
        "  - rettung-feuerwehr\n  interests_inferred: true\n",
        "  interests:\n  - rettung-feuerwehr\n",
    )
    assert corrected != text[start:end]
    tree.imported.write_text(text[:start] + corrected + text[end:], encoding="utf-8")
    code, out, _ = tree.lotse("offers", "import", str(WITHOUT_AREAS))
    assert code == 0
    assert counts(out)["unverändert"] == 4
    assert "Interessen erschlossen aus Titel/Beschreibung: 3 Angebote" in out
    offer = tree.offers()["fn-4803"]
    assert offer["interests"] == ["rettung-feuerwehr"]
    assert "interests_inferred" not in offer


# --- sync-freinet with the detail endpoint (FREINET_DETAILS=1) -------------------------


def detail_xml(*areas: str, groups: tuple[str, ...] = ()) -> bytes:
    def elements(names: tuple[str, ...]) -> str:
        return "".join(f"<element>{n}</element>" for n in names)

    return (
        "<angebot><angebot_details><angebotsname>x</angebotsname><geo_x>0</geo_x>"
        f"<globalbereiche>{elements(areas)}</globalbereiche>"
        f"<zielgruppen>{elements(groups)}</zielgruppen>"
        "<kenntnisse><element>Geduld</element></kenntnisse></angebot_details></angebot>"
    ).encode()


@dataclass
class FakeFreinetWithDetails:
    """The list without areas, and each offer's detail with its areas (or an error)."""

    body: bytes
    details: dict[str, tuple[int, bytes]]
    asked: list[dict[str, str]] = field(default_factory=list)

    async def listing(self, request: web.Request) -> web.Response:
        return web.Response(body=self.body, content_type="text/xml")

    async def detail(self, request: web.Request) -> web.Response:
        self.asked.append(dict(request.query))
        status, body = self.details.get(request.query.get("offerId", ""), (404, b""))
        return web.Response(body=body, status=status, content_type="text/xml")

    def offer_ids(self) -> list[str]:
        ids = [q["offerId"] for q in self.asked]
        self.asked.clear()
        return ids


@pytest.fixture
async def freinet_details(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[FakeFreinetWithDetails]:
    fake = FakeFreinetWithDetails(
        WITHOUT_AREAS.read_bytes(),
        {
            "4801": (200, detail_xml("Bildung", groups=("Kinder",))),
            "4802": (200, detail_xml("Senioren")),
            "4803": (500, b"kaputt"),  # this one fails: inferred for now, asked again
            "4804": (200, detail_xml("Kreatives Gestalten")),  # unknown: inferred, nothing
            "4805": (200, detail_xml("Umwelt- und Naturschutz")),
        },
    )
    app = web.Application()
    app.router.add_get("/query/api/MatchingServiceEndpoint.php", fake.listing)
    app.router.add_get("/query/api/OfferServiceEndpoint.php", fake.detail)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    for name, value in (
        ("FREINET_URL", f"http://127.0.0.1:{port}"),
        ("FREINET_AGENCY_ID", AGENCY),
        ("FREINET_KEY", KEY),
        ("FREINET_DETAILS", "1"),
        ("FREINET_DETAILS_INTERVAL", "2.5"),
    ):
        monkeypatch.setenv(name, value)
    yield fake
    await runner.cleanup()


class FakeTime:
    """The pace's clock: time passes only when the pace sleeps (no test waits)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


async def sync_with_details(time: FakeTime) -> ImportReport:
    from bot.offers.details import Pace
    from bot.offers.importer import sync_freinet
    from bot.runtime.http import http_get

    settings = Settings.from_env()
    pace = Pace(settings.freinet_details_interval, time.sleep, time.monotonic)
    return await sync_freinet(settings, http_get, pace=pace)


async def test_sync_fetches_the_areas_paced_and_caches_them(
    tree: Tree, freinet_details: FakeFreinetWithDetails
) -> None:
    time = FakeTime()
    report = await sync_with_details(time)
    # 4806 seeks nobody: not asked. One request per 2.5 s.
    assert freinet_details.asked[0] == {"offerId": "4801", "agencyId": AGENCY, "accessKey": KEY}
    assert freinet_details.offer_ids() == ["4801", "4802", "4803", "4804", "4805"]
    assert time.sleeps == [2.5] * 4
    lines = report.lines()
    assert (
        "  Freinet-Details: 4 abgerufen, 0 aus dem Zwischenspeicher (unverändert seit dem "
        "letzten Abruf), 1 nicht abrufbar – zuletzt: Freinet antwortet mit HTTP 500 Internal "
        "Server Error – später erneut versuchen; Interessen dieser Angebote erschlossen"
    ) in lines
    assert report.counts() == "4 neu, 0 aktualisiert, 0 archiviert, 0 unverändert, 2 abgelehnt"
    offers = tree.offers()
    assert offers["fn-4801"]["interests"] == ["kinder-lernen", "kinder-jugend"]  # mapped
    assert offers["fn-4802"]["interests"] == ["soziales", "soziales-senioren"]
    assert offers["fn-4805"]["interests"] == ["umwelt", "umwelt-naturschutz"]
    assert [i for i, o in offers.items() if o.get("interests_inferred")] == ["fn-4803"]
    assert report.inferred == ["fn-4803"]
    assert report.unknown_areas == {"Kreatives Gestalten": 1}
    assert KEY not in (tree.content / ".freinet-details.json").read_text(encoding="utf-8")

    # Next night: only the one that failed is asked again; the rest come from the cache.
    time.sleeps.clear()
    freinet_details.details["4803"] = (200, detail_xml("Feuerwehr"))
    report = await sync_with_details(time)
    assert freinet_details.offer_ids() == ["4803"]
    assert time.sleeps == []  # 2.5 s have long passed
    assert report.details is not None
    assert (report.details.fetched, report.details.cached, report.details.failed) == (1, 4, 0)
    assert tree.offers()["fn-4803"]["interests"] == ["rettung", "rettung-feuerwehr"]
    assert "interests_inferred" not in tree.offers()["fn-4803"]
    assert report.inferred == []

    # An offer edited in Freinet (`bearbeitet` moves) is asked again; nothing else.
    freinet_details.body = freinet_details.body.replace(
        b"<bearbeitet>1762000000<", b"<bearbeitet>1764000000<"
    )
    freinet_details.details["4802"] = (200, detail_xml("Nachbarschaftshilfe"))
    report = await sync_with_details(time)
    assert freinet_details.offer_ids() == ["4802"]
    assert tree.offers()["fn-4802"]["interests"] == ["soziales", "soziales-nachbarschaft"]
    assert report.updated == ["fn-4802"]


async def test_sync_stops_asking_a_failing_detail_endpoint(
    tree: Tree, freinet_details: FakeFreinetWithDetails
) -> None:
    freinet_details.details = {}  # every detail: 404
    time = FakeTime()
    report = await sync_with_details(time)
    assert freinet_details.offer_ids() == ["4801", "4802", "4803"]
    assert report.details is not None
    assert (report.details.failed, report.details.skipped) == (3, 2)
    assert "2 nicht mehr abgefragt" in report.details.line()
    # The import itself goes on: interests from the text, as without details.
    assert report.counts() == "4 neu, 0 aktualisiert, 0 archiviert, 0 unverändert, 2 abgelehnt"
    assert len(report.inferred) == 4


async def test_sync_without_details_setting_asks_no_detail(
    tree: Tree, freinet_details: FakeFreinetWithDetails, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FREINET_DETAILS", "0")
    code, out, err = await sync(tree)
    assert code == 0, err
    assert freinet_details.asked == []
    assert "Interessen erschlossen aus Titel/Beschreibung: 4 Angebote" in out
    assert "Freinet-Details" not in out


# --- one import at a time; each source archives only its own offers -------------------


def test_manual_import_refused_while_the_nightly_sync_runs(tree: Tree) -> None:
    from bot.offers.exclusive import NIGHTLY, exclusive

    tree.lotse("offers", "import", str(FREINET / "angebote.xml"))
    before = tree.imported.read_bytes()
    with exclusive(tree.content, NIGHTLY):  # as `lotse run` holds it at 03:00
        code, out, err = tree.lotse("offers", "import", str(WITHOUT_AREAS))
        assert code == 1
        assert out == ""
        assert re.fullmatch(
            r"Es läuft schon ein Import der Angebote \(nächtlicher Freinet-Abgleich seit "
            r"\d\d\.\d\d\.\d{4} \d\d:\d\d Uhr \(Prozess \d+\)\) – nichts geändert\. Bitte "
            r"warten, bis er fertig ist, und dann erneut starten\.",
            err.strip(),
        ), err
        # Only looking is fine meanwhile.
        code, out, _ = tree.lotse("offers", "import", "--dry-run", str(WITHOUT_AREAS))
        assert code == 0
        assert "Datei unverändert" in out
    assert tree.imported.read_bytes() == before
    code, out, _ = tree.lotse("offers", "import", str(WITHOUT_AREAS))  # afterwards it runs
    assert code == 0
    assert counts(out)["neu"] == 4


async def test_nightly_sync_skipped_while_a_manual_import_runs(
    tree: Tree, freinet: FakeFreinet
) -> None:
    from bot.offers.exclusive import MANUAL, exclusive
    from bot.offers.importer import ImportRunning, sync_freinet
    from bot.runtime.http import http_get

    with exclusive(tree.content, MANUAL):
        code, _, err = await sync(tree)
        assert code == 1
        assert err.startswith("Es läuft schon ein Import der Angebote (manueller Import seit ")
        with pytest.raises(ImportRunning):
            await sync_freinet(Settings.from_env(), http_get)
        assert freinet.requests == []  # not even fetched
    assert not tree.imported.exists()
    assert (await sync(tree))[0] == 0


def test_each_source_archives_only_its_own_offers(tree: Tree) -> None:
    template = ROOT / "docs" / "offers-template.csv"
    tree.lotse("offers", "import", str(template))
    csv_ids = {i for i in tree.offers() if i.startswith("csv-")}
    assert len(csv_ids) == 3
    # Freinet knows nothing of the CSV offers: they stay active.
    out = tree.lotse("offers", "import", str(FREINET / "angebote.xml"))[1]
    assert counts(out)["archiviert"] == 0
    assert not any(o.get("archived") for o in tree.offers().values())
    # A shorter CSV archives CSV offers only.
    rows = template.read_text(encoding="utf-8").splitlines()
    shorter = tree.csv("kuerzer.csv", rows[0], rows[1])
    out = tree.lotse("offers", "import", str(shorter))[1]
    assert counts(out)["archiviert"] == 2
    archived = {i for i, o in tree.offers().items() if o.get("archived")}
    assert len(archived) == 2 and archived < csv_ids
    # An empty Freinet list archives the Freinet offers, never the CSV one left.
    empty = tree.root / "leer.xml"
    empty.write_text("<angebotsliste></angebotsliste>", encoding="utf-8")
    out = tree.lotse("offers", "import", str(empty))[1]
    assert counts(out)["archiviert"] == 4
    offers = tree.offers()
    active = {i for i, o in offers.items() if not o.get("archived")}
    assert active == csv_ids - archived
    assert tree.lotse("check")[0] == 0


def test_detail_request_and_its_settings() -> None:
    from bot.offers.details import detail_request_for

    portal = Settings.from_env(
        {"FREINET_URL": "https://f.example", "FREINET_PORTAL_ID": "9", "FREINET_KEY": "k"}
    )
    assert not portal.freinet_details
    assert portal.freinet_details_interval == 1.0
    assert detail_request_for(portal, "4711") == (
        "https://f.example/query/api/portal/v1/OfferServiceEndpoint.php",
        {"offerId": "4711", "portalId": "9", "accessKey": "k"},
    )
    full = Settings.from_env(
        {
            "FREINET_URL": "https://f.example/x/MatchingServiceEndpoint.php",
            "FREINET_AGENCY_ID": "7",
            "FREINET_KEY": "k",
            "FREINET_DETAILS": "1",
            "FREINET_DETAILS_INTERVAL": "0.5",
        }
    )
    assert (full.freinet_details, full.freinet_details_interval) == (True, 0.5)
    assert detail_request_for(full, "1")[0] == "https://f.example/x/OfferServiceEndpoint.php"
    for wrong in ("0", "schnell", "7200"):
        with pytest.raises(ValueError, match="FREINET_DETAILS_INTERVAL"):
            Settings.from_env({"FREINET_DETAILS_INTERVAL": wrong})
