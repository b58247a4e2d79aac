"""Aligning two articles sentence by sentence and labelling copied / changed / added.

How it decides, and why:
1. Exact: sentences whose normalised words (`normalise.words`) are equal are copied.
   This is the only road to "copied": a wrong "copied" is the worst error we can make.
2. Candidates: an inverted index over content words (stopwords out, very common
   words capped) finds every pair sharing vocabulary, in time proportional to the
   overlaps rather than to n*m.
3. Scores: rarity-weighted overlap (idf over the two articles, so the story's own
   subject words such as "Putin" count little), order-aware word similarity
   (Indel on word ids, via rapidfuzz) and containment (how much of the shorter
   sentence is in the longer), combined into one score in [0, 1].
4. Selection: greedy one-to-one by score first, because outlets mostly rewrite
   sentence for sentence and a second-best match is usually a different sentence on
   the same topic; then a containment pass links what is left over to a sentence
   that already has a partner, which is how splits, merges and a standfirst
   repeated in the body show up.
5. Pairs: links that share a sentence on one side and nothing else become one
   pair (a split or merge); word-level opcodes give the highlights.
The thresholds live in `AlignOptions`; they were tuned on the shared gold
(`bench/tune.py`), never per article.
"""
from __future__ import annotations

import math
import threading
from collections import Counter
from itertools import chain
from operator import itemgetter
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from rapidfuzz.distance import Indel

from .clauses import ClauseMatch, find_matches, idf_of, make_unit
from .forking import Forked
from .gcpause import gc_paused
from .model import Alignment, Article, Pair
from .normalise import word_spans, words_and_caps

STOPWORDS_FILE = Path(__file__).parent / "rules" / "stopwords.txt"


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(STOPWORDS_FILE.read_text(encoding="utf-8").split())


@dataclass(frozen=True)
class AlignOptions:
    """Decision thresholds; see `bench/tune.py` for how they were chosen."""

    link: float = 0.36          # minimum score for a one-to-one counterpart
    extra_link: float = 0.30    # minimum score for a second partner (split, merge, repeat)
    extra_contain: float = 0.60  # ...and minimum containment of the smaller side in the larger
    # Shared-weight thresholds are in "rare words": multiples of the idf of a word
    # found in one sentence only (`rare_unit`), so they mean the same in a three-
    # sentence brief and a long report (raw idf grows with the number of sentences).
    min_shared: float = 1.45    # minimum rare-word weight shared: guards short sentences
    min_facts: int = 2          # minimum shared content words that are not names (lower case, numbers)
    w_dice: float = 0.5         # weights of the combined score
    w_seq: float = 0.3
    w_contain: float = 0.2
    max_candidates: int = 12    # per sentence, before the costlier features
    full_matrix_limit: int = 250_000  # up to this many sentence pairs, consider every pair
    index_cap: int = 16         # large inputs: index keys found in at most this many sentences...
    common_cap: float = 0.5     # ...or in at most common_cap * sqrt(sentences), if more
    query_keys: int = 12        # large inputs: each sentence looks up only its rarest keys
    semantic: bool = False
    clause: bool = True          # look for reused clauses inside longer sentences
    clause_cover: float = 0.5    # share of a clause's rare-word weight found in the other sentence
    clause_shared: float = 2.5   # ...and that weight, in rare words: about three, not one topic word
    clause_words: int = 3        # ...and at least this many shared content stems
    clause_run: int = 3          # ...and this many words in a row, in the same order
    clause_facts: int = 2        # ...and this many shared words that are not names (lower case or numbers)
    clause_both: float = 4.3     # shared weight (rare words) needed when both sentences already have partners
    clause_skip: float = 0.7     # sentences linked at least this well are not searched for clauses
    sem_free: float = 0.75       # semantic mode: cosine for a link between two sentences left without partner
    sem_linked: float = 0.85     # ...and from a sentence without partner to one that has one
    sem_words: int = 3           # ...and at least this many shared content stems (a shared fact, not a topic)
    clause_cap: int = 16         # stems in more sentences than this do not propose candidates

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class _Side:
    art: Article
    words: list[tuple[str, ...]] = field(default_factory=list)
    seq: list[tuple[int, ...]] = field(default_factory=list)  # word ids, in order
    content: list[frozenset[int]] = field(default_factory=list)
    facts: list[frozenset[int]] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.words)

    def spans(self, i: int) -> list[tuple[int, int]]:
        """Article offsets of sentence i's comparison words (computed only for the pairs shown)."""
        s = self.art.sentences[i]
        return [(a + s.start, b + s.start) for a, b in word_spans(s.text)]


