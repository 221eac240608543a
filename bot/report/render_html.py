"""`lotse report --format html`: one self-contained page that opens offline.

Inline CSS and inline SVG only; a Content-Security-Policy forbids loading anything else,
so the file can be mailed or put on a stick and shows the same everywhere. The heat maps,
the funnel and the weekly bars use the values *as shown* (after the "<3" rule): a bar or a
colour never tells 1 from 2, and a count hidden as "·" gets neither a bar nor a colour of its
own. Every chart has a table with the same numbers next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.report import present as p
from bot.report.data import TOTAL, Report, StepRow, WeekRow

CSP = "default-src 'none'; style-src 'unsafe-inline'"  # nothing but this file's own styles
SUMMARY_METRICS = (*p.CELL_METRICS, "median_hours")
SCALE_MIN = 10.0  # a chart's axis reaches at least this far, so that few people look few
WEEK_COLOURS = {"searches": "#1d4ed8", "unmet": "#c2410c", "leads": "#047857", "placed": "#7e22ce"}

STYLE = """
:root { --ink: #111827; --muted: #4b5563; --line: #d1d5db; --bg: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f3f4f6; }
header, main { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
main { padding-bottom: 32px; }
header { padding-top: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 0 0 8px; }
.sub { margin: 0; color: var(--muted); }
.note { margin: 8px 0 0; font-size: .9rem; color: var(--muted); }
main > section { margin-top: 20px; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px;
  list-style: none; margin: 0; padding: 0; }
.kpis li { background: var(--bg); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 12px; }
.kpis .v { display: block; font-size: 1.5rem; font-weight: 700; }
.kpis .l { font-size: .85rem; color: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; }
thead th { background: #e5e7eb; vertical-align: bottom; font-weight: 600; }
tbody th { text-align: left; background: #f9fafb; font-weight: 600; white-space: nowrap; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td.t, th.t { text-align: left; }
tr.total th, tr.total td { border-top: 2px solid #6b7280; font-weight: 700; }
.heat th.area { height: 150px; padding: 6px 2px; text-align: left; vertical-align: bottom; }
.heat th.area span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  font-size: .8rem; display: inline-block; }
.heat td { text-align: center; min-width: 58px; height: 44px; padding: 3px 4px; }
.heat .n { display: block; font-size: 1rem; font-weight: 700; }
.heat .o { display: block; font-size: .72rem; white-space: nowrap; }
.heat td.sum { background: #f9fafb; }
.heat td.lv0 .n { font-weight: 400; }
.lv0 { background: #ffffff; color: #4b5563; }
.lvs { background: repeating-linear-gradient(45deg, #e5e7eb 0 3px, #ffffff 3px 7px); }
.lvx { background: #e5e7eb; color: #4b5563; }
.b1 { background: #dbeafe; } .b2 { background: #93c5fd; } .b3 { background: #60a5fa; }
.b4 { background: #1e3a8a; color: #ffffff; }
.r1 { background: #ffedd5; } .r2 { background: #fdba74; } .r3 { background: #f97316; }
.r4 { background: #7c2d12; color: #ffffff; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 0; padding: 0;
  list-style: none; font-size: .8rem; color: var(--muted); }
.legend span { display: inline-block; width: 18px; height: 12px; border: 1px solid #9ca3af;
  vertical-align: middle; margin-right: 4px; }
.stack > * + * { margin-top: 14px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: #111827; }
details { margin-top: 10px; }
summary { cursor: pointer; font-weight: 600; }
.defs dt { font-weight: 600; margin-top: 6px; }
.defs dd { margin: 0 0 0 16px; color: #374151; }
@media print { body { background: #fff; } .card, .kpis li { border-color: #9ca3af; } }
"""


def render_html(report: Report) -> str:
    title = f"Überblick Engagement-Lotse · {p.period_text(report)}"
    shown = p.Shown.of(report)
    body = "\n".join(
        [
            _header(report),
            "<main>",
            _kpis(shown),
            _heat_section(shown, "interested", "b", "Interessierte je Gemeinde und Bereich"),
            _heat_section(shown, "unmet", "r", "Personen ohne gut passendes Angebot"),
            _summary_section(shown),
            _responses_section(report),
            _funnel_section(report),
            _entries_section(shown),
            _weeks_section(shown),
            _details_section(shown),
            _definitions(),
            "</main>",
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


# --- page parts -------------------------------------------------------------------------


def _header(report: Report) -> str:
    return (
        "<header>\n<h1>Überblick für die Koordination</h1>\n"
        f'<p class="sub">Engagement-Lotse Delitzscher Land · Zeitraum '
        f"<strong>{p.period_text(report)}</strong> · erstellt am {p.generated_text(report)}</p>\n"
        '<p class="note">Zahlen von 1 oder 2 Personen erscheinen als „&lt;3“ (Datenschutz); '
        "0 heißt: niemand. Angebote zählen keine Personen und erscheinen immer genau. "
        f"{escape(p.HIDDEN_NOTE)}. {escape(p.PEOPLE_NOTE)}</p>\n"
        "</header>"
    )


def _kpis(shown: p.Shown) -> str:
    items = "".join(
        f'<li><span class="v">{escape(shown.metric(TOTAL, TOTAL, m))}</span>'
        f'<span class="l">{escape(p.METRIC_LABELS[m])}</span></li>'
        for m in ("interested", "unmet", "leads", "accepted", "placed", "median_hours", "offers")
    )
    return (
        '<section aria-labelledby="h-kpi">\n<h2 id="h-kpi">Im Zeitraum insgesamt</h2>\n'
        f'<ul class="kpis">{items}</ul>\n</section>'
    )


def _heat_section(shown: p.Shown, metric: str, palette: str, title: str) -> str:
    report = shown.report
    head = "".join(
        f'<th scope="col" class="area"><span>{escape(p.area_label(report, a))}</span></th>'
        for a in [*report.areas, TOTAL]
    )
    top = _top(shown, metric)
    rows = [
        _heat_row(shown, g, metric, palette, top, total=g == TOTAL)
        for g in [*report.gemeinden, TOTAL]
    ]
    anchor = f"h-heat-{metric}"
    caption = "Zeilen: Gemeinden, Spalten: Interessengebiete; je dunkler, desto mehr." + (
        " Klein darunter: Zahl der Angebote (Ang.)." if metric == "interested" else ""
    )
    return (
        f'<section aria-labelledby="{anchor}" class="card">\n'
        f'<h2 id="{anchor}">{escape(title)}</h2>\n<div class="scroll">\n'
        f'<table class="heat"><caption>{escape(caption)}</caption>\n'
        f'<thead><tr><th scope="col">Gemeinde</th>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + f"\n</tbody></table>\n</div>\n{_legend(palette, top)}\n</section>"
    )


def _top(shown: p.Shown, metric: str) -> int:
    """The largest shown count among the Gemeinde × area cells (the colour scale's top).

    Hidden counts stay out: the legend shows the top, so it would give a "·" away."""
    report = shown.report
    values = [
        getattr(report.cell(g, a), metric)
        for g in report.gemeinden
        for a in report.areas
        if not shown.cell_mark(g, a, metric)
    ]
    return max(values, default=0)


def _heat_row(
    shown: p.Shown, gemeinde: str, metric: str, palette: str, top: int, total: bool
) -> str:
    report = shown.report
    cells = []
    for area in [*report.areas, TOTAL]:
        cell = report.cell(gemeinde, area)
        count = getattr(cell, metric)
        mark = shown.cell_mark(gemeinde, area, metric)
        css = "sum" if total or area == TOTAL else _level(count, top, palette, mark)
        offers = (
            f'<span class="o">{p.thousands(cell.offers)} Ang.</span>'
            if metric == "interested"
            else ""
        )
        label = f"{p.gemeinde_label(gemeinde)}, {p.area_label(report, area)}"
        cells.append(
            f'<td class="{css}" title="{escape(label)}">'
            f'<span class="n">{escape(shown.metric(gemeinde, area, metric))}</span>'
            f"{offers}</td>"
        )
    css = ' class="total"' if total else ""
    name = escape(p.gemeinde_label(gemeinde))
    return f'<tr{css}><th scope="row">{name}</th>{"".join(cells)}</tr>'


def _level(count: int, top: int, palette: str, mark: str | None = None) -> str:
    """A colour class from the shown value: 0, '<3' (hatched, one class for 1 and 2), '·'
    (grey, whatever the count), 1–4.

    Level k holds the counts above (k-1)/4 and up to k/4 of the largest one shown.
    """
    if mark == p.HIDDEN:
        return "lvx"
    if count == 0:
        return "lv0"
    if p.hidden(count) or not top:
        return "lvs"
    return f"{palette}{min(4, max(1, -(-4 * count // top)))}"


def _levels(top: int) -> list[tuple[int, int, int]]:
    """(level, lowest, highest count) of each colour level that can occur, for the legend."""
    found = []
    for level in range(1, 5):
        low = max(p.MIN_SHOWN, top * (level - 1) // 4 + 1)
        high = top * level // 4
        if low <= high:
            found.append((level, low, high))
    return found


def _legend(palette: str, top: int) -> str:
    steps = [("lv0", "0"), ("lvs", "&lt;3"), ("lvx", p.HIDDEN)]
    steps += [
        (f"{palette}{level}", str(low) if low == high else f"{low}–{high}")
        for level, low, high in _levels(top)
    ]
    items = "".join(f'<li><span class="{c}"></span>{t}</li>' for c, t in steps)
    return f'<ul class="legend" aria-label="Farbskala">{items}</ul>'


def _summary_section(shown: p.Shown) -> str:
    report = shown.report
    headers = "".join(f'<th scope="col">{escape(p.SHORT_LABELS[m])}</th>' for m in SUMMARY_METRICS)
    by_gemeinde = [(p.gemeinde_label(g), (g, TOTAL)) for g in report.gemeinden]
    by_area = [(p.area_label(report, a), (TOTAL, a)) for a in report.areas]
    total = ("insgesamt", (TOTAL, TOTAL))
    return (
        '<section aria-labelledby="h-sum" class="card">\n'
        '<h2 id="h-sum">Angebote, Nachfrage und Anfragen</h2>\n<div class="stack">\n'
        + _metric_table(shown, ("Je Gemeinde", "Gemeinde", headers), by_gemeinde, total)
        + _metric_table(shown, ("Je Interessengebiet", "Interessengebiet", headers), by_area, total)
        + "</div>\n</section>"
    )


Where = tuple[str, str]  # (Gemeinde, area), either may be TOTAL


def _metric_table(
    shown: p.Shown,
    head: tuple[str, str, str],
    rows: Sequence[tuple[str, Where]],
    total: tuple[str, Where],
) -> str:
    """A table of the summary metrics; `head`: caption, first column's name, other headers."""
    caption, first, headers = head

    def row(name: str, where: Where, css: str = "") -> str:
        values = "".join(f"<td>{escape(shown.metric(*where, m))}</td>" for m in SUMMARY_METRICS)
        return f'<tr{css}><th scope="row">{escape(name)}</th>{values}</tr>'

    body = "\n".join([*(row(n, c) for n, c in rows), row(*total, ' class="total"')])
    return (
        f'<div class="scroll"><table><caption>{escape(caption)}</caption>\n'
        f'<thead><tr><th scope="col">{first}</th>{headers}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody></table></div>\n"
    )


def _responses_section(report: Report) -> str:
    times = report.responses
    if times is None:
        return ""
    by_gemeinde, by_lotse = p.response_rows(times)
    tables = "\n".join(
        _response_table(caption, first, rows)
        for caption, first, rows in (
            ("Je Gemeinde (Anfragen aus dem Zeitraum)", "Gemeinde", by_gemeinde),
            (
                "Je Lotse (bei wem die Anfrage zuerst ankam)",
                "Lotse",
                by_lotse if times.by_lotse else [],
            ),
        )
        if rows and times.by_gemeinde
    )
    return (
        '<section aria-labelledby="h-resp" class="card">\n'
        f'<h2 id="h-resp">{escape(p.response_title(times))}</h2>\n'
        f"{tables or '<p>Keine Anfragen im Zeitraum und keine überfälligen.</p>'}\n"
        f"<p><strong>{escape(p.reference_line(times))}</strong></p>\n"
        f'<p class="note">{escape(p.RESPONSE_NOTE)}</p>\n</section>'
    )


def _response_table(caption: str, first: str, rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in (first, *p.RESPONSE_HEADERS))
    body = "\n".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(v)}</td>" for v in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="scroll"><table><caption>{escape(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody></table></div>"
    )


def _funnel_section(report: Report) -> str:
    path = [s for s in report.steps if s.on_path]
    others = [s for s in report.steps if not s.on_path]
    rows = "\n".join(_step_row(s) for s in path)
    other_rows = "\n".join(_step_row(s) for s in others)
    more = (
        "<details><summary>Weitere Schritte (Fragen, Hinweise, Abschied)</summary>\n"
        "<table><caption>Personen im Zeitraum, außerhalb des Wegs der Freiwilligen</caption>\n"
        '<thead><tr><th scope="col">Schritt</th><th scope="col" class="t">Art</th>'
        '<th scope="col">Personen</th></tr></thead>\n'
        f"<tbody>{other_rows}</tbody></table></details>\n"
        if others
        else ""
    )
    return (
        '<section aria-labelledby="h-funnel" class="card">\n'
        '<h2 id="h-funnel">Dialogschritte: Weg der Freiwilligen</h2>\n'
        f"{_funnel_svg(path)}\n"
        '<div class="scroll"><table><caption>Wie viele Personen jeden Schritt erreichten (jede '
        "einmal) und wie viele bis zum nächsten Schritt abbrachen</caption>\n"
        '<thead><tr><th scope="col">Schritt</th>'
        '<th scope="col">Personen</th><th scope="col">Abbruch bis zum nächsten</th></tr></thead>\n'
        f"<tbody>{rows}</tbody></table></div>\n{more}</section>"
    )


def _step_row(step: StepRow) -> str:
    """A table row; steps off the path have no next step and so no drop-out column, but
    the kind of step (they are not in the path's order)."""
    drop = f"<td>{p.percent(step.drop_out)}</td>" if step.on_path else ""
    kind = "" if step.on_path else f'<td class="t">{p.step_label(step.kind)}</td>'
    return (
        f'<tr><th scope="row">{escape(step.name)}</th>{kind}'
        f"<td>{_people(step.entered)}</td>{drop}</tr>"
    )


def _funnel_svg(path: list[StepRow]) -> str:
    """Centred bars, one per step, as wide as the shown count (a funnel)."""
    width, row_h, label_w, value_w = 760, 30, 230, 150  # labels: "Zeit: wann in der Woche"
    middle_w = width - label_w - value_w
    top = max([SCALE_MIN, *(_shown(s.entered) for s in path)])
    parts = [_hatch("hatch-funnel", "#1d4ed8")]
    for index, step in enumerate(path):
        y = 6 + index * row_h
        bar = max(2.0, middle_w * _shown(step.entered) / top) if step.entered else 0
        x = label_w + (middle_w - bar) / 2
        fill = "url(#hatch-funnel)" if p.hidden(step.entered) else "#1d4ed8"
        drop = f" · Abbruch {p.percent(step.drop_out)}" if step.drop_out is not None else ""
        parts += [
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(step.name)}</text>',
            f'<rect x="{x:.1f}" y="{y}" width="{bar:.1f}" height="{row_h - 8}" rx="3" '
            f'fill="{fill}" stroke="#1d4ed8"/>'
            if bar
            else "",
            f'<text x="{label_w + middle_w + 8}" y="{y + 17}">{_people(step.entered)}'
            f"{escape(drop)}</text>",
        ]
    height = 12 + len(path) * row_h
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        'aria-labelledby="funnel-title"><title id="funnel-title">Trichter: Personen je '
        "Dialogschritt, rechts die Zahl und der Abbruch bis zum nächsten Schritt</title>"
        + "".join(parts)
        + "</svg>"
    )


def _people(count: int) -> str:
    """A count of people for HTML: "<3" must be escaped like any text."""
    return escape(p.people(count))


def _shown(count: int) -> float:
    """The length a count gets in a chart: '<3' always the same, so 1 and 2 look alike."""
    return 2.0 if p.hidden(count) else float(count)


def _hatch(name: str, colour: str) -> str:
    return (
        f'<defs><pattern id="{name}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{colour}"/></pattern></defs>'
    )


def _entries_section(shown: p.Shown) -> str:
    """Which poster or link brought how many conversations, per channel, and leads."""
    report = shown.report
    heading = (
        '<section aria-labelledby="h-entries" class="card">\n'
        '<h2 id="h-entries">Plakate und Links</h2>\n'
    )
    if not report.entries:
        return (
            heading
            + '<p class="note">Keine Gespräche über Plakate oder Links im Zeitraum.</p>\n</section>'
        )
    channels = p.entry_channels(report)
    names = [*map(p.channel_label, channels), "Gespräche", "Anfragen"]
    head = "".join(f'<th scope="col">{escape(n)}</th>' for n in names)
    rows = "\n".join(
        f'<tr><th scope="row">{escape(row.source)}</th><td class="t">{escape(row.target)}</td>'
        + "".join(f"<td>{escape(shown.entry(row, c))}</td>" for c in channels)
        + f"<td>{escape(shown.entry(row, p.CONVERSATIONS))}</td>"
        + f"<td>{_people(row.leads)}</td></tr>"
        for row in report.entries
    )
    return (
        heading
        + '<div class="scroll"><table><caption>Gespräche und Anfragen je Plakat oder Link'
        + '</caption>\n<thead><tr><th scope="col">Quelle</th><th scope="col" class="t">Ziel</th>'
        + f"{head}</tr></thead>\n<tbody>{rows}</tbody></table></div>\n"
        + f'<p class="note">{escape(p.ENTRY_NOTE)}</p>\n</section>'
    )


def _weeks_section(shown: p.Shown) -> str:
    charts = "\n".join(_week_chart(shown, metric, label) for metric, label in p.WEEK_LABELS.items())
    return (
        '<section aria-labelledby="h-weeks" class="card">\n'
        '<h2 id="h-weeks">Verlauf nach Kalenderwochen</h2>\n'
        f'<div class="charts">\n{charts}\n</div>\n{_weeks_table(shown)}\n</section>'
    )


def _week_length(shown: p.Shown, week: WeekRow, metric: str) -> float:
    """A week's bar length: none for a count hidden as "·" (a bar would show its size)."""
    if shown.week_mark(week, metric) == p.HIDDEN:
        return 0.0
    return _shown(getattr(week, metric))


def _week_chart(shown: p.Shown, metric: str, label: str) -> str:
    weeks = shown.report.weeks
    colour = WEEK_COLOURS[metric]
    width, height, base, top_pad = 320, 170, 140, 18
    slot = (width - 20) / max(1, len(weeks))
    every = max(1, -(-len(weeks) // 12))  # at most 12 week labels under the bars
    top = max([SCALE_MIN, *(_week_length(shown, w, metric) for w in weeks)])
    parts = [
        _hatch(f"hatch-{metric}", colour),
        f'<line x1="10" x2="{width - 10}" y1="{base}" y2="{base}" stroke="#6b7280"/>',
    ]
    for index, week in enumerate(weeks):
        count = getattr(week, metric)
        bar = (base - top_pad - 4) * _week_length(shown, week, metric) / top
        x = 10 + index * slot + slot * 0.15
        fill = f"url(#hatch-{metric})" if p.hidden(count) else colour
        centre = x + slot * 0.35
        if bar:
            parts.append(
                f'<rect x="{x:.1f}" y="{base - bar:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{bar:.1f}" fill="{fill}" stroke="{colour}"/>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{base - bar - 4:.1f}" text-anchor="middle">'
            f"{escape(shown.week(week, metric))}</text>"
        )
        if index % every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{base + 16}" text-anchor="middle">KW {week.week}</text>'
            )
    return (
        f"<figure><figcaption>{escape(label)}</figcaption>"
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)} je Kalenderwoche">{"".join(parts)}</svg></figure>'
    )


def _weeks_table(shown: p.Shown) -> str:
    weeks = shown.report.weeks
    head = "".join(f'<th scope="col">{escape(v)}</th>' for v in p.WEEK_LABELS.values())
    rows = "\n".join(
        f'<tr><th scope="row">{p.week_label(w)}</th><td class="t">{p.week_days(w)}</td>'
        + "".join(f"<td>{escape(shown.week(w, m))}</td>" for m in p.WEEK_LABELS)
        + "</tr>"
        for w in weeks
    )
    return (
        "<details><summary>Zahlen je Woche als Tabelle</summary>\n"
        "<table><caption>Je Kalenderwoche (die erste und letzte Woche können angebrochen sein)"
        '</caption>\n<thead><tr><th scope="col">Woche</th><th scope="col" class="t">Tage</th>'
        f"{head}</tr></thead>\n<tbody>{rows}</tbody></table></details>"
    )


def _details_section(shown: p.Shown) -> str:
    report = shown.report
    headers = "".join(f'<th scope="col">{escape(p.SHORT_LABELS[m])}</th>' for m in SUMMARY_METRICS)
    rows = "\n".join(
        f'<tr><th scope="row">{escape(p.gemeinde_label(g))}</th>'
        f'<td class="t">{escape(p.area_label(report, a))}</td>'
        + "".join(f"<td>{escape(shown.metric(g, a, m))}</td>" for m in SUMMARY_METRICS)
        + "</tr>"
        for g, a, _ in p.active_cells(report)
    )
    return (
        '<section aria-labelledby="h-cells" class="card">\n'
        '<h2 id="h-cells">Alle Felder Gemeinde × Interessengebiet</h2>\n'
        "<details><summary>Tabelle aufklappen (nur Felder mit Angeboten, Suchen oder Anfragen)"
        '</summary>\n<div class="scroll"><table><caption>Alle Kennzahlen je Gemeinde und '
        'Interessengebiet</caption>\n<thead><tr><th scope="col">Gemeinde</th>'
        f'<th scope="col" class="t">Interessengebiet</th>{headers}</tr></thead>\n'
        f"<tbody>{rows}</tbody></table></div></details>\n</section>"
    )


def _definitions() -> str:
    items = "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in p.DEFINITIONS)
    return (
        '<section aria-labelledby="h-defs" class="card">'
        f'<h2 id="h-defs">So wird gezählt</h2><dl class="defs">{items}</dl></section>'
    )
