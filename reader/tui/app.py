"""ReaderApp: owns the folder's data and the workers; screens draw and forward keys.

Loading and aligning run in thread workers that only post messages (`messages.py`);
the handlers here update state and tell the visible screen to redraw.  The list
grows as the files are loaded (a reopened folder is one cache record, a new one is
cleaned in helper processes on both cores: `app_loading`, `reader.folder.loading`); share bars against the
reference fill in afterwards, in the background (`app_shares`), so a folder of
hundreds of articles opens at once.

Each alignment and each chunk of cleaning runs in a helper process (`offload.py`)
that the worker waits for: escape, stepping on or q kill it at once, however long
the input makes it.  The worker threads are daemons, so nothing left running keeps q
from exiting.
"""
from __future__ import annotations

import asyncio
import importlib
import threading
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ..fileio import WriteError, check_target
from ..inert import inert
from ..loading import Skipped
from .app_adding import AddingMixin
from .app_folder import FolderMixin
from .app_loading import LoadingMixin
from .app_shares import SharesMixin
from .config import UserConfig
from .messages import ArticlesLoaded, LoadProgress, Share
from .offload import Cancelled, DaemonThreads, HelperFailed, Offloader, one_line
from .screens.list_screen import ArticleListScreen
from .theme_files import DEFAULT_THEME, VARIABLE_DEFAULTS, load_themes, theme_dirs

CACHE_WRITE_WAIT = 3.0     # seconds q waits for a complete folder to be written to the cache


