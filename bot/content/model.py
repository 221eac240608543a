"""What the loader produces: `Content`, the names of its files and the error that lists
every problem. Everything that uses content imports it from here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from bot.content import schema
from bot.content.offer_table import OfferTable
from bot.content.yamlio import Problem

CONTENT_FILES: dict[str, type[BaseModel]] = {
    "texts.yaml": schema.TextsFile,
    "dialog.yaml": schema.DialogFile,
    "taxonomy.yaml": schema.TaxonomyFile,
    "places.yaml": schema.PlacesFile,
    "offers.yaml": schema.OffersFile,
    "lotsen.yaml": schema.LotsenFile,
    "leads.yaml": schema.LeadsFile,
}
# Written by `lotse offers import` (never by hand) and merged with offers.yaml.
IMPORTED_OFFERS = "offers-imported.yaml"
# Freinet's areas → our interest ids, for the Freinet import.
FREINET_MAPPING = "freinet-mapping.yaml"
# The regional calendar ("Was ist los?"); without the file the calendar is empty.
EVENTS = "events.yaml"
# via=LATER: a text for the outbox keeps its {/command} placeholders; the channel that
# delivers it names the command its own way (Content.commands): the person may have moved
# from the web chat to Telegram before the message goes out.
LATER = "later"
COMMAND = re.compile(r"\{/([a-z_]+)\}")
# `ask_contact@web`: the web chat's own wording of the text `ask_contact` (Content.text).
VARIANT = "@"
# Example first messages per menu option (bot/understanding); without it only synonyms count.
INTENTS = "intents.yaml"
# More examples of the same form, collected from the labelled development sets
# (tests/data/openers_dev*.yaml) by tools/collect_intent_examples.py; learnt like intents.yaml.
COLLECTED_INTENTS = "intents-collected.yaml"
INTENT_FILES = (INTENTS, COLLECTED_INTENTS)
# How often the development sets' writers named an area the bot read from a word, written
# by tools/learn_area_words.py; it orders the areas read. Without it they stay as read.
INTERESTS_LEARNT = "interests-learnt.yaml"
# The WhatsApp channel's templates for Meta and typed command words (bot/whatsapp).
WHATSAPP = "whatsapp.yaml"
# Offers files are streamed, one offer at a time, into a compact table (offer_table.py).
OFFER_FILES = ("offers.yaml", IMPORTED_OFFERS)
OPTIONAL_FILES: dict[str, type[BaseModel]] = {
    IMPORTED_OFFERS: schema.OffersFile,
    FREINET_MAPPING: schema.FreinetMappingFile,
    EVENTS: schema.EventsFile,
    INTENTS: schema.IntentsFile,
    COLLECTED_INTENTS: schema.IntentsFile,
    INTERESTS_LEARNT: schema.InterestsLearntFile,
    WHATSAPP: schema.WhatsAppFile,
}


@dataclass(frozen=True)
class Content:
    """Everything coordinators maintain, validated and cross-checked."""

    texts: schema.TextsFile
    dialog: schema.DialogFile
    taxonomy: schema.TaxonomyFile
    places: schema.PlacesFile
    offers: OfferTable  # any sequence of offers given here becomes a compact table
    lotsen: list[schema.Lotse]
    faq: list[schema.FaqEntry]
    faq_examples: dict[str, list[str]] = field(default_factory=dict)  # knowledge `examples:`
    leads: schema.LeadsFile = field(default_factory=schema.LeadsFile)
    warnings: tuple[Problem, ...] = ()
    freinet_mapping: schema.FreinetMappingFile | None = None
    events: schema.EventsFile = field(default_factory=schema.EventsFile)  # events.yaml
    # `examples:` of intents.yaml and intents-collected.yaml: menu option value (or "none")
    # → example first messages
    intent_examples: dict[str, list[str]] = field(default_factory=dict)
    intent_cues: dict[str, list[str]] = field(default_factory=dict)  # their `cues:`
    # interests-learnt.yaml: word → area → (named by the writers, read by the bot)
    interest_word_counts: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    whatsapp: schema.WhatsAppFile = field(default_factory=schema.WhatsAppFile)

    def __post_init__(self) -> None:
        object.__setattr__(self, "offers", OfferTable.of(self.offers))

    @property
    def languages(self) -> list[str]:
        return self.texts.languages

    def text(self, key: str, lang: str, *, via: str | None = None, **values: Any) -> str:
        """The text in `lang`, its {placeholders} filled. Channel `via` may have its own
        wording, the text `<key>@<via>` (e.g. `ask_contact@web`: what "here in the chat"
        means in a browser). A command placeholder such as {/meine_daten} names the
        command the way `via` offers it: its text `<via>_command_meine_daten` (the web
        chat's buttons), else '/meine_daten' as typed on Telegram and in the terminal."""
        own = self.texts.texts.get(f"{key}{VARIANT}{via}") if via else None
        variants = own or self.texts.texts.get(key)
        if variants is None:  # validation makes this unreachable for keys named in content
            return key
        template = variants.get(lang) or variants[self.languages[0]]
        if not values and "{/" not in template:
            return template
        try:
            return template.format_map(_KeepUnknown(values, self, lang, via))
        except (ValueError, IndexError):  # a stray brace in a coordinator's text
            return template

    def language(self, code: str | None) -> str:
        """`code` if the content speaks it, else the first language (the default)."""
        return code if code in self.languages else self.languages[0]

    def interest_label(self, interest_id: str, lang: str) -> str:
        """An area's or sub-topic's label in `lang` (else its first); the id if unknown."""
        for area in self.taxonomy.interests:
            for item in (area, *area.subtopics):
                if item.id == interest_id:
                    return item.label.get(lang) or next(iter(item.label.values()))
        return interest_id

    def command_ref(self, command: str, lang: str, via: str | None) -> str:
        """How people on channel `via` give `command` (without the slash)."""
        if via == LATER:
            return "{/" + command + "}"
        own = f"{via}_command_{command}"
        return self.text(own, lang) if via and own in self.texts.texts else f"/{command}"

    def commands(self, text: str, lang: str, via: str | None) -> str:
        """A queued text (rendered with via=LATER) as channel `via` delivers it."""
        if "{/" not in text:
            return text
        return COMMAND.sub(lambda found: self.command_ref(found[1], lang, via), text)


class _KeepUnknown(dict[str, Any]):
    """Placeholders without a value stay visible as {name} instead of failing; {/command}
    is the channel's way to give that command."""

    def __init__(self, values: dict[str, Any], content: Content, lang: str, via: str | None):
        super().__init__(values)
        self.content, self.lang, self.via = content, lang, via

    def __missing__(self, key: str) -> str:
        if key.startswith("/") and key[1:].isidentifier():
            return self.content.command_ref(key[1:], self.lang, self.via)
        return "{" + key + "}"


class ContentError(Exception):
    """Content did not validate; `problems` lists every error (and warning) found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} Fehler im Inhalt:\n" + "\n".join(map(str, errors)))


def summary(content: Content) -> str:
    """One line for `lotse check` and /reload: what was loaded."""
    places = sum(len(g.ortsteile) for g in content.places.gemeinden)
    archived = content.offers.count_archived()
    inferred = content.offers.count_inferred()
    notes = [f"+{archived} archiviert"] if archived else []
    if inferred:  # interests_inferred: read from the offer's own text, a person should look
        notes.append(f"{inferred} mit erschlossenen Interessen – bitte prüfen")
    offers = f"{len(content.offers) - archived} Angebote" + (
        f" ({', '.join(notes)})" if notes else ""
    )
    return (
        f"{len(content.dialog.steps)} Dialogschritte, {len(content.texts.texts)} Texte, "
        f"{offers}, {len(content.lotsen)} Lotsen, {places} Orte "
        f"(+{len(content.places.outside)} außerhalb), "
        f"{len(content.faq)} FAQ-Einträge, {len(content.events.events)} Veranstaltungen"
    )
