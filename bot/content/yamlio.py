"""YAML loading that remembers where every value stands, so errors can say `file:line`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem found in a content file: where it is and what to do about it."""

    file: str
    line: int
    message: str
    severity: str = "error"  # "error" stops loading, "warning" only informs

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "Warnung: "
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass
class LocatedDocument:
    """A parsed YAML document plus the line of every key/item path in it."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int:
        """Line of the deepest known prefix of `path` (1 when nothing is known)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1

    def problem(self, path: Path_, message: str, severity: str = "error") -> Problem:
        return Problem(self.file, self.line_of(path), message, severity)


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _record_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _record_lines(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


# libyaml's parser (C) reads the content about ten times faster than the pure-Python one,
# which is most of the bot's start-up time; both give the same nodes and line numbers.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, but an impossible date (2026-13-45) is a YAML error, not a crash."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"ungültiges Datum {node.value!r} ({exc})", node.start_mark
            ) from exc


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_timestamp)

# Errors found only after an unclosed bracket or quote: report where it was opened.
_OPENING_CONTEXTS = ("flow sequence", "flow mapping", "quoted scalar", "simple key")


def _syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    what = exc.problem or str(exc)
    if isinstance(exc, yaml.constructor.ConstructorError):
        if "could not determine a constructor" in what:
            return Problem(
                file,
                line,
                f"unzulässiger YAML-Tag: {what} – Tags wie '!!python/…' werden aus "
                "Sicherheitsgründen nicht ausgeführt; Wert in Anführungszeichen setzen",
            )
        return Problem(file, line, f"YAML-Fehler: {what}")
    hint = "Einrückung und Doppelpunkte prüfen"
    context = exc.context or ""
    if exc.context_mark and any(c in context for c in _OPENING_CONTEXTS):
        what = f"{context} – {what} (bemerkt in Zeile {line})"
        line = exc.context_mark.line + 1
        if "simple key" not in context:
            hint = "Klammer bzw. Anführungszeichen schließen, Einrückung prüfen"
    return Problem(file, line, f"YAML-Syntaxfehler: {what} ({hint})")


# Anchors and aliases (&name, *name) let a few bytes stand for a copy of a whole subtree;
# nested, they grow ninefold per level ("billion laughs"). Content may reuse a block now
# and then, but never needs more than this many values in all once aliases are expanded.
MAX_EXPANDED_NODES = 50_000


def _alias_problem(root: yaml.Node, file: str) -> Problem | None:
    """Count the values the document would have with every alias expanded, without
    expanding anything (each node's size is computed once); refuse a self-reference or a
    total above MAX_EXPANDED_NODES at the line of the collection where it is crossed."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: yaml.Node) -> int | Problem:
        known = sizes.get(id(node))
        if known is not None:
            return known
        line = node.start_mark.line + 1
        if id(node) in open_:
            return Problem(file, line, "YAML-Alias verweist auf sich selbst (&name … *name)")
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        open_.add(id(node))
        total = 1
        for child in children:
            found = size(child)
            if isinstance(found, Problem):
                return found
            total += found
            if total > MAX_EXPANDED_NODES:
                return Problem(
                    file,
                    line,
                    f"YAML-Anker/Alias (&name, *name) würden hier zu mehr als "
                    f"{MAX_EXPANDED_NODES} Werten aufgebläht – Aliase ausschreiben oder "
                    "weglassen",
                )
        open_.discard(id(node))
        sizes[id(node)] = total
        return total

    found = size(root)
    return found if isinstance(found, Problem) else None


def _duplicate_key(node: yaml.Node, file: str) -> Problem | None:
    """A key given twice in one mapping: YAML would silently keep only the last."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    return Problem(
                        file,
                        line,
                        f"Schlüssel '{key_node.value}' doppelt (schon in Zeile "
                        f"{seen[key_node.value]}) – der spätere würde den früheren ersetzen",
                    )
                seen[key_node.value] = line
            found = _duplicate_key(value_node, file)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _duplicate_key(item, file)
            if found:
                return found
    return None


def parse_yaml(text: str, file: str) -> LocatedDocument:
    """Parse with the safe loader only (no Python tags), keeping line numbers."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        aliases = _alias_problem(node, file) if node is not None else None
        if aliases is not None:
            raise YamlSyntaxError(aliases)
        duplicate = _duplicate_key(node, file) if node is not None else None
        if duplicate is not None:
            raise YamlSyntaxError(duplicate)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise YamlSyntaxError(_syntax_problem(exc, file)) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(file, 1, f"YAML-Fehler: {exc}")) from exc
    except RecursionError as exc:
        raise YamlSyntaxError(Problem(file, 1, "YAML-Fehler: zu tief verschachtelt")) from exc
    finally:
        loader.dispose()
    document = LocatedDocument(file, data)
    if node is not None:
        _record_lines(node, (), document.lines)
    return document


def read_yaml(path: Path, shown_as: str | None = None) -> LocatedDocument:
    shown = shown_as or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise YamlSyntaxError(Problem(shown, 1, "Datei fehlt")) from exc
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(Problem(shown, 1, "Datei ist nicht UTF-8-kodiert")) from exc
    return parse_yaml(text, shown)
