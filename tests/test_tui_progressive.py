"""The share bars (issue 15): the list is usable while they are computed, and a reopened
folder gets them from the on-disk cache.

One article's alignment hangs in its helper process; every other bar arrives, the
pending one shows as dots, and the keys keep working meanwhile: moving, reading an
article, coming back, quitting at once."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from tui_support import STORY, make_app, run_async

from reader.tui import analysis
from reader.tui.screens.list_screen import ArticleListScreen

HERE = Path(__file__).parent


def slow_for_zz(left, right, options):
    """Stand-in for `AlignmentCache.REMOTE` in the helper: a pair with zz_slow.txt hangs."""
    if right.path.endswith("zz_slow.txt"):
        time.sleep(120)
    return analysis.align_fields(left, right, options)


async def _wait(pilot, condition, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        await pilot.pause(0.05)


@run_async
async def test_bars_fill_in_while_the_list_stays_usable(tmp_path, monkeypatch):
    from reader.tui.screens.reader_screen import ReaderScreen

    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(STORY / "a_wire.txt", folder / "00_wire.txt")
    for k in range(1, 9):
        shutil.copy(STORY / ("b_daily.txt", "c_weekly.txt")[k % 2], folder / f"{k:02d}.txt")
    shutil.copy(STORY / "b_daily.txt", folder / "zz_slow.txt")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setattr(analysis.AlignmentCache, "REMOTE", "test_tui_progressive:slow_for_zz")
    app = make_app(tmp_path, paths=[folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: app.loaded and len(app.shares) == 8)  # all but the hanging one
        table = app.list_screen.table
        assert table.row_count == 10 and 9 not in app.shares
        assert set(table.get_cell_at((9, 8)).plain) == {"·"}  # pending, drawn as dots
        assert set(table.get_cell_at((1, 8)).plain) == {"█"}
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("enter")
        await _wait(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.press("escape")
        await _wait(pilot, lambda: isinstance(app.screen, ArticleListScreen))
        assert 9 not in app.shares  # still computing in the background
        t = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - t < 3


@run_async
async def test_a_reopened_folder_gets_its_bars_from_the_cache_without_aligning(tmp_path, monkeypatch):
    from reader.tui.analysis import AlignmentCache

    first = make_app(tmp_path, paths=[STORY])
    async with first.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: first.loaded and len(first.shares) == 2)
        bars = {k: s.shares for k, s in first.shares.items()}
    aligned = []
    real_get = AlignmentCache.get

    def counting_get(self, left, right, *args, **kwargs):
        aligned.append(right.path)
        return real_get(self, left, right, *args, **kwargs)

    monkeypatch.setattr(AlignmentCache, "get", counting_get)
    again = make_app(tmp_path, paths=[STORY])
    async with again.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: again.loaded and len(again.shares) == 2)
        assert {k: s.shares for k, s in again.shares.items()} == bars and aligned == []
        await pilot.press("j", "r")  # another reference: not in the cache, aligned
        await _wait(pilot, lambda: len(again.shares) == 2 and aligned)
    assert sorted(p.rsplit("/", 1)[-1] for p in aligned) == ["a_wire.txt", "c_weekly.txt"]


@run_async
async def test_quitting_as_soon_as_the_list_is_complete_still_caches_the_folder(tmp_path):
    import sqlite3

    from reader.cache import CACHE_FILE
    from reader.userdirs import cache_dir

    app = make_app(tmp_path, paths=[STORY])
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: app.loaded, seconds=30)
        await pilot.press("q")
    db = sqlite3.connect(cache_dir() / CACHE_FILE)
    try:
        assert db.execute("SELECT COUNT(*) FROM folders").fetchone()[0] == 1
    finally:
        db.close()


@run_async
async def test_a_reopened_folder_is_opened_before_the_first_screen_and_a_huge_one_in_a_thread(tmp_path,
                                                                                              monkeypatch):
    """A folder up to `OPEN_HERE_FILES` files is found, keyed and read from the cache in
    `on_load`, so the list shows it in full from the first frames; a larger one is opened in
    a thread (a huge folder must not hold the first screen back) and lists all the same."""
    import threading

    from reader.tui import app_loading

    first = make_app(tmp_path, paths=[STORY])
    async with first.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: first.loaded, seconds=30)
    want = [a.path for a in first.articles]

    threads = []
    real_open = app_loading.open_folder

    def spy(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real_open(*args, **kwargs)

    monkeypatch.setattr(app_loading, "open_folder", spy)
    for limit, in_main in ((10_000, True), (0, False)):
        monkeypatch.setattr(app_loading, "OPEN_HERE_FILES", limit)
        threads.clear()
        app = make_app(tmp_path, paths=[STORY])
        async with app.run_test(size=(120, 40)) as pilot:
            await _wait(pilot, lambda: app.loaded, seconds=30)
            assert [a.path for a in app.articles] == want
            assert isinstance(app.screen, ArticleListScreen) and app.screen.table.row_count == len(want)
        assert threads == [in_main]  # opened once, where the folder's size says
