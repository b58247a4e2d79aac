"""The folder index at archive scale: sentence keys in flat integer arrays, not objects.

`sentence_index` keeps a Python object per sentence and a dict of posting lists: at
5,000 articles that is most of 1.6 GB, and its candidate search walks every posting
list in Python.  Here the same keys (exact copies; pairs of content words at most
`window` apart; for short sentences, any two of their words) live in arrays of word
ids, and candidates come from one sort of the key array (numpy), so memory and time
follow the number of sentences and of keys they really share.

Two differences of scale from `sentence_index`, both limits on chance collisions, which
grow with the square of the corpus while real reuse grows with it: a word pair found in
more than `cap_max` sentences is capped whatever the corpus size, and the short-sentence
probe uses only words found in at most `probe_limit` sentences of the same kind.
Verification is the same rule (`sentence_index.link_score`).
"""
from __future__ import annotations

import math
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from ..normalise import stem, words
from ..options import AlignOptions, stopwords
from .sentence_index import IndexOptions
from .sorted_arrays import lookup, ranges, unique, verdicts_in_order

Progress = Callable[[int, int, str], None]
SentenceWords = tuple[bool, list[str]]   # (is the title, comparison words)
ARCHIVE_SENTENCES = 1_000_000  # past this many sentences, candidates need a shared word triple
CAP_MAX = 200          # a word pair in more sentences than this never proposes candidates
PARTITIONS_PER_KEYS = 20_000_000  # key entries per candidate partition (bounds the sort's memory)


def archive_scale(n_sentences: int) -> bool:
    """Past `ARCHIVE_SENTENCES`, candidates come from word triples (see `_triple_keys`)."""
    return n_sentences > ARCHIVE_SENTENCES


def cap_for(n_sentences: int, options) -> int:
    """A word pair (or triple) in more sentences than this proposes no candidates."""
    if archive_scale(n_sentences):
        return options.cap_min
    return min(CAP_MAX, max(options.cap_min, int(options.cap_fraction * n_sentences)))


def article_words(article) -> list[SentenceWords]:
    """What the index needs of an article: each sentence's kind and comparison words."""
    return [(s.kind == "title", words(s.text)) for s in article.sentences]


@dataclass(slots=True)
class ContentTable:
    """Every sentence's distinct content words: `codes` sorted (sentence << 32 | word) for
    lookups, and `words[first[k]:first[k] + count[k]]` the words of sentence k (ascending).

    Sentence-major, so that probes for the candidates of one sentence land in one small
    block of the table: callers that order their candidates by that sentence get searches
    that walk the table in order (see `sorted_arrays`)."""

    codes: np.ndarray
    words: np.ndarray
    first: np.ndarray
    count: np.ndarray


@dataclass(slots=True)
class Sentence:
    """One indexed sentence as verification reads it (made on demand from the arrays)."""

    article: int
    seq: list[int]
    content: frozenset[int]


