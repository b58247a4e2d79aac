"""Partial reuse: a clause of one sentence that derives from a sentence (or clause) of the other.

Outlets fold a piece of wire copy into a longer sentence of their own ("Putin and
Xi will also sign a joint statement and related document, attending the gala..."),
or keep half of a wire sentence and write the other half.  Whole-sentence scores
dilute such a match with the words around it, so we compare clauses instead.

A clause is a stretch of a sentence between punctuation (commas, semicolons,
colons, dashes, brackets, quotation marks) or before a joining word ("and", "but",
"which", "after", "adding", ...).  Pieces shorter than `MIN_WORDS` words are folded
into their neighbour: "China and Russia" must not become two clauses.

A clause derives from a sentence of the other side when most of its rare-word
weight (idf over both articles, on light stems so "signed" meets "sign") is found
there, and that shared weight is large on its own: two clauses about the same
subject share the subject's words, which are common across the story and weigh
little; sharing several rare words is what copying looks like.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from math import fsum
from collections import Counter
from itertools import chain
from operator import itemgetter
from dataclasses import dataclass

from ..normalise import stem, word_spans
from ..options import idf_by_count
from ..runtime.text_cache import TextCache

MIN_WORDS = 3
_PUNCT = re.compile(r"[,;:()\[\]\"“”«»]|\s[-–—]+\s|[–—]")
_JOIN = re.compile(r"\b(?:and|but|while|whereas|which|who|whom|whose|after|before|as well as|adding|"
                   r"according to|despite|because|although|though|following|including)\b", re.IGNORECASE)
_JOIN_ASCII = re.compile(_JOIN.pattern)  # the same words, for ASCII text already lower-cased
_WORD = re.compile(r"\w+")


def _join_starts(text: str) -> list[int]:
    """Where `_JOIN` matches in `text`.  ASCII text is lower-cased and searched without
    IGNORECASE, which costs a third as much (and means the same there: same length, plain
    ASCII case folding); any other text takes the pattern as it is."""
    if text.isascii():
        return [m.start() for m in _JOIN_ASCII.finditer(text.lower())]
    return [m.start() for m in _JOIN.finditer(text)]


def split_clauses(text: str, offset: int = 0, min_words: int = MIN_WORDS) -> list[tuple[int, int]]:
    """(start, end) spans (plus `offset`) of the clauses of `text`, in order, covering its words."""
    cuts = {0, len(text)}
    for m in _PUNCT.finditer(text):
        cuts.update((m.start(), m.end()))
    cuts.update(_join_starts(text))
    pieces = []
    points = sorted(cuts)
    for a, b in zip(points, points[1:]):
        seg = text[a:b]
        words = _WORD.findall(seg)
        if not words:
            continue
        lead = len(seg) - len(seg.lstrip(" ,;:()[]\"“”«»-–—"))
        trail = len(seg) - len(seg.rstrip(" ,;:()[]\"“”«»-–—.!?"))
        pieces.append([a + lead, b - trail, len(words)])
    merged: list[list[int]] = []
    for p in pieces:
        if merged and (p[2] < min_words or merged[-1][2] < min_words):
            merged[-1][1] = p[1]
            merged[-1][2] += p[2]
        else:
            merged.append(p)
    return [(a + offset, b + offset) for a, b, _ in merged]


@dataclass(frozen=True, slots=True)
class UnitParts:
    """What clause matching needs of a sentence, offsets relative to the sentence.

    Depends only on the sentence's text, so it is computed once per distinct
    sentence and shared by every alignment the sentence takes part in.  Only the
    stem bag is built up front: most sentences only ever serve as a counterpart,
    which needs the bag alone; the details (`details`) and the clauses
    (`clause_view`) are built on first use, for the few sentences searched.
    """

    text: str
    words: tuple[str, ...]
    bag: frozenset[str]
    stop: frozenset[str]


@dataclass(frozen=True, slots=True)
class UnitDetails:
    """A sentence's words as the clause search reads them, in flat tuples: a folder's
    workers keep 200,000 of these, and a (stem, start) tuple per word was four times
    the size (stems are shared strings; starts below 257 are shared ints)."""

    every: tuple[str, ...]     # the stem of every word, in order
    starts: tuple[int, ...]    # where each word starts in the sentence
    content: tuple[int, ...]   # the positions (in `every`) of the content words
    facts: frozenset[str]      # content stems written in lower case or digits


_CACHE_LIMIT = 200_000
_PARTS: TextCache[str, UnitParts] = TextCache(_CACHE_LIMIT)
_DETAILS: TextCache[str, UnitDetails] = TextCache(_CACHE_LIMIT)
_CLAUSES: TextCache[str, tuple[tuple[tuple[int, int], ...], tuple[frozenset[str], ...]]] = TextCache(_CACHE_LIMIT)


def unit_parts(text: str, words: tuple[str, ...], stop: frozenset[str]) -> UnitParts:
    """`words`: the sentence's comparison words (`normalise.words(text)`).

    Cached by text alone (a str caches its hash; the word tuples would be hashed anew
    on every lookup).
    """
    hit = _PARTS.get(text)
    if hit is None:
        hit = UnitParts(text, words, frozenset(map(stem, [w for w in words if w not in stop])), stop)
        _PARTS.put(text, hit)
    return hit


def adopt_parts(text: str, words: tuple[str, ...], bag: frozenset[str], stop: frozenset[str]) -> None:
    """Take a sentence's stem bag computed in another process (`align.tokenise`)."""
    if text not in _PARTS:
        _PARTS.put(text, UnitParts(text, words, bag, stop))


