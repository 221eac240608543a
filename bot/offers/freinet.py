"""Offers from Freinet-Online: the agency's offer list (`MatchingServiceEndpoint`, XML).

The format is known only from public client code (see shared/data/freinet_notes.md), so
the parser is lenient where that code is: unknown elements are ignored, missing optional
ones are fine, a missing required one rejects that one offer. The XML comes from the
network and is parsed without DTDs or entity declarations (defusedxml).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote
from xml.etree.ElementTree import Element, ParseError, tostring
from zoneinfo import ZoneInfo

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bot import clock
from bot.config import Settings
from bot.content.schema import FreinetMappingFile, Offer
from bot.offers.build import (
    MAX_DESCRIPTION,
    OfferBuilder,
    Parsed,
    Reject,
    Rejection,
    SourceError,
    clip,
    number,
)
from bot.offers.htmltext import html_to_text, shorten

SOURCE = "freinet"
ROOT = "angebotsliste"
AREA_TAGS = ("globalbereiche", "taetigkeitsbereiche", "bereiche")
GROUP_TAGS = ("zielgruppen",)
BERLIN = ZoneInfo("Europe/Berlin")
SUMMARY_CHARS = 300
AGENCY_PATH = "/query/api/MatchingServiceEndpoint.php"
PORTAL_PATH = "/query/api/portal/v1/MatchingServiceEndpoint.php"
LIMIT = 10000
TIMEOUT_SECONDS = 60
MAX_BYTES = 50 * 1024 * 1024


# --- parsing ---------------------------------------------------------------------------


def parse_root(data: bytes, name: str) -> Element:
    """The `<angebotsliste>` element, or SourceError with one line saying what is wrong."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except ParseError as exc:
        raise SourceError(f"{name}: kein gültiges XML ({exc})") from exc
    except DefusedXmlException as exc:
        raise SourceError(f"{name}: XML mit DTD oder Entitäten abgelehnt ({exc})") from exc
    if root.tag != ROOT:
        said = shorten(" ".join(root.itertext()), 120)
        raise SourceError(f"{name}: <{root.tag}> statt <{ROOT}> erhalten – {said or 'leer'}")
    return root


def parse_freinet(
    data: bytes, name: str, builder: OfferBuilder, mapping: FreinetMappingFile | None
) -> Parsed:
    """All offers of the list; bad ones become rejections under their angebotsId."""
    if mapping is None:
        raise SourceError(
            "content/freinet-mapping.yaml fehlt – ohne Zuordnung der Freinet-Bereiche "
            "kein Import (Vorlage im Repository)"
        )
    root = parse_root(data, name)
    parsed = Parsed(SOURCE)
    reader = _Reader(builder, mapping, parsed)
    for number_, element in enumerate(root.findall("angebot"), start=1):
        reader.read(element, number_)
    return parsed


def text_of(element: Element, *tags: str) -> str:
    """Text of the first child named like one of `tags`; inner markup kept as HTML."""
    for tag in tags:
        child = element.find(tag)
        if child is not None:
            inner = (child.text or "") + "".join(tostring(c, encoding="unicode") for c in child)
            return inner.strip()
    return ""


def names_in(element: Element, tags: tuple[str, ...]) -> list[str]:
    """Area or target group names: `<element>` children, or one text split at , ; |."""
    names: list[str] = []
    for tag in tags:
        for child in element.findall(tag):
            items = list(child)
            texts = (
                [(c.text or "") for c in items] if items else re.split(r"[,;|\n]", child.text or "")
            )
            names += [" ".join(t.split()) for t in texts if t.strip()]
    return list(dict.fromkeys(names))


def _timestamp(raw: str) -> dt.date | None:
    """Freinet's Unix time as a local date; None when empty or nonsense."""
    try:
        seconds = int(float(raw))
        return dt.datetime.fromtimestamp(seconds, BERLIN).date() if seconds > 0 else None
    except (ValueError, OverflowError, OSError):
        return None


def _coordinate(raw: str, low: float, high: float) -> float | None:
    """A coordinate, or None for empty, 0 (Freinet's "unknown") or out of range."""
    try:
        value = number(raw, "Koordinate")
    except Reject:
        return None
    return value if value and low <= value <= high else None


