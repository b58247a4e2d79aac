"""The article list: one row per article, with its share bar against the reference.

A Line-API widget rather than Textual's DataTable.  DataTable measured every cell of
every row added (500 articles: 4,500 measurements before the list showed) and threw
away its whole render cache whenever one cell changed, so each batch of share bars
re-rendered every visible cell (~0.1 s of the UI thread, several times a second).
Here a row exists only as an index into the app's own list: adding 500 rows is a
number, a row's cells are built when it scrolls into view, and its drawn line is
kept until that row changes (its bar, its mark) or the width or theme does.

Cells are Rich text with colours resolved from the current theme's `copied` /
`changed` / `added` variables, so the table is redrawn when the theme changes.
Untrusted text (title, date, source) is made inert and cut to its column (`_fit`).
"""
from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...model import Article
from ..analysis import bar_cells, short_source, source_tag
from ..messages import Share
from ..safe_text import line
from ..theme_files import VARIABLE_DEFAULTS

REF_MARK = "★"
MARKED = "●"
# (key, header label, justify)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("number", "", "right"), ("mark", "", "left"), ("title", "Title", "left"), ("date", "Date", "left"),
    ("source", "Source", "left"), ("type", "Type", "left"), ("words", "Words", "right"),
    ("noise", "Noise", "right"), ("bar", "vs ref", "left"))
PADDING = 1  # cells on each side of a column


def _fit(text: str, width: int) -> str:
    """Untrusted text (title, date, source) made inert, on one line, cut to `width`."""
    text = " ".join(line(text).split())
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


