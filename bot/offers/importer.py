"""`lotse offers import` / `sync-freinet`: merge a source into content/offers-imported.yaml.

The coordinators' hand-written offers.yaml is never touched. Imported offers live in their
own generated file, merged by the loader. A re-import of the same source is idempotent:
offers are found again by their source id and updated; offers that left the source are
archived (kept for leads that name them, never shown), and come back when they reappear.
The new file is validated like any content before it atomically replaces the old one.
"""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

import yaml

from bot import clock
from bot.config import Settings
from bot.content.loader import load_content
from bot.content.model import IMPORTED_OFFERS, Content, ContentError
from bot.content.offers_file import read_offers
from bot.content.schema import Offer
from bot.offers.build import OfferBuilder, Parsed, Rejection, SourceError
from bot.offers.csv_source import parse_csv
from bot.offers.details import DetailStats, Pace, add_details
from bot.offers.exclusive import MANUAL, SYNC, ImportBusy, ImportLockError, exclusive
from bot.offers.freinet import HttpGet, fetch_offer_list, parse_freinet

Format = Literal["csv", "freinet"]
HEADER = """\
# GENERIERT von `lotse offers import` / `lotse offers sync-freinet` – NICHT VON HAND BEARBEITEN.
# Jeder neue Import überschreibt diese Datei. Eigene Angebote gehören in offers.yaml;
# Freinet-Bereiche werden in freinet-mapping.yaml zugeordnet. archived: true = nicht mehr
# in der Quelle (wird nicht angezeigt, bleibt für bestehende Anfragen erhalten).
# interests_inferred: true = Freinet nannte keinen zugeordneten Bereich, die Interessen sind
# aus Titel/Beschreibung erschlossen – bitte prüfen. Einzige erlaubte Handarbeit: `interests`
# korrigieren und die Zeile `interests_inferred: true` löschen; der nächste Import behält sie.
"""


INFERRED_SHOWN = 10  # ids named in the summary; the file marks every one


class ImportFailed(Exception):
    """Nothing was changed; the message is one line (plus content problems, if any)."""


class ImportRunning(ImportFailed):
    """Another import holds the lock (`exclusive.py`); nothing was changed."""


@dataclass
class ImportReport:
    """What an import did, for the command line and the bot's log."""

    source: str
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # archived before, back in the source
    archived: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unknown_areas: Counter[str] = field(default_factory=Counter)
    unknown_groups: Counter[str] = field(default_factory=Counter)
    ignored_columns: list[str] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)  # active offers, interests from their text
    details: DetailStats | None = None  # sync-freinet with FREINET_DETAILS
    written: Path | None = None

    def counts(self) -> str:
        return (
            f"{len(self.new)} neu, {len(self.updated) + len(self.restored)} aktualisiert, "
            f"{len(self.archived)} archiviert, {len(self.unchanged)} unverändert, "
            f"{len(self.rejected)} abgelehnt"
        )

    def lines(self) -> list[str]:
        out = [f"Angebote ({self.source}): {self.counts()}"]
        if self.restored:
            out.append(f"  wieder aktiv: {', '.join(self.restored)}")
        if self.archived:
            out.append(f"  archiviert (nicht mehr in der Quelle): {', '.join(self.archived)}")
        if self.rejected:
            out.append("  abgelehnt:")
            out += [f"    {r.where}: {r.reason}" for r in self.rejected]
        for title, names in (
            ("unbekannte Freinet-Bereiche", self.unknown_areas),
            ("unbekannte Freinet-Zielgruppen", self.unknown_groups),
        ):
            if names:
                listed = ", ".join(f"{n} ({c}×)" for n, c in sorted(names.items()))
                out.append(f"  {title} – in content/freinet-mapping.yaml ergänzen: {listed}")
        if self.inferred:
            shown = ", ".join(self.inferred[:INFERRED_SHOWN])
            more = (
                f" und {len(self.inferred) - INFERRED_SHOWN} weitere"
                if len(self.inferred) > INFERRED_SHOWN
                else ""
            )
            out.append(
                f"  Interessen erschlossen aus Titel/Beschreibung: {len(self.inferred)} Angebote "
                f"– bitte prüfen (interests_inferred: true): {shown}{more}"
            )
        if self.details is not None:
            out.append(f"  {self.details.line()}")
        if self.ignored_columns:
            out.append(f"  unbekannte Spalten ignoriert: {', '.join(self.ignored_columns)}")
        out.append(f"  geschrieben: {self.written}" if self.written else "  Datei unverändert")
        return out