def details(p: UnitParts) -> UnitDetails:
    hit = _DETAILS.get(p.text)
    if hit is None:
        starts = tuple([a for a, _ in word_spans(p.text)])
        every = tuple(map(stem, p.words))  # each word stemmed once (stem is an lru_cache call)
        content = tuple([k for k, w in enumerate(p.words) if w not in p.stop])
        hit = UnitDetails(every, starts, content,
                          frozenset([every[k] for k in content if not p.text[starts[k]].isupper()]))
        _DETAILS.put(p.text, hit)
    return hit


def clause_view(p: UnitParts) -> tuple[tuple[tuple[int, int], ...], tuple[frozenset[str], ...]]:
    """The clauses of a sentence (relative spans) and the content stems of each."""
    hit = _CLAUSES.get(p.text)
    if hit is None:
        clauses = tuple(split_clauses(p.text))
        # Clauses are in order and do not overlap: one pass over the stems, in order.
        bags: list[list[str]] = [[] for _ in clauses]
        k = 0
        d = details(p)
        for st, x in zip(map(d.every.__getitem__, d.content), map(d.starts.__getitem__, d.content)):
            while k < len(clauses) and x >= clauses[k][1]:
                k += 1
            if k == len(clauses):
                break
            if x >= clauses[k][0]:
                bags[k].append(st)
        hit = clauses, tuple(map(frozenset, bags))
        _CLAUSES.put(p.text, hit)
    return hit


@dataclass(slots=True)
class Unit:
    """One sentence seen as clauses, placed in its article at `start`."""

    start: int
    parts: UnitParts

    @property
    def bag(self) -> frozenset[str]:
        return self.parts.bag


def make_unit(text: str, start: int, words: tuple[str, ...], stop: frozenset[str]) -> Unit:
    """A sentence's clause view, placed in its article at `start`."""
    return Unit(start, unit_parts(text, words, stop))


def _clause_words(p: UnitParts, span: tuple[int, int]) -> list[str]:
    """The stems of the words inside `span`, found by bisection on the word starts: a scan
    of the whole sentence per clause was quadratic in a 20,000-word sentence."""
    d = details(p)
    return list(d.every[bisect_left(d.starts, span[0]):bisect_left(d.starts, span[1])])


_GRAMS: TextCache[tuple[str, int], frozenset[tuple[str, ...]]] = TextCache(_CACHE_LIMIT)


def _shares_run(words: list[str], dst: UnitParts, n: int) -> bool:
    """Whether `words` and sentence `dst` share a run of `n` words in the same order: one
    look-up per word against the set of `dst`'s n-word runs (built once per sentence), so a
    long sentence costs its length once, not once per clause searched against it."""
    key = (dst.text, n)
    grams = _GRAMS.get(key)
    if grams is None:
        seq = details(dst).every
        grams = frozenset(zip(*(seq[k:] for k in range(n))))
        _GRAMS.put(key, grams)
    return any(g in grams for g in zip(*(words[k:] for k in range(n))))


@dataclass(frozen=True, slots=True)
class ClauseMatch:
    """Clause `span` of sentence `src` (on side `side`) derives from sentence `dst` of the other side."""

    side: str              # "left" or "right": where the reused clause is
    src: int
    dst: int
    cover: float           # share of the clause's rare-word weight found in dst
    shared: float          # that weight, in idf units
    run: int               # the clause shares a run of at least this many words (stems) with dst, in order
    span: tuple[int, int]  # the clause, article offsets of the src side
    dst_span: tuple[int, int]  # the clause of dst that shares most with it


def idf_of(units_a: list[Unit], units_b: list[Unit]) -> dict[str, float]:
    df = Counter(chain.from_iterable([u.parts.bag for u in (*units_a, *units_b)]))
    return idf_by_count(df, len(units_a) + len(units_b))


