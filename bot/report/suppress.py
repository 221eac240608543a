"""Secondary suppression: hide more counts so that no hidden one can be worked out again.

Counts of 1 or 2 people are shown as "<3" (primary suppression). A table with totals gives
them away by subtraction: a row "1, 7, total 8" shows "<3, 7, 8", and 8 − 7 = 1. So more
counts are hidden ("·", secondary suppression) until an outsider who knows the rule learns
nothing exact from the lines "total = sum of the parts":

- no line has exactly one hidden count (total minus the others would give it);
- no line pins its hidden counts by their ranges: "<3" is 1 or 2, "·" at least 1 (a 0 is
  always shown), and a sum that is reachable only with every hidden count at the low or at
  the high end of its range gives them all away ("<3" + "<3" = 4 means 2 and 2);
- no hidden count follows from all lines together (exact linear algebra: two rows that each
  hide the same two columns leave every count open, a chain of such rows may not).

The fix for a leaking line is the classic one: hide its smallest shown count above 0 (the
least information lost). A line with nothing left to hide but pinned by ranges shows one of
its "<3" as "·" instead, which widens that count's range. Everything runs in a fixed order,
so the same numbers always give the same report. Intervals that only several lines together
narrow down (without fixing a count exactly) are not looked at.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Key = Hashable
Kind = Literal["small", "hidden"]  # "<3" (1 or 2) or "·" (anything from 1 up)
SMALL: Kind = "small"
HIDDEN: Kind = "hidden"


@dataclass(frozen=True)
class Line:
    """One equation a reader can write down from a table: total = sum of the parts."""

    total: Key
    parts: tuple[Key, ...]

    def terms(self) -> Iterator[tuple[Key, int]]:
        """Each count with its sign in "sum of the parts − total = 0"."""
        yield self.total, -1
        for part in self.parts:
            yield part, 1


def suppress(values: Mapping[Key, int], lines: Sequence[Line], least: int) -> dict[Key, Kind]:
    """Which counts to hide: below `least` (but not 0) as "small", more as "hidden".

    `values` holds every count that the lines use, in the order ties are broken in.
    """
    marks: dict[Key, Kind] = {k: SMALL for k, v in values.items() if 0 < v < least}
    order = {key: index for index, key in enumerate(values)}
    stuck: set[Line] = set()  # lines nothing more can be done for (totals that do not add up)
    while (found := _leak(values, lines, marks, stuck, least)) is not None:
        line, pinned = found
        if _protect(line, values, marks, order, pinned):
            continue
        # Nothing left to hide in the line itself, yet a count is fixed by a chain of lines
        # ("G0 = 3, column totals 3 and 3 of 7" fixing a cell whose own row and column are
        # all hidden): hide the smallest shown count of any line that hides something.
        if not pinned and _protect_chain(lines, values, marks, order):
            continue
        stuck.add(line)
    return marks


def _leak(
    values: Mapping[Key, int],
    lines: Sequence[Line],
    marks: Mapping[Key, Kind],
    stuck: set[Line],
    least: int,
) -> tuple[Line, bool] | None:
    """The first line that gives a hidden count away, and whether it does so by ranges."""
    open_lines = [line for line in lines if line not in stuck]
    for line in open_lines:
        if sum(key in marks for key, _ in line.terms()) == 1:
            return line, False
    for line in open_lines:
        if _pinned(line, values, marks, least):
            return line, True
    fixed = _determined(lines, marks)
    for line in open_lines:
        if any(key in fixed for key, _ in line.terms()):
            return line, False
    return None


def _pinned(line: Line, values: Mapping[Key, int], marks: Mapping[Key, Kind], least: int) -> bool:
    """Whether the hidden counts can only add up with all of them at one end of their range."""
    hidden = [(key, sign) for key, sign in line.terms() if key in marks]
    if not hidden:
        return False
    rest = -sum(sign * values[key] for key, sign in line.terms() if key not in marks)
    low = high = 0.0
    for key, sign in hidden:
        bottom, top = (1, least - 1) if marks[key] == SMALL else (1, math.inf)
        low += bottom if sign > 0 else -top
        high += top if sign > 0 else -bottom
    return rest in (low, high)


def _protect(
    line: Line,
    values: Mapping[Key, int],
    marks: dict[Key, Kind],
    order: Mapping[Key, int],
    pinned: bool,
) -> bool:
    """Hide the line's smallest shown count above 0; failing that widen a "<3" when that
    helps (lines pinned by ranges). False when the line cannot be protected."""
    shown = [key for key, _ in line.terms() if key not in marks and values[key] > 0]
    if shown:
        marks[min(shown, key=lambda k: (values[k], order[k]))] = HIDDEN
        return True
    small = [key for key, _ in line.terms() if marks.get(key) == SMALL]
    if pinned and small:
        marks[small[0]] = HIDDEN  # the total first: it bounds all the parts at once
        return True
    return False


def _protect_chain(
    lines: Sequence[Line],
    values: Mapping[Key, int],
    marks: dict[Key, Kind],
    order: Mapping[Key, int],
) -> bool:
    """Hide the smallest shown count above 0 among the lines that hide something."""
    shown = {
        key
        for line in lines
        if any(key in marks for key, _ in line.terms())
        for key, _ in line.terms()
        if key not in marks and values[key] > 0
    }
    if not shown:
        return False
    marks[min(shown, key=lambda k: (values[k], order[k]))] = HIDDEN
    return True


def _determined(lines: Sequence[Line], marks: Mapping[Key, Kind]) -> set[Key]:
    """Hidden counts that all lines together fix exactly.

    The unknowns are the hidden counts, one equation per line. A count x is fixed exactly
    when "x" is a combination of the equations, i.e. when the reduced row echelon form has
    a row that is 1 at x and 0 everywhere else.
    """
    unknowns = list(marks)
    index = {key: column for column, key in enumerate(unknowns)}
    rows = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for key, sign in line.terms():
            if key in index:
                row[index[key]] += sign
        if any(row):
            rows.append(row)
    return {
        unknowns[next(c for c, v in enumerate(row) if v)]
        for row in _reduced(rows)
        if sum(1 for v in row if v) == 1
    }


def _reduced(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """The nonzero rows of the reduced row echelon form (Gauss–Jordan, exact)."""
    matrix = [list(row) for row in rows]
    width = len(matrix[0]) if matrix else 0
    top = 0
    for column in range(width):
        pivot = next((i for i in range(top, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[top], matrix[pivot] = matrix[pivot], matrix[top]
        lead = matrix[top][column]
        matrix[top] = [v / lead for v in matrix[top]]
        for i, row in enumerate(matrix):
            if i != top and row[column]:
                factor = row[column]
                matrix[i] = [a - factor * b for a, b in zip(row, matrix[top], strict=True)]
        top += 1
    return matrix[:top]