_VOCAB: dict[str, int] = {}
_VOCAB_LOCK = threading.Lock()


def _word_id(w: str) -> int:
    """A process-wide id per comparison word, so prepared sentences can be reused."""
    k = _VOCAB.get(w)
    if k is None:
        with _VOCAB_LOCK:
            k = _VOCAB.setdefault(w, len(_VOCAB))
    return k


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One sentence's comparison words, their ids, and its content word ids."""

    words: tuple[str, ...]
    seq: tuple[int, ...]
    content: frozenset[int]
    facts: frozenset[int]   # content words not written with a capital: not names


_PREPARED: dict[str, _Prepared] = {}
_CACHE_LIMIT = 200_000


def _prepare_sentence(text: str) -> _Prepared:
    """Tokenise once per distinct sentence: a folder aligns each article with many others,
    and copied sentences recur across articles, so most calls are cache hits."""
    hit = _PREPARED.get(text)
    if hit is None:
        hit = _from_words(*words_and_caps(text))
        if len(_PREPARED) < _CACHE_LIMIT:
            _PREPARED[text] = hit
    return hit


def _from_words(words: list[str], caps: list[bool]) -> _Prepared:
    stop = stopwords()
    get = _VOCAB.get
    seq = [get(w) for w in words]
    if None in seq:
        seq = [_word_id(w) for w in words]
    content = [k for k, w in zip(seq, words) if w not in stop]
    if len(content) == len(seq):
        facts = [k for k, c in zip(seq, caps) if not c]
    else:
        facts = [k for k, w, c in zip(seq, words, caps) if not c and w not in stop]
    return _Prepared(tuple(words), tuple(seq), frozenset(content), frozenset(facts))


def tokenise(art: Article) -> dict[str, tuple[list[str], list[bool]]]:
    """The words of each sentence of `art`, in a form that crosses processes (no word ids):
    computed where the article was loaded, in a forked child, then `adopt`ed here."""
    return {s.text: words_and_caps(s.text) for s in art.sentences}


def adopt(tokens: dict[str, tuple[list[str], list[bool]]]) -> None:
    """Take sentences tokenised elsewhere (`tokenise`) into this process's cache."""
    for text, (words, caps) in tokens.items():
        if text not in _PREPARED and len(_PREPARED) < _CACHE_LIMIT:
            _PREPARED[text] = _from_words(words, caps)


def warm(art: Article) -> None:
    """Tokenise `art` now, ahead of `align` (while another process does the other side)."""
    for s in art.sentences:
        _prepare_sentence(s.text)


def clear_caches() -> None:
    """Forget every per-sentence cache (benchmarks time cold runs; long sessions free memory)."""
    from . import clauses, normalise

    _PREPARED.clear()
    normalise.word_spans.cache_clear()
    clauses._PARTS.clear()
    clauses._DETAILS.clear()
    clauses._CLAUSES.clear()
    normalise.stem.cache_clear()
    normalise._raw_cache.clear()


def _prepare(art: Article) -> _Side:
    side = _Side(art)
    for s in art.sentences:
        p = _prepare_sentence(s.text)
        side.words.append(p.words)
        side.seq.append(p.seq)
        side.content.append(p.content)
        side.facts.append(p.facts)
    return side


def combined_score(dice: float, seq: float, contain: float, opt: AlignOptions) -> float:
    """The one score every link decision uses (the aligner and the folder index's check).

    With seq=1.0 it is the upper bound for any word order, used to skip the costlier
    Indel similarity when even a perfect order could not reach a link.
    """
    return min(opt.w_dice * dice + opt.w_seq * seq + opt.w_contain * contain, 1.0)


def rare_unit(n_sentences: int) -> float:
    """The idf of a word found in one sentence on each side: the unit of the shared-weight thresholds."""
    return math.log((n_sentences + 1) / 2.5)


def _idf(left: _Side, right: _Side) -> dict[int, float]:
    df: dict[int, int] = {}
    for side in (left, right):
        for c in side.content:
            for w in c:
                df[w] = df.get(w, 0) + 1
    n = left.n + right.n
    return {w: math.log((n + 1) / (d + 0.5)) for w, d in df.items()}


def _kinds_compatible(a: str, b: str) -> bool:
    """Headlines are compared with headlines only; body and subheads with each other."""
    return (a == "title") == (b == "title")


