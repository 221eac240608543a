"""`lotse report --format csv`: one tidy table, one value per row.

Columns: section, gemeinde, interest, step, week, metric, value, source (a poster's
payload, or a Lotse's id in "antwort_lotse"). A column that does
not apply to a section is empty; "alle" marks a total. One long table (instead of a wide one)
loads the same way into a spreadsheet pivot table, R or pandas, and new metrics never
shift columns. Counts of people follow the same "<3" rule as the other formats, and the
same counts are hidden as "·" so that no "<3" follows from the totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from bot.report import present as p
from bot.report.data import NO_GEMEINDE, TOTAL, Cell, Report
from bot.report.response import TOTAL as RESPONSE_TOTAL
from bot.report.response import Responses

COLUMNS = ("section", "gemeinde", "interest", "step", "week", "metric", "value", "source")
CELL_METRICS = (*p.CELL_METRICS, "median_hours")
ALL = "alle"

Row = tuple[str, str, str, str, str, str, str]  # all columns but `source`, which `rows` adds


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(report))
    return out.getvalue()


def rows(report: Report) -> Iterator[tuple[str, ...]]:
    shown = p.Shown.of(report)
    yield from ((*row, "") for row in _period(report))
    for part in (_cells, _steps, _weeks):
        for row in part(shown):
            yield (*row, "")
    yield from _entries(shown)
    yield from _responses(report)


def value(cell: Cell, metric: str, mark: str | None = None) -> str:
    """A cell's metric for machines: plain digits, '<3', '·', median hours with a dot, or ''.

    `mark`: how the report shows this count when it is hidden (`Shown.cell_mark`)."""
    if mark:
        return mark
    if metric == "offers":
        return str(cell.offers)
    if metric == "median_hours":
        if not cell.contact_hours:
            return ""
        hours = p.median_value(cell)
        return p.SMALL if hours is None else f"{hours:.1f}"
    count = getattr(cell, metric)
    return p.SMALL if p.hidden(count) else str(count)


def _name(gemeinde: str) -> str:
    return ALL if gemeinde == TOTAL else ("ohne Gemeinde" if gemeinde == NO_GEMEINDE else gemeinde)


def _period(report: Report) -> Iterator[Row]:
    generated = report.generated_at.astimezone(report.period.zone).isoformat(timespec="seconds")
    for metric, shown in (
        ("from", report.period.start.isoformat()),
        ("to", report.period.end.isoformat()),
        ("generated_at", generated),
    ):
        yield ("zeitraum", "", "", "", "", metric, shown)


def _cells(shown: p.Shown) -> Iterator[Row]:
    """Every Gemeinde × area (zeros too), then the totals per Gemeinde, per area, overall."""
    report = shown.report
    sections = [
        ("zelle", [(g, a) for g in report.gemeinden for a in report.areas]),
        ("gemeinde", [(g, TOTAL) for g in report.gemeinden]),
        ("interessengebiet", [(TOTAL, a) for a in report.areas]),
        ("gesamt", [(TOTAL, TOTAL)]),
    ]
    for section, keys in sections:
        for gemeinde, area in keys:
            cell = report.cell(gemeinde, area)
            interest = ALL if area == TOTAL else area
            for metric in CELL_METRICS:
                shown_value = value(cell, metric, shown.cell_mark(gemeinde, area, metric))
                yield (section, _name(gemeinde), interest, "", "", metric, shown_value)


def _steps(shown: p.Shown) -> Iterator[Row]:
    for row in shown.report.steps:
        section = "schritt" if row.on_path else "schritt_weitere"
        yield (section, "", "", row.step, "", "entered", _people(row.entered))
        if row.on_path:
            drop = "" if row.drop_out is None else f"{row.drop_out * 100:.1f}"
            yield (section, "", "", row.step, "", "drop_out_percent", drop)


def _weeks(shown: p.Shown) -> Iterator[Row]:
    for week in shown.report.weeks:
        for metric in p.WEEK_LABELS:
            count = shown.week_mark(week, metric) or _people(getattr(week, metric))
            yield ("woche", "", "", "", week.key, metric, count)


def _people(count: int) -> str:
    return p.SMALL if p.hidden(count) else str(count)


def _entries(shown: p.Shown) -> Iterator[tuple[str, ...]]:
    """Section "plakat": per poster or link (`source`, its payload), conversations per
    channel (`conversations_telegram`, `conversations_web`, `conversations_andere` when
    used), in all (`conversations`) and the leads from them (`leads`)."""
    channels = p.entry_channels(shown.report)
    for row in shown.report.entries:
        counts = [
            (f"conversations_{c}", shown.entry_mark(row, c) or _people(p.entry_count(row, c)))
            for c in channels
        ]
        conversations = shown.entry_mark(row, p.CONVERSATIONS) or _people(row.conversations)
        counts += [(p.CONVERSATIONS, conversations), ("leads", _people(row.leads))]
        for metric, count in counts:
            where = (row.gemeinde or "", row.interest or "")
            yield ("plakat", *where, "", "", metric, count, row.source)


def _responses(report: Report) -> Iterator[tuple[str, ...]]:
    """Sections "antwort_gemeinde" (Gemeinde in `gemeinde`, "alle" for all) and
    "antwort_lotse" (the Lotse's id in `source`): requests, the shares answered within 24
    and 72 hours and placed (percent, one decimal), median and 90th percentile hours to
    the first answer, and the overdue request numbers (space-separated). The same "<3"
    rule as the other formats: shares from 3 requests, times from 3 answers."""
    times = report.responses
    if times is None:
        return
    for gemeinde, group in times.by_gemeinde.items():
        name = ALL if gemeinde == RESPONSE_TOTAL else _name(gemeinde)
        for metric, shown in _response_values(group):
            yield ("antwort_gemeinde", name, "", "", "", metric, shown, "")
    for lotse, group in times.by_lotse.items():
        for metric, shown in _response_values(group):
            yield ("antwort_lotse", "", "", "", "", metric, shown, lotse)


def _response_values(group: Responses) -> Iterator[tuple[str, str]]:
    def share(part: int, base: int) -> str:
        return "" if not base else (p.SMALL if p.hidden(base) else f"{part / base * 100:.1f}")

    def hours(value: float | None) -> str:
        if not group.hours:
            return ""
        return p.SMALL if p.hidden(len(group.hours)) else f"{value:.1f}"

    yield "requests", _people(group.requests)
    yield "answered_24h_percent", share(group.fast, group.due_fast)
    yield "answered_72h_percent", share(group.kept, group.due_promise)
    yield "median_hours", hours(group.median)
    yield "p90_hours", hours(group.p90)
    yield "placed_percent", share(group.placed, group.requests)
    yield "overdue", " ".join(str(n) for n in group.overdue)
