"""Offers from a CSV file (a spreadsheet the network keeps), one offer per row.

The columns carry the names of the fields in offers.yaml, so a coordinator who knows one
knows the other; `docs/offers-template.csv` is a filled-in example. Excel's habits are
accepted: ';' or ',' as separator, "" for a quote inside a quoted cell, line breaks in
cells, UTF-8 with BOM or Windows-1252, '1,5' for 1.5, 25.11.2026. A row whose number of
cells differs from the header's is rejected, never padded or cut.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from bot import clock
from bot.content.schema import Offer
from bot.offers.build import OfferBuilder, Parsed, Reject, Rejection, SourceError, day, number

SOURCE = "csv"
REQUIRED = (
    "id",
    "title",
    "organisation",
    "place",
    "interests",
    "summary",
    "schedule_text",
    "contact",
)
OPTIONAL = (
    "gemeinde",
    "lat",
    "lon",
    "needed",
    "accessibility",
    "schedule_kind",
    "slots",
    "schedule_short",
    "hours_per_week",
    "date",
    "updated",
    "url",
    "description",
)
_SEPARATORS = (";", ",", "\t")
_LIST = re.compile(r"[,;\s]+")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def separator(line: str) -> str:
    """The header line's separator: the most frequent outside quotes, ';' on a tie.

    Only the header decides. Its names hold no separator, while quoted cells in the rows may
    hold any number of the other one (enough to fool csv.Sniffer on a sample of rows).
    """
    counts = dict.fromkeys(_SEPARATORS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted  # a doubled "" toggles twice: still inside
        elif not quoted and char in counts:
            counts[char] += 1
    return max(_SEPARATORS, key=counts.__getitem__)  # the first wins a tie: German Excel's ';'


def _header_line(text: str) -> str:
    """The first line with more than blanks and separators (Excel writes empty rows as ';;;')."""
    for line in io.StringIO(text, newline=""):
        if line.strip(" \t\r\n;,"):
            return line
    return ""


def _records(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(physical line where the record starts, its cells) for each record with content.

    Parsed as Excel writes CSV: quotes around cells that need them, "" for a quote inside,
    line breaks inside quoted cells. reader.line_num is the line where a record *ends*, so
    the next one starts on the line after it.
    """
    _refuse_unclosed_quote(text, name)
    reader = _reader(text)
    start = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(f"{name}:{reader.line_num}: kein gültiges CSV ({exc})") from exc


def _reader(text: str, strict: bool = False) -> Any:  # a csv reader (its type is private)
    return csv.reader(
        io.StringIO(text, newline=""),  # keeps quoted line breaks, counts \r\n as one line
        "excel",
        delimiter=separator(_header_line(text)),
        skipinitialspace=True,  # 'a; "b; c"' as people type it; cells are stripped anyway
        strict=strict,
    )


def _refuse_unclosed_quote(text: str, name: str) -> None:
    """A quote that is never closed makes the rest of the file one cell. Read leniently,
    those rows would vanish into one rejected row – and an import archives every CSV offer
    missing from the file. So the whole file is refused, naming the line of the quote."""
    reader = _reader(text, strict=True)
    start = 1
    try:
        for _record in reader:
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise SourceError(
                f'{name}:{start}: das Anführungszeichen (") in Zeile {start} wird nicht '
                "geschlossen – alles bis zum Dateiende wäre eine einzige Zelle. Bitte schließen "
                'oder entfernen (ein " in einer Zelle wird verdoppelt: ""); nichts importiert.'
            ) from exc
        # other strict complaints ('"Gut" gemacht') are read leniently, as Excel does


