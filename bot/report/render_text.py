"""`lotse report` for the terminal: plain tables, German labels, the "<3" rule and "·"."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from bot.report import present as p
from bot.report.data import TOTAL, Report

SUMMARY_METRICS = (*p.CELL_METRICS, "median_hours")
HEADERS = [*(p.SHORT_LABELS[m] for m in p.CELL_METRICS), "Median"]  # narrow for terminals


def render_text(report: Report) -> str:
    shown = p.Shown.of(report)
    parts = [
        _title(shown),
        _by_gemeinde(shown),
        _by_area(shown),
        _cells(shown),
        _responses(report),
        _funnel(report),
        _entries(shown),
        _weeks(shown),
        _definitions(),
    ]
    return "\n\n".join(parts) + "\n"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """Columns padded to their widest value: `left` name columns, then right-aligned numbers."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        cells = [
            v.ljust(w) if i < left else v.rjust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _heading(text: str) -> str:
    return f"{text}\n{'=' * len(text)}"


def _title(shown: p.Shown) -> str:
    report = shown.report
    width = max(len(p.METRIC_LABELS[m]) for m in SUMMARY_METRICS) + 1
    facts = [
        f"  {(p.METRIC_LABELS[m] + ':').ljust(width)} {shown.metric(TOTAL, TOTAL, m)}"
        for m in SUMMARY_METRICS
    ]
    return "\n".join(
        [
            _heading("Überblick für die Koordination – Engagement-Lotse Delitzscher Land"),
            f"Zeitraum {p.period_text(report)} · erstellt am {p.generated_text(report)}",
            "Zahlen von 1 oder 2 Personen erscheinen als „<3“ (Datenschutz).",
            p.HIDDEN_NOTE + ".",
            "Median = Zeit von der Anfrage bis zum ersten Kontakt (ab 3 Anfragen).",
            *textwrap.wrap(p.PEOPLE_NOTE, 90),
            "",
            "Insgesamt im Zeitraum",
            *facts,
        ]
    )


def _summary_rows(shown: p.Shown, keys: Sequence[tuple[str, str]], label: int) -> list[list[str]]:
    rows = []
    for key in keys:
        name = p.gemeinde_label(key[0]) if label == 0 else p.area_label(shown.report, key[1])
        rows.append([name, *(shown.metric(*key, m) for m in SUMMARY_METRICS)])
    return rows


def _by_gemeinde(shown: p.Shown) -> str:
    keys = [(g, TOTAL) for g in [*shown.report.gemeinden, TOTAL]]
    headers = ["Gemeinde", *HEADERS]
    return _heading("Je Gemeinde") + "\n" + table(headers, _summary_rows(shown, keys, 0))


def _by_area(shown: p.Shown) -> str:
    keys = [(TOTAL, a) for a in [*shown.report.areas, TOTAL]]
    headers = ["Interessengebiet", *HEADERS]
    return _heading("Je Interessengebiet") + "\n" + table(headers, _summary_rows(shown, keys, 1))


def _cells(shown: p.Shown) -> str:
    heading = _heading("Gemeinde × Interessengebiet")
    report = shown.report
    found = p.active_cells(report)
    if not found:
        return heading + "\nKeine Angebote, Suchen oder Anfragen."
    headers = ["Gemeinde", "Interessengebiet", *HEADERS]
    rows = [
        [
            p.gemeinde_label(g),
            p.area_label(report, a),
            *(shown.metric(g, a, m) for m in SUMMARY_METRICS),
        ]
        for g, a, _ in found
    ]
    note = "Nur Felder mit Angeboten, Suchen oder Anfragen."
    return f"{heading}\n{note}\n{table(headers, rows, left=2)}"


def _funnel(report: Report) -> str:
    heading = _heading("Dialogschritte")
    path = [s for s in report.steps if s.on_path]
    rows = [[s.name, p.people(s.entered), p.percent(s.drop_out)] for s in path]
    headers = ["Schritt (Weg der Freiwilligen)", "Personen", "Abbruch bis zum nächsten"]
    text = heading + "\n" + table(headers, rows)
    others = [s for s in report.steps if not s.on_path]
    if others:
        other_rows = [[s.name, p.step_label(s.kind), p.people(s.entered)] for s in others]
        text += "\n\n" + table(["weitere Schritte", "Art", "Personen"], other_rows, left=2)
    return text + "\n\n" + textwrap.fill(p.FUNNEL_NOTE, 90)


def _responses(report: Report) -> str:
    times = report.responses
    if times is None:
        return ""
    heading = _heading(p.response_title(times))
    if not times.by_gemeinde:
        return heading + "\nKeine Anfragen im Zeitraum und keine überfälligen."
    by_gemeinde, by_lotse = p.response_rows(times)
    return "\n\n".join(
        [
            heading
            + "\n"
            + table(["Gemeinde", *p.RESPONSE_HEADERS[:-1], "überfällig (Nr.)"], by_gemeinde),
            table(["Lotse", *p.RESPONSE_HEADERS[:-1], "überfällig (Nr.)"], by_lotse),
            p.reference_line(times),
            textwrap.fill(p.RESPONSE_NOTE, 90),
        ]
    )


def _weeks(shown: p.Shown) -> str:
    headers = ["Woche", "Tage", *p.WEEK_LABELS.values()]
    rows = [
        [p.week_label(w), p.week_days(w), *(shown.week(w, m) for m in p.WEEK_LABELS)]
        for w in shown.report.weeks
    ]
    return _heading("Verlauf nach Kalenderwochen") + "\n" + table(headers, rows, left=2)


def _entries(shown: p.Shown) -> str:
    heading = _heading("Plakate und Links")
    report = shown.report
    if not report.entries:
        return heading + "\nKeine Gespräche über Plakate oder Links im Zeitraum."
    channels = p.entry_channels(report)
    headers = ["Quelle", "Ziel", *map(p.channel_label, channels), "Gespräche", "Anfragen"]
    rows = [
        [
            row.source,
            row.target,
            *(shown.entry(row, c) for c in channels),
            shown.entry(row, p.CONVERSATIONS),
            p.people(row.leads),
        ]
        for row in report.entries
    ]
    return f"{heading}\n{table(headers, rows, left=2)}\n\n{textwrap.fill(p.ENTRY_NOTE, 90)}"


def _definitions() -> str:
    items = [
        textwrap.fill(f"{term}: {text}", 90, subsequent_indent="  ") for term, text in p.DEFINITIONS
    ]
    return _heading("So wird gezählt") + "\n" + "\n".join(items)