def detect_format(name: str, data: bytes) -> Format:
    """By extension, else by content: XML starts with '<'."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xml":
        return "freinet"
    if suffix in {".csv", ".tsv", ".txt"}:
        return "csv"
    return "freinet" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "csv"


def import_offers(
    settings: Settings, data: bytes, name: str, *, dry_run: bool = False
) -> ImportReport:
    """Import one file's bytes; raise ImportFailed (nothing changed) when it is unusable or
    another import runs (a dry run only reads, so it runs beside one)."""
    if dry_run:
        return _import(settings, data, name, dry_run=True)
    with _exclusive(settings, MANUAL):
        return _import(settings, data, name, dry_run=False)


def _import(settings: Settings, data: bytes, name: str, *, dry_run: bool) -> ImportReport:
    content = _current_content(settings)
    builder = OfferBuilder(content)
    try:
        if detect_format(name, data) == "freinet":
            parsed = parse_freinet(data, name, builder, content.freinet_mapping)
        else:
            parsed = parse_csv(data, name, builder)
    except SourceError as exc:
        raise ImportFailed(str(exc)) from exc
    existing = _imported_offers(settings.content_dir)
    offers, report = merge(existing, parsed)
    if offers != existing and not dry_run:
        report.written = _write(settings, offers)
    return report


async def sync_freinet(
    settings: Settings,
    get: HttpGet,
    *,
    dry_run: bool = False,
    pace: Pace | None = None,
    who: str = SYNC,
) -> ImportReport:
    """Fetch the agency's offer list from Freinet (by `get`) and import it; with
    FREINET_DETAILS, first the areas of offers the list sends without (`details.py`)."""
    if dry_run:
        return await _sync(settings, get, dry_run=True, pace=pace)
    with _exclusive(settings, who):  # the whole run: the details take a while
        return await _sync(settings, get, dry_run=False, pace=pace)


async def _sync(
    settings: Settings, get: HttpGet, *, dry_run: bool, pace: Pace | None
) -> ImportReport:
    stats: DetailStats | None = None
    try:
        data = await fetch_offer_list(settings, get)
        if settings.freinet_details:
            pace = pace or Pace(settings.freinet_details_interval)
            data, stats = await add_details(settings, get, data, pace, save=not dry_run)
    except SourceError as exc:
        raise ImportFailed(str(exc)) from exc
    # Parsing, place matching and validation take a while: keep the event loop free.
    report = await asyncio.to_thread(_import, settings, data, "Freinet", dry_run=dry_run)
    report.details = stats
    return report


@contextmanager
def _exclusive(settings: Settings, who: str) -> Iterator[None]:
    try:
        with exclusive(settings.content_dir, who):
            yield
    except ImportBusy as exc:
        raise ImportRunning(str(exc)) from exc
    except ImportLockError as exc:
        raise ImportFailed(str(exc)) from exc


def merge(existing: list[Offer], parsed: Parsed) -> tuple[list[Offer], ImportReport]:
    """The new content of the imported file: other sources as they were, this one merged."""
    report = ImportReport(
        parsed.source,
        rejected=list(parsed.rejections),
        unknown_areas=parsed.unknown_areas,
        unknown_groups=parsed.unknown_groups,
        ignored_columns=parsed.ignored_columns,
    )
    mine = {o.source_id: o for o in existing if o.source == parsed.source}
    result = [o for o in existing if o.source != parsed.source]
    by_id = {o.id: source_id for source_id, o in mine.items()}
    for offer in parsed.offers:
        # By source id; by our id when only its spelling changed ("Tafel 1" → "tafel-1").
        old = mine.pop(offer.source_id, None) or mine.pop(by_id.get(offer.id, ""), None)
        result.append(_merge_one(old, offer, parsed, report))
    kept = {r.source_id for r in parsed.rejections if r.source_id and not r.withdrawn}
    for source_id, old in mine.items():
        if old.archived or source_id in kept:  # a rejected row keeps its last good version
            result.append(old)
        else:
            result.append(old.model_copy(update={"archived": True}))
            report.archived.append(old.id)
    return sorted(result, key=lambda o: o.id), report


def _merge_one(old: Offer | None, new: Offer, parsed: Parsed, report: ImportReport) -> Offer:
    new = _keep_known_interests(old, new)
    if new.interests_inferred:
        report.inferred.append(new.id)
    if old is None:
        report.new.append(new.id)
        return new
    if new.source_id in parsed.undated:  # no date in the source: only a change moves it
        new = new.model_copy(update={"updated": old.updated})
    if old.archived:
        report.restored.append(new.id)
        return new
    if new == old:
        report.unchanged.append(new.id)
        return old
    report.updated.append(new.id)
    if new.source_id in parsed.undated:
        new = new.model_copy(update={"updated": clock.today()})
    return new


def _keep_known_interests(old: Offer | None, new: Offer) -> Offer:
    """Interests read from the text never replace better ones of the earlier import: those
    from Freinet's areas (say, the detail endpoint failed tonight) or those a coordinator
    corrected (by deleting `interests_inferred: true`)."""
    if old is None or not new.interests_inferred or old.interests_inferred:
        return new
    return new.model_copy(update={"interests": old.interests, "interests_inferred": False})


def _current_content(settings: Settings) -> Content:
    try:
        return load_content(
            settings.content_dir, settings.knowledge_dir, faq_max_age_days=settings.faq_max_age_days
        )
    except ContentError as exc:
        first = next((str(p) for p in exc.problems if p.severity == "error"), "")
        raise ImportFailed(
            f"Inhalte fehlerhaft – erst `lotse check` beheben, dann importieren ({first})"
        ) from exc


def _imported_offers(content_dir: Path) -> list[Offer]:
    path = content_dir / IMPORTED_OFFERS
    if not path.exists():
        return []
    read = read_offers(path, str(path))  # load_content has already validated it
    if read.table is None:
        raise ImportFailed(f"{path}: nicht lesbar ({read.problems[0]})")
    return list(read.table)


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a `|` block, so the generated file reads like the hand-written."""


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def render(offers: list[Offer]) -> str:
    out = io.StringIO()
    _render_into(out, offers)
    return out.getvalue()


