"""The Telegram adapter (aiogram). Importing it first makes aiogram's import cheap."""

from bot.telegram.fast_aiogram import install

install()  # before any module of this package imports aiogram (see fast_aiogram.py)
