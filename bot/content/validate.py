"""Checks that look across content files; each problem names file, line and a fix."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from rapidfuzz import process

from bot import clock
from bot.content import schema
from bot.content.model import (
    EVENTS,
    FREINET_MAPPING,
    INTENT_FILES,
    INTERESTS_LEARNT,
    VARIANT,
    WHATSAPP,
    Content,
)
from bot.content.offer_table import KIND_CODES, NO_END, OfferTable
from bot.content.trust import check_faq, check_lotsen_names
from bot.content.yamlio import LocatedDocument, Path_, Problem
from bot.payloads import MAX_BYTES, SEPARATOR, Choice, Language, size

FIXED_INTEREST_IDS = (
    "sport",
    "kultur",
    "soziales",
    "kinder-jugend",
    "umwelt",
    "rettung",
    "kirche",
    "integration",
    "gesundheit",
    "dorfleben",
    "beteiligung",
    "digital",
)
# Values the code itself gives a step's buttons besides its options: "c0" … for places and
# offers to choose from, "general" for "no offer, general advice". The longest counts for
# every step: a bound that holds without knowing which step kind uses which.
CODE_VALUES = ("general", "c99")


def suggest(word: str, choices: Iterable[str]) -> str:
    """' Meinten Sie „x“?' when a close choice exists, else ''."""
    found = process.extractOne(word, list(choices), score_cutoff=70)
    return f" Meinten Sie „{found[0]}“?" if found else ""


def _duplicates(items: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, key in items:
        if key in seen:
            yield index, key
        seen.add(key)


def cross_check(
    content: Content,
    docs: dict[str, LocatedDocument],
    knowledge: list[tuple[schema.KnowledgeFile, LocatedDocument]],
    *,
    faq_max_age_days: int,
    today: dt.date | None = None,
    offer_problems: Sequence[Problem] = (),
) -> list[Problem]:
    """Cross-file checks. The offers were checked while they were read (`OfferChecker`,
    they are streamed); `offer_problems` is what that found."""
    problems: list[Problem] = []
    problems += _check_texts(content, docs["texts.yaml"])
    problems += _check_dialog(content, docs["dialog.yaml"])
    problems += _check_buttons(content, docs["dialog.yaml"])
    problems += _check_languages(content, docs["texts.yaml"])
    interest_ids = _all_interest_ids(content.taxonomy)
    problems += _check_taxonomy(content, docs["taxonomy.yaml"])
    problems += _check_places(content.places, docs["places.yaml"])
    problems += offer_problems
    if content.freinet_mapping is not None:
        problems += _check_mapping(content.freinet_mapping, docs[FREINET_MAPPING], interest_ids)
    problems += _check_lotsen(content, docs["lotsen.yaml"], interest_ids)
    problems += check_lotsen_names(content.lotsen, docs["lotsen.yaml"])
    if EVENTS in docs:
        problems += _check_events(content, docs[EVENTS])
    today = today or clock.today()
    problems += _check_knowledge(knowledge, faq_max_age_days, today)
    problems += check_faq(knowledge, today.year)
    for name in INTENT_FILES:
        if name in docs:
            problems += _check_intents(content, docs[name])
    if INTERESTS_LEARNT in docs:
        problems += _check_interests_learnt(content, docs[INTERESTS_LEARNT])
    problems += _check_leads(content, docs["leads.yaml"])
    if WHATSAPP in docs:
        problems += _check_whatsapp(content, docs[WHATSAPP])
    return problems


def _all_interest_ids(taxonomy: schema.TaxonomyFile) -> list[str]:
    return [i.id for i in taxonomy.interests] + [
        s.id for i in taxonomy.interests for s in i.subtopics
    ]


def _check_texts(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    for key in schema.CODE_TEXTS:
        if key not in content.texts.texts:
            yield doc.problem(
                ("texts",), f"Text '{key}' fehlt – der Bot braucht ihn; bitte unter 'texts' anlegen"
            )
    yield from _check_channel_variants(content, doc)
    for key, variants in content.texts.texts.items():
        for lang in content.languages:
            if not (variants.get(lang) or "").strip():
                yield doc.problem(
                    ("texts", key),
                    f"Text '{key}' fehlt für Sprache '{lang}' – bitte '{lang}: …' ergänzen",
                )
        for lang in variants:
            if lang not in content.languages:
                yield doc.problem(
                    ("texts", key, lang),
                    f"Sprache '{lang}' ist nicht unter "
                    f"'languages' aufgeführt ({', '.join(content.languages)})",
                )


def _check_channel_variants(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    """`ask_contact@web` is the web chat's wording of `ask_contact`: both must exist."""
    for key in content.texts.texts:
        base, marked, channel = key.partition(VARIANT)
        if not marked:
            continue
        if channel not in schema.CHANNELS:
            yield doc.problem(
                ("texts", key),
                f"Kanal '{channel}' gibt es nicht – möglich: {', '.join(schema.CHANNELS)}",
            )
        elif base not in content.texts.texts:
            yield doc.problem(
                ("texts", key),
                f"'{key}' ist die Fassung für '{channel}' von '{base}' – "
                f"den Text '{base}' gibt es aber nicht",
            )


