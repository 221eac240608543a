"""The one clock: injectable, honoured everywhere, and the only reader of the wall clock."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from bot import clock as product_clock
from bot.clock import ManualClock, ShiftedClock
from bot.store.db import Database
from bot.store.models import User
from tests.helpers import ROOT
from tests.helpers.chat import run_lotse

WALL_CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
}


def wall_clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute | ast.Name):
            owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
            if (owner, node.attr) in WALL_CLOCK_READS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {owner}.{node.attr}")
    return found


def test_no_module_but_the_clock_reads_the_wall_clock() -> None:
    reads = [
        read
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path.name != "clock.py"
        for read in wall_clock_reads(path)
    ]
    assert reads == [], "use bot.clock.now() / today_in() instead:\n" + "\n".join(reads)


def test_manual_clock_stands_still_and_moves_when_told() -> None:
    start = dt.datetime(2026, 12, 31, 22, 59, tzinfo=dt.UTC)
    manual = ManualClock(start)
    with product_clock.using(manual):
        assert product_clock.now() == start
        assert product_clock.today_in("Europe/Berlin") == dt.date(2026, 12, 31)
        manual.advance(minutes=2)  # 00:01 in Berlin: New Year there, not yet in UTC
        assert product_clock.today_in("Europe/Berlin") == dt.date(2027, 1, 1)
        assert product_clock.now().date() == dt.date(2026, 12, 31)
    assert product_clock.current() is not manual


def test_shifted_clock_starts_at_its_moment_and_runs_on() -> None:
    start = dt.datetime(2027, 3, 28, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    shifted = ShiftedClock(start)
    first = shifted.now()
    assert first >= start and first - start < dt.timedelta(minutes=5)
    assert shifted.now() >= first and first.tzinfo == dt.UTC


def test_naive_times_are_utc_and_bad_ones_say_how_to_write_them() -> None:
    assert product_clock.parse("2026-12-07T07:00") == dt.datetime(2026, 12, 7, 7, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="2026-12-31T23:59:00"):
        product_clock.parse("nächsten Montag")


async def test_database_defaults_come_from_the_clock(db: Database, clock: ManualClock) -> None:
    clock.set(dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC))  # 02:30, the first of two
    async with db.session() as session, session.begin():
        user = User(channel="test", external_id="clockwatcher", language="de")
        session.add(user)
    async with db.session() as session:
        stored = await session.get(User, user.id)
        assert stored is not None
        assert product_clock.parse(stored.created_at.isoformat()) == clock.now()


def test_lotse_now_sets_a_process_clock(tmp_path: Path) -> None:
    result = run_lotse(
        "tick", db=tmp_path / "lotse.sqlite3", env={"LOTSE_NOW": "2026-12-31T23:59:00+01:00"}
    )
    assert result.returncode == 0, result.stderr
    assert "Stand 31.12.2026 23:59 (Europe/Berlin)" in result.stdout  # local, zone named


def test_a_wrong_lotse_now_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run_lotse("tick", db=tmp_path / "lotse.sqlite3", env={"LOTSE_NOW": "morgen"})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "lotse: LOTSE_NOW='morgen' is not an ISO time, e.g. 2026-12-31T23:59:00+01:00"
    ]
