"""Load the whole content tree at once: all files validate, or nothing loads."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.content import schema
from bot.content.documents import M, validate_document
from bot.content.model import (
    CONTENT_FILES,
    EVENTS,
    FREINET_MAPPING,
    IMPORTED_OFFERS,
    INTENT_FILES,
    INTERESTS_LEARNT,
    OFFER_FILES,
    OPTIONAL_FILES,
    WHATSAPP,
    Content,
    ContentError,
)
from bot.content.offer_table import OfferTable
from bot.content.offers_file import read_offers
from bot.content.validate import OfferChecker, cross_check
from bot.content.yamlio import LocatedDocument, Problem, YamlSyntaxError, read_yaml


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
        intent_examples=_merged(file.examples for file in _intent_files(parsed)),
        intent_cues=_merged(file.cues for file in _intent_files(parsed)),
        interest_word_counts=(parsed.get(INTERESTS_LEARNT) or schema.InterestsLearntFile()).words,
        whatsapp=parsed.get(WHATSAPP) or schema.WhatsAppFile(),
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


def _intent_files(parsed: dict[str, Any]) -> list[schema.IntentsFile]:
    return [parsed[name] for name in INTENT_FILES if parsed.get(name) is not None]


def _merged(sections: Iterable[dict[str, list[str]]]) -> dict[str, list[str]]:
    """One section (`examples:` or `cues:`) of all intents files, per option value."""
    merged: dict[str, list[str]] = {}
    for section in sections:
        for key, texts in section.items():
            merged.setdefault(key, []).extend(text for text in texts if text.strip())
    return merged