def _candidates(left: _Side, right: _Side, idf: dict[int, float],
                opt: AlignOptions) -> tuple[dict[tuple[int, int], float], bool]:
    """Shared rare-word weight for the pairs worth scoring, and whether the index capped them.

    Small inputs: every pair sharing a content word (exact, cheap at that size).
    Large inputs: candidates come from an inverted index of rare words and word
    bigrams, capped by document frequency so that common words cannot make the
    work quadratic; the top candidates per sentence are then scored exactly.
    """
    if left.n * right.n <= opt.full_matrix_limit:
        return _all_sharing(left, right, idf), False
    keys_l = [_keys(left, i) for i in range(left.n)]
    keys_r = [_keys(right, j) for j in range(right.n)]
    df = Counter(chain.from_iterable(keys_l + keys_r))
    cap = max(opt.index_cap, int(opt.common_cap * (left.n + right.n) ** 0.5))
    # A key in one sentence only (df 1) can link nothing: most bigrams, on long inputs.
    useful = {k for k, c in df.items() if 1 < c <= cap}
    index: dict = {}
    for j, ks in enumerate(keys_r):
        for k in ks & useful:
            index.setdefault(k, []).append(j)
    shared: dict[tuple[int, int], float] = {}
    for i, ks in enumerate(keys_l):
        rarest = sorted(ks & index.keys(), key=df.__getitem__)[:opt.query_keys]
        hits = Counter(chain.from_iterable([index[k] for k in rarest]))
        ci = left.content[i]
        # = hits.most_common(k) (a stable sort, ties in first-seen order), without heapq's Python loop
        for j, _ in sorted(hits.items(), key=itemgetter(1), reverse=True)[:opt.max_candidates]:
            shared[(i, j)] = sum([idf[w] for w in ci & right.content[j]])
    return shared, True


def _keys(side: _Side, i: int) -> set:
    """Index keys of a sentence: its content word ids and its word-id bigrams."""
    seq = side.seq[i]
    return set(side.content[i]).union(zip(seq, seq[1:]))


def _all_sharing(left: _Side, right: _Side, idf: dict[int, float]) -> dict[tuple[int, int], float]:
    index: dict[int, list[int]] = {}
    for j, c in enumerate(right.content):
        for w in c:
            index.setdefault(w, []).append(j)
    shared: dict[tuple[int, int], float] = {}
    for i, c in enumerate(left.content):
        acc: dict[int, float] = {}
        for w in c:
            wt = idf[w]
            for j in index.get(w, ()):
                acc[j] = acc.get(j, 0.0) + wt
        for j, v in acc.items():
            shared[(i, j)] = v
    return shared


def _score_pairs(left: _Side, right: _Side, opt: AlignOptions) -> dict[tuple[int, int], tuple[float, float]]:
    """(score, containment) for the most promising pairs of each sentence."""
    idf = _idf(left, right)
    for side in (left, right):
        side.weight = [sum(idf[w] for w in c) for c in side.content]
    shared, capped = _candidates(left, right, idf, opt)
    titles_l = [s.kind == "title" for s in left.art.sentences]
    titles_r = [s.kind == "title" for s in right.art.sentences]
    prelim: dict[tuple[int, int], tuple[float, float]] = {}
    for (i, j), w in shared.items():
        if titles_l[i] != titles_r[j]:
            continue  # headlines are compared with headlines only (`_kinds_compatible`)
        wi, wj = left.weight[i], right.weight[j]
        if wi <= 0 or wj <= 0:
            continue
        prelim[(i, j)] = (2 * w / (wi + wj), w / min(wi, wj))
    # The index already kept at most max_candidates per left sentence, so the top-k
    # cut below would keep every pair: it matters only for the all-pairs road.
    keep = sorted(prelim) if capped else sorted(_top_k(prelim, opt.max_candidates))
    out: dict[tuple[int, int], tuple[float, float]] = {}
    bound_floor = min(opt.link, opt.extra_link)
    unit = rare_unit(left.n + right.n)
    for (i, j) in keep:
        dice, contain = prelim[(i, j)]
        if shared[(i, j)] < opt.min_shared * unit and dice < 0.999:
            continue
        common = left.content[i] & right.content[j]
        if len(common & (left.facts[i] | right.facts[j])) < opt.min_facts and dice < 0.999:
            continue  # only names in common: the same people, not the same sentence
        if combined_score(dice, 1.0, contain, opt) < bound_floor:
            continue  # cannot reach a link even with identical word order
        seq = Indel.normalized_similarity(left.seq[i], right.seq[j])
        out[(i, j)] = (combined_score(dice, seq, contain, opt), contain)
    return out


