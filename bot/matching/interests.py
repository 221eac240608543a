"""Free text → interest ids of the taxonomy, ranked with scores.

Each taxonomy id, label and synonym becomes a vocabulary term. A message matches a term
exactly (after folding and lemmatisation), as part of a compound ("Jugendfeuerwehr" holds
"jugend" and "feuerwehr"), as a phrase, or approximately (typos) via rapidfuzz.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.content.schema import TaxonomyFile
from bot.text import (
    content_words,
    fold,
    is_english,
    is_known,
    is_known_folded,
    lemma_forms,
    stem,
)

EXACT, COMPOUND, WEAK_COMPOUND, PHRASE_FUZZY = 1.0, 0.85, 0.7, 0.85
# Separable verb particles: "ich höre zu" means "zuhören".
PARTICLES = frozenset({"zu", "an", "mit", "ein", "auf", "aus", "vor", "bei", "nach", "um", "weg"})
# Words that are also verb particles ("fest|legen", "frei|halten", "zusammen|setzen").
VERB_PARTICLE_PARTS = ("fest", "frei", "voll", "zusammen", "hoch", "fern")
CONFIDENT = 0.75  # below this the dialogue shows the area buttons instead of guessing
MIN_COMPOUND_PART = 4


@dataclass(frozen=True)
class InterestScore:
    id: str  # top-level taxonomy id
    score: float
    subtopic: str | None = None
    # the folded words (or phrases, symbols) it was read from; none for an area a rule adds
    sources: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class _Target:
    interest: str
    subtopic: str | None


class InterestMatcher:
    def __init__(self, taxonomy: TaxonomyFile) -> None:
        # Ordered sets (dicts with None values): a plain set of targets iterates in an order
        # that changes with Python's hash seed, so ties between two areas ("Jugendfeuerwehr")
        # came out in a different order from one process to the next.
        self._words: dict[str, dict[_Target, None]] = defaultdict(dict)
        self._phrases: dict[str, dict[_Target, None]] = defaultdict(dict)
        self._symbols: dict[str, dict[_Target, None]] = defaultdict(dict)
        self._acronyms: dict[str, dict[_Target, None]] = defaultdict(dict)  # "IT", "EDV"
        for interest in taxonomy.interests:
            self._add_terms(
                interest.id, None, [interest.id, *interest.label.values(), *interest.synonyms]
            )
            if interest.emoji:
                self._symbols[interest.emoji.rstrip("\ufe0f")][_Target(interest.id, None)] = None
            for sub in interest.subtopics:
                self._add_terms(interest.id, sub.id, [*sub.label.values(), *sub.synonyms])
        self._vocabulary = list(self._words)
        self._compound_parts = [w for w in self._vocabulary if len(w) >= MIN_COMPOUND_PART]
        self._short_suffixes = [w for w in self._vocabulary if len(w) == MIN_COMPOUND_PART - 1]

    def _add_terms(self, interest: str, subtopic: str | None, terms: list[str]) -> None:
        target = _Target(interest, subtopic)
        for term in terms:
            if not fold(term):  # an emoji or symbol
                self._symbols[term.strip().rstrip("\ufe0f")][target] = None
                continue
            if term.isupper() and len(term) <= 4:
                self._acronyms[term][target] = None
                continue
            for part in term.replace("&", ",").replace("/", ",").split(","):
                folded = fold(part)
                if " " in folded:
                    self._phrases[folded][target] = None
                elif folded:
                    self._words[folded][target] = None
                    self._words[stem(folded)][target] = None

    def classify(self, text: str) -> list[InterestScore]:
        """All interests the text speaks of, best first."""
        # interest → source word → (best score, sub-topic of that hit)
        hits: dict[str, dict[str, tuple[float, str | None]]] = defaultdict(dict)
        for source, target, score in self._matches(text):
            old = hits[target.interest].get(source)
            if old is None or score > old[0] or (score == old[0] and target.subtopic):
                hits[target.interest][source] = (score, target.subtopic)
        return _rank(hits)

    def is_confident(self, scores: list[InterestScore]) -> bool:
        return bool(scores) and scores[0].score >= CONFIDENT

    def confident_ids(self, scores: list[InterestScore], limit: int = 3) -> list[str]:
        return [s.id for s in scores if s.score >= CONFIDENT][:limit]

    def _matches(self, text: str):
        for char in text:
            for target in self._symbols.get(char, ()):
                yield char, target, EXACT
        for word in text.split():
            for target in self._acronyms.get(word.strip(".,;:!?()"), ()):
                yield word, target, EXACT
        folded_text = f" {fold(text)} "
        for phrase, targets in self._phrases.items():
            if f" {phrase} " in folded_text:
                score = EXACT
            elif (
                len(phrase) >= 8
                and len(folded_text) > len(phrase)
                and fuzz.partial_ratio(phrase, folded_text) >= 90
            ):
                score = PHRASE_FUZZY
            else:
                continue
            for target in targets:
                yield phrase, target, score
        for word in content_words(text):
            for target, score in self._match_word(word):
                yield word, target, score
        yield from self._separable_verbs(text)

    def _match_word(self, word: str):
        forms = lemma_forms(word)
        surface = fold(word)
        known = is_known(word)
        if surface.endswith("s") and len(surface) <= 5 and not known:
            forms = (*forms, surface[:-1])  # an English plural the dictionary lacks: "PCs"
        exact = [f for f in forms if f in self._words]
        if exact:
            for form in exact:
                for target in self._words[form]:
                    yield target, EXACT
            return
        best: dict[_Target, float] = {}
        # Typos are judged on real words; the crude stem of a typo only adds noise. A word
        # of the dictionary is no typo ("arbeite" is not "reiten").
        real_forms = tuple(f for f in forms if f == surface or f != stem(surface))
        fuzzy = [] if known else list(self._fuzzy(real_forms))
        # A dictionary word is split as itself or its lemma, never as its crude stem:
        # "Transporter" → "transport" would hold "sport", "Mitstreiter" → "mitstreit" "reit".
        parts_of = real_forms if known else forms
        for target, score in (*self._compound(parts_of, bool(fuzzy), known), *fuzzy):
            best[target] = max(best.get(target, 0.0), score)
        yield from best.items()

    def _compound(self, forms: tuple[str, ...], typo_likely: bool = False, known: bool = False):
        """Known words inside a compound, and what the rest of it is ("Jugend|feuerwer")."""
        for form in forms:
            held = [p for p in self._compound_parts if len(form) > len(p) and _holds_part(form, p)]
            for part in held:
                start = form.find(part)
                if _inside_longer(form, part, start, held):
                    continue  # "Kleingarten|verein" is no "Klein…"
                rests = [r for r in (form[:start], form[start + len(part) :]) if r]
                if start == 0 and any(_is_particle_verb(f) for f in forms):
                    continue  # "fest|legen", "frei|halten": a verb with a particle
                pieces = [hit for rest in rests for hit in self._piece(rest)]
                if 0 < start < MIN_COMPOUND_PART and not pieces and _a_word(form):
                    continue  # "sor|tiere|n" is the verb "sortieren", no animals; "stu|dying"
                if known and not pieces and not _splits(form, start, part):
                    continue  # "Akzep|tanz", "Kanu|le", "Baum|arkt": one word, no compound
                if known and _cuts_verb_suffix(form, start + len(part)):
                    continue  # "sani|eren" is "sanier|en" (renovating), no paramedic
                # "Feier|wehr": a short unknown remainder, when the whole word also looks
                # like a typo of a known word, means the split is likely wrong.
                doubtful = typo_likely and not pieces and any(3 <= len(r) <= 5 for r in rests)
                for target in self._words[part]:
                    yield target, WEAK_COMPOUND if doubtful else COMPOUND
                yield from pieces
            for part in self._short_suffixes:
                if form.endswith(part) and len(form) - len(part) >= MIN_COMPOUND_PART:
                    for target in self._words[part]:
                        yield target, COMPOUND  # "Leih|oma", "Bagger|see"

    def _piece(self, rest: str) -> list[tuple[_Target, float]]:
        """The remainder of a compound: exact, without a linking s/n, or with a typo."""
        for candidate in (rest, rest.removesuffix("s"), rest.removesuffix("n")):
            if len(candidate) >= MIN_COMPOUND_PART and candidate in self._words:
                return [(target, COMPOUND) for target in self._words[candidate]]
        if len(rest) >= 6:
            return [(t, s * 0.95) for t, s in self._fuzzy((rest,))]
        return []

    def _separable_verbs(self, text: str):
        """'ich höre gern zu' → 'zuhören'; 'ich lese vor' → 'vorlesen'. The particle stands
        after its verb at the end of the clause – "mit ihnen reden" is no "mitreden"."""
        for clause in re.split(r"[.,;:!?\n]|\s(?:und|oder|aber|wenn|weil|dass|and|or|but)\s", text):
            words = clause.split()
            if not words or fold(words[-1]) not in PARTICLES:
                continue
            particle = fold(words[-1])
            for word in content_words(" ".join(words[:-1])):
                for form in lemma_forms(particle + word.lower()):
                    for target in self._words.get(form, ()):
                        yield particle + word, target, EXACT * 0.95

    def _fuzzy(self, forms: tuple[str, ...]):
        for form in forms:
            if len(form) < 4:
                continue
            cutoff = 80 if len(form) >= 8 else 84 if len(form) >= 6 else 86
            for term, ratio, _ in process.extract(
                form, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
            ):
                for target in self._words[term]:
                    yield target, 0.92 * ratio / 100


# What may follow a word's start inside one word: an ending, not a second word
# ("Fußball|erin", "Sport|ler", "Tanz|en", "Krank|heit", "Pflege|nde").
_ENDINGS = frozenset(
    {"e", "en", "n", "s", "es", "er", "ern", "in", "innen", "erin", "erinnen", "ler", "lerin"}
    | {"lerinnen", "r", "rin", "rinnen", "ar", "arin", "a", "ies", "nd", "nde", "end", "ende"}
    | {"chen", "lein", "ung", "ungen", "ei", "erei", "isch", "lich", "te", "ten", "heit", "keit"}
    | {"schaft", "tum", "nis", "sche"}
)
_LINKS = ("es", "en", "s", "n", "e")  # "Museum|s|verein", "Krank|en|schwester"
_LINKS_AFTER = (*_LINKS, "ler", "er")  # "Sport|ler|heim"


# The suffix of a verb on -ieren and its forms: "saniert", "Sanierung", "sanieren".
_VERB_SUFFIX = re.compile(r"ier(?:en|e|st|t|te|ten|tes|ter|ung|ungen)?$")


def _cuts_verb_suffix(form: str, end: int) -> bool:
    """Whether a part ending at `end` cuts into the -ier- of a verb ("sani|ert")."""
    suffix = _VERB_SUFFIX.search(form)
    return suffix is not None and suffix.start() < end < suffix.end()


def _splits(form: str, start: int, part: str) -> bool:
    """Whether `part` at `start` splits `form` into words: what stands before and after it."""
    before, after = form[:start], form[start + len(part) :]
    return (not before or _word_like(before, False)) and (not after or _word_like(after, True))


def _word_like(rest: str, after: bool) -> bool:
    """Whether the rest of a split word is a word of its own (with a linking s, n or e) or
    an ending – else the split cuts through one word."""
    if after and rest in _ENDINGS:
        return True
    if after:
        unlinked = [rest[len(link) :] for link in _LINKS_AFTER if rest.startswith(link)]
    else:
        unlinked = [rest[: -len(link)] for link in _LINKS if rest.endswith(link)]
    return any(len(c) >= 3 and is_known_folded(c) for c in (rest, *unlinked))


def _is_particle_verb(form: str) -> bool:
    """'festlegen', 'freihalten': a verb whose first part is only a verb particle."""
    return (
        form.startswith(VERB_PARTICLE_PARTS)
        and form.endswith(("en", "ern", "eln"))
        and is_known(form)
    )


def _inside_longer(form: str, part: str, start: int, held: list[str]) -> bool:
    """A longer known part covers this one at the same start or end of the word."""
    end = start + len(part)
    for other in held:
        if len(other) <= len(part):
            continue
        begin = form.find(other)
        if (begin == start == 0 or begin + len(other) == end == len(form)) and part in other:
            return True
    return False


def _holds_part(word: str, part: str) -> bool:
    """A compound holds `part` at its start or end ("Jugend|feuerwehr"); long parts anywhere."""
    if word.startswith(part) or word.endswith(part):
        return True
    return len(part) >= 6 and part in word


def _rank(hits: dict[str, dict[str, tuple[float, str | None]]]) -> list[InterestScore]:
    """Best hit per interest, plus a bonus for each further word that points there."""
    ranked = []
    for interest, by_source in hits.items():
        scores = sorted((score for score, _ in by_source.values()), reverse=True)
        bonus = sum(0.06 * score for score in scores[1:3])
        sub = max(by_source.values(), key=lambda hit: (hit[0], hit[1] is not None))[1]
        subs = [sub] if sub else [s for _, s in by_source.values() if s]
        ranked.append(
            (
                scores[0] + bonus,
                InterestScore(
                    interest,
                    round(min(1.0, scores[0] + bonus), 3),
                    subs[0] if subs else None,
                    tuple(sorted({fold(source) or source for source in by_source})),
                ),
            )
        )
    ranked.sort(key=lambda item: -item[0])
    return [score for _, score in ranked]


def _a_word(form: str) -> bool:
    """A German or English word of its own ("sortieren", "studying"), no compound."""
    return is_known(form) or is_english(form)
