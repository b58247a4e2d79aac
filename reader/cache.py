"""An on-disk cache (SQLite) so that reopening a folder costs a file read, not a rebuild.

Three tables, all keyed by content, never by path or modification time, so a
renamed file still hits and an edited one misses:

* ``articles``: a loaded `Article` per (file bytes hash, rules, engine);
* ``pairs``: the summary of `align()` on two articles, per (fingerprint of each
  article, aligner options, engine);
* ``plans``: which article pairs a folder needed aligned, per (ordered list of
  article fingerprints, options, engine): with it an unchanged folder skips the
  sentence index altogether.

"Engine" is `reader.__version__` plus a hash of the core's source and data files,
so that a changed aligner or cleaner (the code changes faster than the version
number) can never serve stale results.  The cache lives in
`platformdirs.user_cache_dir("reader")`, or in ``$READER_CACHE_DIR`` when set
(tests and benchmarks use that, never the user's real cache).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from . import __version__
from .loading import LoadError, Skipped, discover
from .model import Article, Sentence, Stripped
from .userdirs import cache_dir

CACHE_FILE = "reader-cache.sqlite"
_CORE = Path(__file__).parent
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pairs (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS plans (key TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


@lru_cache(maxsize=1)
def engine_digest() -> str:
    """Version plus the bytes of the core's code and data: what results depend on."""
    h = hashlib.sha256(__version__.encode())
    files = sorted([*_CORE.glob("*.py"), *(_CORE / "rules").glob("*"), *(_CORE / "data").glob("*")])
    for f in files:
        if f.is_file():
            h.update(f.name.encode())
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


def article_to_json(art: Article) -> dict:
    return {"path": art.path, "text": art.text, "title": art.title, "date": art.date,
            "date_iso": art.date_iso, "byline": art.byline, "source": art.source,
            "encoding": art.encoding, "notes": art.notes, "body_lines": art.body_lines,
            "sentences": [[s.start, s.end, s.kind, s.text] for s in art.sentences],
            "stripped": [[s.start, s.end, s.text, s.reason] for s in art.stripped]}


def article_from_json(d: dict, path: str) -> Article:
    return Article(path=path, text=d["text"], title=d["title"], date=d["date"], date_iso=d["date_iso"],
                   byline=d["byline"], source=d["source"], encoding=d["encoding"], notes=list(d["notes"]),
                   body_lines=[tuple(b) for b in d["body_lines"]],
                   sentences=[Sentence(a, b, t, k) for a, b, k, t in d["sentences"]],
                   stripped=[Stripped(a, b, t, r) for a, b, t, r in d["stripped"]])


def _pack(obj) -> bytes:
    return zlib.compress(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def _unpack(blob: bytes):
    return json.loads(zlib.decompress(blob))


class MatrixCache:
    """The SQLite cache; safe to share between threads (one connection, one lock)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else cache_dir() / CACHE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            pass  # another process holds it; the default journal works too
        self._db.executescript(_SCHEMA)
        self.hits = 0
        self.misses = 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> MatrixCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- generic rows
    def get(self, table: str, key: str):
        with self._lock:
            row = self._db.execute(f"SELECT data FROM {table} WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return _unpack(row[0])

    def get_many(self, table: str, keys: list[str]) -> dict[str, object]:
        out: dict[str, object] = {}
        with self._lock:
            for k in range(0, len(keys), 500):
                chunk = keys[k:k + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(f"SELECT key, data FROM {table} WHERE key IN ({marks})", chunk):
                    out[key] = _unpack(blob)
        self.hits += len(out)
        self.misses += len(set(keys)) - len(out)
        return out

    def put_many(self, table: str, items: Iterable[tuple[str, object]]) -> None:
        rows = [(k, _pack(v)) for k, v in items]
        with self._lock, self._db:
            self._db.executemany(f"INSERT OR REPLACE INTO {table} (key, data) VALUES (?, ?)", rows)

    # -- articles
    def load_articles(self, paths: Iterable[str | Path], rules: list | None = None,
                      progress: Callable[[int, int, str], None] | None = None) -> tuple[list[Article], list[Skipped]]:
        """`articles.load_articles`, but a file whose bytes were seen before comes from the cache."""
        from .articles import load_article
        from .rules import load_rules

        rules = load_rules() if rules is None else rules
        salt = f"{engine_digest()}:{rules_digest(rules)}:".encode()
        found = discover(list(paths))
        skipped = list(found.skipped)
        keys: list[str | None] = []
        for f in found.files:
            try:
                keys.append(hashlib.sha256(salt + Path(f).read_bytes()).hexdigest())
            except OSError:
                keys.append(None)   # load_article below reports why
        known = self.get_many("articles", [k for k in keys if k])
        articles: list[Article] = []
        new: list[tuple[str, dict]] = []
        for n, (f, key) in enumerate(zip(found.files, keys), 1):
            if key in known:
                articles.append(article_from_json(known[key], str(f)))
            else:
                try:
                    art = load_article(f, rules)
                except LoadError as e:
                    skipped.append(Skipped(e.path, e.reason))
                else:
                    articles.append(art)
                    if key:
                        new.append((key, article_to_json(art)))
            if progress is not None:
                progress(n, len(found.files), str(f))
        if new:
            self.put_many("articles", new)
        return articles, skipped
