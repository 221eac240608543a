"""Reading `lotse report --format csv` like an outsider who wants a hidden count back.

For each line of a table with a total (a Gemeinde's row, an area's column, the row and column
of totals, the weeks with the overall total, a poster's channels with its conversations) the
equation "total = sum of the parts" holds. A hidden value must not follow from them:

- no line may have exactly one hidden value (total minus the others would give it);
- no hidden value may follow from all the lines together (checked with exact linear algebra);
- no line may pin its hidden values by their known ranges ("<3" is 1 or 2, "·" at least 1,
  as a 0 is always shown):
  a sum that is only reachable at the smallest or largest end would give them all away.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from fractions import Fraction

from bot.report import Report
from bot.report.data import NO_GEMEINDE, TOTAL

SMALL, HIDDEN = "<3", "·"  # primary ("<3": 1 or 2) and secondary suppression, as shown
CELL_PEOPLE = ("interested", "unmet", "leads", "accepted", "placed")
WEEK_OF = {"interested": "searches", "unmet": "unmet", "leads": "leads", "placed": "placed"}
ALL = "alle"

Key = tuple[str, ...]
Shown = dict[Key, str]
Line = tuple[Key, list[Key]]  # (total, parts)


# --- reading the CSV like an outsider --------------------------------------------------


def shown_values(csv_text: str) -> Shown:
    """Every count in the CSV by a key naming where it stands."""
    found: Shown = {}
    for row in csv.DictReader(io.StringIO(csv_text)):
        section, metric, value = row["section"], row["metric"], row["value"]
        if section in {"zelle", "gemeinde", "interessengebiet", "gesamt"}:
            found[("cell", metric, row["gemeinde"], row["interest"])] = value
        elif section == "woche":
            found[("week", metric, row["week"])] = value
        elif section == "plakat":
            found[("entry", metric, row["source"])] = value
    return found


def lines(shown: Shown) -> Iterator[Line]:
    """The equations an outsider can write down from the CSV: total = sum of parts."""
    cells = [k for k in shown if k[0] == "cell"]
    gemeinden = list(dict.fromkeys(k[2] for k in cells if k[2] != ALL))
    areas = list(dict.fromkeys(k[3] for k in cells if k[3] != ALL))
    weeks = list(dict.fromkeys(k[2] for k in shown if k[0] == "week"))
    for metric in CELL_PEOPLE:
        for g in [*gemeinden, ALL]:
            yield ("cell", metric, g, ALL), [("cell", metric, g, a) for a in areas]
        for a in [*areas, ALL]:
            yield ("cell", metric, ALL, a), [("cell", metric, g, a) for g in gemeinden]
        if weeks and metric in WEEK_OF:
            total = ("cell", metric, ALL, ALL)
            yield total, [("week", WEEK_OF[metric], w) for w in weeks]
    sources = list(dict.fromkeys(k[2] for k in shown if k[0] == "entry"))
    for source in sources:
        channels = [
            k for k in shown if k[0] == "entry" and k[2] == source and k[1].startswith("conv")
        ]
        total = ("entry", "conversations", source)
        yield total, [k for k in channels if k != total]


def hidden(value: str) -> bool:
    return value in {SMALL, HIDDEN}


def known(value: str) -> int:
    return int(value)


# --- what an outsider can work out ------------------------------------------------------


def single_hidden_lines(shown: Shown) -> list[Line]:
    return [
        (total, parts)
        for total, parts in lines(shown)
        if sum(hidden(shown[k]) for k in [total, *parts]) == 1
    ]


def table(key: Key) -> Key:
    """The table a value belongs to; lines never cross tables, so each is solved alone."""
    if key[0] == "week":
        return ("cell", *(m for m, w in WEEK_OF.items() if w == key[1]))
    return ("entry", key[2]) if key[0] == "entry" else key[:2]


def equations(shown: Shown, block: Key) -> tuple[list[Key], list[list[Fraction]]]:
    """One table's hidden values as unknowns and one row of coefficients per line (parts +1,
    total -1)."""
    unknowns = [k for k, v in shown.items() if hidden(v) and table(k) == block]
    index = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for total, parts in lines(shown):
        row = [Fraction(0)] * len(unknowns)
        for key, sign in [(total, -1), *((k, 1) for k in parts)]:
            if key in index:
                row[index[key]] += sign
        if any(row):
            rows.append(row)
    return unknowns, rows


def rank(rows: list[list[Fraction]]) -> int:
    """The rank by Gaussian elimination on a copy (exact fractions)."""
    matrix = [list(r) for r in rows]
    found = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((i for i in range(found, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for i in range(found + 1, len(matrix)):
            factor = matrix[i][column] / matrix[found][column]
            matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[found], strict=True)]
        found += 1
    return found


def determined(shown: Shown) -> list[Key]:
    """Hidden values fixed by the lines: adding "x = ?" as a row does not raise the rank."""
    fixed = []
    for block in dict.fromkeys(table(k) for k in shown):
        unknowns, rows = equations(shown, block)
        base = rank(rows)
        for i, key in enumerate(unknowns):
            unit = [Fraction(int(j == i)) for j in range(len(unknowns))]
            if rank([*rows, unit]) == base:
                fixed.append(key)
    return fixed


def pinned_lines(shown: Shown) -> list[Line]:
    """Lines whose hidden values must all sit at an end of their ranges to give the sum."""
    pinned = []
    for total, parts in lines(shown):
        terms = [(total, -1), *((k, 1) for k in parts)]
        if not any(hidden(shown[k]) for k, _ in terms):
            continue
        rest = -sum(sign * known(shown[k]) for k, sign in terms if not hidden(shown[k]))
        low = high = 0.0
        for key, sign in terms:
            if hidden(shown[key]):
                least, most = (1, 2) if shown[key] == SMALL else (1, math.inf)
                low += least if sign > 0 else -most
                high += most if sign > 0 else -least
        if rest in (low, high):
            pinned.append((total, parts))
    return pinned


def assert_nothing_recoverable(csv_text: str) -> None:
    shown = shown_values(csv_text)
    assert single_hidden_lines(shown) == []
    assert determined(shown) == []
    assert pinned_lines(shown) == []


def assert_honest(report: Report, shown: Shown) -> None:
    """Shown numbers are the true ones; "<3" stands only for 1 and 2, and every 1 and 2 is
    hidden; "·" never stands for 0 (a 0 can be shown: it is exact and names nobody)."""
    for gemeinde in [*report.gemeinden, TOTAL]:
        for area in [*report.areas, TOTAL]:
            cell = report.cell(gemeinde, area)
            g = {TOTAL: ALL, NO_GEMEINDE: "ohne Gemeinde"}.get(gemeinde, gemeinde)
            a = ALL if area == TOTAL else area
            for metric in CELL_PEOPLE:
                true, value = getattr(cell, metric), shown[("cell", metric, g, a)]
                assert value != SMALL or 0 < true < 3, (g, a, metric, true, value)
                assert value != HIDDEN or true > 0, (g, a, metric, true, value)
                assert value in {SMALL, HIDDEN} or int(value) == true not in (1, 2)
