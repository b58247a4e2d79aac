"""An on-disk cache (SQLite) so that reopening a folder costs a file read, not a rebuild.

Five tables, all keyed by content, never by path or modification time, so a
renamed file still hits and an edited one misses:

* ``articles``: a loaded `Article` per (file bytes hash, rules, engine);
* ``pairs``: the summary of `align()` on two articles, per (fingerprint of each
  article, aligner options, engine);
* ``plans``: which article pairs a folder needed aligned, per (ordered list of
  article fingerprints, options, engine): with it an unchanged folder skips the
  sentence index altogether;
* ``folders``: every article of a folder at once, per (content key of each of its
  files): the app reopens a folder with one read (`reader.folder.loading`);
* ``shares``: an article's word shares and sentence counts against a reference, per
  (`shares_key`): the app's share bars of a reopened folder, without aligning again.

"Engine" is `reader.__version__` plus a hash of the core's source and data files,
so that a changed aligner or cleaner (the code changes faster than the version
number) can never serve stale results.  The cache lives in
`platformdirs.user_cache_dir("reader")`, or in ``$READER_CACHE_DIR`` when set
(tests and benchmarks use that, never the user's real cache).
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from . import __version__
from .loading import LoadError, Skipped, discover, read_bytes
from .model import Article, Sentence, Stripped
from .userdirs import cache_dir

CACHE_FILE = "reader-cache.sqlite"
_CORE = Path(__file__).parent
ENGINE_PACKAGES = ("alignment", "folder", "inputs")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pairs (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS plans (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS folders (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS shares (key TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
_TABLES = ("articles", "pairs", "plans", "folders", "shares")


@lru_cache(maxsize=1)
def engine_digest() -> str:
    """Version plus the bytes of the core's code and data: what results depend on.

    The core is the top-level modules and the packages that cleaning, aligning and the
    folder analysis run (`ENGINE_PACKAGES`: the linker lives in reader/alignment, so a
    change there must miss the cached alignments too), not the app, the command line or
    the export, whose changes cannot alter a cached result."""
    h = hashlib.sha256(__version__.encode())
    files = sorted([*_CORE.glob("*.py"), *(_CORE / "rules").glob("*"), *(_CORE / "data").glob("*"),
                    *(f for package in ENGINE_PACKAGES for f in (_CORE / package).rglob("*.py"))])
    for f in files:
        if f.is_file():
            h.update(str(f.relative_to(_CORE)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:24]


def rules_digest(rules: list) -> str:
    h = hashlib.sha256()
    for r in rules:
        h.update(repr((r.id, r.pattern.pattern, r.pattern.flags, r.reason, r.kind, r.max_words)).encode())
    return h.hexdigest()[:24]


def options_digest(options: dict) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:24]


def article_fingerprint(art: Article) -> str:
    """A hash of what an article says and how it was cut into sentences."""
    h = hashlib.sha256(art.text.encode("utf-8", "surrogatepass"))
    for s in art.sentences:
        h.update(f"|{s.start},{s.end},{s.kind}".encode())
    return h.hexdigest()[:32]


def file_key(salt: bytes, path, data: bytes) -> str:
    """The ``articles`` row of a plain file: its bytes, and its suffix, which decides how
    they are read (the same bytes as .txt and as .html are two different articles)."""
    return hashlib.sha256(salt + Path(path).suffix.lower().encode() + b"\0" + data).hexdigest()


def file_keys(files: list, rules: list, plain: list[bool]) -> list[str | None]:
    """The ``articles`` row key of each plain file (None: not a plain file), as the app's
    folder loader and `MatrixCache.load_articles` both look rows up.  A file that cannot
    be read gets a key made from the reason ("skipped:…"), so that a folder with one empty
    file still has a folder record, and a file that becomes readable misses it."""
    salt = f"{engine_digest()}:{rules_digest(rules)}:".encode()
    keys: list[str | None] = []
    for f, ok in zip(files, plain):
        if not ok:
            keys.append(None)
            continue
        try:
            keys.append(file_key(salt, f, read_bytes(f)))
        except LoadError as e:  # empty, too large, unreadable: the reason is the whole result
            keys.append(SKIPPED + hashlib.sha256(salt + e.reason.encode()).hexdigest())
    return keys


SKIPPED = "skipped:"  # prefix of a key that names a reading failure, never a stored row


def shares_key(reference: Article, article: Article, options: dict) -> str:
    """The ``shares`` row of `article` against `reference` aligned with `options` (a dict)."""
    parts = ["shares", engine_digest(), options_digest(options), article_fingerprint(reference),
             article_fingerprint(article)]
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def article_to_json(art: Article) -> dict:
    """An article as a cache row.  A sentence's text is left out when it is the slice of the
    article's text it points at (nearly always: only joined hard-wrapped lines differ), which
    halves a folder's record and the time to read it back when the folder is reopened."""
    text = art.text
    return {"path": art.path, "text": text, "title": art.title, "date": art.date,
            "date_iso": art.date_iso, "byline": art.byline, "source": art.source,
            "encoding": art.encoding, "notes": art.notes, "body_lines": art.body_lines,
            "repaired": art.repaired, "outlet": art.outlet, "url": art.url,
            "sentences": [[s.start, s.end, s.kind] if s.text == text[s.start:s.end] else [s.start, s.end, s.kind, s.text]
                          for s in art.sentences],
            "stripped": [[s.start, s.end, s.text, s.reason] for s in art.stripped]}


