"""Free text or a location → a place of the region (or an honest "that is outside").

People name their village, their Ortsteil, the Gemeinde, an old name, or misspell it;
they write "Beerendorf, Delitzsch" or "Delitzsch-Beerendorf". Every span of one to three
words is compared with every known name: exactly, by rapidfuzz ratio (typos) and by
Kölner Phonetik (spelling as heard: "Jesevitz" ~ "Jesewitz").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from cologne_phonetics import encode
from rapidfuzz import fuzz, process

from bot.content.schema import PlacesFile
from bot.matching.geo import haversine_km
from bot.text import STOPWORDS, clean, fold

Level = Literal["ortsteil", "gemeinde", "outside"]
# A shared location counts as outside the region only when a neighbouring place is this
# much nearer than the nearest place of the region: 29 villages of the region have no
# coordinate of their own yet, and many are known to about ±1 km only – telling someone
# in the region that they live outside it is the worse mistake.
BORDER_MARGIN_KM = 2.0
Status = Literal["found", "ambiguous", "unsure", "outside", "not_found"]

# Words around a place name that are not part of it ("ich wohne in …", "OT …", "PLZ").
FILLERS = (
    frozenset(
        [
            "wohne",
            "wohnen",
            "wohnt",
            "lebe",
            "leben",
            "lebt",
            "komme",
            "kommen",
            "kommt",
            "bin",
            "sind",
            "aus",
            "bei",
            "nahe",
            "nah",
            "naehe",
            "ortsteil",
            "ot",
            "gemeinde",
            "stadt",
            "dorf",
            "ort",
            "seit",
            "jahren",
            "jahre",
            "jahr",
            "hier",
            "live",
            "living",
            "from",
            "near",
            "landkreis",
            "kreis",
            "nordsachsen",
            "sachsen",
            "gegend",
            "umgebung",
            "richtung",
            "zuhause",
            "daheim",
            "wohnhaft",
            "mein",
            "meinem",
            "unser",
            "unserem",
            "heimatort",
            "wohnort",
        ]
    )
    | STOPWORDS
)
SURE, MAYBE = 88, 75
SOUND_LETTERS = 45  # letters (fuzz.ratio) a sound-alike must share to count as a typo
CLEAR, CLEAR_MARGIN = 82, 10  # below SURE, still found when no other name comes close


@dataclass(frozen=True)
class Place:
    name: str  # official Ortsteil name, Gemeinde name, or neighbouring town
    gemeinde: str | None  # the region's Gemeinde; None outside the region
    lat: float
    lon: float
    level: Level
    approximate: bool = False
    # Outside only: the municipality beyond the border ("Tiefensee" → "Bad Düben"). Kept apart
    # from `gemeinde`, which routes leads and counts searches for the region's Gemeinden.
    municipality: str | None = None

    @property
    def in_region(self) -> bool:
        return self.level != "outside"

    @property
    def commune(self) -> str | None:
        """The Gemeinde the place belongs to, inside or beyond the border."""
        return self.gemeinde or self.municipality

    @property
    def label(self) -> str:
        if self.commune and self.commune != self.name:
            return f"{self.name} ({self.commune})"
        return self.name

    @property
    def key(self) -> str:
        return f"{self.gemeinde or '-'}/{self.name}"


@dataclass(frozen=True)
class PlaceResult:
    status: Status
    places: tuple[Place, ...] = field(default=())

    @property
    def place(self) -> Place | None:
        return self.places[0] if self.places else None


@lru_cache(maxsize=8192)
def _phonetic(text: str) -> str:
    return " ".join(code for _, code in encode(text)) if text else ""


def _name_tokens(text: str) -> list[str]:
    return [t for t in fold(text).split() if t not in FILLERS and not t.isdigit()]


class PlaceResolver:
    def __init__(self, places: PlacesFile) -> None:
        self.places: list[Place] = []
        self._by_key: dict[str, list[Place]] = defaultdict(list)
        for gemeinde in places.gemeinden:
            main = None
            for o in gemeinde.ortsteile:
                lat = o.lat if o.lat is not None else gemeinde.lat
                lon = o.lon if o.lon is not None else gemeinde.lon
                place = Place(o.name, gemeinde.name, lat, lon, "ortsteil", o.lat is None)
                if o.name == gemeinde.name:
                    main = place
                self._add(place, [o.name, *o.aliases])
            whole = main or Place(
                gemeinde.name, gemeinde.name, gemeinde.lat, gemeinde.lon, "gemeinde"
            )
            if main is None:
                self._add(whole, [gemeinde.name, *gemeinde.aliases])
        for town in places.outside:
            place = Place(
                town.name,
                None,
                town.lat,
                town.lon,
                "outside",
                approximate=town.approximate,
                municipality=town.gemeinde,
            )
            self._add(place, [town.name, *town.aliases])
        self._order = {place: n for n, place in enumerate(self.places)}
        self._keys = list(self._by_key)
        self._by_sound: dict[str, list[str]] = defaultdict(list)
        for key in self._keys:
            self._by_sound[_phonetic(key)].append(key)

    def _add(self, place: Place, names: list[str]) -> None:
        self.places.append(place)
        for name in names:
            key = " ".join(_name_tokens(name))
            if key and place not in self._by_key[key]:
                self._by_key[key].append(place)

    def gemeinde_names(self) -> list[str]:
        return sorted({p.gemeinde for p in self.places if p.gemeinde})

    def resolve(self, text: str) -> PlaceResult:
        scores = self._score_spans(clean(text)[:300])
        if not scores:
            return PlaceResult("not_found")
        # Equal scores keep the order of places.yaml: the hand-listed neighbouring towns
        # stand before the villages around them ("Leipzig-Gohlis" answers with Leipzig).
        return _decide(dict(sorted(scores.items(), key=lambda item: self._order[item[0]])))

    def match_span(self, span: str) -> list[tuple[Place, float]]:
        """Places one span of words (without fillers) may name, with a score 0–100:
        100 exact, else typo or sound-alike similarity. For scanning whole sentences."""
        key = " ".join(_name_tokens(span))
        return [(place, score) for k, score in self._match_span(key) for place in self._by_key[k]]

    def _score_spans(self, text: str) -> dict[Place, float]:
        scores: dict[Place, float] = {}
        for segment in re.split(r"[,;/()|]+|\s-\s", text):
            tokens = _name_tokens(segment)[:12]
            taken: set[int] = set()  # tokens inside a longer exact name ("Rödgen bei Eilenburg")
            for size in (3, 2, 1):
                for start in range(len(tokens) - size + 1):
                    positions = set(range(start, start + size))
                    if positions & taken:
                        continue
                    span = " ".join(tokens[start : start + size])
                    if span in self._by_key and size > 1:
                        taken |= positions
                    for key, score in self._match_span(span):
                        for place in self._by_key[key]:
                            # best score per place over all spans
                            scores[place] = max(scores.get(place, 0.0), score)
        return scores

    def _match_span(self, span: str) -> list[tuple[str, float]]:
        if span in self._by_key:
            return [(span, 100.0)]
        if len(span) < 4:
            return []
        found = {
            key: score
            for key, score, _ in process.extract(
                span, self._keys, scorer=fuzz.ratio, score_cutoff=MAYBE - 5, limit=5
            )
        }
        if len(span) >= 5:
            for key in self._by_sound.get(_phonetic(span), ()):
                # Sounding alike is not enough for words that share few letters: "class"
                # sounds like "Kölsa", "Leihoma" like "Leuna" (typos keep most letters).
                if fuzz.ratio(span, key) >= SOUND_LETTERS and _same_onset(span, key):
                    found[key] = max(found.get(key, 0.0), 90.0)
        return list(found.items())

    def nearest(self, lat: float, lon: float) -> PlaceResult:
        """The place nearest to a shared location; outside only when a neighbouring place is
        clearly nearer than every place of the region (see BORDER_MARGIN_KM)."""
        known = [p for p in self.places if not p.approximate]
        inside = min(
            (p for p in known if p.in_region), key=lambda p: haversine_km(lat, lon, p.lat, p.lon)
        )
        distance = haversine_km(lat, lon, inside.lat, inside.lon)
        if distance > 30:
            return PlaceResult("outside", (Place("Ihr Standort", None, lat, lon, "outside"),))
        beyond = [p for p in known if not p.in_region]
        if beyond:
            other = min(beyond, key=lambda p: haversine_km(lat, lon, p.lat, p.lon))
            if haversine_km(lat, lon, other.lat, other.lon) + BORDER_MARGIN_KM < distance:
                return PlaceResult("outside", (other,))
        return PlaceResult("found", (inside,))


def _decide(scores: dict[Place, float]) -> PlaceResult:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0].level == "outside"))
    best_score = ranked[0][1]
    if best_score < MAYBE:
        return PlaceResult("not_found")
    top = [p for p, s in ranked if s >= best_score - 2]
    hints = [p for p, s in ranked if s >= SURE]
    top = _prefer_specific(top, hints)
    region_top = [p for p in top if p.in_region] or top
    if len(region_top) > 1 and len({p.name for p in region_top}) == 1:
        chosen = _by_hint(region_top, [h for h in hints if h not in region_top])
        top = [chosen] if chosen else region_top
    if best_score < SURE and not _clear_winner(ranked):
        unsure = [p for p, _ in ranked if p.in_region][:3] or [p for p, _ in ranked][:3]
        return PlaceResult("unsure", tuple(unsure))
    if len(top) == 1:
        return PlaceResult("found" if top[0].in_region else "outside", (top[0],))
    in_region = [p for p in top if p.in_region]
    if len(in_region) == 1:
        return PlaceResult("found", (in_region[0],))
    if not in_region and len({p.name for p in top}) == 1:
        # One village name in two municipalities beyond the border: ask which one, as for
        # the region's own doubles – the answer names the municipality, and the offers
        # nearby are measured from the place meant.
        return PlaceResult("ambiguous", tuple(top))
    if not in_region:
        # Different places outside ("Leipzig-Gohlis"): the answer is the same ("liegt
        # außerhalb", offers nearby), so asking back would only cost a turn; the first listed
        # answers.
        return PlaceResult("outside", (top[0],))
    return PlaceResult("ambiguous", tuple(in_region))


def _clear_winner(ranked: list[tuple[Place, float]]) -> bool:
    """A near miss with no rival ("Wiedemaa" → Wiedemar) needs no asking back."""
    best_place, best = ranked[0]
    rivals = [s for p, s in ranked[1:] if p.name != best_place.name]
    return best >= CLEAR and (not rivals or rivals[0] <= best - CLEAR_MARGIN)


def _prefer_specific(top: list[Place], hints: list[Place]) -> list[Place]:
    """'Beerendorf, Delitzsch' (or 'Tiefensee, Bad Düben' beyond the border): an Ortsteil
    beats its own Gemeinde named beside it."""
    named_gemeinden = {p.name for p in top if p.commune in (None, p.name)}
    specific = [p for p in hints if p.commune in named_gemeinden and p.name != p.commune]
    if specific:
        return specific
    return top


def _by_hint(candidates: list[Place], hints: list[Place]) -> Place | None:
    """Same name twice (Rödgen): pick the one in, or nearest to, another place named."""
    for hint in hints:
        # a town beyond the border named beside its village ("Tiefensee, Bad Düben") is the
        # municipality itself
        commune = hint.commune or (None if hint.in_region else hint.name)
        same = [c for c in candidates if commune and c.commune == commune]
        if len(same) == 1:
            return same[0]
    if hints:
        hint = hints[0]
        return min(candidates, key=lambda c: haversine_km(c.lat, c.lon, hint.lat, hint.lon))
    return None


# First letters people swap when they write a name by ear ("Grostitz" for Krostitz).
_ONSETS = ("ckgq", "dt", "bp", "fvw", "sz", "aeiouäöüjy")


def _same_onset(typed: str, name: str) -> bool:
    """A sound-alike begins like the name (or with a letter of the same sound): "income"
    sounds like "Hainichen" to the phonetic code, which ignores the h, but is no misspelling."""
    a, b = typed[:1], name[:1]
    return a == b or any(a in group and b in group for group in _ONSETS)
