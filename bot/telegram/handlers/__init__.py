"""aiogram routers for private chats, coordinators and groups."""

from bot.telegram.fast_aiogram import install

install()  # before the handlers import aiogram (see bot/telegram/fast_aiogram.py)
