"""An offer of the list opened before choosing it: what, where, when, who, what is needed.

The list (`OffersStep`) carries one "ℹ️ Mehr zu N" button per offer (`OfferDetails`); the
details come with "✅ Das möchte ich" (the list's own choice of that offer, so the consent
flow is the same) and "↩️ Zurück zur Liste" (`OfferList`). The list is not ranked again on
the way back: it is the step's remembered question (`pending["prompt"]`), which the details
leave alone, so the person sees the same offers in the same order and is asked nothing again.

Typed words open the details too: "mehr zu 2", "details zum zweiten", "was ist das erste
genau?" – one of the offers step's `more_words` and an item of the list (its number, an
ordinal as the rest of the dialogue reads it, or the offer's title).
"""

from __future__ import annotations

import re

from bot.content.schema import Offer, Step
from bot.dialogs.offer_lines import date_label
from bot.dialogs.turn import Turn
from bot.matching.options import pick, pick_all
from bot.messages import Button, Message
from bot.offers.build import clip
from bot.payloads import Choice, OfferDetails, OfferList
from bot.understanding import Reading, cues

MAX_DESCRIPTION = 1200  # characters of a long (imported) description shown in the chat
_NUMBER = re.compile(r"(?<![\d.,:])(\d{1,2})(?![\d.,:]?\d)")


def buttons(turn: Turn, offer_ids: list[str]) -> list[Button]:
    """One short "ℹ️ Mehr zu N" per offer: channels may put them side by side in one row."""
    return [
        Button(turn.t("btn_offer_details", n=n), OfferDetails(offer_id).pack())
        for n, offer_id in enumerate(offer_ids, start=1)
    ]


def viewing(turn: Turn) -> bool:
    """Whether the last buttons the person got are those of an offer's details."""
    shown = turn.state.pending.get("buttons") or []
    return any(OfferList.unpack(data) is not None for _label, data in shown)


def answered(turn: Turn, reading: Reading) -> str | None:
    """At an offer's details 'ja' chooses it and 'nein' goes back to the list (the data of
    that button); None anywhere else. Without this, 'ja' would read as the offer step's
    'yes' – advice in general, not this offer."""
    if reading.yes_no is None or not viewing(turn):
        return None
    wanted = Choice if reading.yes_no == "yes" else OfferList
    shown = turn.state.pending.get("buttons") or []
    return next((data for _label, data in shown if wanted.unpack(data) is not None), None)


def asked(turn: Turn, reading: Reading) -> OfferDetails | None:
    """The offer a typed message asks about ("mehr zu 2"), at an offer list; else None."""
    step = turn.content.dialog.steps.get(turn.state.step)
    offers = turn.state.pending.get("offers") or []
    if step is None or step.kind != "offers" or not offers or not step.more_words:
        return None
    if not pick_all(reading.text, [("more", step.more_words)]):
        return None
    index = _item(turn, reading, step, offers)
    return OfferDetails(offers[index]) if index is not None else None


def _item(turn: Turn, reading: Reading, step: Step, offers: list[str]) -> int | None:
    """Which offer of the list (0-based) the text names: a number, 'das zweite', a title."""
    number = reading.ordinal
    if number is None:  # "ich möchte mehr über das dritte wissen" is too long for `ordinal`
        words = reading.text.split()
        pairs = (" ".join(words[i : i + 2]) for i in range(len(words) - 1))
        number = next((n for pair in pairs if (n := cues.ordinal(pair)) is not None), None)
    if number is None and (found := _NUMBER.search(reading.text)):
        number = int(found[1])
    if number == -1:
        return len(offers) - 1
    if number is not None:
        return number - 1 if 0 < number <= len(offers) else None
    titles = [(str(i), [_title(turn, offer_id)]) for i, offer_id in enumerate(offers)]
    rest = " ".join(w for w in reading.text.split() if not pick_all(w, [("m", step.more_words)]))
    named = pick(rest, titles) if rest else None
    return int(named) if named is not None else None


def _title(turn: Turn, offer_id: str) -> str:
    offer = turn.content.offers.get(offer_id)
    return offer.title if offer else offer_id


def show(turn: Turn, pressed: OfferDetails, prompt: list[Message]) -> list[Message]:
    """The offer's details, to choose it or go back; a friendly word for a button of an
    earlier list, an offer that has ended since (archived, removed) or forged data."""
    name = turn.state.step
    step = turn.content.dialog.steps.get(name)
    offers = turn.state.pending.get("offers") or []
    turn.keep_prompt = False  # the list stays the question that "zurück zur Liste" shows
    if step is None or step.kind != "offers" or pressed.offer not in offers:
        return [Message(turn.t("stale_button")), *prompt]
    offer = turn.content.offers.get(pressed.offer)
    if offer is None or offer.archived:
        return [Message(turn.t("offer_gone")), *prompt]
    index = offers.index(pressed.offer)
    choose = turn.step_button(name, f"c{index}", turn.t("btn_offer_choose"))
    back = Button(turn.t("btn_offer_list"), OfferList().pack())
    return [Message(details_text(turn, offer, index + 1), (choose, back))]


def the_list(turn: Turn, prompt: list[Message]) -> list[Message]:
    """Back from the details: the list as it was shown (no new ranking, nothing asked)."""
    step = turn.content.dialog.steps.get(turn.state.step)
    if step is None or step.kind != "offers" or not prompt:
        return [Message(turn.t("stale_button")), *prompt]
    return prompt


def details_text(turn: Turn, offer: Offer, n: int) -> str:
    """Every field the offer has, one line each; fields it lacks are left out."""
    lines = [
        turn.t("offer_details_title", n=n, title=offer.title),
        turn.t("offer_details_what", text=_what(offer)),
        turn.t("offer_details_where", text=_where(turn, offer)),
        turn.t("offer_details_when", text=_when(turn, offer)),
        turn.t("offer_details_who", text=offer.organisation),
    ]
    if offer.needed:
        lines.append(turn.t("offer_details_needed", text=offer.needed))
    if offer.accessibility:
        lines.append(turn.t("offer_details_access", text=offer.accessibility))
    if offer.url:
        lines.append(turn.t("offer_details_link", text=offer.url))
    lines.append(turn.t("offer_details_ask"))
    return "\n\n".join(lines)


def _what(offer: Offer) -> str:
    """The one-sentence summary, then the longer description (which may begin with it)."""
    description = offer.description.strip()
    if not description:
        return offer.summary
    if description.startswith(offer.summary.strip()):
        return clip(description, MAX_DESCRIPTION)
    return f"{offer.summary}\n{clip(description, MAX_DESCRIPTION)}"


def _where(turn: Turn, offer: Offer) -> str:
    if offer.gemeinde and offer.gemeinde != offer.place:
        return turn.t("offer_details_in_gemeinde", place=offer.place, gemeinde=offer.gemeinde)
    return offer.place


def _when(turn: Turn, offer: Offer) -> str:
    """The schedule in full; a one-off's date with weekday (and year, when far) if the text
    does not name the year; about how many hours a week when known."""
    schedule = offer.schedule
    when = schedule.text
    if schedule.kind == "once" and schedule.date and str(schedule.date.year) not in when:
        when = f"{date_label(turn, schedule.date, turn.today())}, {when}"
    if schedule.hours_per_week:
        number = f"{schedule.hours_per_week:g}".replace(".", turn.t("decimal_point"))
        hours = turn.t("offer_details_hours", hours=number)
        when = f"{when} ({hours})"
    return when