class ReaderApp(LoadingMixin, SharesMixin, AddingMixin, FolderMixin, App):
    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("t", "cycle_theme", "Theme"),
        Binding("S", "toggle_semantic", "Mode"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]

    def __init__(self, paths: list[str], rules: list | None = None, theme: str | None = None,
                 config_dir: str | Path | None = None, theme_paths: list[Path] | None = None,
                 semantic: bool | None = None, library: str | Path | None = None):
        super().__init__()
        self.requested_library = library  # --library FILE; None: the config's, else the user's
        self.requested_semantic = semantic  # --semantic / --no-semantic; None: the settings decide
        self.paths = [str(p) for p in paths]
        self.rules = rules
        self.requested_theme = theme
        self.config = UserConfig(config_dir)
        self.theme_paths = theme_paths if theme_paths is not None else theme_dirs(self.config.folder)
        self.articles: list = []
        self.skipped: list[Skipped] = []
        self.reference = 0
        self.marked: set[int] = set()
        self.shares: dict[int, Share] = {}
        self.share_generation = 0
        self.loaded = False  # every file of the folder has been tried
        self.cache_written = threading.Event()  # the load worker is done (the cache written)
        self.cache_written.set()
        self.offloader = Offloader()  # alignments run in helper processes that escape / q can kill
        self._init_folder_state()  # alignment mode (from the settings) and its AlignmentCache
        self.reader_themes: list[str] = []
        self.theme_problems: list[str] = []
        self._saved_theme: str | None = None
        self._list_stale = False  # bars need redrawing (theme changed while another screen showed)
        self._opening = None  # (cache, future of `open_folder`) started by `on_load`

    # -- start-up ---------------------------------------------------------------------------
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def get_default_screen(self) -> Screen:
        return ArticleListScreen()

    def on_load(self) -> None:
        # before any worker starts: thread workers must never keep the process alive after q
        executor = DaemonThreads()
        asyncio.get_running_loop().set_default_executor(executor)
        self._opening = self._start_opening(executor)
        # The theme is chosen before the first screen is composed: set after it (on mount), it
        # made Textual parse and apply the whole stylesheet twice (~60 ms of a warm start).
        self._setup_themes()

    def on_mount(self) -> None:
        self._report_setup_problems()
        # the list screen starts `load_folder` once it is composed, so results have a home

    def on_unmount(self) -> None:
        if self.loaded:  # the list is complete: let the loader finish writing it to the cache
            self.cache_written.wait(CACHE_WRITE_WAIT)
        self.offloader.close()  # kills any alignment still running

    # -- untrusted text: the last line of defence (each view makes its own text inert too) --
    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notice, inert and never markup: names, paths and reasons come from the files.

        (Screens' `notify` lands here too; the app writes no markup in its notices.)
        """
        super().notify(inert(str(message)), title=inert(str(title), line=True), severity=severity,
                       timeout=timeout, markup=False)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header line, inert: screens put article names in their sub-titles."""
        return super().format_title(inert(title, line=True), inert(sub_title, line=True))

    def _setup_themes(self) -> None:
        themes, problems = load_themes(self.theme_paths)
        for t in themes:
            self.register_theme(t)
        self.reader_themes = [t.name for t in themes]
        self.theme_problems = [p.message() for p in problems]
        wanted = [self.requested_theme, self.config.theme, DEFAULT_THEME,
                  self.reader_themes[0] if self.reader_themes else None]
        chosen = next((n for n in wanted if n and n in self.available_themes), self.theme)
        self._saved_theme = chosen
        self.theme = chosen
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _report_setup_problems(self) -> None:
        """Broken theme files, an unusable settings file, an unknown --theme or alignment
        mode: said once the screen is up to show the notices."""
        for message in self.theme_problems:
            self.notify(message, title="Broken theme", severity="error", timeout=8)
        if self.config.problem:
            self.notify(self.config.problem, severity="warning", timeout=8)
        self._report_mode_problem()
        if self.requested_theme and self.requested_theme not in self.available_themes:
            self.notify(f"No theme named {self.requested_theme!r}; "
                        f"available: {', '.join(self.reader_themes)}", severity="warning")

    def _remember_theme(self, theme) -> None:
        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        problem = self.config.set_theme(theme.name)
        if problem:
            self.notify(problem, severity="warning")
        if isinstance(self.screen, ArticleListScreen) and self.articles:
            self.screen.refill()  # the bars hold colours resolved from the theme
        else:
            self._list_stale = True

    def on_load_progress(self, msg: LoadProgress) -> None:
        self.list_screen.show_progress(msg.done, msg.total, msg.path)

    def on_articles_loaded(self, msg: ArticlesLoaded) -> None:
        first = len(self.articles)
        self.articles.extend(msg.articles)
        self.skipped.extend(msg.skipped)
        if msg.articles:
            self.list_screen.show_articles(first, msg.total, loading=not msg.done)
        if not msg.done:
            return
        self.loaded = True
        if not self.articles:
            self.exit(return_code=1)
            return
        if self.skipped:
            self.notify("\n".join(inert(s.message(), line=True) for s in self.skipped[:5])
                        + (f"\n… and {len(self.skipped) - 5} more" if len(self.skipped) > 5 else ""),
                        title=f"{len(self.skipped)} file(s) skipped", severity="warning", timeout=8, markup=False)
        self.list_screen.loading_done()
        # once the complete list is drawn: the bars' workers would otherwise compete with that frame
        self.call_after_refresh(self.compute_shares, self.share_generation)

    @property
    def list_screen(self) -> ArticleListScreen:
        return self.screen_stack[0]

    # -- requests from screens ------------------------------------------------------------------
    def set_reference(self, index: int) -> None:
        if index == self.reference:
            self.notify(f"#{index + 1} is already the reference", timeout=2)
            return
        self.reference = index
        self.share_generation += 1
        self.shares = {}
        self.list_screen.refill()
        self.compute_shares(self.share_generation)
        self.notify(f"Reference: #{index + 1} {inert(self.articles[index].name, line=True)}", timeout=3, markup=False)

    def toggle_mark(self, index: int) -> None:
        self.marked ^= {index}
        self.list_screen.show_marks([index])
        self.list_screen.update_subtitle()

    def clear_marks(self) -> None:
        old, self.marked = self.marked, set()
        self.list_screen.show_marks(old)
        self.list_screen.update_subtitle()

    def diff_pair(self, selected: int) -> tuple[int, int] | None:
        """Which two articles `d` compares: the one marked article, else the reference."""
        if len(self.marked) > 1:
            self.notify("Mark just one article to diff it against the selected one "
                        f"({len(self.marked)} are marked; escape clears marks)", severity="warning")
            return None
        left = next(iter(self.marked)) if self.marked else self.reference
        if left == selected:
            other = "marked article" if self.marked else "reference"
            self.notify(f"The selected article is the {other}: select another one to compare",
                        severity="warning", timeout=3)
            return None
        return left, selected

    def open_library(self) -> None:
        """`L`: check the folder against the library (`--library`, the config's, the user's)."""
        from .library_view import library_path
        from .screens.library_screen import LibraryScreen

        if not self.loaded:
            self.notify("Still loading the folder…", severity="warning", timeout=3)
            return
        self.push_screen(LibraryScreen(library_path(self.requested_library, self.config.library)))

    # The other screens are imported when first opened: start-up loads only the list's code.
    def open_reader(self, index: int) -> None:
        from .screens.reader_screen import ReaderScreen

        self.push_screen(ReaderScreen(index))

    def open_diff(self, left: int, right: int) -> None:
        from .screens.diff_screen import DiffScreen

        self.push_screen(DiffScreen(left, right))

    def step_article(self, current: int, forward: bool, skip: int | None = None) -> int | None:
        n = len(self.articles)
        for k in range(1, n):
            cand = (current + k) % n if forward else (current - k) % n
            if cand != skip:
                return cand if cand != current else None
        return None

    def pop_screen(self):
        result = super().pop_screen()
        if self._list_stale and len(self.screen_stack) == 1:
            self._list_stale = False
            self.list_screen.refill()
        return result

    # -- export -------------------------------------------------------------------------------------
    @work(exclusive=True, group="export")
    async def export_diff(self, left: int, right: int) -> None:
        """Ask for a path and write the pair's HTML page; any failure is one line that says why.

        `save_html` raises WriteError with the reason (`write_html`, for the command
        line, prints it on stderr, which the app's screen would never show).
        """
        from .screens.export_screen import ConfirmScreen, ExportPathScreen

        try:
            html = importlib.import_module("reader.export.html")
        except ImportError:
            self.notify("HTML export is not available yet in this build of reader.",
                        title="Export", severity="warning")
            return
        la, ra = self.articles[left], self.articles[right]
        default = f"reader-{la.stem}-{ra.stem}.html"
        answer = await self.push_screen_wait(ExportPathScreen(inert(default, line=True)))
        if not answer:
            self.notify("Export cancelled", timeout=2)
            return
        target = Path(answer).expanduser()
        shown = inert(str(target), line=True)
        if target.is_dir():
            self.notify(f"{shown} is a folder; give a file name", severity="error", markup=False)
            return
        if target.exists() and not await self.push_screen_wait(ConfirmScreen(f"{shown} exists. Overwrite it?")):
            self.notify("Export cancelled; nothing written", timeout=2)
            return
        try:
            check_target(target, [a.path for a in self.articles])  # never a FIFO or device, nor an article
            al = await asyncio.to_thread(self.cache.get, la, ra)
            save = getattr(html, "save_html", None)
            if save is not None:
                await asyncio.to_thread(save, al, str(target))
            else:  # an export module without save_html: only a status to go on
                code = await asyncio.to_thread(html.write_html, al, str(target))
                if code:
                    raise WriteError(f"{target}: not written (status {code})")
        except Cancelled:
            return  # the app is leaving
        except (OSError, WriteError, HelperFailed) as e:
            self._export_failed(str(e) if not isinstance(e, OSError) else f"{target}: {e.strerror or e}")
            return
        except Exception as e:  # noqa: BLE001 - a bug in rendering: say it, do not crash the app
            self._export_failed(f"{type(e).__name__}: {e}")
            return
        self.notify(inert(f"Wrote {target.resolve()}", line=True), title="Exported", timeout=6, markup=False)

    def _export_failed(self, reason: str) -> None:
        self.notify(inert(one_line(reason, limit=300), line=True), title="Export failed", severity="error",
                    timeout=10, markup=False)

    # -- app-wide actions ---------------------------------------------------------------------------
    def action_cycle_theme(self) -> None:
        names = self.reader_themes or [self.theme]
        nxt = names[(names.index(self.theme) + 1) % len(names)] if self.theme in names else names[0]
        self.theme = nxt
        self.notify(f"Theme: {nxt}", timeout=2)

    def action_help(self) -> None:
        from .screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen):
        from .screens.help_screen import KEYS

        yield from super().get_system_commands(screen)
        kind = {"list": "list", "reader": "reader", "diff": "diff", "matrix": "matrix",
                "library": "library"}.get(screen.id or "", "")
        seen = set()
        for where, keys, what, action in KEYS:
            if action is None or action in {"quit"} or action in seen:
                continue
            if where != "all" and kind not in where.split():
                continue
            seen.add(action)
            target = self if where == "all" else screen
            yield SystemCommand(f"{what[0].upper()}{what[1:]} ({keys})", f"key: {keys}",
                                partial(self.run_action, action, target))
        if kind in ("reader", "diff"):
            for action, title in (("jump(True)", "Next changed or added sentence (])"),
                                  ("jump(False)", "Previous changed or added sentence ([)"),
                                  ("step(True)", "Next article (n)"), ("step(False)", "Previous article (p)")):
                yield SystemCommand(title, "key: " + title[-2], partial(self.run_action, action, screen))
