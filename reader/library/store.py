"""The library file: one SQLite database holding the documents and their sentence keys.

Why SQLite: it is in the standard library, one file the user can copy or name
(`--library FILE`), safe against a crash mid-write (adding is a series of short
transactions, so an interrupted `add` keeps every batch it finished and a re-run
skips those: adding is resumable), and it reads a few hundred keys out of millions
in milliseconds without loading the rest, which is what a check needs.

Tables:

* ``docs``: one row per document: the SHA-256 of its content (unique, so the same
  file added twice is one document), where it came from, and the loaded `Article`
  itself (text, sentences, metadata; zlib'd JSON), so a check aligns against the
  document as it was added, without its file.
* ``keys``: for each sentence key (`keys.py`), how many documents have it (``n``)
  and which (``docs``: their ids as little-endian uint32s).  One row per key, not
  per (key, document): at 100,000 documents that is tens of millions of rows fewer,
  and a check reads one row per key.  Adding appends to the blob in SQL (no
  read-modify-write in Python); a key in more than `STORE_CAP` documents stops
  keeping ids (``docs`` NULL) but keeps its count: such a key says nothing about
  which document an article took from.
* ``meta``: the schema and the keys' version (`keys.keys_version`).

A file that is not a database, or whose pages are damaged, raises `LibraryDamaged`
with a one-line reason; nothing here deletes or sets aside a user's library on its
own (`adding.rebuild` does, when asked).
"""
from __future__ import annotations

import array
import json
import sqlite3
import sys
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from ..model import Article, Sentence, Stripped

LIBRARY_FILE = "library.sqlite"
APPLICATION_ID = 0x52444C42   # "RDLB": this file is a reader library
SCHEMA_VERSION = 1
STORE_CAP = 20_000            # a key in more documents than this keeps only its count
CACHE_KIB = 256 * 1024        # SQLite's page cache: adding touches pages all over the keys table
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL, title TEXT, date_iso TEXT, added TEXT NOT NULL, words INTEGER NOT NULL,
    sentences INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS keys (key INTEGER PRIMARY KEY, n INTEGER NOT NULL, docs BLOB);
