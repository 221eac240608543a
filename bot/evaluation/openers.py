"""`lotse eval FILE`, section `openers:`: how well whole first messages are understood.

Each case is `{text, intent, interests?, place?, time_kind?, time_slots?}`. Intent: a hit
when the reading's intent equals the expected one (null equals null). Slots: a field left
out of a case means "not stated", so nothing is expected. A slot of a case counts when it
is stated or the reading found something for it; it is right when
  interests  – the first len(expected) ids read are the expected set (any order), and
               nothing is read where nothing is expected;
  place      – the official names are equal (a note in brackets after a name, as in the
               region's place list's "Wölkau (Hauptort/Verwaltungssitz)", is no part of it);
  time_kind  – equal; time_slots – equal as sets.
"""

from __future__ import annotations

from typing import Any

from bot.evaluation.cases import same_place
from bot.understanding.reading import Reading
from bot.understanding.understander import Understander

SLOTS = ("interests", "place", "time_kind", "time_slots")


def slot_right(slot: str, expected: Any, reading: Reading) -> bool | None:
    """Whether a slot was read right; None when it does not count (not stated, not read)."""
    got = _got(slot, reading)
    stated = expected not in (None, [], "")
    if not stated and not got:
        return None
    if slot == "interests":
        wanted = list(expected or [])
        if not wanted:
            return not got
        return set(got[: len(wanted)]) == set(wanted)
    if slot == "time_slots":
        return set(got or []) == set(expected or [])
    if slot == "place":
        return same_place(got, expected)
    return got == expected


def _got(slot: str, reading: Reading) -> Any:
    if slot == "place":
        return reading.place_name
    if slot in ("interests", "time_slots"):
        return list(getattr(reading, slot))
    return getattr(reading, slot)


def evaluate_openers(cases: list[dict], understander: Understander) -> dict[str, Any]:
    intent_hits = 0
    per_slot = {slot: [0, 0] for slot in SLOTS}  # right, counted
    misses = []
    for case in cases:
        reading = understander.read(str(case["text"]))
        expected_intent = case.get("intent")
        intent_ok = reading.intent == expected_intent
        intent_hits += intent_ok
        wrong = {}
        for slot in SLOTS:
            right = slot_right(slot, case.get(slot), reading)
            if right is None:
                continue
            per_slot[slot][1] += 1
            per_slot[slot][0] += right
            if not right:
                wrong[slot] = {"expect": case.get(slot), "got": _got(slot, reading)}
        if not intent_ok or wrong:
            miss: dict[str, Any] = {"text": case["text"]}
            if not intent_ok:
                miss["intent"] = {"expect": expected_intent, "got": reading.intent}
            miss.update(wrong)
            misses.append(miss)
    right = sum(r for r, _ in per_slot.values())
    counted = sum(n for _, n in per_slot.values())
    total = len(cases)
    return {
        "cases": total,
        "intent": round(intent_hits / total, 4) if total else 0.0,
        "slots": round(right / counted, 4) if counted else 1.0,
        "slots_counted": counted,
        "per_slot": {
            slot: {"accuracy": round(r / n, 4) if n else 1.0, "counted": n}
            for slot, (r, n) in per_slot.items()
        },
        "misses": misses,
    }


def render_openers(result: dict[str, Any]) -> str:
    lines = [
        f"openers: {result['cases']} Fälle · Anliegen {result['intent']:.1%} · "
        f"Angaben {result['slots']:.1%} (von {result['slots_counted']} gezählten)",
        "  "
        + " · ".join(
            f"{slot} {info['accuracy']:.1%} ({info['counted']})"
            for slot, info in result["per_slot"].items()
        ),
    ]
    for miss in result["misses"]:
        parts = [
            f"{key}: erwartet {_show(value['expect'])}, bekam {_show(value['got'])}"
            for key, value in miss.items()
            if key != "text"
        ]
        lines.append(f"  ✗ {miss['text']!r}: " + "; ".join(parts))
    return "\n".join(lines)


def _show(value: Any) -> str:
    if value in (None, [], ""):
        return "–"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
