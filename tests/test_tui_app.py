"""Pilot tests: every key of the app does what the help says."""
from __future__ import annotations

import sys
import types

import pytest

from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.export_screen import ConfirmScreen, ExportPathScreen
from reader.tui.screens.help_screen import HelpScreen
from reader.tui.screens.list_screen import ArticleListScreen
from reader.tui.screens.reader_screen import ReaderScreen
from reader.tui.widgets.article_table import ArticleTable
from reader.tui.widgets.row_list import RowList
from tui_support import make_app, run_async, settle


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "env-config"))


def _table(app) -> ArticleTable:
    return app.screen.query_one(ArticleTable)


@run_async
async def test_list_shows_every_article_and_bars(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ArticleListScreen)
        assert _table(app).row_count == 3
        assert set(app.shares) == {1, 2}  # every non-reference article has its bar
        assert app.shares[1].counts["copied"] >= 2


@run_async
async def test_j_k_and_arrows_move(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        t = _table(app)
        await pilot.press("j")
        assert t.cursor_row == 1
        await pilot.press("down")
        assert t.cursor_row == 2
        await pilot.press("k")
        assert t.cursor_row == 1
        await pilot.press("up")
        assert t.cursor_row == 0


@run_async
async def test_enter_opens_reader_with_echoes_and_escape_goes_back(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        echoes = app.screen.echoes
        assert echoes is not None and len(echoes) == len(app.articles[0].sentences)
        assert {e.status for e in echoes} == {"copied", "changed", "added"}
        copied = next(e for e in echoes if e.status == "copied")
        assert copied.copied_in == [1]
        await pilot.press("escape")
        assert isinstance(app.screen, ArticleListScreen)


@run_async
async def test_d_diffs_selected_against_reference(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert (screen.left, screen.right) == (0, 1)
        assert screen.alignment is not None
        rows = screen.query_one(RowList).rows
        assert {r.status for r in rows} == {"copied", "changed", "added"}
        assert any(r.item.row.moved for r in rows)


@run_async
async def test_d_on_reference_explains_instead_of_opening(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ArticleListScreen)
        assert any("reference" in n.message for n in app._notifications)


@run_async
async def test_r_changes_reference_and_recomputes_shares(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "r")
        await settle(pilot)
        assert app.reference == 2
        assert set(app.shares) == {0, 1}
        assert "reference #3" in app.screen.sub_title


@run_async
async def test_space_marks_and_d_diffs_marked_against_selected(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "space")
        assert app.marked == {2}
        await pilot.press("k", "d")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.left, app.screen.right) == (2, 1)
        await pilot.press("escape", "space")  # unmark the selected (1)... it was not marked: now marked
        assert app.marked == {1, 2}
        await pilot.press("d")
        assert isinstance(app.screen, ArticleListScreen)  # two marked: refused, explained
        await pilot.press("escape")
        assert app.marked == set()


@run_async
async def test_brackets_jump_between_changed_and_added_rows(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await settle(pilot)
        rl = app.screen.query_one(RowList)
        statuses = [r.status for r in rl.rows]
        wanted = [n for n, s in enumerate(statuses) if s in ("changed", "added")]
        await pilot.press("right_square_bracket")
        assert rl.cursor == next(n for n in wanted if n > 0)
        first = rl.cursor
        await pilot.press("right_square_bracket")
        assert rl.cursor == next(n for n in wanted if n > first)
        await pilot.press("left_square_bracket")
        assert rl.cursor == first
        assert "-cursor" in rl.rows[first].classes


@run_async
async def test_brackets_in_reader_view(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        rl = app.screen.query_one(RowList)
        await pilot.press("right_square_bracket")
        assert rl.rows[rl.cursor].status in ("changed", "added")
        assert rl.cursor > 0 or rl.rows[0].status in ("changed", "added")


@run_async
async def test_n_and_p_step_the_right_article_keeping_the_left(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert (app.screen.left, app.screen.right) == (0, 2)
        assert app.screen.alignment.right is app.articles[2]
        await pilot.press("n")  # wraps round, skipping the left article
        await settle(pilot)
        assert (app.screen.left, app.screen.right) == (0, 1)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.right == 2


@run_async
async def test_s_shows_stripped_lines_in_place(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        rl = app.screen.query_one(RowList)
        before = len(rl.rows)
        await pilot.press("s")
        await settle(pilot)
        rows = rl.rows
        stripped = [r for r in rows if r.status == "stripped"]
        assert len(rows) == before + len(app.articles[0].stripped) and stripped
        # in place: the "READ ALSO" line sits between the sentences around it in the file
        pos = next(n for n, r in enumerate(rows) if r.status == "stripped" and "READ ALSO" in r.item.stripped.text)
        starts = [app.articles[0].sentences[r.item.index].start for r in rows[:pos] if r.status != "stripped"]
        assert max(starts) < rows[pos].item.stripped.start
        await pilot.press("s")
        await settle(pilot)
        assert len(rl.rows) == before


@run_async
async def test_s_in_diff_and_list(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert app.screen.show_stripped
        await pilot.press("j", "d")
        await settle(pilot)
        n = len(app.screen.query_one(RowList).rows)
        await pilot.press("s")
        await settle(pilot)
        extra = len(app.articles[0].stripped) + len(app.articles[1].stripped)
        assert len(app.screen.query_one(RowList).rows) == n + extra


@run_async
async def test_t_cycles_themes_and_remembers(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = app.theme
        assert first == "reader-dark"
        await pilot.press("t")
        await pilot.pause()
        assert app.theme != first and app.theme in app.reader_themes
    saved = (tmp_path / "config" / "config.yaml").read_text()
    assert f"theme: {app.theme}" in saved
    again = make_app(tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == app.theme


@run_async
async def test_help_opens_with_question_mark_and_f1(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ArticleListScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


@run_async
async def test_q_quits(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


@run_async
async def test_e_without_export_module_says_not_available(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "reader.export.html", None)  # import raises ImportError
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, ExportPathScreen)
        assert any("not available yet" in n.message for n in app._notifications)


def _fake_export(monkeypatch, calls):
    mod = types.ModuleType("reader.export.html")

    def write_html(alignment, path):
        calls.append((alignment, path))
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("<html></html>")
        return 0

    mod.write_html = write_html
    monkeypatch.setitem(sys.modules, "reader.export.html", mod)


@run_async
async def test_e_asks_path_confirms_overwrite_and_writes(tmp_path, monkeypatch):
    calls = []
    _fake_export(monkeypatch, calls)
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportPathScreen)
        assert app.screen.query_one("Input").value == "reader-a_wire-b_daily.html"
        await pilot.press("enter")
        await settle(pilot)
        assert (tmp_path / "reader-a_wire-b_daily.html").exists()
        assert calls[0][0].left is app.articles[0] and calls[0][0].right is app.articles[1]
        assert any("Wrote" in n.message and "reader-a_wire-b_daily.html" in n.message for n in app._notifications)
        # again: the file exists now, so it asks; "n" keeps the file
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(calls) == 1
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert len(calls) == 2


@run_async
async def test_every_help_key_is_in_the_command_palette(tmp_path):
    from reader.tui.screens.help_screen import KEYS

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for screen_kind, keys in (("list", ()), ("diff", ("j", "d")), ("reader", ("escape", "k", "enter"))):
            await pilot.press(*keys)
            await settle(pilot)
            titles = " ".join(c.title for c in app.get_system_commands(app.screen))
            for where, k, _what, action in KEYS:
                if action and action != "quit" and (where == "all" or screen_kind in where.split()):
                    assert f"({k})" in titles, (screen_kind, k)
            if screen_kind in ("reader", "diff"):
                assert "(])" in titles and "(n)" in titles


def test_every_help_entrys_keys_fit_the_keys_column():
    """A longer key label runs into its text ("ctrl+pgdna page up"): the help is a
    two-column table drawn with spaces."""
    from reader.tui.screens.help_screen import KEY_WIDTH, KEYS

    assert [keys for _, keys, _, _ in KEYS if len(keys) >= KEY_WIDTH] == []
