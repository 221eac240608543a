"""`lotse poster`: from an interest id and a place name to a PDF and a PNG.

Every word on the poster comes from content/texts.yaml (`poster_*`, `network_name`); the
interest's label from taxonomy.yaml. The place is found with the bot's own place matcher,
so typos work; a name that fits two places, or none, is an error that names the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from bot.content.model import Content
from bot.matching.places import Place, PlaceResolver
from bot.posters import links
from bot.posters.render import Code, Poster, write_pdf, write_png


class PosterError(Exception):
    """Something the person running `lotse poster` must fix; the message says what."""


@dataclass(frozen=True)
class Made:
    pdf: Path
    png: Path
    payload: str
    telegram: str
    web: str
    whatsapp: str | None = None  # with WHATSAPP_NUMBER set


def find_interest(content: Content, interest: str) -> str:
    """The id as given, when it is an area or sub-topic id of taxonomy.yaml."""
    if links.top_interest(content, interest):
        return interest
    lines = [
        f"  {area.id}: " + ", ".join(s.id for s in area.subtopics)
        if area.subtopics
        else f"  {area.id}"
        for area in content.taxonomy.interests
    ]
    ids = [i.id for i in content.taxonomy.interests]
    ids += [s.id for i in content.taxonomy.interests for s in i.subtopics]
    close = [match for match, score, _ in process.extract(interest, ids, limit=3) if score >= 60]
    hint = f" Meinten Sie {' / '.join(close)}?" if close else ""
    raise PosterError(
        f"Unbekanntes Interesse '{interest}'.{hint} Bekannt sind die Bereiche und ihre "
        "Unterthemen (Kennungen aus content/taxonomy.yaml):\n" + "\n".join(lines)
    )


def find_place(resolver: PlaceResolver, name: str) -> Place:
    """The one place of the region meant by `name`; otherwise an error with candidates."""
    result = resolver.resolve(name)
    if result.status == "found" and result.place is not None:
        return result.place
    if result.status == "outside" and result.place is not None:
        raise PosterError(
            f"{result.place.name} liegt außerhalb der Region – "
            "Plakate gibt es für Orte aus content/places.yaml."
        )
    if result.status in ("ambiguous", "unsure") and result.places:
        candidates = ", ".join(f"„{p.label}“" for p in result.places)
        raise PosterError(
            f"Ort '{name}' ist nicht eindeutig. In Frage kommen: {candidates}. "
            'Bitte genauer angeben, z. B. --place "Ortsteil, Gemeinde".'
        )
    labels = {p.label: p for p in links.region_places(resolver)}
    close = process.extract(name, list(labels), scorer=fuzz.WRatio, limit=3)
    suggestions = ", ".join(f"„{label}“" for label, _, _ in close)
    raise PosterError(
        f"Unbekannter Ort '{name}' – Ortsteil oder Gemeinde aus content/places.yaml angeben. "
        f"Ähnlich: {suggestions}."
    )


def local_web_warning(web_public_url: str) -> str | None:
    """A poster with a link to this computer is useless on a wall: say so (but make it,
    for a try-out)."""
    if urlsplit(web_public_url).hostname in ("127.0.0.1", "localhost", "::1"):
        return (
            f"Achtung: Der Web-Chat-Code zeigt auf {web_public_url} und funktioniert nur auf "
            "diesem Rechner – für echte Plakate WEB_PUBLIC_URL auf die öffentliche Adresse setzen."
        )
    return None


def make_poster(
    content: Content,
    *,
    interest: str,
    place_name: str,
    lang: str,
    bot_username: str,
    web_public_url: str,
    whatsapp_number: str | None = None,
    out: Path | None = None,
) -> Made:
    if out is not None and out.suffix.lower() != ".pdf":
        raise PosterError(f"--out {out}: bitte eine .pdf-Datei angeben (das PNG kommt daneben).")
    if lang not in content.languages:
        raise PosterError(f"Unbekannte Sprache '{lang}' – möglich: {', '.join(content.languages)}.")
    interest = find_interest(content, interest)
    place = find_place(PlaceResolver(content.places), place_name)
    payload = links.poster_payload(interest, place)
    telegram = links.telegram_link(bot_username, payload)
    web = links.web_link(web_public_url, payload)
    whatsapp = None
    if whatsapp_number:
        prefill = content.text("poster_whatsapp_text", lang, payload=payload)
        whatsapp = links.whatsapp_link(whatsapp_number, prefill)
    pdf = out or Path(f"plakat-{interest}-{links.place_slug(place)}.pdf")
    png = pdf.with_suffix(".png")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    write_pdf(_poster(content, lang, interest, place, telegram, web, whatsapp), pdf)
    write_png(pdf, png)
    return Made(pdf, png, payload, telegram, web, whatsapp)


def _poster(
    content: Content,
    lang: str,
    interest: str,
    place: Place,
    telegram: str,
    web: str,
    whatsapp: str | None = None,
) -> Poster:
    """Every word from content: texts.yaml in `lang`, the interest's label from the taxonomy."""
    label = content.interest_label(interest, lang)
    return Poster(
        headline=content.text("poster_headline", lang, interest=label, place=place.name),
        body=content.text("poster_body", lang),
        network=content.text("network_name", lang),
        codes=(
            Code(content.text("poster_scan_telegram", lang), telegram, links.short(telegram)),
            *(
                [Code(content.text("poster_scan_whatsapp", lang), whatsapp, _wa_short(whatsapp))]
                if whatsapp
                else []
            ),
            Code(content.text("poster_scan_web", lang), web, links.short(web)),
        ),
        title=f"{label} – {place.label}",
    )


def _wa_short(url: str) -> str:
    """Printed under the code: the number to write to (the message is in the code)."""
    return links.short(url).split("?", 1)[0]
