"""How numbers are shown in every format: the "<3" rule, German labels, units.

All three renderers go through these functions, so a count of one or two people can never
slip out in one format while being hidden in another. `Shown` works out once per report
which further counts are hidden ("·") so that no "<3" follows from the totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from bot.leads.routing import COORDINATION_ID
from bot.report import suppress
from bot.report.data import MIN_SHOWN, NO_GEMEINDE, TOTAL, Cell, EntryRow, Report, WeekRow
from bot.report.response import REFERENCE_TEXT, Responses, ResponseTimes
from bot.report.response import TOTAL as RESPONSE_TOTAL

SMALL = f"<{MIN_SHOWN}"
HIDDEN = "·"  # hidden so that a "<3" cannot be worked out (secondary suppression)
HIDDEN_NOTE = "· = ausgeblendet, damit kleine Zahlen nicht errechnet werden können"
NONE = "–"  # no value at all (no lead with a first contact, no drop-out to compute)

METRIC_LABELS = {
    "offers": "Angebote",
    "interested": "Interessierte",
    "unmet": "ohne passendes Angebot",
    "leads": "Anfragen",
    "accepted": "angenommen",
    "placed": "vermittelt",
    "median_hours": "Median bis Erstkontakt",
}
SHORT_LABELS = {
    "offers": "Angebote",
    "interested": "Interesse",
    "unmet": "ungedeckt",
    "leads": "Anfragen",
    "accepted": "angenommen",
    "placed": "vermittelt",
    "median_hours": "Median Erstkontakt",
}
WEEK_LABELS = {
    "searches": "Interessierte",
    "unmet": "ungedeckt",
    "leads": "Anfragen",
    "placed": "vermittelt",
}
KIND_LABELS = {
    "menu": "Auswahl",
    "choice": "Auswahl",
    "interests": "Interessen",
    "place": "Ort",
    "offers": "Angebote",
    "consent": "Einwilligung",
    "text": "Name",
    "contact": "Kontakt",
    "lead": "Anfrage gespeichert",
    "question": "Frage",
    "info": "Hinweis",
}
PEOPLE_NOTE = (
    "Gezählt werden Personen, nicht Aufrufe: jede einmal je Feld, auch wenn sie mehrmals "
    "schaute oder neu anfing. Wer zwei Bereiche nennt, zählt in beiden, in „alle …“ (Personen "
    "gesamt) aber einmal; die Felder einer Zeile können mehr ergeben als ihre Summe."
)
FUNNEL_NOTE = (
    "„Personen“: wer den Schritt im Zeitraum betreten hat, jede Person einmal, auch wenn sie "
    "ihn mehrmals betrat (über „andere Interessen“, „zurück“ oder nach einem Neustart). "
    "Der Abbruch erscheint nur, wo keine der Zahlen „<3“ ist."
)
# "So wird gezählt": every figure in one or two sentences (all formats; docs/inhalte.md).
DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "Angebote",
        "Angebote aus offers.yaml in Gemeinde und Bereich (ein Unterthema zählt für "
        "seinen Bereich); ohne archivierte und ohne einmalige Angebote, deren Datum vor dem "
        "Zeitraum liegt.",
    ),
    (
        "Interessierte",
        "Personen, denen im Zeitraum Angebote gezeigt wurden, je Gemeinde und Bereich. Wer die "
        "Liste mehrmals ansieht oder neu anfängt, zählt einmal. Wer zwei Bereiche nennt, zählt "
        "in beiden Bereichen, in „alle Bereiche“ und „alle Gemeinden“ aber einmal: die "
        "Personen gesamt können weniger sein als die Summe der Zeilen.",
    ),
    (
        "ohne passendes Angebot",
        "Interessierte, denen dabei mindestens einmal kein gut passendes Angebot gezeigt wurde.",
    ),
    (
        "Anfragen",
        "Personen, die im Zeitraum eine Anfrage an einen Lotsen gestellt haben, je Bereich "
        "ihrer Interessen; zwei Anfragen einer Person zählen einmal.",
    ),
    (
        "angenommen, vermittelt",
        "Personen, deren Anfrage im Zeitraum angenommen bzw. vermittelt wurde, jede einmal.",
    ),
    (
        "Median bis Erstkontakt",
        "Für Anfragen aus dem Zeitraum: Zeit bis „Kontakt "
        "aufgenommen“ (ohne diesen Schritt: bis „angenommen“); nur ab 3 Anfragen.",
    ),
    (
        "Wie Personen erkannt werden",
        "Jede Person hat einen zufälligen Schlüssel, der nur bei ihr gespeichert ist; Suchen und "
        "Dialogschritte tragen ihn, keinen Namen und keine Kennung. Dieselbe Person im Web-Chat "
        "und auf Telegram sind zwei Schlüssel (außer nach dem Wechsel per Link). Zählungen von "
        "vor dieser Umstellung kennen keine Personen und zählen je Eintrag eine Person.",
    ),
    (
        "Gelöschte Daten",
        "Löscht jemand seine Daten, geht der Schlüssel mit: die Suchen und Schritte bleiben als "
        "Zahl stehen, führen aber zu niemandem mehr, und die Anfragen zählen danach je Anfrage. "
        "Kommt die Person wieder, zählt sie als neue Person.",
    ),
    ("ohne Gemeinde", "Suchen und Anfragen mit einem Ort außerhalb der Region oder ohne Ort."),
    (
        "Dialogschritte",
        "Personen, die einen Schritt im Zeitraum erreicht haben, jede einmal je Schritt (auch "
        "nach „zurück“, „andere Interessen“ oder einem Neustart). Der Weg der Freiwilligen "
        "folgt dialog.yaml vom Start über „Ehrenamt“; die Namen der Schritte stehen dort als "
        "report_label.",
    ),
    (
        "Wochen",
        "Je Kalenderwoche dieselben Personenzahlen; wer in zwei Wochen sucht, zählt in beiden.",
    ),
)
CELL_METRICS = ("offers", "interested", "unmet", "leads", "accepted", "placed")
PEOPLE_METRICS = CELL_METRICS[1:]  # offers are public content, not people: never hidden
WEEK_TOTALS = {"searches": "interested", "unmet": "unmet", "leads": "leads", "placed": "placed"}
CONVERSATIONS = "conversations"


def people(count: int) -> str:
    """A count of people: 0 stays 0 (nobody), 1 and 2 become "<3" (could be somebody)."""
    if 0 < count < MIN_SHOWN:
        return SMALL
    return thousands(count)


def hidden(count: int) -> bool:
    return 0 < count < MIN_SHOWN


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def metric(cell: Cell, name: str) -> str:
    """One metric of a cell on its own: offers as they are, people with the "<3" rule.

    In a report use `Shown.metric`, which also knows the counts hidden for the totals."""
    if name == "offers":
        return thousands(cell.offers)
    if name == "median_hours":
        return duration(cell)
    return people(getattr(cell, name))


def median_value(cell: Cell) -> float | None:
    """The median in hours, only when at least MIN_SHOWN leads contribute to it."""
    if len(cell.contact_hours) < MIN_SHOWN:
        return None
    return cell.median_hours


def duration(cell: Cell) -> str:
    """The median time to first contact for people: '18 Std.', '3,5 Tage', '<3' or '–'."""
    if not cell.contact_hours:
        return NONE
    hours = median_value(cell)
    return SMALL if hours is None else hours_text(hours)


def decimal(value: float) -> str:
    """German decimal comma, one place, none for whole numbers."""
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def percent(share: float | None) -> str:
    return NONE if share is None else f"{decimal(share * 100)} %"


def gemeinde_label(gemeinde: str) -> str:
    if gemeinde == TOTAL:
        return "alle Gemeinden"
    return gemeinde if gemeinde != NO_GEMEINDE else "ohne Gemeinde"


def area_label(report: Report, area: str) -> str:
    return "alle Bereiche" if area == TOTAL else report.area_labels.get(area, area)


def step_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", "nicht mehr im Dialog")


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def period_text(report: Report) -> str:
    return f"{day(report.period.start)} – {day(report.period.end)}"


def generated_text(report: Report) -> str:
    local = report.generated_at.astimezone(report.period.zone)
    return local.strftime("%d.%m.%Y %H:%M")


def week_label(week: WeekRow) -> str:
    return f"KW {week.week:02d}/{week.year}"


def week_days(week: WeekRow) -> str:
    """The days of the week that lie in the period, e.g. '02.11.–08.11.'."""
    return f"{week.first:%d.%m.}–{week.last:%d.%m.}"


def active_cells(report: Report) -> list[tuple[str, str, Cell]]:
    """The Gemeinde × area cells with anything in them, in row and column order."""
    found = []
    for gemeinde in report.gemeinden:
        for area in report.areas:
            cell = report.cells.get((gemeinde, area))
            if cell and any(getattr(cell, m) for m in CELL_METRICS):
                found.append((gemeinde, area, cell))
    return found


# --- posters and links ------------------------------------------------------------------

CHANNEL_LABELS = {"telegram": "Telegram", "web": "Web-Chat"}  # always shown, in this order
OTHER_CHANNELS = "andere"  # the terminal chat and anything else: a column only when used
ENTRY_NOTE = (
    "Gespräche: wie oft ein Plakat (QR-Code) oder Link ein Gespräch begonnen hat, je Kanal "
    "(dieselbe Person zweimal zählt zweimal). Anfragen: daraus entstandene Anfragen an einen "
    "Lotsen, gezählt am Tag der Anfrage."
)


def entry_channels(report: Report) -> list[str]:
    """The channel columns: Telegram and Web-Chat, and "andere" when any row has others."""
    others = any(c not in CHANNEL_LABELS for row in report.entries for c in row.started)
    return [*CHANNEL_LABELS, *([OTHER_CHANNELS] if others else [])]


def entry_count(row: EntryRow, channel: str) -> int:
    """Conversations a link brought on one channel column (the rest under "andere")."""
    if channel == OTHER_CHANNELS:
        return sum(n for c, n in row.started.items() if c not in CHANNEL_LABELS)
    return row.started.get(channel, 0)


def channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel)


# --- secondary suppression: what the totals would give away -------------------------------

Key = tuple[str, ...]


@dataclass(frozen=True)
class Shown:
    """A report with the marks of its hidden counts ("<3" or "·"), worked out once.

    The tables with totals – Gemeinde × area with the totals per Gemeinde, per area and
    overall; the weeks, which add up to the overall total; a poster's channels, which add
    up to its conversations – are handed to `suppress` as lines "total = sum of parts".
    """

    report: Report
    marks: Mapping[Key, str]

    @classmethod
    def of(cls, report: Report) -> Shown:
        marks: dict[Key, str] = {}
        for values, lines in _tables(report):
            found = suppress.suppress(values, lines, MIN_SHOWN)
            marks |= {
                key: SMALL if kind == suppress.SMALL else HIDDEN for key, kind in found.items()
            }
        return cls(report, marks)

    def cell_mark(self, gemeinde: str, area: str, name: str) -> str | None:
        return self.marks.get(cell_key(gemeinde, area, name))

    def metric(self, gemeinde: str, area: str, name: str) -> str:
        """One metric of a Gemeinde × area (either may be TOTAL) as shown in the report."""
        mark = self.cell_mark(gemeinde, area, name)
        return mark or metric(self.report.cell(gemeinde, area), name)

    def week_mark(self, week: WeekRow, name: str) -> str | None:
        return self.marks.get(("week", name, week.key))

    def week(self, week: WeekRow, name: str) -> str:
        return self.week_mark(week, name) or people(getattr(week, name))

    def entry_mark(self, row: EntryRow, column: str) -> str | None:
        """`column`: a channel column (see `entry_channels`) or CONVERSATIONS."""
        return self.marks.get(("entry", column, row.source))

    def entry(self, row: EntryRow, column: str) -> str:
        count = row.conversations if column == CONVERSATIONS else entry_count(row, column)
        return self.entry_mark(row, column) or people(count)


def cell_key(gemeinde: str, area: str, name: str) -> Key:
    return ("cell", name, gemeinde, area)


Table = tuple[dict[Key, int], list[suppress.Line]]


def _tables(report: Report) -> Iterator[Table]:
    """Each metric's Gemeinde × area table (with its weeks), then the posters and links."""
    for name in PEOPLE_METRICS:
        yield _cell_table(report, name)
    yield _entry_table(report)


