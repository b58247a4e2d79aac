"""The app under hostile input and faults (issue 13): the folder matrix on a folder that
needs the process pool, long work that must stop at once, failed exports that say why,
and text that must never reach the terminal raw.

Each test here failed before its fix; they drive the real app with Pilot.
"""
from __future__ import annotations

import asyncio
import os
import random
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
import gen  # noqa: E402  (bench/gen.py: English-like generated sentences)
from tui_support import make_app, run_async, settle  # noqa: E402

import reader.folder.matrix  # noqa: E402
import reader.tui.analysis as analysis  # noqa: E402
from reader.align import align as real_align  # noqa: E402
from reader.tui.screens.diff_screen import DiffScreen  # noqa: E402
from reader.tui.screens.list_screen import ArticleListScreen  # noqa: E402
from reader.tui.screens.matrix_screen import MatrixScreen  # noqa: E402
from reader.tui.widgets.heat_table import HeatTable  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "env-config"))


async def _wait(pilot, condition, seconds: float = 20.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        await pilot.pause(0.02)


# -- 1. the folder matrix on a folder that needs the pool --------------------------------------
def related_folder(folder: Path, n: int, own: int = 2, seed: int = 3) -> Path:
    """`n` articles on one story: each takes half of a wire story's sentences (copied or
    lightly edited) and adds `own` of its own, so every pair shares something and is aligned."""
    rng = random.Random(seed)
    vocab = gen.vocabulary(3000, rng)
    weights = [1 / (k + 1) for k in range(len(vocab))]
    wire = [gen.sentence(rng, vocab, weights) for _ in range(6 if own < 10 else 60)]
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        body = [s if rng.random() < 0.5 else gen.edit(s, rng, vocab) for s in rng.sample(wire, len(wire) // 2)]
        body += [gen.sentence(rng, vocab, weights) for _ in range(own)]
        (folder / f"{k:03d}.txt").write_text(f"Story number {k} of the day\n\n" + gen.paragraphs(body, 2) + "\n",
                                             encoding="utf-8")
    return folder


@run_async
async def test_a_failed_matrix_build_says_why_in_one_line(tmp_path, monkeypatch):
    def broken_build(*args, **kwargs):  # as a pool worker's error arrives: a traceback's text
        raise ValueError("bad value(s) in fds_to_keep\n\nTraceback (most recent call last):\n  \x1b[2J...")

    monkeypatch.setattr(reader.folder.matrix, "build_matrix", broken_build)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        label = str(app.screen.query_one("#matrix-load-label").render())
        assert "ValueError: bad value(s) in fds_to_keep" in label and "\n" not in label.strip()
        notes = [n.message for n in app._notifications if "matrix" in n.message]
        assert notes and all("\n" not in m and "\x1b" not in m and "Traceback" not in m for m in notes)


def _fresh_resource_tracker() -> None:
    """Stop multiprocessing's resource tracker if an earlier test started it: the app must
    start it itself, from under Textual's stand-in stderr, as it does in real use."""
    from multiprocessing import resource_tracker

    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        stop()


@run_async
async def test_matrix_on_a_folder_that_needs_the_process_pool(tmp_path, monkeypatch):
    # the smallest all-related folder whose pairs exceed the pool's threshold: n(n-1)/2 > 500
    n = next(k for k in range(2, 100) if k * (k - 1) // 2 > reader.folder.matrix.PROCESS_MIN_PAIRS)
    folder = related_folder(tmp_path / "story", n)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # the pool needs two workers, whatever the machine
    used = []
    real = reader.folder.matrix._align_in_processes

    def spy(*args, **kwargs):
        used.append(len(args[1]))
        return real(*args, **kwargs)

    monkeypatch.setattr(reader.folder.matrix, "_align_in_processes", spy)
    _fresh_resource_tracker()
    app = make_app(tmp_path, paths=[folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        for _ in range(1200):  # up to a minute on a busy machine
            if app.matrix is not None or app.matrix_error:
                break
            await pilot.pause(0.05)
        assert app.matrix_error is None, app.matrix_error
        assert used and used[0] > reader.folder.matrix.PROCESS_MIN_PAIRS  # it really went through the pool
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(HeatTable)
        assert table.display and table.row_count == n
        m = app.matrix
        assert m.stats["aligned_article_pairs"] == n * (n - 1) // 2  # every pair shares a sentence
        for b in range(1, 6):  # the pool's cells are what aligning the pair here gives
            here = reader.folder.matrix.summarise(real_align(app.articles[0], app.articles[b]))
            assert m.cell(0, b) == here.left and m.cell(b, 0) == here.right


def test_q_while_the_pool_builds_the_matrix_stops_its_processes(tmp_path, monkeypatch):
    import multiprocessing

    # long articles, so that each chunk of 40 pairs keeps a worker busy for seconds
    n = next(k for k in range(2, 100) if k * (k - 1) // 2 > reader.folder.matrix.PROCESS_MIN_PAIRS)
    folder = related_folder(tmp_path / "story", n, own=300)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    quit_at = []

    async def scenario():
        app = make_app(tmp_path, paths=[folder])
        async with app.run_test(size=(120, 40)) as pilot:
            await _wait(pilot, lambda: app.loaded, 60)
            await pilot.press("m")
            await _wait(pilot, lambda: multiprocessing.active_children() and app.matrix_progress
                        and app.matrix_progress[2] == "align", 60)
            assert app.matrix is None
            quit_at.append(time.monotonic())
            await pilot.press("q")

    asyncio.run(scenario())
    while multiprocessing.active_children() and time.monotonic() - quit_at[0] < 20:
        time.sleep(0.05)
    took = time.monotonic() - quit_at[0]
    assert took < 2, f"the pool's processes ran on for {took:.1f} s after q"


# -- 2. long work stops at once -----------------------------------------------------------------
HERE = Path(__file__).parent
SLOW_FOR = "b.txt"  # only pairs whose left article is this file are slow
_release = threading.Event()


def _note_pid() -> None:
    Path(os.environ["READER_TEST_PIDFILE"]).write_text(str(os.getpid()))


def slow_align(left, right, options=None):
    """The app's align, made slow for one pair: blocks in small steps (15 s at most)."""
    if left.path.endswith(SLOW_FOR):
        _note_pid()
        for _ in range(300):
            if _release.is_set():
                break
            time.sleep(0.05)
    return real_align(left, right, options)


def slow_align_fields(left, right, options):
    """The same stand-in for the app's helper process (`AlignmentCache.REMOTE`)."""
    slow_align(left, right, options)
    return analysis.align_fields(left, right, options)


def repeated_folder(folder: Path) -> Path:
    """Three copies of one sentence repeated 200 times (the issue's hostile pair)."""
    folder.mkdir(parents=True, exist_ok=True)
    line = "The minister said the new budget would raise taxes on large companies next year. "
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(f"Budget story {name}\n\n" + line * 200 + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def slow_pair(tmp_path, monkeypatch):
    """The app's alignment made slow for (b, c), in the app's thread and in its helper process."""
    pidfile = tmp_path / "slow.pid"
    monkeypatch.setenv("READER_TEST_PIDFILE", str(pidfile))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), str(HERE.parent / "bench"),
                                                       os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setattr(analysis, "align", slow_align)
    monkeypatch.setattr(analysis.AlignmentCache, "REMOTE", "test_tui_hostile:slow_align_fields", raising=False)
    _release.clear()
    yield pidfile
    _release.set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead: reap it if it is our child
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


async def _start_slow_diff(pilot, pidfile: Path) -> None:
    """Mark b, select c, press d: the diff (b, c) starts aligning and does not finish."""
    app = pilot.app
    await _wait(pilot, lambda: app.loaded and len(app.shares) == 2)
    await pilot.press("j", "space", "j", "d")
    assert isinstance(app.screen, DiffScreen) and (app.screen.left, app.screen.right) == (1, 2)
    await _wait(pilot, pidfile.exists)
    assert app.screen.alignment is None and "Aligning" in str(app.screen.query_one("#diff-summary").render())


def test_escape_during_a_long_align_returns_at_once_and_stops_the_work(tmp_path, slow_pair):
    async def scenario():
        app = make_app(tmp_path, paths=[repeated_folder(tmp_path / "rep")])
        async with app.run_test(size=(120, 40)) as pilot:
            await _start_slow_diff(pilot, slow_pair)
            t = time.monotonic()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ArticleListScreen) and time.monotonic() - t < 1.0
            pid = int(slow_pair.read_text())
            end = time.monotonic() + 2.0
            while _alive(pid) and time.monotonic() < end:
                await pilot.pause(0.05)
            assert not _alive(pid), "the alignment still runs after escape"
            await pilot.press("q")

    asyncio.run(scenario())


def test_q_during_a_long_align_exits_at_once(tmp_path, slow_pair):
    pids, pressed = [], []

    async def scenario():
        app = make_app(tmp_path, paths=[repeated_folder(tmp_path / "rep")])
        async with app.run_test(size=(120, 40)) as pilot:
            await _start_slow_diff(pilot, slow_pair)
            pids.append(int(slow_pair.read_text()))
            pressed.append(time.monotonic())
            await pilot.press("q")

    asyncio.run(scenario())
    took = time.monotonic() - pressed[0]
    assert took < 3, f"q took {took:.1f} s to leave"
    assert not _alive(pids[0])


def test_q_while_loading_is_stuck_exits_at_once(tmp_path, monkeypatch):
    import reader.tui.app_loading as app_module

    stuck = threading.Event()

    def stuck_loading(paths, rules=None, **options):
        stuck.set()
        _release.wait(15)
        yield from ()

    monkeypatch.setattr(app_module, "load_folder_batches", stuck_loading)
    _release.clear()
    took = []

    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await _wait(pilot, stuck.is_set)
            t = time.monotonic()
            await pilot.press("q")
            took.append(t)

    try:
        asyncio.run(scenario())
        assert time.monotonic() - took[0] < 3
    finally:
        _release.set()


# -- 3. a failed export says why ----------------------------------------------------------------
async def _export_to(pilot, path: str, overwrite: bool = False) -> list[str]:
    from reader.tui.screens.export_screen import ConfirmScreen, ExportPathScreen

    app = pilot.app
    await settle(pilot)
    await pilot.press("j", "d")
    await settle(pilot)
    before = len(app._notifications)
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ExportPathScreen)
    app.screen.query_one("Input").value = path
    await pilot.press("enter")
    await pilot.pause()
    if overwrite:
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
    await settle(pilot)
    return [n.message for n in list(app._notifications)[before:]]


@run_async
async def test_a_failed_export_says_why_in_one_line(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        notes = await _export_to(pilot, str(tmp_path / "no such folder" / "page.html"))
        assert any("does not exist" in m for m in notes), notes
        assert not any("status 1" in m for m in notes)
        assert all("\n" not in m for m in notes)


@run_async
async def test_export_refuses_a_fifo_and_the_articles_themselves_with_the_reason(tmp_path):
    import shutil

    from tui_support import STORY

    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    story = shutil.copytree(STORY, tmp_path / "story")  # a copy: a failing run overwrites an article
    app = make_app(tmp_path, paths=[story])
    async with app.run_test(size=(120, 40)) as pilot:
        notes = await _export_to(pilot, str(fifo), overwrite=True)
        assert any("FIFO" in m for m in notes), notes
        await pilot.press("escape")
        article = app.articles[1].path
        before = Path(article).read_bytes()
        notes = await _export_to(pilot, article, overwrite=True)
        assert any("input articles" in m for m in notes), notes
        assert Path(article).read_bytes() == before


# -- 4. terminal escapes never reach the screen raw ---------------------------------------------
OSC_TITLE, OSC_CLIP, WIPE, RLO, CSI8 = "\x1b]0;pwned\x07", "\x1b]52;c;aGVsbG8=\x07", "\x1b[2J", "\u202e", "\x9b2J"
UNSAFE = ("\x1b", "\x07", "\u202e", "\x9b")
HOSTILE_NAME = f"evil{OSC_TITLE} [bold red]x {RLO}txt.exe{WIPE}.txt"


def hostile_folder(folder: Path) -> Path:
    """The fixture story plus an article whose name, title, byline, body and noise carry
    OSC / CSI sequences, a C1 CSI and a bidi override, and an empty file with such a name."""
    import shutil

    from tui_support import STORY

    shutil.copytree(STORY, folder)
    wire = (folder / "a_wire.txt").read_text(encoding="utf-8").splitlines()
    lines = [f"Harbour bridge{OSC_TITLE} to close {RLO}for repairs", "12 March 2024", f"By Evil{WIPE} Reporter"]
    for k, line in enumerate(wire[2:]):
        lines.append(line.replace("the", f"the{OSC_CLIP}", 1) if k % 2 else line.replace(" ", f" {CSI8}", 1))
    lines.append(f"READ ALSO: Bridge{OSC_TITLE} news [bold]x")
    (folder / HOSTILE_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / f"empty{OSC_TITLE}.txt").write_text("", encoding="utf-8")
    return folder


def screen_text(app) -> str:
    """What the screen shows now: every cell of every line, as the terminal would get it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def assert_inert(app, where: str) -> None:
    text = screen_text(app)
    for ch in UNSAFE:
        assert ch not in text, f"{where}: {ch!r} reaches the screen"
    for n in app._notifications:
        for ch in UNSAFE:
            assert ch not in n.message and ch not in (n.title or ""), f"{where}: {ch!r} in a notice"
    for s in (app.screen.title, app.screen.sub_title, app.title, app.sub_title):
        assert not any(ch in (s or "") for ch in UNSAFE), f"{where}: {s!r} in a title"


@run_async
async def test_hostile_names_and_text_never_reach_the_screen_raw(tmp_path):
    from reader.tui.screens.reader_screen import ReaderScreen

    folder = hostile_folder(tmp_path / "story")
    app = make_app(tmp_path, paths=[folder])
    async with app.run_test(size=(160, 50)) as pilot:  # wide: the details pane shows too
        await settle(pilot)
        evil = next(k for k, a in enumerate(app.articles) if a.name == HOSTILE_NAME)
        assert "\x1b" in app.articles[evil].text and app.articles[evil].stripped  # the input is hostile
        assert any("empty" in s.path for s in app.skipped)
        assert_inert(app, "list")
        await pilot.press(*["j"] * evil)
        await pilot.pause()
        assert_inert(app, "list, hostile row selected")
        await pilot.press("s")
        await pilot.pause()
        assert_inert(app, "list, stripped lines")
        await pilot.press("s", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert_inert(app, "reader")
        await pilot.press("s")
        await pilot.pause()
        assert_inert(app, "reader, stripped lines")
        for _ in range(6):
            await pilot.press("j")
            await pilot.pause()
            assert_inert(app, "reader, status line")
        await pilot.press("escape", "d")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen) and app.screen.alignment is not None
        assert_inert(app, "diff")
        await pilot.press("w", "s")
        for _ in range(6):
            await pilot.press("j")
            await pilot.pause()
            assert_inert(app, "diff, why line")
        await pilot.press("e")
        await pilot.pause()
        assert_inert(app, "export dialog")
        await pilot.press("escape", "escape", "r")  # the hostile article becomes the reference: a notice
        await settle(pilot)
        assert_inert(app, "reference notice")
        assert "[bold red]x" in screen_text(app)  # in the header, as written: never read as markup
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        for key in ("j", "l", "j", "l", "l", "l"):
            await pilot.press(key)
            await pilot.pause()
            assert_inert(app, "matrix")
