"""The article list: one row per article, with its share bar against the reference.

A DataTable, because it draws only the visible rows: a folder of 500 articles
appears as fast as one of five.  Cells are Rich text with colours resolved from the
current theme's `copied` / `changed` / `added` variables, so the table is redrawn
when the theme changes.
"""
from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from ...model import Article
from ..analysis import bar_cells, short_source, source_tag
from ..messages import Share
from ..safe_text import line
from ..theme_files import VARIABLE_DEFAULTS

REF_MARK = "★"
MARKED = "●"


def _fit(text: str, width: int) -> str:
    """Untrusted text (title, date, source) made inert, on one line, cut to `width`."""
    text = " ".join(line(text).split())
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


class ArticleTable(DataTable):
    """Articles of the folder; the app owns the data, this only draws it."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Read"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=True,
                         cursor_foreground_priority="renderable", **kwargs)  # bars keep colour
        self._layout_width = 0
        self.expected = 0  # rows expected once loading ends (sizes the number column)

    # -- widths -------------------------------------------------------------------------
    def _widths(self) -> dict[str, int]:
        narrow = self.size.width < 100
        # "type" fits the longest tag (jsonl); at 80 columns the source gives up one cell for it
        w = {"mark": 2, "date": 10, "source": 9 if narrow else 16, "type": 5, "words": 5, "noise": 5,
             "bar": 6 if narrow else 12}
        w["number"] = len(str(max(1, self.expected, self.row_count)))
        fixed = sum(w.values()) + 1 + 2 * 9 + 2  # cell padding, scrollbar
        w["title"] = max(12, self.size.width - fixed)
        return w

    def _bar_width(self) -> int:
        return self._widths()["bar"]

    # -- cells --------------------------------------------------------------------------
    def _colour(self, status: str) -> str:
        theme = self.app.current_theme
        return theme.variables.get(status, VARIABLE_DEFAULTS[status])

    def marker(self, index: int, reference: int, marked: set[int]) -> Text:
        out = Text()
        if index == reference:
            out.append(REF_MARK, style=f"bold {self.app.current_theme.accent or 'yellow'}")
        else:
            out.append(" ")
        out.append(MARKED if index in marked else " ", style="bold")
        return out

    def bar(self, index: int, reference: int, share: Share | None) -> Text:
        width = self._bar_width()
        if index == reference:
            return Text("reference"[:width] if width >= 9 else "ref", style="italic")
        if share is None:
            return Text("·" * width, style="dim")
        out = Text()
        for status, n in bar_cells(share.shares, width):
            out.append("█" * n, style=self._colour(status))
        return out

    def row_cells(self, index: int, art: Article, reference: int, marked: set[int],
                  share: Share | None) -> list:
        w = self._widths()
        return [
            self.marker(index, reference, marked),
            Text(_fit(art.display_title, w["title"]), style="bold" if index == reference else ""),
            Text(_fit(art.date_iso or art.date or "—", w["date"])),
            Text(_fit(short_source(art), w["source"]), style="italic"),
            Text(_fit(source_tag(art), w["type"]), style="dim"),
            Text(str(art.word_count), justify="right"),
            Text(str(len(art.stripped)), justify="right", style="" if art.stripped else "dim"),
            self.bar(index, reference, share),
        ]

    # -- filling ------------------------------------------------------------------------
    def fill(self, articles: list[Article], reference: int, marked: set[int],
             shares: dict[int, Share]) -> None:
        """(Re)build every row; keeps the cursor on the same article."""
        row = self.cursor_row if self.row_count else 0
        self.clear(columns=True)
        w = self._widths()
        self._layout_width = self.size.width
        for key, label in (("number", ""), ("mark", ""), ("title", "Title"), ("date", "Date"), ("source", "Source"),
                           ("type", "Type"), ("words", "Words"), ("noise", "Noise"), ("bar", "vs ref")):
            self.add_column(label, width=w[key], key=key)
        self.append(articles, 0, reference, marked, shares)
        if articles:
            self.move_cursor(row=min(row, len(articles) - 1))

    def append(self, articles: list[Article], first: int, reference: int, marked: set[int],
               shares: dict[int, Share]) -> None:
        """Add rows for `articles[first:]` (the folder is still loading)."""
        for i in range(first, len(articles)):
            # The row number is a cell, not a DataTable row label: the label column was sometimes
            # not drawn when the first rows arrived as the app started (a race in the widget).
            self.add_row(Text(str(i + 1), style="dim", justify="right"),
                         *self.row_cells(i, articles[i], reference, marked, shares.get(i)), key=str(i))

    def set_marker(self, index: int, reference: int, marked: set[int]) -> None:
        self.update_cell(str(index), "mark", self.marker(index, reference, marked))

    def set_share(self, index: int, reference: int, share: Share | None) -> None:
        self.update_cell(str(index), "bar", self.bar(index, reference, share))

    @property
    def needs_relayout(self) -> bool:
        return self.row_count > 0 and self.size.width != self._layout_width

    def on_resize(self) -> None:
        """Column widths follow the table's width: refill once the new size is known."""
        if self.needs_relayout:
            self.call_after_refresh(self.post_message, self.Relayout())

    class Relayout(Message):
        """The table's width changed: the owner should refill it."""
