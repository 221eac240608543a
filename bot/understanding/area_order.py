"""The areas read from a message, in the order people mean them (content/interests-learnt.yaml).

The taxonomy finds every area a message names, but not which one the writer meant first:
"Ich würde mit der Familie gern beim Frühjahrsputz im Wald mithelfen" names the village
(Frühjahrsputz) and nature (Wald); people who label such messages put nature first. The
development sets (tests/data/openers_dev*.yaml) say, for each word the bot read an area
from, how often the writers named that area too: tools/learn_area_words.py counts it into
content/interests-learnt.yaml. Each area read gets a score – the best of its words'
shares, a word seen rarely counting closer to PRIOR – less a little for each place it
stands behind, and the areas are sorted by it. The reading keeps the same areas; only
their order changes. Without the file (or `words: {}`), the order stays as read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.matching.interests import InterestScore

# The share a word gets before it was seen at all: about how often the writers of the
# development sets named an area the bot read (0.6), so an unseen word neither climbs
# nor falls. Chosen, with the other two, by leaving one development set out at a time.
PRIOR = 0.6
PRIOR_WEIGHT = 1.0  # how many sightings the prior counts as
STEP = 0.1  # what one place further back costs: the order as read still counts


class AreaOrder:
    def __init__(self, counts: Mapping[str, Mapping[str, Sequence[int]]]) -> None:
        # word → area → (named by the writers, read by the bot)
        self._counts = counts

    def __bool__(self) -> bool:
        return bool(self._counts)

    def share(self, area: str, words: Sequence[str]) -> float:
        """How likely the writer meant `area`, read from `words`: the best word counts."""
        best = None
        for word in words:
            named, read = self._counts.get(word, {}).get(area, (0, 0))
            if read:
                share = (named + PRIOR_WEIGHT * PRIOR) / (read + PRIOR_WEIGHT)
                best = share if best is None else max(best, share)
        return PRIOR if best is None else best

    def sorted(self, areas: Sequence[str], found: Sequence[InterestScore]) -> list[str]:
        """`areas` (read from `found`, best first) in the order the writers would name them."""
        if not self or len(areas) < 2:
            return list(areas)
        scores = {
            area: self.share(area, words_of(area, found)) - STEP * place
            for place, area in enumerate(areas)
        }
        return sorted(areas, key=lambda area: -scores[area])


def words_of(area: str, found: Sequence[InterestScore]) -> tuple[str, ...]:
    """Every word `area` was read from, over all of its scores in `found`."""
    return tuple(sorted({word for score in found if score.id == area for word in score.sources}))
