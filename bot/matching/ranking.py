"""Rank offers for one person: interest fit, distance, time fit and freshness.

All offers are laid out once as numpy columns (coordinates, interest bit masks, schedule
codes), so ranking 100,000 offers is a handful of vectorised operations instead of a
Python loop per offer. Only the few winners are turned back into Python objects.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.content.schema import Offer, TaxonomyFile
from bot.matching.geo import EARTH_RADIUS_KM
from bot.matching.places import Place

WEIGHTS = {"interest": 0.45, "distance": 0.30, "time": 0.20, "fresh": 0.05}
GOOD_FIT = 0.55  # below this the bot says honestly that nothing fits well
DEFAULT_MAX_KM = 25.0
DISTANCE_SCALE_KM = 10.0
SLOT_BITS = {"weekday": 1, "evening": 2, "weekend": 4}
KIND_CODES = {"regular": 0, "once": 1, "flexible": 2}
FRESH_DAYS, STALE_DAYS = 180, 730  # full score up to half a year, none after two years


@dataclass(frozen=True)
class Profile:
    interests: tuple[str, ...]  # top-level ids and/or sub-topic ids, most wanted first
    lat: float | None = None
    lon: float | None = None
    max_km: float = DEFAULT_MAX_KM
    time_kind: str | None = None  # "once", "regular" or None for either
    slots: frozenset[str] = field(default_factory=frozenset)  # weekday/evening/weekend; empty = any
    hours_per_week: float | None = None
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
        self._bit = {interest: 1 << n for n, interest in enumerate(self.parent)}
        in_region = [p for p in places if p.gemeinde]
        coords = {(p.gemeinde, p.name): (p.lat, p.lon) for p in in_region}
        # An Ortsteil named without its Gemeinde is found by its name when that is unique.
        names = Counter(p.name for p in in_region)
        coords |= {(None, p.name): (p.lat, p.lon) for p in in_region if names[p.name] == 1}
        # Archived offers (gone from their import source) stay in the content, never ranked.
        self.offers: list[Offer] = [o for o in offers if not o.archived]
        self._columns(coords)

    def _columns(self, coords: dict[tuple[str | None, str], tuple[float, float]]) -> None:
        offers = self.offers
        nowhere = (np.nan, np.nan)
        where = [
            coords.get((o.gemeinde or o.place, o.place)) or coords.get((None, o.place), nowhere)
            for o in offers
        ]
        self._lat = np.radians(np.array([w[0] for w in where], dtype=float))
        self._lon = np.radians(np.array([w[1] for w in where], dtype=float))
        self._ids = np.array([self._mask(o.interests, parents=True) for o in offers], np.uint64)
        self._subs = np.array([self._mask(o.interests, parents=False) for o in offers], np.uint64)
        self._kind = np.array([KIND_CODES[o.schedule.kind] for o in offers], dtype=np.int8)
        self._slots = np.array(
            [sum(SLOT_BITS[s] for s in set(o.schedule.slots)) for o in offers], dtype=np.int8
        )
        self._hours = np.array([o.schedule.hours_per_week or np.nan for o in offers], dtype=float)
        self._updated = np.array([o.updated.toordinal() for o in offers], dtype=np.int64)
        far_future = dt.date.max.toordinal()
        self._ends = np.array(
            [
                o.schedule.date.toordinal()
                if o.schedule.kind == "once" and o.schedule.date
                else far_future
                for o in offers
            ],
            np.int64,
        )

    def _mask(self, interests: Sequence[str], parents: bool) -> int:
        mask = 0
        for interest in interests:
            mask |= self._bit.get(interest, 0)
            if parents:
                mask |= self._bit.get(self.parent.get(interest, interest), 0)
        return mask

    def rank(self, profile: Profile, limit: int = 3) -> list[RankedOffer]:
        if not self.offers:
            return []
        wanted = [i for i in profile.interests if i in self.parent]
        tops = list(dict.fromkeys(self.parent[i] for i in wanted))
        subs = [i for i in wanted if self.parent[i] != i]
        top_mask = np.uint64(self._mask(tops, parents=False))
        sub_mask = np.uint64(self._mask(subs, parents=False))
        fits = (self._ids & top_mask) != 0
        fits &= self._ends >= profile.today.toordinal()
        distance = self._distance(profile)
        fits &= ~(distance > profile.max_km)  # NaN (place unknown) stays in
        score = self._score(profile, distance, sub_mask)
        score = np.where(fits, score, -1.0)
        chosen = self._pick(score, tops, limit)
        return [self._ranked(int(i), float(score[i]), distance[i], tops, subs) for i in chosen]

    def _distance(self, profile: Profile) -> np.ndarray:
        if profile.lat is None or profile.lon is None:
            return np.full(len(self.offers), np.nan)
        lat, lon = np.radians(profile.lat), np.radians(profile.lon)
        a = (
            np.sin((self._lat - lat) / 2) ** 2
            + np.cos(lat) * np.cos(self._lat) * np.sin((self._lon - lon) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))

    def _score(self, profile: Profile, distance: np.ndarray, sub_mask: np.uint64) -> np.ndarray:
        interest = np.where((self._subs & sub_mask) != 0, 1.0, 0.8) if sub_mask else 1.0
        near = np.where(
            np.isnan(distance), 0.5, np.exp(-np.nan_to_num(distance) / DISTANCE_SCALE_KM)
        )
        fresh = np.clip(
            1
            - (profile.today.toordinal() - self._updated - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS),
            0.0,
            1.0,
        )
        return (
            WEIGHTS["interest"] * interest
            + WEIGHTS["distance"] * near
            + WEIGHTS["time"] * self._time_fit(profile)
            + WEIGHTS["fresh"] * fresh
        )

    def _time_fit(self, profile: Profile) -> np.ndarray:
        flexible = self._kind == KIND_CODES["flexible"]
        if profile.time_kind is None:
            kind = np.ones(len(self.offers))
        else:
            same = self._kind == KIND_CODES[profile.time_kind]
            kind = np.where(flexible, 0.8, np.where(same, 1.0, 0.3))
        wanted_slots = sum(SLOT_BITS[s] for s in profile.slots)
        if not wanted_slots:
            slots = np.ones(len(self.offers))
        else:
            slots = np.where(
                self._slots == 0, 0.7, np.where((self._slots & wanted_slots) != 0, 1.0, 0.2)
            )
        if profile.hours_per_week is None:
            return (kind + slots) / 2
        too_much = self._hours > profile.hours_per_week * 1.5  # NaN compares False
        return (kind + slots + np.where(too_much, 0.4, 1.0)) / 3

    def _pick(self, score: np.ndarray, tops: list[str], limit: int) -> list[int]:
        """The best offer of each wanted area first (so every interest is served), then the rest."""
        chosen: list[int] = []
        if len(tops) > 1:
            for top in tops[:limit]:
                of_area = np.where((self._ids & np.uint64(self._bit[top])) != 0, score, -1.0)
                best = int(np.argmax(of_area))
                if of_area[best] >= 0 and best not in chosen:
                    chosen.append(best)
        count = min(len(score), limit + len(chosen))
        candidates = np.argpartition(-score, count - 1)[:count]
        for index in sorted(candidates, key=lambda i: (-score[i], self.offers[i].id)):
            if len(chosen) >= limit or score[index] < 0:
                break
            if int(index) not in chosen:
                chosen.append(int(index))
        return sorted(chosen, key=lambda i: -score[i])

    def _ranked(
        self, index: int, score: float, distance: float, tops: list[str], subs: list[str]
    ) -> RankedOffer:
        offer = self.offers[index]
        matched = [i for i in offer.interests if i in subs]
        matched += [t for t in tops if any(self.parent.get(i) == t for i in offer.interests)]
        km = None if np.isnan(distance) else float(distance)
        return RankedOffer(offer, round(score, 4), km, matched[0] if matched else tops[0])
