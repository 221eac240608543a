"""Secondary suppression in `lotse report`: no "<3" can be worked out from the totals.

Every check reads the numbers the way an outsider would: from the CSV as rendered. For each
line of a table with a total (a Gemeinde's row, an area's column, the row and column of
totals, the weeks with the overall total, a poster's channels with its conversations) the
equation "total = sum of the parts" holds; tests/helpers/disclosure.py tries to get a hidden
value back from them the ways an outsider could.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.report import Period, Report
from bot.report.data import TOTAL, Cell, EntryRow, WeekRow
from bot.report.render_csv import render_csv
from bot.report.render_html import render_html
from bot.report.render_text import render_text
from tests.helpers.disclosure import (
    CELL_PEOPLE,
    HIDDEN,
    SMALL,
    WEEK_OF,
    assert_honest,
    assert_nothing_recoverable,
    shown_values,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


# --- random small tables ------------------------------------------------------------------

COUNTS = st.one_of(st.integers(0, 4), st.integers(0, 30))


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """A report whose totals add up: Gemeinden × areas, weeks and posters, all small."""
    gemeinden = [f"G{i}" for i in range(draw(st.integers(1, 4)))]
    areas = [f"a{i}" for i in range(draw(st.integers(1, 4)))]
    cells: dict[tuple[str, str], Cell] = {}
    for g in gemeinden:
        for a in areas:
            cells[(g, a)] = Cell(**{m: draw(COUNTS) for m in CELL_PEOPLE})
    for g in gemeinden:
        cells[(g, TOTAL)] = _sum([cells[(g, a)] for a in areas])
    for a in [*areas, TOTAL]:
        cells[(TOTAL, a)] = _sum([cells[(g, a)] for g in gemeinden])
    weeks = _weeks(draw, cells[(TOTAL, TOTAL)])
    entries = [
        EntryRow(
            f"i-{i}",
            "Link",
            None,
            None,
            {c: n for c in ("telegram", "web", "terminal") if (n := draw(COUNTS))},
            draw(COUNTS),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    return Report(
        period=Period(dt.date(2026, 11, 2), dt.date(2026, 11, 29), BERLIN),
        generated_at=NOW,
        gemeinden=gemeinden,
        areas=areas,
        area_labels={a: a.upper() for a in areas},
        cells=cells,
        steps=[],
        weeks=weeks,
        entries=entries,
    )


def _sum(cells: list[Cell]) -> Cell:
    return Cell(**{m: sum(getattr(c, m) for c in cells) for m in CELL_PEOPLE})


def _weeks(draw: st.DrawFn, total: Cell) -> list[WeekRow]:
    """One to three weeks splitting the overall totals (searches are the interested)."""
    count = draw(st.integers(1, 3))
    split = {metric: _split(draw, getattr(total, metric), count) for metric in WEEK_OF}
    start = dt.date(2026, 11, 2)
    return [
        WeekRow(
            2026,
            45 + i,
            start + dt.timedelta(days=7 * i),
            start + dt.timedelta(days=7 * i + 6),
            **{WEEK_OF[m]: split[m][i] for m in WEEK_OF},
        )
        for i in range(count)
    ]


def _split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(reports())
def test_no_small_count_can_be_worked_out_from_the_totals(report: Report) -> None:
    csv_text = render_csv(report)
    assert_nothing_recoverable(csv_text)
    assert_honest(report, shown_values(csv_text))


def test_a_lone_small_count_in_a_row_is_protected() -> None:
    """Row G0: 1, 7, total 8 – today 8 − 7 gives the 1 away; the 7 has to go as well."""
    cells = {
        ("G0", "a0"): Cell(interested=1),
        ("G0", "a1"): Cell(interested=7),
        ("G1", "a0"): Cell(interested=5),
        ("G1", "a1"): Cell(interested=9),
    }
    report = _grid(cells)
    shown = shown_values(render_csv(report))
    assert shown[("cell", "interested", "G0", "a0")] == SMALL
    assert shown[("cell", "interested", "G0", "a1")] == HIDDEN
    assert_nothing_recoverable(render_csv(report))
    assert_honest(report, shown)


def _grid(cells: dict[tuple[str, str], Cell]) -> Report:
    gemeinden = list(dict.fromkeys(g for g, _ in cells))
    areas = list(dict.fromkeys(a for _, a in cells))
    full = dict(cells)
    for g in gemeinden:
        full[(g, TOTAL)] = _sum([cells[(g, a)] for a in areas])
    for a in [*areas, TOTAL]:
        full[(TOTAL, a)] = _sum([full[(g, a)] for g in gemeinden])
    return Report(
        period=Period(dt.date(2026, 11, 2), dt.date(2026, 11, 29), BERLIN),
        generated_at=NOW,
        gemeinden=gemeinden,
        areas=areas,
        area_labels={a: a.upper() for a in areas},
        cells=full,
        steps=[],
        weeks=[],
    )


def test_every_format_shows_the_same_hidden_cells_and_explains_the_dot() -> None:
    report = _grid(
        {
            ("G0", "a0"): Cell(interested=1),
            ("G0", "a1"): Cell(interested=7),
            ("G1", "a0"): Cell(interested=5),
            ("G1", "a1"): Cell(interested=9),
        }
    )
    legend = "· = ausgeblendet, damit kleine Zahlen nicht errechnet werden können"
    text, page = render_text(report), render_html(report)
    assert legend in text and legend in page
    [g0_a1] = [x for x in text.splitlines() if x.startswith("G0 ") and " A1 " in x]
    assert g0_a1.split()[3] == HIDDEN  # Gemeinde, area, offers, interested
    assert ">7<" not in page  # neither in the heat map nor in a table


def test_a_lone_small_count_of_a_poster_channel_is_protected() -> None:
    """Telegram 5, Web-Chat 1, together 6: the 5 would give the 1 away."""
    report = _grid({("G0", "a0"): Cell()})
    report.entries = [EntryRow("i-sport", "Link", "sport", None, {"telegram": 5, "web": 1}, 0)]
    assert_nothing_recoverable(render_csv(report))


def test_a_count_fixed_by_a_chain_of_lines_is_protected() -> None:
    """Found by Hypothesis: every count in G2's row and in column a1 is hidden, yet
    G0 = 3, the column totals 3 (a2) and 7 give a1's total, a0's and so G2/a1 = 1."""
    placed = {
        ("G0", "a0"): 1, ("G0", "a1"): 2, ("G0", "a2"): 0,
        ("G1", "a0"): 0, ("G1", "a1"): 0, ("G1", "a2"): 2,
        ("G2", "a0"): 0, ("G2", "a1"): 1, ("G2", "a2"): 1,
    }  # fmt: skip
    report = _grid({key: Cell(placed=value) for key, value in placed.items()})
    csv_text = render_csv(report)
    assert_nothing_recoverable(csv_text)
    assert_honest(report, shown_values(csv_text))