def _check_dialog(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    steps = content.dialog.steps
    texts = content.texts.texts

    def step_ref(name: str | None, path: tuple) -> Iterator[Problem]:
        if name is not None and name not in steps:
            yield doc.problem(
                path,
                f"unbekannter Schritt '{name}' – es gibt keinen Schritt "
                f"dieses Namens unter 'steps'.{suggest(name, steps)}",
            )

    def text_ref(key: str, path: tuple) -> Iterator[Problem]:
        if key not in texts:
            yield doc.problem(
                path,
                f"Text '{key}' fehlt in texts.yaml – dort anlegen oder "
                f"Schlüssel korrigieren.{suggest(key, texts)}",
            )

    yield from step_ref(content.dialog.start, ("start",))
    for kind, target in content.dialog.deeplinks.items():
        yield from step_ref(target, ("deeplinks", kind))
    for name, step in steps.items():
        here = ("steps", name)
        yield from text_ref(step.text, (*here, "text"))
        yield from step_ref(step.next, (*here, "next"))
        yield from step_ref(step.place_step, (*here, "place_step"))
        asked = steps.get(step.place_step or "")
        if asked is not None and asked.kind != "place":
            yield doc.problem(
                (*here, "place_step"),
                f"'place_step' muss ein Schritt der Art 'place' sein, '{step.place_step}' "
                f"ist '{asked.kind}'",
            )
        for key, label in step.details.items():
            yield from text_ref(label, (*here, "details", key))
        if step.lead_kind:
            yield from text_ref(f"lead_kind_{step.lead_kind}", (*here, "lead_kind"))
        for index, option in enumerate(step.options):
            yield from text_ref(option.label, (*here, "options", index, "label"))
            yield from step_ref(option.next, (*here, "options", index, "next"))
        roles = schema.KIND_TEXTS[step.kind]
        for role in step.texts:
            if role not in roles:
                yield doc.problem(
                    (*here, "texts", role),
                    f"Schritt-Art '{step.kind}' kennt keinen "
                    f"Text '{role}' – erlaubt: {', '.join(roles) or 'keine'}",
                )
        for role, default in roles.items():
            key = step.texts.get(role, default)
            yield from text_ref(
                key, (*here, "texts", role) if role in step.texts else (*here, "kind")
            )
        if step.kind in schema.KINDS_WITH_OPTIONS and not step.options:
            yield doc.problem(
                here,
                f"Schritt '{name}' (Art '{step.kind}') braucht 'options' "
                "mit mindestens einer Schaltfläche",
            )
        if (
            step.kind in schema.KINDS_WITH_NEXT
            and step.next is None
            and not any(o.next for o in step.options)
        ):
            yield doc.problem(
                here,
                f"Schritt '{name}' (Art '{step.kind}') braucht 'next': "
                "den Schritt, der danach kommt",
            )
        for index, key in _duplicates(enumerate(o.value or o.label for o in step.options)):
            yield doc.problem(
                (*here, "options", index), f"Schaltfläche '{key}' doppelt in '{name}'"
            )


def _too_long(what: str, data: str, over: int, fix: str) -> str:
    return (
        f"{what} ist zu lang für Telegram: die Daten der Schaltfläche ('{data}') wären "
        f"{len(data.encode())} Bytes lang, {over} mehr als die erlaubten {MAX_BYTES} – {fix} "
        f"um mindestens {over} Zeichen kürzen (ä, ö, ü, ß zählen doppelt, Emoji vierfach)"
    )


def _check_buttons(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    """A step's name and its options' values are packed into its buttons' data (`s:<step>:
    <value>`): Telegram refuses more than 64 bytes, and a ':' would split the data wrongly."""
    areas = [i.id for i in content.taxonomy.interests]
    for name, step in content.dialog.steps.items():
        here = ("steps", name)
        if SEPARATOR in name:
            yield doc.problem(here, f"Schritt-Name '{name}': bitte ohne Doppelpunkt (':')")
            continue
        own = [*CODE_VALUES, *(areas if step.kind == "interests" else ())]
        widest = Choice(name, max(own, key=lambda v: len(v.encode())))
        if (over := size(widest) - MAX_BYTES) > 0:
            what = f"Schritt-Name '{name}'"
            yield doc.problem(here, _too_long(what, widest.pack(), over, "bitte den Namen"))
            continue  # shortening the name is needed anyway; it may fix the options too
        for index, option in enumerate(step.options):
            yield from _check_option(doc, name, index, option)


def _check_option(
    doc: LocatedDocument, step: str, index: int, option: schema.Option
) -> Iterator[Problem]:
    value = option.value or option.label  # without a value, the label's text key is sent
    where = ("steps", step, "options", index, "value" if option.value else "label")
    field = "den 'value'" if option.value else "einen kürzeren 'value' angeben oder den Schlüssel"
    if not value:
        return  # reported as a missing text
    if SEPARATOR in value:
        yield doc.problem(
            where, f"Schaltfläche '{value}' in Schritt '{step}': bitte ohne Doppelpunkt (':')"
        )
        return
    choice = Choice(step, value)
    if (over := size(choice) - MAX_BYTES) > 0:
        what = f"Schaltfläche '{value}' in Schritt '{step}'"
        yield doc.problem(where, _too_long(what, choice.pack(), over, f"bitte {field}"))


def _check_languages(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    """The language codes go into the buttons of /sprache (`lang:<code>`)."""
    for index, code in enumerate(content.languages):
        if not code or SEPARATOR in code:
            yield doc.problem(("languages", index), f"Sprache '{code}': bitte ein Kürzel wie 'de'")
            continue
        if (over := size(Language(code)) - MAX_BYTES) > 0:
            data = Language(code).pack()
            yield doc.problem(
                ("languages", index), _too_long(f"Sprache '{code}'", data, over, "bitte")
            )


def _check_taxonomy(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    ids = [i.id for i in content.taxonomy.interests]
    extra = [i for i in ids if i not in FIXED_INTEREST_IDS]
    for fixed in FIXED_INTEREST_IDS:
        if fixed not in ids:
            # A renamed id stands where its closest non-fixed id is; else point at the list.
            close = process.extractOne(fixed, extra, score_cutoff=70)
            yield doc.problem(
                ("interests", ids.index(close[0]), "id") if close else ("interests",),
                f"Interessengebiet '{fixed}' fehlt – die 12 festen "
                "Kennungen aus DESIGN.md dürfen nicht umbenannt oder entfernt werden."
                f"{suggest(fixed, extra)}",
            )
    paths = []
    for i, interest in enumerate(content.taxonomy.interests):
        paths.append((("interests", i, "id"), interest.id))
        for j, sub in enumerate(interest.subtopics):
            paths.append((("interests", i, "subtopics", j, "id"), sub.id))
    for index, key in _duplicates(enumerate(k for _, k in paths)):
        yield doc.problem(
            paths[index][0], f"Kennung '{key}' doppelt – Kennungen müssen eindeutig sein"
        )
    for i, interest in enumerate(content.taxonomy.interests):
        for lang in content.languages:
            if lang not in interest.label:
                yield doc.problem(
                    ("interests", i, "label"),
                    f"Bezeichnung von '{interest.id}' fehlt für Sprache '{lang}'",
                )
        for j, sub in enumerate(interest.subtopics):
            for lang in content.languages:
                if lang not in sub.label:
                    yield doc.problem(
                        ("interests", i, "subtopics", j, "label"),
                        f"Bezeichnung von '{sub.id}' fehlt für Sprache '{lang}'",
                    )
            for k, area in enumerate(sub.also):
                if area not in ids or area == interest.id:
                    yield doc.problem(
                        ("interests", i, "subtopics", j, "also", k),
                        f"'{area}' bei '{sub.id}' unter also: muss ein anderes "
                        f"Interessengebiet sein ({', '.join(o for o in ids if o != interest.id)})"
                        f".{suggest(area, ids)}",
                    )


def _check_places(places: schema.PlacesFile, doc: LocatedDocument) -> Iterator[Problem]:
    for index, name in _duplicates(enumerate(g.name for g in places.gemeinden)):
        yield doc.problem(("gemeinden", index, "name"), f"Gemeinde '{name}' doppelt")
    for g_index, gemeinde in enumerate(places.gemeinden):
        for index, name in _duplicates(enumerate(o.name for o in gemeinde.ortsteile)):
            yield doc.problem(
                ("gemeinden", g_index, "ortsteile", index),
                f"Ortsteil '{name}' doppelt in Gemeinde '{gemeinde.name}'",
            )
        for index, ortsteil in enumerate(gemeinde.ortsteile):
            if (ortsteil.lat is None) != (ortsteil.lon is None):
                yield doc.problem(
                    ("gemeinden", g_index, "ortsteile", index),
                    f"'{ortsteil.name}': 'lat' und 'lon' nur gemeinsam angeben",
                )
            elif ortsteil.lat is None and not ortsteil.approximate:
                yield doc.problem(
                    ("gemeinden", g_index, "ortsteile", index),
                    f"'{ortsteil.name}' hat keine Koordinaten – 'lat'/'lon' ergänzen "
                    "oder 'approximate: true' setzen (dann gilt der Gemeindemittelpunkt)",
                )
    yield from _check_outside(places, doc)


def _check_outside(places: schema.PlacesFile, doc: LocatedDocument) -> Iterator[Problem]:
    """Two villages of one name beyond the border are fine in different municipalities (the
    bot asks which one); the same one twice is a slip, and a region Gemeinde is no 'outside'."""
    keys = (
        (i, f"{o.name} ({o.gemeinde})" if o.gemeinde else o.name)
        for i, o in enumerate(places.outside)
    )
    for index, key in _duplicates(keys):
        yield doc.problem(("outside", index, "name"), f"Ort '{key}' unter 'outside' doppelt")
    region = {g.name for g in places.gemeinden}
    for index, place in enumerate(places.outside):
        if place.gemeinde in region:
            yield doc.problem(
                ("outside", index, "gemeinde"),
                f"'{place.name}': '{place.gemeinde}' ist eine Gemeinde der Region – "
                "Orte der Region gehören unter 'gemeinden'",
            )


class Located(Protocol):
    """Where a content path stands: a whole document, or one streamed offer of it."""

    def problem(self, path: Path_, message: str, severity: str = "error") -> Problem: ...


class OfferChecker:
    """The cross-file checks of one offers file, one offer at a time (offers are streamed
    from the file, never held as a whole). `taken`: ids already used by offers.yaml."""

    def __init__(
        self, places: schema.PlacesFile, taxonomy: schema.TaxonomyFile, taken: Iterable[str] = ()
    ) -> None:
        self.places = PlaceIndex(places)
        self.interest_ids = _all_interest_ids(taxonomy)
        self._known = set(self.interest_ids)
        self.taken = frozenset(taken)
        self._seen: set[str] = set()
        # Kept apart to report in the order of old: duplicates, clashes, then each offer.
        self._duplicates: list[Problem] = []
        self._clashes: list[Problem] = []
        self._offers: list[Problem] = []

    @property
    def problems(self) -> list[Problem]:
        return [*self._duplicates, *self._clashes, *self._offers]

    def check(self, index: int, offer: schema.Offer, doc: Located) -> None:
        here = ("offers", index)
        if offer.id in self._seen:
            self._duplicates.append(
                doc.problem(
                    (*here, "id"),
                    f"Angebots-Kennung '{offer.id}' doppelt – jede Kennung darf nur einmal "
                    "vorkommen",
                )
            )
        self._seen.add(offer.id)
        if offer.id in self.taken:
            self._clashes.append(
                doc.problem(
                    (*here, "id"),
                    f"importierte Kennung '{offer.id}' gibt es schon in offers.yaml – "
                    "dort umbenennen (importierte Kennungen beginnen mit fn- oder csv-)",
                )
            )
        if not offer.archived:  # archived: kept only for history, a renamed place must not block
            self._offers += self._check_offer(offer, doc, here)

    def clean(self, table: OfferTable) -> bool:
        """Whether `check` would find nothing in any offer of the table – checked once per
        distinct id, place and interest, so 100,000 offers take milliseconds. (When not,
        the file is read again to name each problem's line.)"""
        columns = table.columns
        ids = columns.ids
        if len(np.unique(ids)) != len(ids) or self.taken & set(table.id_list()):
            return False
        active = ~columns.archived
        nowhere = LocatedDocument("", None)
        for code in np.unique(columns.place[active]):
            gemeinde, place = columns.places[code]
            if any(_check_place(self.places, nowhere, (), place, gemeinde)):
                return False
        of_active = np.repeat(active, np.diff(columns.starts))
        if any(
            columns.vocabulary[word] not in self._known
            for word in np.unique(columns.interests[of_active])
        ):
            return False
        once = columns.kind == KIND_CODES["once"]
        return not np.any(active & once & (columns.ends == NO_END))  # a one-off without date

    def _check_offer(self, offer: schema.Offer, doc: Located, here: Path_) -> Iterator[Problem]:
        yield from _check_place(self.places, doc, here, offer.place, offer.gemeinde)
        for j, interest in enumerate(offer.interests):
            if interest not in self._known:
                yield doc.problem(
                    (*here, "interests", j),
                    f"unbekanntes Interessengebiet "
                    f"'{interest}' – siehe taxonomy.yaml.{suggest(interest, self.interest_ids)}",
                )
        if offer.schedule.kind == "once" and offer.schedule.date is None:
            yield doc.problem(
                (*here, "schedule"), "einmaliges Angebot ohne 'date' – Datum ergänzen"
            )


class PlaceIndex:
    """The names of places.yaml, looked up for every offer and event."""

    def __init__(self, places: schema.PlacesFile) -> None:
        self.gemeinden = {g.name for g in places.gemeinden}
        self.by_ortsteil: dict[str, list[str]] = {}
        for g in places.gemeinden:
            for o in g.ortsteile:
                self.by_ortsteil.setdefault(o.name, []).append(g.name)


def _check_place(
    places: PlaceIndex,
    doc: Located,
    here: Path_,
    place: str,
    gemeinde: str | None,
) -> Iterator[Problem]:
    """An offer's or event's `place` (and `gemeinde`) must name one place of places.yaml."""
    gemeinden, by_ortsteil = places.gemeinden, places.by_ortsteil
    if gemeinde is not None and gemeinde not in gemeinden:
        yield doc.problem(
            (*here, "gemeinde"),
            f"unbekannte Gemeinde '{gemeinde}' – siehe places.yaml.{suggest(gemeinde, gemeinden)}",
        )
    elif place in gemeinden and gemeinde in (None, place):
        pass  # the Gemeinde as a whole
    elif place not in by_ortsteil:
        yield doc.problem(
            (*here, "place"),
            f"unbekannter Ort '{place}' – Ortsteil oder "
            f"Gemeinde aus places.yaml angeben.{suggest(place, by_ortsteil)}",
        )
    elif gemeinde is None and len(by_ortsteil[place]) > 1:
        yield doc.problem(
            (*here, "place"),
            f"Ort '{place}' gibt es mehrmals ("
            f"{', '.join(by_ortsteil[place])}) – bitte 'gemeinde' angeben",
        )
    elif gemeinde is not None and gemeinde not in by_ortsteil[place]:
        yield doc.problem(
            (*here, "place"),
            f"'{place}' liegt nicht in der Gemeinde "
            f"'{gemeinde}', sondern in {', '.join(by_ortsteil[place])}",
        )


def _check_events(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    """Places like offers' places, links that open in a browser, days and times in order.
    A date in the past is fine: the bot simply stops showing the event."""
    events = content.events.events
    places = PlaceIndex(content.places)
    for index, _key in _duplicates(
        enumerate(f"{e.title}|{e.date}|{e.place}".casefold() for e in events)
    ):
        yield doc.problem(
            ("events", index),
            f"Veranstaltung '{events[index].title}' am {events[index].date:%d.%m.%Y} doppelt",
            severity="warning",
        )
    for index, event in enumerate(events):
        here = ("events", index)
        yield from _check_place(places, doc, here, event.place, event.gemeinde)
        if event.link is not None and not _is_web_link(event.link):
            yield doc.problem(
                (*here, "link"),
                f"Link {event.link!r} öffnet keine Webseite – "
                "vollständig mit http:// oder https:// angeben, z. B. https://www.delitzsch.de",
            )
        if event.end_date is not None and event.end_date < event.date:
            yield doc.problem(
                (*here, "end_date"),
                f"'end_date' {event.end_date:%d.%m.%Y} liegt vor 'date' "
                f"{event.date:%d.%m.%Y} – Daten prüfen",
            )
        if event.end_time is not None and event.time is None:
            yield doc.problem((*here, "end_time"), "'end_time' ohne 'time' – Beginn ergänzen")
        elif (
            event.end_time is not None
            and event.time is not None
            and event.end_date in (None, event.date)
            and event.end_time <= event.time
        ):
            yield doc.problem(
                (*here, "end_time"),
                f"Ende {event.end_time:%H:%M} liegt nicht nach Beginn {event.time:%H:%M}",
            )


def _is_web_link(link: str) -> bool:
    parts = urlsplit(link.strip())
    return parts.scheme in ("http", "https") and "." in parts.netloc and " " not in link.strip()


def _check_mapping(
    mapping: schema.FreinetMappingFile, doc: LocatedDocument, interest_ids: list[str]
) -> Iterator[Problem]:
    for section in ("areas", "target_groups"):
        for name, ids in getattr(mapping, section).items():
            for j, interest in enumerate(ids):
                if interest not in interest_ids:
                    yield doc.problem(
                        (section, name, j),
                        f"unbekanntes Interessengebiet '{interest}' für '{name}' – "
                        f"siehe taxonomy.yaml.{suggest(interest, interest_ids)}",
                    )
    if mapping.defaults.detail_url and "{id}" not in mapping.defaults.detail_url:
        yield doc.problem(
            ("defaults", "detail_url"),
            "detail_url braucht den Platzhalter {id} (Freinets angebotsId)",
        )


def _check_lotsen(
    content: Content, doc: LocatedDocument, interest_ids: list[str]
) -> Iterator[Problem]:
    gemeinden = [g.name for g in content.places.gemeinden]
    for index, key in _duplicates(enumerate(lotse.id for lotse in content.lotsen)):
        yield doc.problem(("lotsen", index, "id"), f"Lotsen-Kennung '{key}' doppelt")
    covered: set[str] = set()
    for index, lotse in enumerate(content.lotsen):
        for j, name in enumerate(lotse.gemeinden):
            covered.add(name)
            if name not in gemeinden:
                yield doc.problem(
                    ("lotsen", index, "gemeinden", j),
                    f"unbekannte Gemeinde '{name}' "
                    f"für Lotse '{lotse.id}' – siehe places.yaml.{suggest(name, gemeinden)}",
                )
        ids = [x.id for x in content.lotsen]
        for j, deputy in enumerate(lotse.deputies):
            if deputy not in ids or deputy == lotse.id:
                yield doc.problem(
                    ("lotsen", index, "deputies", j),
                    f"Vertretung '{deputy}' ist "
                    f"kein anderer Lotse aus lotsen.yaml.{suggest(deputy, ids)}",
                )
        for j, absence in enumerate(lotse.absent):
            if absence.end < absence.start:
                yield doc.problem(
                    ("lotsen", index, "absent", j),
                    "Abwesenheit endet vor ihrem Beginn – 'from' und 'to' prüfen",
                )
        for j, topic in enumerate(lotse.topics):
            if topic not in interest_ids:
                yield doc.problem(
                    ("lotsen", index, "topics", j),
                    f"unbekanntes Thema '{topic}'.{suggest(topic, interest_ids)}",
                )
    for name in gemeinden:
        if name not in covered:
            yield doc.problem(
                ("lotsen",),
                f"Gemeinde '{name}' hat keinen Lotsen – Anfragen von "
                "dort gehen an die Koordination",
                severity="warning",
            )


def _check_knowledge(
    knowledge: list[tuple[schema.KnowledgeFile, LocatedDocument]], max_age_days: int, today: dt.date
) -> Iterator[Problem]:
    all_ids = [
        (doc, index, entry.id) for file, doc in knowledge for index, entry in enumerate(file.faq)
    ]
    seen: set[str] = set()
    for doc, index, key in all_ids:
        if key in seen:
            yield doc.problem(("faq", index, "id"), f"FAQ-Kennung '{key}' doppelt")
        seen.add(key)
    for file, doc in knowledge:
        for index, entry in enumerate(file.faq):
            for j, related in enumerate(entry.related):
                if related not in seen:
                    yield doc.problem(
                        ("faq", index, "related", j),
                        f"verwandte Frage '{related}' gibt es nicht.{suggest(related, seen)}",
                    )
            if entry.id == schema.NOT_ANSWERABLE:
                yield doc.problem(
                    ("faq", index, "id"),
                    f"'{entry.id}' ist reserviert (unter 'examples:' für Fragen ohne Antwort)",
                )
            age = (today - entry.checked).days
            if age > max_age_days:
                yield doc.problem(
                    ("faq", index, "checked"),
                    f"Antwort '{entry.id}' wurde zuletzt "
                    f"am {entry.checked:%d.%m.%Y} geprüft ({age} Tage) – Fakten prüfen "
                    "und 'checked' aktualisieren",
                    severity="warning",
                )
    yield from _check_examples(knowledge, seen)


def _check_examples(
    knowledge: list[tuple[schema.KnowledgeFile, LocatedDocument]], ids: set[str]
) -> Iterator[Problem]:
    """Examples stand under an entry that exists (or under 'keine-antwort')."""
    known = ids | {schema.NOT_ANSWERABLE}
    for file, doc in knowledge:
        for key, questions in file.examples.items():
            if key not in known:
                yield doc.problem(
                    ("examples", key),
                    f"Beispiele für '{key}': diesen FAQ-Eintrag gibt es nicht."
                    f"{suggest(key, known)}",
                )
            for j, question in enumerate(questions):
                if not question.strip():
                    yield doc.problem(("examples", key, j), "leere Beispielfrage")


def _check_intents(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    """Examples and cues of one intents file stand under a value of the start menu's
    options (examples also under 'none'); none is empty."""
    start = content.dialog.steps.get(content.dialog.start)
    values = {o.value for o in (start.options if start else []) if o.value}
    known = values | {schema.NO_INTENT}
    raw = doc.data if isinstance(doc.data, dict) else {}
    for section in ("examples", "cues"):
        for key, texts in (raw.get(section) or {}).items():
            if key not in known or (section == "cues" and key == schema.NO_INTENT):
                yield doc.problem(
                    (section, key),
                    f"{section} '{key}': das Startmenü hat keine Option mit diesem 'value' "
                    f"(erlaubt: {', '.join(sorted(values))}).{suggest(str(key), known)}",
                )
            elif not texts and section == "examples":
                yield doc.problem((section, key), f"keine Beispiele unter '{key}'")
            for j, text in enumerate(texts or []):
                if not str(text).strip() or str(text).strip() == "*":
                    yield doc.problem((section, key, j), "leerer Eintrag – bitte entfernen")


def _check_interests_learnt(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    """Counts name top-level areas and never more writers than readings. An unknown area
    (renamed in the taxonomy since the file was written) is only left unused."""
    areas = {interest.id for interest in content.taxonomy.interests}
    for word, counts in content.interest_word_counts.items():
        for area, (named, read) in counts.items():
            if area not in areas:
                yield doc.problem(
                    ("words", word, area),
                    f"'{word}': unbekanntes Interessengebiet '{area}' – wird nicht genutzt; "
                    "die Datei neu schreiben: python tools/learn_area_words.py",
                    severity="warning",
                )
            elif named > read:
                yield doc.problem(
                    ("words", word, area),
                    f"'{word}' → {area}: {named} Mal genannt, aber nur {read} Mal gelesen – "
                    "die erste Zahl kann nicht größer sein",
                )


def _check_leads(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    try:
        ZoneInfo(content.leads.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        yield doc.problem(
            ("timezone",), f"unbekannte Zeitzone '{content.leads.timezone}' – z. B. Europe/Berlin"
        )
    if content.leads.escalate_after_hours <= content.leads.remind_after_hours:
        yield doc.problem(
            ("escalate_after_hours",),
            "die Weitergabe muss nach der Erinnerung "
            "kommen: escalate_after_hours > remind_after_hours",
        )
    yield from _check_second_contact(content, doc)


def _check_second_contact(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    second = content.leads.second_contact
    if second is None:
        return
    ids = [lotse.id for lotse in content.lotsen]
    if second.lotse not in ids:
        yield doc.problem(
            ("second_contact", "lotse"),
            f"Zweitkontakt '{second.lotse}' ist kein Lotse aus lotsen.yaml."
            f"{suggest(second.lotse, ids)}",
        )
    if second.after_days >= content.leads.expire_after_days:
        yield doc.problem(
            ("second_contact", "after_days"),
            "der Zweitkontakt käme nie an die Reihe: second_contact.after_days muss "
            "kleiner sein als expire_after_days",
        )


_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


def _check_whatsapp(content: Content, doc: LocatedDocument) -> Iterator[Problem]:
    """Templates as Meta takes them: every language of the content, {{1}}…{{n}} for the
    declared parameters, each with an example; a template for each use."""
    whatsapp = content.whatsapp
    uses = {template.use for template in whatsapp.templates}
    if whatsapp.templates and "waiting_message" not in uses:
        yield doc.problem(("templates",), "keine Vorlage mit 'use: waiting_message'")
    for index, template in enumerate(whatsapp.templates):
        here = ("templates", index)
        for lang in content.languages:
            if lang not in template.texts or lang not in template.languages:
                yield doc.problem(here, f"Vorlage '{template.name}': Sprache '{lang}' fehlt")
        wanted = [str(n) for n in range(1, len(template.parameters) + 1)]
        for lang, text in template.texts.items():
            found = _PLACEHOLDER.findall(text.body)
            if sorted(set(found)) != wanted:
                yield doc.problem(
                    (*here, "texts", lang, "body"),
                    f"Vorlage '{template.name}' ({lang}): Platzhalter {found} passen nicht zu "
                    f"{len(template.parameters)} Parameter(n) – erwartet {{{{1}}}} bis "
                    f"{{{{{len(template.parameters)}}}}}",
                )
        for p_index, parameter in enumerate(template.parameters):
            for lang in template.texts:
                if lang not in parameter.example:
                    yield doc.problem(
                        (*here, "parameters", p_index),
                        f"Parameter '{parameter.name}': Beispiel für '{lang}' fehlt",
                    )
    for command, words in whatsapp.commands.items():
        if not words:
            yield doc.problem(("commands", command), f"'{command}': keine Wörter")
    for lang in content.languages:
        if whatsapp.commands and lang not in whatsapp.list_button:
            yield doc.problem(("list_button",), f"list_button: Sprache '{lang}' fehlt")
