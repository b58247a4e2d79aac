"""The results store of an archive-scale matrix: one SQLite file the user names.

An archive run takes many minutes and may be interrupted; everything it finishes is
written here as it goes, so rerunning the same command picks up where it stopped:

* `units`: input files (or batches of a corpus file's rows) already read; their
  articles are in `articles` (the article itself, compressed, for the align stage;
  its sentences' comparison words and their capitals, for the index and the align
  stage, `article_keys`; a few fields for reports);
* `plan`: the article pairs the index found worth aligning (written once, whole);
* `pairs`: each aligned pair's summary (shares and sentence links), committed in
  batches, so a stop loses at most the pairs in flight.

`meta` holds the settings the results depend on (engine, options, inputs): a store
written with other settings is refused rather than mixed.
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..cache import article_from_json, article_to_json
from ..model import Article
from ..normalise import words_and_caps
from .align_pool import LastUsed

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (unit TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, path TEXT NOT NULL, title TEXT, date_iso TEXT,
                                     words INTEGER NOT NULL, article BLOB NOT NULL, keys BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS skipped (path TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plan (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, summary BLOB NOT NULL,
                                  PRIMARY KEY (a, b)) WITHOUT ROWID;
"""
VERSION = "2"  # 2: the keys hold each word's capital too


class StoreMismatch(Exception):
    """The store was written with other settings or inputs (the message says which)."""


def pack(obj) -> bytes:
    return zlib.compress(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def unpack(blob: bytes):
    return json.loads(zlib.decompress(blob))


class ResultsStore:
    """One store file; `signature` names what its results depend on."""

    def __init__(self, path: str | Path, signature: dict | None = None):
        self.path = str(path)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        if signature is not None:
            self._check(signature)

    def _check(self, signature: dict) -> None:
        wanted = json.dumps({"version": VERSION, **signature}, sort_keys=True)
        row = self.db.execute("SELECT value FROM meta WHERE key='signature'").fetchone()
        if row is None:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('signature', ?)", (wanted,))
        elif row[0] != wanted:
            old = json.loads(row[0])
            differ = sorted(k for k in {**old, **json.loads(wanted)} if old.get(k) != json.loads(wanted).get(k))
            raise StoreMismatch(f"{self.path} holds results for other {', '.join(differ)}: "
                                "name another store (or delete this one)")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------- ingest
    def done_units(self) -> set[str]:
        return {u for (u,) in self.db.execute("SELECT unit FROM units")}

    def add_unit(self, unit: str, items: Iterable[tuple], skipped: Iterable[tuple[str, str]] = ()) -> None:
        """One input unit's articles (`ingest.read_unit` rows), in one transaction."""
        with self.db:
            n = self.n_articles()
            rows = [(n + k, *row) for k, row in enumerate(items)]
            self.db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.executemany("INSERT INTO skipped VALUES (?, ?)", list(skipped))
            self.db.execute("INSERT INTO units VALUES (?)", (unit,))

    def n_articles(self) -> int:
        """Articles stored (ids are 0..n-1): the largest id, not COUNT(*), which reads the whole table."""
        return self.db.execute("SELECT COALESCE(MAX(id) + 1, 0) FROM articles").fetchone()[0]

    def skipped(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT path, reason FROM skipped"))

    def article_keys(self) -> Iterator[tuple[int, list]]:
        """(id, `article_keys`) of every article in id order: what the index is built from."""
        for i, blob in self.db.execute("SELECT id, keys FROM articles ORDER BY id"):
            yield i, unpack(blob)

    def article(self, i: int) -> Article:
        path, blob = self.db.execute("SELECT path, article FROM articles WHERE id=?", (i,)).fetchone()
        return article_from_json(unpack(blob), path)

    def article_rows(self) -> list[tuple[int, str, str | None, str | None, int]]:
        """(id, path, title, date_iso, words) of every article."""
        return list(self.db.execute("SELECT id, path, title, date_iso, words FROM articles ORDER BY id"))

    # ------------------------------------------------------------- plan and pairs
    def set_meta(self, key: str, value) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    def meta(self, key: str):
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_plan(self, pairs: list[tuple[int, int]], stats: dict) -> None:
        with self.db:
            self.db.execute("DELETE FROM plan")
            self.db.executemany("INSERT INTO plan VALUES (?, ?)", pairs)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('plan', ?)", (json.dumps(stats),))

    def plan_stats(self) -> dict | None:
        return self.meta("plan")

    def todo(self) -> list[tuple[int, int]]:
        """Planned pairs not aligned yet, in order."""
        return list(self.db.execute("SELECT a, b FROM plan WHERE NOT EXISTS "
                                    "(SELECT 1 FROM pairs WHERE pairs.a = plan.a AND pairs.b = plan.b) ORDER BY a, b"))

    def add_pairs(self, rows: list[tuple[int, int, dict]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO pairs VALUES (?, ?, ?)",
                                [(a, b, pack(s)) for a, b, s in rows])

    def n_pairs(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]

    def summaries(self) -> Iterator[tuple[int, int, dict]]:
        for a, b, blob in self.db.execute("SELECT a, b, summary FROM pairs ORDER BY a, b"):
            yield a, b, unpack(blob)


class StoredArticles:
    """`articles[i]` read from a store on demand (an align worker's view), the last few kept.

    With `tokens`, the sentences' words and capitals stored at reading time are handed to
    the aligner (`prepared.adopt`) as an article is read, so it need not tokenise them again:
    on the 5,000-article bench that was a sixth of what a worker spent on a new sentence.
    """

    def __init__(self, path: str, keep: int = 3000, tokens: bool = False):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.kept = LastUsed(keep)
        self.tokens = tokens

    def __getitem__(self, i: int) -> Article:
        hit = self.kept.get(i)
        if hit is not None:
            self.kept.move_to_end(i)
            return hit
        path, blob, keys = self.db.execute("SELECT path, article, keys FROM articles WHERE id=?", (i,)).fetchone()
        art = article_from_json(unpack(blob), path)
        if self.tokens:
            from ..alignment.prepared import adopt

            adopt({s.text: (words, list(map("1".__eq__, caps)))
                   for s, (_, words, caps) in zip(art.sentences, unpack(keys))})
        return self.kept.remember(i, art)

    def forget(self, i: int) -> None:
        """Drop article i from those kept (its align worker has no pair left with it)."""
        self.kept.pop(i, None)


def article_keys(art: Article) -> list[tuple[bool, list[str], str]]:
    """What the store keeps of each sentence: whether it is a title, its comparison words
    (the index's keys) and which of them are written with a capital ("0" / "1" a word; the
    aligner's `normalise.words_and_caps`, computed here once for both)."""
    out = []
    for s in art.sentences:
        words, caps = words_and_caps(s.text)
        out.append((s.kind == "title", words, "".join(map("01".__getitem__, caps))))
    return out


def article_row(art: Article, keys: list) -> tuple:
    """The `articles` row of one article (its number is given by the store; `keys`:
    `article_keys`)."""
    return (art.path, art.title, art.date_iso, art.word_count, pack(article_to_json(art)), pack(keys))
