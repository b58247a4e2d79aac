"""Each sentence as the aligner sees it: comparison words, word ids, content and fact words.

Tokenising is the one per-sentence cost every alignment pays, so it is done once per
distinct sentence per process (`_PREPARED`): a folder aligns each article with many
others, and copied sentences recur across articles.  Word ids are process-wide
(`_VOCAB`) so that prepared sentences can be reused between alignments.  For a long
diff the other side can be tokenised in a forked child (`align.tokenise`) and taken
over here (`adopt`): words cross the pipe, ids are assigned in this process.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from itertools import compress
from operator import not_
from dataclasses import dataclass, field

from ..model import Article
from ..normalise import word_spans, words_and_caps
from ..options import stopwords
from ..runtime.text_cache import TextCache

@dataclass(slots=True)
class Side:
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
# The word of each id.  A prepared sentence holds these strings, not its own copies: words
# read from a results store (`adopt`) are new strings per sentence, and a folder's
# workers keep 200,000 prepared sentences.
_WORDS: list[str] = []
_VOCAB_LOCK = threading.Lock()


def _word_id(w: str) -> int:
    """A process-wide id per comparison word, so prepared sentences can be reused."""
    k = _VOCAB.get(w)
    if k is None:
        with _VOCAB_LOCK:
            k = _VOCAB.get(w)
            if k is None:
                k = len(_WORDS)
                _WORDS.append(w)  # before the id is visible: whoever finds the id finds its word
                _VOCAB[w] = k
    return k


def vocab_size() -> int:
    """How many word ids exist: every id given so far is below this."""
    return len(_VOCAB)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One sentence's comparison words, their ids, and its content word ids."""

    words: tuple[str, ...]
    seq: tuple[int, ...]
    content: frozenset[int]
    facts: frozenset[int]   # content words not written with a capital: not names


_CACHE_LIMIT = 200_000
_PREPARED: TextCache[str, _Prepared] = TextCache(_CACHE_LIMIT)


def prepare_sentence(text: str) -> _Prepared:
    """Tokenise once per distinct sentence: a folder aligns each article with many others,
    and copied sentences recur across articles, so most calls are cache hits."""
    hit = _PREPARED.get(text)
    if hit is None:
        hit = _from_words(*words_and_caps(text))
        _PREPARED.put(text, hit)
    return hit


def _from_words(words: list[str], caps: list[bool]) -> _Prepared:
    seq = list(map(_VOCAB.get, words))
    if None in seq:  # new words get ids in order of appearance (known ones keep theirs)
        seq = [k if k is not None else _word_id(w) for k, w in zip(seq, words)]
    stop = _stop_ids()
    # Set algebra on ids instead of a loop over words: content ids are the non-stopword
    # ids; facts the content ids with at least one occurrence not written with a capital.
    content = frozenset(seq).difference(stop)
    facts = frozenset(compress(seq, map(not_, caps))).difference(stop)
    return _Prepared(tuple(map(_WORDS.__getitem__, seq)), tuple(seq), content, facts)


@lru_cache(maxsize=1)
def _stop_ids() -> frozenset[int]:
    return frozenset(_word_id(w) for w in stopwords())


def adopt(tokens: dict[str, tuple[list[str], list[bool]]]) -> None:
    """Take sentences tokenised in another process (`align.tokenise`) into this process's cache:
    words cross the pipe, ids are assigned here."""
    for text, (words, caps) in tokens.items():
        if text not in _PREPARED:
            _PREPARED.put(text, _from_words(words, caps))


def prepare(art: Article) -> Side:
    side = Side(art)
    for s in art.sentences:
        p = prepare_sentence(s.text)
        side.words.append(p.words)
        side.seq.append(p.seq)
        side.content.append(p.content)
        side.facts.append(p.facts)
    return side


