"""Offers held compactly (bot/content/offer_table.py) and read as a stream (offers_file.py).

The streaming reader must say exactly what the whole-document loader says – the same
offers, the same problems at the same lines – for plain files, broken ones and YAML it
leaves to that loader (anchors, tags, duplicate keys …). The table must give back every
offer as it went in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bot.content import offers_file
from bot.content.loader import load_content
from bot.content.model import IMPORTED_OFFERS, Content, ContentError
from bot.content.offer_table import BLOCK, OfferTable
from bot.content.offers_file import OffersRead, read_offers
from bot.content.schema import Offer, Schedule
from bot.content.validate import OfferChecker
from bot.offers.importer import render

ROOT = Path(__file__).resolve().parent.parent


def offer(n: int, **changes: object) -> Offer:
    data: dict[str, object] = {
        "id": f"o-{n}",
        "title": f"Angebot Nummer {n} – mit Umlauten äöü",
        "organisation": "Verein",
        "place": "Delitzsch",
        "interests": ["soziales", "kultur"][: 1 + n % 2],
        "summary": "Etwas Gutes tun.",
        "schedule": Schedule(kind="regular", slots=["evening"], text="abends", short="abends"),
        "contact": "Über Ihren Engagementlotsen",
        "updated": dt.date(2026, 1, 1) + dt.timedelta(days=n % 300),
    }
    return Offer.model_validate(data | changes)


def test_table_gives_back_every_offer(content: Content) -> None:
    offers = [
        *content.offers,
        *(
            offer(n, archived=n % 7 == 0, interests_inferred=n % 3 == 0)
            for n in range(3 * BLOCK + 5)
        ),
    ]
    table = OfferTable.of(offers)

    assert len(table) == len(offers)
    assert list(table) == offers
    assert table[0] == offers[0] and table[-1] == offers[-1] and table[BLOCK] == offers[BLOCK]
    assert table[2:5] == offers[2:5]
    assert table.get("o-100") == offers[len(content.offers) + 100]
    assert table.get("nicht-da") is None and table.get(None) is None
    assert table.count_archived() == sum(o.archived for o in offers)
    # Inferred interests to be checked: only of offers still shown.
    assert table.count_inferred() == sum(o.interests_inferred and not o.archived for o in offers)
    with pytest.raises(IndexError):
        table[len(offers)]


def test_with_extra_appends_and_shares(content: Content) -> None:
    extra = [offer(1000, place="Zschepen", gemeinde="Delitzsch", interests=["umwelt"])]
    both = content.offers.with_extra(extra)

    assert list(both) == [*content.offers, *extra]
    assert both.get("o-1000") == extra[0]
    assert content.offers.with_extra([]) is content.offers
    # A list given to Content becomes a table too (tests and the report do this).
    replaced = dataclasses.replace(content, offers=extra)
    assert isinstance(replaced.offers, OfferTable) and list(replaced.offers) == extra


def test_shipped_offers_load_as_before(content: Content) -> None:
    shown = str(ROOT / "content" / "offers.yaml")
    streamed = read_offers(ROOT / "content" / "offers.yaml", shown)
    whole = offers_file._whole(ROOT / "content" / "offers.yaml", shown, None)

    assert streamed.table is not None and whole.table is not None
    assert list(streamed.table) == list(whole.table)
    assert len(content.offers) == len(streamed.table)


PLAIN = """\
# a comment
offers:
  - id: a-1
    title: "Quoted title"
    organisation: Verein
    place: Delitzsch
    interests: [soziales, kultur]
    summary: >
      Folded text
      over two lines.
    needed: Zeit
    schedule: {kind: once, text: am 1.12., short: am 1.12., date: 2026-12-01}
    contact: 'single'
    updated: 2026-01-01
    example: true
  - id: a-2
    title: Zweites
    organisation: Verein
    place: Rödgen
    gemeinde: Delitzsch
    interests:
      - umwelt
      - sport
    summary: |
      Block
      text
    schedule:
      kind: regular
      slots: [weekday, weekend]
      text: dienstags
      short: dienstags
      hours_per_week: 0
    contact: x
    updated: 2026-01-02
    archived: false
