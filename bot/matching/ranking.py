"""Rank offers for one person: interest fit, distance, time fit and freshness.

Offers are indexed by interest once, so a search only looks at offers of the person's
areas (a small share of all offers), and distance is computed only for those.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.content.schema import Offer, TaxonomyFile
from bot.matching.geo import haversine_km
from bot.matching.places import Place

WEIGHTS = {"interest": 0.45, "distance": 0.30, "time": 0.20, "fresh": 0.05}
GOOD_FIT = 0.55  # below this the bot says honestly that nothing fits well
DEFAULT_MAX_KM = 25.0
DISTANCE_SCALE_KM = 10.0


@dataclass(frozen=True)
class Profile:
    interests: tuple[str, ...]  # top-level ids and/or sub-topic ids
    lat: float | None = None
    lon: float | None = None
    max_km: float = DEFAULT_MAX_KM
    time_kind: str | None = None  # "once", "regular" or None for either
    slots: frozenset[str] = field(default_factory=frozenset)  # weekday/evening/weekend; empty = any
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class RankedOffer:
    offer: Offer
    score: float
    distance_km: float | None
    interest: str  # the id (sub-topic if it matched, else top-level) that made it fit

    @property
    def good(self) -> bool:
        return self.score >= GOOD_FIT


class OfferRanker:
    def __init__(
        self, offers: Iterable[Offer], taxonomy: TaxonomyFile, places: Iterable[Place]
    ) -> None:
        self.parent = {i.id: i.id for i in taxonomy.interests}
        self.parent |= {s.id: i.id for i in taxonomy.interests for s in i.subtopics}
        coords = {(p.gemeinde, p.name): (p.lat, p.lon) for p in places if p.gemeinde}
        self._offers: list[tuple[Offer, tuple[float, float] | None, frozenset[str]]] = []
        self._by_interest: dict[str, list[int]] = defaultdict(list)
        for offer in offers:
            ids = frozenset(offer.interests) | {self.parent.get(i, i) for i in offer.interests}
            where = coords.get((offer.gemeinde or offer.place, offer.place))
            index = len(self._offers)
            self._offers.append((offer, where, ids))
            for interest in ids:
                self._by_interest[interest].append(index)

    def rank(self, profile: Profile, limit: int = 3) -> list[RankedOffer]:
        wanted_top = {self.parent.get(i, i) for i in profile.interests}
        wanted_sub = {i for i in profile.interests if self.parent.get(i, i) != i}
        candidates = {index for top in wanted_top for index in self._by_interest.get(top, ())}
        ranked = [
            r
            for index in candidates
            if (r := self._score(index, profile, wanted_top, wanted_sub)) is not None
        ]
        ranked.sort(key=lambda r: (-r.score, r.distance_km or 0.0, r.offer.id))
        return ranked[:limit]

    def _score(
        self, index: int, profile: Profile, wanted_top: set[str], wanted_sub: set[str]
    ) -> RankedOffer | None:
        offer, where, ids = self._offers[index]
        if (
            offer.schedule.kind == "once"
            and offer.schedule.date
            and offer.schedule.date < profile.today
        ):
            return None
        sub_hit = ids & wanted_sub
        interest_fit = 1.0 if sub_hit or not wanted_sub else 0.8
        matched = min(sub_hit) if sub_hit else min(ids & wanted_top)
        distance = None
        distance_fit = 0.5  # unknown place: neither rewarded nor punished much
        if where and profile.lat is not None and profile.lon is not None:
            distance = haversine_km(profile.lat, profile.lon, *where)
            if distance > profile.max_km:
                return None
            distance_fit = math.exp(-distance / DISTANCE_SCALE_KM)
        score = (
            WEIGHTS["interest"] * interest_fit
            + WEIGHTS["distance"] * distance_fit
            + WEIGHTS["time"] * time_fit(offer, profile)
            + WEIGHTS["fresh"] * freshness(offer.updated, profile.today)
        )
        return RankedOffer(offer, round(score, 4), distance, matched)


def time_fit(offer: Offer, profile: Profile) -> float:
    kind = offer.schedule.kind
    if profile.time_kind is None or kind == "flexible":
        kind_fit = 1.0 if profile.time_kind is None else 0.8
    else:
        kind_fit = 1.0 if kind == profile.time_kind else 0.3
    if not profile.slots:
        slot_fit = 1.0
    elif not offer.schedule.slots:
        slot_fit = 0.7
    else:
        slot_fit = 1.0 if profile.slots & set(offer.schedule.slots) else 0.2
    return (kind_fit + slot_fit) / 2


def freshness(updated: dt.date, today: dt.date) -> float:
    """1 for offers checked in the last half year, falling to 0 at two years."""
    age = (today - updated).days
    return max(0.0, min(1.0, 1 - (age - 180) / (730 - 180)))
