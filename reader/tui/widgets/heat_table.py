"""The folder matrix as a heat-map table: rows and columns are articles, cells percentages.

A DataTable with a cell cursor (it draws only what is visible, so a large folder
scrolls in both directions without cost).  A cell's background runs from the
theme's background to its `copied` colour by value, so the table follows the theme
and is redrawn when it changes; the number is always printed, so it reads without
colour too.  Row and column keys are article indexes, so the cursor survives a
re-sort.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Size
from textual.widgets import DataTable

from ..matrix_view import heat_level
from ..safe_text import line
from ..theme_files import VARIABLE_DEFAULTS

if TYPE_CHECKING:
    from ...folder.matrix import FolderMatrix

CELL_WIDTH = 5       # "100% "
LABEL_WIDTH = 18     # "#12 name…" of a row
ELSEWHERE = "elsewhere"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def pct(x: float) -> str:
    return f"{round(100 * x)}%"


class HeatTable(DataTable):
    """Draws a `FolderMatrix` in a given article order; the screen owns the matrix."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Diff pair"),
        Binding("h", "cursor_left", "Left", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l", "cursor_right", "Right", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(cursor_type="cell", zebra_stripes=False, cursor_foreground_priority="renderable", **kwargs)
        self.matrix: FolderMatrix | None = None
        # One Text per distinct cell look, shared by every cell that looks so (DataTable
        # renders a Text without changing it): a 500-article table is 250,000 cells, most
        # of them empty, and building a Text for each was most of a refill (0.9 s).
        self._looks: dict[tuple[str, int], Text] = {}

    def _update_dimensions(self, new_rows) -> None:
        """DataTable's, without measuring every cell of every new row.

        DataTable measures each cell to widen its column, about 30 us a cell: a plain
        DataTable of 500 x 500 cells took 9.9 s to settle here, and with the matrix of the
        1,888 METER texts a key waited 108 s.  Every column here has a fixed width and
        every row one line, so only the row labels need measuring; the scrollable size is
        then set as DataTable sets it.  Any other table, or another Textual's internals,
        goes to DataTable's own method.
        """
        rows = self.rows
        if any(c.auto_width for c in self.columns.values()) or any(rows[k].height != 1 for k in new_rows if k in rows):
            super()._update_dimensions(new_rows)
            return
        try:
            label_column = self._label_column
            widest = label_column.content_width
            for key in new_rows:
                row = rows.get(key)
                if row is None or row.label is None:
                    continue
                self._labelled_row_exists = True
                widest = max(widest, row.label.cell_len)
            label_column.content_width = widest
            header = self.header_height if self.show_header else 0
            width = sum(c.get_render_width(self) for c in self.columns.values()) + self._row_label_column_width
            self.virtual_size = Size(width, self._total_row_height + header)
        except AttributeError:  # DataTable's private parts are not what this Textual had
            super()._update_dimensions(new_rows)

    def colours(self, value: float) -> tuple[str, str]:
        """(text, background) of a cell worth `value`, from the current theme."""
        theme = self.app.current_theme
        hot = Color.parse(theme.variables.get("copied", VARIABLE_DEFAULTS["copied"]))
        base = Color.parse(theme.surface or theme.background or ("#1e1e1e" if theme.dark else "#ffffff"))
        bg = base.blend(hot, heat_level(value))
        fg = "#101010" if bg.brightness > 0.55 else "#f4f4f4"
        return fg, bg.hex

    def heat_cell(self, value: float, theme: str | None = None) -> Text:
        """The cell of a share `value` (`theme`: the current theme's name, when the caller has
        it); its colour follows the percentage it prints."""
        shown = round(100 * value) if value > 0 else -1
        key = (theme or self.app.current_theme.name, shown)
        cell = self._looks.get(key)
        if cell is None:
            if value <= 0:
                cell = Text("·".rjust(CELL_WIDTH - 1) + " ", style="dim")
            else:
                fg, bg = self.colours(shown / 100)
                cell = Text(pct(value).rjust(CELL_WIDTH - 1) + " ", style=f"bold {fg} on {bg}")
            self._looks[key] = cell
        return cell

    def fill(self, m: FolderMatrix, order: list[int]) -> None:
        """(Re)build every cell in `order`, keeping the cursor on the same pair."""
        keep = None
        if self.row_count and self.matrix is not None:
            try:
                keep = self.coordinate_to_cell_key(self.cursor_coordinate)
            except Exception:  # the old cursor pointed outside the old table
                keep = None
        self.matrix = m
        self._looks.clear()  # a theme file may have been edited under the same name
        self.clear(columns=True)
        for b in order:
            self.add_column(Text(f"#{b + 1}", justify="right"), width=CELL_WIDTH, key=str(b))
        self.add_column(Text("elsewhere", justify="right"), width=len(ELSEWHERE), key=ELSEWHERE)
        itself = Text("—".rjust(CELL_WIDTH - 1) + " ", style="dim")
        theme = self.app.current_theme.name
        empty = self.heat_cell(0.0, theme)
        column = {b: x for x, b in enumerate(order)}
        by_row: dict[int, list[tuple[int, float]]] = {}
        for (a, b), cell in m.cells.items():  # the few cells that are not empty, by row
            if b in column:
                by_row.setdefault(a, []).append((column[b], cell.total))
        for a in order:
            cells = [empty] * len(order)
            for x, value in by_row.get(a, ()):
                cells[x] = self.heat_cell(value, theme)
            if a in column:
                cells[column[a]] = itself
            cells.append(Text(pct(m.shared_share(a)), justify="right"))
            label = Text(_fit(f"#{a + 1} {line(m.articles[a].stem)}", LABEL_WIDTH))
            self.add_row(*cells, key=str(a), label=label)
        if keep is not None:
            row, col = keep
            try:
                self.move_cursor(row=self.get_row_index(row), column=self.get_column_index(col))
                return
            except Exception:  # that pair is gone (cannot happen for a re-sort; safe for a rebuild)
                pass
        self.move_cursor(row=0, column=1 if len(order) > 1 else 0)

    def refresh_pairs(self, m: FolderMatrix, pairs: list[tuple[int, int]]) -> None:
        """Take the matrix `m` (a build further along) by redrawing only the cells of `pairs`,
        both ways, and those articles' "elsewhere" cells: a full refill of a 500-article
        table takes ~0.15 s (most of it DataTable's own rows), these a few microseconds each."""
        self.matrix = m
        touched = set()
        for a, b in pairs:
            for x, y in ((a, b), (b, a)):
                self.update_cell(str(x), str(y), self.heat_cell(m.cell(x, y).total))
                touched.add(x)
        for x in touched:
            self.update_cell(str(x), ELSEWHERE, Text(pct(m.shared_share(x)), justify="right"))

    def pair_at_cursor(self) -> tuple[int, int | None] | None:
        """(row article, column article), column None for the 'elsewhere' column."""
        if not self.row_count:
            return None
        row, col = self.coordinate_to_cell_key(self.cursor_coordinate)
        a = int(row.value)
        return a, (None if col.value == ELSEWHERE else int(col.value))