def find_matches(src: list[Unit], dst: list[Unit], idf: dict[str, float], side: str, *,
                 min_cover: float, min_shared: float, min_words: int, min_run: int, df_cap: int,
                 min_facts: int = 2,
                 skip: set[int] | frozenset[int] = frozenset()) -> list[ClauseMatch]:
    """For every clause of every `src` sentence (but `skip`), its best `dst` sentence, if it derives from it.

    Candidates come from an inverted index of stems found in at most `df_cap`
    dst sentences, so the pass stays linear on long inputs.
    """
    index: dict[str, list[int]] = {}
    for j, u in enumerate(dst):
        for s in u.bag:
            index.setdefault(s, []).append(j)
    out = []
    floor = min_shared * 0.5
    for i, u in enumerate(src):
        if i in skip or len(u.bag) < min_words:
            continue
        rare, common_weight = _rare_hits(u.bag, index, idf, df_cap)
        if max(rare.values(), default=0.0) < floor - 1e-9:
            continue  # a clause's stems are a subset of the sentence's: none can do better
        if not _may_share(u.bag, rare, common_weight, idf, dst, min_words, min_shared):
            continue  # the same bound, exact: most sentences stop here, before their clauses are cut
        parts = u.parts
        for span, cs in zip(*clause_view(parts)):
            if len(cs) < min_words:
                continue
            total = fsum(map(idf.__getitem__, cs))
            hits: dict[int, float] = {}
            # As in `_rare_hits`, but in a fixed order: the sums rank the candidates, and a
            # set's order (string hashes) changes from run to run; so would near-equal ranks.
            for s in sorted(filter(index.__contains__, cs)):
                post = index[s]
                if len(post) <= df_cap:
                    for j in post:
                        hits[j] = hits.get(j, 0.0) + idf[s]
            if not hits:
                continue
            # The index weight (rare stems only) ranks; the exact weight decides among the top few.
            # Top three by weight, ties by index: two C-level sorts (the second is stable).
            top = [j for j, _ in sorted(sorted(hits.items()), key=itemgetter(1), reverse=True)[:3]]
            if hits[top[0]] < floor:
                continue  # too little rare evidence anywhere to reach the threshold
            shared, best = max((fsum(map(idf.__getitem__, cs & dst[j].bag)), -j) for j in top)
            best = -best
            common = cs & dst[best].bag
            if len(common) < min_words or shared < min_shared or shared < min_cover * total:
                continue
            if len(common & (details(parts).facts | details(dst[best].parts).facts)) < min_facts:
                continue  # only names in common: the story's subject, not a reused clause
            if not _shares_run(_clause_words(parts, span), dst[best].parts, min_run):
                continue
            run = min_run
            a, b = _best_clause(dst[best].parts, cs, idf)
            out.append(ClauseMatch(side, i, best, shared / total, shared, run, (span[0] + u.start, span[1] + u.start),
                                   (a + dst[best].start, b + dst[best].start)))
    return out


def _rare_hits(stems: frozenset[str], index: dict[str, list[int]], idf: dict[str, float],
               df_cap: int) -> tuple[dict[int, float], float]:
    """The rare-stem weight `stems` share with each indexed sentence they meet (rare: a
    posting of at most `df_cap`), and the weight of their other indexed stems."""
    hits: dict[int, float] = {}
    common = 0.0
    # Most stems are in no indexed sentence: a C-level filter skips them, in the same order
    # (the sums add the same floats in the same order as a loop over every stem).
    for s in filter(index.__contains__, stems):
        post = index[s]
        w = idf[s]
        if len(post) <= df_cap:
            for j in post:
                hits[j] = hits.get(j, 0.0) + w
        else:
            common += w
    return hits, common


def _may_share(bag: frozenset[str], hits: dict[int, float], common: float, idf: dict[str, float],
               dst: list[Unit], min_words: int, min_shared: float) -> bool:
    """Whether some clause of the sentence with stems `bag` could pass `find_matches`' test
    of shared words; `hits`, `common`: `_rare_hits` of `bag`.

    A clause's counterpart is met through one of its rare stems (one of `hits`), and the
    clause shares no more with it than the whole sentence does, which is at most its rare
    weight with it plus the weight of the sentence's common stems.  Only the sentences
    that bound allows are checked exactly; if none shares `min_words` stems and
    `min_shared` weight with the whole sentence, no clause can (the margin covers sums of
    the same floats added in another order)."""
    weight = idf.__getitem__
    floor = min_shared - 1e-9
    for j, w in hits.items():
        if w + common < floor:
            continue
        shared = bag & dst[j].bag
        if len(shared) >= min_words and sum(map(weight, shared)) >= floor:
            return True
    return False


def _best_clause(p: UnitParts, cs: frozenset[str], idf: dict[str, float]) -> tuple[int, int]:
    """The clause of a sentence (relative span) sharing the most rare weight with `cs`."""
    clauses, bags = clause_view(p)
    k = max(range(len(clauses)), key=lambda n: fsum(map(idf.__getitem__, bags[n] & cs)))
    return clauses[k]
