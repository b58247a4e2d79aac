"""`L`: the open folder checked against the standing library (`reader.library`).

For each article, which library documents (wire copy, press releases, past coverage)
it reuses and how much, as `reader library check` says it; the highlighted article's
passages below.  The check runs in this screen's thread worker, a few articles per
helper process (`library_view.check_chunk`), two chunks at once: rows appear in
folder order as they are checked, the list behind stays usable, and escape leaves
at once (the worker is cancelled with the screen and its helpers are killed).
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, ProgressBar, Static
from textual.worker import get_current_worker

from ..library_view import (CHECK_REMOTE, CHUNK, Opened, check_chunk, empty_message, missing_message,
                            open_library, passage_lines, pct, result_row)
from ..offload import Cancelled, one_line
from ..safe_text import line, plain
from ..widgets.fitting_footer import FittingFooter

CHUNK_SECONDS = 300.0  # a chunk of articles that takes longer is given up (said on its rows)
JOBS = 2               # chunks checked at once, each in its own helper process
STATUS_STYLE = {"document": "bold", "passage": "", "source": "italic dim"}


class LibraryOpened(Message):
    def __init__(self, opened: Opened):
        super().__init__()
        self.opened = opened


class LibraryChecked(Message):
    """Results for `articles[first:first + len(results)]`; `failed` instead when the chunk failed."""

    def __init__(self, first: int, results: list, failed: str | None = None, count: int = 0):
        super().__init__()
        self.first, self.results, self.failed, self.count = first, results, failed, count


class LibraryFailed(Message):
    """No check at all: `reason` is one line for the status (no library, damaged, busy)."""

    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason


def _cut(text: str, width: int) -> str:
    text = " ".join(line(text).split())
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


class LibraryScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "passages", "Passages"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self, path: Path):
        super().__init__(id="library")
        self.path = path
        self.opened: Opened | None = None
        self.results: dict[int, object] = {}
        self.failures: dict[int, str] = {}
        self.done = False
        self.widths = {"title": 36, "best": 36}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(f"Opening the library {self.path}…"), id="library-status")
        yield ProgressBar(id="library-bar", show_eta=False)
        yield DataTable(id="library-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="library-passages-pane"):
            yield Static(id="library-passages")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = line(f"library check · {self.path}")
        table = self.query_one(DataTable)
        # the two text columns share what the numbers leave, so every column fits at 80 columns
        room = max(24, self.app.size.width - (4 + 6 + 6 + 7) - 2 * 6 - 2)
        self.widths = {"title": room // 2, "best": room - room // 2}
        for key, label, width in (("n", "#", 4), ("title", "Article", self.widths["title"]),
                                  ("docs", "Reuses", 6), ("best", "Best library document", self.widths["best"]),
                                  ("copied", "Copied", 6), ("changed", "Changed", 7)):
            table.add_column(label, key=key, width=width)
        table.display = False
        self.query_one("#library-passages-pane").display = False
        self.check_folder()

    # -- the worker -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library")
    def check_folder(self) -> None:
        from ...library import LibraryError, LibraryMissing

        worker = get_current_worker()
        stop = lambda: worker.is_cancelled  # noqa: E731
        try:
            opened = open_library(self.path)
        except LibraryMissing:
            self.post_message(LibraryFailed(missing_message(self.path)))
            return
        except LibraryError as e:
            self.post_message(LibraryFailed(str(e)))
            return
        except Exception as e:  # noqa: BLE001 - sqlite3.Error and the like: one line, never a traceback
            self.post_message(LibraryFailed(one_line(f"library {self.path}: {type(e).__name__}: {e}")))
            return
        self.post_message(LibraryOpened(opened))
        if not opened.documents:
            return
        articles = list(self.app.articles)
        options = self.app.cache.options
        starts = list(range(0, len(articles), CHUNK))
        pending: list[tuple[int, Future]] = []
        pool = ThreadPoolExecutor(max_workers=JOBS, thread_name_prefix="reader-library")
        try:
            while starts or pending:
                while starts and len(pending) < JOBS:
                    first = starts.pop(0)
                    chunk = articles[first:first + CHUNK]
                    pending.append((first, pool.submit(self._check, chunk, opened, options, stop)))
                first, fut = pending.pop(0)  # in folder order: rows appear in the list's order
                try:
                    results = fut.result()
                except Cancelled:
                    return
                except Exception as e:  # noqa: BLE001 - HelperFailed, a bug: said on the chunk's rows
                    if stop():
                        return
                    n = min(CHUNK, len(articles) - first)
                    self.post_message(LibraryChecked(first, [], failed=one_line(str(e)), count=n))
                    continue
                if stop():
                    return
                self.post_message(LibraryChecked(first, results, count=len(results)))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _check(self, chunk: list, opened: Opened, options, stop) -> list:
        """One chunk in a helper process (killed on escape); here when none can start or in
        semantic mode, whose model is loaded once in this process."""
        offloader = self.app.offloader
        if options.semantic:
            return check_chunk(chunk, opened.path, options, opened.documents)
        try:
            return offloader.call(CHECK_REMOTE, (chunk, opened.path, options, opened.documents), stop,
                                  CHUNK_SECONDS)
        except OSError:
            return check_chunk(chunk, opened.path, options, opened.documents)

    # -- results ------------------------------------------------------------------------------
    def on_library_failed(self, msg: LibraryFailed) -> None:
        self.done = True
        self.query_one("#library-bar").display = False
        self.query_one("#library-status", Static).update(plain(msg.reason, "bold $warning"))

    def on_library_opened(self, msg: LibraryOpened) -> None:
        self.opened = msg.opened
        if not msg.opened.documents:
            self.done = True
            self.query_one("#library-bar").display = False
            self.query_one("#library-status", Static).update(plain(empty_message(msg.opened), "bold $warning"))
            return
        table = self.query_one(DataTable)
        table.display = True
        self.query_one("#library-passages-pane").display = True
        table.focus()
        self.call_after_refresh(table.focus)  # again once it is displayed
        self._status()

    def on_library_checked(self, msg: LibraryChecked) -> None:
        table = self.query_one(DataTable)
        articles = self.app.articles
        for k in range(msg.count):
            i = msg.first + k
            art = articles[i]
            title_w, best_w = self.widths["title"], self.widths["best"]
            cells = [Text(str(i + 1), style="dim", justify="right"), Text(_cut(art.display_title, title_w))]
            if msg.failed is not None:
                self.failures[i] = msg.failed
                cells += [Text("?", justify="right"), Text(_cut(f"could not check: {msg.failed}", best_w), style="italic"),
                          Text(""), Text("")]
            else:
                result = msg.results[k]
                self.results[i] = result
                row = result_row(result)
                more = "+" if row.more else ""
                cells += [Text(f"{row.documents}{more}", justify="right", style="bold" if row.documents else "dim"),
                          Text(_cut(row.best, best_w) if row.documents else "—", style="" if row.documents else "dim"),
                          Text(pct(row.copied) if row.documents else "", style="bold", justify="right"),
                          Text(pct(row.changed) if row.documents else "", justify="right")]
            table.add_row(*cells, key=str(i))
        if table.row_count == msg.count:  # the first rows: show the first article's passages
            self._show_passages(msg.first)
        self._status()

    def _status(self) -> None:
        opened = self.opened
        if opened is None:
            return
        total = len(self.app.articles)
        done = len(self.results) + len(self.failures)
        reusing = sum(1 for r in self.results.values() if r.matches)
        bar = self.query_one("#library-bar", ProgressBar)
        where = f"{opened.path} ({opened.documents} document{'s' if opened.documents != 1 else ''})"
        if done < total:
            bar.update(total=total, progress=done)
            text = f"Checking {done}/{total} articles against {where}…  {reusing} reuse library text so far"
        else:
            self.done = True
            bar.display = False
            text = (f"{total} articles checked against {where}: {reusing} reuse library text"
                    + (f"; {len(self.failures)} could not be checked" if self.failures else ""))
        self.query_one("#library-status", Static).update(plain(text))

    def _show_passages(self, index: int | None) -> None:
        out = self.query_one("#library-passages", Static)
        if index is None:
            out.update("")
            return
        art = self.app.articles[index]
        parts: list = [plain(f"#{index + 1} {art.display_title}", "bold"), "\n"]
        if index in self.failures:
            parts.append(plain(f"could not check: {self.failures[index]}", "italic"))
        elif index in self.results:
            result = self.results[index]
            if not result.matches:
                parts.append(Content.styled("Reuses no library document.", "dim"))
            for pl in passage_lines(result):
                style = f"bold ${pl.status}" if pl.kind == "passage" and pl.status else STATUS_STYLE[pl.kind]
                parts += ["\n" if pl.kind == "document" else "", plain(pl.text, style), "\n"]
            if result.unexamined:
                parts.append(Content.styled(f"\n{result.unexamined} more candidate documents not examined "
                                            "(reader library check --examine raises the limit)", "dim"))
        out.update(Content.assemble(*parts))
        self.query_one("#library-passages-pane").scroll_home(animate=False)

    # -- events and actions ----------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self._show_passages(int(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_passages()

    def action_passages(self) -> None:
        """Enter: move into the passages (to scroll them); enter again goes back to the rows."""
        pane = self.query_one("#library-passages-pane")
        if not pane.display:
            return
        if pane.has_focus:
            self.query_one(DataTable).focus()
        else:
            pane.focus()

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.display and table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_back(self) -> None:
        self.app.pop_screen()
