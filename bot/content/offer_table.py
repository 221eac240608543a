"""Offers held compactly: 100,000 of them cost megabytes, not gigabytes.

What the ranking and the look-ups need lies in numpy columns (id, place, interests,
schedule, dates); each offer as a whole is kept as JSON, compressed in blocks of 64. An
`Offer` object is built only when someone asks for one – the few offers shown to a person,
an offer named by a link or a lead. The table is a read-only `Sequence[Offer]`, so code
that iterates over all offers keeps working (building each offer as it goes).
"""

from __future__ import annotations

import math
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from bot.content.schema import Offer
from bot.content.times import schedule_cells

BLOCK = 64  # offers per compressed block: one look-up decompresses some 30 KB
COMPRESSION = 3  # zlib level: level 6 is 10 % smaller and twice as slow
SLOT_BITS = {"weekday": 1, "evening": 2, "weekend": 4}
KIND_CODES = {"regular": 0, "once": 1, "flexible": 2}
NO_END = 3_652_059  # dt.date.max.toordinal(): an offer that does not end
PlaceKey = tuple[str | None, str]  # (gemeinde, place) as written in the offer


@dataclass(frozen=True)
class OfferColumns:
    """One value per offer (interests: a flat list with the start of each offer's part)."""

    ids: np.ndarray  # bytes (UTF-8), numpy 'S'
    archived: np.ndarray  # bool
    inferred: np.ndarray  # bool: interests read from the offer's text (interests_inferred)
    place: np.ndarray  # int32, index into `places`
    places: tuple[PlaceKey, ...]
    interests: np.ndarray  # int32, index into `vocabulary`, all offers one after another
    starts: np.ndarray  # int64, len n + 1: offer i's interests are interests[starts[i]:starts[i+1]]
    vocabulary: tuple[str, ...]
    kind: np.ndarray  # int8, KIND_CODES
    slots: np.ndarray  # int8, SLOT_BITS of the offer's slots
    when: np.ndarray  # int32, weekday × part-of-day cells (bot/content/times.py), 0 unknown
    hours: np.ndarray  # float64, NaN when not given (or 0)
    updated: np.ndarray  # int64 ordinal
    ends: np.ndarray  # int64 ordinal of a one-off's date, NO_END for every other offer


class OfferTable(Sequence[Offer]):
    """A read-only sequence of offers; see the module's docstring."""

    def __init__(
        self, columns: OfferColumns, blocks: tuple[bytes, ...], block_starts: np.ndarray
    ) -> None:
        self.columns = columns
        self._blocks = blocks
        self._block_starts = block_starts  # index of the first offer of each block
        self._by_id = np.argsort(columns.ids, kind="stable").astype(np.int32)

    @classmethod
    def of(cls, offers: Iterable[Offer]) -> OfferTable:
        if isinstance(offers, OfferTable):
            return offers
        builder = OfferTableBuilder()
        for offer in offers:
            builder.add(offer)
        return builder.build()

    def __len__(self) -> int:
        return len(self.columns.ids)

    def __repr__(self) -> str:
        return f"OfferTable({len(self)} offers)"

    @overload
    def __getitem__(self, index: int) -> Offer: ...

    @overload
    def __getitem__(self, index: slice) -> list[Offer]: ...

    def __getitem__(self, index: int | slice) -> Offer | list[Offer]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("offer index out of range")
        block = int(np.searchsorted(self._block_starts, index, side="right")) - 1
        records = self._records(block)
        return Offer.model_validate_json(records[index - int(self._block_starts[block])])

    def __iter__(self) -> Iterator[Offer]:
        for block in range(len(self._blocks)):
            for record in self._records(block):
                yield Offer.model_validate_json(record)

    def _records(self, block: int) -> list[bytes]:
        return zlib.decompress(self._blocks[block]).split(b"\n")

    def index_of(self, offer_id: str) -> int | None:
        """Position of the (first) offer with this id."""
        key = offer_id.encode()
        ids = self.columns.ids
        at = int(np.searchsorted(ids, key, sorter=self._by_id))
        if at < len(ids) and ids[self._by_id[at]] == key:
            return int(self._by_id[at])
        return None

    def get(self, offer_id: str | None) -> Offer | None:
        """The offer with this id, or None."""
        index = self.index_of(offer_id) if offer_id else None
        return None if index is None else self[index]

    def id_list(self) -> list[str]:
        return [offer_id.decode() for offer_id in self.columns.ids]

    def count_archived(self) -> int:
        return int(self.columns.archived.sum())

    def count_inferred(self) -> int:
        """Active offers whose interests were read from their text: to be checked."""
        return int((self.columns.inferred & ~self.columns.archived).sum())

    def example_ids(self) -> list[str]:
        """Ids of the offers marked `example: true` (made-up offers that show the format).
        The JSON of an offer keeps only fields away from their default, so a plain search
        finds them without building every offer."""
        marker, found = b'"example":true', []
        for block, start in enumerate(self._block_starts):
            for offset, record in enumerate(self._records(block)):
                if marker in record:
                    found.append(self.columns.ids[int(start) + offset].decode())
        return found

    def with_extra(self, offers: Iterable[Offer]) -> OfferTable:
        """These offers and then `offers` (e.g. Vereine's approved ones); shares the blocks."""
        extra = OfferTable.of(offers)
        if not len(extra):
            return self
        if not len(self):
            return extra
        return _join(self, extra)


