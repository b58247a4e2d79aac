"""Who copied whom across a whole folder: a directional matrix and per-sentence provenance.

`build_matrix(articles)` indexes every sentence (`compact_index`), aligns with
`reader.align.align` only the article pairs that share a verified candidate, and
reads everything off those alignments.  So a cell is exactly what `reader diff A B`
says about the pair, and pairs that were not aligned share nothing the index
could find (the benchmark measures how often that misses a link: `bench/matrix.py`).

Cell (a, b): the share of article a's body words (titles excluded, as in
`Alignment.word_shares`) in sentences that have a counterpart in b, split into
copied and changed.  The matrix is directional: a short article made of a long
one's sentences has a high (short, long) cell and a low (long, short) one.

Provenance of a sentence: the articles that share it (direct counterparts) and the
likely source, the earliest by `Article.date_iso`.  Dates are days, and many
pages have none: when the earliest date is shared, or an article in the group has
no date, the verdict says so and `source` stays None rather than guess.

Built to run in a worker thread: `progress(done, total, stage)` is called as it
goes, `should_stop()` is polled, and `partial(matrix, pairs)` (if given) receives the
matrix so far, with the article pairs new since the last call, at most every
`partial_seconds` while pairs are aligned: a view can fill in as the work goes.
Nothing here touches a UI.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..align import AlignOptions, align
from ..cache import MatrixCache, article_fingerprint, engine_digest, options_digest
from ..model import Article
from .compact_index import CompactIndex, article_words
from .sentence_index import IndexOptions

Progress = Callable[[int, int, str], None]
Partial = Callable[["FolderMatrix", list[tuple[int, int]]], None]
Verdict = Literal["unshared", "earliest", "same date", "undated"]


class MatrixCancelled(Exception):
    """Raised by `build_matrix` when `should_stop()` returned True."""


@dataclass(frozen=True, slots=True)
class Cell:
    """Share of the row article's words found in the column article."""

    copied: float = 0.0
    changed: float = 0.0

    @property
    def total(self) -> float:
        return self.copied + self.changed


ZERO = Cell()


@dataclass(frozen=True, slots=True)
class SharedLink:
    """A counterpart of a sentence: sentence `sentence` of article `article`."""

    article: int
    sentence: int
    status: Literal["copied", "changed"]


@dataclass(slots=True)
class Provenance:
    """Where a sentence also appears, and which article it likely came from.

    `candidates` are the articles that could be the source (the sentence's own
    article included): the single earliest-dated one ("earliest"), the articles
    sharing the earliest date ("same date"), or the undated ones plus the earliest
    dated ("undated").  `source` is set only when there is one candidate.
    """

    shared: list[SharedLink] = field(default_factory=list)
    verdict: Verdict = "unshared"
    candidates: list[int] = field(default_factory=list)
    source: int | None = None


@dataclass(slots=True)
class PairSummary:
    """What the matrix keeps of one `align(left, right)`: shares and sentence links."""

    left: Cell
    right: Cell
    links: list[tuple[int, int, str]]

    def to_json(self) -> dict:
        return {"l": [self.left.copied, self.left.changed], "r": [self.right.copied, self.right.changed],
                "links": [list(x) for x in self.links]}

    @classmethod
    def from_json(cls, d: dict) -> PairSummary:
        return cls(Cell(*d["l"]), Cell(*d["r"]), [tuple(x) for x in d["links"]])


@dataclass(slots=True)
class FolderMatrix:
    """The result: `cells[(a, b)]` where a shares body words with b, provenance per sentence.

    Cells absent from `cells` are zero (`cell()` returns `ZERO`); a pair linked only
    by its headlines has no cell, but its headlines' provenance shows the link.
    """

    articles: list[Article]
    cells: dict[tuple[int, int], Cell]
    provenance: list[list[Provenance]]
    stats: dict = field(default_factory=dict)

    def cell(self, a: int, b: int) -> Cell:
        return self.cells.get((a, b), ZERO)

    def shared_share(self, a: int) -> float:
        """Share of a's body words in sentences found in at least one other article."""
        return self._share(a, lambda p: bool(p.shared))

    def taken_share(self, a: int) -> float:
        """Share of a's body words in shared sentences whose likely source is another (earlier) article."""
        return self._share(a, lambda p: p.source is not None and p.source != a)

    def given_count(self, a: int) -> int:
        """How many other articles hold a sentence whose likely source is a."""
        return len({x for x, sents in enumerate(self.provenance) if x != a
                    for p in sents if p.source == a})

    def _share(self, a: int, keep: Callable[[Provenance], bool]) -> float:
        total = hit = 0
        for s, p in zip(self.articles[a].sentences, self.provenance[a]):
            if s.kind == "title":
                continue
            n = len(s.text.split())
            total += n
            if keep(p):
                hit += n
        return hit / total if total else 0.0


