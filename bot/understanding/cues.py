"""Small signals read from a message's words: yes/no, a chosen item, the language, a
question, navigation – and, from the private modules beside it, when the person has time
(`_times.py`) and who does what for whom (`_roles.py`). This module is their one surface.

The word lists here are closed classes of the language (answers, ordinal numbers, function
words), not content: the menu's and steps' own synonyms come from content/dialog.yaml.
"""

from __future__ import annotations

import re

from bot.matching.options import pick
from bot.text import compile_folded, fold
from bot.understanding._roles import (
    advertises,
    asks_if_wanted,
    asks_timetable,
    asks_whats_there,
    asks_whats_there_later,
    direction,
    offers_help,
    organisation_needs,
    own_group,
    seeks_a_club,
    speaks_for_organisation,
    starts_own_project,
)
from bot.understanding._times import days_and_parts, time_kind, time_slots

__all__ = [
    "ENGLISH",
    "advertises",
    "asks_anything",
    "asks_if_wanted",
    "asks_timetable",
    "asks_whats_there",
    "asks_whats_there_later",
    "asks_whom_to_ask",
    "days_and_parts",
    "direction",
    "is_question",
    "language",
    "navigation",
    "offers_help",
    "ordinal",
    "organisation_needs",
    "own_group",
    "seeks_a_club",
    "speaks_for_organisation",
    "starts_own_project",
    "time_kind",
    "time_slots",
    "yes_no",
]

# --- yes / no -------------------------------------------------------------------------

YES_WORDS = frozenset(
    "ja jaa jaaa jo joa jop jup jap jep jawohl jawoll klar klaro logo gerne gern ok okay oki "
    "okey passt freilich sicher sicherlich einverstanden genau richtig super prima gut "
    "selbstverstandlich natuerlich naturlich allerdings yes yeah yep yup sure ofc da".split()
)
YES_PHRASES = (
    "auf jeden fall", "na klar", "na logo", "na sicher", "nu klar", "nu freilich", "nu logo",
    "mach ich", "machen wir", "von mir aus", "ist gut", "is gut", "in ordnung", "geht klar",
    "of course", "why not", "warum nicht", "go ahead", "sounds good", "bitte ja", "ja bitte",
    "yes please",
)  # fmt: skip
NO_WORDS = frozenset("nein nee ne no nope noe nah nicht kein keine nix".split())
NO_PHRASES = (
    "lieber nicht", "eher nicht", "besser nicht", "nicht notig", "nicht nötig", "kein interesse",
    "keine lust", "keine zeit", "nein danke", "no thanks", "no thank you", "not now",
    "doch nicht", "auf keinen fall", "no way", "nicht mehr", "gar nicht",
)  # fmt: skip
SHORT_ANSWER = 6  # words; a longer message is more than an answer to a yes/no question


def yes_no(text: str) -> str | None:
    """'ja klar', 'jo passt', 'gerne', 'nö danke', 'nee lieber nicht', 'yes please', 'nu'."""
    folded = fold(text)
    words = folded.split()
    if not words:
        return None
    padded = f" {folded} "
    if any(f" {fold(p)} " in padded for p in NO_PHRASES):
        return "no"
    first_clause = fold(re.split(r"[,.;!?–-]", text.strip(), maxsplit=1)[0]).split() or words
    # 'nö', 'nee', 'nein' lead the answer; 'nicht'/'kein' only count in a short answer alone
    if first_clause[0] in {"nein", "nee", "ne", "no", "nope", "noe", "nah", "nix"}:
        return "no"
    if fold(text.strip().split()[0]) == "no" and len(words) <= 3:
        return "no"
    if len(words) > SHORT_ANSWER and first_clause[0] not in YES_WORDS:
        return None
    # Saxon 'nu' is 'yes' when it stands alone or leads a short answer ("nu klar", "nu, gerne")
    if words[0] == "nu" and (len(words) == 1 or words[1] in YES_WORDS | {"freilich", "logo"}):
        return "yes"
    if any(f" {fold(p)} " in padded for p in YES_PHRASES):
        return "yes"
    if first_clause[0] in YES_WORDS or (len(words) <= 3 and any(w in YES_WORDS for w in words)):
        if len(words) <= 3 and any(w in {"nicht", "kein", "keine"} for w in words):
            return "no"
        return "yes"
    if len(words) <= 2 and words[0] in {"nicht", "kein", "keine"}:
        return "no"
    return None


# --- ordinals ("das zweite", "nummer drei", "the first one", "letzte") -----------------

ORDINAL_WORDS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "funft": 5, "sechst": 6, "siebt": 7,
    "acht": 8, "neunt": 9, "zehnt": 10, "first": 1, "second": 2, "third": 3, "fourth": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
NUMBER_WORDS = {
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
}  # fmt: skip
LAST_WORDS = frozenset("letzte letzten letzter letztes last".split())
NUMBER_CUES = frozenset("nummer nr number no option punkt angebot die das der den the #".split())
_ORDINAL_END = re.compile(
    r"^(erst|zweit|dritt|viert|funft|sechst|siebt|acht|neunt|zehnt)(e|en|er|es|em)$"
)


