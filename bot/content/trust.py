"""Can a coordinator trust what the bot says? Checks of the FAQ's sources and amounts, and
the example data still in use (issue #19). All heuristics: they warn, they never block.

- A source names an official page (federal law, the Bund, the Freistaat Sachsen, the
  Landkreis, the Freistaat's insurers) or a page of a named organisation the coordinators
  listed under `trusted_sources:` in a knowledge file. Tax and advice blogs, copies on
  document platforms and pages of other Länder (unless the answer is about that Land) are
  named as such. A source without any web address (a law or a brochure by its name) passes.
- An answer names a past year's amount as current: a € amount next to a year before this
  one, without "bis 2025", "bisher", "früher" … that marks it as past; or a past amount
  named before the current one.
- An answer opens with a paragraph number instead of the rule in plain words.
- Example data: Lotsen, offers and events marked `example: true`, and Lotsen whose name
  looks like a placeholder ("Beispiel", "Muster", "Platzhalter" …) but are not marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from bot.content import schema
from bot.content.model import Content
from bot.content.yamlio import LocatedDocument, Problem

# Official pages: the host itself or any sub-domain of it (ehrenamt.sachsen.de).
OFFICIAL_DOMAINS = (
    "gesetze-im-internet.de",
    "bund.de",  # *.bund.de: fuehrungszeugnis.bund.de and the federal agencies
    "sachsen.de",  # *.sachsen.de: the Freistaat's ministries and programmes, revosax
    "bmfsfj.de",
    "bundesfinanzministerium.de",
    "bundesjustizamt.de",
    "bmj.de",
    "bmas.de",
    "bundesregierung.de",
    "bundestag.de",
    "bundesrat.de",
    "landkreis-nordsachsen.de",
    "unfallkassesachsen.de",
    "unfallkasse-sachsen.de",
    "dguv.de",
    "minijob-zentrale.de",
    "arbeitsagentur.de",
    "europa.eu",
)
# Pages of other Länder: fine only where the answer is about that Land.
OTHER_LAENDER = {
    "bayern.de": "Bayern",
    "baden-wuerttemberg.de": "Baden-Württemberg",
    "bw.de": "Baden-Württemberg",
    "berlin.de": "Berlin",
    "brandenburg.de": "Brandenburg",
    "bremen.de": "Bremen",
    "hamburg.de": "Hamburg",
    "hessen.de": "Hessen",
    "regierung-mv.de": "Mecklenburg-Vorpommern",
    "niedersachsen.de": "Niedersachsen",
    "nrw.de": "Nordrhein-Westfalen",
    "rlp.de": "Rheinland-Pfalz",
    "saarland.de": "Saarland",
    "sachsen-anhalt.de": "Sachsen-Anhalt",
    "schleswig-holstein.de": "Schleswig-Holstein",
    "thueringen.de": "Thüringen",
}
# Words in a host or path that mark a blog, tax or legal advice, or a guide site.
ADVICE_WORDS = ("steuer", "blog", "berater", "kanzlei", "partner", "ratgeber", "forum", "hartz")
DOCUMENT_PLATFORMS = ("issuu.com", "yumpu.com", "9dok.net", "scribd.com", "docplayer.org")

_ADDRESS = re.compile(
    r"(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(/[^\s;,]*)?", re.IGNORECASE
)


@dataclass(frozen=True)
class Address:
    host: str  # lower case, without "www."
    path: str


def addresses(source: str) -> list[Address]:
    """The web addresses a source names ('https://…', 'ehrenamt.sachsen.de/…')."""
    found = []
    for match in _ADDRESS.finditer(source):
        host = match[1].lower().removeprefix("www.")
        if not re.search(r"[a-z]", host.rsplit(".", 1)[0]):
            continue  # digits and dots: a date or a number, not a host
        found.append(Address(host, (match[2] or "").lower()))
    return found


def _under(host: str, domains: Iterable[str]) -> str | None:
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def judge(address: Address, answer: str, trusted: Sequence[str]) -> str | None:
    """Why this address is no source to cite here, or None when it is one."""
    if land_domain := _under(address.host, OTHER_LAENDER):
        land = OTHER_LAENDER[land_domain]
        if land.casefold() in answer.casefold():
            return None  # the answer is about that Land
        return (
            f"ist eine Seite des Landes {land} – für Sachsen die sächsische oder "
            "Bundesquelle nennen"
        )
    if _under(address.host, DOCUMENT_PLATFORMS):
        return "ist eine Kopie auf einer Dokumentenplattform – das Original beim Herausgeber nennen"
    if _under(address.host, OFFICIAL_DOMAINS) or _under(address.host, trusted):
        return None
    if any(word in address.host or word in address.path for word in ADVICE_WORDS):
        return "sieht nach Steuer-, Rechts- oder Ratgeberblog aus – die amtliche Quelle nennen"
    return (
        "ist keine amtliche Seite und steht nicht unter 'trusted_sources' – amtliche Quelle "
        "nennen oder die Seite einer benannten Organisation dort eintragen"
    )


# --- amounts of past years ------------------------------------------------------------

_AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*(?:,\d{1,2})?\s*(?:€|Euro\b|EUR\b)")
_YEAR = re.compile(r"(?<![\d,])(?:\d{1,2}\.\d{1,2}\.)?((?:19|20)\d\d)(?!\d|\s*(?:€|Euro))")
_SINCE = re.compile(r"\b(?:ab|seit)\s+(?:dem\s+)?(?:\d{1,2}\.\d{1,2}\.)?((?:19|20)\d\d)\b", re.I)
_UNTIL = re.compile(r"\bbis\s+(?:zum\s+|Ende\s+)?(?:\d{1,2}\.\d{1,2}\.)?(?:19|20)\d\d\b", re.I)
_PAST_WORDS = re.compile(
    r"\b(?:bisher|früher|vorher|zuvor|damals|zuletzt|ehemals|waren|war|galt|galten)\b", re.I
)
_SENTENCE_END = re.compile(r"(?<=[.!?:])[ \t]+(?=[A-ZÄÖÜ•„])|\n+")


def sentences(text: str) -> list[str]:
    """Lines and sentences; 'z. B.' and dates do not end one."""
    guarded = re.sub(r"\b([A-Za-z])\. (?=[A-Za-zäöü])", "\\1.\u00a0", text)
    return [part.strip() for part in _SENTENCE_END.split(guarded) if part.strip()]


def amount_problems(answer: str, year: int) -> list[str]:
    """What makes a past year's amount look current: one message per finding."""
    found: list[str] = []
    dated: list[tuple[str, str]] = []  # (sentence, "current" | "past"), in order
    for sentence in sentences(answer):
        if not _AMOUNT.search(sentence):
            continue
        years = [int(y) for y in _YEAR.findall(sentence)]
        if not years:
            continue
        if max(years) >= year or any(int(y) <= year for y in _SINCE.findall(sentence)):
            dated.append((sentence, "current"))
            continue
        dated.append((sentence, "past"))
        if not (_UNTIL.search(sentence) or _PAST_WORDS.search(sentence)):
            found.append(
                f"„{_short(sentence)}“ nennt einen Betrag von {max(years)} wie einen aktuellen – "
                f"den Betrag für {year} nennen oder den alten kennzeichnen (z. B. „bis "
                f"{max(years)}: …“, „bisher …“)"
            )
    kinds = [kind for _, kind in dated]
    if "current" in kinds and kinds[0] == "past":
        found.append(
            f"nennt zuerst einen früheren Betrag („{_short(dated[0][0])}“) – den aktuellen "
            "Betrag zuerst nennen, frühere danach"
        )
    return found


