"""Loading a whole folder fast: one cache record when it is reopened, both cores when not.

A folder of hundreds of articles is opened again and again while a story is being
worked on, and cleaning every file each time (about 2 ms a file, in one thread that
also has to draw the screen) made the app list 500 articles in 8 s.  So:

* **Reopened** (nothing changed): the folder's articles are one record of the
  on-disk cache (`MatrixCache`, table ``folders``), keyed by the content of every
  file (never by names or modification times: an edited file misses, a renamed one
  hits) plus the cleaner's engine and rules.  Reading the files to hash them costs a
  few milliseconds for 500 articles; decoding the record, tens.  That part,
  `open_folder`, can be done before the list exists (the app does it before its
  first screen) and handed to `load_folder`.
* **Partly known** (a file was added or edited): the files seen before come from
  the per-file rows (``articles``, shared with `reader matrix`), only the new ones
  are cleaned.
* **Cold**: the files are cleaned in chunks by `clean` (the app runs each chunk in
  a helper process, `reader.tui.offload`, several at once), and batches are handed
  out in folder order as soon as a run of them is ready, so the list grows while
  the rest is cleaned.  Cancelling (`should_stop`) stops handing out chunks; the
  caller's `clean` is told through the same function, so a helper can be killed.

Web addresses, PDF, Word, e-mail and corpus files are read in this thread every time
(as `MatrixCache.load_articles` does): what they yield depends on options set for
the whole process (`reader.inputs.options`) that a helper process would not have.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ..loading import Discovery, Skipped, discover
from ..model import Article

# What a chunk cleaner returns: for each file of the chunk, what it yielded.
Cleaned = list[list["Article | Skipped"]]
CleanChunk = Callable[[list[str], list, Callable[[], bool]], Cleaned]

FOLDER_TABLE = "folders"
CHUNK_MAX = 24        # files per helper call: a few tens of ms of cleaning, little pickling per file
CHUNK_MIN = 2
FIRST_CHUNK = 4       # files in each worker's first chunk
BATCH_SECONDS = 0.1   # how often a growing list is handed out


@dataclass(slots=True)
class LoadBatch:
    """Articles (and skipped files) ready in folder order since the last batch."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    done: int = 0          # files finished so far
    total: int = 0         # files found
    last_path: str = ""
    final: bool = False    # nothing follows
    from_cache: bool = False  # the whole folder came from its cache record


def load_files(paths: list[str], rules: list) -> Cleaned:
    """Load and clean each plain file of `paths` (what a helper process runs for one chunk)."""
    from ..articles import iter_file

    return [list(iter_file(p, rules)) for p in paths]


def load_files_here(paths: list[str], rules: list, cancelled: Callable[[], bool]) -> Cleaned:
    """The `CleanChunk` that cleans in the calling thread (no helper processes)."""
    return load_files(paths, rules)


def folder_key(keys: list[str | None]) -> str | None:
    """One key for the whole folder, when every file is a plain, readable one."""
    if not keys or any(k is None for k in keys):
        return None
    return hashlib.sha256(("folder:" + "\n".join(keys)).encode()).hexdigest()  # type: ignore[arg-type]


def encode_folder(results: list[list[Article | Skipped]]) -> list:
    """The folder record: per file, its articles (as `cache.article_to_json`) or its skip reason."""
    from ..cache import article_to_json

    return [[article_to_json(x) if isinstance(x, Article) else {"skipped": x.reason} for x in items]
            for items in results]


def decode_folder(record, files: list) -> list[list[Article | Skipped]] | None:
    """The record back, with each file's path as found now (None: not a record for these files)."""
    from ..cache import article_from_json

    if not isinstance(record, list) or len(record) != len(files):
        return None
    out: list[list[Article | Skipped]] = []
    try:
        for f, items in zip(files, record):
            path = str(f)
            out.append([Skipped(path, d["skipped"]) if "skipped" in d else article_from_json(d, path)
                        for d in items])
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None
    return out


