"""Operators get one clear German line, not a traceback, and no silly values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.config import Settings
from tests.helpers import ROOT, free_port
from tests.helpers.chat import run_lotse


def test_lotse_chat_without_a_database_says_so_in_one_line() -> None:
    unreachable = f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/none"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="Hallo\n",
        text=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": unreachable},
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "Datenbank nicht erreichbar" in line and "nobody@" not in line


@pytest.mark.parametrize("days", ["0", "-3", "100000", "1e9", "²"])
def test_invite_refuses_days_out_of_range(tmp_path: Path, days: str) -> None:
    result = run_lotse("invite", "--lotse", "lotse-delitzsch", "--days", days, db=tmp_path / "db")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--days: ganze Zahl von 1 bis 90 erwartet" in result.stderr


def test_server_commands_take_host_and_port_flags_over_the_environment() -> None:
    """`lotse web --host H --port P` and `lotse run --host H --port P` (webhook mode)."""
    settings = Settings.from_env({"WEB_PORT": "8080", "WEBHOOK_PORT": "8443"})
    web = cli._parser().parse_args(["web", "--host", "0.0.0.0", "--port", "8081"])
    assert cli._listening(web, settings, "web_host", "web_port").web_port == 8081
    assert cli._listening(web, settings, "web_host", "web_port").web_host == "0.0.0.0"
    run = cli._parser().parse_args(["run", "--port", "9000"])
    changed = cli._listening(run, settings, "webhook_host", "webhook_port")
    assert (changed.webhook_port, changed.webhook_host) == (9000, settings.webhook_host)
    untouched = cli._parser().parse_args(["web"])
    assert cli._listening(untouched, settings, "web_host", "web_port") == settings
    for bad in ("0", "65536", "acht", "²"):
        with pytest.raises(SystemExit):
            cli._parser().parse_args(["web", "--port", bad])


def test_output_piped_into_a_reader_that_stops_is_no_error(tmp_path: Path) -> None:
    """`lotse eval … | head`: the reader goes away; lotse stops quietly, no traceback."""
    # Misses are listed one per line: far more than a pipe holds (64 KiB), so lotse is
    # still writing when the reader goes away.
    cases = tmp_path / "cases.yaml"
    padding = "x" * 40
    lines = [f"  - {{text: 'qqq zzz {n} {padding}', expect: [sport]}}\n" for n in range(3000)]
    cases.write_text("interests:\n" + "".join(lines))
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "eval", str(cases)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/lotse.sqlite3"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()  # like `head -1`: one line, then the pipe is closed
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait(timeout=120) == 0, errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors
