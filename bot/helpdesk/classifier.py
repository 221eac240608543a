"""Which entry a question is about, learnt from examples of how people ask.

The rule-based reading in faq.py knows words; it does not know how people phrase things
("was krieg ich da an geld", "wie viel darf ich dazuverdienen"). This classifier learns that
from the entries' own phrasings and from `examples:` in knowledge/*.yaml: real questions
with the entry that answers them, and questions the knowledge base does not answer.

A text is read as letter sequences of 2 to 5 characters within its words (" fuhr",
"ungsz", "zeugn" …), so typos, dialect spellings, inflections and compounds still share
most of their sequences with the word meant. Each sequence weighs by how rare it is
(TF-IDF). One linear model per entry (and one for "not answerable here") separates its
questions from all others: a linear support vector machine, trained by dual coordinate
descent (Hsieh et al. 2008, the method of LIBLINEAR) in a few lines of numpy. Cross-
validated on the examples, it ranks the right entry first more often than word rules alone.

Training takes about a second for a few thousand examples, so it happens on the first
question, not at start-up.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from bot.text import fold

SHORTEST, LONGEST = 2, 5  # letter sequences of these lengths
PENALTY = 1.0  # C of the SVM: how hard each training example is fitted
EPOCHS = 5  # passes over the examples; more change the FAQ's ranking no further
SEED = 20261125  # the order of the passes, fixed: the same examples give the same model


def sequences(text: str) -> Counter[str]:
    """Letter sequences within the words of the text, each word framed by spaces."""
    found: Counter[str] = Counter()
    for word in fold(text).split():
        found.update(_word_sequences(word))
    return found


@lru_cache(maxsize=1 << 16)
def _word_sequences(word: str) -> tuple[str, ...]:
    """A word's sequences, kept: the same words recur across thousands of examples, and
    cutting them anew was most of the time the classifier took to learn."""
    framed = f" {word} "
    return tuple(
        framed[i : i + size]
        for size in range(SHORTEST, min(LONGEST, len(framed)) + 1)
        for i in range(len(framed) - size + 1)
    )


class QuestionClassifier:
    """Scores a text for each class (entry); higher is more likely, 0 is the boundary."""

    def __init__(
        self, texts: Sequence[str], labels: Sequence[int], classes: int, epochs: int = EPOCHS
    ) -> None:
        # Two passes over the texts: keeping a Counter per text would cost ~50 MB for a
        # few thousand examples; the vectors are a tenth of that.
        frequency: Counter[str] = Counter()
        for text in texts:
            frequency.update(sequences(text).keys())
        self._column = {seq: column for column, seq in enumerate(frequency)}
        documents = len(texts)
        self._idf = np.array(
            [math.log((1 + documents) / (1 + n)) + 1 for n in frequency.values()],
            dtype=np.float32,
        )
        vectors = [self._vector(sequences(text)) for text in texts]
        self._weights = _train(vectors, labels, classes, epochs)

    def scores(self, text: str) -> np.ndarray:
        columns, values = self._vector(sequences(text))
        return values @ self._weights[columns]

    def _vector(self, found: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """Columns and values of the text's TF-IDF vector (unit length), plus the bias."""
        pairs = [(self._column[s], n) for s, n in found.items() if s in self._column]
        columns = np.array([c for c, _ in pairs] + [len(self._column)], dtype=np.int64)
        values = np.array([1 + math.log(n) for _, n in pairs], dtype=np.float32)
        values *= self._idf[columns[:-1]]
        norm = float(np.linalg.norm(values)) or 1.0
        return columns, np.append(values / norm, np.float32(1.0))


def _train(
    vectors: list[tuple[np.ndarray, np.ndarray]],
    labels: Sequence[int],
    classes: int,
    epochs: int,
) -> np.ndarray:
    """One-vs-rest L2-loss linear SVMs by dual coordinate descent, all classes at once."""
    features = 1 + max((int(columns.max()) for columns, _ in vectors), default=0)
    weights = np.zeros((features, classes), dtype=np.float32)
    sign = -np.ones((len(vectors), classes), dtype=np.float32)
    sign[np.arange(len(vectors)), list(labels)] = 1.0
    alpha = np.zeros_like(sign)
    diagonal = 1 / (2 * PENALTY)
    squared = [float(values @ values) + diagonal for _, values in vectors]
    order = np.random.default_rng(SEED)
    for _ in range(epochs):
        for i in order.permutation(len(vectors)):
            columns, values = vectors[i]
            gradient = sign[i] * (values @ weights[columns]) - 1 + alpha[i] * diagonal
            updated = np.maximum(alpha[i] - gradient / squared[i], 0)
            weights[columns] += np.outer(values, (updated - alpha[i]) * sign[i])
            alpha[i] = updated
    return weights