def article_from_json(d: dict, path: str) -> Article:
    text = d["text"]
    return Article(path=path, text=text, title=d["title"], date=d["date"], date_iso=d["date_iso"],
                   byline=d["byline"], source=d["source"], encoding=d["encoding"], notes=list(d["notes"]),
                   body_lines=[tuple(b) for b in d["body_lines"]], repaired=bool(d.get("repaired", False)),
                   outlet=d.get("outlet"), url=d.get("url"),
                   sentences=[Sentence(s[0], s[1], s[3] if len(s) > 3 else text[s[0]:s[1]], s[2])
                              for s in d["sentences"]],
                   stripped=[Stripped(a, b, t, r) for a, b, t, r in d["stripped"]])


def _article_or_none(d, path: str) -> Article | None:
    """A cached article, or None when the row is not one (loaded afresh and rewritten)."""
    try:
        return article_from_json(d, path)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _pack(obj) -> bytes:
    return zlib.compress(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def _unpack(blob: bytes):
    return json.loads(zlib.decompress(blob))


def _unpack_or_none(blob):
    """A row's value, or None for a row that does not decode (a miss, recomputed and rewritten)."""
    try:
        return _unpack(blob)
    except (zlib.error, ValueError, TypeError):
        return None


# SQLite's error names that mean "not now" rather than "this file is bad": another
# process holds the database, or the disk or memory is short.  Those skip the cache for
# the step at hand (it is only slower); any other error means the file itself cannot be
# used (not a database, damaged pages, someone else's schema, read-only), so it is set
# aside and a fresh one is built.
_NOT_NOW = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_NOMEM", "SQLITE_INTERRUPT",
                      "SQLITE_IOERR"})
_COLUMNS = ["key", "data"]


class _BadSchema(sqlite3.DatabaseError):
    """The file is a database, but not one this module made."""


def _say(message: str) -> None:
    from .inert import inert

    print(f"reader: {inert(message)}", file=sys.stderr)


