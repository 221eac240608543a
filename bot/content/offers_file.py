"""Offers files read as a stream: each offer is built, validated, checked and stored
compactly (`OfferTable`) on its own, so 100,000 offers never exist at once as a YAML tree
or as pydantic objects. Errors name file:line as for every other content file.

Only plain YAML is streamed. Anchors, aliases, tags, merge keys, duplicate keys, several
documents, a file that is not a mapping – and every YAML error – go to the whole-document
loader (`read_yaml`), which then reports exactly as it does for any other content file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from bot.content.documents import explain, validate_document
from bot.content.offer_table import OfferTable, OfferTableBuilder
from bot.content.schema import Offer, OffersFile
from bot.content.validate import OfferChecker
from bot.content.yamlio import (
    LocatedDocument,
    Path_,
    Problem,
    YamlSyntaxError,
    _SafeLoader,
    read_yaml,
)

Lines = dict[Path_, int]
# Short plain values that might be numbers, dates … are resolved once ("no", dates, "12").
CACHED_LENGTH, CACHED_VALUES = 40, 10_000


@dataclass
class OffersRead:
    """An offers file: its offers (None when it has errors), its errors, and what the
    cross-file checks found (reported only when every file loads)."""

    table: OfferTable | None
    problems: list[Problem]
    checks: list[Problem] = field(default_factory=list)


def read_offers(
    path: Path, shown: str, new_checker: Callable[[], OfferChecker] | None = None
) -> OffersRead:
    """Read and check one offers file (`new_checker`: None when places or taxonomy failed).

    A file read before with the same bytes is not parsed again (a hot reload after an edit
    of another file); its offers are only checked against the places and taxonomy of now.
    """
    digest = _digest(path)
    last = _LAST_READ.get(shown)
    same = digest is not None and last is not None and last[0] == digest
    if last is not None and same and (new_checker is None or new_checker().clean(last[1])):
        return OffersRead(last[1], [])
    try:
        read = _Stream(shown, new_checker() if new_checker else None).read(path)
    except (_Fallback, yaml.YAMLError, OSError, UnicodeDecodeError):
        read = _whole(path, shown, new_checker() if new_checker else None)
    if digest is not None and read.table is not None:
        _LAST_READ.pop(shown, None)
        _LAST_READ[shown] = (digest, read.table)
        while len(_LAST_READ) > LAST_READS:
            _LAST_READ.pop(next(iter(_LAST_READ)))
    return read


# The last good table of each file (by the name it is shown under) and the hash of its bytes.
_LAST_READ: dict[str, tuple[bytes, OfferTable]] = {}
LAST_READS = 4  # offers.yaml and offers-imported.yaml, and room for a second content folder


def _digest(path: Path) -> bytes | None:
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").digest()
    except OSError:
        return None


class _Fallback(Exception):
    """Something the streaming reader leaves to the whole-document loader."""


def _whole(path: Path, shown: str, checker: OfferChecker | None) -> OffersRead:
    try:
        document = read_yaml(path, shown)
    except YamlSyntaxError as exc:
        return OffersRead(None, [exc.problem])
    parsed, problems = validate_document(document, OffersFile)
    if parsed is None:
        return OffersRead(None, problems)
    builder = OfferTableBuilder()
    for index, offer in enumerate(parsed.offers):
        builder.add(offer)
        if checker is not None:
            checker.check(index, offer, document)
    return OffersRead(builder.build(), [], checker.problems if checker else [])


@dataclass
class _ItemLines:
    """Lines of one streamed offer (paths inside it), else those of the file's top level."""

    file: str
    index: int
    lines: Lines
    top: Lines

    def line_of(self, path: Path_) -> int:
        if tuple(path[:2]) == ("offers", self.index):
            rest = tuple(path[2:])
            for end in range(len(rest), -1, -1):
                line = self.lines.get(rest[:end])
                if line is not None:
                    return line
            path = ("offers",)
        return LocatedDocument(self.file, None, self.top).line_of(path)

    def problem(self, path: Path_, message: str, severity: str = "error") -> Problem:
        return Problem(self.file, self.line_of(path), message, severity)


