"""The date-sensitive tests again, at moments that have broken date code before.

Each moment runs the chosen test files in a pytest of its own with LOTSE_NOW set (see
bot/clock.py): every test there starts at that moment, and so do the `lotse` processes
they start. The suite then also runs on the real date, so each test sees five days.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.clock import ENVIRONMENT_VARIABLE
from tests.helpers import ROOT

MOMENTS = {
    "sunday-night-december": "2026-12-13T22:30:00+01:00",  # quiet hours, Monday digest next
    "new-years-eve": "2026-12-31T23:59:00+01:00",  # year and month end, a minute to go
    "spring-forward": "2027-03-28T02:30:00+01:00",  # 02:30 does not exist: it is 03:30 CEST
    "fall-back": "2027-10-31T02:30:00+02:00",  # the first of the two 02:30s
}
DATE_SENSITIVE = [  # timed lead work, the calendar, offer expiry, the clock itself
    "tests/test_clock.py",
    "tests/test_followup.py",
    "tests/test_events.py",
    "tests/test_submissions.py",
]


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get(ENVIRONMENT_VARIABLE)), reason="already running at a chosen moment"
)
@pytest.mark.parametrize("moment", list(MOMENTS.values()), ids=list(MOMENTS))
def test_date_sensitive_tests_pass_at(moment: str) -> None:
    pytest_args = ["-q", "-n", "0", "-p", "no:cacheprovider", "-m", "not slow", *DATE_SENSITIVE]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *pytest_args],
        env={**os.environ, ENVIRONMENT_VARIABLE: moment},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert result.returncode == 0, f"at {moment}:\n{result.stdout[-6000:]}{result.stderr[-2000:]}"
