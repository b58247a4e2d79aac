"""The work of each distributed stage on one record, as plain functions (no pyspark here).

The embedded index (`folder.compact_index`) numbers words and sentences across the
whole folder; a distributed index cannot, so keys travel as words instead of word
ids, and a sentence is named by (article, sentence index).  The rules are the
embedded index's, stage by stage:

* keys of a sentence (`article_keys`, map side): its words in order (exact copies),
  pairs of content words at most `window` apart and a sentence's only content word
  (or, past `ARCHIVE_SENTENCES`, ordered triples of content words, one skip allowed),
  and each content word (for the short-sentence probe);
* postings (`posting_candidates`, reduce side): an exact posting proposes every pair
  unless it is boilerplate (the same line in more than `boilerplate` of the articles,
  and more than 20); a pair or triple posting proposes every pair when it is at most
  `cap` long; a word posting, per kind, lets each short sentence (2..`short` content
  words) meet every other sentence of that kind when the word is in at most
  `probe_limit` sentences of the kind and holds a second of its words (only words of
  short sentences get a word key, `short_words`, and their entries say which of those
  words the sentence holds).  Pairs are of different articles and the same kind;
* per candidate (`screen`, on the two sentences' rows): kept when the two are the
  same words or share `min_overlap` of the shorter one's content words;
* per article pair (`verify_pair`, on the two articles' tables): kept candidates are
  scored in sentence order with the embedded `link_score` until one links; then the
  pair is aligned (`align_pair`).

The cap and the boilerplate limit depend on the whole folder: the driver counts
articles and sentences first.  Idf in the score is over the two articles only, so an
article's table (`sentence_table`) is all verification needs of it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from hashlib import blake2b

from .stages import (AlignOptions, Article, IndexOptions, PairSummary, article_words, link_score, stem,
                     stopwords, summarise_pair)

# A posting entry: (article, sentence index, is a title, number of content words), and in
# word postings also the sentence's content words that are probe words (`short_words`).
Entry = tuple
# A candidate: ((article, sentence), (article, sentence)) in that order.
Candidate = tuple[tuple[int, int], tuple[int, int]]
# What verification needs of an article: sentences, and per sentence (words, content words);
# content word -> sentences holding it.
Table = tuple[int, list[tuple[list[str], frozenset[str]]], dict[str, int]]

EXACT, PAIR, TRIPLE, WORD = "e", "p", "t", "w"


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    return stopwords()


def short_words(article: Article, opt: IndexOptions) -> set[str]:
    """Content words of the article's short sentences: the only word postings the probe reads."""
    stop = _stop()
    out: set[str] = set()
    for _, ws in article_words(article):
        content = {w for w in ws if w not in stop}
        if 2 <= len(content) <= opt.short:
            out |= content
    return out


def article_keys(aid: int, article: Article, opt: IndexOptions, archive: bool,
                 probe_words: set[str] | frozenset[str]) -> list[tuple[tuple, Entry]]:
    """Map side of the index: every (key, entry) of one article's sentences, each key once per
    sentence; word keys only for `probe_words` (`short_words` of the whole folder)."""
    stop = _stop()
    out: list[tuple[tuple, Entry]] = []
    for i, (title, ws) in enumerate(article_words(article)):
        content_seq = [w for w in ws if w not in stop]
        content = set(content_seq)
        entry = (aid, i, title, len(content))
        if ws:
            out.append(((EXACT, *ws), entry))
        keys = _triple_keys(content_seq) if archive else _pair_keys(content_seq, opt.window)
        out.extend((key, entry) for key in keys)
        probing = frozenset(w for w in content if w in probe_words)
        if probing:
            word_entry = (*entry, probing)
            out.extend(((WORD, w), word_entry) for w in probing)
    return out


def _pair_keys(cs: list[str], window: int) -> set[tuple]:
    """Unordered pairs of different content words at most `window` - 1 places apart; a
    sentence of one content word has that word as its key."""
    if len(cs) == 1:
        return {(PAIR, cs[0], cs[0])}
    keys = set()
    for d in range(1, window):
        for a, b in zip(cs, cs[d:]):
            if a != b:
                keys.add((PAIR, a, b) if a < b else (PAIR, b, a))
    return keys


def _triple_keys(cs: list[str]) -> set[tuple]:
    """Ordered triples of content words: the next three, or with one word skipped."""
    n = len(cs)
    return {(TRIPLE, cs[i], cs[i + d1], cs[i + d2]) for d1, d2 in ((1, 2), (1, 3), (2, 3)) for i in range(n - d2)}


def sentence_count(article: Article) -> int:
    return len(article.sentences)


def _is_boilerplate(entries: list[Entry], limit: float) -> bool:
    return len(entries) > limit and len({e[0] for e in entries}) > limit


