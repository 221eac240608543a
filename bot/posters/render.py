"""The A4 poster: headline, text, two QR codes with captions and printed links.

Drawn once, as a PDF with reportlab (pure Python; its bundled Bitstream Vera fonts have
the German letters and „quotes“, so no system font is needed); the QR codes come from
segno and are drawn as vector squares, so they stay sharp at any printing size. The PNG is
the same PDF rasterised by pypdfium2 (PDFium, self-contained wheels): one layout, two
files that cannot drift apart, instead of laying the page out a second time with Pillow.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR, BOLD = "Vera", "VeraBd"  # shipped with reportlab
INK, ACCENT, MUTED = HexColor("#111827"), HexColor("#1d4ed8"), HexColor("#4b5563")
MARGIN = 48.0  # points (1/72 inch): about 17 mm, inside what office printers reach
QR_SIZE = 220.0  # about 7.8 cm, scannable from a metre or two away
PNG_DPI = 150


@dataclass(frozen=True)
class Code:
    caption: str  # "Mit Telegram"
    url: str  # what the QR code holds
    printed: str  # the link as printed under the code, for typing it in


@dataclass(frozen=True)
class Poster:
    headline: str
    body: str
    network: str
    codes: tuple[Code, ...]
    title: str  # PDF metadata


def _register_fonts() -> None:
    for name in (REGULAR, BOLD):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, f"{name}.ttf"))


def printable(text: str, font: str) -> str:
    """Leaves out what the font cannot show (emoji in a coordinator's text) instead of
    printing empty boxes."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return "".join(c for c in text if ord(c) in glyphs or c in "\n ").strip()


def write_pdf(poster: Poster, path: Path) -> None:
    _register_fonts()
    width, height = A4
    canvas = Canvas(str(path), pagesize=A4, invariant=True)  # same input, same bytes
    canvas.setTitle(poster.title)
    canvas.setAuthor(poster.network)
    canvas.setSubject(" · ".join(code.url for code in poster.codes))
    y = _band(canvas, poster.network, width, height)
    y = _headline(canvas, poster.headline, width, y - 44)
    codes_top = 140 + QR_SIZE  # the codes' captions; links and footer below them
    y = _body(canvas, poster.body, width, y - 20, bottom=codes_top + 36)
    _codes(canvas, poster.codes, width, min(y - 36, codes_top))
    _footer(canvas, width)
    canvas.showPage()
    canvas.save()


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
    canvas.setFont(BOLD, 15)
    canvas.drawString(MARGIN, height - band + 25, printable(network, BOLD))
    return height - band


def _headline(canvas: Canvas, text: str, width: float, top: float) -> float:
    """As large as fits in three lines; returns the baseline of the last line."""
    text = printable(text, BOLD)
    usable = width - 2 * MARGIN
    size = 40.0
    lines = simpleSplit(text, BOLD, size, usable)
    while len(lines) > 3 and size > 20:
        size -= 2
        lines = simpleSplit(text, BOLD, size, usable)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, size)
    y = top - size
    for index, line in enumerate(lines):
        canvas.drawString(MARGIN, y - index * size * 1.15, line)
    return y - (len(lines) - 1) * size * 1.15


def _body(canvas: Canvas, text: str, width: float, top: float, bottom: float) -> float:
    """The text between `top` and `bottom`: smaller type for a long text, and what still
    does not fit is cut with "…" – the QR codes below must stay whole on the page."""
    size = 15.0
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


def _codes(canvas: Canvas, codes: tuple[Code, ...], width: float, top: float) -> None:
    """The codes side by side, each with its caption above and its link below."""
    column = (width - 2 * MARGIN) / max(1, len(codes))
    size = min(QR_SIZE, column - 16)  # three codes share the width: each a little smaller
    for index, code in enumerate(codes):
        centre = MARGIN + column * (index + 0.5)
        caption = printable(code.caption, BOLD)
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, _fitting_size(caption, BOLD, column - 16, largest=17, smallest=9))
        canvas.drawCentredString(centre, top, caption)
        bottom = top - 14 - size
        _qr(canvas, code.url, centre - size / 2, bottom, size)
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 9)
        for line_no, line in enumerate(_link_lines(code.printed, column - 16)):
            canvas.drawCentredString(centre, bottom - 14 - line_no * 12, line)


def _fitting_size(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    """The largest font size (down to `smallest`) at which `text` fits on one line."""
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


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


def _link_lines(link: str, width: float, font: str = REGULAR, size: float = 9) -> list[str]:
    """A long link broken to the column: first after the '?', then wherever it must."""

    def fits(text: str) -> bool:
        return pdfmetrics.stringWidth(text, font, size) <= width

    if fits(link):
        return [link]
    head, mark, tail = link.partition("?")
    lines: list[str] = []
    for part in [head + mark, tail] if mark else [link]:
        current = ""
        for char in part:
            if current and not fits(current + char):
                lines.append(current)
                current = ""
            current += char
        lines += [current] if current else []
    return lines


def _footer(canvas: Canvas, width: float) -> None:
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.line(MARGIN, 56, width - MARGIN, 56)
