"""Benchmark: rank 1,000 / 10,000 / 100,000 offers for one profile.

Baseline, measured in the same run on the same offers: the naive approach of scoring
every offer's full text against the person's words with rapidfuzz. Prints medians and
the ratio (baseline / ours), so noisy machines still give comparable figures.

    python -m bench.matching [--sizes 1000 10000 100000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.content.loader import load_content
from bot.content.model import Content
from bot.content.schema import Offer, Schedule
from bot.matching.places import PlaceResolver
from bot.matching.ranking import OfferRanker, Profile

ROOT = Path(__file__).resolve().parent.parent
QUERY = "was mit Kindern und Natur"


def generate_offers(content: Content, count: int, seed: int = 7) -> list[Offer]:
    """Plausible offers spread over all places and interests of the shipped content."""
    rng = random.Random(seed)
    places = [(g.name, o.name) for g in content.places.gemeinden for o in g.ortsteile]
    ids = [i.id for i in content.taxonomy.interests]
    ids += [s.id for i in content.taxonomy.interests for s in i.subtopics]
    templates = content.offers
    today = dt.date(2026, 11, 1)
    offers = []
    for n in range(count):
        gemeinde, place = rng.choice(places)
        template = rng.choice(templates)
        kind = rng.choice(["regular", "once", "flexible"])
        offers.append(
            Offer(
                id=f"gen-{n}",
                title=template.title,
                organisation=template.organisation,
                place=place,
                gemeinde=gemeinde,
                interests=rng.sample(ids, rng.randint(1, 3)),
                summary=template.summary,
                needed=template.needed,
                contact=template.contact,
                schedule=Schedule(
                    kind=kind,
                    slots=rng.sample(["weekday", "evening", "weekend"], rng.randint(1, 2)),
                    text="nach Absprache",
                    short="nach Absprache",
                    date=today + dt.timedelta(days=rng.randint(1, 300)) if kind == "once" else None,
                ),
                updated=today - dt.timedelta(days=rng.randint(0, 800)),
            )
        )
    return offers


def median_ms(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def run(sizes: list[int], repeat: int) -> None:
    content = load_content(ROOT / "content", ROOT / "knowledge")
    resolver = PlaceResolver(content.places)
    home = resolver.resolve("Delitzsch").place
    assert home is not None
    profile = Profile(
        interests=("kinder-jugend", "umwelt"),
        lat=home.lat,
        lon=home.lon,
        time_kind="regular",
        slots=frozenset({"evening"}),
        today=dt.date(2026, 11, 25),
    )
    print(f"Ranking offers for one profile ({QUERY!r}, Delitzsch, regular, evenings)")
    print(f"{'offers':>8}  {'ours (ms)':>10}  {'naive (ms)':>11}  {'ratio':>7}")
    for size in sizes:
        offers = generate_offers(content, size)
        ranker = OfferRanker(offers, content.taxonomy, resolver.places)
        texts = [f"{o.title} {o.organisation} {o.summary} {o.needed} {o.place}" for o in offers]
        ours = median_ms(lambda r=ranker: r.rank(profile, limit=3), repeat)
        naive = median_ms(
            lambda t=texts: process.extract(QUERY, t, scorer=fuzz.WRatio, limit=3),
            max(3, repeat // 3),
        )
        print(f"{size:>8}  {ours:>10.2f}  {naive:>11.2f}  {naive / ours:>6.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    run(args.sizes, args.repeat)


if __name__ == "__main__":
    main()
