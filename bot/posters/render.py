"""The poster, A4 or A3: headline with the interest's pictogram, text, whom to call, and
one to three QR codes side by side, each link printed in one line to type in.

Drawn once, as a PDF with reportlab (pure Python; its bundled Bitstream Vera fonts have
the German letters and „quotes“, so no system font is needed); the QR codes come from
segno and are drawn as vector squares, so they stay sharp at any printing size. The page is
laid out in A4 points and scaled for A3 (the same proportions, √2 larger), so the two sizes
cannot drift apart. The PNG is the same PDF rasterised by pypdfium2 (PDFium, self-contained
wheels): one layout, two files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import segno
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bot.posters import pictograms

REGULAR, BOLD = "Vera", "VeraBd"  # shipped with reportlab
INK, ACCENT, MUTED = HexColor("#111827"), HexColor("#1d4ed8"), HexColor("#4b5563")
TINT = HexColor("#e0e7ff")  # behind the phone number
MARGIN = 48.0  # points (1/72 inch): about 17 mm, inside what office printers reach
QR_LARGEST = 220.0  # about 7.8 cm on A4, scannable from a metre or two away
PICTOGRAM = 118.0
PNG_DPI = 150
Size = Literal["A4", "A3"]
PAGES: dict[str, tuple[float, float]] = {"A4": A4, "A3": A3}
# Links to type in: one line each, as large as fits the page width, never below this.
LINK_LARGEST, LINK_SMALLEST = 12.0, 6.0
LINK_BREAKS = "?/"  # where a link too long even at the smallest size may be broken


@dataclass(frozen=True)
class Code:
    caption: str  # "Mit Telegram"
    url: str  # what the QR code holds
    printed: str  # the link as printed under the code, for typing it in


@dataclass(frozen=True)
class Contact:
    """Whom people without a smartphone can call: a line of text, then the number."""

    who: str  # "Lieber anrufen? Ihre Engagementlotsin Anna Beispiel:"
    phone: str  # "034202 61234"


@dataclass(frozen=True)
class Poster:
    headline: str
    body: str
    network: str
    codes: tuple[Code, ...]  # one to three, side by side
    title: str  # PDF metadata
    interest: str | None = None  # area id: its pictogram next to the headline
    contact: Contact | None = None
    size: Size = "A4"


def _register_fonts() -> None:
    for name in (REGULAR, BOLD):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, f"{name}.ttf"))


def printable(text: str, font: str) -> str:
    """Leaves out what the font cannot show (emoji in a coordinator's text) instead of
    printing empty boxes."""
    _register_fonts()  # measuring needs the fonts, also before any poster was drawn
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return "".join(c for c in text if ord(c) in glyphs or c in "\n ").strip()


def write_pdf(poster: Poster, path: Path) -> None:
    if not 1 <= len(poster.codes) <= 3:
        raise ValueError(f"a poster holds one to three QR codes, not {len(poster.codes)}")
    _register_fonts()
    page = PAGES[poster.size]
    canvas = Canvas(str(path), pagesize=page, invariant=True)  # same input, same bytes
    canvas.setTitle(poster.title)
    canvas.setAuthor(poster.network)
    canvas.setSubject(" · ".join(code.url for code in poster.codes))
    canvas.scale(page[0] / A4[0], page[1] / A4[1])  # laid out on A4, scaled to the page
    _layout(canvas, poster, *A4)
    canvas.showPage()
    canvas.save()


def _layout(canvas: Canvas, poster: Poster, width: float, height: float) -> None:
    """From the top down: band, headline and pictogram, text; from the bottom up: footer,
    links, codes, the phone box. The text gets what is left between them."""
    top = _band(canvas, poster.network, width, height)
    room = width - 2 * MARGIN
    if poster.interest and pictograms.draw(
        canvas, poster.interest, width - MARGIN - PICTOGRAM, top - 24 - PICTOGRAM, PICTOGRAM, ACCENT
    ):
        headline_width = room - PICTOGRAM - 20
        lowest = top - 24 - PICTOGRAM
    else:
        headline_width, lowest = room, top
    y = min(_headline(canvas, poster.headline, MARGIN, headline_width, top - 40), lowest)
    links_top = _links(canvas, poster.codes, width, bottom=64)
    codes_top = _codes(canvas, poster.codes, width, bottom=links_top + 12)
    box_top = codes_top + 20
    if poster.contact:
        box_top = _contact(canvas, poster.contact, width, bottom=codes_top + 20) + 20
    _body(canvas, poster.body, width, y - 24, bottom=box_top)
    _footer(canvas, width)


def write_png(pdf: Path, png: Path, dpi: int = PNG_DPI) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        bitmap = document[0].render(scale=dpi / 72)
        bitmap.to_pil().save(png, format="PNG", dpi=(dpi, dpi))
    finally:
        document.close()


def _band(canvas: Canvas, network: str, width: float, height: float) -> float:
    """A coloured band across the top with the network's name; returns its lower edge."""
    band = 64.0
    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    name = printable(network, BOLD)
    canvas.setFont(BOLD, fitting_size(name, BOLD, width - 2 * MARGIN, largest=17, smallest=9))
    canvas.drawString(MARGIN, height - band + 25, name)
    return height - band


def _headline(canvas: Canvas, text: str, x: float, usable: float, top: float) -> float:
    """As large as fits in three lines; returns the baseline of the last line."""
    text = printable(text, BOLD)
    size = 40.0
    lines = simpleSplit(text, BOLD, size, usable)
    while len(lines) > 3 and size > 20:
        size -= 2
        lines = simpleSplit(text, BOLD, size, usable)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, size)
    y = top - size
    for index, line in enumerate(lines):
        canvas.drawString(x, y - index * size * 1.15, line)
    return y - (len(lines) - 1) * size * 1.15


