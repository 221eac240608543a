"""Slots found anywhere in a whole sentence: the place and the details of a help request.

A place resolver built for answers to "where do you live?" compares every span of words
with every place name. In a whole sentence that would turn ordinary words into villages
("Hilfe", "gerne"), so here only words that are no ordinary German or English word may
match a place approximately, and a place name that is also a word ("Halle", "Werben", "Laue")
counts only after "in", "aus", "bei" …
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from bot.matching.places import FILLERS, Place, PlaceResolver
from bot.text import STOPWORDS, fold, is_english, is_known
from bot.understanding.cues import ENGLISH

# Words after which a place name is expected ("wohne in …", "aus …", "bei …").
PLACE_CUES = frozenset(
    "in im aus bei nach von nahe nah nahe naehe wohne wohnen lebe komme ot ortsteil raum "
    "gegend umgebung richtung from near at around".split()
)
_CLAUSE_END = re.compile(r"[.,;:!?\n]\s*$")
# The LEADER region as a whole is no place: "im Delitzscher Land" is not Delitzsch.
_REGION = re.compile(r"\b(?:delitzscher|delitzscha)\s+land(?:es|s)?\b|\bleader[- ]region\b", re.I)
# An organisation named right before its village ("Der Sportverein Kletzen", "FFW Zwochau",
# "die Kirchgemeinde Glesien"): the village is cued like after "in".
_ORGANISATION_BEFORE = re.compile(
    r"(?:verein|vereins|club|klub|chor|feuerwehr|ffw|sv|tsv|fsv|gemeinde|kirchgemeinde|kita|"
    r"grundschule|schule|heimatverein|jugendclub|dorfclub|wehr|(?:orts|ortschafts|gemeinde|"
    r"stadt|dorf)rat|gemeinschaft|gesellschaft|initiative|spielplatz)$"
)
# "Laue bei Delitzsch", "Werben b. Delitzsch": the village, located by the town after it
_LOCATED_BY = frozenset(("bei", "b", "nahe", "near"))
SURE_TYPO, CUED_TYPO = 88, 80  # similarity a typo needs without / right after a cue
# Where someone lives counts before where they work, shop or see the doctor ("arbeite in
# Delitzsch und wohne in Storkwitz", "Oma wohnt in Kyhna, muss zum Arzt nach Delitzsch").
_LIVING = frozenset(
    "wohne wohnen wohnt wohn lebe leben lebt live lives living wohnhaft daheim hause".split()
)
HOME = 10  # added to a name's score when a word of living stands up to four words before
MAX_SPAN = 3


@dataclass(frozen=True)
class _Token:
    text: str  # as typed
    folded: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.group(), fold(m.group()), m.start(), m.end())
        for m in re.finditer(r"[^\W_]+", text)
        if fold(m.group())
    ]


# Words no dictionary here knows that sound like a village: English words of organisations
# ("parish" is no Pohritzsch) and greeting slang ("digga" is no Taucha).
NO_PLACE_WORDS = frozenset(
    "parish church club shelter rescue charity council volunteers volunteering kitchen soup "
    "digga digger diggi alter bro bruder brudi junge leude".split()
)


def is_ordinary_word(word: str) -> bool:
    """A word of the German dictionary or a common English word ("Hilfe", "gerne", "help")."""
    lower = word.lower()
    folded = fold(word)
    return (
        folded in NO_PLACE_WORDS
        or folded in STOPWORDS
        or folded in ENGLISH
        or is_known(lower)
        or is_known(word.capitalize())
        or is_english(word)
    )


# a candidate name: its score, first and last token, and the places it may name
_Found = tuple[float, int, int, list[tuple[Place, float]]]


class PlaceScanner:
    """Finds the place a whole sentence names, if any."""

    def __init__(self, resolver: PlaceResolver) -> None:
        self.resolver = resolver

    def find(self, text: str) -> tuple[Place | None, tuple[int, int] | None]:
        """The place and the character span of its name in `text` (to read around it)."""
        text = _REGION.sub(lambda m: " " * len(m.group()), text)
        tokens = _tokens(text[:400])
        found: list[_Found] = []
        taken: set[int] = set()
        for size in range(MAX_SPAN, 0, -1):
            for start in range(len(tokens) - size + 1):
                span = tokens[start : start + size]
                if set(range(start, start + size)) & taken:
                    continue
                if span[0].folded in FILLERS or span[-1].folded in FILLERS:
                    continue
                if any(t.folded.isdigit() for t in span):
                    continue
                cued = start > 0 and tokens[start - 1].folded in PLACE_CUES
                cued = cued or (
                    start > 0
                    and bool(_ORGANISATION_BEFORE.search(tokens[start - 1].folded))
                    and span[0].text[:1].isupper()
                )
                cued = cued or self._located(tokens, start + size)
                cued = cued or self._after_its_town(text, tokens, start)  # "Delitzsch-Laue"
                # "… Kasse oder Imbiss. biesen": a name standing alone at the very end
                cued = cued or (
                    start > 0
                    and start + size == len(tokens)
                    and bool(_CLAUSE_END.search(text[: span[0].start]))
                )
                matches = self._accepted(text, span, cued, alone=len(tokens) == size)
                if start > 0 and _names_a_person(tokens[:start]):  # "ich heiße Nguyen"
                    matches = [(place, score) for place, score in matches if score >= 100]
                if matches:
                    best = max(score for _, score in matches)
                    home = cued and any(
                        t.folded in _LIVING for t in tokens[max(0, start - 4) : start]
                    )
                    bonus = (5 if cued else 0) + (HOME if home else 0)
                    found.append((best + bonus, start, start + size, matches))
                    if best >= 100:
                        taken |= set(range(start, start + size))
        if not found:
            return None, None
        found.sort(key=lambda item: -item[0])
        listed = _first_of_a_list(text, tokens, found)
        if listed is not None:  # "Krostitz und Zschölkau", "Laue bei Delitzsch"
            found = [listed]
        # A place of the region said in full is meant before one beyond it ("studiere in
        # Leipzig, wohne aber bei meinen Eltern in Jesewitz")
        found = [f for f in found if _inside(f)] or found
        _, start, end, _ = found[0]
        # A second exact name beside it ("Beerendorf, Delitzsch") lets the resolver pick
        # the Ortsteil of that Gemeinde.
        spans = [found[0]] + [f for f in found[1:] if f[0] >= 100]
        names = ", ".join(text[tokens[s].start : tokens[e - 1].end] for _, s, e, _ in spans)
        result = self.resolver.resolve(names)
        if result.status == "ambiguous":  # different villages: the one named as home first
            own = [place for place, _ in found[0][3] if place in result.places]
            return (own or list(result.places))[0], (tokens[start].start, tokens[end - 1].end)
        if result.status in ("found", "outside") and result.place:
            return result.place, (tokens[start].start, tokens[end - 1].end)
        return None, None

    def _located(self, tokens: list[_Token], after: int) -> bool:
        """The span is followed by "bei" and the exact name of a place ("Laue bei Delitzsch")."""
        if after + 1 >= len(tokens) or tokens[after].folded not in _LOCATED_BY:
            return False
        return any(
            self._exact_place(tokens[after + 1 : after + 1 + size])
            for size in range(1, MAX_SPAN + 1)
        )

    def _after_its_town(self, text: str, tokens: list[_Token], start: int) -> bool:
        """The span follows the exact name of a place and a hyphen ("Delitzsch-Laue",
        "Krostitz-Kupsal"): the Ortsteil written with its town."""
        if start == 0 or text[tokens[start - 1].end : tokens[start].start] != "-":
            return False
        return self._exact_place(tokens[start - 1 : start])

    def _exact_place(self, span: list[_Token]) -> bool:
        """The words are the exact name of a place."""
        words = " ".join(t.folded for t in span)
        return any(score >= 100 for _, score in self.resolver.match_span(words))

    def _accepted(
        self, text: str, span: list[_Token], cued: bool, alone: bool
    ) -> list[tuple[Place, float]]:
        matches = self.resolver.match_span(" ".join(t.folded for t in span))
        if not matches:
            return []
        exact = [(p, s) for p, s in matches if s >= 100]
        ordinary = [is_ordinary_word(t.text) for t in span]
        if exact:
            # "Halle", "Werben", "Laue": also words; a place only after a cue or on its own
            if all(ordinary) and not (cued or alone):
                return []
            return exact
        if any(ordinary) or any(len(t.folded) < 5 for t in span):
            return []
        needed = CUED_TYPO if cued or alone else SURE_TYPO
        return [(p, s) for p, s in matches if s >= needed]


# "ich heiße Nguyen", "mein Name ist …", "I'm called …", "ich bin der Bernd": a person's name
# follows, which may sound like a village ("Nguyen" like Kyhna) but is none
_NAMING = frozenset("heisse heise heiss heis heesse name named called".split())


def _names_a_person(before: list[_Token]) -> bool:
    """The words before a span introduce a person's name."""
    words = [t.folded for t in before[-2:]]
    return words[-1] in _NAMING or words in (["name", "ist"], ["bin", "der"], ["bin", "die"])


