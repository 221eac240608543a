"""Deep-link payloads for posters: interest AND village in one `/start` payload.

A poster's payload is `p-<interest>_<place slug>`, e.g.
`p-kinder-jugend_zschepplin-hohenpriessnitz`.
Interest ids and slugs contain '-' but never '_', so the one '_' splits them without any
lookup. The slug is the place's folded name (`fold`: ß→ss, umlauts without dots), prefixed
with its Gemeinde for an Ortsteil of another name ("Rödgen" exists in two Gemeinden).
Telegram allows 64 characters of [A-Za-z0-9_-]; a payload that would be longer carries a
short hash of the slug instead (`p-<interest>__<hash>`), found again by hashing every
known place: no table, no server state, and the same payload works for the web chat.

Nothing here imports the PDF libraries: the conversation core and the report use it too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from bot.content.model import Content
from bot.matching.places import Place, PlaceResolver
from bot.text import fold

POSTER = "p"
INTEREST = "i"
OFFER = "o"
SEPARATOR = "_"  # between interest and place; never part of an id or a slug
MAX_PAYLOAD = 64  # Telegram's limit for deep-link payloads
HASH_LENGTH = 10  # hex digits: 40 bits, no collision among a region's few hundred places
PAYLOAD_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Every start payload the project did not issue, counted as one (anyone can make up links:
# they must not write rows of their own into the coordinators' report).
UNKNOWN = "?"


def place_slug(place: Place) -> str:
    """'Hohenprießnitz' in Zschepplin → 'zschepplin-hohenpriessnitz'; 'Delitzsch' → 'delitzsch'."""
    names = [place.name] if place.gemeinde in (None, place.name) else [place.gemeinde, place.name]
    return "-".join("-".join(fold(name).split()) for name in names)


def slug_hash(slug: str) -> str:
    return hashlib.sha256(slug.encode()).hexdigest()[:HASH_LENGTH]


def poster_payload(interest: str, place: Place) -> str:
    """The `/start` payload of a poster for `interest` (area or sub-topic id) in `place`."""
    slug = place_slug(place)
    payload = f"{POSTER}-{interest}{SEPARATOR}{slug}"
    if len(payload) > MAX_PAYLOAD:
        payload = f"{POSTER}-{interest}{SEPARATOR}{SEPARATOR}{slug_hash(slug)}"
    if len(payload) > MAX_PAYLOAD or not PAYLOAD_PATTERN.match(payload):
        raise ValueError(f"payload for {interest!r} does not fit Telegram's rules: {payload!r}")
    return payload


def valid_payload(payload: str) -> bool:
    """Telegram enforces this; the web chat passes on whatever was in its URL."""
    return bool(PAYLOAD_PATTERN.match(payload))


def region_places(resolver: PlaceResolver) -> list[Place]:
    """Every Ortsteil (or Gemeinde without an Ortsteil of its name) inside the region."""
    return [p for p in resolver.places if p.in_region]


@dataclass(frozen=True)
class PosterLink:
    interest: str  # as on the poster (area or sub-topic id); not checked against content
    place: Place | None  # None: the place part names no place of the region (any more)


def parse_poster(ident: str, resolver: PlaceResolver) -> PosterLink | None:
    """'<interest>_<slug>' (the payload without 'p-') → interest and place; None if malformed.

    The slug is looked up exactly, then by its hash, then (a place renamed or spelled
    differently in places.yaml since the poster was printed) with the place matcher.
    """
    interest, separator, rest = ident.partition(SEPARATOR)
    if not separator or not interest or not rest:
        return None
    places = region_places(resolver)
    if rest.startswith(SEPARATOR):
        wanted = rest.removeprefix(SEPARATOR)
        found = next((p for p in places if slug_hash(place_slug(p)) == wanted), None)
        return PosterLink(interest, found)
    found = next((p for p in places if place_slug(p) == rest), None)
    if found is None:
        result = resolver.resolve(rest.replace("-", " "))
        found = result.place if result.status == "found" else None
    return PosterLink(interest, found)


def issued(payload: str, content: Content, resolver: PlaceResolver) -> str:
    """The payload as the project issues it (a poster's in its canonical form), or UNKNOWN:
    known interest and place, a known interest, a known offer – nothing else is counted."""
    if not valid_payload(payload):
        return UNKNOWN
    kind, _, ident = payload.partition("-")
    if kind == POSTER:
        link = parse_poster(ident, resolver)
        if link and link.place and top_interest(content, link.interest):
            return poster_payload(link.interest, link.place)
        return UNKNOWN
    if kind == INTEREST:
        return payload if top_interest(content, ident) else UNKNOWN
    if kind == OFFER:
        return payload if content.offers.get(ident) is not None else UNKNOWN
    return UNKNOWN


def top_interest(content: Content, interest: str) -> str | None:
    """The area an interest id belongs to (itself for an area), None for an unknown id."""
    for area in content.taxonomy.interests:
        if interest == area.id or interest in {s.id for s in area.subtopics}:
            return area.id
    return None


def telegram_link(bot_username: str, payload: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={payload}"


def whatsapp_link(number: str, prefill: str) -> str:
    """wa.me opens a chat with `number` and the message `prefill` typed in; the channel
    reads the '#<payload>' at its end like Telegram's /start payload (bot/whatsapp)."""
    return f"https://wa.me/{number}?text={quote(prefill)}"


def web_link(web_public_url: str, payload: str) -> str:
    return f"{web_public_url.rstrip('/')}/chat?start={payload}"


def short(url: str) -> str:
    """A link as printed under its QR code: without 'https://' (phones add it themselves)."""
    return url.split("://", 1)[-1]
