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

from ..model import Article, Hint, Pair
from .linker import Candidate, LinkerModel, load_model, score_candidates, story_names, why
from .story_order import out_of_order

# From this probability a likely rewrite that is not linked is shown as a hint (`Hint`).
# Leave-one-story-out on the METER and seed gold, a hint at 0.5 or more (the most likely
# counterpart of a sentence left "added") was a gold link 16 times in 32 (METER: 14 in
# 20): worth a look, not worth a link, which must be right 95 times in 100.
HINT = 0.5
# The pairs `keep` was fitted on (`bench/fit_linker.py` aligns with the word passes only),
# and so the ones it may drop.  A semantic pair has its own gate (cosine and shared stems,
# `semantic.semantic_links`) and is a paraphrase, whose words the linker is bound to find
# thin.  Measured: semantic mode scores the same on METER dev (0.830) and the seeds
# (0.989) with or without the veto, and makes no semantic link on 300 pairs of
# different METER stories either way.
KEEP_FITTED_ON = frozenset({"lexical", "clause"})


def relink(left: Article, right: Article, pairs: list[Pair], found: dict,
           make_pair: Callable[[list[int], list[int]], Pair]) -> tuple[list[Pair], list[Hint]]:
    """The pairs, kept, dropped or added to by the linker (`found`: `linker.candidates`),
    and the hints: likely rewrites left unlinked (`hints_of`)."""
    model = load_model()
    lexical = {(i, j): p.score for p in pairs for i in p.left for j in p.right}
    titles = ({k for k, s in enumerate(left.sentences) if s.kind == "title"},
              {k for k, s in enumerate(right.sentences) if s.kind == "title"})
    story = story_names([s.text for s in left.sentences], [s.text for s in right.sentences])
    cands = score_candidates(found, len(left.sentences), len(right.sentences), lexical, titles, model, story)
    by_pair = {(c.i, c.j): c for c in cands}
    out: list[Pair] = []
    for p in pairs:
        if p.status == "copied":
            p.evidence = {**p.evidence, "copied": True}  # and an inline heading, if any
            out.append(p)
            continue
        seen = [by_pair[k] for k in ((i, j) for i in p.left for j in p.right) if k in by_pair]
        best = max(seen, key=lambda c: c.p, default=None)
        if (p.method in KEEP_FITTED_ON and best is not None and len(seen) == len(p.left) * len(p.right)
                and best.p < model.keep):
            continue  # the linker is confident these share a topic, not a sentence
        # A close rewrite the word passes settled is no candidate: its evidence is its words.
        p.evidence = why(best) if best is not None else {"word_overlap": round(p.score, 3)}
        out.append(p)
    out += [_rewrite_pair(c, make_pair) for c in cands if c.p >= model.threshold and (c.i, c.j) not in lexical]
    out = out_of_order(left, right, out)
    return out, hints_of(cands, out, model)


def hints_of(cands: list[Candidate], pairs: list[Pair], model: LinkerModel) -> list[Hint]:
    """For each sentence no pair holds, its most likely counterpart, if at least `HINT`
    likely (and below the link threshold: anything above is linked).  Its partner may be
    linked elsewhere: a wire sentence often feeds several of the paper's."""
    linked = ({i for p in pairs for i in p.left}, {j for p in pairs for j in p.right})
    best: dict[tuple[int, int], Candidate] = {}  # (side, sentence) -> its best candidate
    for c in cands:
        if not HINT <= c.p < model.threshold:
            continue
        for side, k in ((0, c.i), (1, c.j)):
            if k not in linked[side] and _rank(c) > _rank(best.get((side, k))):
                best[(side, k)] = c
    chosen = {(c.i, c.j): c for c in best.values()}
    return [Hint(i, j, why(c)) for (i, j), c in sorted(chosen.items())]


def _rank(c: Candidate | None) -> tuple[float, int, int]:
    """Ties go to the candidate with the lowest indices: a diff is reproducible."""
    return (-1.0, 0, 0) if c is None else (c.p, -c.i, -c.j)


def _rewrite_pair(c: Candidate, make_pair: Callable[[list[int], list[int]], Pair]) -> Pair:
    p = make_pair([c.i], [c.j])
    p.method = "rewrite"
    p.score = round(min(c.p, 0.999), 4)
    p.evidence = why(c)
    return p