def _cell_table(report: Report, name: str) -> Table:
    gemeinden, areas = [*report.gemeinden, TOTAL], [*report.areas, TOTAL]
    values = {
        cell_key(g, a, name): getattr(report.cell(g, a), name) for g in gemeinden for a in areas
    }
    lines = [
        suppress.Line(cell_key(g, TOTAL, name), tuple(cell_key(g, a, name) for a in areas[:-1]))
        for g in gemeinden
    ]
    lines += [
        suppress.Line(cell_key(TOTAL, a, name), tuple(cell_key(g, a, name) for g in gemeinden[:-1]))
        for a in areas
    ]
    week = next((w for w, total in WEEK_TOTALS.items() if total == name), None)
    if week and report.weeks:
        weeks = {("week", week, w.key): getattr(w, week) for w in report.weeks}
        values |= weeks
        lines.append(suppress.Line(cell_key(TOTAL, TOTAL, name), tuple(weeks)))
    return values, lines


def _entry_table(report: Report) -> Table:
    channels = entry_channels(report)
    values: dict[Key, int] = {}
    lines = []
    for row in report.entries:
        parts = {("entry", c, row.source): entry_count(row, c) for c in channels}
        total = ("entry", CONVERSATIONS, row.source)
        values |= parts | {total: row.conversations}
        lines.append(suppress.Line(total, tuple(parts)))
    return values, lines