def _body(canvas: Canvas, text: str, width: float, top: float, bottom: float) -> float:
    """The text between `top` and `bottom`: smaller type for a long text, and what still
    does not fit is cut with "…" – the QR codes below must stay whole on the page. A short
    text gets larger type instead, to be read from further away."""
    size = 20.0
    lines = _body_lines(text, size, width)
    while size > 10 and top - size - (len(lines) - 1) * size * 1.4 < bottom:
        size -= 1
        lines = _body_lines(text, size, width)
    leading = size * 1.4
    room = max(1, int((top - size - bottom) // leading) + 1)
    if len(lines) > room:
        lines = [*lines[: room - 1], lines[room - 1].rstrip(" .,;") + " …"]
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, size)
    y = top - size
    for line in lines:
        canvas.drawString(MARGIN, y, line)
        y -= leading
    return y


def _body_lines(text: str, size: float, width: float) -> list[str]:
    paragraphs = printable(text, REGULAR).split("\n")
    return [
        line
        for paragraph in paragraphs
        for line in simpleSplit(paragraph, REGULAR, size, width - 2 * MARGIN) or [""]
    ]


def _contact(canvas: Canvas, contact: Contact, width: float, bottom: float) -> float:
    """A tinted box across the page: handset, who to call, and the number in large type.
    Returns the box's upper edge."""
    height, icon = 84.0, 52.0
    canvas.setFillColor(TINT)
    canvas.roundRect(MARGIN, bottom, width - 2 * MARGIN, height, 10, stroke=0, fill=1)
    pictograms.phone(canvas, MARGIN + 16, bottom + (height - icon) / 2, icon, ACCENT)
    x = MARGIN + 16 + icon + 16
    room = width - MARGIN - 16 - x
    who = printable(contact.who, REGULAR)
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, fitting_size(who, REGULAR, room, largest=16, smallest=9))
    canvas.drawString(x, bottom + height - 32, who)
    phone = printable(contact.phone, BOLD)
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, fitting_size(phone, BOLD, room, largest=30, smallest=12))
    canvas.drawString(x, bottom + 16, phone)
    return bottom + height


def qr_size(count: int, width: float) -> float:
    """As large as the codes' columns allow, with room between them, at most QR_LARGEST."""
    column = (width - 2 * MARGIN) / max(1, count)
    return min(QR_LARGEST, column - 24)


