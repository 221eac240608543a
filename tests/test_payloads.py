"""Button payloads (bot/payloads.py): typed, packed the way buttons already in people's
chats are, and never raising on what a chat sends back."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import payloads
from bot.ids import MAX_ID
from bot.messages import Button, Message
from bot.payloads import (
    MAX_BYTES,
    Choice,
    Erase,
    FaqAnswer,
    Followup,
    Handoff,
    Language,
    LeadAction,
    Nav,
    OfferCurrent,
    OfferDetails,
    OfferList,
    OfferReview,
    Payload,
    Withdraw,
    size,
    unpack,
)
from bot.telegram.render import keyboard

# Payloads as the bot sent them before bot/payloads.py: they must read the same after a deploy.
ON_THE_WIRE = [
    (Nav("back"), "nav:back"),
    (Nav("restart"), "nav:restart"),
    (Choice("consent", "yes"), "s:consent:yes"),
    (Choice("place", "c0"), "s:place:c0"),
    (FaqAnswer("versicherung"), "faq:versicherung"),
    (Handoff("ask"), "hq:ask"),
    (LeadAction(12, "accept"), "l:12:accept"),
    (LeadAction(3, "not_fit"), "l:3:not_fit"),
    (Withdraw(7), "w:7"),
    (Followup(7, "partly"), "f:7:partly"),
    (OfferReview(4, "approve"), "or:4:approve"),
    (OfferCurrent(4, "end"), "oc:4:end"),
    (Erase("yes"), "del:yes"),
    (Language("en"), "lang:en"),
    (OfferDetails("dz-tafel-ausgabe"), "od:dz-tafel-ausgabe"),
    (OfferList(), "ol"),
]

FORGED = [
    "",
    ":",
    "garbage",
    "x" * 200,
    "S:consent:yes",  # prefixes are case-sensitive
    "s:consent",  # a field missing
    "s:consent:",  # an empty field
    "s::yes",
    "s:consent:yes:no",  # a field too many
    "w:1:2",
    "l:x:accept",  # ids are numbers …
    "l:-1:accept",
    "l:+1:accept",
    "l: 1:accept",
    "l:1.0:accept",
    "l:²:accept",  # … of ASCII digits only
    "l:١٢:accept",
    f"l:{MAX_ID + 1}:accept",  # … that a database key can hold
    "l:" + "9" * 5000 + ":accept",
    "l:1:delete",  # an action no button has
    "f:1:maybe",
    "hq:maybe",
    "del:perhaps",
    "nav:sideways",
    "or:1:approve:now",
    "oc::keep",
    "s:consent:" + "ä" * 40,  # well-formed, but longer than Telegram ever delivers
    "\x00:\x00",
    "lang:\ud800",  # a lone surrogate, as broken JSON may carry
    "od:",  # an offer without id
    "od:a:b",
    "ol:",  # the list takes no field
    "ol:1",
]


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Values a field of this type may hold: what `pack` must take and give back."""
    if get_origin(hint) is Literal:
        return st.sampled_from(get_args(hint))
    if hint is int:
        return st.integers(0, MAX_ID)
    return st.text(min_size=1, max_size=20).filter(lambda s: ":" not in s)


def _payloads() -> st.SearchStrategy[Payload]:
    """Any payload of any kind, its fields drawn from their declared types."""
    kinds = payloads.kinds()

    def build(kind: type[Payload]) -> st.SearchStrategy[Payload]:
        hints = get_type_hints(kind)
        fields = {f.name: _strategy(hints[f.name]) for f in dataclasses.fields(kind)}
        return st.builds(kind, **fields)

    return st.one_of(*(build(kind) for kind in kinds))


# --- pack and unpack -----------------------------------------------------------------


@pytest.mark.parametrize(("payload", "data"), ON_THE_WIRE, ids=[d for _, d in ON_THE_WIRE])
def test_the_wire_format_is_what_buttons_in_chats_already_carry(
    payload: Payload, data: str
) -> None:
    assert payload.pack() == data
    assert unpack(data) == payload
    assert type(payload).unpack(data) == payload


