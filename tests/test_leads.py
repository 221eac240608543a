"""Lead lifecycle in the core: invites, accepting, outcomes, relaying, deep links, language."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from bot import clock as product_clock
from bot.dialogs.engine import DialogEngine
from bot.leads import invites
from bot.messages import Event
from bot.store.db import Database
from bot.store.models import Invite, Lead, LeadEvent
from tests.helpers.chat import Chat
from tests.helpers.leads import join_as_lotse, outbox


async def make_lead(engine: DialogEngine, user: str = "citizen") -> Chat:
    chat = Chat(engine, user=user)
    for text in ("Hallo", "1", "Kinder", "Delitzsch", "1", "1"):
        await chat.say(text)
    await chat.press("👉 1.")
    await chat.press("Ja")
    await chat.say("Maria")
    await chat.say("0171 2345678")
    return chat


async def the_lead(db: Database) -> Lead:
    async with db.session() as session:
        return (await session.scalars(select(Lead))).one()


async def test_lead_notification_goes_to_outbox_with_accept_buttons(
    engine: DialogEngine, db: Database
) -> None:
    await make_lead(engine)
    [row] = await outbox(db)
    assert (row.recipient_role, row.recipient_id, row.status) == (
        "lotse",
        "lotse-delitzsch",
        "pending",
    )
    assert [label for label, _ in row.buttons] == ["✅ Annehmen", "❌ Ablehnen"]
    assert "0171" not in row.text and "Maria" not in row.text


async def test_invite_is_hashed_single_use_and_expires(engine: DialogEngine, db: Database) -> None:
    async with db.session() as session, session.begin():
        code = await invites.create_invite(session, "lotse-delitzsch")
        expired = await invites.create_invite(session, "lotse-taucha", days=-1)
    async with db.session() as session:
        stored = (await session.scalars(select(Invite.code_hash))).all()
    assert code not in stored and hashlib.sha256(code.encode()).hexdigest() in stored
    first = Chat(engine, user="lotse1")
    await first.say(f"/start inv-{code}")
    assert "Willkommen, Anna Beispiel" in first.text
    second = Chat(engine, user="intruder")
    await second.say(f"/start inv-{code}")
    assert "ungültig" in second.text
    await second.say(f"/start inv-{expired}")
    assert "ungültig" in second.text
    await second.say("/start inv-made-up-code")
    assert "ungültig" in second.text


async def test_lotse_accepts_sees_contact_and_citizen_is_told(
    engine: DialogEngine, db: Database
) -> None:
    await make_lead(engine)
    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "anna-lotse")
    lead = await the_lead(db)
    await lotse.send(Event.button(lotse.sender, f"l:{lead.id}:accept"))
    assert "0171 2345678" in lotse.text and "Maria" in lotse.text
    assert "Vermittelt" in " ".join(lotse.labels)
    assert (await the_lead(db)).status == "accepted"
    rows = await outbox(db)
    assert rows[-1].recipient_role == "citizen" and "übernommen" in rows[-1].text
    await lotse.press("Kontakt aufgenommen")
    await lotse.press("Vermittelt")
    assert (await the_lead(db)).status == "placed"
    async with db.session() as session:
        events = (await session.scalars(select(LeadEvent).order_by(LeadEvent.id))).all()
    assert [(e.from_status, e.to_status) for e in events] == [
        ("created", "offered"),
        ("offered", "accepted"),
        ("accepted", "contacted"),
        ("contacted", "placed"),
    ]
    assert events[1].actor == "lotse:lotse-delitzsch"


async def test_only_the_assigned_lotse_can_act(engine: DialogEngine, db: Database) -> None:
    await make_lead(engine)
    other = await join_as_lotse(engine, db, "lotse-taucha", "bernd-lotse")
    lead = await the_lead(db)
    await other.send(Event.button(other.sender, f"l:{lead.id}:accept"))
    assert "nicht (mehr) zugeordnet" in other.text and "0171" not in other.text
    citizen = Chat(engine, user="someone")
    await citizen.say("Hallo")
    await citizen.send(Event.button(citizen.sender, f"l:{lead.id}:accept"))
    assert "für Engagement-Lotsen" in citizen.text
    assert (await the_lead(db)).status == "offered"


async def test_decline_hands_lead_to_coordinators(engine: DialogEngine, db: Database) -> None:
    await make_lead(engine)
    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "anna-lotse")
    await lotse.send(Event.button(lotse.sender, f"l:{(await the_lead(db)).id}:decline"))
    assert "abgelehnt" in lotse.text
    lead = await the_lead(db)
    assert (lead.status, lead.lotse_id) == ("new", None)
    assert (await outbox(db))[-1].recipient_role == "coordinator"


async def test_invalid_transition_shows_current_state(engine: DialogEngine, db: Database) -> None:
    await make_lead(engine)
    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "anna-lotse")
    lead_id = (await the_lead(db)).id
    await lotse.send(Event.button(lotse.sender, f"l:{lead_id}:placed"))
    assert "geht bei dieser Anfrage gerade nicht" in lotse.text
    for data in (f"l:{lead_id}:explode", "l:x:accept", "l:999999:accept", "l::"):
        await lotse.send(Event.button(lotse.sender, data))
    assert (await the_lead(db)).status == "offered"


async def test_lotse_message_is_relayed_to_citizen(engine: DialogEngine, db: Database) -> None:
    await make_lead(engine)
    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "anna-lotse")
    lead_id = (await the_lead(db)).id
    await lotse.send(Event.button(lotse.sender, f"l:{lead_id}:accept"))
    await lotse.press("Nachricht senden")
    await lotse.say("Hallo Maria, passt Ihnen Donnerstag?")
    assert "unterwegs" in lotse.text
    row = (await outbox(db))[-1]
    assert row.recipient_role == "citizen" and "passt Ihnen Donnerstag" in row.text
    assert (await the_lead(db)).status == "contacted"


async def test_my_leads_lists_open_leads(engine: DialogEngine, db: Database) -> None:
    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "anna-lotse")
    await lotse.say("/meine_leads")
    assert "keine offenen" in lotse.text
    await make_lead(engine)
    await lotse.say("/meine_leads")
    assert "(1)" in lotse.text and "Kinder" in lotse.text
    await lotse.press("#")
    assert "wartet auf Annahme" in lotse.text
    citizen = Chat(engine, user="nobody")
    await citizen.say("/meine_leads")
    assert "für Engagement-Lotsen" in citizen.text


async def test_revoked_lotse_cannot_act(engine: DialogEngine, db: Database) -> None:
    await make_lead(engine)
    lotse = await join_as_lotse(engine, db, "lotse-delitzsch", "anna-lotse")
    from bot.store.models import LotseAccount

    async with db.session() as session, session.begin():
        account = await session.get(LotseAccount, "lotse-delitzsch")
        assert account is not None
        account.revoked_at = product_clock.now()
    await lotse.send(Event.button(lotse.sender, f"l:{(await the_lead(db)).id}:accept"))
    assert (await the_lead(db)).status == "offered"


async def test_deep_link_to_interest_and_offer(engine: DialogEngine, db: Database) -> None:
    poster = Chat(engine, user="poster-reader")
    await poster.say("/start i-rettung-feuerwehr")
    assert "Freiwillige Feuerwehr" in poster.text and "In welchem Ort" in poster.text
    offer_reader = Chat(engine, user="offer-reader")
    await offer_reader.say("/start o-dz-tafel-ausgabe")
    assert "Sie interessieren sich für" in offer_reader.text
    assert "einverstanden" in offer_reader.text
    await offer_reader.press("Ja")
    await offer_reader.press("Überspringen")
    await offer_reader.say("mail@example.org")
    lead = await the_lead(db)
    assert (lead.offer_id, lead.gemeinde, lead.lotse_id) == (
        "dz-tafel-ausgabe",
        "Delitzsch",
        "lotse-delitzsch",
    )
    stale = Chat(engine, user="old-poster")
    await stale.say("/start o-no-such-offer")
    assert "nicht mehr aktuell" in stale.text and "willkommen" in stale.text.lower()


async def test_language_switch(engine: DialogEngine) -> None:
    chat = Chat(engine, user="switcher")
    await chat.say("Hallo")
    await chat.say("/sprache")
    await chat.press("English")
    assert "English from now on" in chat.text and "What would you like to do" in chat.text
    await chat.send(Event.button(chat.sender, "lang:xx"))
    assert "earlier question" in chat.text