def _read(text: str, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header, and (line where the record starts, cells) per non-empty row."""
    records = _records(text, name)
    first = next(records, None)
    if first is None:
        raise SourceError(f"{name}: Datei ist leer – Vorlage: docs/offers-template.csv")
    header = [cell.strip().lower() for cell in first[1]]
    return _checked(header, name), list(records)


def _checked(header: list[str], name: str) -> list[str]:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(
            f"{name}: Spalte(n) fehlen: {', '.join(missing)} – die erste Zeile muss die "
            "Spaltennamen enthalten, Vorlage: docs/offers-template.csv"
        )
    return header


def parse_csv(data: bytes, name: str, builder: OfferBuilder) -> Parsed:
    """All rows of the file; bad rows become rejections with their line number."""
    header, rows = _read(decode(data), name)
    parsed = Parsed(SOURCE)
    parsed.ignored_columns = [c for c in header if c and c not in REQUIRED + OPTIONAL]
    first_line: dict[str, int] = {}  # by source id and by our id
    for line, cells in rows:
        row = {h: v.strip() for h, v in zip(header, cells, strict=False) if h}
        source_id = row.get("id", "")
        try:
            if len(cells) != len(header):
                raise Reject(_cell_count(len(cells), len(header)))
            if not source_id:
                raise Reject("Spalte 'id' ist leer")
            if source_id in first_line:
                raise Reject(f"id '{source_id}' doppelt (schon in Zeile {first_line[source_id]})")
            first_line[source_id] = line
            offer = _offer(row, builder)
            if offer.id in first_line:
                raise Reject(
                    f"id '{source_id}' ergibt dieselbe Kennung {offer.id} wie Zeile "
                    f"{first_line[offer.id]} – bitte eindeutig machen"
                )
            first_line[offer.id] = line
        except Reject as exc:
            parsed.rejections.append(Rejection(f"Zeile {line}", str(exc), source_id or None))
            continue
        parsed.offers.append(offer)
        if not row.get("updated"):
            parsed.undated.add(source_id)
    return parsed


def _cell_count(found: int, expected: int) -> str:
    """Why a row with surplus or missing cells is refused rather than padded or cut: every
    cell after the slip would land in the wrong column (a title in 'place', …)."""
    return (
        f"{found} Zellen statt {expected} wie in der Kopfzeile – Zellen mit Trennzeichen, "
        'Zeilenumbruch oder " gehören in Anführungszeichen ("…", ein " darin verdoppelt: "")'
    )


def _offer(row: dict[str, str], builder: OfferBuilder) -> Offer:
    lat, lon = number(row.get("lat"), "lat"), number(row.get("lon"), "lon")
    if (lat is None) != (lon is None):
        raise Reject("'lat' und 'lon' nur gemeinsam angeben")
    where = ", ".join(v for v in (row["place"], row.get("gemeinde", "")) if v)
    place = builder.place(lat, lon, where)
    url = row.get("url") or None
    if url and not url.startswith(("https://", "http://")):
        raise Reject(f"url {url!r} muss mit https:// beginnen")
    return builder.offer(
        {
            "id": builder.make_id(SOURCE, row["id"]),
            "title": row["title"],
            "organisation": row["organisation"],
            "place": place.name,
            "gemeinde": place.gemeinde,
            "interests": builder.check_interests(_split(row["interests"])),
            "summary": row["summary"],
            "needed": row.get("needed", ""),
            "accessibility": row.get("accessibility", ""),
            "schedule": _schedule(row),
            "contact": row["contact"],
            "updated": day(row.get("updated"), "updated") or clock.today(),
            "source": SOURCE,
            "source_id": row["id"],
            "url": url,
            "description": row.get("description", ""),
        }
    )


def _schedule(row: dict[str, str]) -> dict[str, object]:
    text = row["schedule_text"]
    short = row.get("schedule_short") or (text if len(text) <= 30 else "")
    if not short:
        raise Reject("schedule_short fehlt – Kurzform der Zeitangabe, höchstens 30 Zeichen")
    return {
        "kind": row.get("schedule_kind") or "flexible",
        "slots": _split(row.get("slots", "")),
        "text": text,
        "short": short,
        "hours_per_week": number(row.get("hours_per_week"), "hours_per_week"),
        "date": day(row.get("date"), "date"),
    }


def _split(cell: str) -> list[str]:
    """'a, b; c' → ['a', 'b', 'c']: lists in one cell, however they are separated."""
    return [item for item in _LIST.split(cell.strip()) if item]
