"""Vereine enter offers in the chat; coordinators review them; they expire unless renewed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot import clock as product_clock
from bot.content.model import Content
from bot.dialogs.engine import DialogEngine
from bot.dialogs.turn import Matchers
from bot.messages import Event
from bot.runtime.ticker import tick
from bot.store.db import Database
from bot.store.models import OfferSubmission, OutboxMessage
from tests.helpers.chat import Chat, run_lotse
from tests.helpers.offers import TITLE, submit_offer


async def submissions(db: Database) -> list[OfferSubmission]:
    async with db.session() as session:
        rows = await session.scalars(select(OfferSubmission).order_by(OfferSubmission.id))
        return list(rows)


async def outbox(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def search_for_children_offers(engine: DialogEngine, user: str) -> str:
    citizen = Chat(engine, user=user)
    for text in ("Hallo", "1", "Vorlesen mit Kindern", "Zschepen", "1", "1"):
        await citizen.say(text)
    return citizen.text


def press(chat: Chat, data: str) -> Event:
    return Event.button(chat.sender, data)


async def test_offer_waits_for_review_then_is_shown_until_it_expires(
    content: Content, any_db_url: str, matchers: Matchers
) -> None:
    db = Database(any_db_url)
    await db.migrate()
    try:
        engine = DialogEngine(content, db, matchers, coordinators={("test", "coord")})
        await submit_offer(engine)
        [submission] = await submissions(db)
        assert submission.status == "pending" and submission.gemeinde == "Delitzsch"
        assert submission.data["interests"] == ["kinder-jugend"]
        assert submission.data["contact"] == "0171 1234567"
        [card] = await outbox(db)
        assert card.recipient_role == "coordinator" and TITLE in card.text
        assert TITLE not in await search_for_children_offers(engine, "before")

        intruder = Chat(engine, user="intruder")  # a forged approval is refused
        await intruder.say("Hallo")
        approve = next(data for label, data in card.buttons if "Freigeben" in label)
        await intruder.send(press(intruder, approve))
        assert "für die Koordination" in intruder.text
        assert (await submissions(db))[0].status == "pending"

        coordinator = Chat(engine, user="coord")
        await coordinator.say("Hallo")
        await coordinator.send(press(coordinator, approve))
        assert f"Freigegeben: „{TITLE}“" in coordinator.text
        await coordinator.send(press(coordinator, approve))
        assert "schon entschieden" in coordinator.text

        [submission] = await submissions(db)
        assert submission.status == "approved"
        assert submission.expires_on == engine.today() + dt.timedelta(days=180)  # the region's day
        told = [r for r in await outbox(db) if r.recipient_role == "citizen"]
        assert len(told) == 1 and "freigegeben" in told[0].text
        assert TITLE in await search_for_children_offers(engine, "after")

        async with db.session() as session, session.begin():  # its time is up
            await session.execute(
                update(OfferSubmission).values(expires_on=engine.today() - dt.timedelta(days=1))
            )
        engine.offers_changed()
        assert TITLE not in await search_for_children_offers(engine, "later")
        done = await tick(db, content, product_clock.now())
        assert "1 Vereinsangebot(e) abgelaufen" in done
        assert (await submissions(db))[0].status == "expired"
    finally:
        await db.close()


async def test_a_second_process_sees_the_approved_offer(
    content: Content, db: Database, matchers: Matchers
) -> None:
    first = DialogEngine(content, db, matchers, coordinators={("test", "coord")})
    second = DialogEngine(content, db, matchers)  # another bot process on the same database
    await submit_offer(first)
    assert TITLE not in await search_for_children_offers(second, "early")
    [card] = await outbox(db)
    coordinator = Chat(first, user="coord")
    await coordinator.say("Hallo")
    await coordinator.send(press(coordinator, card.buttons[0][1]))
    second.offers_changed()  # instead of waiting OFFERS_CHECK_SECONDS
    assert TITLE in await search_for_children_offers(second, "late")


async def test_verein_is_asked_before_expiry_and_can_extend_or_end(
    content: Content, db: Database, matchers: Matchers
) -> None:
    engine = DialogEngine(content, db, matchers, coordinators={("test", "coord")})
    verein = await submit_offer(engine)
    [card] = await outbox(db)
    coordinator = Chat(engine, user="coord")
    await coordinator.say("Hallo")
    await coordinator.send(press(coordinator, card.buttons[0][1]))
    soon = engine.today() + dt.timedelta(days=10)
    async with db.session() as session, session.begin():
        await session.execute(update(OfferSubmission).values(expires_on=soon))

    now = product_clock.now()
    assert any("Noch aktuell" in line for line in await tick(db, content, now))
    assert not any("Noch aktuell" in line for line in await tick(db, content, now))  # once
    question = [r for r in await outbox(db) if "noch aktuell" in r.text][-1]
    keep, end = (data for _, data in question.buttons)

    other = Chat(engine, user="not-the-verein")
    await other.say("Hallo")
    await other.send(press(other, end))
    assert (await submissions(db))[0].status == "approved"  # only the Verein may answer

    await verein.send(press(verein, keep))
    assert "bleibt sichtbar" in verein.text
    [submission] = await submissions(db)
    assert submission.expires_on == engine.today() + dt.timedelta(days=180)  # the region's day
    assert submission.asked_at is None  # asked again before the new date

    await verein.send(press(verein, end))
    assert "nicht mehr angezeigt" in verein.text
    assert (await submissions(db))[0].status == "ended"
    engine.offers_changed()
    assert TITLE not in await search_for_children_offers(engine, "after-end")


async def test_no_submission_without_consent(engine: DialogEngine, db: Database) -> None:
    chat = Chat(engine, user="verein")
    await chat.say("Hallo")
    await chat.press("Verein")
    for answer in (TITLE, "Vorlesen", "Kinder", "Zschepen", "dienstags", "Kita", "0171 1234567"):
        await chat.say(answer)
    await chat.press("Nein")
    assert await submissions(db) == []
    assert await outbox(db) == []


async def test_verein_sees_and_deletes_its_offer(engine: DialogEngine, db: Database) -> None:
    verein = await submit_offer(engine)
    await verein.say("/meine_daten")
    assert TITLE in verein.text and "wartet auf Prüfung" in verein.text
    await verein.say("/loeschen")
    await verein.press("löschen")
    assert await submissions(db) == []


@pytest.mark.slow
def test_review_in_the_terminal(tmp_path: Path, content: Content, matchers: Matchers) -> None:
    import asyncio

    path = tmp_path / "lotse.db"

    async def setup() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.migrate()
        await submit_offer(DialogEngine(content, db, matchers))
        await db.close()

    asyncio.run(setup())
    listed = run_lotse("offers", "review", db=path)
    assert (
        listed.returncode == 0 and TITLE in listed.stdout and "wartet auf Prüfung" in listed.stdout
    )
    before = offers_cell(run_lotse("report", "--format", "csv", db=path).stdout)
    approved = run_lotse("offers", "review", "--approve", "1", db=path)
    assert approved.returncode == 0, approved.stderr
    assert "freigegeben (sichtbar bis" in approved.stdout
    again = run_lotse("offers", "review", "--reject", "1", db=path)
    assert again.returncode == 1 and "nichts geändert" in again.stdout
    assert "Keine Vereinsangebote" in run_lotse("offers", "review", db=path).stdout
    after = offers_cell(run_lotse("report", "--format", "csv", db=path).stdout)
    assert after == before + 1  # the approved offer counts in the coordinators' report


def offers_cell(csv_text: str, gemeinde: str = "Delitzsch", area: str = "kinder-jugend") -> int:
    for line in csv_text.splitlines():
        cells = line.split(",")
        if cells[:3] == ["zelle", gemeinde, area] and cells[5] == "offers":
            return int(cells[6])
    raise AssertionError(f"no offers cell for {gemeinde}/{area}")


async def test_a_title_too_short_to_show_is_asked_again(engine: DialogEngine) -> None:
    """Offers need a title of 3 characters or more; a shorter one would be approved and
    then never shown, so the chat asks again."""
    chat = Chat(engine, user="verein")
    await chat.say("Hallo")
    await chat.press("Verein")
    await chat.say("AG")
    assert "mindestens 3 Zeichen" in chat.text
    await chat.say("AG Dorfchronik")
    assert "Wie soll das Angebot heißen" not in chat.text
