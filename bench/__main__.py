"""Run every benchmark: `python -m bench`."""

from bench import matching

print("== matching ==")
matching.run(sizes=[1_000, 10_000, 100_000], repeat=15)
