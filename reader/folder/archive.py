"""The folder matrix of an archive: streamed from folders and corpus files, resumable.

`build_archive(paths, store_path)` runs the matrix's stages with everything large on
disk instead of in memory, each stage's results written to the results store
(`results_store`) as they are made, so that rerunning the same command after an
interruption redoes nothing that was finished:

1. read: files (or batches of a corpus file's rows) are cleaned and split in worker
   processes; each article goes to the store with its sentences' comparison words;
2. index: the compact index (`compact_index`) is built from those words, never from
   the articles, and yields the plan: the article pairs worth aligning;
3. align: the planned pairs not yet in the store are aligned in worker processes
   that read their articles from the store; summaries are committed in batches.

The matrix is the in-memory `build_matrix`'s (same index, same verification, same
`align`): `matrix_from_store` reads it back as a `FolderMatrix` when it fits in memory.
"""
from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

from ..align import AlignOptions
from ..cache import engine_digest, options_digest, rules_digest
from ..loading import LoadError, Skipped, discover
from .compact_index import CompactIndex
from .matrix import PROCESS_MIN_PAIRS, FolderMatrix, MatrixCancelled, PairSummary, Progress, assemble, summarise_pair
from .results_store import ResultsStore, StoredArticles, article_keys, article_row
from .sentence_index import IndexOptions

ROWS_PER_UNIT = 200      # corpus rows cleaned per task (and remembered as one unit)
FILES_PER_TASK = 16
FLUSH_PAIRS = 500        # summaries committed at least this often


def build_archive(paths: list[str | Path], store_path: str | Path, options: AlignOptions | None = None, *,
                  rules: list | None = None, workers: int = 1, progress: Progress | None = None,
                  should_stop: Callable[[], bool] | None = None,
                  index_options: IndexOptions | None = None) -> dict:
    """Run (or resume) the matrix of everything under `paths` into the store; returns counts."""
    from ..rules import load_rules

    opt = options or AlignOptions()
    iopt = index_options or IndexOptions()
    rules = load_rules() if rules is None else rules
    stop = should_stop or (lambda: False)
    signature = {"engine": engine_digest(), "options": options_digest(opt.as_dict()), "index": repr(iopt),
                 "rules": rules_digest(rules), "inputs": sorted(str(Path(p).resolve()) for p in paths)}
    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return round(clock[-1] - clock[-2], 2)

    with ResultsStore(store_path, signature) as store:
        read_now = ingest(paths, store, rules, workers, progress, stop)
        seconds = {"read": lap()}
        stats = store.plan_stats()
        if stats is None:
            stats = _plan(store, opt, iopt, workers, progress, stop)
        seconds["index"] = lap()
        todo = store.todo()
        stats = {**stats, "articles": store.n_articles(), "articles_read_now": read_now,
                 "pairs_aligned_before": store.n_pairs(), "pairs_aligned_now": 0, "seconds": seconds}
        _align(store, todo, opt, workers, progress, stop, stats)
        seconds["align"] = lap()
        stats["aligned_article_pairs"] = store.n_pairs()
        stats["skipped"] = len(store.skipped())
        store.set_meta("last_run", stats)
    return stats


# ------------------------------------------------------------- 1. read
def _units(paths, done: set[str]) -> Iterator[tuple[str, tuple]]:
    """(unit key, task) for every input unit not yet in the store, in input order."""
    from ..inputs import corpus, registry

    found = discover(list(paths))
    for s in found.skipped:
        yield f"skipped:{s.path}", ("skip", s.path, s.reason)
    for f in found.files:
        kind = registry.kind_of(f)
        if kind in ("jsonl", "csv"):
            yield from _row_units(f, kind, corpus.jsonl_rows if kind == "jsonl" else corpus.csv_rows, done)
            continue
        try:
            st = os.stat(f)
            key = f"file:{f}:{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            key = f"file:{f}"
        if key not in done:
            yield key, ("file", str(f))


def _row_units(path, kind: str, rows, done: set[str]) -> Iterator[tuple[str, tuple]]:
    batch: list = []
    bad: list = []

    def unit():
        first = batch[0][0] if batch else bad[0][0]
        return f"rows:{path}:{first}", ("rows", str(path), kind, list(batch), list(bad))

    try:
        for item in rows(path):
            if isinstance(item, Skipped):
                bad.append((int(item.path.rsplit("#", 1)[1]), item.path, item.reason))
            else:
                batch.append(item)
            if len(batch) + len(bad) >= ROWS_PER_UNIT:
                key, task = unit()
                if key not in done:
                    yield key, task
                batch, bad = [], []
    except LoadError as e:
        bad.append((0, str(e.path), e.reason))
    if batch or bad:
        key, task = unit()
        if key not in done:
            yield key, task


_RULES: list = []


def _init_reader(rules: list) -> None:
    from ..runtime import lifeline

    lifeline.pool_worker()
    global _RULES
    _RULES = rules


