"""Finding the sentences a folder's articles share, without comparing every pair.

Aligning every pair of a thousand articles is half a million alignments; almost
all of them would find nothing.  Instead every sentence is indexed once:

* by the hash of its comparison words (`normalise.words`), which finds exact
  copies whatever the typography;
* by its *word pairs*: every two content words (stopwords out) at most
  `window` apart, order ignored.  A light edit (a word swapped, inserted or
  dropped) leaves most pairs intact, and a pair is far rarer than either word,
  so posting lists stay short.  Pairs found in more than `cap` sentences (a
  story's own subject, "prime minister") are not used: they say nothing about
  which sentence was copied, and they are where the quadratic cost hides.

Candidate sentence pairs are then verified with the score `reader.align` uses
(rarity-weighted overlap with idf over the two articles, order-aware word
similarity, containment; same weights and thresholds from `AlignOptions`, minus a
small margin) so that only article pairs with a plausible link are aligned.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from ..options import AlignOptions, combined_score, could_link, rare_unit, shared_enough, stopwords
from ..model import Article
from ..normalise import words

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class IndexOptions:
    """How candidates are found; see the module docstring for why."""

    window: int = 3            # word pairs: content words at most this far apart
    cap_fraction: float = 0.002  # a key in more sentences than this share of all is capped...
    cap_min: int = 40          # ...but never below this many sentences
    margin: float = 0.0        # verification accepts scores this far below the aligner's thresholds
    min_overlap: float = 0.3   # prefilter: shared content words / content words of the shorter sentence
    short: int = 4             # sentences with at most this many content words are also probed word by word
    probe_limit: int = 1000    # ...through word postings no longer than this
    boilerplate: float = 0.5   # an exact sentence in more than this share of articles (and > 20) is boilerplate


@dataclass(slots=True)
class _Sent:
    article: int
    index: int
    title: bool
    seq: list[int]            # word ids in order
    content: frozenset[int]   # content word ids


@dataclass(slots=True)
class SentenceIndex:
    """Every sentence of a folder, keyed for candidate search."""

    sents: list[_Sent] = field(default_factory=list)
    exact: dict[tuple[int, ...], list[int]] = field(default_factory=dict)
    pairs: dict[int, list[int]] = field(default_factory=dict)
    words: dict[int, list[int]] = field(default_factory=dict)  # content word -> sentences
    df: list[dict[int, int]] = field(default_factory=list)   # per article: content word -> sentences
    n_sents: list[int] = field(default_factory=list)          # per article
    cap: int = 0
    capped_keys: int = 0
    boilerplate: set[tuple[int, ...]] = field(default_factory=set)
    id_words: list[str] = field(default_factory=list)      # word id -> word
    stems: dict[tuple[int, int], tuple] = field(default_factory=dict)  # filled by verification


def build_index(articles: list[Article], options: IndexOptions | None = None,
                progress: Progress | None = None) -> SentenceIndex:
    """Index every sentence of `articles` (titles included; they match titles only)."""
    opt = options or IndexOptions()
    stop = stopwords()
    vocab: dict[str, int] = {}
    idx = SentenceIndex()
    for a, art in enumerate(articles):
        df: dict[int, int] = {}
        for i, s in enumerate(art.sentences):
            ws = words(s.text)
            seq = [vocab.setdefault(w, len(vocab)) for w in ws]
            content_seq = [vocab[w] for w in ws if w not in stop]
            sent = _Sent(a, i, s.kind == "title", seq, frozenset(content_seq))
            k = len(idx.sents)
            idx.sents.append(sent)
            for w in sent.content:
                df[w] = df.get(w, 0) + 1
                idx.words.setdefault(w, []).append(k)
            if seq:
                idx.exact.setdefault(tuple(seq), []).append(k)
            for key in _pair_keys(content_seq, opt.window):
                post = idx.pairs.get(key)
                if post is None:
                    idx.pairs[key] = [k]
                elif post[-1] != k:
                    post.append(k)
        idx.df.append(df)
        idx.n_sents.append(len(art.sentences))
        if progress is not None and (a % 50 == 0 or a == len(articles) - 1):
            progress(a + 1, len(articles), "index")
    idx.id_words = list(vocab)
    idx.cap = max(opt.cap_min, int(opt.cap_fraction * len(idx.sents)))
    idx.capped_keys = sum(1 for p in idx.pairs.values() if len(p) > idx.cap)
    limit = max(20, opt.boilerplate * len(articles))
    for key, post in idx.exact.items():
        if len(post) > 1 and len({idx.sents[k].article for k in post}) > limit:
            idx.boilerplate.add(key)
    return idx


def _pair_keys(content_seq: list[int], window: int):
    """Unordered pairs of content word ids at most `window` positions apart."""
    n = len(content_seq)
    if n == 1:
        yield content_seq[0] << 32 | content_seq[0]
    for x in range(n):
        a = content_seq[x]
        for y in range(x + 1, min(n, x + window)):
            b = content_seq[y]
            if a != b:
                yield (a << 32 | b) if a < b else (b << 32 | a)


def candidate_pairs(idx: SentenceIndex, options: IndexOptions | None = None) -> set[tuple[int, int]]:
    """Sentence pairs (k1 < k2, different articles, same kind) worth verifying.

    Found through an uncapped exact key or an uncapped word pair, plus, for
    sentences with few content words (headlines, short quotes), any sentence
    holding two of their words anywhere: such a sentence can be linked on two
    words, and those need not sit close together in the other sentence.
    Pairs sharing too small a part of the shorter sentence's content words are
    dropped (`min_overlap`): the aligner never links them, and at a thousand
    articles they are most of the chance collisions.
    """
    opt = options or IndexOptions()
    found: set[tuple[int, int]] = set()
    sents = idx.sents
    posts = [p for key, p in idx.exact.items() if key not in idx.boilerplate]
    posts += [p for p in idx.pairs.values() if 1 < len(p) <= idx.cap]
    for post in posts:
        n = len(post)
        for x in range(n):
            kx = post[x]
            sx = sents[kx]
            for y in range(x + 1, n):
                sy = sents[post[y]]
                if sx.article != sy.article and sx.title == sy.title:
                    found.add((kx, post[y]))
    for k, s in enumerate(sents):
        if 2 <= len(s.content) <= opt.short:
            for other in _holding_two(idx, s, opt.probe_limit):
                o = sents[other]
                if o.article != s.article and o.title == s.title:
                    found.add((k, other) if k < other else (other, k))
    out = set()
    floor = opt.min_overlap
    for k1, k2 in found:
        c1, c2 = sents[k1].content, sents[k2].content
        if sents[k1].seq == sents[k2].seq or len(c1 & c2) >= floor * min(len(c1), len(c2)):
            out.add((k1, k2))
    return out


def _holding_two(idx: SentenceIndex, s: _Sent, limit: int) -> set[int]:
    """Sentences containing at least two of `s`'s content words."""
    ws = sorted(s.content, key=lambda w: len(idx.words[w]))
    out: set[int] = set()
    for x, u in enumerate(ws):
        post = idx.words[u]
        if len(post) > limit:
            break
        rest = ws[x + 1:]
        for k in post:
            content = idx.sents[k].content
            if any(v in content for v in rest):
                out.add(k)
    return out


