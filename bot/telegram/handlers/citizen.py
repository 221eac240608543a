"""Private chats: everything a person sends goes to the conversation core.

Citizens and Lotsen share this router: the core knows who is a Lotse and what they may do.
Every event carries the update's id (`update_key`, set by UserGate) so that an update
delivered twice is handled once. The handlers are plain module-level functions (each can
be called alone in a test); `build_router` gives every dispatcher its own router, since
aiogram attaches a router to one parent only and a process may run several (the tests do).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.messages import Event
from bot.telegram.bridge import Bridge, sender_of
from bot.telegram.handlers.filters import inline


async def on_text(message: Message, bridge: Bridge, update_key: str | None = None) -> None:
    assert message.from_user and message.text is not None
    event = Event.message(sender_of(message.from_user), message.text)
    await bridge.handle(event, message.chat.id, key=update_key)
    if message.text.startswith("/start inv-"):
        await bridge.after_join(message.from_user.id)


async def on_location(message: Message, bridge: Bridge, update_key: str | None = None) -> None:
    assert message.from_user and message.location
    event = Event.location(
        sender_of(message.from_user), message.location.latitude, message.location.longitude
    )
    await bridge.handle(event, message.chat.id, key=update_key)


async def on_contact(message: Message, bridge: Bridge, update_key: str | None = None) -> None:
    """A shared contact card answers 'how can the Lotse reach you' with its phone number."""
    assert message.from_user and message.contact
    event = Event.message(sender_of(message.from_user), message.contact.phone_number)
    await bridge.handle(event, message.chat.id, key=update_key)


async def on_other(message: Message, bridge: Bridge, update_key: str | None = None) -> None:
    """Stickers, photos, voice, documents …: a friendly hint and the current question."""
    assert message.from_user
    event = Event(sender_of(message.from_user), "unsupported")
    await bridge.handle(event, message.chat.id, key=update_key)


async def on_edit(message: Message, bridge: Bridge) -> None:
    assert message.from_user
    await bridge.hint(message.chat.id, message.from_user.language_code, "edited_hint")


async def on_button(query: CallbackQuery, bridge: Bridge, update_key: str | None = None) -> None:
    await query.answer()  # stop the button's spinner first
    if query.message is None or query.data is None:
        return
    event = Event.button(sender_of(query.from_user), query.data)
    await bridge.handle(event, query.message.chat.id, pressed=query, key=update_key)


def build_router() -> Router:
    router = Router(name="citizen")
    router.message.filter(inline(F.chat.type == "private"))
    router.edited_message.filter(inline(F.chat.type == "private"))
    router.message.register(on_text, inline(F.text))
    router.message.register(on_location, inline(F.location))
    router.message.register(on_contact, inline(F.contact))
    router.message.register(on_other)
    router.edited_message.register(on_edit)
    router.callback_query.register(on_button)
    return router
