"""What a person takes back in the same message: "Eilenburg, äh nee, Doberschütz",
"Tierheim, ne warte, ich bin ja allergisch", "am Wochenende, nee doch nicht". The words
taken back are no slot; what follows the correction is.

Used by the understander before it reads a message (issue 17: a correction changes that
slot only).
"""

from __future__ import annotations

import re

# A correction: a hesitation with a no ("äh nee", "ach nein", "oder nee"), a no that waits
# ("nee warte", "ne Moment", "nee Quatsch", "nee doch nicht"), a no between commas (", nee,")
# or "ich meine" after a comma. "oder ne Skatrunde" is an article, no correction.
_CORRECTION = re.compile(
    r"\b(?:äh+m?|ähm|ehm|ach|oh|oder)\W+(?:nee+|nein|nö|doch nicht)\b"
    r"(?:\W+(?:ich mein(?:e|te)|i mean|warte|moment|quatsch|doch nicht)\b)?|"
    r"\b(?:nee+|ne|nein|nö|no)\W+(?:warte|wait|moment|quatsch|doch nicht|sorry|falsch)\b|"
    r"(?<=,)\s*(?:nee+|nö)\s*(?=[,!])|"
    r"(?<=,)\s*(?:ich mein(?:e|te)|i mean|sorry,? i meant)\b",
    re.IGNORECASE,
)
# where the words taken back begin: the last punctuation or emoji before the correction
_BOUNDARY = re.compile(r"[.,;:!?…()\n–\u2600-\u27bf\U0001f300-\U0001faff]|\s-\s")
# a phrase taken back is short ("Montag", "ich kann am Wochenende"); in a longer stretch
# without a comma only its last words are ("… für Kinder in Eilenburg äh nee in Doberschütz")
_SHORT_PHRASE = 5


def without_taken_back(text: str) -> str:
    """`text` without the words a correction takes back."""
    for match in reversed(list(_CORRECTION.finditer(text))):
        before = text[: match.start()].rstrip(" ,.…")
        boundaries = list(_BOUNDARY.finditer(before))
        start = boundaries[-1].end() if boundaries else 0
        words = list(re.finditer(r"\S+", before[start:]))
        if not words:
            continue
        if len(words) > _SHORT_PHRASE:
            phrase = [word[0] for word in words]
            start += words[_restated_from(phrase, text[match.end() :])].start()
        text = f"{text[:start]} {text[match.start() :]}"
    return text


def _restated_from(phrase: list[str], after: str) -> int:
    """Where in `phrase` the part restated after the correction begins: at the last
    occurrence of the word the correction begins with ("in Eilenburg" … "in Doberschütz"),
    else the last word alone."""
    following = after.strip(" ,").split()
    if following:
        first = following[0].lower()
        for index in range(len(phrase) - 1, -1, -1):
            if phrase[index].lower() == first:
                return index
    return len(phrase) - 1