def chunk_size(n: int, jobs: int) -> int:
    """Files per chunk: about six chunks per worker, so the first rows come soon and the
    workers stay busy to the end, within [CHUNK_MIN, CHUNK_MAX]."""
    return max(CHUNK_MIN, min(CHUNK_MAX, -(-n // max(1, jobs * 6))))


@dataclass(slots=True)
class FolderOpening:
    """What opening a folder finds before any file is cleaned: its files, their cache keys,
    and, when the folder is reopened unchanged, its whole cache record already decoded.

    Separate from `load_folder` so the app can do it before its first screen is composed
    (`ReaderApp.on_load`), when nothing else runs: in a thread beside Textual's start-up,
    the hundreds of small reads and hashes each waited for the interpreter lock, and a
    reopened 500-article folder took 60 ms more to list (90 ms more CPU).
    """

    found: Discovery
    rules: list
    plain: list[bool]        # plain text files (the others are read afresh every time)
    keys: list[str | None]   # each plain file's ``articles`` row key (all None without a cache)
    fkey: str | None         # the folder record's key (None: no cache, or a file cannot be keyed)
    known: list | None       # the decoded folder record, when there was one for these files


def open_folder(paths: list[str], rules: list | None = None, cache=None,
                found: Discovery | None = None) -> FolderOpening:
    """Find the files of `paths` (unless `found` is what `discover` gave for them), key them,
    and read the folder's record from `cache` (if any)."""
    from ..cache import file_keys
    from ..inputs.registry import kind_of
    from ..rules import load_rules

    rules = load_rules() if rules is None else rules
    found = discover(list(paths)) if found is None else found
    files = found.files
    plain = [kind_of(f) is None for f in files]
    keys = file_keys(files, rules, plain) if cache is not None else [None] * len(files)
    fkey = folder_key(keys) if cache is not None else None
    known = decode_folder(cache.get(FOLDER_TABLE, fkey), files) if fkey is not None else None
    return FolderOpening(found, rules, plain, keys, fkey, known)


def load_folder(paths: list[str], rules: list | None = None, *, cache=None,
                clean: CleanChunk | None = None, jobs: int = 2,
                should_stop: Callable[[], bool] = lambda: False,
                batch_seconds: float = BATCH_SECONDS,
                opening: FolderOpening | None = None) -> Iterator[LoadBatch]:
    """Yield the articles of `paths` in folder order, in batches (see the module docstring).

    `cache` is a `MatrixCache` (None: no cache); `clean(paths, rules, cancelled)` cleans a
    chunk of plain files (default: in this thread); `jobs` chunks run at once; `opening`
    is `open_folder(paths, rules, cache)` when the caller has already started it.  The
    last batch has `final` set; the cache is written when the iterator is resumed after
    it (so iterate to the end).  When `should_stop()` turns true the iterator ends
    without a final batch and writes nothing to the cache.
    """
    from ..cache import SKIPPED

    op = opening if opening is not None else open_folder(paths, rules, cache)
    found, rules, plain, keys, fkey = op.found, op.rules, op.plain, op.keys, op.fkey
    files = found.files
    total = len(files)
    if op.known is not None:
        batch = LoadBatch(skipped=list(found.skipped), done=total, total=total, final=True, from_cache=True,
                          last_path=str(files[-1]))
        for items in op.known:
            for x in items:
                (batch.skipped if isinstance(x, Skipped) else batch.articles).append(x)
        yield batch
        return
    results: list[list[Article | Skipped] | None] = [None] * total
    if cache is not None:
        from ..cache import _article_or_none

        rows = cache.get_many("articles", [k for k in keys if k and not k.startswith(SKIPPED)])
        for i, k in enumerate(keys):
            hit = _article_or_none(rows.get(k), str(files[i])) if k in rows else None
            if hit is not None:
                results[i] = [hit]

    def save() -> None:
        """After the last batch went out, when the caller asks for more: encoding 500 articles
        twice (their rows, the folder's record) takes ~0.2 s the list need not wait for.
        (The app waits for it when the user quits at once: `ReaderApp.on_unmount`.)"""
        if cache is None:
            return
        record = encode_folder(results)  # type: ignore[arg-type]
        cache.put_many("articles", [(k, got[0]) for k, r, got in zip(keys, results, record)
                                    if k and not k.startswith(SKIPPED) and len(r) == 1
                                    and isinstance(r[0], Article)])
        if fkey is not None:
            cache.put_many(FOLDER_TABLE, [(fkey, record)])

    yield LoadBatch(total=total, done=0)  # nothing yet, but how many: the progress line can say so
    filler = _Filler(files, plain, results, rules, clean or load_files_here, jobs, should_stop)
    yield from filler.batches(found.skipped, batch_seconds, save)


class _Filler:
    """Fills the missing entries of `results`: plain files in chunks through `clean`, `jobs`
    at a time, the others (web addresses, PDF, corpora) here in turn; hands them out in order."""

    def __init__(self, files: list, plain: list[bool], results: list, rules: list, clean: CleanChunk,
                 jobs: int, should_stop: Callable[[], bool]):
        self.files, self.plain, self.results, self.rules = files, plain, results, rules
        self.clean, self.jobs, self.should_stop = clean, max(1, jobs), should_stop
        todo = [i for i, r in enumerate(results) if r is None and plain[i]]
        size = chunk_size(len(todo), self.jobs)
        # each worker's first chunk is small: the first rows come as soon as a helper is up
        first = min(size, FIRST_CHUNK)
        head, rest = todo[:first * self.jobs], todo[first * self.jobs:]
        self.chunks = ([head[k:k + first] for k in range(0, len(head), first)]
                       + [rest[k:k + size] for k in range(0, len(rest), size)])
        self.pending: dict[Future, list[int]] = {}

    def batches(self, skipped: list[Skipped], batch_seconds: float,
                after_final: Callable[[], None]) -> Iterator[LoadBatch]:
        total = len(self.files)
        flushed = 0
        batch = LoadBatch(skipped=list(skipped), total=total)
        last = float("-inf")  # the first rows go out at once
        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="reader-clean")
        try:
            while True:
                while self.chunks and len(self.pending) < self.jobs:
                    idx = self.chunks.pop(0)
                    paths = [str(self.files[i]) for i in idx]
                    self.pending[pool.submit(self.clean, paths, self.rules, self.should_stop)] = idx
                if flushed < total and self.results[flushed] is None and not self.plain[flushed]:
                    from ..articles import iter_file

                    self.results[flushed] = list(iter_file(self.files[flushed], self.rules))
                elif self.pending:
                    finished, _ = wait(list(self.pending), timeout=0.05, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        self._take(fut, self.pending.pop(fut))
                if self.should_stop():
                    return
                while flushed < total and self.results[flushed] is not None:
                    for x in self.results[flushed]:
                        (batch.skipped if isinstance(x, Skipped) else batch.articles).append(x)
                    batch.last_path = str(self.files[flushed])
                    flushed += 1
                batch.done = flushed
                if flushed == total:
                    batch.final = True
                    yield batch
                    after_final()
                    return
                if (batch.articles or batch.skipped) and time.monotonic() - last >= batch_seconds:
                    yield batch
                    batch, last = LoadBatch(total=total, done=flushed), time.monotonic()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _take(self, fut: Future, idx: list[int]) -> None:
        """A finished chunk: its results, or, when it failed, each file again on its own
        (so one file that kills a helper is skipped with the reason, and only it)."""
        try:
            got = fut.result()
        except Exception as e:  # noqa: BLE001 - the chunk's cleaner failed (a helper died, a bug)
            if self.should_stop():
                return
            if len(idx) > 1:
                self.chunks[:0] = [[i] for i in idx]
                return
            reason = " ".join(str(e).split())[:200] or type(e).__name__
            self.results[idx[0]] = [Skipped(str(self.files[idx[0]]), f"could not load ({reason})")]
            return
        for i, items in zip(idx, got):
            self.results[i] = items
