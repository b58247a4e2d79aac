"""`m`: the folder matrix, who shares what with whom, as a heat map.

The app builds the matrix (`reader.folder.matrix.build_matrix`, in a thread worker) and
keeps it; this screen shows its progress, then the table, and turns a selected
cell into that pair's diff.  While pairs are aligned the table is already there and
its cells fill in as pairs finish (the app's `matrix_partial`); the cursor, the
diff of a finished pair and reading an article work meanwhile.  Leaving the screen
does not stop the build: the rest of the app stays usable, and coming back shows
wherever it has got to.
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, ProgressBar, Static

from ..matrix_view import next_order, order_articles, order_label, order_meaning
from ..safe_text import line, plain
from ..widgets.fitting_footer import FittingFooter
from ..widgets.heat_table import HeatTable, pct

STAGES = {"index": "Indexing sentences", "align": "Aligning article pairs that share sentences",
          "start": "Starting"}
SWATCHES = (0.05, 0.25, 0.5, 0.75, 1.0)


class MatrixScreen(Screen):
    BINDINGS = [
        Binding("o", "cycle_order", "Order"),
        Binding("escape", "back", "Back"),
        # the table's own enter comes first; this catches enter when focus was lost
        # while the table was hidden during a rebuild
        Binding("enter", "open_pair", "Diff pair", show=False),
    ]

    def __init__(self):
        super().__init__(id="matrix")
        self.order = "folder"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="matrix-legend")
        with Vertical(id="matrix-loading"):
            yield Label("Building the folder matrix…", id="matrix-load-label")
            yield ProgressBar(id="matrix-bar", show_eta=False)
        yield HeatTable(id="heat")
        yield Static(id="matrix-cell")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._draw_table())
        self.matrix_changed()

    @property
    def table(self) -> HeatTable:
        return self.query_one(HeatTable)

    def shown(self):
        """The finished matrix, else the one being filled in, else None."""
        return self.app.matrix if self.app.matrix is not None else self.app.matrix_partial

    # -- called by the app ----------------------------------------------------------------
    def matrix_progress(self) -> None:
        p = self.app.matrix_progress
        if p is None or self.app.matrix is not None:
            return
        done, total, stage = p
        self.query_one("#matrix-bar", ProgressBar).update(total=total or None, progress=done)
        what = STAGES.get(stage, stage)
        filling = " (cells fill in as pairs are done)" if self.app.matrix_partial is not None else ""
        self.query_one("#matrix-load-label", Label).update(
            f"{what}… {done}/{total}{filling}" if total else f"{what}…")

    def matrix_partial(self, pairs: list[tuple[int, int]]) -> None:
        """More pairs are aligned: the first time, draw the table; then only their cells."""
        m = self.app.matrix_partial
        if m is None:
            return
        if self.table.matrix is None or not self.table.display:
            self.matrix_changed()
            return
        self.table.refresh_pairs(m, pairs)
        self._describe()

    def matrix_changed(self) -> None:
        app = self.app
        ready = app.matrix is not None
        shown = self.shown()
        self.query_one("#matrix-loading").display = not ready
        self.table.display = shown is not None
        if shown is None:
            self.query_one("#matrix-cell", Static).update("")
            self.table.matrix = None
        self._subtitle()
        self._legend()
        if shown is not None:
            self._draw_table()
            self.table.focus()
            self.call_after_refresh(self.table.focus)  # again once it is displayed
        if ready:
            return
        if app.matrix_error:
            self.query_one("#matrix-load-label", Label).update(
                plain(f"Could not build the folder matrix: {app.matrix_error}"))
        else:
            self.query_one("#matrix-load-label", Label).update(
                f"Building the folder matrix ({app.mode_label} alignment)…")
            self.matrix_progress()

    def mode_changed(self) -> None:
        self.matrix_changed()  # the app has started a rebuild in the new mode

    # -- drawing --------------------------------------------------------------------------
    def _subtitle(self) -> None:
        n = len(self.app.articles)
        self.sub_title = f"folder matrix · {n} articles · {self.app.mode_label} · {order_label(self.order)}"

    def _legend(self) -> None:
        t = Text()
        t.append("Cell: share of the ", style="dim")
        t.append("row", style="bold")
        t.append(" article's words found in the ", style="dim")
        t.append("column", style="bold")
        t.append(" article (copied + changed).  ", style="dim")
        if self.shown() is not None:
            for v in SWATCHES:
                fg, bg = self.table.colours(v)
                t.append(f" {pct(v)} ", style=f"{fg} on {bg}")
        t.append(f"\nOrder: {order_label(self.order)}, {order_meaning(self.order)} (o)", style="dim")
        self.query_one("#matrix-legend", Static).update(t)

    def _draw_table(self) -> None:
        m = self.shown()
        if m is None:
            return
        self.table.fill(m, order_articles(m, self.order))
        self._legend()
        self._describe()

    def _describe(self) -> None:
        """One line about the cell under the cursor, in words (what the colour means)."""
        m = self.shown()
        where = self.table.pair_at_cursor() if m is not None else None
        out = self.query_one("#matrix-cell", Static)
        if where is None:
            out.update("")
            return
        a, b = where
        name = lambda k: f"#{k + 1} {line(m.articles[k].stem)}"  # noqa: E731
        t = Text()
        if b is None:
            t.append(f"{name(a)}: {pct(m.shared_share(a))} of its words are found in another article; "
                     f"{pct(m.taken_share(a))} in sentences dated earlier elsewhere; "
                     f"likely source for {m.given_count(a)} article(s). ")
            t.append("enter: read it", style="dim")
        elif a == b:
            t.append(f"{name(a)} against itself.", style="dim")
        else:
            c, back = m.cell(a, b), m.cell(b, a)
            t.append(f"{pct(c.total)} of {name(a)}'s words are found in {name(b)}", style="bold")
            t.append(f" ({pct(c.copied)} copied, {pct(c.changed)} changed); the other way {pct(back.total)}. ")
            if self.app.matrix is None:
                t.append("(pairs still being aligned: it may grow) ", style="dim")
            t.append("enter: diff", style="dim")
        out.update(t)

    # -- events ---------------------------------------------------------------------------
    def on_heat_table_cell_highlighted(self, event: HeatTable.CellHighlighted) -> None:
        self._describe()

    def on_heat_table_cell_selected(self, event: HeatTable.CellSelected) -> None:
        event.stop()
        self.action_open_pair()

    # -- actions --------------------------------------------------------------------------
    def action_open_pair(self) -> None:
        where = self.table.pair_at_cursor() if self.shown() is not None else None
        if where is None:
            self.notify("The matrix is still being built…", timeout=2)
            return
        a, b = where
        if b is None:
            self.app.open_reader(a)
        elif a == b:
            self.notify("That is the same article: pick a cell off the diagonal", timeout=3)
        else:
            self.app.open_diff(a, b)

    def action_cycle_order(self) -> None:
        self.order = next_order(self.order)
        self._subtitle()
        self._draw_table()
        self._legend()
        self.notify(f"Order: {order_label(self.order)}", timeout=2)

    def action_back(self) -> None:
        self.app.pop_screen()