def _top_k(prelim: dict[tuple[int, int], tuple[float, float]], k: int) -> set[tuple[int, int]]:
    by_i: dict[int, list] = {}
    by_j: dict[int, list] = {}
    for (i, j), (d, c) in prelim.items():
        v = d + c
        by_i.setdefault(i, []).append((v, j))
        by_j.setdefault(j, []).append((v, i))
    keep = set()
    for i, lst in by_i.items():
        keep.update((i, j) for _, j in sorted(lst, reverse=True)[:k])
    for j, lst in by_j.items():
        keep.update((i, j) for _, i in sorted(lst, reverse=True)[:k])
    return keep


def _select(left: _Side, right: _Side, scores: dict, opt: AlignOptions) -> dict[tuple[int, int], float]:
    """Choose links: exact copies, then greedy one-to-one, then containment extras."""
    links: dict[tuple[int, int], float] = {}
    used_l: set[int] = set()
    used_r: set[int] = set()
    exact: dict[tuple[str, ...], list[int]] = {}
    for j, ws in enumerate(right.words):
        if ws:
            exact.setdefault(tuple(ws), []).append(j)
    for i, ws in enumerate(left.words):
        for j in exact.get(tuple(ws), ()) if ws else ():
            if _kinds_compatible(left.art.sentences[i].kind, right.art.sentences[j].kind):
                links[(i, j)] = 1.0
                used_l.add(i)
                used_r.add(j)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
    for (i, j), (s, _) in ranked:
        if s < opt.link:
            break
        if i in used_l or j in used_r:
            continue
        links[(i, j)] = s
        used_l.add(i)
        used_r.add(j)
    # Leftovers may be a piece of a sentence that already has its partner.
    for (i, j), (s, c) in ranked:
        if s < opt.extra_link:
            break
        if (i, j) in links or (i in used_l and j in used_r):
            continue
        if c >= opt.extra_contain:
            links[(i, j)] = s
            used_l.add(i)
            used_r.add(j)
    return links


def _group(links: dict[tuple[int, int], float]) -> list[tuple[list[int], list[int]]]:
    """One pair per link, except adjacent sentences sharing one partner and nothing else.

    Those are a split (or merge) and read best as one row.  An exact copy is never
    folded into a group: it would lose its "copied" label.  A repeated sentence (a
    standfirst used again in the body) is not adjacent, so it stays a pair of its own.
    """
    by_l: dict[int, list[int]] = {}
    by_r: dict[int, list[int]] = {}
    for i, j in links:
        by_l.setdefault(i, []).append(j)
        by_r.setdefault(j, []).append(i)
    groups, done = [], set()
    for i, js in sorted(by_l.items()):
        js = sorted(j for j in js if len(by_r[j]) == 1 and links[(i, j)] < 1.0)
        if len(js) > 1 and js[-1] - js[0] == len(js) - 1:  # adjacent pieces: a split
            groups.append(([i], js))
            done.update((i, j) for j in js)
    for j, is_ in sorted(by_r.items()):
        is_ = sorted(i for i in is_ if len(by_l[i]) == 1 and links[(i, j)] < 1.0 and (i, j) not in done)
        if len(is_) > 1 and is_[-1] - is_[0] == len(is_) - 1:  # adjacent pieces: a merge
            groups.append((is_, [j]))
            done.update((i, j) for i in is_)
    for (i, j) in sorted(links):
        if (i, j) not in done:
            groups.append(([i], [j]))
    groups.sort(key=lambda g: (g[0][0], g[1][0]))
    return groups


def _make_pair(left: _Side, right: _Side, li: list[int], rj: list[int]) -> Pair:
    lw = [w for i in li for w in left.words[i]]
    rw = [w for j in rj for w in right.words[j]]
    if lw == rw:
        return Pair(li, rj, "copied", 1.0)
    ls = [sp for i in li for sp in left.spans(i)]
    rs = [sp for j in rj for sp in right.spans(j)]
    lmarks, rmarks = [], []
    for op in Indel.opcodes(lw, rw):
        if op.tag in ("delete", "replace"):
            lmarks.extend(ls[op.src_start:op.src_end])
        if op.tag in ("insert", "replace"):
            rmarks.extend(rs[op.dest_start:op.dest_end])
    score = Indel.normalized_similarity(lw, rw)
    return Pair(li, rj, "changed", round(min(score, 0.999), 4), _merge_spans(lmarks), _merge_spans(rmarks))


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(spans)):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def align(left: Article, right: Article, options: AlignOptions | None = None) -> Alignment:
    """Compare two articles; every sentence of each side gets a status, every link a pair."""
    with gc_paused():  # see `gcpause`: nothing here makes cycles
        return _align(left, right, options or AlignOptions())