def _join(first: OfferTable, second: OfferTable) -> OfferTable:
    a, b = first.columns, second.columns
    places = dict.fromkeys(a.places) | dict.fromkeys(b.places)
    place_code = {key: n for n, key in enumerate(places)}
    vocabulary = dict.fromkeys(a.vocabulary) | dict.fromkeys(b.vocabulary)
    word_code = {word: n for n, word in enumerate(vocabulary)}
    remap_places = np.array([place_code[key] for key in b.places], np.int32)
    remap_words = np.array([word_code[word] for word in b.vocabulary], np.int32)
    columns = OfferColumns(
        ids=np.concatenate([a.ids, b.ids]),
        archived=np.concatenate([a.archived, b.archived]),
        inferred=np.concatenate([a.inferred, b.inferred]),
        place=np.concatenate([a.place, remap_places[b.place] if len(b.place) else b.place]),
        places=tuple(places),
        interests=np.concatenate(
            [a.interests, remap_words[b.interests] if len(b.interests) else b.interests]
        ),
        starts=np.concatenate([a.starts, b.starts[1:] + a.starts[-1]]),
        vocabulary=tuple(vocabulary),
        kind=np.concatenate([a.kind, b.kind]),
        slots=np.concatenate([a.slots, b.slots]),
        when=np.concatenate([a.when, b.when]),
        hours=np.concatenate([a.hours, b.hours]),
        updated=np.concatenate([a.updated, b.updated]),
        ends=np.concatenate([a.ends, b.ends]),
    )
    starts = np.concatenate([first._block_starts, second._block_starts + len(first)])
    return OfferTable(columns, first._blocks + second._blocks, starts)


class OfferTableBuilder:
    """Collects validated offers one at a time (the loader streams them from YAML)."""

    def __init__(self) -> None:
        self._ids: list[bytes] = []
        self._archived = array("b")
        self._inferred = array("b")
        self._place = array("i")
        self._places: dict[PlaceKey, int] = {}
        self._interests = array("i")
        self._starts = array("q", [0])
        self._vocabulary: dict[str, int] = {}
        self._kind = array("b")
        self._slots = array("b")
        self._when = array("i")
        self._hours = array("d")
        self._updated = array("q")
        self._ends = array("q")
        self._blocks: list[bytes] = []
        self._pending: list[bytes] = []

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, offer: Offer) -> None:
        schedule = offer.schedule
        self._ids.append(offer.id.encode())
        self._archived.append(offer.archived)
        self._inferred.append(offer.interests_inferred)
        place = (offer.gemeinde, offer.place)
        self._place.append(self._places.setdefault(place, len(self._places)))
        for interest in offer.interests:
            self._interests.append(self._vocabulary.setdefault(interest, len(self._vocabulary)))
        self._starts.append(len(self._interests))
        self._kind.append(KIND_CODES[schedule.kind])
        self._slots.append(sum(SLOT_BITS[slot] for slot in set(schedule.slots)))
        self._when.append(schedule_cells(schedule))
        self._hours.append(schedule.hours_per_week or math.nan)  # 0 hours: not given
        self._updated.append(offer.updated.toordinal())
        once = schedule.kind == "once" and schedule.date is not None
        self._ends.append(schedule.date.toordinal() if schedule.date and once else NO_END)
        self._pending.append(offer.model_dump_json(exclude_defaults=True).encode())
        if len(self._pending) == BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._blocks.append(zlib.compress(b"\n".join(self._pending), COMPRESSION))
            self._pending = []

    def build(self) -> OfferTable:
        self._flush()
        count = len(self._ids)
        columns = OfferColumns(
            ids=np.array(self._ids, dtype=bytes) if count else np.array([], dtype="S1"),
            archived=np.frombuffer(self._archived, np.int8).astype(bool),
            inferred=np.frombuffer(self._inferred, np.int8).astype(bool),
            place=np.frombuffer(self._place, np.int32).copy(),
            places=tuple(self._places),
            interests=np.frombuffer(self._interests, np.int32).copy(),
            starts=np.frombuffer(self._starts, np.int64).copy(),
            vocabulary=tuple(self._vocabulary),
            kind=np.frombuffer(self._kind, np.int8).copy(),
            slots=np.frombuffer(self._slots, np.int8).copy(),
            when=np.frombuffer(self._when, np.int32).copy(),
            hours=np.frombuffer(self._hours, np.float64).copy(),
            updated=np.frombuffer(self._updated, np.int64).copy(),
            ends=np.frombuffer(self._ends, np.int64).copy(),
        )
        block_starts = np.arange(0, count, BLOCK, dtype=np.int64)
        return OfferTable(columns, tuple(self._blocks), block_starts)
