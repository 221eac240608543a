"""Freinet's detail endpoint (`OfferServiceEndpoint`): the areas the offer list leaves out.

The list (`MatchingServiceEndpoint`) carries no `globalbereiche`/`zielgruppen`; the detail
of each offer does (freinet_notes.md). With FREINET_DETAILS=1, `sync-freinet` asks for the
detail of every offer that came without areas and adds its areas to the list before the
import reads it, so the mapping in freinet-mapping.yaml applies and nothing needs to be
inferred from the text.

Politeness and cost: one request per FREINET_DETAILS_INTERVAL seconds (`Pace`, its sleep
and its monotonic time are injected), and only for offers changed since the last run –
the answers are cached by the offer's `bearbeitet` in content/.freinet-details.json (not
a *.yaml file, so the content watcher ignores it). A failing detail is no failure of the
sync: that offer's interests are inferred from its text this time and it is asked again
next time; after a few failures in a row the endpoint is left alone for this run.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bot.config import Settings
from bot.offers.build import SourceError
from bot.offers.freinet import (
    AREA_TAGS,
    GROUP_TAGS,
    HttpGet,
    fetch,
    names_in,
    parse_root,
    request_for,
    text_of,
)

DETAIL_FILE = "OfferServiceEndpoint.php"  # beside MatchingServiceEndpoint.php
CACHE_FILE = ".freinet-details.json"
DETAIL_TIMEOUT = 30
DETAIL_MAX_BYTES = 1 << 20
GIVE_UP_AFTER = 3  # failures in a row: the endpoint is down or not open to this key


@dataclass
class DetailStats:
    """What the detail requests of one sync did, for its summary."""

    fetched: int = 0
    cached: int = 0
    failed: int = 0
    skipped: int = 0  # not asked after the endpoint failed GIVE_UP_AFTER times in a row
    problem: str | None = None  # the last failure, one line without the key

    def line(self) -> str:
        text = (
            f"Freinet-Details: {self.fetched} abgerufen, {self.cached} aus dem Zwischenspeicher "
            f"(unverändert seit dem letzten Abruf), {self.failed} nicht abrufbar"
        )
        if self.skipped:
            text += f", {self.skipped} nicht mehr abgefragt"
        if self.problem:
            text += f" – zuletzt: {self.problem}; Interessen dieser Angebote erschlossen"
        return text


class Pace:
    """At most one request per `interval` seconds: Freinet is a small company's server."""

    def __init__(
        self,
        interval: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval, self._sleep, self._monotonic = interval, sleep, monotonic
        self._last: float | None = None

    async def wait(self) -> None:
        if self._last is not None:
            left = self._last + self.interval - self._monotonic()
            if left > 0:
                await self._sleep(left)
        self._last = self._monotonic()


def detail_request_for(settings: Settings, offer_id: str) -> tuple[str, dict[str, str]]:
    """The detail endpoint in the list's folder, with the same credentials (no limit)."""
    url, params = request_for(settings)
    folder = url.rsplit("/", 1)[0]
    query = {"offerId": offer_id, **{k: v for k, v in params.items() if k != "limit"}}
    return f"{folder}/{DETAIL_FILE}", query


def parse_detail(data: bytes) -> tuple[list[str], list[str]]:
    """Areas and target groups of `<angebot><angebot_details>`."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise SourceError(f"Detail kein gültiges XML ({type(exc).__name__})") from exc
    if root.tag != "angebot":
        raise SourceError(f"Detail: <{root.tag}> statt <angebot> erhalten")
    details = root.find("angebot_details")
    holder = root if details is None else details
    return names_in(holder, AREA_TAGS), names_in(holder, GROUP_TAGS)


class DetailCache:
    """angebotsId → the `bearbeitet` it was fetched for, and its areas and target groups."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, object]] = {}
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # none yet, or damaged: everything is fetched again
        if isinstance(loaded, dict):
            self.entries = {k: v for k, v in loaded.items() if isinstance(v, dict)}

    def get(self, offer_id: str, version: str) -> tuple[list[str], list[str]] | None:
        entry = self.entries.get(offer_id)
        if not version or entry is None or entry.get("bearbeitet") != version:
            return None
        areas, groups = entry.get("areas"), entry.get("zielgruppen")
        if not isinstance(areas, list) or not isinstance(groups, list):
            return None
        return [str(a) for a in areas], [str(g) for g in groups]

    def put(self, offer_id: str, version: str, areas: list[str], groups: list[str]) -> None:
        if version:  # without a date, a change could not be told: asked every time
            self.entries[offer_id] = {"bearbeitet": version, "areas": areas, "zielgruppen": groups}

    def save(self, keep: set[str]) -> None:
        """Only offers still in the list; written atomically (temp file, then rename)."""
        entries = {k: v for k, v in sorted(self.entries.items()) if k in keep}
        fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=CACHE_FILE, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entries, handle, ensure_ascii=False, indent=1)
            os.replace(name, self.path)
        finally:
            Path(name).unlink(missing_ok=True)


async def add_details(
    settings: Settings, get: HttpGet, data: bytes, pace: Pace, *, save: bool = True
) -> tuple[bytes, DetailStats]:
    """The list with the detail's areas added to every offer that came without."""
    root = parse_root(data, "Freinet")
    cache = DetailCache(settings.content_dir / CACHE_FILE)
    stats = DetailStats()
    failures_in_row = 0
    listed: set[str] = set()
    for element in root.findall("angebot"):
        offer_id = (element.get("angebotsId") or text_of(element, "angebotsId")).strip()
        if not offer_id or _needs_none(element):
            continue
        listed.add(offer_id)
        version = text_of(element, "bearbeitet") or text_of(element, "erstellt")
        known = cache.get(offer_id, version)
        if known is not None:
            stats.cached += 1
            _attach(element, *known)
            continue
        if failures_in_row >= GIVE_UP_AFTER:
            stats.skipped += 1
            continue
        await pace.wait()
        try:
            found = parse_detail(await _fetch_detail(settings, get, offer_id))
        except SourceError as exc:
            stats.failed += 1
            failures_in_row += 1
            stats.problem = str(exc)
            continue
        failures_in_row = 0
        stats.fetched += 1
        cache.put(offer_id, version, *found)
        _attach(element, *found)
    if save:
        cache.save(listed)
    return tostring(root, encoding="utf-8"), stats


def _needs_none(element: Element) -> bool:
    """The list named areas itself, or the offer seeks nobody (it will not be imported)."""
    sought = text_of(element, "anzahl_gesuche").strip()
    return bool(names_in(element, AREA_TAGS)) or sought in {"0", "0.0"}


async def _fetch_detail(settings: Settings, get: HttpGet, offer_id: str) -> bytes:
    url, params = detail_request_for(settings, offer_id)
    return await fetch(get, url, params, timeout=DETAIL_TIMEOUT, max_bytes=DETAIL_MAX_BYTES)


def _attach(element: Element, areas: list[str], groups: list[str]) -> None:
    for tag, names in (("globalbereiche", areas), ("zielgruppen", groups)):
        if names:
            holder = SubElement(element, tag)
            for name in names:
                SubElement(holder, "element").text = name
