"""Shared by the CSV and the Freinet import: from one source record to a checked `Offer`.

Every record either becomes an offer that passes the same schema and cross-checks as a
hand-written one (place from places.yaml, interests from taxonomy.yaml), or a rejection
with a reason a coordinator can act on. A bad record never stops the others.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.content.documents import explain
from bot.content.model import Content
from bot.content.schema import SLUG_PATTERN, Offer
from bot.content.validate import suggest
from bot.matching.interests import InterestMatcher
from bot.matching.places import Place, PlaceResolver

MAX_DESCRIPTION = 3000


class SourceError(Exception):
    """The whole file is unusable (syntax, missing columns); the message is one line."""


class Reject(Exception):
    """One record cannot become an offer; the message says why."""


@dataclass(frozen=True)
class Rejection:
    where: str  # "Zeile 7" or "angebotsId 4711": where the coordinator finds it
    reason: str
    source_id: str | None = None  # an earlier import of it stays as it was
    withdrawn: bool = False  # the source says it is over: archive an earlier import


@dataclass
class Parsed:
    """What one source file yielded, before it is merged with earlier imports."""

    source: str  # "freinet" or "csv"
    offers: list[Offer] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    undated: set[str] = field(default_factory=set)  # source ids without a date of their own
    inferred: set[str] = field(default_factory=set)  # source ids with interests from their text
    unknown_areas: Counter[str] = field(default_factory=Counter)
    unknown_groups: Counter[str] = field(default_factory=Counter)
    ignored_columns: list[str] = field(default_factory=list)


def slug(raw: str) -> str:
    """'Tafel Nr. 1' → 'tafel-nr-1': the form our ids take."""
    text = unicodedata.normalize("NFKD", raw.lower().replace("ß", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def number(raw: str | None, what: str) -> float | None:
    """A number as people type it ('1,5' too); empty → None."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise Reject(f"{what}: {raw!r} ist keine Zahl") from exc


def day(raw: str | None, what: str) -> dt.date | None:
    """JJJJ-MM-TT or TT.MM.JJJJ; empty → None."""
    text = (raw or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise Reject(f"{what}: {raw!r} ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)")


class OfferBuilder:
    """Knows the region and the taxonomy; turns field values into a valid `Offer`."""

    def __init__(self, content: Content) -> None:
        self.resolver = PlaceResolver(content.places)
        taxonomy = content.taxonomy.interests
        self.interest_ids = [i.id for i in taxonomy] + [s.id for i in taxonomy for s in i.subtopics]
        self.matcher = InterestMatcher(content.taxonomy)
        self._order = {interest.id: n for n, interest in enumerate(taxonomy)}

    def make_id(self, prefix: str, raw: str) -> str:
        ident = f"{prefix}-{slug(raw)}"
        if not slug(raw):
            raise Reject(f"Kennung {raw!r} enthält keine Buchstaben oder Ziffern")
        if not re.match(SLUG_PATTERN, ident):
            raise Reject(f"Kennung {raw!r} ist zu lang (höchstens {40 - len(prefix) - 1} Zeichen)")
        return ident

    def check_interests(self, ids: list[str]) -> list[str]:
        for interest in ids:
            if interest not in self.interest_ids:
                raise Reject(
                    f"unbekanntes Interessengebiet '{interest}' – siehe taxonomy.yaml."
                    f"{suggest(interest, self.interest_ids)}"
                )
        if not ids:
            raise Reject("kein Interessengebiet angegeben")
        return list(dict.fromkeys(ids))

    def infer_interests(self, *texts: str) -> list[str]:
        """Interest ids read from an offer's own text, as the dialogue reads a person's
        message (`InterestMatcher.classify`, only confident hits). `texts` go from the most
        to the least specific (title, short text, description): the longer text is read only
        when the shorter names nothing, since a long description also mentions what the
        activity is not about ("für Groß und Klein", "wir lesen vor")."""
        read = ""
        for text in texts:
            read = f"{read}\n{text}" if read else text
            # Equal scores in the taxonomy's order: the matcher's order of ties follows set
            # iteration, which differs between processes – and a re-import must not churn.
            scores = sorted(
                self.matcher.classify(read), key=lambda s: (-s.score, self._order[s.id])
            )
            chosen = self.matcher.confident_ids(scores)
            if chosen:
                by_id = {s.id: s.subtopic for s in scores}
                ids = [i for top in chosen for i in (top, by_id[top]) if i]
                return list(dict.fromkeys(ids))
        return []

    def place(self, lat: float | None, lon: float | None, text: str) -> Place:
        """Coordinates first (nearest place), else the place name; outside → rejected."""
        if lat is not None and lon is not None:
            return self._near(lat, lon)
        text = " ".join(text.split())
        if not text:
            raise Reject("weder Ort noch Koordinaten angegeben")
        result = self.resolver.resolve(text)
        names = ", ".join(p.label for p in result.places)
        if result.status == "found" and result.place is not None:
            return result.place
        if result.status == "outside":
            raise Reject(f"Ort '{text}' liegt außerhalb der Region ({names})")
        if result.status == "ambiguous":
            raise Reject(f"Ort '{text}' ist mehrdeutig ({names}) – Gemeinde ergänzen")
        if result.status == "unsure":
            raise Reject(f"Ort '{text}' nicht sicher erkannt – meinten Sie: {names}?")
        raise Reject(f"unbekannter Ort '{text}' – Ortsteil oder Gemeinde aus places.yaml angeben")

    def _near(self, lat: float, lon: float) -> Place:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Reject(f"ungültige Koordinaten {lat}, {lon}")
        result = self.resolver.nearest(lat, lon)
        place = result.place
        if result.status == "found" and place is not None:
            return place
        # A neighbouring town when one is nearest; far away, the resolver echoes the point.
        near = f" (nächster Ort: {place.name})" if place in self.resolver.places else ""
        raise Reject(f"Koordinaten {lat:.4f}, {lon:.4f} liegen außerhalb der Region{near}")

    @staticmethod
    def offer(values: dict[str, Any]) -> Offer:
        """Validate with the schema of offers.yaml; the first problem becomes the reason."""
        try:
            return Offer.model_validate(values)
        except ValidationError as exc:
            raise Reject(explain(exc.errors()[0])) from exc


def clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """Cut long multi-line text at a space, keeping its line breaks."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"