class CompactIndex:
    """Sentences of many articles, added one article at a time (`add`), then searched once."""

    def __init__(self, options: IndexOptions | None = None):
        self.options = options or IndexOptions()
        self.vocab: dict[str, int] = {}
        self._stop_words = stopwords()
        self._is_stop = bytearray()
        self._seq = array("i")                 # every sentence's word ids, end to end
        self._seq_end = array("q")             # sentence k's words end here
        self._title = bytearray()              # sentence k is a title
        self._article = array("i")             # sentence k's article
        self._exact = array("q")               # hash of sentence k's word ids (0: no words)
        self.article_end = array("q")          # article a's sentences end here
        self._frozen = False

    # ------------------------------------------------------------- building
    def add(self, sentences: Iterable[SentenceWords]) -> int:
        """Index one article's sentences (`article_words`); returns the article's number."""
        a = len(self.article_end)
        vocab, stop = self.vocab, self._stop_words
        for title, ws in sentences:
            ids = []
            for w in ws:
                k = vocab.get(w)
                if k is None:
                    k = vocab[w] = len(vocab)
                    self._is_stop.append(w in stop)
                ids.append(k)
            self._seq.extend(ids)
            self._seq_end.append(len(self._seq))
            self._title.append(title)
            self._article.append(a)
            self._exact.append((hash(tuple(ids)) or 1) if ids else 0)
        self.article_end.append(len(self._article))
        return a

    @property
    def n_articles(self) -> int:
        return len(self.article_end)

    @property
    def n_sentences(self) -> int:
        return len(self._article)

    def freeze(self) -> None:
        """Turn the growable arrays into numpy views (done once, before searching)."""
        if self._frozen:
            return
        self.seq = np.frombuffer(self._seq, dtype=np.int32) if len(self._seq) else np.zeros(0, np.int32)
        self.seq_end = np.frombuffer(self._seq_end, dtype=np.int64) if len(self._seq_end) else np.zeros(0, np.int64)
        self.title = np.frombuffer(bytes(self._title), dtype=np.bool_)
        self.article = np.frombuffer(self._article, dtype=np.int32) if len(self._article) else np.zeros(0, np.int32)
        self.exact = np.frombuffer(self._exact, dtype=np.int64) if len(self._exact) else np.zeros(0, np.int64)
        self.is_stop = np.frombuffer(bytes(self._is_stop), dtype=np.bool_)
        self.seq_start = np.concatenate(([0], self.seq_end[:-1])) if len(self.seq_end) else np.zeros(0, np.int64)
        self.id_words = list(self.vocab)
        self._stems: dict[int, str] = {}
        self._df: OrderedDict[int, dict[int, int]] = OrderedDict()
        self._adf_words: np.ndarray | None = None   # `keep_article_df`
        self._frozen = True

    # ------------------------------------------------------------- reading one sentence
    def sentence(self, k: int) -> Sentence:
        seq = self.seq[self.seq_start[k]:self.seq_end[k]].tolist()
        stop = self._is_stop
        return Sentence(int(self.article[k]), seq, frozenset(w for w in seq if not stop[w]))

    def keep_article_df(self) -> None:
        """Count, for every article at once, the sentences holding each content word, from the
        content table (`self.content`, sorted (sentence << 32 | word), distinct): flat arrays
        that `article_df` slices.  Counting an article's sentences in Python on each cache
        miss was 40% of the verification at 30,000 articles (its article pairs come in
        random order of the second article)."""
        codes = self.content.codes
        art = self.article.astype(np.int64)[codes >> 32]
        keys = np.sort((art << 32) | (codes & 0xFFFFFFFF))
        del art
        start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
        counts = np.diff(np.r_[start, len(keys)])
        keys = keys[start]
        self._adf_bounds = np.searchsorted(keys >> 32, np.arange(self.n_articles + 1))
        self._adf_words = (keys & 0xFFFFFFFF).astype(np.int32)
        self._adf_counts = counts.astype(np.int32)

    def article_df(self, a: int) -> dict[int, int]:
        """Content word -> sentences of article `a` holding it (kept for the last few thousand)."""
        hit = self._df.get(a)
        if hit is not None:
            self._df.move_to_end(a)
            return hit
        if self._adf_words is None:  # asked before the verification (needs `self.content`)
            self.keep_article_df()
        lo, hi = int(self._adf_bounds[a]), int(self._adf_bounds[a + 1])
        hit = dict(zip(self._adf_words[lo:hi].tolist(), self._adf_counts[lo:hi].tolist()))
        self._df[a] = hit
        if len(self._df) > 4096:
            self._df.popitem(last=False)
        return hit

    def sentences_in(self, a: int) -> int:
        return self.article_end[a] - (self.article_end[a - 1] if a else 0)

    def stems(self, s: Sentence) -> tuple[frozenset[str], list[str]]:
        cache, ws = self._stems, self.id_words
        every = []
        for w in s.seq:
            x = cache.get(w)
            if x is None:
                x = cache[w] = stem(ws[w])
            every.append(x)
        return frozenset(cache[w] for w in s.content), every

    # ------------------------------------------------------------- searching
    def cap(self) -> int:
        return cap_for(self.n_sentences, self.options)

    def candidate_codes(self, progress: Progress | None = None, workers: int = 1) -> tuple[np.ndarray, dict[str, int]]:
        """Sentence pairs worth verifying, as sorted unique codes `k1 << 32 | k2` (k1 < k2).

        Different articles, same kind (title or not); found through an exact key (not
        boilerplate), a word pair in 2..cap sentences, or the short-sentence probe; then
        kept when they share `min_overlap` of the shorter one's content words.
        """
        self.freeze()
        found = [self._exact_codes(), *self._pair_codes(progress), self._short_codes()]
        codes = unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
        raw = len(codes)
        codes = self._overlapping(codes, workers)
        stats = {"sentences": self.n_sentences, "cap": self.cap(), "capped_keys": self._capped,
                 "boilerplate_sentences": self._boilerplate, "raw_candidates": int(raw), "overlapping_candidates": int(len(codes))}
        return codes, stats

    def _exact_codes(self) -> np.ndarray:
        keys = self.exact
        sents = np.flatnonzero(keys != 0)
        order = np.argsort(keys[sents], kind="stable")
        sents = sents[order]
        k = keys[sents]
        start = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        length = np.diff(np.r_[start, len(k)])
        limit = max(20, self.options.boilerplate * self.n_articles)
        keep = np.ones(len(start), dtype=bool)
        self._boilerplate = 0
        for g in np.flatnonzero(length > limit):  # boilerplate: the same line in most articles
            members = sents[start[g]:start[g] + length[g]]
            if len(unique(self.article[members])) > limit:
                keep[g] = False
                self._boilerplate += int(length[g])
        return self._group_pairs(sents, start[keep], length[keep])

    def _content_entries(self) -> tuple[np.ndarray, np.ndarray]:
        """Content word ids in order (stopwords out) and the sentence of each."""
        sent_of_word = np.repeat(np.arange(self.n_sentences, dtype=np.int32), np.diff(np.r_[0, self.seq_end]))
        keep = ~self.is_stop[self.seq] if len(self.seq) else np.zeros(0, bool)
        return self.seq[keep].astype(np.int64), sent_of_word[keep]

    def _pair_codes(self, progress: Progress | None) -> list[np.ndarray]:
        """Candidates through word pairs, computed in partitions of the key space."""
        words_, sent = self._content_entries()
        self._words, self._word_sent = words_, sent
        if self.archive_scale():
            keys, owners = _triple_keys(words_, sent)
        else:
            keys, owners = self._word_pair_keys(words_, sent)
        n_parts = max(1, math.ceil(len(keys) / PARTITIONS_PER_KEYS))
        cap, out, self._capped = self.cap(), [], 0
        for p in range(n_parts):
            mine = np.flatnonzero(((keys * np.int64(0x9E3779B1)) >> 7) % n_parts == p) if n_parts > 1 else slice(None)
            k, s = keys[mine], owners[mine]
            order = np.lexsort((s, k))
            k, s = k[order], s[order]
            fresh = np.r_[True, (k[1:] != k[:-1]) | (s[1:] != s[:-1])]
            k, s = k[fresh], s[fresh]
            start = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
            length = np.diff(np.r_[start, len(k)])
            self._capped += int(np.count_nonzero(length > cap))
            ok = (length >= 2) & (length <= cap)
            out.append(self._group_pairs(s, start[ok], length[ok]))
            if progress is not None:
                progress(p + 1, n_parts, "candidates")
        return out

    def _word_pair_keys(self, words_: np.ndarray, sent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`sentence_index`'s keys: content word pairs at most `window` apart (and a sentence's
        only content word), with the sentence of each."""
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        for d in range(1, self.options.window):
            same = sent[d:] == sent[:-d]
            a, b = words_[:-d][same], words_[d:][same]
            differ = a != b
            lo, hi = np.minimum(a, b)[differ], np.maximum(a, b)[differ]
            parts.append(((lo << 32) | hi, sent[:-d][same][differ]))
        counts = np.bincount(sent, minlength=self.n_sentences) if len(sent) else np.zeros(self.n_sentences, int)
        single = np.flatnonzero(counts[sent] == 1)
        parts.append(((words_[single] << 32) | words_[single], sent[single]))
        return np.concatenate([x[0] for x in parts]), np.concatenate([x[1] for x in parts])

    def archive_scale(self) -> bool:
        return archive_scale(self.n_sentences)

    def _group_pairs(self, members: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
        """Every pair within each group `members[start:start+length]` (ascending sentence
        ids), of different articles and the same kind, as codes."""
        if not len(start):
            return np.zeros(0, np.int64)
        pos = ranges(start, length)                     # every member's place in `members`
        end_of = np.repeat(start + length, length)       # ...and where its group ends
        out = []
        live = np.arange(len(pos))
        d = 1
        while True:
            live = live[pos[live] + d < end_of[live]]    # members with a d-th successor in their group
            if not len(live):
                break
            at = pos[live]
            a, b = members[at].astype(np.int64), members[at + d].astype(np.int64)
            ok = (self.article[a] != self.article[b]) & (self.title[a] == self.title[b])
            out.append((a[ok] << 32) | b[ok])
            d += 1
        return np.concatenate(out) if out else np.zeros(0, np.int64)

    def _short_codes(self) -> np.ndarray:
        """Sentences with 2..`short` content words and any sentence of the same kind holding
        two of them anywhere, through words in at most `probe_limit` sentences of that kind."""
        opt = self.options
        words_, sent = self._words, self._word_sent
        code = self._word_codes = unique((words_ << 32) | sent)   # (word, sentence) present, sorted
        w, s = code >> 32, code & 0xFFFFFFFF
        by_kind = self.title[s]
        out = []
        n_content = np.bincount(s, minlength=self.n_sentences)
        for kind in (False, True):
            wk, sk = w[by_kind == kind], s[by_kind == kind]
            if not len(wk):
                continue
            start = np.searchsorted(wk, np.arange(len(self.vocab) + 1))
            df = np.diff(start)
            shorts = np.flatnonzero((n_content >= 2) & (n_content <= opt.short) & (self.title == kind))
            pair_code = (wk << 32) | sk
            for k in shorts.tolist():
                mine = self._content_of(k)
                rare = [x for x in mine if df[x] <= opt.probe_limit]
                if not rare:
                    continue
                hits = np.concatenate([sk[start[x]:start[x + 1]] for x in rare])
                uniq, times = np.unique(hits, return_counts=True)
                others = [x for x in mine if x not in rare]
                keep = times >= 2
                if others:
                    probe = (np.array(others, np.int64)[:, None] << 32) | uniq[None, :]
                    # row by row ascending, and each row ascending: the probes come sorted
                    keep |= lookup(pair_code, probe.ravel(), ordered=True)[1].reshape(len(others), -1).any(axis=0)
                other = uniq[keep]
                other = other[(other != k) & (self.article[other] != self.article[k])]
                lo, hi = np.minimum(other, k), np.maximum(other, k)
                out.append((lo << 32) | hi)
        del self._words, self._word_sent
        return np.concatenate(out) if out else np.zeros(0, np.int64)

    def _overlapping(self, codes: np.ndarray, workers: int = 1, chunk: int = 250_000) -> np.ndarray:
        """The candidates that are exact copies or share `min_overlap` of the shorter
        sentence's content words (counted for all candidates at once, in chunks; the
        second half of them in a forked child when `workers` > 1)."""
        word_major = self._word_codes                   # sorted (word << 32 | sentence)
        sentence = word_major & 0xFFFFFFFF
        by_sentence = np.argsort(sentence, kind="stable")
        words_ = (word_major >> 32)[by_sentence]        # content words grouped by sentence, ascending
        table = (sentence[by_sentence] << 32) | words_  # sorted (sentence << 32 | word)
        n_content = np.bincount(sentence.astype(np.int64), minlength=self.n_sentences)
        first = np.r_[0, np.cumsum(n_content)[:-1]]
        del word_major, sentence, by_sentence, self._word_codes
        # kept for the verification's prefilter (`prefilter.plausible`), then dropped
        self.content = ContentTable(table, words_, first, n_content)
        # Candidates by their second sentence: the probes (k2 << 32 | word of k1) then come
        # nearly in table order (this filter: 8.6 s in code order, 3.5 s so, at 5,000 articles).
        min_overlap = self.options.min_overlap

        def judge(at: np.ndarray) -> np.ndarray:
            c = codes[at]
            k1, k2 = c >> 32, c & 0xFFFFFFFF
            reps = n_content[k1]
            same = self.exact[k1] == self.exact[k2]
            if not reps.sum():
                return same
            probe = (np.repeat(k2, reps) << 32) | words_[ranges(first[k1][reps > 0], reps[reps > 0])]
            shared = np.bincount(np.repeat(np.arange(len(c)), reps),
                                 weights=lookup(table, probe, ordered=True)[1], minlength=len(c))
            return ((shared >= min_overlap * np.minimum(reps, n_content[k2])) & (shared > 0)) | same

        keep = verdicts_in_order(np.argsort(codes & 0xFFFFFFFF, kind="stable"), judge, chunk, workers)
        return codes[keep]

    def _content_of(self, k: int) -> list[int]:
        return sorted({w for w in self.seq[self.seq_start[k]:self.seq_end[k]].tolist() if not self._is_stop[w]})

    def linked_articles(self, align_options: AlignOptions | None = None, progress: Progress | None = None,
                        should_stop: Callable[[], bool] | None = None,
                        workers: int = 1) -> tuple[list[tuple[int, int]], dict]:
        """Article pairs (a < b) with at least one verified sentence candidate, plus counts
        (`verification.linked_articles`)."""
        from .verification import linked_articles

        return linked_articles(self, align_options or AlignOptions(), progress, should_stop, workers)


def _triple_keys(words_: np.ndarray, sent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Archive scale: ordered triples of content words (next three, or with one word
    skipped, so that one inserted or dropped word leaves keys intact), hashed to 63 bits.

    Chance collisions of word pairs grow with the square of the corpus: at 100,000
    articles two unrelated sentences share some pair of common words millions of
    times over.  A triple in common is rare by chance and left by any light edit of a
    long sentence; exact copies and short sentences keep their own keys.
    """
    keys, owners = [], []
    for d1, d2 in ((1, 2), (1, 3), (2, 3)):
        n = len(words_) - d2
        if n <= 0:
            continue
        same = (sent[:n] == sent[d2:d2 + n])
        a, b, c = words_[:n][same], words_[d1:d1 + n][same], words_[d2:d2 + n][same]
        h = ((a * np.int64(1_000_003)) ^ b) * np.int64(998_244_353)
        h = ((h ^ c) * np.int64(1_000_000_007)) & np.int64(0x7FFFFFFFFFFFFFFF)
        keys.append(h)
        owners.append(sent[:n][same])
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.int32)
    return np.concatenate(keys), np.concatenate(owners)
