"""The keys a library sentence is filed under: the folder matrix's keys, made stable.

`sentence_index` finds the sentences a folder's articles share through two kinds of
key (see its docstring for why they catch light edits and stay rare): the hash of a
sentence's comparison words (exact copies, whatever the typography) and unordered
pairs of content words at most `IndexOptions.window` apart.  Its word ids are
numbers handed out in one process, which a file kept for years cannot use, so here
a word's id is a 31-bit CRC of the word: the same in every process and every
release, and two ids still fit one 63-bit SQLite integer (`_pair_keys` packs them as
``a << 32 | b``).  Exact keys are negative, so the two kinds never meet.

Sentences with few content words (headlines, short quotes) get every pair of their
words, not only close ones: the matrix probes those "holding two words anywhere",
because the aligner may link them on two words that sit apart in the other
sentence; filing all pairs is the same probe, answered by the index.

A library sentence is filed under a sample of its pair keys, an article is looked
up under all of its own (`filed=False`).  Most pair keys are unique to one sentence,
so they are most of the file and of the time spent adding; winnowing (the minimum,
by a mixed hash, of every `WINNOW` consecutive keys in sentence order, as MOSS
fingerprints documents) keeps about 2/(WINNOW+1) of them and still guarantees that
any `WINNOW` consecutive keys of the library sentence found in the article
sentence (about three untouched words in a row) give a hit.  Sentences with at most
`SAMPLE_FROM` pair keys keep them all: they have few to spare.

`KEYS_VERSION` names everything keys depend on (this file, the word normaliser, the
house style and the stopwords); a library made under another one is re-keyed by
`reader library rebuild`.
"""
from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from ..normalise import words
from ..options import stopwords
from ..folder.sentence_index import IndexOptions, _pair_keys

_OPTIONS = IndexOptions()
WINNOW = 4          # library sentences keep the smallest of every 4 consecutive pair keys...
SAMPLE_FROM = 12    # ...when they have more than this many
_MIX = 0x9E3779B97F4A7C15
_MASK64 = (1 << 64) - 1
_MASK31 = 0x7FFFFFFF
_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def keys_version() -> str:
    """A digest of the code and data that decide a sentence's keys."""
    core = _HERE.parent
    h = hashlib.sha256(b"library-keys-1")
    for f in (_HERE / "keys.py", core / "normalise.py", core / "rules" / "house_style.yaml",
              core / "rules" / "stopwords.txt"):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


_IDS: dict[str, int] = {}


def word_id(w: str) -> int:
    """A stable 31-bit id for a comparison word (collisions only add candidates to verify)."""
    i = _IDS.get(w)
    if i is None:
        if len(_IDS) > 500_000:
            _IDS.clear()
        i = _IDS[w] = zlib.crc32(w.encode("utf-8", "surrogatepass")) & _MASK31
    return i


def exact_key(ws: list[str]) -> int:
    """The key of a sentence's exact words: negative, so it never equals a pair key."""
    d = hashlib.blake2b("\x1f".join(ws).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return -(int.from_bytes(d, "big") >> 1) - 1


def sentence_keys(text: str, filed: bool = False) -> tuple[int | None, list[int]]:
    """(exact key or None for a sentence without words, its word-pair keys).

    `filed`: the keys a library sentence is filed under (winnowed); else every key."""
    ws = words(text)
    if not ws:
        return None, []
    stop = stopwords()
    content = [word_id(w) for w in ws if w not in stop]
    if 2 <= len(set(content)) <= _OPTIONS.short:
        ids = sorted(set(content))
        return exact_key(ws), [a << 32 | b for a, b in combinations(ids, 2)]
    seq = list(_pair_keys(content, _OPTIONS.window))
    if filed and len(seq) > SAMPLE_FROM:
        seq = winnow(seq, WINNOW)
    return exact_key(ws), sorted(set(seq))


def winnow(seq: list[int], w: int) -> list[int]:
    """The key of smallest mixed hash in each window of `w` consecutive keys (rightmost on ties)."""
    ranks = [(k * _MIX) & _MASK64 for k in seq]
    out: list[int] = []
    last = -1
    for start in range(len(seq) - w + 1):
        best = start
        for x in range(start + 1, start + w):
            if ranks[x] <= ranks[best]:
                best = x
        if best != last:
            out.append(seq[best])
            last = best
    return out


def article_keys(texts: list[str], filed: bool = False) -> list[tuple[int | None, list[int]]]:
    """`sentence_keys` of each sentence, in order."""
    return [sentence_keys(t, filed) for t in texts]
