"""Answer a typed question from the knowledge base (fuzzy, German-aware).

A question and every entry are read the same way (`analyse`): filler words dropped, fixed
phrases joined ("wir für sachsen", "wie krieg ich" = how to get), and each word with its
own forms: itself, lemma, stem and the groups of words that mean the same here (lexicon.py:
"Kohle" = "Geld", "insured" = "versichert"). A compound also has its parts as near forms
("Unfallversicherung" → "Unfall", "Versicherung"). A word the knowledge base does not know
is read as a typo of one of its words ("Fürungszeugnis") or as a compound of known words
("Minijobgrenze"); an unknown compound stays one word that its parts earn part of.

A question scores by how much of it an entry covers, each word weighted by how rare it is
across entries ("Führungszeugnis" counts more than "Ehrenamt"). A word found in the entry's
`keywords:` counts a little less than one in its `questions:`, one found only in the answer
much less, and one that shares only a compound part less too. A word unknown to the whole
knowledge base counts against every entry ("Wetter", "Bus"). Closeness to the entry's
single closest phrasing (a question, a keyword, its id) adds to that.

Saxon and phonetic spellings the knowledge base does not know are read as the known word
they stand for ("griech" → "krieg", "gann" → "kann", "lodse" → "lotse"; lexicon.DIALECT).

Which entry answers is decided by a classifier learnt from the entries' phrasings and the
examples of real questions in knowledge/*.yaml (classifier.py): it knows how people ask
better than any word rule. The word reading above decides whether the question is one the
knowledge base can answer at all: only when some entry covers enough of its words (less for
a long question, a situation told first) and the classifier's choice is clear does the bot
answer.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from bot.content.schema import NOT_ANSWERABLE, FaqEntry
from bot.helpdesk import lexicon
from bot.helpdesk.classifier import QuestionClassifier
from bot.text import fold, lemma_forms, words

# The bot answers when some entry covers this much of the question's words (else the
# knowledge base does not know the topic: it says it is not sure and offers a human) …
IN_SCOPE = 0.45
LONG_QUESTION = 5  # words that count, from this many on a question is long
IN_SCOPE_LONG = 0.2  # …a long question (a situation told first) scores lower everywhere
# … and the classifier's choice is clear: its score and its lead over the runner-up.
# Chosen by cross-validation on the examples (tests/test_faq.py checks the figures).
VOTE_SURE = -0.6
VOTE_MARGIN = 0.2
BLEND = 1.0  # entries are ranked by vote + BLEND × how much of the question they cover
SUGGEST = -0.9  # when not sure, entries scoring this much are offered as "Meinten Sie …?"
ANSWER_WEIGHT = 0.45  # a word found only in the answer counts this much
ANSWER_DF = 0.25  # …and makes a word this much less rare (answers mention much in passing)
KEYWORD_WEIGHT = 0.85  # a word found only in `keywords:` counts this much
PHRASING_WEIGHT = 0.4  # share of the score that comes from the closest single phrasing
NEAR_PHRASING = 0.5  # in a phrasing, a word matched by a near form counts this much
PART_CREDIT = 0.6  # a word that shares only a compound part with an entry earns this much
LIGHT_WEIGHT = 0.25  # question words and common verbs ("wo", "machen") count this much
UNKNOWN_FACTOR = 1.2  # a word no entry knows ("Wetter") weighs this much of the rarest one
UNKNOWN_NUMBER = 0.3  # a number the knowledge base does not know ("30 Euro") barely counts
TYPO_SIMILARITY = 85  # rapidfuzz ratio: one letter more, less or swapped in a long word
MIN_PART = 4  # shortest compound part ("Unfall|versicherung", not "Un|fall")
LONGEST_WORD = 40  # longer "words" are no typos or compounds worth reading
MOST_WORDS = 60  # a question is read up to this many different words
LINKS = ("", "s", "n", "en", "e", "es", "er")  # Fugenlaute: "Ehrenamt-s-karte"


@dataclass(frozen=True)
class FaqHit:
    entry: FaqEntry
    score: float  # how much of the question's words the entry covers (0–1)
    vote: float = 0.0  # the classifier's score for the entry (0 is its boundary)


@dataclass(frozen=True)
class Token:
    """One meaningful word of a text: its own forms and the forms near it."""

    own: frozenset[str]
    near: frozenset[str] = field(default=frozenset())  # parts of a known compound
    light: bool = False  # a question word
    number: bool = False
    # An unknown compound ("Kindergeld") stays one unknown word; what its parts match
    # earns it part of its weight.
    parts: tuple[Token, ...] = ()

    @property
    def forms(self) -> frozenset[str]:
        return self.own | self.near


@dataclass(frozen=True)
class Phrasing:
    """One question, keyword or id of an entry, ready for comparing with a question."""

    factor: float  # how much closeness to it counts (a keyword less than a question)
    forms: frozenset[str]
    words: tuple[tuple[Token, float], ...]  # each token with its weight
    total: float


def _synonyms() -> dict[str, frozenset[str]]:
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for group in lexicon.SYNONYMS:
        name, *_ = members = group.split()
        for member in members:
            groups[member].add(name)
    return {word: frozenset(names) for word, names in groups.items()}


GROUPS_OF = _synonyms()
_PHRASE_LENGTH = max(len(phrase.split()) for phrase in lexicon.PHRASES)
_DIGITS_OR_LETTERS = re.compile(r"\d+|[^\W\d_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIALECT = tuple((re.compile(pattern), spelled) for pattern, spelled in lexicon.DIALECT)
_MOST_VARIANTS = 400  # spellings tried per unknown word before giving up


def _words(text: str) -> list[str]:
    """Words in original spelling; digits apart from letters ("alg2", "13jährige")."""
    return [part for word in words(text) for part in _DIGITS_OR_LETTERS.findall(word)]


def _joined(originals: list[str]) -> list[tuple[str, str]]:
    """(folded, original spelling) per word, fixed phrases joined into one word."""
    folded = [fold(w) for w in originals]
    out, index = [], 0
    while index < len(folded):
        for size in range(min(_PHRASE_LENGTH, len(folded) - index), 0, -1):
            phrase = " ".join(folded[index : index + size])
            if phrase in lexicon.PHRASES:
                joined = lexicon.PHRASES[phrase]
                out.append((joined, joined))
                index += size
                break
        else:
            out.append((folded[index], originals[index]))
            index += 1
    return out


def _age(previous: str, word: str, following: str) -> str | None:
    """'bin 14', '16 jahre' → the age group the number names, if it names an age."""
    if not word.isdigit() or len(word) > 3:
        return None
    if previous not in lexicon.AGE_BEFORE and following not in lexicon.AGE_AFTER:
        return None
    age = int(word)
    if age <= lexicon.YOUNG_UNTIL:
        return "jugendliche"
    return "rentner" if age >= lexicon.OLD_FROM else None


@lru_cache(maxsize=16384)
def _token(word: str, light: bool = False) -> Token:
    """A word in original spelling: itself, lemma and stem; the groups they belong to."""
    own = {f for f in (lemma_forms(word) if word.isalpha() else (fold(word),)) if f}
    own |= {group for form in own for group in GROUPS_OF.get(form, ())}
    light = light or bool(own & lexicon.GENERIC)
    return Token(frozenset(own), frozenset(), light, word.isdigit())


def analyse(text: str) -> list[Token]:
    """The meaningful words of a text, before matching against the knowledge base."""
    joined = _joined(_words(text))
    folded = [word for word, _ in joined]
    tokens = []
    for index, (word, spelled) in enumerate(joined):
        if word in lexicon.FILLER or (len(word) < 2 and not word.isdigit()):
            continue
        tokens.append(_token(spelled, word in lexicon.LIGHT))
        previous = folded[index - 1] if index else ""
        following = folded[index + 1] if index + 1 < len(folded) else ""
        age = _age(previous, word, following)
        if age:
            tokens.append(_token(age))
    return tokens


class FaqMatcher:
    def __init__(
        self, entries: list[FaqEntry], examples: dict[str, list[str]] | None = None
    ) -> None:
        self._entries = entries
        self._examples = examples or {}
        self._made_from = (entries, examples)
        self._classifier: QuestionClassifier | None = None  # trained on the first question
        self._training = threading.Lock()
        asked = [[analyse(text) for text in [*e.questions, *e.keywords]] for e in entries]
        told = [analyse(e.answer) for e in entries]
        every = [t for texts in asked for ts in texts for t in ts] + [t for ts in told for t in ts]
        # Words that compounds may be made of ("unfall", "versicherung"): the knowledge
        # base's and the lexicon's.
        known = {f for t in every for f in t.own} | GROUPS_OF.keys()
        self._parts = {f for f in known if len(f) >= MIN_PART and f.isalpha()}
        # Per entry: each form → how much a word with that form counts there.
        self._fields: list[dict[str, float]] = []
        frequency: defaultdict[str, float] = defaultdict(float)
        texts_of: list[list[tuple[float, list[Token]]]] = []
        for entry, texts, answer in zip(entries, asked, told, strict=True):
            split = [[self._compound(t) for t in tokens] for tokens in texts]
            named = [self._compound(t) for t in analyse(entry.id.replace("-", " "))]
            questions, keywords = split[: len(entry.questions)], split[len(entry.questions) :]
            texts_of.append(
                [(1.0, named)]
                + [(1.0, tokens) for tokens in questions]
                + [(KEYWORD_WEIGHT, tokens) for tokens in keywords]
            )
            told_forms = _forms(self._compound(t) for t in answer)
            asked_forms = _forms(t for ts in split for t in ts)
            for form in told_forms | asked_forms:
                frequency[form] += 1.0 if form in asked_forms else ANSWER_DF
            fields: dict[str, float] = {}
            for factor, tokens in (
                (ANSWER_WEIGHT, [self._compound(t) for t in answer]),
                (KEYWORD_WEIGHT, [t for ts in keywords for t in ts]),
                (1.0, [t for ts in questions for t in ts]),
            ):
                for token in tokens:
                    for form in token.near:  # only a part of the entry's word
                        fields[form] = max(fields.get(form, 0.0), factor * PART_CREDIT)
                    for form in token.own:
                        fields[form] = max(fields.get(form, 0.0), factor)
            self._fields.append(fields)
        count = len(entries) or 1
        self._idf = {form: math.log(1 + count / n) for form, n in frequency.items()}
        # What a typo may mean: the words of the knowledge base.
        self._vocabulary = sorted(f for f in self._idf if len(f) >= 5 and f.isalpha())
        # A word no entry uses is as telling as one that only a single entry uses, or more.
        self._unknown = math.log(1 + count) * UNKNOWN_FACTOR
        self._phrasings = [
            [self._phrasing(factor, tokens) for factor, tokens in texts if tokens]
            for texts in texts_of
        ]
        self._standard_of: dict[str, str] = {}

    def _phrasing(self, factor: float, tokens: list[Token]) -> Phrasing:
        weighted = tuple((t, self._weight(t)) for t in tokens)
        return Phrasing(factor, _forms(tokens), weighted, sum(w for _, w in weighted))

    # --- reading a question --------------------------------------------------------------

    def _standard(self, text: str) -> str:
        """The text with dialect spellings replaced by the known words they stand for."""
        return _LETTERS.sub(lambda found: self._standard_word(found.group()), text)

    def _standard_word(self, word: str) -> str:
        """ "griech" → "krieg": the closest known spelling by lexicon.DIALECT, else the word."""
        folded = fold(word)
        if len(folded) < 3 or not folded.isalpha() or self._knows(folded):
            return word
        if folded not in self._standard_of:
            self._standard_of[folded] = self._dialect(folded) or word
        return self._standard_of[folded]

    def _dialect(self, folded: str) -> str | None:
        """The known word reached with the fewest dialect changes, if any."""
        seen, frontier = {folded}, [folded]
        for _ in range(lexicon.DIALECT_STEPS):
            following = []
            for spelled in frontier:
                for pattern, replacement in _DIALECT:
                    for found in pattern.finditer(spelled):
                        variant = spelled[: found.start()] + replacement + spelled[found.end() :]
                        if variant in seen:
                            continue
                        if self._knows(variant):
                            return variant
                        seen.add(variant)
                        following.append(variant)
                if len(seen) > _MOST_VARIANTS:
                    return None
            frontier = following
        return None

    def _knows(self, folded: str) -> bool:
        """Whether the word means something here: a filler or question word, a word of the
        lexicon or of the knowledge base."""
        if folded in lexicon.FILLER or folded in lexicon.LIGHT or folded in GROUPS_OF:
            return True
        return not _token(folded).own.isdisjoint(self._idf)

    def _compound(self, token: Token) -> Token:
        """Add the parts of a compound as near forms ("unfallversicherung" → unfall …)."""
        parts = {
            form for own in token.own for part in self._split(own) for form in _token(part).forms
        }
        if not parts:
            return token
        return Token(token.own, token.near | (parts - token.own), token.light, token.number)

    def _split(self, word: str) -> list[str]:
        """Known parts of a compound, head last; [] when it is no compound of known words."""
        if len(word) < 2 * MIN_PART or not word.isalpha():
            return []
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[cut:]
            if head not in self._parts:
                continue
            modifier = word[:cut]
            for link in LINKS:
                if not modifier.endswith(link):
                    continue
                stem = modifier[: len(modifier) - len(link)]
                if len(stem) < MIN_PART:
                    continue
                if stem in self._parts:
                    return [stem, head]
                inner = self._split(stem)
                if inner:
                    return [*inner, head]
        return []

    def _understood(self, token: Token) -> Token:
        """The token as the knowledge base knows it: typos fixed, compounds split."""
        if token.number or token.forms & self._idf.keys():
            return self._compound(token)
        longest = max(token.own, key=len)
        if len(longest) > LONGEST_WORD:
            return token
        if len(longest) >= 5:
            found = process.extractOne(
                longest, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY
            )
            if found:
                meant = self._compound(_token(found[0]))
                return Token(token.own | meant.own, meant.near, token.light)
        parts = self._split(longest) or self._known_end(longest)
        if parts:
            split = tuple(self._compound(_token(part)) for part in parts)
            return Token(token.own, frozenset(), token.light, parts=split)
        return token

    def _known_end(self, word: str) -> list[str]:
        """A compound with one unknown part: "hunde|steuer", "bürgergeld|empfänger"."""
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            if word[cut:] in self._parts:
                return [word[:cut], word[cut:]]
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            if word[:cut] in self._parts:
                return [word[:cut], word[cut:]]
        return []

    def _weight(self, token: Token) -> float:
        """How telling the word is: the commonest of its own forms (a synonym as common as
        its group), else its rarest compound part; a word nobody uses counts most."""
        own = [self._idf[f] for f in token.own if f in self._idf]
        near = [self._idf[f] for f in token.near if f in self._idf]
        if own:
            weight = min(own)
        elif near:
            weight = max(near)
        elif token.number:
            weight = UNKNOWN_NUMBER
        else:
            weight = self._unknown if len(max(token.own, key=len)) > 3 else self._unknown / 3
        return weight * (LIGHT_WEIGHT if token.light else 1.0)

    # --- scoring -------------------------------------------------------------------------

    def rank(self, text: str, limit: int = 3) -> list[FaqHit]:
        """The most likely entries, best first, also when the bot would not answer."""
        judged = self._judge(text)
        return judged.hits[:limit] if judged else []

    def answer(self, text: str) -> FaqHit | None:
        """The entry that answers the question, or None when the bot is not sure."""
        judged = self._judge(text)
        if judged is None or not judged.in_scope:
            return None
        best, runner_up = judged.hits[0], judged.hits[1] if len(judged.hits) > 1 else None
        lead = judged.strength(best) - (judged.strength(runner_up) if runner_up else -1.0)
        if best.vote < VOTE_SURE or lead < VOTE_MARGIN:
            return None
        return best

    def suggestions(self, text: str, limit: int = 3) -> list[FaqEntry]:
        """For a question the bot is not sure about: the likeliest entries, to offer as
        "Meinten Sie …?" – none when the question is about something the knowledge base
        does not cover at all."""
        judged = self._judge(text)
        if judged is None or judged.not_answerable or judged.widest < IN_SCOPE_LONG:
            return []
        return [hit.entry for hit in judged.hits[:limit] if hit.vote >= SUGGEST]

    def covering(self, text: str, limit: int = 3) -> list[FaqHit]:
        """The entries that cover most of the question's words: the word reading alone."""
        covered = self._covered(text)
        hits = [FaqHit(entry, score) for entry, score in zip(self._entries, covered, strict=True)]
        return sorted(hits, key=lambda hit: -hit.score)[:limit]

    @property
    def ready(self) -> bool:
        """Whether the classifier has learnt (else the next question waits for it)."""
        return self._classifier is not None

    def prepare(self) -> QuestionClassifier:
        """Train the classifier unless done (about a second): the engine calls this in a
        thread after its first event, so that the first question need not wait."""
        with self._training:
            if self._classifier is None:
                self._classifier = self._train()
            return self._classifier

    def built_from(self, entries: list[FaqEntry], examples: dict[str, list[str]]) -> bool:
        """Whether this matcher was made from exactly these entries and examples."""
        return entries is self._made_from[0] and examples is self._made_from[1]

    def _judge(self, text: str) -> _Judged | None:
        covered = self._covered(text)
        if not covered:
            return None
        votes = (self._classifier or self.prepare()).scores(text)
        hits = [
            FaqHit(entry, score, round(float(vote), 3))
            for entry, score, vote in zip(self._entries, covered, votes, strict=False)
        ]
        long = len(self._read(text)) >= LONG_QUESTION
        # like the examples of what the knowledge base does not answer:
        not_answerable = int(np.argmax(votes)) == len(self._entries)
        return _Judged(
            sorted(hits, key=_Judged.strength, reverse=True),
            widest=max(covered),
            in_scope=not not_answerable and max(covered) >= (IN_SCOPE_LONG if long else IN_SCOPE),
            not_answerable=not_answerable,
        )

    def _train(self) -> QuestionClassifier:
        texts: list[str] = []
        labels: list[int] = []
        # Each entry learns from its phrasings, keywords, id and examples; the class after
        # the entries from the examples of questions the knowledge base does not answer.
        classes = [
            (entry.id, [*entry.questions, *entry.keywords, entry.id.replace("-", " ")])
            for entry in self._entries
        ]
        classes.append((NOT_ANSWERABLE, []))
        for index, (key, own) in enumerate(classes):
            for text in [*own, *self._examples.get(key, [])]:
                texts.append(text)
                labels.append(index)
        return QuestionClassifier(texts, labels, len(classes))

    def _covered(self, text: str) -> list[float]:
        """Per entry, how much of the question's words it covers (0–1); [] for no words."""
        tokens = self._read(text)
        if not tokens or not self._entries:
            return []
        weights = [self._weight(t) for t in tokens]
        total = sum(weights)
        question = tuple(zip(tokens, weights, strict=True))
        forms = _forms(tokens)
        scores = []
        for index in range(len(self._entries)):
            covered = sum(self._credit(t, w, index) for t, w in question)
            closest = max(
                (p.factor * _closeness(question, total, forms, p) for p in self._phrasings[index]),
                default=0.0,
            )
            score = (1 - PHRASING_WEIGHT) * covered / total + PHRASING_WEIGHT * closest
            scores.append(round(min(score, 1.0), 3))
        return scores

    def _read(self, text: str) -> list[Token]:
        """The question's words as the knowledge base knows them; a word said twice says
        nothing new, a very long text is read from its start."""
        tokens = dict.fromkeys(analyse(self._standard(text)))
        return [self._understood(t) for t in tokens][:MOST_WORDS]

    def _credit(self, token: Token, weight: float, index: int) -> float:
        """How much of the token's weight the entry covers."""
        fields = self._fields[index]
        if token.parts:
            found = sum(self._credit(p, self._weight(p), index) for p in token.parts)
            return min(weight, found * PART_CREDIT)
        own = max((fields[f] for f in token.own if f in fields), default=0.0)
        if own:
            return weight * own
        scale = LIGHT_WEIGHT if token.light else 1.0
        near = max((self._idf[f] * fields[f] * scale for f in token.near if f in fields), default=0)
        return min(weight, near * PART_CREDIT)

    def related(self, entry: FaqEntry) -> list[FaqEntry]:
        by_id = {known.id: known for known in self._entries}
        return [by_id[i] for i in entry.related if i in by_id]


