"""Putting documents into a library, and rebuilding one.

Adding is incremental: each document's keys are appended to the index, nothing
already there is touched, so the ten-thousandth document costs what the first did.
A plain file is known by the SHA-256 of its bytes, checked *before* it is cleaned:
adding a folder again (or resuming an interrupted add) costs a read and a hash per
file already in.  Articles that come from web addresses, PDFs, e-mails or corpus
files are known by the hash of their text, since one file may hold many.

Cleaning and splitting is most of the cost of adding (milliseconds an article), so
large adds spread it over processes (`jobs`); this process only writes the file, in
batches of `BATCH` documents, one transaction each, so an interrupted add keeps what
it finished.

`rebuild` remakes a library: a healthy one is re-keyed from its stored documents
(after an upgrade changed how keys are made); a damaged one is renamed aside
(``FILE.bad-<time>-<pid>``, with its -wal and -shm, never deleted) and every document
that can still be read from it is copied into a fresh file.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..loading import LoadError, Skipped, discover, read_bytes
from ..model import Article
from .keys import article_keys, keys_version
from .store import Library, LibraryError, LibraryMissing, NewDoc, decode_article, encode_article

BATCH = 500            # documents per transaction
PROCESS_MIN_FILES = 64  # fewer new files than this: cleaning them here is quicker than starting processes
Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class AddReport:
    added: list[tuple[int, str]] = field(default_factory=list)   # (id, path)
    duplicates: list[str] = field(default_factory=list)          # paths already in the library
    skipped: list[Skipped] = field(default_factory=list)


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_digest(art: Article) -> str:
    return hashlib.sha256(b"text\0" + art.text.encode("utf-8", "surrogatepass")).hexdigest()


def new_doc(digest: str, art: Article) -> NewDoc:
    """A document ready to write: keyed and encoded here, so a worker process does that work."""
    return NewDoc(digest, art, article_keys([s.text for s in art.sentences], filed=True), data=encode_article(art))


def _prepare(path: str, digest: str | None, rules: list) -> list[NewDoc | Skipped]:
    """The documents one file gives (several for a corpus file), keyed; Skipped for failures.

    `digest` is the hash of a plain file's bytes (its one article is known by it); None
    for the other inputs, whose articles are known by the hash of their text."""
    from ..articles import iter_file

    out: list[NewDoc | Skipped] = []
    for item in iter_file(path, rules):
        if isinstance(item, Skipped):
            out.append(item)
        elif digest is not None:
            item.path = str(Path(path).resolve())
            out.append(new_doc(digest, item))
        else:
            item.path = _stored_path(item.path)
            out.append(new_doc(text_digest(item), item))
    return out


def _stored_path(path: str) -> str:
    """Absolute for a file on this machine, as given for a web address or FILE#KEY."""
    try:
        p = Path(path)
        return str(p.resolve()) if p.exists() else path
    except (OSError, ValueError):
        return path


def _prepare_chunk(chunk: list[tuple[str, str | None]], rules: list) -> list[list[NewDoc | Skipped]]:
    from ..runtime import forking

    forking.disable()  # the pool already keeps every core busy
    return [_prepare(p, d, rules) for p, d in chunk]


def add_paths(lib: Library, paths: list[str], rules: list, *, jobs: int = 1,
              progress: Progress | None = None) -> AddReport:
    """Add every article under `paths` that the library does not hold yet."""
    from ..inputs.registry import kind_of

    report = AddReport()
    found = discover(list(paths))
    report.skipped.extend(found.skipped)
    todo: list[tuple[str, str | None]] = []
    plain: list[tuple[str, str]] = []
    for f in found.files:
        if kind_of(f) is not None:
            todo.append((str(f), None))   # known by its text once read
            continue
        try:
            plain.append((str(f), bytes_digest(read_bytes(f))))
        except LoadError as e:
            report.skipped.append(Skipped(e.path, e.reason))
    known = lib.known([d for _, d in plain])
    seen: set[str] = set()
    for f, d in plain:
        if d in known or d in seen:
            report.duplicates.append(f)
        else:
            seen.add(d)
            todo.append((f, d))
    _warn_version(lib)
    pending: list[tuple[NewDoc, str]] = []
    total = len(todo)
    for n, (given, results) in enumerate(_prepared(todo, rules, jobs), 1):
        for item in results:
            if isinstance(item, Skipped):
                report.skipped.append(item)
            else:
                pending.append((item, given))
        if len(pending) >= BATCH:
            _flush(lib, pending, report)
        if progress is not None:
            progress(n, total, given)
    _flush(lib, pending, report)
    return report


def _flush(lib: Library, pending: list[tuple[NewDoc, str]], report: AddReport) -> None:
    if not pending:
        return
    ids = lib.add_batch([d for d, _ in pending])
    for (doc, given), i in zip(pending, ids):
        if i is None:
            report.duplicates.append(doc.article.path if doc.article.path != given else given)
        else:
            report.added.append((i, doc.article.path))
    pending.clear()