def _short(sentence: str, width: int = 60) -> str:
    sentence = sentence.replace("\u00a0", " ")
    return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "…"


def opens_with_paragraph(answer: str) -> bool:
    """The first sentence cites a paragraph (§) instead of stating the rule plainly."""
    first = sentences(answer)
    return bool(first) and "§" in first[0]


# --- the FAQ --------------------------------------------------------------------------


def check_faq(
    knowledge: list[tuple[schema.KnowledgeFile, LocatedDocument]], year: int
) -> Iterator[Problem]:
    trusted = [
        d.lower().removeprefix("www.") for file, _ in knowledge for d in file.trusted_sources
    ]
    for file, doc in knowledge:
        for index, entry in enumerate(file.faq):
            here = ("faq", index)
            named = {address.host: address for address in addresses(entry.source)}
            for address in named.values():
                if reason := judge(address, entry.answer, trusted):
                    yield doc.problem(
                        (*here, "source"),
                        f"Quelle von '{entry.id}': {address.host} {reason}",
                        severity="warning",
                    )
            for message in amount_problems(entry.answer, year):
                yield doc.problem(
                    (*here, "answer"), f"Antwort '{entry.id}' {message}", severity="warning"
                )
            if opens_with_paragraph(entry.answer):
                yield doc.problem(
                    (*here, "answer"),
                    f"Antwort '{entry.id}' beginnt mit einem Paragraphen – zuerst die Regel in "
                    "einfachen Worten, die Rechtsgrundlage danach oder unter 'source'",
                    severity="warning",
                )


