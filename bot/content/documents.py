"""One YAML document against its pydantic model, with errors a coordinator can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content.yamlio import LocatedDocument, Problem

M = TypeVar("M", bound=BaseModel)


def _where(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "Datei"


def explain(error: dict[str, Any]) -> str:
    """Turn a pydantic error into a German sentence that says how to fix it."""
    loc = tuple(error["loc"])
    field = _where(loc)
    kind = error["type"]
    if kind == "missing":
        return f"Pflichtfeld '{loc[-1]}' fehlt in {_where(loc[:-1])} – bitte ergänzen"
    if kind == "extra_forbidden":
        return (
            f"unbekanntes Feld '{loc[-1]}' – Tippfehler im Feldnamen? "
            "Bitte korrigieren oder entfernen"
        )
    if kind == "string_pattern_mismatch":
        return (
            f"{field}: ungültige Kennung {error.get('input')!r} – erlaubt sind Kleinbuchstaben "
            "a–z, Ziffern und '-', höchstens 40 Zeichen"
        )
    if kind == "literal_error":
        # pydantic lists the values in English ("'a', 'b' or 'c'"); the sentence is German
        allowed = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " oder ")
        return f"{field}: ungültiger Wert {error.get('input')!r} – erlaubt: {allowed}"
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return (
            f"{field}: kein gültiges Datum {error.get('input')!r} – "
            "Format JJJJ-MM-TT, z. B. 2026-11-25"
        )
    if kind == "string_type" and isinstance(error.get("input"), bool):
        return (
            f"{field}: yes/no/on/off/true/false liest YAML als Wahrheitswert – "
            'bitte in Anführungszeichen setzen, z. B. "no"'
        )
    if kind == "string_type" and error.get("input") is None:
        return (
            f"{field}: Wert fehlt – enthält der Text ein Komma oder einen Doppelpunkt? "
            "Dann bitte in Anführungszeichen setzen"
        )
    if kind in {"time_parsing", "time_type"}:
        return f"{field}: keine gültige Uhrzeit {error.get('input')!r} – Format HH:MM, z. B. 14:30"
    if kind == "value_error":  # our own validators (e.g. times) word their message in German
        return f"{field}: {error.get('ctx', {}).get('error', error['msg'])}"
    if kind in {"too_short", "string_too_short"}:
        return f"{field}: darf nicht leer sein"
    if kind in {"too_long", "string_too_long"}:
        return f"{field}: zu lang ({error['msg']})"
    return f"{field}: {error['msg']}"


def validate_document(document: LocatedDocument, model: type[M]) -> tuple[M | None, list[Problem]]:
    if document.data is None:
        return None, [document.problem((), "Datei ist leer")]
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        problems = [document.problem(tuple(e["loc"]), explain(e)) for e in exc.errors()]
        return None, problems