def test_every_kind_is_covered_by_the_wire_table() -> None:
    assert {type(p) for p, _ in ON_THE_WIRE} == set(payloads.kinds())


@given(_payloads())
def test_pack_then_unpack_gives_the_payload_back(payload: Payload) -> None:
    data = payload.pack()
    if size(payload) <= MAX_BYTES:
        assert unpack(data) == payload
    else:  # never sent: Telegram would not take it (lotse check keeps content short enough)
        assert unpack(data) is None


@given(st.text(max_size=80))
def test_unpack_never_raises_and_reads_only_canonical_data(data: str) -> None:
    payload = unpack(data)
    assert payload is None or payload.pack() == data


@pytest.mark.parametrize("data", FORGED)
def test_forged_or_malformed_data_is_none(data: str) -> None:
    assert unpack(data) is None
    assert all(kind.unpack(data) is None for kind in payloads.kinds())


def test_a_kind_reads_only_its_own_prefix() -> None:
    assert Withdraw.unpack("f:7:yes") is None
    assert Followup.unpack("f:7:yes") == Followup(7, "yes")


@pytest.mark.parametrize(
    "payload",
    [
        Choice("a:b", "c"),  # would read back as three fields
        Choice("a", ""),
        Withdraw(-1),
        Withdraw(MAX_ID + 1),
        Withdraw(True),
        LeadAction(1, "delete"),  # type: ignore[arg-type]
        Language("\ud800"),
    ],
)
def test_pack_refuses_what_could_not_be_read_back(payload: Payload) -> None:
    with pytest.raises(ValueError, match="cannot go into a button payload"):
        payload.pack()


def test_a_prefix_is_declared_once() -> None:
    with pytest.raises(TypeError, match="taken"):

        class Again(Payload, prefix="s"):
            step: str

    assert unpack("s:consent:yes") == Choice("consent", "yes")


def test_kinds_without_content_fields_always_fit_telegram() -> None:
    """Ids, fixed actions, FAQ and offer ids (slugs of at most 40 characters) fit at their widest;
    step names, option values and language codes come from content: `lotse check`."""
    widest = [
        LeadAction(MAX_ID, "unreachable"),
        Followup(MAX_ID, "partly"),
        OfferReview(MAX_ID, "approve"),
        OfferCurrent(MAX_ID, "keep"),
        Withdraw(MAX_ID),
        Handoff("ask"),
        Erase("yes"),
        Nav("restart"),
        FaqAnswer("f" * 40),
        OfferDetails("o" * 40),  # offer ids are slugs of at most 40 characters too
        OfferList(),
    ]
    assert max(size(p) for p in widest) <= MAX_BYTES


# --- the renderer's guard --------------------------------------------------------------


def test_the_renderer_leaves_out_an_oversized_button_loudly_without_its_data(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "s:step:" + "anna-mueller-0171-1234567-" * 3
    buttons = (Button("Zu lang", secret), Button("Passt", "s:step:ok"))
    with caplog.at_level(logging.WARNING, logger="bot.telegram.render"):
        markup = keyboard(Message("Frage?", buttons), "Standort")

    assert markup is not None
    sent = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert sent == ["s:step:ok"]
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "'s'" in record.getMessage() and str(len(secret)) in record.getMessage()
    assert "anna" not in record.getMessage()


def test_a_button_of_exactly_64_bytes_is_kept(caplog: pytest.LogCaptureFixture) -> None:
    data = Choice("step", "ä" * 28 + "x").pack()
    assert len(data.encode()) == MAX_BYTES
    with caplog.at_level(logging.WARNING, logger="bot.telegram.render"):
        markup = keyboard(Message("Frage?", (Button("Ja", data),)), "Standort")
    assert markup is not None and markup.inline_keyboard[0][0].callback_data == data
    assert not caplog.records
