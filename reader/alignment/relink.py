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
from .linker import Candidate, LinkerModel, load_model, score_candidates, why

# From this probability a likely rewrite that is not linked is shown as a hint (`Hint`).
# Leave-one-story-out on the METER and seed gold, a hint at 0.5 or more (the most likely
# counterpart of a sentence left "added") was a gold link 16 times in 32 (METER: 14 in
# 20): worth a look, not worth a link, which must be right 95 times in 100.
HINT = 0.5


def relink(left: Article, right: Article, pairs: list[Pair], found: dict,
           make_pair: Callable[[list[int], list[int]], Pair]) -> tuple[list[Pair], list[Hint]]:
    """The pairs, kept, dropped or added to by the linker (`found`: `linker.candidates`),
    and the hints: likely rewrites left unlinked (`hints_of`)."""
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
    out = drop_strays(left, right, out)
    return out, hints_of(cands, out, model)


# A contested link is a stray when no other link lies within `ALONE` sentences of its
# partner while a rival's partner has one within `CONTEXT`.
CONTEXT = 3
ALONE = 10
# Two sentences are versions of one (the same story told twice) from this share of their
# content words in common.
RETOLD = 0.5
# Two partners give a sentence "the same words" when this share of the smaller shared set
# is common to both (a merge's partners give it different parts).
SAME_WORDS = 0.8
# ... and are two versions of one sentence when more than this share of the smaller set of
# their other words is common to both.
VERSION_WORDS = 0.2


def drop_strays(left: Article, right: Article, pairs: list[Pair]) -> list[Pair]:
    """Drop a rewrite link that only repeats a rival's, away from where the story runs.

    Wire copy repeats formulas: one file may hold two inquests before the same coroner,
    and "Coroner Richard Hulett recorded a verdict of suicide" then matches a sentence of
    each, word for word, with the same probability.  A careful reader links the one in
    the story the paper tells: where its other links are.  So when a sentence has two or
    more one-sentence partners that share the same words with it (not the different
    parts a merge takes from each), a partner with no other link within `CONTEXT`
    sentences loses its link to a rival that has one.  Where every rival has nearby
    links (two versions of the same story, both used), or none has, all are kept.
    Copies are never touched.
    """
    texts = ([s.text for s in left.sentences], [s.text for s in right.sentences])
    doomed: set[int] = set()
    for side in (0, 1):
        other = 1 - side
        by_sentence: dict[int, list[int]] = {}
        for n, p in enumerate(pairs):
            mine, theirs = (p.left, p.right) if side == 0 else (p.right, p.left)
            if p.status != "copied" and len(mine) == 1 and len(theirs) == 1:
                by_sentence.setdefault(mine[0], []).append(n)
        for k, rivals in by_sentence.items():
            if len(rivals) < 2:
                continue
            partner = {n: (pairs[n].right if side == 0 else pairs[n].left)[0] for n in rivals}
            if not _same_words(texts[side][k], [texts[other][partner[n]] for n in rivals]):
                continue
            elsewhere = sorted({x for m, p in enumerate(pairs) if m not in rivals
                                for x in (p.right if side == 0 else p.left)})
            near = {n: any(abs(x - partner[n]) <= CONTEXT for x in elsewhere) for n in rivals}
            alone = {n: not any(abs(x - partner[n]) <= ALONE for x in elsewhere) for n in rivals}
            winners = [partner[n] for n in rivals if near[n]]
            if winners:
                doomed.update(n for n in rivals if alone[n] and not any(
                    _retold(texts[other], partner[n], w) for w in winners))
    return [p for n, p in enumerate(pairs) if n not in doomed]


def _retold(texts: list[str], a: int, b: int) -> bool:
    """Whether the passages around sentences `a` and `b` tell one story twice (a wire file's
    first take and its rewrite): some sentence near one has a version near the other."""
    from .evidence import content_of

    near_a = [content_of(texts[k]) for k in range(max(0, a - ALONE), min(len(texts), a + ALONE + 1))
              if abs(k - b) > ALONE]
    near_b = [content_of(texts[k]) for k in range(max(0, b - ALONE), min(len(texts), b + ALONE + 1))
              if abs(k - a) > ALONE]
    return any(x and y and len(x & y) >= RETOLD * len(x | y) for x in near_a for y in near_b)


def _same_words(text: str, partners: list[str]) -> bool:
    """Every partner shares nearly the same content words with `text`, and nothing else
    with another partner: two sentences that only have `text`'s formula in common, not
    two versions of one sentence (a wire file often holds a story and its rewrite, and
    a paper's sentence then comes from both: a careful reader links both)."""
    from .evidence import content_of

    mine = content_of(text)
    theirs = [content_of(t) for t in partners]
    shared = [mine & t for t in theirs]
    for a, ta in zip(shared, theirs):
        for b, tb in zip(shared, theirs):
            if a is b:
                continue
            if len(a & b) < SAME_WORDS * min(len(a), len(b)):
                return False
            rest_a, rest_b = ta - mine, tb - mine
            if len(rest_a & rest_b) > VERSION_WORDS * min(len(rest_a), len(rest_b)):
                return False
    return all(shared)


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