# --- example data ---------------------------------------------------------------------

PLACEHOLDER = re.compile(
    r"beispiel|muster|platzhalter|exempel|vorlage|tester|dummy|lorem|\btest\b|\bxxx\b", re.I
)


def check_lotsen_names(lotsen: list[schema.Lotse], doc: LocatedDocument) -> Iterator[Problem]:
    """A placeholder name without `example: true` would reach citizens unnoticed."""
    for index, lotse in enumerate(lotsen):
        if not lotse.example and PLACEHOLDER.search(lotse.name):
            yield doc.problem(
                ("lotsen", index, "name"),
                f"'{lotse.name}' sieht nach einem Platzhalter aus – den echten Namen eintragen "
                "(oder, wenn es ein Beispiel ist, 'example: true' setzen)",
                severity="warning",
            )


@dataclass(frozen=True)
class ExampleData:
    """What is marked `example: true` and would reach citizens: names, ids, titles."""

    lotsen: tuple[str, ...] = ()  # "Anna Beispiel (Delitzsch)"
    offers: tuple[str, ...] = ()  # offer ids
    events: tuple[str, ...] = ()  # titles

    def __bool__(self) -> bool:
        return bool(self.lotsen or self.offers or self.events)

    def counts(self) -> str:
        """'10 Lotsen, 61 Angebote, 12 Veranstaltungen' (only what is there)."""
        parts = [
            (len(self.lotsen), "Lotse", "Lotsen"),
            (len(self.offers), "Angebot", "Angebote"),
            (len(self.events), "Veranstaltung", "Veranstaltungen"),
        ]
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n)


def example_data(content: Content) -> ExampleData:
    return ExampleData(
        lotsen=tuple(
            f"{lotse.name} ({', '.join(lotse.gemeinden)})"
            for lotse in content.lotsen
            if lotse.example
        ),
        offers=tuple(content.offers.example_ids()),
        events=tuple(event.title for event in content.events.events if event.example),
    )


SHOWN = 12  # ids listed per kind; the rest are counted


def listing(examples: ExampleData) -> list[str]:
    """One line per kind of example data, for `lotse check` and `lotse doctor`."""
    lines = []
    for label, file, items in (
        ("Lotsen", "content/lotsen.yaml", examples.lotsen),
        ("Angebote", "content/offers.yaml", examples.offers),
        ("Veranstaltungen", "content/events.yaml", examples.events),
    ):
        if items:
            more = f" und {len(items) - SHOWN} weitere" if len(items) > SHOWN else ""
            lines.append(f"{label} ({len(items)}, {file}): {', '.join(items[:SHOWN])}{more}")
    return lines