def read_unit(task: tuple, rules: list | None = None) -> tuple[list[tuple], list[tuple[str, str]]]:
    """One unit's store rows (`results_store.article_row`) and skipped (path, reason)."""
    from ..articles import iter_file
    from ..inputs.corpus import row_article

    rules = _RULES if rules is None else rules
    if task[0] == "skip":
        return [], [(task[1], task[2])]
    if task[0] == "file":
        items = list(iter_file(task[1], rules))
        bad = []
    else:
        _, path, kind, rows, bad_rows = task
        items = [row_article(row, path, n, kind, rules) for n, row in rows]
        bad = [(p, r) for _, p, r in bad_rows]
    out = []
    for item in items:
        if isinstance(item, Skipped):
            bad.append((item.path, item.reason))
        else:
            out.append(article_row(item, article_keys(item)))
    return out, bad


def _read_tasks(tasks: list[tuple[str, tuple]], rules=None) -> list:
    return [(key, *read_unit(task, rules)) for key, task in tasks]


def ingest(paths, store: ResultsStore, rules: list, workers: int, progress: Progress | None,
           stop: Callable[[], bool]) -> int:
    """Read every unit not yet in the store (in worker processes when `workers` > 1)."""
    done = store.done_units()
    read = 0
    batches = _batched(_units(paths, done))
    for results in _run_ordered(batches, rules, workers, stop):
        for key, rows, bad in results:
            store.add_unit(key, rows, bad)
            read += len(rows)
        if progress is not None:
            progress(store.n_articles(), 0, "load")
    return read


def _batched(units: Iterator[tuple[str, tuple]]) -> Iterator[list]:
    batch: list = []
    for key, task in units:
        batch.append((key, task))
        if task[0] == "rows" or len(batch) >= FILES_PER_TASK:
            yield batch
            batch = []
    if batch:
        yield batch


def _run_ordered(batches: Iterator[list], rules: list, workers: int, stop: Callable[[], bool]) -> Iterator[list]:
    """`_read_tasks` of each batch, in order: inline, or `workers` spawned processes with a
    few batches queued each (the inputs are streamed, never listed whole)."""
    if workers <= 1:
        for b in batches:
            if stop():
                raise MatrixCancelled
            yield _read_tasks(b, rules)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .align_pool import _terminate_workers

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_reader, initargs=(rules,)) as pool:
        queue: deque = deque()
        try:
            for b in batches:
                queue.append(pool.submit(_read_tasks, b))
                while len(queue) > 3 * workers:
                    yield queue.popleft().result()
                    if stop():
                        raise MatrixCancelled
            while queue:
                yield queue.popleft().result()
                if stop():
                    raise MatrixCancelled
        except BaseException:
            _terminate_workers(pool)
            raise


# ------------------------------------------------------------- 2. index
def _plan(store: ResultsStore, opt: AlignOptions, iopt: IndexOptions, workers: int,
          progress: Progress | None, stop: Callable[[], bool]) -> dict:
    idx = CompactIndex(iopt)
    total = store.n_articles()
    for i, keys in store.article_keys():
        idx.add([(bool(t), w) for t, w, _ in keys])
        if progress is not None and i % 500 == 0:
            progress(i + 1, total, "index")
    if stop():
        raise MatrixCancelled
    pairs, stats = idx.linked_articles(opt, progress, stop, workers)
    store.save_plan(pairs, stats)
    return stats


# ------------------------------------------------------------- 3. align
def _align(store: ResultsStore, todo: list[tuple[int, int]], opt: AlignOptions, workers: int,
           progress: Progress | None, stop: Callable[[], bool], stats: dict) -> None:
    before = stats["pairs_aligned_before"]
    total = before + len(todo)
    buffer: list = []

    def done(pair, s: PairSummary) -> None:
        buffer.append((pair[0], pair[1], s.to_json()))
        stats["pairs_aligned_now"] += 1
        if len(buffer) >= FLUSH_PAIRS:
            store.add_pairs(buffer)
            buffer.clear()
        if progress is not None:
            progress(before + stats["pairs_aligned_now"], total, "align")

    try:
        if workers > 1 and len(todo) > PROCESS_MIN_PAIRS:
            from .align_pool import FromStore, align_in_processes

            align_in_processes(FromStore(store.path), todo, opt, workers, stop, done, MatrixCancelled)
        else:
            arts = StoredArticles(store.path, tokens=True)
            for a, b in todo:
                if stop():
                    raise MatrixCancelled
                done((a, b), summarise_pair(arts[a], arts[b], opt))
    finally:
        if buffer:
            store.add_pairs(buffer)


# ------------------------------------------------------------- reading results
def matrix_from_store(store_path: str | Path) -> FolderMatrix:
    """The whole matrix as a `FolderMatrix` (every article loaded: for stores that fit in memory)."""
    with ResultsStore(store_path) as store:
        articles = [store.article(i) for i, *_ in store.article_rows()]
        summaries = {(a, b): PairSummary.from_json(s) for a, b, s in store.summaries()}
        stats = {**(store.plan_stats() or {}), "articles": len(articles), "aligned_article_pairs": len(summaries)}
    return assemble(articles, summaries, stats)