# --- response times (the promise, measured) ---------------------------------------------

RESPONSE_HEADERS = (
    "Anfragen",
    "≤ 24 Std.",
    "≤ 72 Std.",
    "Median",
    "90 %",
    "vermittelt",
    "überfällig",
)
RESPONSE_NOTE = (
    "Anfragen: im Zeitraum gestellt. ≤ 24 Std. / ≤ 72 Std.: Anteil, den ein Mensch (Lotse "
    "oder Koordination) so schnell angenommen oder beantwortet hat, unter den Anfragen, deren "
    "Frist schon um ist. Median und 90 %: Zeit bis zur ersten Antwort (90 % wurden schneller "
    "beantwortet). vermittelt: Anteil der Anfragen mit Vermittlung. überfällig: offene "
    "Anfragen, gleich aus welcher Zeit, älter als das Versprechen und ohne Antwort (nur die "
    "Nummern). Eine Anfrage zählt beim Lotsen, der sie zuerst bekam; überfällige stehen, wo "
    "sie jetzt warten. Anteile ab 3 Anfragen, Zeiten ab 3 Antworten."
)


def hours_text(hours: float | None) -> str:
    """'18 Std.', '3,5 Tage' or '–'."""
    if hours is None:
        return NONE
    return f"{decimal(hours)} Std." if hours < 48 else f"{decimal(hours / 24)} Tage"


