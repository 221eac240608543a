"""Offers and the person's time (issue #20): fitting offers first, honest words when an
offer or the whole list does not fit, one-off dates with the year when it is not obvious."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.clock import ManualClock
from tests.helpers.chat import Chat

pytestmark = pytest.mark.small_content  # the tests' own content: see tests/conftest.py

DATE_WITHOUT_YEAR = re.compile(r"\b\d{1,2}\.\d{1,2}\.(?!\d)")


async def ask_for(chat: Chat, interest: str, kind: str, when: str) -> str:
    """Through the dialogue to the offers; `when` typed as a person would."""
    await chat.say("Hallo")
    await chat.press("engagieren")
    await chat.say(interest)
    await chat.say("Delitzsch")
    await chat.press(kind)
    await chat.say(when)
    return chat.last_message().text


async def test_saturday_mornings_get_fitting_offers_first(chat: Chat) -> None:
    offers = await ask_for(chat, "Sport", "Regelmäßig", "samstags vormittags")
    assert offers.index("Lauftreff") < offers.index("Kinderturnen")
    assert "Das könnte zu Ihnen passen" in offers
    turnen = next(line for line in offers.split("\n\n") if "Kinderturnen" in line)
    assert "nur montags" in turnen
    lauftreff = next(line for line in offers.split("\n\n") if "Lauftreff" in line)
    assert "nur" not in lauftreff


async def test_nothing_at_the_stated_time_is_said_honestly(chat: Chat) -> None:
    offers = await ask_for(chat, "Sport", "Regelmäßig", "sonntags abends")
    intro = offers.split("\n\n")[0]
    assert intro.startswith("Zu Ihrer Zeit (sonntags abends) habe ich nichts gefunden")
    assert "Das könnte zu Ihnen passen" not in offers
    assert "nur montags" in offers and "nur samstags" in offers


async def test_one_off_dates_in_december_carry_next_years_year(
    chat: Chat, clock: ManualClock
) -> None:
    clock.set(dt.datetime(2026, 12, 10, 10, tzinfo=dt.UTC))
    offers = await ask_for(chat, "Umwelt", "einmalig", "am Wochenende")
    assert "Sa 20.03.2027" in offers and "Sa 02.10.2027" in offers
    assert not DATE_WITHOUT_YEAR.search(offers), offers


async def test_near_one_off_dates_go_without_the_year(chat: Chat, clock: ManualClock) -> None:
    clock.set(dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC))
    offers = await ask_for(chat, "Umwelt", "einmalig", "am Wochenende")
    assert "Sa 20.03." in offers and "20.03.2027" not in offers


async def test_far_one_off_says_it_is_one_day(chat: Chat, clock: ManualClock) -> None:
    clock.set(dt.datetime(2026, 12, 10, 10, tzinfo=dt.UTC))
    offers = await ask_for(chat, "Umwelt", "Regelmäßig", "am Wochenende")
    assert "einmalig am Sa 02.10.2027" in offers
