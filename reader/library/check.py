"""Which library documents an article reuses: find, verify, align.

Three stages, the folder matrix's (`reader.folder.matrix`), with the library's index in
place of the folder's:

1. **Find**: every key of the article's sentences (`keys.article_keys`; library
   sentences were filed under a winnowed sample of theirs) is looked up in the
   library file.  A document counts for a sentence when it holds the
   sentence's exact key, or at least two of its word-pair keys (one when the
   sentence has only one): a lightly edited sentence keeps most of its pairs, a
   sentence that merely shares a topic keeps one or none.  Pair keys held by more
   than `pair_cap` documents are skipped (a story's own subject; the matrix caps
   its keys the same way).  Each document's score is the sum, over the article's
   sentences it counts for, of the share of that sentence's keys it holds.
2. **Verify**: the best-scored documents, in order, go through the matrix's own
   check (`sentence_index.build_index` + `linked_articles`, on the article and a
   few candidates at a time): a sentence pair the aligner could link, by the
   aligner's score and thresholds.
3. **Align**: `reader.align.align(article, document)` on the verified ones only, so
   each verdict is exactly what `reader diff ARTICLE DOCUMENT` says.  Documents are
   aligned as stored when they were added (`store`), without their files.

At most `examine` candidates are verified per article and at most `top` matches
kept; the result says how many candidates were left unexamined, so a story carried
by hundreds of library documents is reported as such rather than silently cut.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from ..align import AlignOptions, align
from ..model import Alignment, Article
from ..folder.sentence_index import build_index, linked_articles
from .keys import article_keys
from .store import STORE_CAP, DocInfo, Library


# Candidates verified together, as one small folder: the article is tokenised once per
# chunk, not once per candidate.  Kept small so that the folder index's own limits (a key
# in more than 40 sentences, a sentence in more than 20 articles) cannot bite where the
# same two articles alone would pass.
VERIFY_CHUNK = 8


@dataclass(frozen=True, slots=True)
class CheckOptions:
    top: int = 10              # matches kept per article
    examine: int = 40          # candidates verified per article, best first
    pair_cap_min: int = 100    # a word-pair key in more documents than this is skipped...
    pair_cap_share: float = 0.002  # ...or than this share of the library, if more


@dataclass(slots=True)
class Match:
    """One library document the article reuses, with the alignment `reader diff` would show."""

    doc: DocInfo
    alignment: Alignment
    score: float   # the find stage's score (how much of the article's keys it holds)

    @property
    def shares(self) -> dict[str, float]:
        """Shares of the article's body words copied / changed from the document."""
        return self.alignment.word_shares("left")

    @property
    def total(self) -> float:
        s = self.shares
        return s["copied"] + s["changed"]


@dataclass(slots=True)
class CheckResult:
    article: Article
    matches: list[Match] = field(default_factory=list)
    candidates: int = 0        # documents the find stage proposed
    examined: int = 0          # ...of which this many were verified
    aligned: int = 0           # ...and this many passed and were aligned
    seconds: float = 0.0

    @property
    def unexamined(self) -> int:
        return self.candidates - self.examined


def candidates(lib: Library, art: Article, options: CheckOptions | None = None,
               n_docs: int | None = None) -> list[tuple[int, float]]:
    """(document id, score) for every document the keys point at, best first."""
    opt = options or CheckOptions()
    total = lib.count() if n_docs is None else n_docs
    pair_cap = max(opt.pair_cap_min, int(opt.pair_cap_share * total))
    sent_keys = article_keys([s.text for s in art.sentences])
    wanted = {k for exact, pairs in sent_keys for k in ([exact] if exact is not None else []) + pairs}
    post = lib.postings(wanted, STORE_CAP)
    score: Counter[int] = Counter()
    for exact, pairs in sent_keys:
        hits: Counter[int] = Counter()
        for k in pairs:
            got = post.get(k)
            if got is not None and got[1] is not None and got[0] <= pair_cap:
                hits.update(got[1])
        need = 1 if len(pairs) == 1 else 2
        counted = {d: c / len(pairs) for d, c in hits.items() if c >= need}
        got = post.get(exact) if exact is not None else None
        if got is not None and got[1] is not None:
            counted.update(dict.fromkeys(got[1], 1.0))
        score.update(counted)
    return sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))


