"""Errors of starting up, apart from the Telegram runtime: `lotse web` reports them without
importing aiogram (which only a bot token needs)."""

from __future__ import annotations


class StartupError(Exception):
    """A problem an operator must fix; its message is one clear line."""
