"""German-aware text normalisation shared by every matcher.

`fold` maps all the ways people spell the same word onto one form: case, umlauts typed
as ä or ae or dropped altogether, ß or ss, accents, punctuation, emoji.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

import simplemma
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

_UMLAUT_PAIRS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_WORD = re.compile(r"[a-z0-9]+")
_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)

# Words that carry no meaning for matching ("ich möchte gern was mit …").
STOPWORDS = frozenset(
    "andere anderen anderer anderes neue neuen neuer leute leuten mensch menschen zeit "
    "machen tun helfen helfe mithelfen unterstutzen".split()
) | frozenset(
    [
        "a",
        "ab",
        "aber",
        "alle",
        "allem",
        "allen",
        "aller",
        "alles",
        "also",
        "am",
        "an",
        "and",
        "auch",
        "auf",
        "aus",
        "bei",
        "beim",
        "bin",
        "bis",
        "bissel",
        "bisschen",
        "bitte",
        "da",
        "dabei",
        "damit",
        "dann",
        "das",
        "dass",
        "dem",
        "den",
        "denen",
        "der",
        "des",
        "dich",
        "die",
        "dies",
        "diese",
        "diesem",
        "dieser",
        "doch",
        "dort",
        "du",
        "durch",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "einfach",
        "es",
        "etwas",
        "eu",
        "euch",
        "for",
        "fur",
        "gar",
        "gehen",
        "gern",
        "gerne",
        "gibt",
        "gut",
        "habe",
        "haben",
        "hallo",
        "hat",
        "hier",
        "i",
        "ich",
        "ihr",
        "im",
        "in",
        "ins",
        "interessiere",
        "interessiert",
        "irgendwas",
        "irgendwie",
        "ist",
        "ja",
        "je",
        "jemand",
        "kann",
        "kannst",
        "konnte",
        "konnen",
        "mal",
        "man",
        "mehr",
        "mein",
        "meine",
        "meinem",
        "meinen",
        "mich",
        "mir",
        "mit",
        "mochte",
        "mochten",
        "muss",
        "na",
        "nach",
        "naturlich",  # "natürlich" is "of course", no nature
        "nicht",
        "nichts",
        "noch",
        "nur",
        "ob",
        "oder",
        "of",
        "ohne",
        "or",
        "schon",
        "sehr",
        "sein",
        "seine",
        "sich",
        "sie",
        "sind",
        "so",
        "some",
        "something",
        "such",
        "suche",
        "the",
        "to",
        "um",
        "und",
        "uns",
        "unser",
        "unsere",
        "vom",
        "von",
        "vor",
        "war",
        "was",
        "weil",
        "welche",
        "wenn",
        "wer",
        "werde",
        "what",
        "wie",
        "will",
        "wir",
        "wo",
        "wurde",
        "wurden",
        "zu",
        "zum",
        "zur",
        "with",
        "would",
        "like",
        "want",
        "am",
        "interested",
        "in",
        "i'm",
        "im",
    ]
)


def clean(text: str) -> str:
    """Remove control and invisible characters; keep everything a person can read."""
    text = unicodedata.normalize("NFC", text)
    return _CONTROL.sub("", text).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII form: 'Schönwölkau', 'Schoenwoelkau', 'Schonwolkau' → 'schonwolkau'."""
    text = text.lower().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    for pair, single in _UMLAUT_PAIRS:
        text = text.replace(pair, single)
    return " ".join(_WORD.findall(text))


def compile_folded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A regular expression written in plain spelling, for text that went through `fold`:
    "dauerhaft", "Tuesday" and "colleagues" fold to "daurhaft", "tusday" and "colleagus",
    so the pattern's letters are folded the same way before it is compiled."""
    for pair, single in _UMLAUT_PAIRS:
        pattern = pattern.replace(pair, single)
    return re.compile(pattern, flags)


def words(text: str) -> list[str]:
    """Original-spelling words (letters incl. umlauts, digits), for lemmatisation."""
    return re.findall(r"[^\W_]+", text.lower())


@lru_cache(maxsize=1)
def _dictionaries() -> TrieDictionaryFactory:
    """simplemma's German dictionary as a memory-mapped trie, built once and kept on disk
    (LEMMA_CACHE_DIR, default the user's cache directory): loading the plain dictionary
    takes over a second and 100 MB at every start, the cached trie 10 ms and a few MB."""
    return TrieDictionaryFactory(disk_cache_dir=os.environ.get("LEMMA_CACHE_DIR") or None)


@lru_cache(maxsize=1)
def _lemmatizer() -> simplemma.Lemmatizer:
    strategy = DefaultStrategy(dictionary_factory=_dictionaries())
    return simplemma.Lemmatizer(lemmatization_strategy=strategy)


@lru_cache(maxsize=1)
def _lookup() -> DictionaryLookupStrategy:
    return DictionaryLookupStrategy(_dictionaries())


@lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """Whether simplemma's German dictionary holds the word ("Hilfe", "gerne", "Halle")."""
    return any(_lookup().get_lemma(form, "de") is not None for form in {word, word.lower()})


_UMLAUTS = {"a": "ä", "o": "ö", "u": "ü"}


def is_known_folded(folded: str) -> bool:
    """`is_known` for a word that went through `fold`: with its umlaut or ß put back and as a
    noun ("alteste": "Älteste", "aue": "Aue")."""
    variants = [
        folded[:i] + _UMLAUTS[c] + folded[i + 1 :] for i, c in enumerate(folded) if c in _UMLAUTS
    ]
    variants += [folded.replace("ss", "ß")] if "ss" in folded else []
    return any(is_known(v) or is_known(v.capitalize()) for v in (folded, *variants))


@lru_cache(maxsize=65536)
def is_english(word: str) -> bool:
    """Whether simplemma's English dictionary holds the word ("teach", "income"): such a
    word in a whole sentence is no misspelt village ("Taucha", "Hainichen")."""
    return _lookup().get_lemma(word.lower(), "en") is not None


def lemmatize(word: str) -> str:
    return _lemmatizer().lemmatize(word, lang="de")


@lru_cache(maxsize=65536)
def lemma_forms(word: str) -> tuple[str, ...]:
    """Folded forms of a word: itself, its lemma (as noun and as other word), a crude stem."""
    # in a fixed order (not a set's, which changes with the hash seed between processes)
    forms = [fold(word), *(fold(lemmatize(v)) for v in (word.capitalize(), word))]
    forms.append(stem(fold(word)))
    return tuple(f for f in dict.fromkeys(forms) if f)


def stem(folded: str) -> str:
    """Strip common German inflection endings (plural, case) from a folded word."""
    for ending in ("innen", "ern", "en", "er", "es", "e", "n", "s"):
        if folded.endswith(ending) and len(folded) - len(ending) >= 4:
            return folded[: -len(ending)]
    return folded


def content_words(text: str) -> list[str]:
    """Meaningful words of a message in original spelling, stopwords removed."""
    return [w for w in words(text) if fold(w) not in STOPWORDS and len(fold(w)) >= 2]
