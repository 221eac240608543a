"""HTML (Freinet's offer descriptions) → plain text that Telegram shows as it is.

Built on the standard library's tokenizer, not on regular expressions, so nested or broken
markup, comments and entities are handled the way a browser would: tags go, the text of
`<script>`/`<style>` goes with them, entities become characters, and block elements
(paragraphs, line breaks, list items) become line breaks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never text for a reader.
SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "iframe", "svg"})
# Elements that start and end a line of their own.
BLOCK = frozenset(
    """
p div br li ul ol dl dt dd tr table thead tbody h1 h2 h3 h4 h5 h6 section article header
footer blockquote pre hr address figure figcaption form fieldset nav aside main
""".split()
)
PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote"})
# Something that still looks like a tag after one pass: the HTML was escaped twice.
_LOOKS_LIKE_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.newlines = 0  # line breaks at the end of the text so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self.skipping += 1
        elif tag == "br":
            self._newline()
        elif tag in BLOCK:
            self._end_block(tag)
            if tag == "li":
                self._text("• ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._newline()
        elif tag in BLOCK:  # <hr/>
            self._end_block(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK and tag != "br":
            self._end_block(tag)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._text(data)
        elif data and not self.skipping:
            self.parts.append(" ")  # whitespace between tags separates words, not lines

    def _text(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)
            self.newlines = 0

    def _newline(self) -> None:
        """<br>: one line break each, so <br><br> leaves an empty line."""
        if not self.skipping:
            self.parts.append("\n")
            self.newlines += 1

    def _end_block(self, tag: str) -> None:
        """A block starts or ends: a line break (an empty line around paragraphs), once."""
        wanted = 2 if tag in PARAGRAPH else 1
        if not self.skipping and self.newlines < wanted:
            self.parts.append("\n" * (wanted - self.newlines))
            self.newlines = wanted


def _tidy(text: str) -> str:
    """Single spaces inside lines, at most one empty line between paragraphs."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _one_pass(markup: str) -> str:
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return "".join(collector.parts)


def html_to_text(markup: str | None) -> str:
    """Plain text of an HTML fragment; paragraphs stay separated by an empty line."""
    if not markup:
        return ""
    text = _one_pass(markup)
    if _LOOKS_LIKE_TAG.search(text):  # "&lt;p&gt;…" came in escaped twice
        text = _one_pass(text)
    text = text.replace("\xa0", " ")  # &nbsp; before dropping control characters
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    return _tidy(text)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return (cut or text[: limit - 1]) + "…"
