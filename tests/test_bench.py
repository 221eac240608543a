"""The throughput benchmark runs end to end in its smallest form and prints its figures.

Only that it works and reports is checked; the figures themselves are for people to read
(bench/throughput.py, docs/understanding.md "Matching quality and speed"), never asserted.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the throughput benchmark, a minute of processes

ROOT = Path(__file__).resolve().parent.parent

SMALLEST = [
    "--quick",
    "--parts", "load", "startup", "memory",
    "--modes", "polling",
    "--databases", "sqlite",
    "--rate", "20",
    "--seconds", "1",
    "--warmup", "0.5",
    "--in-flight", "4",
    "--think", "1.2",
    "--startups", "1",
    "--conversations", "20",
    "--offers", "50",
    "--walkers", "2",
]  # fmt: skip


def run_bench(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bench.<module> ARGS` from the checkout, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_throughput_benchmark_prints_its_figures() -> None:
    result = run_bench("throughput", *SMALLEST)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Traceback" not in out + result.stderr and "exited with" not in out
    for bot in ("echo polling", "lotse polling sqlite"):
        rows = [line for line in out.splitlines() if line.startswith(bot)]
        assert len(rows) == 2, f"open and closed loop rows for {bot}:\n{out}"
        for row in rows:  # sent, lost, updates/s, p50, p99, e2e p99, CPU ms per update
            numbers = re.findall(r"\d+(?:\.\d+)?", row.split("in fl.")[-1].split("/s", 1)[-1])
            assert len(numbers) >= 7, row
            assert int(numbers[0]) > 0 and int(numbers[1]) == 0, f"nothing sent or lost: {row}"
    assert re.search(r"lotse polling sqlite\s+CPU per update\s+\d+\.\d×", out), out
    assert re.search(r"new database \(sqlite\)\s+\d+\.\d\d s \(\d+\.\d\d s CPU\)", out), out
    assert re.search(r"restart \(sqlite\)\s+\d+\.\d\d s \(\d+\.\d\d s CPU\)", out), out
    assert re.search(r"20 conversations opened: memory \d+ MB", out), out
    assert re.search(r"2 citizens walked the whole path \(\d+ answers", out), out
    assert re.search(r"peak memory \d+ MB, first answer \d+\.\d s after start", out), out
    assert re.search(r"  peak memory \d+ MB  \[", out), out


def test_whatsapp_benchmark_measures_the_channel_against_an_echo() -> None:
    result = run_bench("whatsapp", "--seconds", "1", "--warmup", "0.3")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    for bot in ("echo whatsapp", "lotse whatsapp sqlite"):
        [row] = [line for line in out.splitlines() if line.startswith(bot) and "sent" in line]
        sent, lost = re.findall(r"(\d+) sent\s+(\d+) lost", row)[0]
        assert int(sent) > 0 and int(lost) == 0, row
    assert re.search(r"lotse whatsapp sqlite\s+CPU per message \d+\.\d× the echo's", out), out
