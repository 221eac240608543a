"""A bot under test as a process of its own, so its memory and CPU are measured apart from
the fake Telegram server and the simulated citizens (which run in the benchmark process).

Figures come from /proc (Linux): peak resident memory is `VmHWM`, CPU time is user + system
time from `/proc/<pid>/stat`.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Usage:
    """What the process used so far."""

    cpu_seconds: float
    rss_mb: float
    peak_rss_mb: float


class BotProcess:
    """`python -m <module> run`-style process with a log file; stopped with SIGTERM."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def start(self) -> None:
        # The log goes to a file: a pipe nobody reads could fill up and block the bot.
        with self.log.open("ab") as sink:
            self.started_at = time.perf_counter()
            self.process = subprocess.Popen(
                [sys.executable, *self.args],
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=subprocess.DEVNULL,
                stderr=sink,
            )

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def usage(self) -> Usage:
        status = _status_fields(self.pid)
        return Usage(
            cpu_seconds=_cpu_seconds(self.pid),
            rss_mb=status["VmRSS"] / 1024,
            peak_rss_mb=status["VmHWM"] / 1024,
        )

    async def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then wait; SIGKILL if it does not stop. Returns the exit code."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.to_thread(self.process.wait, timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return await asyncio.to_thread(self.process.wait, timeout)

    def log_count(self, markers: tuple[str, ...]) -> int:
        """Lines of the log that contain any of `markers`."""
        if not self.log.exists():
            return 0
        with self.log.open(encoding="utf-8", errors="replace") as log:
            return sum(1 for line in log if any(marker in line for marker in markers))

    def log_tail(self, lines: int = 20) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _status_fields(pid: int) -> dict[str, int]:
    """Memory lines of /proc/<pid>/status in kB."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0])
    return fields


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        # The command name (field 2) may contain spaces; fields after it are positional.
        after_name = stat.read().rsplit(")", 1)[1].split()
    user_ticks, system_ticks = int(after_name[11]), int(after_name[12])
    return (user_ticks + system_ticks) / CLOCK_TICKS


def cpu_seconds_of_this_process() -> float:
    """User + system CPU time of the benchmark process itself (fake server and citizens)."""
    times = os.times()
    return times.user + times.system


async def until_signalled() -> None:
    """Wait for SIGTERM or SIGINT: how a served baseline (`echo_bot`, `whatsapp_echo`) runs
    until the benchmark stops it."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
