"""The folder matrix as a heat-map grid: rows and columns are articles, cells percentages.

A Line-API widget (a `ScrollView` with `render_line`), not Textual's DataTable.  The
DataTable held a row of cell objects per article and a dict per row: 1,000 articles were
1,000,000 cells to add, measure and keep, filling took seconds and hundreds of MB, and
every re-sort (`o`) refilled it all.  Here the grid holds nothing per cell: the display
order is a list of article indexes, and each visible line is drawn when Textual asks for
it, straight from the matrix (`FolderMatrix.cells`, a dict of the non-empty cells).  A fill
or re-sort costs one pass over the n articles (order, labels) plus the visible lines, and
new cells or a key only the visible lines: at 2,000 articles each is drawn in under 0.1 s,
where the DataTable took 12-18 s (`bench/heat_grid.py`).

The header row (`#N`) and the row-label column (`#N name…`) stay put while the cells
scroll under them.  A cell's background runs from the theme's background to its `copied`
colour by value, so the grid follows the theme; the number is always printed, so it
reads without colour too.  The cursor is a pair of article indexes, so it survives a
re-sort and a rebuild.  Article names are untrusted: they reach the screen only through
`safe_text.line` and as plain segments (never parsed as markup).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..matrix_view import heat_level
from ..safe_text import line
from ..theme_files import VARIABLE_DEFAULTS

if TYPE_CHECKING:
    from ...folder.matrix import FolderMatrix

CELL_WIDTH = 5       # "100%", "#2000", right-justified
GAP = 1              # blank cell before each column, so neighbouring colours stay apart
COLUMN = GAP + CELL_WIDTH
LABEL_WIDTH = 18     # "#12 name…" of a row, at most
ELSEWHERE = "elsewhere"
ELSEWHERE_COLUMN = GAP + len(ELSEWHERE)
DIAGONAL = "—".rjust(CELL_WIDTH)
EMPTY = "·".rjust(CELL_WIDTH)


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells (wide characters counted as two), with '…'."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…"


def pct(x: float) -> str:
    return f"{round(100 * x)}%"


Pair = tuple[int, "int | None"]


class _CellMessage(Message):
    """A cell of the grid: `coordinate` (row, column on screen) and its `pair` of articles
    (row article, column article or None for "elsewhere"), so handlers need not ask."""

    def __init__(self, table: HeatTable, coordinate: tuple[int, int], pair: Pair):
        super().__init__()
        self.table, self.coordinate, self.pair = table, coordinate, pair

    @property
    def control(self) -> HeatTable:
        return self.table


class HeatTable(ScrollView, can_focus=True):
    """Draws a `FolderMatrix` in a given article order; the screen owns the matrix."""

    COMPONENT_CLASSES = {"heat-table--header", "heat-table--header-cursor", "heat-table--cursor"}
    DEFAULT_CSS = """
    HeatTable { background: $surface; color: $foreground; }
    HeatTable:focus { background-tint: $foreground 5%; }
    HeatTable > .heat-table--header { text-style: bold; background: $panel; color: $foreground; }
    HeatTable:focus > .heat-table--header { background-tint: $foreground 5%; }
    HeatTable > .heat-table--header-cursor { text-style: bold; background: $accent 40%; color: $foreground; }
    HeatTable > .heat-table--cursor {
        background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    HeatTable:focus > .heat-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: $block-cursor-text-style;
    }
    """
    # DataTable's keys (home/end: first/last column, ctrl+home/end: first/last row), plus vi keys
    BINDINGS = [
        Binding("enter", "select_cursor", "Diff pair"),
        Binding("up,k", "move(-1, 0)", "Up", show=False),
        Binding("down,j", "move(1, 0)", "Down", show=False),
        Binding("left,h", "move(0, -1)", "Left", show=False),
        Binding("right,l", "move(0, 1)", "Right", show=False),
        Binding("pageup", "page(-1, 0)", "Page up", show=False),
        Binding("pagedown", "page(1, 0)", "Page down", show=False),
        Binding("ctrl+pageup", "page(0, -1)", "Page left", show=False),
        Binding("ctrl+pagedown", "page(0, 1)", "Page right", show=False),
        Binding("home", "edge(0, -1)", "First column", show=False),
        Binding("end", "edge(0, 1)", "Last column", show=False),
        Binding("ctrl+home", "edge(-1, 0)", "First row", show=False),
        Binding("ctrl+end", "edge(1, 0)", "Last row", show=False),
    ]

    class CellHighlighted(_CellMessage):
        """The cursor moved to `coordinate` (row, column on screen), the cell of `pair`."""

    class CellSelected(_CellMessage):
        """Enter, or a click on the cell under the cursor: open `pair`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.matrix: FolderMatrix | None = None
        self.article_order: list[int] = []        # display position -> article index
        self._position: dict[int, int] = {}       # article index -> display position
        self.cursor_row = 0
        self.cursor_column = 0
        self._labels: list[str] = []              # by display position, fitted and inert
        self._label_width = 0                     # the sticky column, its leading space included
        self._elsewhere: dict[int, str] = {}      # by article, computed when first drawn
        self._style_key: tuple | None = None
        self._styles: dict[str, Style] = {}
        self._heat: dict[int, Style] = {}         # by printed percentage, for the current theme

    # -- sizes ----------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.article_order)

    @property
    def column_count(self) -> int:
        """The articles' columns and "elsewhere" (0 when there is nothing to show)."""
        return len(self.article_order) + 1 if self.article_order else 0

    @property
    def cursor_coordinate(self) -> tuple[int, int]:
        return self.cursor_row, self.cursor_column

    def _column_span(self, column: int) -> tuple[int, int]:
        """(start, end) of a column in the scrolling part, in cells."""
        start = column * COLUMN
        return start, start + (COLUMN if column < self.row_count else ELSEWHERE_COLUMN)

    # -- colours --------------------------------------------------------------------------
    def colours(self, value: float) -> tuple[str, str]:
        """(text, background) of a cell worth `value`, from the current theme."""
        theme = self.app.current_theme
        hot = Color.parse(theme.variables.get("copied", VARIABLE_DEFAULTS["copied"]))
        base = Color.parse(theme.surface or theme.background or ("#1e1e1e" if theme.dark else "#ffffff"))
        bg = base.blend(hot, heat_level(value))
        fg = "#101010" if bg.brightness > 0.55 else "#f4f4f4"
        return fg, bg.hex

    def _get_styles(self) -> dict[str, Style]:
        """Styles resolved once per focus state and theme, not once per line (resolving the
        widget's CSS is far dearer than drawing a cell)."""
        key = (self.has_focus, self.app.theme)
        if self._style_key != key:
            base = self.rich_style
            self._style_key = key
            self._heat.clear()
            self._styles = {"base": base, "dim": base + Style(dim=True),
                            **{name: base + self.get_component_rich_style(f"heat-table--{name}")
                               for name in ("header", "header-cursor", "cursor")}}
        return self._styles

    def _heat_style(self, shown: int) -> Style:
        style = self._heat.get(shown)
        if style is None:
            fg, bg = self.colours(shown / 100)
            style = self._heat[shown] = self._get_styles()["base"] + Style(bold=True, color=fg, bgcolor=bg)
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_key = None

    # -- cells ----------------------------------------------------------------------------
    def _cell(self, a: int, b: int | None) -> tuple[str, str | int]:
        """(text, look) of the cell of row article `a`, column article `b` (None: elsewhere);
        the look is a style name or a printed percentage (a heat colour)."""
        m = self.matrix
        if b is None:
            text = self._elsewhere.get(a)
            if text is None:
                text = self._elsewhere[a] = pct(m.shared_share(a)) if m is not None else ""
            return text.rjust(len(ELSEWHERE)), "base"
        if a == b:
            return DIAGONAL, "dim"
        cell = m.cells.get((a, b)) if m is not None else None
        value = cell.total if cell is not None else 0.0
        if value <= 0:
            return EMPTY, "dim"
        shown = round(100 * value)
        return f"{shown}%".rjust(CELL_WIDTH), shown

    def cell_text(self, a: int, b: int | None) -> str:
        """The cell of articles (a, b) as drawn, stripped (b None: the "elsewhere" column)."""
        return self._cell(a, b)[0].strip()

    def cell_style(self, a: int, b: int | None) -> Style:
        """The style the cell of articles (a, b) is drawn in, away from the cursor."""
        look = self._cell(a, b)[1]
        return self._heat_style(look) if isinstance(look, int) else self._get_styles()[look]

    # -- filling --------------------------------------------------------------------------
    def fill(self, m: FolderMatrix, order: list[int]) -> None:
        """Show `m` in `order`, keeping the cursor on the same pair (after a re-sort or a
        rebuild); costs the order and the labels, not the cells."""
        keep = self.pair_at_cursor()
        self.matrix = m
        self.article_order = list(order)
        self._position = {a: k for k, a in enumerate(self.article_order)}
        self._elsewhere.clear()
        self._style_key = None  # a theme file may have been edited under the same name
        self._labels = [_fit(f"#{a + 1} {line(m.articles[a].stem)}", LABEL_WIDTH) for a in self.article_order]
        self._label_width = 1 + max((cell_len(x) for x in self._labels), default=0)
        self.virtual_size = Size(self._label_width + self._column_span(self.row_count)[1], self.row_count + 1)
        row = column = None
        if keep is not None:
            a, b = keep
            row = self._position.get(a)
            column = self.row_count if b is None else self._position.get(b)
        if row is None or column is None:
            row, column = 0, (1 if self.row_count > 1 else 0)
        self.move_cursor(row=row, column=column)
        self.call_after_refresh(self._scroll_to_cursor)  # again once the new size is laid out
        self.refresh()

    def refresh_pairs(self, m: FolderMatrix, pairs: list[tuple[int, int]]) -> None:
        """Take the matrix `m` (a build further along) whose `pairs` have new cells: the cells
        are read from the matrix when drawn, so only those articles' "elsewhere" is forgotten
        and the visible lines drawn again."""
        self.matrix = m
        for a, b in pairs:
            self._elsewhere.pop(a, None)
            self._elsewhere.pop(b, None)
        self.refresh()

    def pair_at_cursor(self) -> Pair | None:
        """(row article, column article), column None for the 'elsewhere' column."""
        n = self.row_count
        if not n:
            return None
        a = self.article_order[self.cursor_row]
        return a, (None if self.cursor_column >= n else self.article_order[self.cursor_column])

    # -- drawing --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        styles = self._get_styles()
        width = self.size.width
        n = self.row_count
        row = None if y == 0 else round(self.scroll_y) + y - 1
        if not n or (row is not None and row >= n):
            return Strip([Segment(" " * width, styles["base"])], width)
        label_width = min(self._label_width, width)
        if row is None:
            label = Segment(" " * label_width, styles["header"])
        else:
            look = styles["header-cursor" if row == self.cursor_row else "header"]
            label = Segment(set_cell_size(" " + self._labels[row], label_width), look)
        data_width = width - label_width
        if data_width <= 0:
            return Strip([label], label_width)
        return Strip.join([Strip([label], label_width), self._data_strip(row, data_width, styles)])

    def _data_strip(self, row: int | None, data_width: int, styles: dict[str, Style]) -> Strip:
        """The visible part of a line right of the labels: only the columns that show."""
        n = self.row_count
        left = round(self.scroll_x)
        first = min(left // COLUMN, n)
        segments: list[Segment] = []
        x = first * COLUMN
        column = first
        gap_style = styles["header" if row is None else "base"]
        a = None if row is None else self.article_order[row]
        while column <= n and x < left + data_width:
            b = self.article_order[column] if column < n else None
            if row is None:
                text = f"#{b + 1}".rjust(CELL_WIDTH) if b is not None else ELSEWHERE
                style = styles["header-cursor" if column == self.cursor_column else "header"]
            elif row == self.cursor_row and column == self.cursor_column:
                text, look = self._cell(a, b)
                cursor = styles["cursor"]
                style = (self._heat_style(look) + cursor) if isinstance(look, int) else cursor
            else:
                text, look = self._cell(a, b)
                style = self._heat_style(look) if isinstance(look, int) else styles[look]
            segments.append(Segment(" " * GAP, gap_style))
            segments.append(Segment(text, style))
            x += GAP + len(text)
            column += 1
        start = left - first * COLUMN
        return Strip(segments, x - first * COLUMN).crop_extend(start, start + data_width, gap_style)

    # -- the cursor -----------------------------------------------------------------------
    def move_cursor(self, row: int | None = None, column: int | None = None, *, scroll: bool = True) -> None:
        """Put the cursor on (row, column) on screen, clamped; tell the screen if it moved."""
        n = self.row_count
        if not n:
            return
        row = self.cursor_row if row is None else row
        column = self.cursor_column if column is None else column
        row, column = max(0, min(row, n - 1)), max(0, min(column, n))
        moved = (row, column) != (self.cursor_row, self.cursor_column)
        self.cursor_row, self.cursor_column = row, column
        if scroll:
            self._scroll_to_cursor()
        self.refresh()
        if moved:
            self.post_message(self.CellHighlighted(self, (row, column), self.pair_at_cursor()))

    def _scroll_to_cursor(self) -> None:
        """Scroll the least that shows the cursor's cell whole, beside the sticky labels."""
        if not self.row_count:
            return
        view = self._view()
        data_width = view.width - min(self._label_width, view.width)
        rows_visible = view.height - 1
        if data_width <= 0 or rows_visible <= 0:
            return  # not laid out yet: fill asks again after the next refresh
        x, y = round(self.scroll_x), round(self.scroll_y)
        start, end = self._column_span(self.cursor_column)
        if end > x + data_width:
            x = end - data_width
        x = min(x, start)
        if self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + rows_visible:
            y = self.cursor_row - rows_visible + 1
        if (x, y) != (round(self.scroll_x), round(self.scroll_y)):
            self.scroll_to(x=x, y=y, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def _view(self) -> Size:
        """What shows of the grid: the widget less its scrollbars (`size` counts them)."""
        return self.scrollable_content_region.size

    def _page_rows(self) -> int:
        return max(1, self._view().height - 2)

    def _page_columns(self) -> int:
        return max(1, (self._view().width - self._label_width) // COLUMN - 1)

    def action_move(self, rows: int, columns: int) -> None:
        self.move_cursor(row=self.cursor_row + rows, column=self.cursor_column + columns)

    def action_page(self, rows: int, columns: int) -> None:
        """A page of rows (the view with it, so the cursor keeps its place on screen) or of columns."""
        page = self._page_rows()
        if rows:
            self.scroll_to(y=max(0, round(self.scroll_y) + rows * page), animate=False, immediate=True)
        self.action_move(rows * page, columns * self._page_columns())

    def action_edge(self, rows: int, columns: int) -> None:
        """To the first (-1) or last (1) row or column: a step longer than the grid, clamped."""
        far = self.row_count + 1
        self.action_move(rows * far, columns * far)

    def action_select_cursor(self) -> None:
        if self.row_count:
            self.post_message(self.CellSelected(self, self.cursor_coordinate, self.pair_at_cursor()))

    # -- the mouse ------------------------------------------------------------------------
    def cell_at(self, x: int, y: int) -> tuple[int | None, int | None]:
        """(row, column) on screen under content offset (x, y); None where it is a label,
        the header, or past the grid."""
        n = self.row_count
        row = round(self.scroll_y) + y - 1 if y >= 1 else None
        if row is not None and row >= n:
            row = None
        across = round(self.scroll_x) + x - self._label_width
        column = min(across // COLUMN, n) if x >= self._label_width else None
        if column is not None and across >= self._column_span(column)[1]:
            column = None  # right of "elsewhere"
        return row, column

    def cell_region(self, row: int, column: int) -> Region:
        """Where the cell at (row, column) is now, in content offsets (for tests and clicks)."""
        start, end = self._column_span(column)
        x = self._label_width + start - round(self.scroll_x)
        return Region(x, row + 1 - round(self.scroll_y), end - start, 1)

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor there; a click on the cursor's cell selects it; a click on
        a row label or a column header moves only along that axis."""
        offset = event.get_content_offset(self)
        if offset is None or not self.row_count:
            return
        row, column = self.cell_at(offset.x, offset.y)
        if column is None and offset.x >= self._label_width or row is None and offset.y >= 1:
            return  # past the last row or column
        if (row, column) == self.cursor_coordinate:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row, column=column)