"""
_TABLES = {"meta": ["name", "value"],
           "docs": ["id", "hash", "path", "title", "date_iso", "added", "words", "sentences", "data"],
           "keys": ["key", "n", "docs"]}
# Errors that mean "not now" (another process holds the file, the disk is full), not "damaged".
_NOT_NOW = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_NOMEM", "SQLITE_INTERRUPT",
                      "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"})


class LibraryError(Exception):
    """A problem to show the user in one line."""


class LibraryMissing(LibraryError):
    """No library at that path yet."""


class LibraryDamaged(LibraryError):
    """The file cannot be read as a library: not a database, damaged pages, or not ours."""


def default_path() -> Path:
    from ..userdirs import data_dir

    return data_dir() / LIBRARY_FILE


def describe(error: sqlite3.Error, path: Path) -> LibraryError:
    """The one-line error for a SQLite failure on the library at `path`."""
    name = getattr(error, "sqlite_errorname", None)
    if name in _NOT_NOW:
        return LibraryError(f"library {path}: {error} (try again, or check the disk and permissions)")
    return LibraryDamaged(f"library {path} is damaged ({error}); 'reader library rebuild' sets it aside "
                          "and keeps every document that can still be read")


def _ids(blob: bytes | None) -> array.array:
    out = array.array("I")
    if blob:
        out.frombytes(blob)
        if sys.byteorder == "big":
            out.byteswap()
    return out


def _blob(ids: Iterable[int]) -> bytes:
    out = array.array("I", ids)
    if sys.byteorder == "big":
        out.byteswap()
    return out.tobytes()


# -- the stored form of an Article: its text once, sentence and stripped texts only when
# they are not simply the slice of the text they point at (hard-wrapped sentences are).
_PLAIN = [f.name for f in fields(Article) if f.name not in ("text", "sentences", "stripped", "body_lines")]


def encode_article(art: Article) -> bytes:
    text = art.text
    d = {name: getattr(art, name) for name in _PLAIN}
    d["text"] = text
    d["body_lines"] = [list(b) for b in art.body_lines]
    d["sentences"] = [[s.start, s.end, s.kind] + ([] if text[s.start:s.end] == s.text else [s.text])
                      for s in art.sentences]
    d["stripped"] = [[s.start, s.end, s.reason] + ([] if text[s.start:s.end] == s.text else [s.text])
                     for s in art.stripped]
    raw = json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return zlib.compress(raw, 6)


def decode_article(blob: bytes) -> Article:
    d = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
    text = d["text"]
    sents = [Sentence(s[0], s[1], s[3] if len(s) > 3 else text[s[0]:s[1]], s[2]) for s in d["sentences"]]
    stripped = [Stripped(s[0], s[1], s[3] if len(s) > 3 else text[s[0]:s[1]], s[2]) for s in d["stripped"]]
    plain = {name: d[name] for name in _PLAIN if name in d}
    return Article(text=text, sentences=sents, stripped=stripped,
                   body_lines=[tuple(b) for b in d["body_lines"]], **plain)


@dataclass(slots=True)
class NewDoc:
    """A document to add: its content hash, the loaded article, `keys.article_keys` of its
    sentences; `id` and `added` are kept when a rebuild copies a document over."""

    hash: str
    article: Article
    keys: list
    id: int | None = None
    added: str | None = None
    data: bytes | None = None   # `encode_article(article)`, when already made (in a worker)


@dataclass(slots=True)
class DocInfo:
    """A library document as `list` shows it."""

    id: int
    hash: str
    path: str
    title: str | None
    date_iso: str | None
    added: str
    words: int
    sentences: int

    def to_json(self) -> dict:
        return {"id": self.id, "hash": self.hash, "path": self.path, "title": self.title,
                "date_iso": self.date_iso, "added": self.added, "words": self.words, "sentences": self.sentences}


_INFO = "id, hash, path, title, date_iso, added, words, sentences"


class Library:
    """An open library file.  `create=False` raises `LibraryMissing` when there is none."""

    def __init__(self, path: str | Path | None = None, *, create: bool = False):
        self.path = Path(path).expanduser() if path is not None else default_path()
        if not self.path.exists():
            if not create:
                raise LibraryMissing(f"no library at {self.path}; make one with 'reader library add PATH...'")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif self.path.is_dir():
            raise LibraryError(f"library {self.path} is a folder; name a file")
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
        except sqlite3.Error as e:
            raise describe(e, self.path) from None
        try:
            self._prepare(create)
        except sqlite3.Error as e:
            self.db.close()
            raise describe(e, self.path) from None
        except BaseException:
            self.db.close()
            raise

    def _prepare(self, create: bool) -> None:
        """Check (or, for a new file, make) the schema; an existing library is only read here,
        so checking against a library on read-only storage works."""
        db = self.db
        app = db.execute("PRAGMA application_id").fetchone()[0]
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # a bound, taken only as pages are read
        if app != APPLICATION_ID:
            empty = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            if not (empty and create):
                raise LibraryDamaged(f"{self.path} is not a reader library (made by something else); "
                                     "name another file, or 'reader library rebuild' to set it aside")
            db.execute("PRAGMA journal_mode=WAL")  # readers go on while an add writes
            db.executescript(_SCHEMA)
            with db:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        for table, columns in _TABLES.items():
            got = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            if got != columns:
                raise LibraryDamaged(f"library {self.path}: table {table} is not a reader library's; "
                                     "'reader library rebuild' sets it aside")
        schema = self.meta("schema")
        if schema != str(SCHEMA_VERSION):
            raise LibraryError(f"library {self.path} has schema {schema}; this reader reads {SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- metadata
    def meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM docs").fetchone()[0]

    def size(self) -> int:
        """Bytes on disk, write-ahead log included."""
        wal = Path(f"{self.path}-wal")
        return self.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)

    # -- documents
    def has(self, digest: str) -> bool:
        return self.db.execute("SELECT 1 FROM docs WHERE hash = ?", (digest,)).fetchone() is not None

    def known(self, digests: list[str]) -> set[str]:
        out: set[str] = set()
        for k in range(0, len(digests), 500):
            chunk = digests[k:k + 500]
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.db.execute(f"SELECT hash FROM docs WHERE hash IN ({marks})", chunk))
        return out

    def add_batch(self, items: list[NewDoc]) -> list[int | None]:
        """Add documents in one transaction; returns each one's new id, or None when a
        document with its hash is already there (the same content added twice)."""
        ids: list[int | None] = []
        postings: dict[int, list[int]] = {}
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        with self.db:
            for item in items:
                art = item.article
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO docs (id, hash, path, title, date_iso, added, words, sentences, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (item.id, item.hash, art.path, art.title, art.date_iso, item.added or now, art.word_count,
                     len(art.sentences), item.data or encode_article(art)))
                if not cur.rowcount:
                    ids.append(None)
                    continue
                doc = cur.lastrowid
                ids.append(doc)
                for key in _distinct_keys(item.keys):
                    postings.setdefault(key, []).append(doc)
            self.db.executemany(
                "INSERT INTO keys (key, n, docs) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "n = n + excluded.n, "
                f"docs = CASE WHEN docs IS NULL OR n + excluded.n > {STORE_CAP} THEN NULL "
                "ELSE CAST(docs || excluded.docs AS BLOB) END",
                # In key order: each B-tree page is visited once per batch.
                ((k, len(v), _blob(v) if len(v) <= STORE_CAP else None) for k, v in sorted(postings.items())))
        return ids

    def remove(self, doc_ids: list[int]) -> int:
        """Remove documents and their ids from every key; returns how many were removed."""
        removed = 0
        with self.db:
            for doc in doc_ids:
                row = self.db.execute("SELECT data FROM docs WHERE id = ?", (doc,)).fetchone()
                if row is None:
                    continue
                from .keys import article_keys

                art = decode_article(row[0])
                for key in _distinct_keys(article_keys([s.text for s in art.sentences], filed=True)):
                    got = self.db.execute("SELECT n, docs FROM keys WHERE key = ?", (key,)).fetchone()
                    if got is None:
                        continue
                    if got[0] <= 1:
                        self.db.execute("DELETE FROM keys WHERE key = ?", (key,))
                        continue
                    kept = None if got[1] is None else _blob(x for x in _ids(got[1]) if x != doc)
                    self.db.execute("UPDATE keys SET n = ?, docs = ? WHERE key = ?", (got[0] - 1, kept, key))
                self.db.execute("DELETE FROM docs WHERE id = ?", (doc,))
                removed += 1
        return removed

    def documents(self) -> list[DocInfo]:
        return [DocInfo(*r) for r in self.db.execute(f"SELECT {_INFO} FROM docs ORDER BY id")]

    def info(self, doc_ids: Iterable[int]) -> dict[int, DocInfo]:
        ids = list(doc_ids)
        out: dict[int, DocInfo] = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT {_INFO} FROM docs WHERE id IN ({marks})", chunk):
                out[r[0]] = DocInfo(*r)
        return out

    def find(self, selector: str) -> list[DocInfo]:
        """Documents a user's word names: an id, a hash (or its first 8+ characters), or a path."""
        q = f"SELECT {_INFO} FROM docs WHERE "
        if selector.isdigit():
            rows = self.db.execute(q + "id = ?", (int(selector),)).fetchall()
            if rows:
                return [DocInfo(*r) for r in rows]
        if len(selector) >= 8 and all(c in "0123456789abcdef" for c in selector.lower()):
            rows = self.db.execute(q + "hash >= ? AND hash < ?", (selector.lower(), selector.lower() + "g"))
            found = [DocInfo(*r) for r in rows]
            if found:
                return found
        paths = {selector, str(Path(selector).expanduser().resolve())}
        marks = ",".join("?" * len(paths))
        return [DocInfo(*r) for r in self.db.execute(q + f"path IN ({marks}) ORDER BY id", list(paths))]

    def article(self, doc: int) -> Article:
        row = self.db.execute("SELECT data FROM docs WHERE id = ?", (doc,)).fetchone()
        if row is None:
            raise KeyError(doc)
        return decode_article(row[0])

    # -- keys
    def postings(self, keys: Iterable[int], cap: int) -> dict[int, tuple[int, array.array | None]]:
        """key -> (documents holding it, their ids, or None when more than `cap` do)."""
        ks = list(keys)
        out: dict[int, tuple[int, array.array | None]] = {}
        for k in range(0, len(ks), 900):
            chunk = ks[k:k + 900]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT key, n, CASE WHEN n <= ? THEN docs END FROM keys "
                                   f"WHERE key IN ({marks})", [cap, *chunk])
            for key, n, blob in rows:
                out[key] = (n, _ids(blob) if blob is not None else None)
        return out


def _distinct_keys(sent_keys: list) -> set[int]:
    out: set[int] = set()
    for exact, pairs in sent_keys:
        if exact is not None:
            out.add(exact)
        out.update(pairs)
    return out
