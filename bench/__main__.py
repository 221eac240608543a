"""Run the benchmarks: `python -m bench [--quick]` (all), `python -m bench matching`,
`python -m bench throughput [--quick …]` (options as in `python -m bench.throughput -h`)."""

import sys

from bench import matching, throughput


def run_matching() -> None:
    print("== matching ==", flush=True)
    matching.run(sizes=[1_000, 10_000, 100_000], repeat=15)


def run_throughput(argv: list[str]) -> None:
    print("== throughput ==", flush=True)
    throughput.main(argv)


arguments = sys.argv[1:]
which = arguments.pop(0) if arguments and not arguments[0].startswith("-") else "all"
options = arguments  # for the throughput benchmark, e.g. --quick
if which in ("all", "matching"):
    run_matching()
if which in ("all", "throughput"):
    run_throughput(options)
if which not in ("all", "matching", "throughput"):
    sys.exit(f"unknown benchmark {which!r}: matching, throughput (or nothing for all)")