def _codes(canvas: Canvas, codes: tuple[Code, ...], width: float, bottom: float) -> float:
    """The codes side by side, each with its caption above; returns the captions' top."""
    column = (width - 2 * MARGIN) / len(codes)
    size = qr_size(len(codes), width)
    caption_y = bottom + size + 12
    for index, code in enumerate(codes):
        centre = MARGIN + column * (index + 0.5)
        caption = printable(code.caption, BOLD)
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, fitting_size(caption, BOLD, column - 12, largest=17, smallest=9))
        canvas.drawCentredString(centre, caption_y, caption)
        _qr(canvas, code.url, centre - size / 2, bottom, size)
    return caption_y + 17


def _links(canvas: Canvas, codes: tuple[Code, ...], width: float, bottom: float) -> float:
    """Under the codes, one line per link across the page ("Mit Telegram: t.me/…"), all in
    the same size, so that none is broken; returns the top of the first line."""
    room = width - 2 * MARGIN
    entries = [(printable(code.caption, BOLD) + ": ", code.printed) for code in codes]
    size = LINK_LARGEST
    while size > LINK_SMALLEST and any(
        _label_width(label, size) + pdfmetrics.stringWidth(link, REGULAR, size) > room
        for label, link in entries
    ):
        size -= 0.5
    rows = [
        (label, link_lines(link, room - _label_width(label, size), size, size)[0])
        for label, link in entries
    ]
    leading = size * 1.45
    y = bottom + leading * (sum(len(lines) for _, lines in rows) - 1)
    top = y + size
    for label, lines in rows:
        for index, line in enumerate(lines):
            canvas.setFillColor(MUTED)
            canvas.setFont(BOLD, size)
            if index == 0:
                canvas.drawString(MARGIN, y, label)
            canvas.setFont(REGULAR, size)
            canvas.drawString(MARGIN + _label_width(label, size), y, line)
            y -= leading
    return top


def _label_width(label: str, size: float) -> float:
    return pdfmetrics.stringWidth(label, BOLD, size)


def link_lines(
    link: str, width: float, largest: float = LINK_LARGEST, smallest: float = LINK_SMALLEST
) -> tuple[list[str], float]:
    """The link in as few lines as fit `width` (one, as a rule), and the font size.

    Shrinks the type down to `smallest` before it breaks the link; then only after a '?'
    or '/', never inside a word, so that what people type stays what the code holds."""
    size = fitting_size(link, REGULAR, width, largest=largest, smallest=smallest)
    if pdfmetrics.stringWidth(link, REGULAR, size) <= width:
        return [link], size
    lines: list[str] = []
    current = ""
    for piece in _pieces(link):
        if current and pdfmetrics.stringWidth(current + piece, REGULAR, smallest) > width:
            lines.append(current)
            current = ""
        current += piece
    return [*lines, current], smallest


def _pieces(link: str) -> Iterator[str]:
    """The link cut after each break mark: 't.me/', 'Bot?', 'start=…'."""
    start = 0
    for index, char in enumerate(link):
        if char in LINK_BREAKS:
            yield link[start : index + 1]
            start = index + 1
    if start < len(link):
        yield link[start:]


def fitting_size(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    """The largest font size (down to `smallest`) at which `text` fits on one line."""
    _register_fonts()  # measuring needs the fonts, also before any poster was drawn
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return max(size, smallest)


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as black squares on white, with the standard quiet zone of 4 modules."""
    qr = segno.make(url, error="m", micro=False)
    rows = list(qr.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    for row_no, row in enumerate(rows):
        top = y + size - (row_no + 1) * module
        for start, length in _runs(row):
            # A hair wider than the module, so that no white seams show between squares.
            canvas.rect(x + start * module, top, length * module + 0.05, module + 0.05, 0, 1)


def _runs(row: tuple[int, ...]) -> Iterator[tuple[int, int]]:
    """(start, length) of each stretch of dark modules: one rectangle each, a small file."""
    start = None
    for index, dark in enumerate((*row, 0)):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            yield start, index - start
            start = None


def _footer(canvas: Canvas, width: float) -> None:
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.line(MARGIN, 40, width - MARGIN, 40)
