"""Aligning many article pairs in a pool of processes, in chunks, stoppable at any moment.

The align stage is most of a folder matrix's time and every pair is independent, so
it runs in spawned processes (safe from the app's threads), one per core.  Workers get
their articles either all at once (`InMemory`: a folder the app or `build_matrix`
holds) or one by one from a results store (`FromStore`: an archive too large to hold,
where each worker reads the articles of its pairs).  Which worker aligns which pairs,
in which order, and which articles it is then done with, is `align_order`'s: a worker
drops what it prepared for an article it is done with (`Working`), so that it holds the
articles it is working through, not every article it met.
`summarise_pair` is what a worker sends back: the matrix's view of one alignment.
"""
from __future__ import annotations

import gc
import io
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..runtime import lifeline
from ..runtime.text_cache import Holds
from ..align import AlignOptions
from ..model import Article
from .align_order import Shares, cache_friendly

STOP_POLL_SECONDS = 0.1
CHUNK_PAIRS = 40


@dataclass(frozen=True)
class InMemory:
    """The articles themselves (sent once to each worker)."""

    articles: list[Article]

    def opener(self):
        return self.articles


@dataclass(frozen=True)
class FromStore:
    """A results store's file: workers read the articles they need from it."""

    path: str

    def opener(self):
        from .results_store import StoredArticles

        return StoredArticles(self.path, tokens=True)


class Working:
    """A worker's articles (`source.opener()`), each held from its first use until the worker
    is told it is done with it (`forget`): then what was cached for its sentences is dropped
    (`Holds`: not a sentence another held article also has) and so is the article itself
    where the source keeps it (`StoredArticles`).

    The per-sentence caches are bounded by their count (`text_cache`), and at 5,000
    articles that bound let a worker keep nearly every sentence it had prepared: 195,000
    of them, 700 MB.  It needs only those of the articles it has pairs left with."""

    def __init__(self, articles) -> None:
        self.articles = articles
        self.holds = Holds()

    def __getitem__(self, i: int) -> Article:
        art = self.articles[i]
        if i not in self.holds:
            self.holds.hold(i, [s.text for s in art.sentences])
        return art

    def forget(self, ids) -> None:
        drop = getattr(self.articles, "forget", None)
        for i in ids:
            self.holds.release(i)
            if drop is not None:
                drop(i)


_WORKER_ARTICLES: Working | None = None


def _init_worker(source, quiet: bool = False) -> None:
    lifeline.pool_worker()  # killed with the parent, even by SIGKILL; quiet on Ctrl-C (see lifeline)
    global _WORKER_ARTICLES
    _WORKER_ARTICLES = Working(source.opener())
    from ..runtime import forking

    forking.disable()  # the pool already keeps every core busy
    # Aligning makes no reference cycles; each `align` pauses the cycle collector and then
    # restores it, and re-enabling it started a collection over the worker's heap about
    # every pair (~1 ms of 6 on a news pair).  Off here, with an occasional collection
    # instead (`_collect_now_and_then`), in case anything else makes cycles.
    gc.disable()
    if quiet:  # our stderr is not where the parent's goes (the app's terminal): say nothing there
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)


GC_SHARE = 0.02               # of a worker's time, at most, in its cycle collections
GC_SECONDS_PER_COUNT = 0.5e-6  # a collection's time per object `gc.get_count()` counts (measured, roughly)
_last_collect = 0.0           # the worker's processor time when its last collection ended


def _align_chunk(chunk: list[tuple[int, int]], opt: AlignOptions, forget: Iterable[int] = ()) -> list:
    """The summaries of `chunk`'s pairs, after dropping the articles `forget` names
    (`align_order.Shares`: this worker has no pair left with them)."""
    from .matrix import summarise_pair

    arts = _WORKER_ARTICLES
    arts.forget(forget)
    out = [((a, b), summarise_pair(arts[a], arts[b], opt)) for a, b in chunk]
    _collect_now_and_then()
    return out


def _collect_now_and_then() -> None:
    """A cycle collection when it would take at most `GC_SHARE` of the time since the last,
    then `gc.freeze()`: what survived is not walked again.

    A collection walks every object the collector tracks that is not frozen, and a worker's
    per-sentence caches hold millions: on the 5,000-article bench one every 50 chunks (2,000
    pairs), as before, took 1.0 s at the first and 1.8 s at the fourth, 13% of the worker's
    time.  What it walks is about what was made since the last collection, which
    `gc.get_count()` tells cheaply (2 million counted at that first one), so the cost is
    known before collecting.  Objects frozen and later dropped by the caches are freed as
    ever (their reference counts): only a cycle through a frozen object would outlive its
    use, and aligning makes none.
    """
    global _last_collect
    now = time.process_time()
    if gc.get_count()[0] * GC_SECONDS_PER_COUNT > GC_SHARE * (now - _last_collect):
        return
    gc.collect()
    gc.freeze()
    _last_collect = time.process_time()


def _stderr_has_descriptor() -> bool:
    """Whether sys.stderr's `fileno()` is a real descriptor (or honestly has none).

    Textual replaces sys.stderr with a stand-in whose `fileno()` returns -1 instead
    of raising; multiprocessing's resource tracker passes that number on as a
    descriptor to keep, and starting any pool then fails with "bad value(s) in
    fds_to_keep".  That is why the app's folder matrix never built on large folders.
    """
    try:
        return sys.stderr.fileno() >= 0
    except Exception:  # no descriptor at all: multiprocessing skips it
        return True


