"""Rank offers for one person: interest fit, distance, time fit and freshness.

Time fit compares when an offer takes place (weekday × part of the day, see
bot/content/times.py) with when the person has time ("samstags vormittags", or only the
coarse slots weekday/evening/weekend), whether it is a one-off or regular, and the hours.

All offers are laid out once as numpy columns (coordinates, interest bit masks, schedule
codes, taken from the content's compact OfferTable), so ranking 100,000 offers is a handful
of vectorised operations instead of a Python loop per offer. Only the few winners are
turned back into Python objects.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np

from bot import clock
from bot.content.offer_table import KIND_CODES, OfferColumns, OfferTable
from bot.content.schema import Offer, TaxonomyFile
from bot.content.times import ALL_DAYS, ALL_PARTS, days_of, grid, narrowed, slot_cells
from bot.matching.geo import EARTH_RADIUS_KM
from bot.matching.places import Place

# Time weighs most: an offer at a time the person cannot come is no offer for them. Within
# reach (max_km, 25 km by default) distance and interest together span at most
# 0.21 × (1 − e^-2.5) + 0.34 × 0.2 ≈ 0.26 (next door vs. at the edge, sub-topic vs. area),
# less than time's 0.40 between fitting (1) and not (0) or 0.32 for the wrong kind (0.2):
# so a fitting offer of a wanted area in reach comes before one that does not fit.
# Interest and distance keep their old ratio (3 : 2): a sub-topic match is worth a few km.
WEIGHTS = {"interest": 0.34, "distance": 0.21, "time": 0.40, "fresh": 0.05}
GOOD_FIT = 0.55  # below this (or not at the person's time) the bot says honestly so
DEFAULT_MAX_KM = 25.0
DISTANCE_SCALE_KM = 10.0
FRESH_DAYS, STALE_DAYS = 180, 730  # full score up to half a year, none after two years
# A one-off further away than about three months is no answer to "what can I do?": it
# ranks like the wrong kind, below offers that fit, unless the person asked for one-offs.
FAR_ONE_OFF_DAYS = 92
UNKNOWN_WHEN = 0.6  # an offer that does not say when: maybe, neither yes nor no
KIND_FIT = {"same": 1.0, "flexible": 0.8, "other": 0.2}
TOO_MANY_HOURS = 0.7  # more hours than wished: a smaller matter than the wrong day


@dataclass(frozen=True)
class Profile:
    interests: tuple[str, ...]  # top-level ids and/or sub-topic ids, most wanted first
    lat: float | None = None
    lon: float | None = None
    max_km: float = DEFAULT_MAX_KM
    time_kind: str | None = None  # "once", "regular" or None for either
    slots: frozenset[str] = field(default_factory=frozenset)  # weekday/evening/weekend; empty = any
    hours_per_week: float | None = None
    today: dt.date = field(default_factory=clock.today)
    days: frozenset[int] = field(default_factory=frozenset)  # 0 = Monday; empty = not said
    parts: frozenset[str] = field(default_factory=frozenset)  # morning/afternoon/evening

    @property
    def when(self) -> int:
        """The cells the person has time in; 0 when they said nothing about it."""
        said = self.days or self.parts
        fine = grid(self.days or ALL_DAYS, self.parts or ALL_PARTS) if said else 0
        return narrowed(fine, slot_cells(self.slots))


@dataclass(frozen=True)
class RankedOffer:
    offer: Offer
    score: float
    distance_km: float | None
    interest: str  # the id (sub-topic if it matched, else top-level) that made it fit
    # Why it does not fit the person's time: "days", "parts" (of the day), "once" (a one-off
    # when regular was asked, or one far away), "regular" (when one-offs were asked); None fits.
    misfit: str | None = None

    @property
    def fits_time(self) -> bool:
        return self.misfit is None

    @property
    def good(self) -> bool:
        return self.score >= GOOD_FIT and self.fits_time


class OfferRanker:
    def __init__(
        self, offers: Iterable[Offer], taxonomy: TaxonomyFile, places: Iterable[Place]
    ) -> None:
        self.parent = {i.id: i.id for i in taxonomy.interests}
        self.parent |= {s.id: i.id for i in taxonomy.interests for s in i.subtopics}
        self._bit = {interest: 1 << n for n, interest in enumerate(self.parent)}
        # A sub-topic's activity belongs to its `also:` areas as well (taxonomy.yaml): an
        # offer of the church choir (kirche-musik) fits someone who asks for culture.
        self.areas = {interest: (top,) for interest, top in self.parent.items()}
        self.areas |= {
            s.id: (i.id, *s.also) for i in taxonomy.interests for s in i.subtopics if s.also
        }
        in_region = [p for p in places if p.gemeinde]
        coords = {(p.gemeinde, p.name): (p.lat, p.lon) for p in in_region}
        # An Ortsteil named without its Gemeinde is found by its name when that is unique.
        names = Counter(p.name for p in in_region)
        coords |= {(None, p.name): (p.lat, p.lon) for p in in_region if names[p.name] == 1}
        table = OfferTable.of(offers)
        # Archived offers (gone from their import source) stay in the content, never ranked.
        rows = np.flatnonzero(~table.columns.archived)
        self.offers: Sequence[Offer] = _Rows(table, rows)
        self._columns(table.columns, rows, coords)

    def _columns(
        self,
        table: OfferColumns,
        rows: np.ndarray,
        coords: dict[tuple[str | None, str], tuple[float, float]],
    ) -> None:
        """The table's columns for the offers that are ranked, in the form `rank` uses."""
        nowhere = (np.nan, np.nan)
        where = np.array(
            [
                coords.get((gemeinde or place, place)) or coords.get((None, place), nowhere)
                for gemeinde, place in table.places
            ],
            dtype=float,
        ).reshape(-1, 2)
        self._lat = np.radians(where[table.place[rows], 0])
        self._lon = np.radians(where[table.place[rows], 1])
        self._ids = self._masks(table, parents=True)[rows]
        self._subs = self._masks(table, parents=False)[rows]
        self._kind = table.kind[rows]
        self._slots = table.slots[rows]
        self._when = table.when[rows]
        self._hours = table.hours[rows]
        self._updated = table.updated[rows]
        self._ends = table.ends[rows]
        self._names = table.ids[rows]  # UTF-8 ids: sort like the ids themselves

    def _masks(self, table: OfferColumns, parents: bool) -> np.ndarray:
        """Each offer's interests as a bit mask (with their top-level and `also:` areas:
        `parents`)."""
        words = np.array(
            [self._mask([word], parents) for word in table.vocabulary], dtype=np.uint64
        )
        if not len(table.interests):
            return np.zeros(len(table.starts) - 1, dtype=np.uint64)
        bits = words[table.interests]
        masks = np.bitwise_or.reduceat(bits, np.minimum(table.starts[:-1], len(bits) - 1))
        return np.where(np.diff(table.starts) > 0, masks, np.uint64(0))

    def _mask(self, interests: Sequence[str], parents: bool) -> int:
        mask = 0
        for interest in interests:
            mask |= self._bit.get(interest, 0)
            if parents:
                for area in self.areas.get(interest, (interest,)):
                    mask |= self._bit.get(area, 0)
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
        return [
            self._ranked(int(i), float(score[i]), distance[i], tops, subs, profile) for i in chosen
        ]

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
        """1 when the offer is at the person's time and of the kind asked; the parts multiply,
        so the wrong day is not made up for by the right kind."""
        fit = self._when_fit(profile) * self._kind_fit(profile)
        if profile.hours_per_week is None:
            return fit
        too_much = self._hours > profile.hours_per_week * 1.5  # NaN compares False
        return fit * np.where(too_much, TOO_MANY_HOURS, 1.0)

    def _when_fit(self, profile: Profile) -> np.ndarray:
        wanted = profile.when
        if not wanted:
            return np.ones(len(self.offers))
        meets = (self._when & np.int32(wanted)) != 0
        return np.where(self._when == 0, UNKNOWN_WHEN, np.where(meets, 1.0, 0.0))

    def _kind_fit(self, profile: Profile) -> np.ndarray:
        if profile.time_kind is None:
            kind = np.full(len(self.offers), KIND_FIT["same"])
        else:
            same = self._kind == KIND_CODES[profile.time_kind]
            flexible = self._kind == KIND_CODES["flexible"]
            other = np.where(flexible, KIND_FIT["flexible"], KIND_FIT["other"])
            kind = np.where(same, KIND_FIT["same"], other)
        if profile.time_kind == "once":
            return kind
        far = self._far(profile)
        return np.where(far, KIND_FIT["other"], kind)

    def _far(self, profile: Profile) -> np.ndarray:
        """One-offs more than FAR_ONE_OFF_DAYS away (every other offer ends at NO_END)."""
        once = self._kind == KIND_CODES["once"]
        return once & (self._ends - profile.today.toordinal() > FAR_ONE_OFF_DAYS)

    def _misfit(self, index: int, profile: Profile) -> str | None:
        """Why offer `index` does not fit the person's time, in the order a person would
        notice it first: a one-off date, the day, the part of the day."""
        kind = int(self._kind[index])
        far = profile.time_kind != "once" and bool(self._far(profile)[index])
        if kind == KIND_CODES["once"] and (far or profile.time_kind == "regular"):
            return "once"
        if kind == KIND_CODES["regular"] and profile.time_kind == "once":
            return "regular"
        offered, wanted = int(self._when[index]), profile.when
        if not offered or not wanted or offered & wanted:
            return None
        return "parts" if days_of(offered) & days_of(wanted) else "days"

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
        for index in sorted(candidates, key=lambda i: (-score[i], self._names[i])):
            if len(chosen) >= limit or score[index] < 0:
                break
            if int(index) not in chosen:
                chosen.append(int(index))
        return sorted(chosen, key=lambda i: -score[i])

    def _ranked(
        self,
        index: int,
        score: float,
        distance: float,
        tops: list[str],
        subs: list[str],
        profile: Profile,
    ) -> RankedOffer:
        offer = self.offers[index]
        matched = [i for i in offer.interests if i in subs]
        matched += [t for t in tops if any(t in self.areas.get(i, ()) for i in offer.interests)]
        km = None if np.isnan(distance) else float(distance)
        interest = matched[0] if matched else tops[0]
        return RankedOffer(offer, round(score, 4), km, interest, self._misfit(index, profile))


class _Rows(Sequence[Offer]):
    """Some rows of a table (the offers that are ranked), built only when looked at."""

    def __init__(self, table: OfferTable, rows: np.ndarray) -> None:
        self._table, self._rows = table, rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Offer: ...

    @overload
    def __getitem__(self, index: slice) -> list[Offer]: ...

    def __getitem__(self, index: int | slice) -> Offer | list[Offer]:
        if isinstance(index, slice):
            return [self._table[int(row)] for row in self._rows[index]]
        return self._table[int(self._rows[index])]
