"""Apply the linker's verdicts to the pairs the word-overlap passes made.

The word-overlap passes (`align`) decide "copied" and find close rewrites; the linker
(`linker`) gives every candidate pair one calibrated probability.  Here the two meet:
a pair the passes made is kept unless the linker is confident it is wrong (a shared
topic, not a shared fact), and every pair the linker finds likely enough that the
passes missed becomes a "changed" pair of its own, with its evidence.  Exact copies
are never touched: they are the one road to "copied".
"""
from __future__ import annotations

from collections.abc import Callable

from ..model import Article, Pair
from .linker import Candidate, load_model, score_candidates, why


def relink(left: Article, right: Article, pairs: list[Pair], found: dict,
           make_pair: Callable[[list[int], list[int]], Pair]) -> list[Pair]:
    """The pairs, kept, dropped or added to by the linker (`found`: `linker.candidates`)."""
    model = load_model()
    lexical = {(i, j): p.score for p in pairs for i in p.left for j in p.right}
    titles = ({k for k, s in enumerate(left.sentences) if s.kind == "title"},
              {k for k, s in enumerate(right.sentences) if s.kind == "title"})
    cands = score_candidates(found, len(left.sentences), len(right.sentences), lexical, titles, model)
    by_pair = {(c.i, c.j): c for c in cands}
    out: list[Pair] = []
    for p in pairs:
        if p.status == "copied":
            p.evidence = {**p.evidence, "copied": True}  # and an inline heading, if any
            out.append(p)
            continue
        seen = [by_pair[k] for k in ((i, j) for i in p.left for j in p.right) if k in by_pair]
        best = max(seen, key=lambda c: c.p, default=None)
        if best is not None and len(seen) == len(p.left) * len(p.right) and best.p < model.keep:
            continue  # the linker is confident these share a topic, not a sentence
        # A close rewrite the word passes settled is no candidate: its evidence is its words.
        p.evidence = why(best) if best is not None else {"word_overlap": round(p.score, 3)}
        out.append(p)
    out += [_rewrite_pair(c, make_pair) for c in cands if c.p >= model.threshold and (c.i, c.j) not in lexical]
    return out


def _rewrite_pair(c: Candidate, make_pair: Callable[[list[int], list[int]], Pair]) -> Pair:
    p = make_pair([c.i], [c.j])
    p.method = "rewrite"
    p.score = round(min(c.p, 0.999), 4)
    p.evidence = why(c)
    return p
