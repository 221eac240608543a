"""Button payloads: what a pressed button tells the core, typed and packed into a short string.

In the spirit of aiogram's `CallbackData` (which the core must not import): each kind of
payload is a frozen dataclass whose prefix is declared once, in its class statement.

    @dataclass(frozen=True)
    class Withdraw(Payload, prefix="w"):
        lead: int

    Withdraw(12).pack()         → "w:12"
    Withdraw.unpack("w:12")     → Withdraw(lead=12)
    unpack("w:12")              → Withdraw(lead=12)   (whichever kind the prefix names)

On the wire: the prefix, then the fields in declared order, joined by ':' – the format the
buttons had before this module, so buttons already in people's chats keep working after a
deploy. A field is an `int` (a database id: ASCII digits, see `bot.ids.parse_id`), a `str`
(non-empty, without ':') or a `Literal` of strings.

What comes back from a chat may be forged: `unpack` returns None for anything that is not
exactly one of ours (wrong prefix, wrong number of fields, an id that is no number, an
unknown action, longer than `MAX_BYTES`) and never raises; the engine answers such a press
as a stale button. `pack` raises ValueError for a value it could not read back – a bug, or
content that `lotse check` rejects (see `bot/content/validate.py`, which also makes sure no
payload built from content exceeds Telegram's 64 bytes).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self, get_args, get_origin, get_type_hints

from bot.ids import parse_id

SEPARATOR = ":"
MAX_BYTES = 64  # Telegram's limit for a button's callback_data, in UTF-8 bytes

_KINDS: dict[str, type[Payload]] = {}


@dataclass(frozen=True)
class _Field:
    name: str
    kind: type[int] | type[str]
    allowed: tuple[str, ...] = ()  # a Literal's values; empty: any str

    @classmethod
    def of(cls, name: str, hint: Any) -> _Field:
        if get_origin(hint) is Literal:
            allowed = get_args(hint)
            if not all(isinstance(a, str) and a and SEPARATOR not in a for a in allowed):
                raise TypeError(f"{name}: Literal values must be non-empty str without ':'")
            return cls(name, str, allowed)
        if hint in (int, str):
            return cls(name, hint)
        raise TypeError(f"{name}: a payload field is int, str or a Literal of str, not {hint}")

    def dump(self, value: object) -> str:
        """The value as it goes on the wire; ValueError for one `read` would refuse."""
        text = str(value)
        if self.read(text) != value or isinstance(value, bool):
            raise ValueError(f"{self.name}={value!r} cannot go into a button payload")
        return text

    def read(self, text: str) -> int | str | None:
        if self.kind is int:
            return parse_id(text)
        if not text or SEPARATOR in text or (self.allowed and text not in self.allowed):
            return None
        return text if _encodable(text) else None


def _encodable(text: str) -> bool:
    """False for a lone surrogate (broken JSON may carry one): no button could hold it."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


class Payload:
    """The base of every payload kind; subclasses are frozen dataclasses (see above)."""

    prefix: ClassVar[str]
    _fields: ClassVar[tuple[_Field, ...]]

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or SEPARATOR in prefix or prefix in _KINDS:
            raise TypeError(f"payload prefix {prefix!r} is empty, has ':' or is taken")
        own = inspect.get_annotations(cls)  # this class's fields, not the base's ClassVars
        hints = get_type_hints(cls)
        cls.prefix = prefix
        cls._fields = tuple(_Field.of(name, hints[name]) for name in own)
        _KINDS[prefix] = cls

    def pack(self) -> str:
        values = (f.dump(getattr(self, f.name)) for f in self._fields)
        return SEPARATOR.join((self.prefix, *values))

    @classmethod
    def unpack(cls, data: str) -> Self | None:
        """This kind's payload from a button's data; None for anything else."""
        if not isinstance(data, str) or len(data.encode(errors="replace")) > MAX_BYTES:
            return None
        head, *parts = data.split(SEPARATOR)
        if head != cls.prefix or len(parts) != len(cls._fields):
            return None
        values = [f.read(part) for f, part in zip(cls._fields, parts, strict=True)]
        if any(v is None for v in values):
            return None
        return cls(*values)


def unpack(data: str) -> Payload | None:
    """Whichever kind of payload the data's prefix names, or None."""
    kind = _KINDS.get(data.partition(SEPARATOR)[0]) if isinstance(data, str) else None
    return kind.unpack(data) if kind else None


def size(payload: Payload) -> int:
    """The packed payload's length in bytes, as Telegram counts it."""
    return len(payload.pack().encode())


def kinds() -> tuple[type[Payload], ...]:
    return tuple(_KINDS.values())


# --- every kind of button the bot sends -----------------------------------------------


@dataclass(frozen=True)
class Nav(Payload, prefix="nav"):
    """'zurück' and 'neu starten' under the dialogue's questions."""

    to: Literal["back", "restart"]


@dataclass(frozen=True)
class Choice(Payload, prefix="s"):
    """An answer to a step of dialog.yaml: its option's value (or an interest id, 'c2' …)."""

    step: str
    value: str


@dataclass(frozen=True)
class FaqAnswer(Payload, prefix="faq"):
    """A related question of the FAQ: show its answer."""

    entry: str


@dataclass(frozen=True)
class Handoff(Payload, prefix="hq"):
    """Pass the last question on to a person: offer it, then consent or not."""

    action: Literal["ask", "yes", "no"]


LeadActionName = Literal[
    "show", "write", "answer", "accept", "decline", "contacted", "placed", "not_fit", "unreachable"
]


@dataclass(frozen=True)
class LeadAction(Payload, prefix="l"):
    """A Lotse's or coordinator's action on a lead (bot/leads/desk.py)."""

    lead: int
    action: LeadActionName


@dataclass(frozen=True)
class Withdraw(Payload, prefix="w"):
    """The person withdraws their own open request."""

    lead: int


@dataclass(frozen=True)
class Followup(Payload, prefix="f"):
    """The person's answer to 'did it work out?' some weeks after a placement."""

    lead: int
    answer: Literal["yes", "partly", "no"]


@dataclass(frozen=True)
class OfferReview(Payload, prefix="or"):
    """A coordinator approves or rejects a Verein's submitted offer."""

    submission: int
    action: Literal["approve", "reject"]


@dataclass(frozen=True)
class OfferCurrent(Payload, prefix="oc"):
    """The Verein answers whether its offer is still current."""

    submission: int
    answer: Literal["keep", "end"]


@dataclass(frozen=True)
class Erase(Payload, prefix="del"):
    """Confirm or cancel deleting all of the person's data."""

    answer: Literal["yes", "no"]


@dataclass(frozen=True)
class Language(Payload, prefix="lang"):
    """Switch the conversation to one of the content's languages."""

    code: str


@dataclass(frozen=True)
class OfferDetails(Payload, prefix="od"):
    """'ℹ️ Mehr' under the offer list: show what this offer involves before choosing it.
    An offer id is at most 40 characters (schema), so the payload stays under 64 bytes."""

    offer: str


@dataclass(frozen=True)
class OfferList(Payload, prefix="ol"):
    """Back from an offer's details to the same list, in the same order."""
