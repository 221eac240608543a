"""Load the whole content tree at once: all files validate, or nothing loads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content import schema
from bot.content.offer_table import OfferTable
from bot.content.yamlio import LocatedDocument, Problem, YamlSyntaxError, read_yaml

M = TypeVar("M", bound=BaseModel)

CONTENT_FILES: dict[str, type[BaseModel]] = {
    "texts.yaml": schema.TextsFile,
    "dialog.yaml": schema.DialogFile,
    "taxonomy.yaml": schema.TaxonomyFile,
    "places.yaml": schema.PlacesFile,
    "offers.yaml": schema.OffersFile,
    "lotsen.yaml": schema.LotsenFile,
    "leads.yaml": schema.LeadsFile,
}
# Written by `lotse offers import` (never by hand) and merged with offers.yaml.
IMPORTED_OFFERS = "offers-imported.yaml"
# Freinet's areas → our interest ids, for the Freinet import.
FREINET_MAPPING = "freinet-mapping.yaml"
# The regional calendar ("Was ist los?"); without the file the calendar is empty.
EVENTS = "events.yaml"
# Example first messages per menu option (bot/understanding); without it only synonyms count.
INTENTS = "intents.yaml"
# Offers files are streamed, one offer at a time, into a compact table (offer_table.py).
OFFER_FILES = ("offers.yaml", IMPORTED_OFFERS)
OPTIONAL_FILES: dict[str, type[BaseModel]] = {
    IMPORTED_OFFERS: schema.OffersFile,
    FREINET_MAPPING: schema.FreinetMappingFile,
    EVENTS: schema.EventsFile,
    INTENTS: schema.IntentsFile,
}


@dataclass(frozen=True)
class Content:
    """Everything coordinators maintain, validated and cross-checked."""

    texts: schema.TextsFile
    dialog: schema.DialogFile
    taxonomy: schema.TaxonomyFile
    places: schema.PlacesFile
    offers: OfferTable  # any sequence of offers given here becomes a compact table
    lotsen: list[schema.Lotse]
    faq: list[schema.FaqEntry]
    faq_examples: dict[str, list[str]] = field(default_factory=dict)  # knowledge `examples:`
    leads: schema.LeadsFile = field(default_factory=schema.LeadsFile)
    warnings: tuple[Problem, ...] = ()
    freinet_mapping: schema.FreinetMappingFile | None = None
    events: schema.EventsFile = field(default_factory=schema.EventsFile)  # events.yaml
    # intents.yaml `examples:`: menu option value (or "none") → example first messages
    intent_examples: dict[str, list[str]] = field(default_factory=dict)
    intent_cues: dict[str, list[str]] = field(default_factory=dict)  # intents.yaml `cues:`

    def __post_init__(self) -> None:
        object.__setattr__(self, "offers", OfferTable.of(self.offers))

    @property
    def languages(self) -> list[str]:
        return self.texts.languages

    def text(self, key: str, lang: str, **values: Any) -> str:
        variants = self.texts.texts.get(key)
        if variants is None:  # validation makes this unreachable for keys named in content
            return key
        template = variants.get(lang) or variants[self.languages[0]]
        if not values:
            return template
        try:
            return template.format_map(_KeepUnknown(values))
        except (ValueError, IndexError):  # a stray brace in a coordinator's text
            return template


class _KeepUnknown(dict[str, Any]):
    """Placeholders without a value stay visible as {name} instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class ContentError(Exception):
    """Content did not validate; `problems` lists every error (and warning) found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} Fehler im Inhalt:\n" + "\n".join(map(str, errors)))


def _where(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "Datei"


def _explain(error: dict[str, Any]) -> str:
    """Turn a pydantic error into a German sentence that says how to fix it."""
    loc = tuple(error["loc"])
    field = _where(loc)
    kind = error["type"]
    if kind == "missing":
        return f"Pflichtfeld '{loc[-1]}' fehlt in {_where(loc[:-1])} – bitte ergänzen"
    if kind == "extra_forbidden":
        return (
            f"unbekanntes Feld '{loc[-1]}' – Tippfehler im Feldnamen? "
            "Bitte korrigieren oder entfernen"
        )
    if kind == "string_pattern_mismatch":
        return (
            f"{field}: ungültige Kennung {error.get('input')!r} – erlaubt sind Kleinbuchstaben "
            "a–z, Ziffern und '-', höchstens 40 Zeichen"
        )
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        return f"{field}: ungültiger Wert {error.get('input')!r} – erlaubt: {allowed}"
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return (
            f"{field}: kein gültiges Datum {error.get('input')!r} – "
            "Format JJJJ-MM-TT, z. B. 2026-11-25"
        )
    if kind == "string_type" and isinstance(error.get("input"), bool):
        return (
            f"{field}: yes/no/on/off/true/false liest YAML als Wahrheitswert – "
            'bitte in Anführungszeichen setzen, z. B. "no"'
        )
    if kind == "string_type" and error.get("input") is None:
        return (
            f"{field}: Wert fehlt – enthält der Text ein Komma oder einen Doppelpunkt? "
            "Dann bitte in Anführungszeichen setzen"
        )
    if kind in {"time_parsing", "time_type"}:
        return f"{field}: keine gültige Uhrzeit {error.get('input')!r} – Format HH:MM, z. B. 14:30"
    if kind == "value_error":  # our own validators (e.g. times) word their message in German
        return f"{field}: {error.get('ctx', {}).get('error', error['msg'])}"
    if kind in {"too_short", "string_too_short"}:
        return f"{field}: darf nicht leer sein"
    if kind in {"too_long", "string_too_long"}:
        return f"{field}: zu lang ({error['msg']})"
    return f"{field}: {error['msg']}"


def validate_document(document: LocatedDocument, model: type[M]) -> tuple[M | None, list[Problem]]:
    if document.data is None:
        return None, [document.problem((), "Datei ist leer")]
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        problems = [document.problem(tuple(e["loc"]), _explain(e)) for e in exc.errors()]
        return None, problems


def _load_file(
    path: Path, shown: str, model: type[M]
) -> tuple[M | None, LocatedDocument | None, list[Problem]]:
    try:
        document = read_yaml(path, shown)
    except YamlSyntaxError as exc:
        return None, None, [exc.problem]
    parsed, problems = validate_document(document, model)
    return parsed, document, problems


def _load_offers(
    path: Path,
    shown: str,
    parsed: dict[str, Any],
    problems: list[Problem],
    checks: list[Problem],
) -> OfferTable | None:
    """An offers file, streamed (see offers_file.py); imported offers must not reuse the
    ids of offers.yaml, which is read first."""
    from bot.content.offers_file import read_offers  # local: it imports from here
    from bot.content.validate import OfferChecker

    places, taxonomy = parsed.get("places.yaml"), parsed.get("taxonomy.yaml")
    hand: OfferTable | None = parsed.get("offers.yaml")
    taken = hand.id_list() if hand is not None else []  # None while reading offers.yaml
    new_checker = (lambda: OfferChecker(places, taxonomy, taken)) if places and taxonomy else None
    read = read_offers(path, shown, new_checker)
    problems += read.problems
    checks += read.checks
    return read.table


def load_content(
    content_dir: Path,
    knowledge_dir: Path,
    *,
    faq_max_age_days: int = 365,
    imported_offers: Path | None = None,
) -> Content:
    """Load and cross-check every file; raise ContentError listing all problems if any fails.

    `imported_offers` reads the imported offers from another file (shown under the usual
    name), so the importer can validate a new version before it replaces the old one.
    """
    from bot.content.validate import cross_check  # local: validate imports Content from here

    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    documents: dict[str, LocatedDocument] = {}
    offer_checks: list[Problem] = []  # cross-file problems of offers, found while streaming
    for name, model in CONTENT_FILES.items():
        shown = str(content_dir / name)
        if name in OFFER_FILES:
            parsed[name] = _load_offers(content_dir / name, shown, parsed, problems, offer_checks)
            continue
        value, document, found = _load_file(content_dir / name, shown, model)
        problems += found
        parsed[name], documents[name] = value, document
    for name, model in OPTIONAL_FILES.items():
        path = content_dir / name
        if name == IMPORTED_OFFERS and imported_offers is not None:
            path = imported_offers
        if path.exists() and name in OFFER_FILES:
            shown = str(content_dir / name)
            parsed[name] = _load_offers(path, shown, parsed, problems, offer_checks)
        elif path.exists():
            value, document, found = _load_file(path, str(content_dir / name), model)
            problems += found
            parsed[name], documents[name] = value, document

    knowledge: list[tuple[schema.KnowledgeFile, LocatedDocument]] = []
    for path in sorted(knowledge_dir.glob("*.yaml")):
        value, document, found = _load_file(path, str(path), schema.KnowledgeFile)
        problems += found
        if value is not None and document is not None:
            knowledge.append((value, document))

    if any(v is None for v in parsed.values()):
        raise ContentError(problems)
    content = Content(
        texts=parsed["texts.yaml"],
        dialog=parsed["dialog.yaml"],
        taxonomy=parsed["taxonomy.yaml"],
        places=parsed["places.yaml"],
        offers=parsed["offers.yaml"].with_extra(parsed.get(IMPORTED_OFFERS, ())),
        lotsen=parsed["lotsen.yaml"].lotsen,
        leads=parsed["leads.yaml"],
        faq=[entry for file, _ in knowledge for entry in file.faq],
        faq_examples=_examples(file for file, _ in knowledge),
        freinet_mapping=parsed.get(FREINET_MAPPING),
        events=parsed.get(EVENTS) or schema.EventsFile(),
        intent_examples=_intent_examples(parsed.get(INTENTS)),
        intent_cues=dict(parsed[INTENTS].cues) if parsed.get(INTENTS) else {},
    )
    problems += cross_check(
        content,
        documents,
        knowledge,
        faq_max_age_days=faq_max_age_days,
        offer_problems=offer_checks,
    )
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    return Content(**{**content.__dict__, "warnings": tuple(problems)})


def _examples(files: Iterable[schema.KnowledgeFile]) -> dict[str, list[str]]:
    """The `examples:` of all knowledge files, per entry id."""
    merged: dict[str, list[str]] = {}
    for file in files:
        for key, questions in file.examples.items():
            merged.setdefault(key, []).extend(questions)
    return merged


def _intent_examples(file: schema.IntentsFile | None) -> dict[str, list[str]]:
    if file is None:
        return {}
    return {key: [text for text in texts if text.strip()] for key, texts in file.examples.items()}


def summary(content: Content) -> str:
    """One line for `lotse check` and /reload: what was loaded."""
    places = sum(len(g.ortsteile) for g in content.places.gemeinden)
    archived = content.offers.count_archived()
    offers = f"{len(content.offers) - archived} Angebote" + (
        f" (+{archived} archiviert)" if archived else ""
    )
    return (
        f"{len(content.dialog.steps)} Dialogschritte, {len(content.texts.texts)} Texte, "
        f"{offers}, {len(content.lotsen)} Lotsen, {places} Orte, "
        f"{len(content.faq)} FAQ-Einträge, {len(content.events.events)} Veranstaltungen"
    )