@dataclass(frozen=True)
class _Judged:
    """A question read both ways: entries best first, and whether it is in scope at all."""

    hits: list[FaqHit]
    widest: float  # the most any entry covers of the question's words
    in_scope: bool  # some entry covers enough, and it is not like the examples without answer
    not_answerable: bool

    @staticmethod
    def strength(hit: FaqHit) -> float:
        """What orders the entries: the classifier's vote, and a little the word reading."""
        return hit.vote + BLEND * hit.score


def _forms(tokens: Iterable[Token]) -> frozenset[str]:
    return frozenset(form for token in tokens for form in token.forms)


def _closeness(
    question: tuple[tuple[Token, float], ...],
    total: float,
    forms: frozenset[str],
    phrasing: Phrasing,
) -> float:
    """F1 of shared weight between the question and one phrasing of an entry."""
    if phrasing.forms.isdisjoint(forms) and not any(t.parts for t, _ in question):
        return 0.0
    found = sum(w * _share(t, phrasing.forms) for t, w in question)
    recalled = sum(w * _share(t, forms) for t, w in phrasing.words)
    if not found or not recalled:
        return 0.0
    precision, recall = found / total, recalled / phrasing.total
    return 2 * precision * recall / (precision + recall)


def _share(token: Token, forms: frozenset[str]) -> float:
    """1 when one of the token's own forms is among `forms`, less for a near form."""
    if token.own & forms:
        return 1.0
    near = token.near | frozenset().union(*(part.forms for part in token.parts))
    return NEAR_PHRASING if near & forms else 0.0
