"""Run the benchmarks: `python -m bench [--quick]` (all), `python -m bench matching`,
`python -m bench throughput [--quick …]` (options as in `python -m bench.throughput -h`),
`python -m bench whatsapp [--seconds …]` (the WhatsApp webhook against an echo)."""

import sys

from bench import matching, throughput, whatsapp


def run_matching() -> None:
    print("== matching ==", flush=True)
    matching.run(sizes=[1_000, 10_000, 100_000], repeat=15)


def run_throughput(argv: list[str]) -> None:
    print("== throughput ==", flush=True)
    throughput.main(argv)


def run_whatsapp(argv: list[str]) -> None:
    print("== whatsapp ==", flush=True)
    whatsapp.main(argv)


arguments = sys.argv[1:]
which = arguments.pop(0) if arguments and not arguments[0].startswith("-") else "all"
options = arguments  # for the throughput benchmark, e.g. --quick
if which in ("all", "matching"):
    run_matching()
if which in ("all", "throughput"):
    run_throughput(options)
if which == "all":
    run_whatsapp([])
if which == "whatsapp":
    run_whatsapp(options)
if which not in ("all", "matching", "throughput", "whatsapp"):
    sys.exit(f"unknown benchmark {which!r}: matching, throughput, whatsapp (or nothing for all)")
