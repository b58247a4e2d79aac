"""Pilot tests for the folder matrix (`m`): values, opening a pair, ordering, provenance, progress."""
from __future__ import annotations

import threading

import pytest

from reader.folder.matrix import build_matrix
from reader.tui.matrix_view import order_articles
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.list_screen import ArticleListScreen
from reader.tui.screens.matrix_screen import MatrixScreen
from reader.tui.screens.reader_screen import ReaderScreen
from reader.tui.widgets.heat_table import HeatTable
from reader.tui.widgets.reading_rows import gutter_text
from tui_support import STORY, make_app, run_async, settle


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "env-config"))


def _cell_text(table: HeatTable, a: int, b) -> str:
    return table.cell_text(a, None if b == "elsewhere" else b)


async def _open_matrix(pilot):
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MatrixScreen)
    return pilot.app.screen.query_one(HeatTable)


@run_async
async def test_m_shows_the_matrix_with_build_matrix_values(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_matrix(pilot)
        expected = build_matrix(app.articles)  # directly, without the cache the app uses
        n = len(app.articles)
        assert table.row_count == n and table.column_count == n + 1
        nonzero = 0
        for a in range(n):
            for b in range(n):
                text = _cell_text(table, a, b)
                if a == b:
                    assert text == "—"
                    continue
                v = expected.cell(a, b).total
                assert text == (f"{round(100 * v)}%" if v > 0 else "·"), (a, b)
                nonzero += v > 0
            assert _cell_text(table, a, "elsewhere") == f"{round(100 * expected.shared_share(a))}%"
        assert nonzero >= 2  # the fixture story does share sentences
        assert "row" in str(app.screen.query_one("#matrix-legend").render())
        assert "lexical" in app.screen.sub_title


@run_async
async def test_cells_are_coloured_by_value_from_the_theme_and_follow_it(tmp_path):
    """A cell's background is `colours(value)` of the current theme; a theme change
    recolours every cell and keeps its number."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_matrix(pilot)
        n = len(app.articles)
        cells = [(a, b) for a in range(n) for b in range(n) if a != b]
        empty = [k for k in cells if _cell_text(table, *k) == "·"]
        hot = [k for k in cells if _cell_text(table, *k) != "·"]
        assert empty and hot
        assert table.cell_style(*empty[0]).dim and table.cell_style(0, 0).dim  # "·" and "—"
        value = app.matrix.cell(*hot[0]).total
        style, shown = table.cell_style(*hot[0]), _cell_text(table, *hot[0])
        assert style.bgcolor.name == table.colours(round(100 * value) / 100)[1].lower()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        after = table.cell_style(*hot[0])
        assert after.bgcolor != style.bgcolor and _cell_text(table, *hot[0]) == shown
        assert after.bgcolor.name == table.colours(round(100 * value) / 100)[1].lower()


@run_async
async def test_enter_on_a_cell_opens_that_pairs_diff_row_article_left(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_matrix(pilot)
        assert table.cursor_coordinate == (0, 1)  # the first cell off the diagonal
        await pilot.press("j", "h")  # row #2, column #1
        assert "#2" in str(app.screen.query_one("#matrix-cell").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.left, app.screen.right) == (1, 0)
        assert app.screen.alignment.left is app.articles[1]
        await pilot.press("escape")
        assert isinstance(app.screen, MatrixScreen)


@run_async
async def test_clicking_a_cell_twice_opens_the_pair_and_the_diagonal_refuses(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_matrix(pilot)
        await pilot.press("h")  # the diagonal (0, 0)
        await pilot.press("enter")
        assert isinstance(app.screen, MatrixScreen)
        assert any("same article" in n.message for n in app._notifications)
        region = table.cell_region(2, 0)  # row #3, column #1
        offset = (region.x + 2, region.y)
        await pilot.click(HeatTable, offset=offset)
        assert table.cursor_coordinate == (2, 0) and isinstance(app.screen, MatrixScreen)
        await pilot.click(HeatTable, offset=offset)
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen) and (app.screen.left, app.screen.right) == (2, 0)


@run_async
async def test_enter_on_elsewhere_reads_the_article(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_matrix(pilot)
        await pilot.press("j", "l", "l")  # row #2, last column ("elsewhere")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.index == 1


@run_async
async def test_o_cycles_the_order_and_keeps_the_cursor_on_its_pair(tmp_path):
    # the story in reverse folder order, so that sorting by sharing has something to do
    app = make_app(tmp_path, paths=[STORY / "c_weekly.txt", STORY / "b_daily.txt", STORY / "a_wire.txt"])
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_matrix(pilot)
        m = app.matrix
        assert table.article_order == [0, 1, 2]
        await pilot.press("j", "j", "h", "h")  # row #3, column #1
        before = table.pair_at_cursor()
        for order in ("copied", "source", "folder"):
            await pilot.press("o")
            await settle(pilot)
            assert app.screen.order == order
            want = order_articles(m, order)
            assert table.article_order == want
            header = table.render_line(0).text.split()
            assert header == [f"#{a + 1}" for a in want] + ["elsewhere"]
            assert table.render_line(1).text.split()[0] == f"#{want[0] + 1}"  # the first row's label
            assert table.pair_at_cursor() == before
        assert any(b.binding.key == "o" and b.binding.show for b in app.screen.active_bindings.values())  # footer
        # the wire (a, last here) shares the most of itself and is found the most in the others
        assert order_articles(m, "copied")[0] == 2 and order_articles(m, "source")[0] == 2


@run_async
async def test_reader_gutter_switches_to_matrix_provenance(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and not screen.from_matrix  # pairwise echoes first
        app.start_matrix()  # as `m` would; the open reader hears of it
        await settle(pilot)
        assert screen.from_matrix
        prov = app.matrix.provenance[0]
        for echo, p in zip(screen.echoes, prov):
            assert echo.verdict == p.verdict and echo.source == p.source
            assert sorted(echo.copied_in + echo.changed_in) == sorted({k.article for k in p.shared})
        # a1 is the earliest-dated article: its shared sentences point out of it
        shared = [e for e in screen.echoes if e.shared_by]
        assert shared and all(gutter_text(e, 0).split()[1] in ("→", "?") for e in shared)
        row = next(n for n, r in enumerate(screen.query_one("RowList").rows)
                   if r.echo is not None and r.echo.source == 0)
        screen.query_one("RowList").move_to(row)
        await pilot.pause()
        assert "likely source: this article" in str(screen.query_one("#reader-status").render())


@run_async
async def test_matrix_shows_progress_and_the_app_stays_usable_while_it_builds(tmp_path, monkeypatch):
    import reader.folder.matrix

    release = threading.Event()
    real = reader.folder.matrix.build_matrix

    def slow_build(articles, options=None, *, progress=None, should_stop=None, **kw):
        progress(3, 7, "align")
        release.wait(30)
        return real(articles, options, progress=progress, should_stop=should_stop, **kw)

    monkeypatch.setattr(reader.folder.matrix, "build_matrix", slow_build)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        label = app.screen.query_one("#matrix-load-label")
        for _ in range(200):  # until the worker's progress message has been handled
            if "3/7" in str(label.render()):
                break
            await pilot.pause()
        assert "Aligning" in str(label.render()) and "3/7" in str(label.render())
        assert not app.screen.query_one(HeatTable).display
        await pilot.press("escape", "j", "d")  # the rest of the app works meanwhile
        for _ in range(200):
            if app.screen.alignment is not None:
                break
            await pilot.pause()
        assert isinstance(app.screen, DiffScreen) and app.screen.alignment is not None
        assert app.matrix is None
        release.set()
        await settle(pilot)
        assert app.matrix is not None
        await pilot.press("escape", "m")
        await settle(pilot)
        assert app.screen.query_one(HeatTable).row_count == 3


@run_async
async def test_matrix_cells_fill_in_while_pairs_are_aligned(tmp_path, monkeypatch):
    """The table is there after the first aligned pair, with that pair's real values, and
    keys work on it; cells of pairs aligned later fill in; the finished matrix replaces it."""
    import reader.folder.matrix

    release = threading.Event()
    real = reader.folder.matrix.build_matrix

    def gated_build(articles, options=None, *, partial=None, **kw):
        def first_then_wait(matrix, pairs):
            partial(matrix, pairs)
            release.wait(30)          # hold the build after its first partial matrix

        return real(articles, options, partial=first_then_wait, **{**kw, "partial_seconds": 0})

    monkeypatch.setattr(reader.folder.matrix, "build_matrix", gated_build)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        table = app.screen.query_one(HeatTable)
        for _ in range(300):
            if app.matrix_partial is not None and table.row_count:
                break
            await pilot.pause()
        assert app.matrix is None and table.display and table.row_count == 3
        expected = build_matrix(app.articles)
        first = [p for p in ((a, b) for a in range(3) for b in range(3) if a < b)
                 if app.matrix_partial.cell(*p).total > 0]
        assert len(first) == 1                              # one pair aligned so far ...
        a, b = first[0]
        assert _cell_text(table, a, b) == f"{round(100 * expected.cell(a, b).total)}%"
        others = [(x, y) for x in range(3) for y in range(3) if x != y and {x, y} != {a, b}
                  and expected.cell(x, y).total > 0]
        assert others and all(_cell_text(table, x, y) == "·" for x, y in others)   # ... the rest not yet
        assert "fill in" in str(app.screen.query_one("#matrix-load-label").render())
        await pilot.press("j", "l")                         # the cursor moves meanwhile
        assert "may grow" in str(app.screen.query_one("#matrix-cell").render())
        release.set()
        await settle(pilot)
        assert app.matrix is not None and app.matrix_partial is None
        assert not app.screen.query_one("#matrix-loading").display
        for x, y in others:
            assert _cell_text(table, x, y) == f"{round(100 * expected.cell(x, y).total)}%"


@run_async
async def test_matrix_is_in_help_and_palette(tmp_path):
    from reader.tui.screens.help_screen import KEYS, help_content

    assert "Folder matrix" in str(help_content())
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        titles = " ".join(c.title for c in app.get_system_commands(app.screen))
        await settle(pilot)
        assert "(m)" in titles and "(S)" in titles
        await _open_matrix(pilot)
        titles = " ".join(c.title for c in app.get_system_commands(app.screen))
        for where, k, _what, action in KEYS:
            if action and action != "quit" and (where == "all" or "matrix" in where.split()):
                assert f"({k})" in titles, k
        await pilot.press("escape")
        assert isinstance(app.screen, ArticleListScreen)


def test_source_note_and_gutter_say_where_a_sentence_came_from_or_that_dates_cannot_tell():
    from reader.tui.analysis import Echo
    from reader.tui.matrix_view import source_note

    name = {0: "#1 000", 1: "#2 001", 4: "#5 004"}.get
    came = Echo("copied", [0, 4], [], verdict="earliest", candidates=[0], source=0)
    assert source_note(came, 1, name) == "from #1 000 (earliest date)"
    assert gutter_text(came, 1) == "= ←1 5"  # the source first, not repeated
    first = Echo("changed", [], [1], verdict="earliest", candidates=[0], source=0)
    assert source_note(first, 0, name).startswith("likely source: this article")
    assert gutter_text(first, 0) == "~ → 2"
    tie = Echo("copied", [4], [], verdict="same date", candidates=[1, 4], source=None)
    assert source_note(tie, 1, name) == "source unclear: same date (#2 001, #5 004)"
    assert gutter_text(tie, 1) == "= ? 5"
    undated = Echo("copied", [0], [], verdict="undated", candidates=[0, 1], source=None)
    assert source_note(undated, 1, name).startswith("source unclear: not every article has a date")
    plain = Echo("copied", [0, 2, 3, 4], [])  # pairwise echoes: no verdict, no marker
    assert source_note(plain, 1, name) == "" and gutter_text(plain) == "= 1 3 4 +1"


def test_big_folders_fill_the_matrix_in_less_often():
    """A redraw of the table costs about one cell's drawing per column of each visible row."""
    from reader.tui.app_folder import MATRIX_PARTIAL_SECONDS, partial_seconds

    assert partial_seconds(5) == partial_seconds(50) == MATRIX_PARTIAL_SECONDS
    assert partial_seconds(500) == 10 * MATRIX_PARTIAL_SECONDS


# -- the grid at scale: a synthetic matrix of the real class, few non-empty cells -------------
def _synthetic(n: int, names=None):
    """A `FolderMatrix` of `n` articles, each sharing with three others (no sentences, so
    every "elsewhere" is 0%): big enough that a DataTable of it took seconds."""
    from reader.folder.matrix import Cell, FolderMatrix
    from reader.model import Article

    names = names or [f"art{k:04}" for k in range(n)]
    cells = {(a, b): Cell(copied=((a + b) % 97 + 1) / 100)
             for a in range(n) for b in ((a * 7 + d) % n for d in (1, 2, 3)) if b != a}
    return FolderMatrix([Article(path=f"/f/{names[k]}.txt", text="") for k in range(n)], cells, [[] for _ in range(n)])


def _grid_app(m, order=None):
    from textual.app import App

    class GridApp(App):
        def compose(self):
            yield HeatTable(id="heat")

        def on_mount(self):
            self.query_one(HeatTable).fill(m, order if order is not None else list(range(len(m.articles))))
            self.query_one(HeatTable).focus()

    return GridApp()


def _drawn(table: HeatTable, row: int, column: int) -> str:
    """The text drawn where `cell_region` says the cell (row, column) is now."""
    region, view = table.cell_region(row, column), table.scrollable_content_region  # not under a scrollbar
    assert 0 < region.y < view.height and table._label_width <= region.x and region.right <= view.width
    return table.render_line(region.y).text[region.x:region.right].strip()


@run_async
async def test_a_2000_article_matrix_fills_and_resorts_at_once():
    """4,000,000 cells: the grid costs the order and the visible lines, not the cells (a
    DataTable took seconds per fill and re-sort at 1,000 articles)."""
    import time

    n = 2000
    m = _synthetic(n)
    app = _grid_app(m)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(HeatTable)
        assert table.row_count == n and table.virtual_size.height == n + 1
        await pilot.press("j", *["l"] * 7)
        before = table.pair_at_cursor()
        assert before == (1, 8) and before in m.cells  # a hot cell
        for order in (list(reversed(range(n))), sorted(range(n), key=lambda a: (a % 10, a)), list(range(n))):
            start = time.perf_counter()
            table.fill(m, order)
            await pilot.pause()  # drawn too
            assert time.perf_counter() - start < 5.0
            assert table.pair_at_cursor() == before and table.article_order == order
            row, column = table.cursor_coordinate
            assert _drawn(table, row, column) == table.cell_text(*before) == f"{round(100 * m.cell(*before).total)}%"
        table.fill(m, list(reversed(range(n))))
        await pilot.pause()
        assert table.render_line(table.cursor_row + 1 - round(table.scroll_y)).text.split()[0] == "#2"


@run_async
async def test_keys_move_the_cursor_and_scroll_the_grid_under_sticky_labels():
    n = 2000
    m = _synthetic(n)
    app = _grid_app(m)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(HeatTable)
        assert table.cursor_coordinate == (0, 1) and (table.scroll_x, table.scroll_y) == (0, 0)
        await pilot.press(*["l"] * 30, *["j"] * 40)
        assert table.cursor_coordinate == (40, 31) and table.pair_at_cursor() == (40, 31)
        assert table.scroll_x > 0 and table.scroll_y > 0  # scrolled to keep the cursor in view
        header, label = table.render_line(0).text, table.render_line(40 + 1 - round(table.scroll_y)).text
        assert "#32" in header and "#1 " not in header and label.split()[:2] == ["#41", "art0040"]
        assert _drawn(table, 40, 31) == table.cell_text(40, 31)
        await pilot.press("k", "h")
        assert table.pair_at_cursor() == (39, 30) and _drawn(table, 39, 30) == table.cell_text(39, 30)
        top = round(table.scroll_y)
        await pilot.press("pagedown")
        page = table.scrollable_content_region.height - 2
        assert table.cursor_row == 39 + page and round(table.scroll_y) == top + page
        assert _drawn(table, 39 + page, 30) == table.cell_text(39 + page, 30)
        await pilot.press("pageup", "pageup")
        assert table.cursor_row == max(0, 39 - page)
        await pilot.press("end")  # the "elsewhere" column
        assert table.pair_at_cursor() == (table.cursor_row, None) and _drawn(table, table.cursor_row, n) == "0%"
        await pilot.press("h")
        region = table.cell_region(table.cursor_row, n)  # "elsewhere" is wider than a cell
        await pilot.click(HeatTable, offset=(region.right - 1, region.y))
        assert table.cursor_column == n
        await pilot.press("ctrl+end", "home")
        assert table.cursor_coordinate == (n - 1, 0) and round(table.scroll_x) == 0
        await pilot.press("ctrl+home", "l", "l")  # (0, 2), a hot cell; then a click on (0, 3)
        assert table.pair_at_cursor() == (0, 2) and _drawn(table, 0, 2) == table.cell_text(0, 2) != "·"
        region = table.cell_region(0, 3)
        await pilot.click(HeatTable, offset=(region.x + 1, region.y))
        assert table.pair_at_cursor() == (0, 3) and round(table.scroll_y) == 0
        await pilot.click(HeatTable, offset=(2, region.y + 5))  # a row label: that row, same column
        assert table.pair_at_cursor() == (5, 3)


@run_async
async def test_hostile_article_names_are_drawn_inert_in_the_grid():
    """Names come from anywhere: escapes are made visible, markup is drawn as written."""
    names = ["[bold]x\x1b[2J\x1b]0;pwned\x07", "\u202eevil", "plain"]
    m = _synthetic(3, names)
    app = _grid_app(m)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(HeatTable)
        lines = [table.render_line(y).text for y in range(table.size.height)]
        text = "\n".join(lines)
        for ch in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert ch not in text
        assert lines[1].startswith(" #1 [bold]x") and "#3 plain" in lines[3]
        assert all(len(x) == table.size.width for x in lines)  # each label fitted to its column
        assert table._label_width == 1 + 18  # the longest name is cut to 18 cells
