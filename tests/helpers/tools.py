"""System programs some tests need (Chromium): skipped with the reason on a developer's
machine without them, a failure in CI (``CI`` set), so CI never skips silently – the same
rule as PostgreSQL in tests/conftest.py (``any_db_url``)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_INSTALL = "apt-get install chromium"


def require_tool(*names: str, install: str) -> str:
    """The path of the first of ``names`` on PATH; else skip (locally) or fail (in CI)."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    wanted = " or ".join(names)
    if os.environ.get("CI"):
        pytest.fail(f"{wanted} is not installed; CI must install it (.ci/run: {install})")
    pytest.skip(f"{wanted} is not installed: {install} (CI installs it)")