def ordinal(text: str) -> int | None:
    """Which item of a list the message picks: 1-based; -1 for the last one."""
    raw = text.strip().lower()
    if re.fullmatch(r"#?\s*\d{1,2}\s*[.)]?", raw):
        return int(re.sub(r"\D", "", raw)) or None
    words = fold(text).split()
    if not words or len(words) > 6 or "mal" in words:  # "zum ersten Mal" is no choice
        return None
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        if word in LAST_WORDS:
            return -1
        if found := _ORDINAL_END.match(word):
            return ORDINAL_WORDS[found.group(1)]
        if word in ORDINAL_WORDS:
            return ORDINAL_WORDS[word]
        if (number := NUMBER_WORDS.get(word)) and (before in NUMBER_CUES or len(words) <= 2):
            return number
        cued = before in NUMBER_CUES or raw.startswith("#")
        if word.isdigit() and 0 < int(word) <= 20 and cued:
            return int(word)
    return None


# --- language ----------------------------------------------------------------------------

ENGLISH = frozenset(
    "i i'm im me my you your we our the a an and or to of for with from is are am was be "
    "have has want would like need please thanks thank hello what where when how can could "
    "do does there here this that it some any help looking volunteer volunteering moved "
    "live living near people something somebody someone work time week weekend evening "
    "evenings mornings yes no not just also about which who our us will should they "
    "their them".split()
)
GERMAN = frozenset(
    "ich mich mir mein meine meiner wir uns unser du sie er es der die das den dem des ein "
    "eine einen einem und oder nicht kein keine ist sind bin habe hab hat haben mochte mochten "
    "wurde will gerne gern bitte danke hallo wie was wo wann wer warum gibt es auch noch mal "
    "mit fur bei von aus zu zum zur im auf nach wohne helfen hilfe suche suchen brauche "
    "jemand etwas was kann konnen ja nein moin tach abends wochenende woche zeit leute "
    "verein dorf".split()
)
_GERMAN_LETTERS = re.compile(r"[äöüß]", re.IGNORECASE)


def language(text: str) -> str | None:
    """'en' or 'de' when the function words say so clearly; None for short or mixed text."""
    words = re.findall(r"[a-zäöüß']+", text.lower())
    english = sum(w in ENGLISH for w in words)
    german = sum(fold(w) in GERMAN for w in words) + len(_GERMAN_LETTERS.findall(text))
    if english >= 2 and english > 2 * german:
        return "en"
    if german >= 2 and german > 2 * english:
        return "de"
    return None


# --- questions -----------------------------------------------------------------------

QUESTION_STARTS = frozenset(
    fold(word)
    for word in (
        "wie was wo wann wer warum weshalb wieso welche welcher welches wieviel wozu woher "
        "wohin gibt kann kann konnen muss musste darf bin bekomme kriege krieg brauche brauch "
        "ist sind hat habe how what where when who why which can could do does is are am will "
        "should may"
    ).split()
)


def is_question(text: str) -> bool:
    """A question mark, or a sentence that starts like a question ("wie viele Stunden …")."""
    if "?" in text:
        return True
    words = fold(text).split()
    if len(words) < 3:
        return False
    return words[0] in QUESTION_STARTS - {"brauche", "brauch", "habe", "bin", "ist", "sind", "hat"}


# words that ask inside a sentence: "ich möchte anfragen, ob …", "bin 15, darf ich …"
_ASKING = compile_folded(
    r"\b(?:ob|frage|fragen|anfragen|darf ich|muss ich|kann ich|brauch ich|brauche ich|bin ich|"
    r"wie|was|wo|wann|warum|welche\w*|wer|whether|how|what|where|when|why|which|"
    r"loschen|losche|loscht|delete)\b"
)


# Asking whom to turn to for one's plan ("Wen muss ich da fragen?", "Mit wem muss ich
# reden?", "Who do I talk to?") asks for a person, not an FAQ answer.
_WHOM_TO_ASK = compile_folded(
    r"\b(?:wen|bei wem|mit wem|an wen)\s+(?:muss|musste|soll|sollte|kann|konnte|mus)\s+"
    r"(?:ich|man|wir)\s+(?:\S+\s+){0,3}?(?:fragen|reden|sprechen|wenden|melden)\b|"
    r"\bwho\s+(?:do|should|can)\s+(?:i|we)\s+(?:talk|speak|ask|contact|turn)\b"
)


def asks_whom_to_ask(text: str) -> bool:
    """The writer asks whom to turn to ("Wen muss ich da fragen?")."""
    return bool(_WHOM_TO_ASK.search(fold(text)))


def asks_anything(text: str) -> bool:
    """Whether a message asks anything at all: a question mark or a word that asks. "Ich
    helfe beim Datenschutz" names an FAQ topic but asks nothing."""
    return is_question(text) or bool(_ASKING.search(fold(text)))


# --- navigation ----------------------------------------------------------------------

NAV_WORDS = 4  # a longer message is about something, even if it starts with "hallo"


def navigation(text: str, words: dict[str, list[str]]) -> str | None:
    """back / restart / help when the message is just that; greeting when it opens with one."""
    folded = fold(text)
    tokens = folded.split()
    if not tokens:
        return "help" if "?" in text and len(text.strip()) <= 2 else None
    if len(tokens) <= NAV_WORDS:
        choices = [(kind, names) for kind, names in words.items() if kind != "greeting"]
        rest = " ".join(t for t in tokens if t not in {"bitte", "please", "doch", "mal", "nochmal"})
        chosen = pick(rest or folded, choices)
        # pick() also accepts a prefix: "hi" must not be "hilfe"
        if chosen and any(fold(n) == (rest or folded) or len(rest) >= 4 for n in words[chosen]):
            return chosen
    for greeting in words.get("greeting", []):
        greet = fold(greeting)
        if greet and (folded == greet or folded.startswith(greet + " ")):
            return "greeting"
    return None