def share(part: int, base: int) -> str:
    """A share of requests: '–' without any, '<3' below three, else '66,7 %'."""
    if base == 0:
        return NONE
    return SMALL if base < MIN_SHOWN else percent(part / base)


def response_cells(group: Responses) -> list[str]:
    """One row's figures in the order of RESPONSE_HEADERS."""
    enough = len(group.hours) >= MIN_SHOWN
    return [
        people(group.requests),
        share(group.fast, group.due_fast),
        share(group.kept, group.due_promise),
        hours_text(group.median) if enough else (SMALL if group.hours else NONE),
        hours_text(group.p90) if enough else (SMALL if group.hours else NONE),
        share(group.placed, group.requests),
        ", ".join(f"#{n}" for n in group.overdue) or NONE,
    ]


def response_rows(times: ResponseTimes) -> tuple[list[list[str]], list[list[str]]]:
    """(per Gemeinde, then all; per Lotse, the coordination last), each a name and cells."""
    gemeinden = [g for g in times.by_gemeinde if g != RESPONSE_TOTAL]
    by_gemeinde = [
        [gemeinde_label(g), *response_cells(times.by_gemeinde[g])]
        for g in sorted(gemeinden, key=lambda g: (g == NO_GEMEINDE, g))
    ]
    by_gemeinde.append([gemeinde_label(TOTAL), *response_cells(times.total)])
    lotsen = sorted(
        times.by_lotse, key=lambda x: (x == COORDINATION_ID, times.lotse_names.get(x, x))
    )
    by_lotse = [[times.lotse_names.get(x, x), *response_cells(times.by_lotse[x])] for x in lotsen]
    return by_gemeinde, by_lotse


def reference_line(times: ResponseTimes) -> str:
    """The share placed overall next to the agencies' average (the reference line)."""
    total = times.total
    here = share(total.placed, total.requests)
    return f"Vermittlungen je Anfrage hier: {here} · zum Vergleich der {REFERENCE_TEXT}"


def response_title(times: ResponseTimes) -> str:
    promise = decimal(times.promise_hours)
    return f"Antwortzeiten – Versprechen: ein Mensch antwortet binnen {promise} Std."