def summarise(al) -> PairSummary:
    """The matrix's view of an `Alignment`: word shares of both sides and every link."""
    ls, rs = al.word_shares("left"), al.word_shares("right")
    links = sorted({(i, j, p.status) for p in al.pairs for i in p.left for j in p.right})
    return PairSummary(Cell(ls["copied"], ls["changed"]), Cell(rs["copied"], rs["changed"]), links)


def summarise_pair(left: Article, right: Article, options: AlignOptions | None = None) -> PairSummary:
    """`summarise(align(left, right, options))`, without the highlights only a view of the pair
    reads (`align`'s `highlights`): what the matrix computes for each pair it aligns."""
    return summarise(align(left, right, options, highlights=False))


def build_matrix(articles: list[Article], options: AlignOptions | None = None, *,
                 cache: MatrixCache | None = None, progress: Progress | None = None,
                 should_stop: Callable[[], bool] | None = None,
                 index_options: IndexOptions | None = None, workers: int = 1,
                 partial: Partial | None = None, partial_seconds: float = 1.0) -> FolderMatrix:
    """The folder matrix of `articles` (as returned by `load_articles`), in their order.

    `workers` > 1 aligns pairs in that many processes (spawned, so it is safe from
    a thread); worth it only for large folders, and only if the cores are free.
    """
    opt = options or AlignOptions()
    stop = should_stop or (lambda: False)
    fps = [article_fingerprint(a) for a in articles]
    salt = f"{engine_digest()}:{options_digest(opt.as_dict())}"
    plan_key = options_digest({"salt": salt, "fps": fps, "index": repr(index_options or IndexOptions())})
    stats: dict = {"articles": len(articles), "article_pairs": len(articles) * (len(articles) - 1) // 2}
    plan = cache.get("plans", plan_key) if cache is not None else None
    if plan is not None:
        pairs = [tuple(p) for p in plan["pairs"]]
        stats.update(plan["stats"], from_cache=True)
    else:
        pairs, idx_stats = linked_pairs(articles, opt, index_options, progress, stop, workers)
        stats.update(idx_stats, from_cache=False)
    stats["aligned_article_pairs"] = len(pairs)
    report = None
    if partial is not None:
        def report(summaries: dict, fresh: list[tuple[int, int]]) -> None:
            partial(assemble(articles, dict(summaries), stats), fresh)
    summaries = _summaries(articles, pairs, fps, opt, salt, cache, progress, stop, workers, report, partial_seconds)
    if cache is not None and plan is None:
        cache.put_many("plans", [(plan_key, {"pairs": pairs, "stats": stats})])
    return assemble(articles, summaries, stats)


def linked_pairs(articles: list[Article], opt: AlignOptions, index_options: IndexOptions | None,
                 progress: Progress | None, stop: Callable[[], bool], workers: int = 1
                 ) -> tuple[list[tuple[int, int]], dict]:
    """The article pairs worth aligning (`compact_index`), and the index's counts."""
    idx = CompactIndex(index_options)
    for a, art in enumerate(articles):
        idx.add(article_words(art))
        if progress is not None and (a % 50 == 0 or a == len(articles) - 1):
            progress(a + 1, len(articles), "index")
    if stop():
        raise MatrixCancelled
    return idx.linked_articles(opt, progress, stop, workers)


def _pair_key(salt: str, fa: str, fb: str) -> str:
    return options_digest({"salt": salt, "pair": [fa, fb]})


def _summaries(articles, pairs, fps, opt, salt, cache, progress, stop, workers, report=None,
               report_seconds: float = 1.0) -> dict[tuple[int, int], PairSummary]:
    keys = {p: _pair_key(salt, fps[p[0]], fps[p[1]]) for p in pairs}
    known = cache.get_many("pairs", list(keys.values())) if cache is not None else {}
    out = {p: PairSummary.from_json(known[keys[p]]) for p in pairs if keys[p] in known}
    todo = [p for p in pairs if p not in out]
    new: list[tuple[str, dict]] = []
    if progress is not None:
        progress(len(out), len(pairs), "align")
    fresh: list[tuple[int, int]] = []   # pairs done since the last `report`
    last = [time.monotonic()]
    if report is not None and out and todo:
        report(out, list(out))             # what the cache already knew, at once

    def done(p, s):
        out[p] = s
        if report is not None:
            fresh.append(p)
            if time.monotonic() - last[0] >= report_seconds and len(out) < len(pairs):
                report(out, fresh[:])
                fresh.clear()
                last[0] = time.monotonic()
        new.append((keys[p], s.to_json()))
        if cache is not None and len(new) >= 200:
            cache.put_many("pairs", new)
            new.clear()
        if progress is not None and (len(out) % 20 == 0 or len(out) == len(pairs)):
            progress(len(out), len(pairs), "align")

    if workers > 1 and len(todo) > PROCESS_MIN_PAIRS:
        _align_in_processes(articles, todo, opt, workers, stop, done)
    else:
        for a, b in todo:
            if stop():
                raise MatrixCancelled
            done((a, b), summarise_pair(articles[a], articles[b], opt))
    if progress is not None and pairs and not todo:
        progress(len(pairs), len(pairs), "align")
    if cache is not None and new:
        cache.put_many("pairs", new)
    return out


PROCESS_MIN_PAIRS = 500  # below this, starting processes costs more than it saves


def _align_in_processes(articles, todo, opt, workers, stop, done) -> None:
    """Align `todo` in a pool of spawned processes (`align_pool`), each holding the
    articles of these pairs only."""
    from .align_pool import InMemory, align_in_processes

    involved = sorted({x for p in todo for x in p})
    local = {x: k for k, x in enumerate(involved)}
    source = InMemory([articles[x] for x in involved])
    align_in_processes(source, [(local[a], local[b]) for a, b in todo], opt, workers, stop,
                       lambda p, s: done((involved[p[0]], involved[p[1]]), s), MatrixCancelled)


def assemble(articles: list[Article], summaries: dict[tuple[int, int], PairSummary],
             stats: dict | None = None) -> FolderMatrix:
    """Cells and provenance from the pair summaries (cheap: also the cache's path)."""
    cells: dict[tuple[int, int], Cell] = {}
    shared: list[list[list[SharedLink]]] = [[[] for _ in a.sentences] for a in articles]
    for (a, b), s in summaries.items():
        if s.left.total > 0:
            cells[(a, b)] = s.left
        if s.right.total > 0:
            cells[(b, a)] = s.right
        for i, j, status in s.links:
            shared[a][i].append(SharedLink(b, j, status))
            shared[b][j].append(SharedLink(a, i, status))
    dates = [a.date_iso for a in articles]
    provenance = [[_provenance(x, links, dates) for links in per] for x, per in enumerate(shared)]
    return FolderMatrix(articles, cells, provenance, dict(stats or {}))


def _provenance(own: int, links: list[SharedLink], dates: list[str | None]) -> Provenance:
    if not links:
        return Provenance()
    links.sort(key=lambda k: (k.article, k.sentence))
    group = sorted({own} | {k.article for k in links})
    dated = [x for x in group if dates[x]]
    undated = [x for x in group if not dates[x]]
    first = min((dates[x] for x in dated), default=None)
    earliest = [x for x in dated if dates[x] == first]
    if undated:
        return Provenance(links, "undated", sorted(undated + earliest))
    if len(earliest) > 1:
        return Provenance(links, "same date", earliest)
    return Provenance(links, "earliest", earliest, earliest[0])
