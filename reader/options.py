"""The aligner's decision thresholds and the one score every link decision uses.

Shared by `align` (which makes the links) and `sentence_index` (which finds, across a
whole folder, the article pairs worth aligning and must never reject a pair `align`
would link), so that the two cannot drift apart.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

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
    # Semantic mode (`alignment.semantic`, WordLlama vectors): cosine for a link between two
    # sentences left without partner: the lowest values that add no wrong link on the seed
    # and METER gold (see the module's docstring for what was tried)
    sem_free: float = 0.72
    sem_linked: float = 0.80     # ...and from a sentence without partner to one that has one
    sem_words: int = 3           # ...and at least this many shared content stems (a shared fact, not a topic)
    clause_cap: int = 16         # stems in more sentences than this do not propose candidates
    rewrite: bool = True         # the calibrated linker (`alignment.linker`): rewrites beyond word overlap

    def as_dict(self) -> dict:
        """The options as a fresh dict (every field a scalar: a shallow copy is a full one;
        `dataclasses.asdict` deep-copied them, 2% of a folder matrix's align stage)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def combined_score(dice: float, seq: float, contain: float, opt: AlignOptions) -> float:
    """The one score every link decision uses (the aligner and the folder index's check).

    With seq=1.0 it is the upper bound for any word order, used to skip the costlier
    Indel similarity when even a perfect order could not reach a link.
    """
    return min(opt.w_dice * dice + opt.w_seq * seq + opt.w_contain * contain, 1.0)


def rare_unit(n_sentences: int) -> float:
    """The idf of a word found in one sentence on each side: the unit of the shared-weight thresholds."""
    return math.log((n_sentences + 1) / 2.5)


def idf_by_count(df: dict, n: int) -> dict:
    """{key: log((n + 1) / (df + 0.5))}, in `df`'s order.  Counts repeat (most words are in
    one or two sentences), so the log is taken once per distinct count and the rest is
    C-level lookups: the same floats as a log per key, at a fraction of the cost (the idf
    tables were a tenth of a folder matrix's align stage)."""
    table = {d: math.log((n + 1) / (d + 0.5)) for d in set(df.values())}
    return dict(zip(df, map(table.__getitem__, df.values())))


def shared_enough(shared: float, unit: float, opt: AlignOptions, margin: float = 0.0) -> bool:
    """Enough rare-word weight in common (`unit`: `rare_unit` of the two articles) for a link."""
    return shared >= opt.min_shared * unit - margin


def could_link(score: float, contain: float, opt: AlignOptions, margin: float = 0.0) -> bool:
    """Whether `align` can link a pair scoring `score`: one-to-one, or as the extra partner
    of a split, merge or repeat (then the smaller side must be mostly inside the larger).

    `margin` loosens every threshold: the folder index uses it to stay a superset."""
    return score >= opt.link - margin or (score >= opt.extra_link - margin and contain >= opt.extra_contain - margin)


def kinds_compatible(a: str, b: str) -> bool:
    """Headlines are compared with headlines only; body and subheads with each other."""
    return (a == "title") == (b == "title")


