"""The shape of bot/: the import-linter contracts in pyproject.toml hold (layers in one
direction, a core without aiogram and aiohttp, no cycles), and a wrong import breaks them
with a message that names the rule. docs/architecture.md draws the layers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

LINT = [
    sys.executable,
    "-c",
    "from importlinter.cli import lint_imports_command; lint_imports_command()",
]


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the tree at `root` (its pyproject.toml, its bot/)."""
    return subprocess.run(
        [*LINT, "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": ""},
        check=False,
    )


def test_the_contracts_hold() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_an_upward_import_breaks_the_layers_and_names_the_rule(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _append(root / "bot/store/repo.py", "from bot.dialogs import engine  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "bot/ is layered" in result.stdout
    assert "bot.store.repo -> bot.dialogs.engine" in result.stdout


def test_aiogram_in_the_core_breaks_its_contract(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _append(root / "bot/leads/desk.py", "import aiogram  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "The core never imports aiogram or aiohttp" in result.stdout
    assert "bot.leads is not allowed to import aiogram" in result.stdout


def test_a_cycle_inside_a_package_is_found(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _append(root / "bot/content/schema.py", "from bot.content import loader  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "No import cycles" in result.stdout


def test_the_web_command_does_without_aiogram() -> None:
    """`lotse web` without a bot token never needs aiogram, so it does not import it (its
    startup errors live in bot/runtime/errors.py, not in the Telegram runtime)."""
    code = (
        "import sys, bot.cli, bot.runtime.web; from bot.runtime.errors import StartupError; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'aiogram'))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "[]"