class MatrixCache:
    """The SQLite cache; safe to share between threads (one connection, one lock).

    Never a reason for a command to fail: a damaged file is renamed aside
    (``reader-cache.sqlite.bad-<time>``, with its -wal and -shm) and rebuilt, and when
    even that fails the cache is bypassed; either way `report` (stderr by default)
    is told once, in one line.
    """

    def __init__(self, path: str | Path | None = None, report: Callable[[str], None] | None = None):
        self.path = Path(path) if path is not None else cache_dir() / CACHE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.report = report or _say
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._recovered = False
        self.hits = 0
        self.misses = 0
        with self._lock:
            self._use(lambda db: None, None)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        try:
            try:
                db.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError as e:
                if getattr(e, "sqlite_errorname", None) not in _NOT_NOW:
                    raise
                # another process holds it; the default journal works too
            db.executescript(_SCHEMA)
            for table in _TABLES:
                kind = db.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,)).fetchone()
                columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
                if kind != ("table",) or columns != _COLUMNS:
                    raise _BadSchema(f"table {table} is not the cache's")
        except BaseException:
            db.close()
            raise
        return db

    def _use(self, op: Callable[[sqlite3.Connection], object], default):
        """`op(connection)`, with the fault handling above; `default` when the cache cannot serve.

        Called with the lock held."""
        if self._db is None and self._recovered:
            return default  # bypassed for the rest of this run
        try:
            if self._db is None:
                self._db = self._open()
            return op(self._db)
        except sqlite3.Error as e:
            if getattr(e, "sqlite_errorname", None) in _NOT_NOW and not isinstance(e, _BadSchema):
                return default
            return self._recover(e, op, default)

    def _recover(self, error: sqlite3.Error, op, default):
        if self._recovered:  # a rebuilt file failing too: stop using the cache for this run
            self._drop()
            return default
        self._recovered = True
        self._drop()
        aside = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        try:
            os.replace(self.path, aside)
        except OSError as e:
            self.report(f"cache {self.path} cannot be used ({error}) nor set aside ({e.strerror or e}); "
                        "continuing without it")
            return default
        for suffix in ("-wal", "-shm"):  # a stale journal must not be replayed into the new file
            try:
                os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
            except OSError:
                pass
        try:
            self._db = self._open()
            result = op(self._db)
        except sqlite3.Error as e:
            self._drop()
            self.report(f"cache {self.path} was damaged ({error}); set aside as {aside.name}, "
                        f"but a new one cannot be made ({e}); continuing without it")
            return default
        self.report(f"cache {self.path} was damaged ({error}); set aside as {aside.name} and rebuilt")
        return result

    def _drop(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def close(self) -> None:
        with self._lock:
            self._drop()
            self._recovered = True  # nothing reopens it

    def __enter__(self) -> MatrixCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- generic rows
    def get(self, table: str, key: str):
        with self._lock:
            row = self._use(lambda db: db.execute(f"SELECT data FROM {table} WHERE key = ?", (key,)).fetchone(),
                            None)
        value = _unpack_or_none(row[0]) if row is not None else None
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def get_many(self, table: str, keys: list[str]) -> dict[str, object]:
        def fetch(db) -> list[tuple[str, bytes]]:
            rows = []
            for k in range(0, len(keys), 500):
                chunk = keys[k:k + 500]
                marks = ",".join("?" * len(chunk))
                rows += db.execute(f"SELECT key, data FROM {table} WHERE key IN ({marks})", chunk).fetchall()
            return rows

        with self._lock:
            rows = self._use(fetch, [])
        out = {key: value for key, blob in rows if (value := _unpack_or_none(blob)) is not None}
        self.hits += len(out)
        self.misses += len(set(keys)) - len(out)
        return out

    def put_many(self, table: str, items: Iterable[tuple[str, object]]) -> None:
        rows = [(k, _pack(v)) for k, v in items]

        def put(db) -> None:
            with db:
                db.executemany(f"INSERT OR REPLACE INTO {table} (key, data) VALUES (?, ?)", rows)

        with self._lock:
            self._use(put, None)

    # -- articles
    def load_articles(self, paths: Iterable[str | Path], rules: list | None = None,
                      progress: Callable[[int, int, str], None] | None = None) -> tuple[list[Article], list[Skipped]]:
        """`articles.load_articles`, but a file whose bytes were seen before comes from the cache."""
        from .articles import iter_file
        from .inputs.registry import kind_of
        from .rules import load_rules

        rules = load_rules() if rules is None else rules
        found = discover(list(paths))
        skipped = list(found.skipped)
        # web addresses, PDF, Word, e-mail, corpora: read every time; an unreadable file
        # has no row (load_article below reports why)
        keys = [None if k is None or k.startswith(SKIPPED) else k
                for k in file_keys(found.files, rules, [kind_of(f) is None for f in found.files])]
        known = self.get_many("articles", [k for k in keys if k])
        articles: list[Article] = []
        new: list[tuple[str, dict]] = []
        for n, (f, key) in enumerate(zip(found.files, keys), 1):
            hit = _article_or_none(known.get(key), str(f)) if key in known else None
            if hit is not None:
                articles.append(hit)
            else:
                for art in iter_file(f, rules):  # several for a corpus file, an mbox, an e-mail
                    if isinstance(art, Skipped):
                        skipped.append(art)
                        continue
                    articles.append(art)
                    if key:
                        new.append((key, article_to_json(art)))
            if progress is not None:
                progress(n, len(found.files), str(f))
        if new:
            self.put_many("articles", new)
        return articles, skipped