def _align(left: Article, right: Article, opt: AlignOptions) -> Alignment:
    ls, rs = _prepare(left), _prepare(right)
    scores = _score_pairs(ls, rs, opt)
    links = _select(ls, rs, scores, opt)
    pairs = [_make_pair(ls, rs, li, rj) for li, rj in _group(links)]
    if opt.clause or opt.semantic:
        ul, ur = _units(ls), _units(rs)
    if opt.clause:
        clause, within = _clause_links(ls, rs, ul, ur, links, opt)
        for p in pairs:
            if len(p.left) == 1 and len(p.right) == 1 and (p.left[0], p.right[0]) in within:
                p.reused_left, p.reused_right = _reused(within[(p.left[0], p.right[0])])
        pairs += [_clause_pair(ls, rs, i, j, ms) for (i, j), ms in clause.items()]
        links = links | {k: 0.0 for k in clause}
    if opt.semantic:
        from .semantic import semantic_links

        for (i, j), cos in semantic_links(ls.art, rs.art, ul, ur, links, opt).items():
            p = _make_pair(ls, rs, [i], [j])
            p.method = "semantic"
            p.score = round(min(p.score, cos), 4)
            pairs.append(p)
    pairs.sort(key=lambda p: (p.left[0], p.right[0]))
    lstat = ["added"] * ls.n
    rstat = ["added"] * rs.n
    for p in pairs:
        for i in p.left:
            if lstat[i] != "copied":
                lstat[i] = p.status
        for j in p.right:
            if rstat[j] != "copied":
                rstat[j] = p.status
    mode = "semantic" if opt.semantic else "lexical"
    return Alignment(left, right, pairs, lstat, rstat, {**opt.as_dict(), "mode": mode})


def _units(side: _Side) -> list:
    stop = stopwords()
    return [make_unit(s.text, s.start, side.words[i], stop)
            for i, s in enumerate(side.art.sentences)]


def _clause_links(left: _Side, right: _Side, ul: list, ur: list, links: dict,
                  opt: AlignOptions) -> dict[tuple[int, int], list[ClauseMatch]]:
    """Partial reuse not yet linked: a clause of one side derived from a sentence of the other.

    Exact copies are skipped as sources (nothing partial about them).  Each clause
    proposes its single best counterpart; a link already made keeps its pair.
    """
    idf = idf_of(ul, ur)
    linked_l = {i for i, _ in links}
    linked_r = {j for _, j in links}
    # A sentence copied or closely rewritten already has its source: its clauses map onto it.
    copied_l = {i for (i, _), v in links.items() if v >= opt.clause_skip}
    copied_r = {j for (_, j), v in links.items() if v >= opt.clause_skip}
    unit = rare_unit(left.n + right.n)
    kw = dict(min_cover=opt.clause_cover, min_shared=opt.clause_shared * unit, min_words=opt.clause_words,
              min_facts=opt.clause_facts,
              min_run=opt.clause_run,
              df_cap=max(opt.clause_cap, int(opt.common_cap * (left.n + right.n) ** 0.5)))
    out: dict[tuple[int, int], list[ClauseMatch]] = {}
    within = {}  # clause matches inside pairs the lexical pass already made: spans only
    # The two directions are independent: on long inputs the second runs in a forked child.
    other = partial(find_matches, ur, ul, idf, "right", skip=copied_r, **kw)
    job = Forked(other) if left.n + right.n >= _FORK_SENTENCES else None
    found = find_matches(ul, ur, idf, "left", skip=copied_l, **kw)
    found += job.result() if job is not None else other()
    for m in found:
        key = (m.src, m.dst) if m.side == "left" else (m.dst, m.src)
        if key in links:
            if links[key] < 1.0:
                within.setdefault(key, []).append(m)
            continue
        if key[0] in linked_l and key[1] in linked_r and m.shared < opt.clause_both * unit:
            continue  # both have partners: a shared fact, unless the clause is long and rare
        if not _kinds_compatible(left.art.sentences[key[0]].kind, right.art.sentences[key[1]].kind):
            continue
        out.setdefault(key, []).append(m)
    return out, within


_FORK_SENTENCES = 1000  # below this the clause search takes a few ms: not worth a process


def _clause_pair(left: _Side, right: _Side, i: int, j: int, matches: list[ClauseMatch]) -> Pair:
    p = _make_pair(left, right, [i], [j])
    p.method = "clause"
    p.reused_left, p.reused_right = _reused(matches)
    return p


def _reused(matches: list[ClauseMatch]) -> tuple[list, list]:
    """Offsets of the reused clauses on each side, from the clause matches of one pair."""
    rl, rr = [], []
    for m in matches:
        (rl if m.side == "left" else rr).append(m.span)
        (rr if m.side == "left" else rl).append(m.dst_span)
    return _merge_spans(rl), _merge_spans(rr)
