"""`L`: the open folder checked against a library built in tmp_path (reader.library).

The library holds the wire story; the folder is the fixture story (the wire copy,
a daily that reuses it, a weekly that rewrites some of it).  Also: no library, an
empty one, rows arriving in folder order while a slow chunk is still being checked
(the screen stays usable and escape kills the helper), and the pure helpers."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from tui_support import STORY, make_app, run_async, settle

from reader.library import Library, add_paths
from reader.rules import load_rules
from reader.tui.library_view import library_path, passage_lines, result_row
from reader.tui.screens.library_screen import LibraryScreen
from reader.tui.screens.list_screen import ArticleListScreen

HERE = Path(__file__).parent


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the user's real library."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path_factory.mktemp("data")))


def _library(tmp_path, *files) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library(path, create=True) as lib:
        add_paths(lib, [str(f) for f in files], load_rules(include_user=False), jobs=1)
    return path


async def _wait(pilot, condition, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        await pilot.pause(0.05)


def _status(screen) -> str:
    return str(screen.query_one("#library-status").render())


def _passages(screen) -> str:
    return str(screen.query_one("#library-passages").render())


@run_async
async def test_L_lists_what_each_article_reuses_and_shows_the_passages(tmp_path):
    lib = _library(tmp_path, STORY / "a_wire.txt")
    app = make_app(tmp_path, library=lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.path == lib
        await _wait(pilot, lambda: screen.done)
        table = screen.query_one("#library-table")
        assert table.row_count == 3
        assert "3 articles checked against" in _status(screen) and "(1 document)" in _status(screen)
        rows = {int(k): result_row(r) for k, r in screen.results.items()}
        assert rows[0].documents == 1 and rows[0].copied > 0.9  # the wire story is the library's document
        assert rows[1].documents == 1 and rows[1].copied + rows[1].changed > 0.2
        assert "a_wire" in rows[1].best or "bridge" in rows[1].best.lower()
        await pilot.press("j")  # the daily: its passages, the document's wording under changed ones
        await pilot.pause()
        text = _passages(screen)
        assert "copied" in text and "#1 " in text
        if any(p.status == "changed" for p in passage_lines(screen.results[1])):
            assert "from: " in text
        await pilot.press("enter")
        assert screen.query_one("#library-passages-pane").has_focus
        await pilot.press("enter")
        assert screen.query_one("#library-table").has_focus
        await pilot.press("escape")
        assert isinstance(app.screen, ArticleListScreen)


@run_async
async def test_no_library_an_empty_or_a_damaged_one_say_what_to_do(tmp_path):
    empty = tmp_path / "empty.sqlite"
    Library(empty, create=True).close()
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"this is not a database at all" * 100)
    for path, expected in ((tmp_path / "none.sqlite", "No library at"), (empty, "holds no documents yet"),
                           (damaged, "reader library rebuild")):
        app = make_app(tmp_path, library=path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("L")
            await _wait(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.done)
            assert expected in _status(app.screen)
            assert "reader library add" in _status(app.screen) or path == damaged
            assert not app.screen.query_one("#library-table").display
            await pilot.press("escape")
            assert isinstance(app.screen, ArticleListScreen)


def slow_check_chunk(articles, path, options, n_docs):
    """Stand-in for `library_view.check_chunk` in the helper: the chunk holding 09.txt hangs."""
    from reader.tui.library_view import check_chunk

    if any(a.path.endswith("09.txt") for a in articles):
        Path(os.environ["READER_TEST_PIDFILE"]).write_text(str(os.getpid()))
        time.sleep(120)
    return check_chunk(articles, path, options, n_docs)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


@run_async
async def test_rows_arrive_in_order_while_a_chunk_is_slow_and_escape_kills_it(tmp_path, monkeypatch):
    import reader.tui.screens.library_screen as library_screen

    folder = tmp_path / "ten"
    folder.mkdir()
    for k in range(10):
        shutil.copy(STORY / ("b_daily.txt", "c_weekly.txt")[k % 2], folder / f"{k:02d}.txt")
    lib = _library(tmp_path, STORY / "a_wire.txt")
    pidfile = tmp_path / "slow.pid"
    monkeypatch.setenv("READER_TEST_PIDFILE", str(pidfile))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setattr(library_screen, "CHECK_REMOTE", "test_tui_library:slow_check_chunk")
    app = make_app(tmp_path, paths=[folder], library=lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await pilot.pause()
        screen = app.screen
        await _wait(pilot, lambda: pidfile.exists() and screen.query_one("#library-table").row_count == 8)
        assert not screen.done and "Checking 8/10" in _status(screen)
        assert sorted(screen.results) == list(range(8))
        await pilot.press("j", "j")  # usable while the last chunk is checked
        assert screen.query_one("#library-table").cursor_row == 2
        t = time.monotonic()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ArticleListScreen) and time.monotonic() - t < 1.0
        pid = int(pidfile.read_text())
        await _wait(pilot, lambda: not _alive(pid), seconds=5)


def test_library_path_prefers_the_command_line_then_the_config(monkeypatch, tmp_path):
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    assert library_path(tmp_path / "cli.sqlite", "~/conf.sqlite") == tmp_path / "cli.sqlite"
    assert library_path(None, "~/conf.sqlite") == Path("~/conf.sqlite").expanduser()
    assert library_path(None, None) == tmp_path / "data" / "library.sqlite"


def test_result_row_and_passages_from_a_real_check(tmp_path):
    from reader.articles import load_article
    from reader.library import check_articles

    lib = _library(tmp_path, STORY / "a_wire.txt")
    daily, weekly = check_articles([load_article(STORY / "b_daily.txt"), load_article(STORY / "c_weekly.txt")], lib)
    row = result_row(daily)
    assert row.documents == 1 and row.best_id == daily.matches[0].doc.id
    assert 0 < row.copied + row.changed <= 1
    lines = passage_lines(daily)
    assert lines[0].kind == "document" and lines[0].text.startswith(f"#{row.best_id} ")
    passages = [x for x in lines if x.kind == "passage"]
    assert len(passages) == len(daily.matches[0].alignment.pairs)
    for x, nxt in zip(lines, lines[1:] + [None]):
        if x.kind == "passage" and x.status == "changed":
            assert nxt is not None and nxt.kind == "source" and nxt.text.startswith("from: ")
    assert len([x for x in passage_lines(daily, limit=1) if x.kind == "passage"]) == 1
    none = result_row(type(weekly)(weekly.article))
    assert none.documents == 0 and none.best == ""