"""

CASES = {
    "plain": PLAIN,
    "field errors": PLAIN.replace("title: Zweites", "titel: Zweites").replace(
        "updated: 2026-01-01", "updated: gestern"
    ),
    "unknown top-level keys": "extra: 1\n" + PLAIN + "more: [1, 2]\n",
    "no offers key": "angebote: []\n",
    "offers is null": "offers:\n",
    "offers is a mapping": "offers: {a: 1}\n",
    "item is not a mapping": "offers:\n  - just text\n  - [1, 2]\n",
    "empty file": "",
    "only a comment": "# nothing\n",
    "not a mapping": "- a\n- b\n",
    "syntax error": PLAIN.replace("    contact: x\n", "    contact: [x\n"),
    "duplicate key": PLAIN.replace("    contact: x\n", "    contact: x\n    contact: y\n"),
    "impossible date": PLAIN.replace("2026-01-02", "2026-13-45"),
    "anchor and alias": PLAIN.replace(
        "organisation: Verein\n", "organisation: &v Verein\n", 1
    ).replace("organisation: Verein\n", "organisation: *v\n", 1),
    "merge key": "base: &b {organisation: V}\n"
    + PLAIN.replace("  - id: a-2\n", "  - <<: *b\n    id: a-2\n"),
    "explicit tag": PLAIN.replace('title: "Quoted title"', "title: !!str 12345"),
    "python tag": PLAIN.replace('title: "Quoted title"', "title: !!python/name:os.system"),
    "two documents": PLAIN + "---\noffers: []\n",
    "duplicate and clashing ids": PLAIN.replace("id: a-2", "id: a-1").replace("a-1", "zz", 1),
    "unknown place and interest": PLAIN.replace("place: Rödgen", "place: Nirgendwo").replace(
        "- sport", "- spot"
    ),
    "ambiguous place": PLAIN.replace("    gemeinde: Delitzsch\n", ""),
    "bool for a text": PLAIN.replace("needed: Zeit", "needed: yes"),
    "numbers and bools": PLAIN.replace("title: Zweites", "title: 0x1F").replace(
        "contact: x", "contact: 1e3"
    ),
    "null values": PLAIN.replace("contact: 'single'", "contact: ~").replace(
        "needed: Zeit", "needed:"
    ),
}


VALID = {"plain", "explicit tag", "anchor and alias"}  # the others have errors or check problems
# Left to the whole-document loader; everything else is read as a stream.
NOT_STREAMED = {
    "empty file",
    "only a comment",
    "not a mapping",
    "syntax error",
    "duplicate key",
    "impossible date",
    "anchor and alias",
    "merge key",
    "explicit tag",
    "python tag",
    "two documents",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_stream_says_what_the_whole_document_says(
    name: str, tmp_path: Path, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "offers.yaml"
    path.write_text(CASES[name], encoding="utf-8")

    def checker() -> OfferChecker:
        return OfferChecker(content.places, content.taxonomy, taken=["zz"])

    monkeypatch.setattr(offers_file, "_LAST_READ", {})
    whole = offers_file._whole(path, "offers.yaml", checker())
    used: list[bool] = []
    monkeypatch.setattr(
        offers_file,
        "_whole",
        lambda *args: used.append(True) or whole,  # type: ignore[func-returns-value]
    )
    streamed = read_offers(path, "offers.yaml", checker)
    assert _summary(streamed) == _summary(whole)
    assert bool(used) == (name in NOT_STREAMED)
    assert (whole.table is not None and not whole.checks) == (name in VALID)
    if whole.table is not None:  # the quick check of a file read before agrees
        assert checker().clean(whole.table) == (not whole.checks)


def _summary(read: OffersRead) -> tuple[object, ...]:
    offers = None if read.table is None else list(read.table)
    return offers, read.problems, read.checks


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "offers.yaml"
    path.write_bytes("offers:\n  - title: Gr\xfc\xdfe\n".encode("latin-1"))

    read = read_offers(path, "offers.yaml")
    assert read.table is None
    assert [p.message for p in read.problems] == ["Datei ist nicht UTF-8-kodiert"]


def test_imported_offers_are_streamed_into_the_content(tmp_path: Path, content: Content) -> None:
    """The importer's file format, merged with offers.yaml; ids of both stay apart."""
    folder = tmp_path / "content"
    folder.mkdir()
    for path in (ROOT / "content").glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    imported = [offer(n, source="csv", source_id=str(n)) for n in range(2 * BLOCK + 3)]
    (folder / IMPORTED_OFFERS).write_text(render(imported), encoding="utf-8")

    loaded = load_content(folder, ROOT / "knowledge")

    assert list(loaded.offers) == [*content.offers, *imported]
    assert loaded.offers.get("o-42") == imported[42]


def test_an_unchanged_file_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hot reload after an edit of another file reuses the offers – but checks them
    against the places of now, with the right line when one no longer exists."""
    folder = tmp_path / "content"
    folder.mkdir()
    for path in (ROOT / "content").glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    imported = [offer(n, place="Zschepen", gemeinde="Delitzsch") for n in range(BLOCK + 1)]
    (folder / IMPORTED_OFFERS).write_text(render(imported), encoding="utf-8")
    first = load_content(folder, ROOT / "knowledge")
    streamed: list[Path] = []
    stream = offers_file._Stream.read
    monkeypatch.setattr(
        offers_file._Stream, "read", lambda self, path: streamed.append(path) or stream(self, path)
    )

    again = load_content(folder, ROOT / "knowledge")
    assert streamed == [] and list(again.offers) == list(first.offers)

    places = folder / "places.yaml"
    places.write_text(
        places.read_text(encoding="utf-8").replace("Zschepen", "Zschepen-Neu"), encoding="utf-8"
    )
    with pytest.raises(ContentError) as caught:
        load_content(folder, ROOT / "knowledge")
    assert streamed == [folder / IMPORTED_OFFERS]
    text = (folder / IMPORTED_OFFERS).read_text(encoding="utf-8").splitlines()
    first_place = text.index("  place: Zschepen") + 1
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == (str(folder / IMPORTED_OFFERS), first_place)
    assert "unbekannter Ort 'Zschepen'" in problem.message