def _render_into(out: TextIO, offers: list[Offer]) -> None:
    """The file, one offer at a time: dumping the whole list at once would hold a YAML node
    of every offer (gigabytes for 100,000); the text is the same."""
    out.write(HEADER + "\n")
    if not offers:
        out.write(_dump({"offers": []}))
        return
    out.write("offers:\n")
    for offer in offers:
        out.write(_dump([offer.model_dump(mode="python", exclude_defaults=True)]))


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _write(settings: Settings, offers: list[Offer]) -> Path:
    """Temp file, validated together with all other content, then renamed over the old."""
    target = settings.content_dir / IMPORTED_OFFERS
    fd, name = tempfile.mkstemp(dir=settings.content_dir, prefix=".offers-imported.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            _render_into(handle, offers)
            handle.flush()
            os.fsync(handle.fileno())
        load_content(
            settings.content_dir,
            settings.knowledge_dir,
            faq_max_age_days=settings.faq_max_age_days,
            imported_offers=temp,
        )
        os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temp, target)
    except ContentError as exc:
        errors = "\n".join(str(p) for p in exc.problems if p.severity == "error")
        raise ImportFailed(
            f"Ergebnis des Imports nicht gültig – nichts geändert:\n{errors}"
        ) from exc
    finally:
        temp.unlink(missing_ok=True)
    return target