def _inside(found: _Found) -> bool:
    """A name of the region, exact or a sure typo."""
    return any(place.in_region and score >= SURE_TYPO for place, score in found[3])


_LIST_WORDS = frozenset(("und", "oder", "or", "and", "bzw", "/", "&", *_LOCATED_BY))


def _first_of_a_list(text: str, tokens: list[_Token], found: list[_Found]) -> _Found | None:
    """The first of two exact names joined by "und"/"oder"/"/" ("wir wohnen in Krostitz und
    Zschölkau", "Eilenburg oder Delitzsch"): people name where they are first; so does a
    village located by a town ("Laue bei Delitzsch", "Werben b. Delitzsch"). A name
    beside a comma is left to the resolver ("Beerendorf, Delitzsch" names the Ortsteil)."""
    exact = sorted((f for f in found if f[0] >= 100), key=lambda f: f[1])
    for first, second in pairwise(exact):
        between = text[tokens[first[2] - 1].end : tokens[second[1]].start]
        words = between.replace("/", " / ").split()
        if words and all(fold(w) in _LIST_WORDS or w in _LIST_WORDS for w in words):
            return first
    return None


# --- need help: for whom and when ---------------------------------------------------------

_FOR_WHOM = re.compile(
    r"\b(?:für|fuer|for)\s+((?:mich|uns|me|us)\b|(?:meine[nmrs]?|unsere[nmrs]?|mein|unser|"
    r"die|den|das|my|our|a|an|the)\s+[^\W\d_]+(?:\s+[^\W\d_]+)?)",
    re.IGNORECASE,
)
_WHO_NEEDS = re.compile(
    r"\b((?:meine[rnm]?|mein|unsere[rnm]?|unser|my|our)\s+[^\W\d_]+)\s+"
    r"(?:braucht|bräuchte|sucht|kann|ist|wohnt|needs|is|can)\b",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"\b(heute(?:\s+noch)?|morgen(?:\s+früh)?|übermorgen|diese\s+woche|nächste\s+woche|"
    r"nächsten\s+\w+|am\s+(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"wochenende)|(?:ab|bis)\s+\d{1,2}\.\d{1,2}\.?|\d{1,2}\.\d{1,2}\.(?:\d{2,4})?|sofort|"
    r"dringend|bald|so schnell wie möglich|asap|today|tomorrow|next week|this week|urgent(?:ly)?)",
    re.IGNORECASE,
)
_STOP_AFTER = frozenset("braucht brauche needs hilfe help beim bei zum zur und and".split())


def for_whom(text: str) -> str | None:
    """'für meine Nachbarin' → 'meine Nachbarin'; 'meine Mutter braucht …' → 'meine Mutter'."""
    if found := _FOR_WHOM.search(text):
        words = found.group(1).split()
        if len(words) == 3 and fold(words[2]) in _STOP_AFTER | STOPWORDS:
            words = words[:2]
        return " ".join(words)
    if found := _WHO_NEEDS.search(text):
        return found.group(1)
    return None


def when(text: str) -> str | None:
    found = _WHEN.search(text)
    return found.group(1) if found else None
