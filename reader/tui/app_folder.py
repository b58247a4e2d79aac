"""The app's folder-wide state: the folder matrix (`m`) and the alignment mode (`S`).

Kept apart from `app.py` so each stays readable; `ReaderApp` mixes this in.  Both
follow the app's rule: slow work (building the matrix, re-aligning in the other
mode) runs in thread workers that only post messages, and the handlers here update
the state and tell the screens on the stack to redraw (each screen decides what
that means: see the `matrix_changed` / `mode_changed` methods of the screens).
"""
from __future__ import annotations

import importlib
import os
from time import monotonic
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from .. import settings
from ..options import AlignOptions
from ..fileio import WriteError
from ..inert import inert
from .analysis import AlignmentCache
from .messages import MatrixFailed, MatrixPartial, MatrixProgress, MatrixReady
from .offload import one_line

if TYPE_CHECKING:  # reader.folder.matrix and reader.alignment.semantic load when first used: start-up stays lean
    from ..folder.matrix import FolderMatrix

MATRIX_PROGRESS_SECONDS = 0.1
MATRIX_PARTIAL_SECONDS = 1.0  # cells fill in this often while pairs are aligned (only the new pairs' cells are redrawn)
PARTIAL_ARTICLES = 50         # ... in a folder of up to this many articles; larger ones less often


def partial_seconds(articles: int) -> float:
    """How often the matrix's cells fill in while it is built, for a folder of `articles`.

    Each fill-in assembles the whole matrix so far (`folder.matrix.assemble`: every
    article's provenance) in the app's process, a cost that grows with the folder.  With
    the former table, which also redrew every column of each visible row, a key pressed
    every 0.5 s while 500 articles' matrix was built waited a median 2.0-4.4 s (at most
    15 s) when cells filled in once a second, and 0.23-0.24 s at the interval below (10 s
    for 500 articles).  The grid draws only the cells on screen (`HeatTable`): on the
    1,888 METER texts keys answered in 0.05-0.1 s throughout the build; a shorter
    interval for big folders has not been measured.
    """
    return MATRIX_PARTIAL_SECONDS * max(1.0, articles / PARTIAL_ARTICLES)


def install_hint() -> str:
    from ..alignment.semantic import INSTALL_HINT

    return INSTALL_HINT


def semantic_available() -> bool:
    """Whether the optional extra is installed; looked up on the module each time (tests patch it)."""
    return importlib.import_module("reader.alignment.semantic").available()