class _NoDescriptor:
    """A stream as it is (writes go where they went), minus the descriptor it does not have."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def __getattr__(self, name: str):
        return getattr(self._stream, name)

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")


_STDERR_LOCK = threading.Lock()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker even under a stand-in stderr (see above).

    The stand-in is wrapped only while the tracker starts, and put back only if
    nobody replaced sys.stderr meanwhile (the app may be leaving).  The tracker then
    stays up for the pools that follow.
    """
    if _stderr_has_descriptor():
        return
    from multiprocessing import resource_tracker

    with _STDERR_LOCK:
        stand_in = sys.stderr
        ours = sys.stderr = _NoDescriptor(stand_in)
        try:
            resource_tracker.ensure_running()
        finally:
            if sys.stderr is ours:
                sys.stderr = stand_in


def align_in_processes(source, todo: list[tuple[int, int]], opt: AlignOptions, workers: int,
                       stop: Callable[[], bool], done: Callable, cancelled: type[BaseException],
                       chunk: int = CHUNK_PAIRS) -> None:
    """Align `todo` (pairs of article numbers in `source`) in `workers` spawned processes.

    `done(pair, summary)` is called here, in this process, as chunks come back;
    `stop()` is polled meanwhile, and when it says stop (raising `cancelled`) or
    anything fails, the workers are terminated rather than waited for: a cancelled
    build must not keep the cores busy, nor keep the app from exiting (the pool's exit
    handler would wait for every queued chunk).  Once every result is in, they are
    terminated too (below).  At most a few chunks per worker are queued at a time, so
    that an archive's million pairs are not all submitted at once.

    Each worker has a pool of its own and works through its own stretch of the
    cache-friendly order (`align_order.Shares`), so that an article's pairs mostly go to
    one worker: from one queue, neighbouring chunks went to both, and each worker prepared
    (tokenised, profiled) the sentences of 90% of the articles instead of 74%.  With each
    chunk goes the list of articles the worker is done with (see `Working`).

    The command itself waits meanwhile: what it freed before (the index stage's tables)
    goes back to the system first (`runtime.heap.give_back`) rather than staying in its
    heap for the whole stage.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from contextlib import ExitStack

    from ..runtime.heap import give_back

    give_back()
    todo = cache_friendly(todo)
    chunks = [todo[k:k + chunk] for k in range(0, len(todo), chunk)]
    shares = Shares(chunks, workers)
    ctx = multiprocessing.get_context("spawn")
    quiet = not _stderr_has_descriptor()
    _start_resource_tracker()
    with ExitStack() as stack:
        pools = [stack.enter_context(ProcessPoolExecutor(1, mp_context=ctx, initializer=_init_worker,
                                                         initargs=(source, quiet))) for _ in range(workers)]
        pending: dict = {}  # future -> its worker
        queued = [0] * workers
        try:
            while True:
                for w, pool in enumerate(pools):
                    while queued[w] < 4:
                        given = shares.next(w)
                        if given is None:
                            break
                        k, forget = given
                        pending[pool.submit(_align_chunk, chunks[k], opt, forget)] = w
                        queued[w] += 1
                if not pending:
                    break
                finished, _ = wait(pending, timeout=STOP_POLL_SECONDS, return_when=FIRST_COMPLETED)
                if stop():
                    raise cancelled
                for f in finished:
                    queued[pending.pop(f)] -= 1
                    for pair, s in f.result():
                        done(pair, s)
            # Every result is in.  Left to exit, each worker would free its caches object by
            # object (3.2 s after 6,000 pairs of the 5,000-article bench), and the pool's
            # exit waits for that: stopped, they are gone at once.
            for pool in pools:
                _terminate_workers(pool)
        except BaseException:
            for pool in pools:
                _terminate_workers(pool)  # each pool cancels what is pending itself (see below)
            raise


def _terminate_workers(pool) -> None:
    """Stop a pool's processes now (Python 3.14 has this built in; before, its process table).

    Pending futures are left for the pool to cancel (`shutdown(cancel_futures=True)`,
    first): on Python 3.11 a future cancelled from outside makes the pool's manager
    thread fail with InvalidStateError (a traceback on stderr) when it then finds the
    workers gone and marks its pending futures as broken.

    The pool's manager thread is joined before returning: left running, it closed its
    wake-up pipe while the interpreter's exit hook (`concurrent.futures.process._python_exit`)
    was writing to it, and a SIGTERM-stopped `reader matrix` printed an EBADF traceback
    (CPython 3.11's `_ThreadWakeup` checks and writes without a lock).
    """
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it too
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.terminate()
        except (OSError, ValueError):
            pass
    for proc in processes:  # reaped (a SIGTERM ends them at once: 0.07 s for two full workers)
        try:
            proc.join(JOIN_SECONDS)
        except (OSError, ValueError, AssertionError):
            pass
    if manager is not None:  # it closes its wake-up pipe as it ends: let it end now
        manager.join(JOIN_SECONDS)


JOIN_SECONDS = 5.0


class LastUsed(OrderedDict):
    """A small least-recently-used map (the store's articles a worker read last)."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def remember(self, key, value):
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value
