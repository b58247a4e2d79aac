"""The folder matrix's grid against the DataTable it replaced: fill, re-sort, first paint.

`reader.tui.widgets.heat_table.HeatTable` draws only the visible cells, straight from the
matrix (Textual's Line API).  Before it, the matrix was a `DataTable` given a row of cells
per article (`OldHeatTable` below, a copy of that class as it was in 8ecf4f4, kept here
only to be measured).  Both run in one headless app, in this process, on the same
synthetic matrix: n articles of the real `FolderMatrix` class, each sharing with `--links`
others, no sentences (so "elsewhere" is 0% and costs nothing in either; with real
articles the DataTable also computed every row's "elsewhere" on each fill, the grid only
the visible rows').

For each n (500, 1,000, 2,000 by default), each run mounts a fresh widget of each kind and
times, in that order:

* **fill**: `fill(matrix, folder order)` returning;
* **paint**: from the start of that fill until the widget's lines have been drawn once;
* **key**: the cursor moved one row down (near the top left), until drawn;
* **re-sort**: `fill` again in a shuffled order (what `o` does), until drawn: the cursor
  stays on its pair, now somewhere inside the grid, which scrolls to it;
* **key deep**: the cursor moved one row down there, until drawn (the DataTable builds
  every column of each row it draws, then crops it to the screen; near the top left it
  had most rows cached).

Each step starts once the widget has stopped drawing (`settle`), so a step's figure is
its own, not the tail of the one before.

Then one more fill of each kind under `tracemalloc`: what the widget keeps (MB).  Medians
over the runs, and old / new.

    python bench/heat_grid.py [--sizes 500,1000,2000] [--runs 3] [--links 10]
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.text import Text  # noqa: E402
from textual.app import App  # noqa: E402
from textual.binding import Binding  # noqa: E402
from textual.geometry import Size  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from reader.folder.matrix import Cell, FolderMatrix  # noqa: E402
from reader.model import Article  # noqa: E402
from reader.tui.safe_text import line  # noqa: E402
from reader.tui.widgets.heat_table import (CELL_WIDTH, ELSEWHERE, LABEL_WIDTH, HeatTable,  # noqa: E402
                                           _fit, pct)


# -- the DataTable version, as it was (8ecf4f4), for comparison only -------------------------
class OldHeatTable(DataTable):
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

    colours = HeatTable.colours  # the same colours, so the two draw alike

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


# -- the bench -----------------------------------------------------------------------------
def synthetic(n: int, links: int, seed: int = 1) -> FolderMatrix:
    rnd = random.Random(seed)
    cells = {}
    for a in range(n):
        for b in rnd.sample(range(n), min(links, n - 1) + 1):
            if b != a:
                cells[(a, b)] = Cell(copied=rnd.uniform(0.02, 0.6), changed=rnd.uniform(0, 0.3))
    arts = [Article(path=f"/folder/{k:04d}_article_{rnd.randrange(16**6):06x}.txt", text="") for k in range(n)]
    return FolderMatrix(arts, cells, [[] for _ in range(n)])


def painted(cls):
    """`cls`, noting when its lines were last drawn (the compositor asks for them)."""

    class Timed(cls):
        drawn_at = 0.0

        def render_lines(self, crop):
            lines = super().render_lines(crop)
            self.drawn_at = time.perf_counter()
            return lines

    Timed.__name__ = cls.__name__
    return Timed


KINDS = {"old": painted(OldHeatTable), "new": painted(HeatTable)}


async def until_drawn(pilot, table, since: float, limit: float = 600.0) -> float:
    while table.drawn_at < since:
        if time.perf_counter() - since > limit:
            raise TimeoutError("never drawn")
        await pilot.pause()
    return table.drawn_at - since


async def settle(pilot, table, quiet: float = 0.3) -> None:
    """Until the widget has not been drawn for `quiet` s: a DataTable finishes a fill in
    steps (sizes on idle, then draws again), and a key pressed meanwhile waits for them."""
    while True:
        last = table.drawn_at
        await pilot.pause(quiet)
        if table.drawn_at == last:
            return


async def measure(app, pilot, kind: str, m: FolderMatrix, orders: list[list[int]]) -> dict[str, float]:
    table = KINDS[kind]()
    # the key "down": DataTable's action, the grid's move by one row
    down = table.action_cursor_down if isinstance(table, DataTable) else (lambda: table.action_move(1, 0))
    await app.mount(table)
    await pilot.pause()
    out = {}
    start = time.perf_counter()
    table.fill(m, orders[0])
    out["fill"] = time.perf_counter() - start
    out["paint"] = await until_drawn(pilot, table, start)
    await settle(pilot, table)
    start = time.perf_counter()
    down()
    out["key"] = await until_drawn(pilot, table, start)
    await settle(pilot, table)
    start = time.perf_counter()
    table.fill(m, orders[1])
    out["re-sort"] = await until_drawn(pilot, table, start)
    await settle(pilot, table)
    start = time.perf_counter()
    down()
    out["key deep"] = await until_drawn(pilot, table, start)
    await table.remove()
    return out


async def memory(app, pilot, kind: str, m: FolderMatrix, order: list[int]) -> float:
    table = KINDS[kind]()
    # the key "down": DataTable's action, the grid's move by one row
    down = table.action_cursor_down if isinstance(table, DataTable) else (lambda: table.action_move(1, 0))
    await app.mount(table)
    await pilot.pause()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    table.fill(m, order)
    await until_drawn(pilot, table, time.perf_counter() - 1e-9)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    await table.remove()
    return kept / 1e6


async def bench(sizes: list[int], runs: int, links: int) -> None:
    class Bench(App):
        CSS = "OldHeatTable, HeatTable { height: 1fr; }"

    app = Bench()
    async with app.run_test(size=(160, 48)) as pilot:
        print(f"{'articles':>8} {'what':>9} {'old (s)':>9} {'new (s)':>9} {'old/new':>8}")
        for n in sizes:
            m = synthetic(n, links)
            shuffled = list(range(n))
            random.Random(n).shuffle(shuffled)  # a re-sort is a permutation; which one costs the same
            orders = [list(range(n)), shuffled]
            got = {"old": [], "new": []}
            for _ in range(runs):
                for kind in ("old", "new"):  # interleaved, so a busy machine slows both alike
                    got[kind].append(await measure(app, pilot, kind, m, orders))
                    gc.collect()
            for what in ("fill", "paint", "key", "re-sort", "key deep"):
                old = statistics.median(r[what] for r in got["old"])
                new = statistics.median(r[what] for r in got["new"])
                print(f"{n:>8} {what:>9} {old:>9.4f} {new:>9.4f} {old / new:>7.0f}x")
            mem = {kind: await memory(app, pilot, kind, m, orders[0]) for kind in ("old", "new")}
            print(f"{n:>8} {'MB kept':>9} {mem['old']:>9.1f} {mem['new']:>9.2f} {mem['old'] / max(mem['new'], 1e-3):>7.0f}x",
                  flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,1000,2000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--links", type=int, default=10, help="non-empty cells per row")
    args = ap.parse_args()
    print(f"{args.runs} runs, {args.links} non-empty cells a row, 160x48 terminal, medians")
    asyncio.run(bench([int(x) for x in args.sizes.split(",")], args.runs, args.links))


if __name__ == "__main__":
    main()