class FolderMixin:
    """Matrix and mode state for `ReaderApp` (an `App`: `notify`, `post_message`, workers)."""

    def _init_folder_state(self) -> None:
        self.matrix: FolderMatrix | None = None
        self.matrix_generation = 0
        self.matrix_progress: tuple[int, int, str] | None = None  # set while building
        self.matrix_partial: FolderMatrix | None = None  # the pairs aligned so far, while building
        self.matrix_error: str | None = None
        self.matrix_wanted = False  # the user opened it once: rebuild it when the mode changes
        self.semantic = False
        self._mode_problem: str | None = None
        asked = getattr(self, "requested_semantic", None)
        wanted = settings.get("semantic") if asked is None else asked
        if wanted:
            if semantic_available():
                self.semantic = True
            else:
                who = "The settings ask" if asked is None else "--semantic asks"
                self._mode_problem = (f"{who} for semantic alignment, but it needs the optional "
                                      f"extra: {install_hint()}. Using lexical alignment.")
        self.cache = AlignmentCache(AlignOptions(semantic=self.semantic), self.offloader)

    def _report_mode_problem(self) -> None:
        if self._mode_problem:
            self.notify(self._mode_problem, title="Alignment mode", severity="warning", timeout=10)
            self._mode_problem = None

    @property
    def mode_label(self) -> str:
        return "semantic" if self.semantic else "lexical"

    def _screens_call(self, method: str, *args) -> None:
        """Call `method(*args)` on every screen on the stack that has it (the top one last)."""
        for screen in list(self.screen_stack):
            fn = getattr(screen, method, None)
            if fn is not None:
                fn(*args)

    def forget_matrix(self) -> None:
        """Drop the matrix and stop a build (it checks the generation): the folder or the mode changed."""
        self.matrix = None
        self.matrix_progress = None
        self.matrix_partial = None
        self.matrix_generation += 1

    # -- the folder matrix ------------------------------------------------------------------
    def open_matrix(self) -> None:
        from .screens.matrix_screen import MatrixScreen

        if not self.loaded:
            self.notify("Still loading the folder…", severity="warning", timeout=3)
            return
        self.matrix_wanted = True
        if self.matrix is None and self.matrix_progress is None:
            self.start_matrix()
        self.push_screen(MatrixScreen())

    def start_matrix(self) -> None:
        self.forget_matrix()
        self.matrix_error = None
        self.matrix_progress = (0, 0, "start")
        self.build_folder_matrix(self.matrix_generation, self.cache.options)

    @work(thread=True, exclusive=True, group="matrix")
    def build_folder_matrix(self, generation: int, options: AlignOptions) -> None:
        """`reader.folder.matrix.build_matrix` with the on-disk cache, as `reader matrix` runs it."""
        from ..folder import matrix as core  # looked up at run time (tests stand in a slow build)

        worker = get_current_worker()

        def stop() -> bool:
            return worker.is_cancelled or generation != self.matrix_generation

        last = [0.0]

        def partial(matrix, pairs) -> None:
            self.post_message(MatrixPartial(generation, matrix, pairs))

        def progress(done: int, total: int, stage: str) -> None:
            if monotonic() - last[0] > MATRIX_PROGRESS_SECONDS or done == total:
                last[0] = monotonic()
                self.post_message(MatrixProgress(generation, done, total, stage))

        cache = None
        try:
            from ..cache import MatrixCache

            # its one-line notices (a damaged cache set aside) go to the screen, not to stderr under it
            cache = MatrixCache(report=lambda message: self.notify(message, severity="warning", timeout=8))
        except Exception:  # an unusable cache folder must not stop the matrix; it is only slower
            cache = None
        try:
            jobs = min(4, os.cpu_count() or 1)  # processes only for large folders (see build_matrix)
            result = core.build_matrix(list(self.articles), options, cache=cache, progress=progress,
                                       should_stop=stop, workers=jobs, partial=partial,
                                       partial_seconds=partial_seconds(len(self.articles)))
        except core.MatrixCancelled:
            return
        except Exception as e:  # a bug or a pool worker's error: said in one line, never a spinner
            self.post_message(MatrixFailed(generation, inert(one_line(f"{type(e).__name__}: {e}"), line=True)))
            return
        finally:
            if cache is not None:
                cache.close()
        self.post_message(MatrixReady(generation, result))

    def on_matrix_progress(self, msg: MatrixProgress) -> None:
        if msg.generation == self.matrix_generation and self.matrix is None:
            self.matrix_progress = (msg.done, msg.total, msg.stage)
            self._screens_call("matrix_progress")

    def on_matrix_partial(self, msg: MatrixPartial) -> None:
        if msg.generation == self.matrix_generation and self.matrix is None:
            self.matrix_partial = msg.matrix
            self._screens_call("matrix_partial", msg.pairs)

    def on_matrix_ready(self, msg: MatrixReady) -> None:
        if msg.generation != self.matrix_generation:
            return
        self.matrix = msg.matrix
        self.matrix_partial = None
        self.matrix_progress = None
        self._screens_call("matrix_changed")

    def on_matrix_failed(self, msg: MatrixFailed) -> None:
        if msg.generation != self.matrix_generation:
            return
        self.matrix_progress = None
        self.matrix_partial = None
        self.matrix_error = msg.reason
        self.notify(f"Could not build the folder matrix: {msg.reason}", severity="error", timeout=8, markup=False)
        self._screens_call("matrix_changed")

    # -- alignment mode -----------------------------------------------------------------------
    def action_toggle_semantic(self) -> None:
        want = not self.semantic
        if want and not semantic_available():
            self.notify(f"Semantic alignment needs the optional extra: {install_hint()}\n"
                        "Staying with lexical alignment.", title="Alignment mode", severity="error", timeout=10)
            return
        self.set_semantic(want)

    def set_semantic(self, value: bool) -> None:
        """Switch mode: a fresh AlignmentCache, then every view recomputes in the background."""
        self.semantic = value
        self.cache = AlignmentCache(AlignOptions(semantic=value), self.offloader)
        try:
            settings.set_value("semantic", value)
        except (OSError, WriteError, settings.SettingsError) as e:
            self.notify(f"could not save settings: {e}", severity="warning")
        self.share_generation += 1
        self.shares = {}
        if self.matrix is not None or self.matrix_progress is not None:
            self.forget_matrix()  # a running build stops at its next check
        if self.loaded:
            if self.matrix_wanted:
                self.start_matrix()
            self.compute_shares(self.share_generation)
        self._screens_call("mode_changed")
        self.notify(f"Alignment: {self.mode_label}"
                    + (" (paraphrases found by sentence meaning; slower)" if value else " (word overlap)"),
                    timeout=3)
