"""`lotse run` with cProfile switched on by SIGUSR1 and off (stats written) by SIGUSR2.

So a profile shows the bot handling updates, not the seconds of importing and loading at
startup. It counts CPU time (not wall time): waiting for the network or for other processes
on a busy machine does not show up as cost. Used by `python -m bench.throughput --profile`:

    python -m bench.profiled_run STATS_FILE
"""

from __future__ import annotations

import cProfile
import signal
import sys
import time
from types import FrameType

from bot.cli import main as lotse

profiler = cProfile.Profile(time.process_time)


def main() -> int:
    stats_file = sys.argv[1]

    def start(_signal: int, _frame: FrameType | None) -> None:
        profiler.enable()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        profiler.disable()
        profiler.dump_stats(stats_file)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    return lotse(["run"])


if __name__ == "__main__":
    raise SystemExit(main())