def verify(idx: SentenceIndex, k1: int, k2: int, opt: AlignOptions, margin: float) -> float:
    """The aligner's combined score for two sentences of the index (0 when it could not link them)."""
    s1, s2 = idx.sents[k1], idx.sents[k2]
    return link_score(s1.content, s2.content, s1.seq, s2.seq, idx.df[s1.article], idx.df[s2.article],
                      idx.n_sents[s1.article] + idx.n_sents[s2.article], opt, margin,
                      lambda: _stems(idx, s1), lambda: _stems(idx, s2))


def link_score(c1: frozenset[int], c2: frozenset[int], seq1: list[int], seq2: list[int],
               df1: dict[int, int], df2: dict[int, int], n: int, opt: AlignOptions, margin: float,
               stems1: Callable[[], tuple], stems2: Callable[[], tuple]) -> float:
    """The aligner's combined score for two sentences given as word ids (0 when it could not link them).

    Same features, weights and thresholds as `scoring.score_pairs` / `align._select`, with
    idf over the two articles' sentences (`df1`, `df2`: content word -> sentences of each
    article; `n`: sentences of both).  Cheap tests come first: the shared weight alone,
    then an upper bound with perfect word order, then the Indel similarity.  When the
    aligner looks for reused clauses (`AlignOptions.clause`), a pair also passes on the
    clause test's necessary conditions: enough shared content stems and rare weight, and
    a run of `clause_run` words in order (`stems1()`, `stems2()`: content stems and the
    stems of every word, asked for only then).  Plain data in, so the folder index and
    the compact index (`compact_index`) share one copy of the rule.
    """
    if seq1 == seq2:
        return 1.0
    lognp1 = math.log(n + 1)
    unit = rare_unit(n)
    log = math.log
    common = c1 & c2
    shared = 0.0
    for w in common:
        shared += lognp1 - log(df1.get(w, 0) + df2.get(w, 0) + 0.5)
    if not shared_enough(shared, unit, opt, margin):
        return 0.5 if _clause_possible(c1, c2, stems1, stems2, shared, unit, opt, margin) else 0.0
    w1 = w2 = 0.0
    for w in c1:
        w1 += lognp1 - log(df1.get(w, 0) + df2.get(w, 0) + 0.5)
    for w in c2:
        w2 += lognp1 - log(df1.get(w, 0) + df2.get(w, 0) + 0.5)
    if w1 > 0 and w2 > 0:
        dice = 2 * shared / (w1 + w2)
        contain = shared / min(w1, w2)
        if could_link(combined_score(dice, 1.0, contain, opt), contain, opt, margin):
            score = combined_score(dice, Indel.normalized_similarity(seq1, seq2), contain, opt)
            if could_link(score, contain, opt, margin):
                return score
    return 0.5 if _clause_possible(c1, c2, stems1, stems2, shared, unit, opt, margin) else 0.0