def key_flags(key: tuple, entries: list[Entry], cap: int, boilerplate_limit: float) -> tuple[int, int]:
    """(1 if a capped pair or triple, sentences if a boilerplate line): the embedded index's counts."""
    if key[0] in (PAIR, TRIPLE):
        return int(len(entries) > cap), 0
    if key[0] == EXACT and _is_boilerplate(entries, boilerplate_limit):
        return 0, len(entries)
    return 0, 0


def posting_candidates(key: tuple, entries: Iterable[Entry], cap: int, boilerplate_limit: float,
                       opt: IndexOptions) -> Iterator[Candidate]:
    """Reduce side of the index: the sentence pairs one key's posting proposes (module docstring)."""
    post = sorted(entries)
    kind = key[0]
    if kind == WORD:
        for title in (False, True):
            yield from _probe(post, title, opt)
        return
    if kind == EXACT and _is_boilerplate(post, boilerplate_limit):
        return
    if kind in (PAIR, TRIPLE) and len(post) > cap:
        return
    for x, e in enumerate(post):
        for f in post[x + 1:]:
            if e[0] != f[0] and e[2] == f[2]:
                yield (e[0], e[1]), (f[0], f[1])


def _probe(post: list[Entry], title: bool, opt: IndexOptions) -> Iterator[Candidate]:
    """A short sentence's pairs through one word: with the sentences of its kind that hold a
    second of its words (all its words are probe words, so the entries tell)."""
    same_kind = [e for e in post if e[2] == title]
    if len(same_kind) > opt.probe_limit:
        return
    for e in same_kind:
        if 2 <= e[3] <= opt.short:
            mine = e[4]
            for f in same_kind:
                if f[0] != e[0] and len(mine & f[4]) >= 2:
                    yield ((e[0], e[1]), (f[0], f[1])) if e < f else ((f[0], f[1]), (e[0], e[1]))


def sentence_table(article: Article) -> Table:
    """What verification needs of one article (see `Table`)."""
    stop = _stop()
    rows = []
    df: Counter[str] = Counter()
    for _, ws in article_words(article):
        content = frozenset(w for w in ws if w not in stop)
        rows.append((ws, content))
        df.update(content)
    return len(rows), rows, dict(df)


def screen_rows(table: Table) -> list[tuple[bytes, frozenset[str]]]:
    """What screening needs of each sentence: a digest of its words (same words, same
    digest: 64 bits, as the embedded index's exact key) and its content words."""
    return [(blake2b("\x00".join(ws).encode(), digest_size=8).digest(), content) for ws, content in table[1]]


def screen(left: tuple[bytes, frozenset[str]], right: tuple[bytes, frozenset[str]], opt: IndexOptions) -> bool:
    """Whether a candidate is kept: the same words, or `min_overlap` of the shorter
    sentence's content words shared (`screen_rows` of both)."""
    (d1, c1), (d2, c2) = left, right
    shared = len(c1 & c2)
    return d1 == d2 or (shared > 0 and shared >= opt.min_overlap * min(len(c1), len(c2)))


def candidate_group(kept: Iterable[tuple[tuple[int, int], frozenset[str]]]) -> tuple[list[tuple[int, int]], set[str]]:
    """An article pair's kept candidates (sentence in a, sentence in b) and every content
    word they hold: the words whose sentence counts verification reads."""
    cands, words = [], set()
    for pair, content in kept:
        cands.append(pair)
        words |= content
    return cands, words


def trim_table(group: tuple[list[tuple[int, int]], set[str]], table: Table) -> Table:
    """Of the left article's table, what verifying `group` reads: its candidates' rows and the
    sentence counts of their words (so a whole table never travels)."""
    n, rows, df = table
    cands, words = group
    return n, {i: rows[i] for i, _ in cands}, {w: df[w] for w in words if w in df}


def verify_pair(pair: tuple[int, int], left: Table, right: Table, candidates: Iterable[tuple[int, int]],
                align_options: AlignOptions, index_options: IndexOptions) -> tuple[tuple[int, int], int, int]:
    """(pair, checked, linked): an article pair's kept candidates scored in sentence order with the
    embedded `link_score` until one links (linked = 1); checked counts the candidates scored."""
    n = left[0] + right[0]
    checked = 0
    for i, j in sorted(candidates):
        (ws1, c1), (ws2, c2) = left[1][i], right[1][j]
        checked += 1
        if link_score(c1, c2, ws1, ws2, left[2], right[2], n, align_options, index_options.margin,
                      lambda: _stems(ws1, c1), lambda: _stems(ws2, c2)) > 0:
            return pair, checked, 1
    return pair, checked, 0


def _stems(ws: list[str], content: frozenset[str]) -> tuple[frozenset[str], list[str]]:
    return frozenset(stem(w) for w in content), [stem(w) for w in ws]


def align_pair(pair: tuple[int, int], left: Article, right: Article, options: AlignOptions
               ) -> tuple[tuple[int, int], PairSummary]:
    """A linked pair aligned and summarised, as `build_matrix` does."""
    return pair, summarise_pair(left, right, options)