class _Stream:
    """Walks the parser's events; builds one offer's plain data at a time."""

    def __init__(self, shown: str, checker: OfferChecker | None) -> None:
        self.shown = shown
        self.checker = checker
        self.builder = OfferTableBuilder()
        self.problems: list[Problem] = []
        self.top_lines: Lines = {}
        self._plain: dict[str, Any] = {}  # resolved plain scalars, by their text
        self.loader: Any = None

    def read(self, path: Path) -> OffersRead:
        with path.open(encoding="utf-8") as stream:
            self.loader = _SafeLoader(stream)
            try:
                top = self._document()
            finally:
                self.loader.dispose()
        problems = self.problems + self._check_top(top)
        if problems:
            return OffersRead(None, problems)
        checks = self.checker.problems if self.checker else []
        return OffersRead(self.builder.build(), [], checks)

    def _next(self, kind: type) -> Any:
        event = self.loader.get_event()
        if type(event) is not kind:
            raise _Fallback
        return event

    def _document(self) -> dict[Any, Any]:
        """The file's top level; its `offers` list is streamed (and left empty here)."""
        self._next(StreamStartEvent)
        self._next(DocumentStartEvent)
        start = self._next(MappingStartEvent)
        if start.anchor is not None or start.tag is not None:
            raise _Fallback
        self.top_lines[()] = start.start_mark.line + 1
        top: dict[Any, Any] = {}
        get = self.loader.get_event
        while type(key := get()) is not MappingEndEvent:
            here, name = self._key(key, self.top_lines, ())
            value = get()
            if name == "offers" and type(value) is SequenceStartEvent and _plain_node(value):
                self._offers()
                top[name] = []
            else:
                top[name] = self._value(value, self.top_lines, here)
        self._next(DocumentEndEvent)
        self._next(StreamEndEvent)
        return top

    def _offers(self) -> None:
        get = self.loader.get_event
        index = 0
        while type(event := get()) is not SequenceEndEvent:
            lines: Lines = {}
            item = self._value(event, lines, ())
            self._offer(index, item, _ItemLines(self.shown, index, lines, self.top_lines))
            index += 1

    def _offer(self, index: int, item: Any, where: _ItemLines) -> None:
        try:
            offer = Offer.model_validate(item)
        except ValidationError as exc:
            for error in exc.errors():
                loc = ("offers", index, *error["loc"])
                self.problems.append(where.problem(loc, explain({**error, "loc": loc})))
            return
        if not self.problems:  # a file with errors loads nothing: stop storing
            self.builder.add(offer)
        if self.checker is not None:
            self.checker.check(index, offer, where)

    def _check_top(self, top: dict[Any, Any]) -> list[Problem]:
        """The file's other keys (or a missing `offers`), as OffersFile would see them."""
        try:
            OffersFile.model_validate(top)
        except ValidationError as exc:
            where = LocatedDocument(self.shown, None, self.top_lines)
            return [where.problem(tuple(e["loc"]), explain(e)) for e in exc.errors()]
        return []

    # --- plain YAML values (called for every key and value: kept lean) -------------------

    def _value(self, event: Any, lines: Lines, path: Path_) -> Any:
        """The value the safe loader would construct; the line of each path in `lines`."""
        kind = type(event)
        if not _plain_node(event):
            raise _Fallback  # anchors, aliases and tags: the whole-document loader
        lines.setdefault(path, event.start_mark.line + 1)
        if kind is ScalarEvent:
            return self._plain_scalar(event) if event.implicit[0] else event.value
        get = self.loader.get_event
        if kind is MappingStartEvent:
            mapping: dict[Any, Any] = {}
            while type(key := get()) is not MappingEndEvent:
                here, name = self._key(key, lines, path)
                mapping[name] = self._value(get(), lines, here)
            return mapping
        if kind is SequenceStartEvent:
            items: list[Any] = []
            while type(item := get()) is not SequenceEndEvent:
                items.append(self._value(item, lines, (*path, len(items))))
            return items
        raise _Fallback

    def _key(self, event: Any, lines: Lines, path: Path_) -> tuple[Path_, Any]:
        """A mapping key: its path (by its text, as in LocatedDocument) and its value."""
        if type(event) is not ScalarEvent or not _plain_node(event):
            raise _Fallback
        here = (*path, event.value)
        if here in lines or event.value == "<<":  # a duplicate or a merge key
            raise _Fallback
        lines[here] = event.start_mark.line + 1
        return here, self._plain_scalar(event) if event.implicit[0] else event.value

    def _plain_scalar(self, event: ScalarEvent) -> Any:
        """An unquoted scalar: a string, or what it resolves to (number, date, bool, null)."""
        text = event.value
        candidates = _CANDIDATES.get(text[:1], _WILDCARD)
        if not candidates:  # most text: no number, date, bool or null starts like this
            return text
        known = self._plain.get(text, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
        value: Any = text
        for tag, pattern in candidates:
            if pattern.match(text):
                construct = self.loader.yaml_constructors.get(tag)
                if construct is None:  # e.g. '<<' or '=' as a value
                    raise _Fallback
                node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
                value = construct(self.loader, node)
                break
        if len(text) <= CACHED_LENGTH and len(self._plain) < CACHED_VALUES:
            self._plain[text] = value
        return value


def _plain_node(event: Any) -> bool:
    """No anchor, alias or tag (an alias event has an anchor and no tag)."""
    return event.anchor is None and event.tag is None


# The safe loader's implicit types by first character (plus those for any character).
_RESOLVERS = _SafeLoader.yaml_implicit_resolvers
_WILDCARD = tuple(_RESOLVERS.get(None, []))
_CANDIDATES = {
    first: (*found, *_WILDCARD) for first, found in _RESOLVERS.items() if first is not None
}
_UNKNOWN = object()
