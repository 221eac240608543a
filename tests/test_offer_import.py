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
from bot.content.loader import load_content
from bot.content.model import IMPORTED_OFFERS, ContentError
from bot.dialogs.turn import Matchers
from bot.matching.ranking import Profile
from bot.offers.htmltext import html_to_text

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
    assert [p.name for p in tree.content.iterdir() if p.name.startswith(".")] == []


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
    from bot.config import Settings
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
