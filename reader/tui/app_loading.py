"""Loading the folder for `ReaderApp`: opened before the first screen, filled in by a worker.

Kept apart from `app.py`; `ReaderApp` mixes this in.  `on_load` opens the folder
(`reader.folder.loading.open_folder`: files found and keyed, a reopened folder's
cache record read and decoded) before Textual composes the first screen, when
nothing else runs; the `load_folder` worker then hands out a reopened folder at
once, or cleans the files in helper processes on both cores and posts the list as
it grows.  The worker only posts messages (`ArticlesLoaded`, `LoadProgress`).
"""
from __future__ import annotations

from concurrent.futures import Future

from textual import work
from textual.worker import get_current_worker

from ..folder.loading import load_files, open_folder
from ..folder.loading import load_folder as load_folder_batches
from ..loading import Skipped, discover
from ..userdirs import cache_enabled
from .messages import ArticlesLoaded, LoadProgress
from .offload import DaemonThreads

LOAD_JOBS = 2              # chunks of files cleaned at once, each in a helper process
LOAD_CHUNK_SECONDS = 120.0  # a chunk of files that takes longer is given up (each file then alone)
CLEAN_REMOTE = "reader.folder.loading:load_files"
OPEN_HERE_FILES = 2000     # folders up to this size are opened before the first screen (~0.25 s warm)


class LoadingMixin:
    """The folder's loading for `ReaderApp` (an `App` with `paths`, `rules`, `offloader`,
    `cache_written` and `_opening`)."""

    @work(thread=True, exclusive=True, group="load")
    def load_folder(self) -> None:
        """Load the folder (`reader.folder.loading.load_folder`), posting batches so the list grows live.

        Reopened, the folder is one record of the on-disk cache; otherwise its files are
        cleaned in helper processes, `LOAD_JOBS` chunks at once (both cores), and the
        rows appear in folder order as the chunks come back.  The share bars start once
        everything is in.
        """
        worker = get_current_worker()
        stop = lambda: worker.is_cancelled  # noqa: E731
        total = 0
        finished = False
        self.cache_written.clear()
        cache, opening = self._take_opening()
        try:
            # the loop goes on after the final batch: the iterator then writes the cache
            for batch in load_folder_batches(self.paths, self.rules, cache=cache, clean=self._clean_chunk,
                                             jobs=LOAD_JOBS, should_stop=stop, opening=opening):
                total = batch.total
                if not batch.final:
                    self.post_message(LoadProgress(batch.done, total, batch.last_path))
                self.post_message(ArticlesLoaded(batch.articles, batch.skipped, total, done=batch.final))
                finished = batch.final
        except Exception as e:  # a bug in loading must not leave the user on a spinner
            if not finished:
                finished = True
                self.post_message(ArticlesLoaded([], [Skipped(" ".join(self.paths),
                                                              f"could not load ({type(e).__name__}: {e})")],
                                                 total, done=True))
        finally:
            if cache is not None:
                cache.close()
            self.cache_written.set()
        if not finished and not worker.is_cancelled:  # the iterator stopped early: say so, no spinner
            self.post_message(ArticlesLoaded([], [], total, done=True))

    def _start_opening(self, executor: DaemonThreads) -> tuple:
        """Open the folder (`open_folder`: files found and keyed, a reopened folder's record
        read) for the load worker to pick up (`_take_opening`): here, before the first
        screen, when the folder is small enough to take at most a few tenths of a second
        (a thread beside Textual's start-up waited for the interpreter lock at every read),
        else in a thread, so a huge folder never holds the first screen back."""
        cache = self._open_cache()
        found = discover(self.paths)  # a directory listing: what `reader PATH` did before starting the app
        if len(found.files) > OPEN_HERE_FILES:
            return cache, executor.submit(open_folder, self.paths, self.rules, cache, found)
        opened: Future = Future()
        try:
            opened.set_result(open_folder(self.paths, self.rules, cache, found))
        except Exception as e:  # noqa: BLE001 - the load worker tries again and reports it
            opened.set_exception(e)
        return cache, opened

    def _take_opening(self):
        """(cache, `FolderOpening` or None) for this load: the first load takes what `on_load`
        started (None if that failed: the loader then opens the folder itself); later loads
        (a file added, the folder reloaded) open the cache and the folder afresh."""
        started, self._opening = self._opening, None
        if started is None:
            return self._open_cache(), None
        cache, future = started
        try:
            return cache, future.result()
        except Exception:  # noqa: BLE001 - the loader tries again and reports what goes wrong
            return cache, None

    def _clean_chunk(self, paths: list[str], rules: list, cancelled) -> list:
        """Clean a chunk of files in a helper process (killed when loading is cancelled)."""
        try:
            return self.offloader.call(CLEAN_REMOTE, (paths, rules), cancelled, LOAD_CHUNK_SECONDS)
        except OSError:  # no process can be started here: clean in this thread
            return load_files(paths, rules)

    def _open_cache(self):
        """The on-disk cache (`reader.cache`), or None when it is off or cannot be opened:
        without it the folder only loads slower.  Its one-line notices go to the screen."""
        if not cache_enabled():
            return None
        from ..cache import MatrixCache

        try:
            return MatrixCache(report=lambda message: self.notify(message, severity="warning", timeout=8))
        except Exception:  # noqa: BLE001 - an unusable cache folder is only slower
            return None