class _Withdrawn(Reject):
    """anzahl_gesuche 0: the offer seeks nobody now, so an earlier import is archived."""


class _Reader:
    """Reads one `<angebot>` after the other into `parsed`."""

    def __init__(self, builder: OfferBuilder, mapping: FreinetMappingFile, parsed: Parsed) -> None:
        self.builder, self.mapping, self.parsed = builder, mapping, parsed
        self.areas = {" ".join(k.split()).casefold(): v for k, v in mapping.areas.items()}
        self.groups = {" ".join(k.split()).casefold(): v for k, v in mapping.target_groups.items()}
        self.seen: set[str] = set()

    def read(self, element: Element, position: int) -> None:
        source_id = (element.get("angebotsId") or text_of(element, "angebotsId")).strip()
        where = f"angebotsId {source_id}" if source_id else f"Angebot Nr. {position}"
        try:
            if not source_id:
                raise Reject("angebotsId fehlt")
            if source_id in self.seen:
                raise Reject("angebotsId doppelt in der Liste – nur der erste Eintrag zählt")
            self.seen.add(source_id)
            offer, dated = self._offer(element, source_id)
        except Reject as exc:
            withdrawn = isinstance(exc, _Withdrawn)
            self.parsed.rejections.append(
                Rejection(where, str(exc), source_id or None, withdrawn=withdrawn)
            )
            return
        self.parsed.offers.append(offer)
        if not dated:
            self.parsed.undated.add(source_id)

    def _offer(self, element: Element, source_id: str) -> tuple[Offer, bool]:
        sought = text_of(element, "anzahl_gesuche")
        if sought.strip() in {"0", "0.0"}:
            raise _Withdrawn("sucht derzeit niemanden (anzahl_gesuche 0)")
        title = shorten(html_to_text(text_of(element, "angebotsname")), 80)
        organisation = shorten(html_to_text(text_of(element, "einrichtungsname")), 120)
        for value, tag in ((title, "angebotsname"), (organisation, "einrichtungsname")):
            if not value:
                raise Reject(f"{tag} fehlt")
        description = clip(html_to_text(text_of(element, "beschreibung")), MAX_DESCRIPTION)
        short = html_to_text(text_of(element, "kurz_beschreibung"))
        interests, inferred = self._interests(element, (title, short, description))
        place = self.builder.place(
            _coordinate(text_of(element, "geo_breite", "geo_x"), -90, 90),
            _coordinate(text_of(element, "geo_laenge", "geo_y"), -180, 180),
            " ".join(text_of(element, tag) for tag in ("plz", "ort")),
        )
        summary = short or description.split("\n")[0]
        changed = _timestamp(text_of(element, "bearbeitet")) or _timestamp(
            text_of(element, "erstellt")
        )
        defaults = self.mapping.defaults
        url = defaults.detail_url.replace("{id}", quote(source_id)) if defaults.detail_url else None
        offer = self.builder.offer(
            {
                "id": self.builder.make_id("fn", source_id),
                "title": title,
                "organisation": organisation,
                "place": place.name,
                "gemeinde": place.gemeinde,
                "interests": interests,
                "interests_inferred": inferred,
                "summary": shorten(summary, SUMMARY_CHARS) or title,
                "schedule": {
                    "kind": "flexible",
                    "text": defaults.schedule_text,
                    "short": defaults.schedule_short,
                },
                "contact": defaults.contact,
                "updated": changed or clock.today(),
                "source": SOURCE,
                "source_id": source_id,
                "url": url,
                "description": description,
            }
        )
        if inferred:
            self.parsed.inferred.add(source_id)
        return offer, changed is not None

    def _interests(self, element: Element, texts: tuple[str, ...]) -> tuple[list[str], bool]:
        """Mapped areas first, then target groups; unknown names are counted for the report.
        Without any mapped one (the list endpoint carries no areas), the interests are read
        from the offer's own text – marked as inferred, for a coordinator to check."""
        ids: list[str] = []
        areas = names_in(element, AREA_TAGS)
        for table, names, unknown in (
            (self.areas, areas, self.parsed.unknown_areas),
            (self.groups, names_in(element, GROUP_TAGS), self.parsed.unknown_groups),
        ):
            for name in names:
                mapped = table.get(name.casefold())
                if mapped is None:
                    unknown[name] += 1
                else:
                    ids += mapped
        if ids:
            return self.builder.check_interests(ids), False
        inferred = self.builder.infer_interests(*texts)
        if inferred:
            return self.builder.check_interests(inferred), True
        listed = ", ".join(f"'{a}'" for a in areas) or "keine angegeben"
        raise Reject(
            f"kein Tätigkeitsbereich zugeordnet ({listed}) und aus Titel/Beschreibung kein "
            "Interessengebiet erkennbar – Bereich in content/freinet-mapping.yaml ergänzen "
            "oder in Freinet angeben"
        )