def _clause_possible(c1: frozenset[int], c2: frozenset[int], stems1, stems2, shared: float, unit: float,
                     opt: AlignOptions, margin: float) -> bool:
    """Necessary conditions of the aligner's clause test (`reader.alignment.clauses.find_matches`).

    Not of the linker's rewrites, which need no run of words in order: a pair of articles
    linked only by such a rewrite is not aligned (on the 1,888 METER texts, at least 11
    article pairs of one story, against about 20,000 linked pairs).  Tried: letting
    through pairs that share 2.5 rare units, three stems and a run of two stems found 10
    of the 11, for 13% more article pairs aligned on METER (10% with a run of two
    content stems) but 69% more on 5,000 generated articles (58%; 51 s -> 79 s, 77 s),
    whose chance overlaps pass it too."""
    if not opt.clause:
        return False
    min_words, run = opt.clause_words, opt.clause_run
    if len(c1 | c2) < min_words or shared < opt.clause_shared * unit * 0.5 - margin:
        return False
    st1, st2 = stems1(), stems2()
    if len(st1[0] & st2[0]) < min_words:
        return False
    return bool(_runs(st1[1], run) & _runs(st2[1], run))


def _stems(idx: SentenceIndex, s: _Sent) -> tuple[frozenset[str], list[str]]:
    """(content stems, stems of every word) of a sentence, computed on first need."""
    key = (s.article, s.index)
    hit = idx.stems.get(key)
    if hit is None:
        from ..normalise import stem

        ws = idx.id_words
        every = [stem(ws[w]) for w in s.seq]
        hit = idx.stems[key] = (frozenset(stem(ws[w]) for w in s.content), every)
    return hit


def _runs(seq: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(seq[x:x + n]) for x in range(len(seq) - n + 1)}


def linked_articles(idx: SentenceIndex, align_options: AlignOptions | None = None,
                    options: IndexOptions | None = None) -> tuple[set[tuple[int, int]], dict[str, int]]:
    """Article pairs (a < b) with at least one verified sentence candidate, plus counts."""
    opt = align_options or AlignOptions()
    iopt = options or IndexOptions()
    cands = candidate_pairs(idx, iopt)
    out: set[tuple[int, int]] = set()
    verified = 0
    for k1, k2 in cands:
        a, b = idx.sents[k1].article, idx.sents[k2].article
        pair = (a, b) if a < b else (b, a)
        if pair in out:
            continue   # already to be aligned: the aligner will find the rest
        if verify(idx, k1, k2, opt, iopt.margin) > 0:
            verified += 1
            out.add(pair)
    stats = {"sentences": len(idx.sents), "candidate_pairs": len(cands), "verified_pairs": verified,
             "capped_keys": idx.capped_keys, "cap": idx.cap, "boilerplate_sentences": len(idx.boilerplate)}
    return out, stats