def _prepared(todo: list[tuple[str, str | None]], rules: list, jobs: int
              ) -> Iterator[tuple[str, list[NewDoc | Skipped]]]:
    """(path, its documents) for each file to add, in order; in processes when worth it."""
    if jobs <= 1 or len(todo) < PROCESS_MIN_FILES:
        for path, digest in todo:
            yield path, _prepare(path, digest, rules)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(8, min(64, len(todo) // (jobs * 8) or 1))
    chunks = [todo[k:k + size] for k in range(0, len(todo), size)]
    ctx = multiprocessing.get_context("spawn")  # safe whatever threads this process has
    from ..runtime import lifeline

    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=lifeline.pool_worker) as pool:
        # A bounded window of chunks in flight: results wait in memory only until written.
        ahead = 3 * jobs
        futures = [pool.submit(_prepare_chunk, c, rules) for c in chunks[:ahead]]
        try:
            for k, chunk in enumerate(chunks):  # in order: the report lists files as given
                results = futures[k].result()
                futures[k] = None
                if k + ahead < len(chunks):
                    futures.append(pool.submit(_prepare_chunk, chunks[k + ahead], rules))
                for (path, _), items in zip(chunk, results):
                    yield path, items
        except BaseException:
            for f in futures:
                if f is not None:
                    f.cancel()
            raise


def _warn_version(lib: Library) -> None:
    """Record the keys' version in a new library; refuse to mix versions in an old one."""
    have = lib.meta("keys")
    if have is None:
        lib.set_meta("keys", keys_version())
    elif have != keys_version():
        raise LibraryError(f"library {lib.path} was indexed by another version of reader; "
                           "run 'reader library rebuild' first")


@dataclass(slots=True)
class RebuildReport:
    kept: int = 0              # documents carried over
    lost: int = 0              # rows that could not be read (damaged library)
    set_aside: Path | None = None
    reason: str = ""


def rebuild(path: Path, progress: Progress | None = None) -> RebuildReport:
    """Remake the library at `path` (see the module docstring); the new file replaces it.

    Documents stream from the old file to the new one, so memory stays flat at any size."""
    report = RebuildReport()
    source: sqlite3.Connection | None = None
    total = 0
    try:
        old = Library(path)
        try:
            total = old.count()
        except sqlite3.DatabaseError:
            old.close()
            raise
        source = old.db
    except LibraryMissing:
        raise
    except (LibraryError, sqlite3.DatabaseError) as e:
        report.reason = str(e)
        report.set_aside = _set_aside(path)
        source = _open_read_only(report.set_aside)
    fresh = path.with_name(f"{path.name}.new-{os.getpid()}")
    try:
        with Library(fresh, create=True) as lib:
            lib.set_meta("keys", keys_version())
            batch: list[NewDoc] = []
            rows = _rows(source, report) if source is not None else iter(())
            for i, digest, added, art in rows:
                batch.append(NewDoc(digest, art, article_keys([s.text for s in art.sentences], filed=True), i, added))
                if len(batch) >= BATCH:
                    lib.add_batch(batch)
                    report.kept += len(batch)
                    batch.clear()
                    if progress is not None:
                        progress(report.kept, total, "rebuild")
            lib.add_batch(batch)
            report.kept += len(batch)
        if source is not None:
            source.close()
            source = None
        if report.lost and report.set_aside is None:
            report.set_aside = _set_aside(path)  # keep what could not be read, never delete it
        _move(fresh, path)
    finally:
        if source is not None:
            source.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    return report


def _rows(db: sqlite3.Connection, report: RebuildReport, step: int = 100
          ) -> Iterator[tuple[int, str, str, Article]]:
    """Every readable document row in id order; rows or pages that fail are counted as lost."""
    last, misses = 0, 0
    while misses < 5000:
        try:
            rows = db.execute("SELECT id, hash, added, data FROM docs WHERE id > ? ORDER BY id LIMIT ?",
                              (last, step if not misses else 1)).fetchall()
        except sqlite3.DatabaseError:
            last += 1   # step over the damaged page one id at a time
            misses += 1
            continue
        if not rows:
            return
        misses = 0
        for i, h, added, blob in rows:
            try:
                yield i, h, added, decode_article(blob)
            except Exception:
                report.lost += 1
        last = rows[-1][0]


def _open_read_only(aside: Path) -> sqlite3.Connection | None:
    """The set-aside file, if SQLite can read anything of it at all."""
    try:
        db = sqlite3.connect(f"file:{aside}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        db.close()
        return None  # not a database at all: nothing to keep
    return db


def _set_aside(path: Path) -> Path:
    aside = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    try:
        os.replace(path, aside)
    except OSError as e:
        raise LibraryError(f"library {path} cannot be set aside ({e.strerror or e})") from None
    for suffix in ("-wal", "-shm"):  # a stale journal must not be replayed into the new file
        try:
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        except OSError:
            pass
    return aside


def _move(fresh: Path, path: Path) -> None:
    """Put the rebuilt file in place; its own -wal was checkpointed when it was closed."""
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, path)