# --- fetching --------------------------------------------------------------------------


class FreinetConfigError(SourceError):
    """FREINET_* settings are missing."""


def request_for(settings: Settings) -> tuple[str, dict[str, str]]:
    """Endpoint URL and query as freinet_notes.md describes: per agency or per portal."""
    agency, portal = settings.freinet_agency_id, settings.freinet_portal_id
    if not settings.freinet_url or not settings.freinet_key or not (agency or portal):
        raise FreinetConfigError(
            "Freinet ist nicht eingerichtet: FREINET_URL, FREINET_AGENCY_ID (oder "
            "FREINET_PORTAL_ID) und FREINET_KEY setzen"
        )
    base = settings.freinet_url.rstrip("/")
    if agency:
        url = base if base.endswith(".php") else base + AGENCY_PATH
        return url, {"agencyId": agency, "accessKey": settings.freinet_key, "limit": str(LIMIT)}
    url = base if base.endswith(".php") else base + PORTAL_PATH
    return url, {"portalId": portal or "", "accessKey": settings.freinet_key, "limit": str(LIMIT)}


class HttpGet(Protocol):
    """One HTTP GET: how the importer reaches Freinet. The runtime passes the aiohttp one
    (`bot.runtime.http.http_get`); tests may pass their own. It raises `TimeoutError` when
    the answer takes longer than `timeout`, `ResponseTooLarge` beyond `max_bytes` and
    `Unreachable` (naming the error's type and the host, never the URL) otherwise."""

    async def __call__(
        self, url: str, params: Mapping[str, str], *, timeout: float, max_bytes: int
    ) -> HttpResponse: ...


@dataclass(frozen=True)
class HttpResponse:
    status: int
    reason: str
    body: bytes


class Unreachable(Exception):
    """The server could not be reached; the message holds no URL (it would hold the key)."""


class ResponseTooLarge(Exception):
    """The answer was longer than allowed; reading stopped there."""


async def fetch_offer_list(
    settings: Settings, get: HttpGet, timeout: float = TIMEOUT_SECONDS
) -> bytes:
    """The XML bytes; errors as SourceError that never show the access key."""
    url, params = request_for(settings)
    return await fetch(get, url, params, timeout=timeout, max_bytes=MAX_BYTES)


async def fetch(
    get: HttpGet, url: str, params: Mapping[str, str], *, timeout: float, max_bytes: int
) -> bytes:
    """One answer of Freinet (list or detail); errors as SourceError without the key."""
    try:
        response = await get(url, params, timeout=timeout, max_bytes=max_bytes)
    except TimeoutError as exc:
        raise SourceError(f"Freinet antwortet nicht innerhalb von {timeout:.0f} s") from exc
    except ResponseTooLarge as exc:
        raise SourceError(
            f"Antwort von Freinet größer als {max_bytes >> 20} MB – abgebrochen"
        ) from exc
    except Unreachable as exc:
        raise SourceError(f"Freinet nicht erreichbar ({exc})") from exc
    if response.status != 200:
        raise SourceError(_http_problem(response.status, response.reason))
    return response.body


def _http_problem(status: int, reason: str) -> str:
    hint = {
        401: "Zugangsdaten (FREINET_AGENCY_ID/FREINET_PORTAL_ID, FREINET_KEY) prüfen",
        403: "Zugangsdaten (FREINET_AGENCY_ID/FREINET_PORTAL_ID, FREINET_KEY) prüfen",
        404: "FREINET_URL prüfen",
    }.get(status, "später erneut versuchen" if status >= 500 else "Antwort prüfen")
    return f"Freinet antwortet mit HTTP {status} {reason} – {hint}".replace("  ", " ")