def check_article(lib: Library, art: Article, align_options: AlignOptions | None = None,
                  options: CheckOptions | None = None, n_docs: int | None = None) -> CheckResult:
    """The library documents `art` reuses, best first (see the module docstring)."""
    opt = options or CheckOptions()
    aopt = align_options or AlignOptions()
    t0 = time.perf_counter()
    found = candidates(lib, art, opt, n_docs)
    result = CheckResult(art, candidates=len(found))
    kept: list[tuple[int, float, Alignment]] = []
    todo = found[:opt.examine]
    for start in range(0, len(todo), VERIFY_CHUNK):
        if len(kept) >= opt.top:
            break
        chunk = todo[start:start + VERIFY_CHUNK]
        docs = [lib.article(d) for d, _ in chunk]
        result.examined += len(chunk)
        linked, _ = linked_articles(build_index([art, *docs]), aopt)
        for x, ((doc_id, score), doc) in enumerate(zip(chunk, docs), 1):
            if (0, x) not in linked or len(kept) >= opt.top:
                continue
            result.aligned += 1
            al = align(art, doc, aopt)
            if al.pairs:
                kept.append((doc_id, score, al))
    info = lib.info(d for d, _, _ in kept)
    result.matches = [Match(info[d], al, score) for d, score, al in kept]
    result.matches.sort(key=lambda m: (-m.total, -len(m.alignment.pairs), m.doc.id))
    result.seconds = time.perf_counter() - t0
    return result


def check_articles(articles: list[Article], path=None, align_options: AlignOptions | None = None,
                   options: CheckOptions | None = None, progress=None,
                   should_stop=None) -> list[CheckResult]:
    """Check several articles against the library at `path` (default: the user's), for callers
    such as the app that run it in a worker thread: the file is opened here, in the calling
    thread (SQLite connections stay in theirs), `progress(done, total, path)` is called after
    each article and `should_stop()` polled before each; raises `LibraryError` as `Library` does."""
    out: list[CheckResult] = []
    with Library(path) as lib:
        n_docs = lib.count()
        for k, art in enumerate(articles):
            if should_stop is not None and should_stop():
                break
            out.append(check_article(lib, art, align_options, options, n_docs))
            if progress is not None:
                progress(k + 1, len(articles), art.path)
    return out


def result_json(r: CheckResult) -> dict:
    """One article's check as plain data (`reader library check --format json`)."""
    art = r.article
    return {
        "path": art.path, "title": art.title, "date_iso": art.date_iso, "words": art.word_count,
        "reuses": [match_json(m) for m in r.matches],
        "candidates": r.candidates, "examined": r.examined, "unexamined": r.unexamined,
        "seconds": round(r.seconds, 4),
    }


def match_json(m: Match) -> dict:
    al = m.alignment
    s, d = al.word_shares("left"), al.word_shares("right")
    left, right = al.left.sentences, al.right.sentences
    return {
        "document": m.doc.to_json(),
        "copied": round(s["copied"], 4), "changed": round(s["changed"], 4),
        "total": round(s["copied"] + s["changed"], 4),
        "document_copied": round(d["copied"], 4), "document_changed": round(d["changed"], 4),
        "counts": al.counts("left"),
        "passages": [{"status": p.status, "method": p.method, "score": round(p.score, 4),
                      "article": p.left, "document": p.right,
                      "article_text": [left[i].text for i in p.left],
                      "document_text": [right[j].text for j in p.right]}
                     for p in al.pairs],
    }
