"""Rows of the reader view: a sentence tinted by its best echo, or a stripped line.

The gutter names the articles (by their number in the list) that share the sentence,
copied ones first, so a reader sees at a glance where a sentence also appears.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...model import Article
from ..analysis import SYMBOL, Echo, Item
from ..matrix_view import source_marker
from ..safe_text import plain
from .row_list import CursorRow

GUTTER_NAMES = 3  # article numbers shown before "+N"


def gutter_text(echo: Echo | None, own: int = -1) -> str:
    """Status symbol, then the list numbers sharing the sentence (copied ones first).

    With the folder matrix the likely source comes first: '←N' (came from N, which
    is then not repeated), '→' (this article is the earliest), '?' (dates cannot tell).
    """
    if echo is None:
        return "·"
    ks = sorted(echo.copied_in) + sorted(echo.changed_in)
    marker = source_marker(echo, own)
    if marker.startswith("←"):
        ks = [k for k in ks if k != echo.source]
    names = [str(k + 1) for k in ks]
    room = GUTTER_NAMES - 1 if marker else GUTTER_NAMES  # the gutter is 11 cells wide
    shown = " ".join(([marker] if marker else []) + names[:room])
    more = f" +{len(names) - room}" if len(names) > room else ""
    return f"{SYMBOL[echo.status]} {shown}{more}".rstrip()


class SentenceRow(CursorRow):
    """A sentence of the article being read (or one of its stripped lines)."""

    def __init__(self, art: Article, item: Item, echo: Echo | None, own: int = -1):
        self.art, self.item, self.echo, self.own = art, item, echo, own
        if item.kind == "stripped":
            self.status = "stripped"
        else:
            self.status = echo.status if echo else "pending"
        classes = f"read-row -{self.status}"
        if item.paragraph:
            classes += " -paragraph"
        super().__init__(classes=classes)

    def compose(self) -> ComposeResult:
        if self.item.kind == "stripped":
            s = self.item.stripped
            yield Static("✂", classes="gutter")
            yield Static(Content.assemble(plain(s.text, "strike"), plain(f"  ✂ {s.reason}", "italic")),
                         classes="text")
            return
        sent = self.art.sentences[self.item.index]
        text = plain(sent.text, one_line=False)
        if sent.kind != "body":
            text = text.stylize("bold")
        yield Static(gutter_text(self.echo, self.own), classes="gutter")
        yield Static(text, classes="text")