class ArticleTable(ScrollView, can_focus=True):
    """Articles of the folder; the app owns the data, this only draws it (header fixed on top)."""

    COMPONENT_CLASSES = {"article-table--header", "article-table--cursor", "article-table--even-row"}
    DEFAULT_CSS = """
    ArticleTable { background: $surface; color: $foreground; overflow-x: hidden; }
    ArticleTable:focus { background-tint: $foreground 5%; }
    ArticleTable > .article-table--header { text-style: bold; background: $panel; color: $foreground; }
    ArticleTable:focus > .article-table--header { background-tint: $foreground 5%; }
    ArticleTable > .article-table--even-row { background: $surface-lighten-1 50%; }
    ArticleTable:dark > .article-table--even-row { background: $surface-darken-1 40%; }
    ArticleTable > .article-table--cursor {
        background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    ArticleTable:focus > .article-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: $block-cursor-text-style;
    }
    """
    BINDINGS = [
        Binding("enter", "select_cursor", "Read"),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first_row", "First", show=False),
        Binding("end", "last_row", "Last", show=False),
    ]

    class RowHighlighted(Message):
        """The cursor moved to `cursor_row`."""

        def __init__(self, cursor_row: int):
            super().__init__()
            self.cursor_row = cursor_row

    class RowSelected(Message):
        """Enter (or a click on the cursor row) on `cursor_row`."""

        def __init__(self, cursor_row: int):
            super().__init__()
            self.cursor_row = cursor_row

    class Relayout(Message):
        """The table's width changed: the owner should refill it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.expected = 0  # rows expected once loading ends (sizes the number column)
        self.cursor_row = 0
        self._articles: list[Article] = []
        self._count = 0
        self._reference = 0
        self._marked: set[int] = set()
        self._shares: dict[int, Share] = {}
        self._lines: dict[int, Strip] = {}  # drawn rows (before the row's background), by index
        self._drawn: dict[int, tuple[tuple[str, int], Strip]] = {}  # ...and with it, as last drawn
        self._layout_width = 0
        self._style_key: tuple | None = None
        self._style_cache: dict[str, Style] = {}

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

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def column_keys(self) -> list[str]:
        return [key for key, _, _ in COLUMNS]

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
                  share: Share | None) -> list[Text]:
        """The row's cells, in `COLUMNS` order."""
        w = self._widths()
        return [
            Text(str(index + 1), style="dim"),
            self.marker(index, reference, marked),
            Text(_fit(art.display_title, w["title"]), style="bold" if index == reference else ""),
            Text(_fit(art.date_iso or art.date or "—", w["date"])),
            Text(_fit(short_source(art), w["source"]), style="italic"),
            Text(_fit(source_tag(art), w["type"]), style="dim"),
            Text(str(art.word_count)),
            Text(str(len(art.stripped)), style="" if art.stripped else "dim"),
            self.bar(index, reference, share),
        ]

    def get_cell_at(self, coordinate: tuple[int, int]) -> Text:
        """The cell at (row, column) as drawn (tests and callers read it back)."""
        row, column = coordinate
        return self.row_cells(row, self._articles[row], self._reference, self._marked,
                              self._shares.get(row))[column]

    # -- filling ------------------------------------------------------------------------
    def fill(self, articles: list[Article], reference: int, marked: set[int],
             shares: dict[int, Share]) -> None:
        """Show `articles` (the app's own list, read as it grows); keeps the cursor on the same row."""
        self._articles, self._reference, self._marked, self._shares = articles, reference, marked, shares
        self._layout_width = self.size.width
        self._lines.clear()
        self._drawn.clear()
        self._set_count(len(articles))
        if articles:
            self.move_cursor(row=min(self.cursor_row, len(articles) - 1))
        self.refresh()

    def append(self, articles: list[Article], first: int, reference: int, marked: set[int],
               shares: dict[int, Share]) -> None:
        """Show the rows for `articles[first:]` (the folder is still loading)."""
        self._articles, self._reference, self._marked, self._shares = articles, reference, marked, shares
        was = self._count
        self._set_count(len(articles))
        if len(str(was)) != len(str(self._count)):  # the number column grew: every row moves
            self._lines.clear()
            self._drawn.clear()
        self.refresh()

    def _set_count(self, n: int) -> None:
        had = self._count
        self._count = n
        self.virtual_size = Size(self.size.width, n + 1)  # + the header
        if not had and n:
            self.post_message(self.RowHighlighted(self.cursor_row))

    def set_marker(self, index: int, reference: int, marked: set[int]) -> None:
        self._marked, self._reference = marked, reference
        self._redraw_row(index)

    def set_share(self, index: int, reference: int, share: Share | None) -> None:
        self._reference = reference
        self._redraw_row(index)

    def _redraw_row(self, index: int) -> None:
        self._lines.pop(index, None)
        self._drawn.pop(index, None)
        self.refresh_line(index + 1)  # a virtual line: the header is line 0

    @property
    def needs_relayout(self) -> bool:
        return self.row_count > 0 and self.size.width != self._layout_width

    def on_resize(self) -> None:
        """Column widths follow the table's width: refill once the new size is known."""
        self.virtual_size = Size(self.size.width, self._count + 1)
        if self.needs_relayout:
            self.call_after_refresh(self.post_message, self.Relayout())

    # -- drawing ------------------------------------------------------------------------
    def _assemble(self, cells: list[Text], widths: dict[str, int]) -> Strip:
        out = Text(no_wrap=True, overflow="crop")
        for (key, _, justify), cell in zip(COLUMNS, cells):
            w = widths[key]
            cell = cell.copy()
            cell.truncate(w, overflow="crop")
            cell.align(justify, w)  # pads to the column's width
            out.append(" " * PADDING)
            out.append_text(cell)
            out.append(" " * PADDING)
        return Strip(list(out.render(self.app.console)), out.cell_len)

    def _row_strip(self, index: int) -> Strip:
        found = self._lines.get(index)
        if found is None:
            cells = self.row_cells(index, self._articles[index], self._reference, self._marked,
                                   self._shares.get(index))
            found = self._lines[index] = self._assemble(cells, self._widths())
        return found

    def _styles(self) -> dict[str, Style]:
        """The row backgrounds, resolved once per focus state and theme (not once per line:
        resolving the widget's style is a third of drawing a line)."""
        key = (self.has_focus, self.app.theme)
        if self._style_key != key:
            base = self.rich_style
            self._style_key = key
            self._drawn.clear()  # drawn in the old colours
            self._style_cache = {"base": base, **{name: base + self.get_component_rich_style(f"article-table--{name}")
                                                  for name in ("header", "cursor", "even-row")}}
        return self._style_cache

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        styles = self._styles()
        if y == 0:
            style = styles["header"]
            header = self._assemble([Text(label) for _, label, _ in COLUMNS], self._widths())
            return header.apply_style(style).crop_extend(0, width, style)
        index = round(self.scroll_y) + y - 1
        if index >= self._count:
            return Strip([Segment(" " * width, styles["base"])], width)
        if index == self.cursor_row:
            kind = "cursor"
        elif index % 2 == 0:  # rows 1, 3, 5... as numbered on screen, as DataTable striped them
            kind = "even-row"
        else:
            kind = "base"
        drawn = self._drawn.get(index)
        if drawn is not None and drawn[0] == (kind, width):
            return drawn[1]  # every frame redraws the visible lines: most are as they were
        style = styles[kind]
        strip = self._row_strip(index).apply_style(style).crop_extend(0, width, style)
        self._drawn[index] = ((kind, width), strip)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._drawn.clear()
        self._style_key = None

    # -- the cursor -----------------------------------------------------------------------
    def move_cursor(self, row: int) -> None:
        if not self._count:
            return
        row = max(0, min(row, self._count - 1))
        old, self.cursor_row = self.cursor_row, row
        self._scroll_to_cursor()
        for index in {old, row}:
            self._redraw_row(index)
        if old != row:
            self.post_message(self.RowHighlighted(row))

    def _scroll_to_cursor(self) -> None:
        rows_visible = max(1, self.size.height - 1)
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + rows_visible:
            self.scroll_to(y=self.cursor_row - rows_visible + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + max(1, self.size.height - 2))

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - max(1, self.size.height - 2))

    def action_first_row(self) -> None:
        self.move_cursor(0)

    def action_last_row(self) -> None:
        self.move_cursor(self._count - 1)

    def action_select_cursor(self) -> None:
        if self._count:
            self.post_message(self.RowSelected(self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_y) + event.y - 1
        if index >= self._count:
            return
        if index == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(index)

