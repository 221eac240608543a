"""The Telegram adapter (aiogram). `lotse run` makes aiogram's import cheap first (fast_aiogram)."""
