"""Links out of the story's order: a formula a wire file repeats, matched in the wrong story.

A paper follows the wire's order locally, so the links of a derived story run in
stretches.  One wire file may hold two inquests before the same coroner, and "Coroner
Richard Hulett recorded a verdict of suicide" then matches a sentence of each, word for
word, with the same probability.  A careful reader links the one in the story the paper
tells: where its other links are.  So after the linker has spoken (`relink`), when a
sentence has two or more one-sentence partners that give it the same words (not the
different parts a merge takes from each), a partner with no other link near it loses
its link to a rival that has links around it, unless the two passages retell one story
(a wire file's first take and its rewrite: a careful reader links both).  Copies are
never touched.  The windows are in sentences.

(Tried and not kept: counting only links at or above the link threshold as "other
links", and dropping any doubted link far from all others.  Both helped the labelled
pairs a little, and read on the 944 unlabelled METER pairs they dropped right links in
long wire files, where the paper's rewrites of a second take are all doubted ones.)
"""
from __future__ import annotations

from collections import Counter

from ..model import Article, Pair
from .evidence import content_of

# A rival's partner is where the story runs when another link lies within `CONTEXT`
# sentences of it; a link is alone with no other link within `ALONE`.
CONTEXT = 3
ALONE = 10
# Two partners give a sentence "the same words" when this share of the smaller shared set
# is common to both (a merge's partners give it different parts) ...
SAME_WORDS = 0.8
# ... and are two versions of one sentence when more than this share of the smaller set of
# their other words is common to both.
VERSION_WORDS = 0.2
# Two sentences are versions of one (the same story told twice) from this share of their
# content words in common.
RETOLD = 0.5

SIDES = ("left", "right")


def out_of_order(left: Article, right: Article, pairs: list[Pair]) -> list[Pair]:
    """`pairs` less the strays (see the module docstring)."""
    texts = {"left": [s.text for s in left.sentences], "right": [s.text for s in right.sentences]}
    doomed = drop_strays(texts, pairs, _contests(texts, pairs), Support(pairs))
    return [p for n, p in enumerate(pairs) if n not in doomed]


class Support:
    """Where the links lie, side by side: how many hold each sentence."""

    def __init__(self, pairs: list[Pair]):
        self.held = {side: Counter(k for p in pairs for k in getattr(p, side)) for side in SIDES}

    def near(self, side: str, k: int, window: int, without: list[Pair] = ()) -> bool:
        """A link other than those `without` holds a sentence within `window` of `k`."""
        held = self.held[side]
        minus = Counter(x for p in without for x in getattr(p, side))
        return any(held[x] - minus[x] > 0 for x in range(k - window, k + window + 1) if x in held)


def _contests(texts: dict[str, list[str]], pairs: list[Pair]) -> list[tuple[str, list[int]]]:
    """Each sentence with two or more one-sentence partners that give it the same words:
    (the side its partners are on, the indices of those pairs)."""
    out = []
    for side, other in (("left", "right"), ("right", "left")):
        by_sentence: dict[int, list[int]] = {}
        for n, p in enumerate(pairs):
            mine, theirs = getattr(p, side), getattr(p, other)
            if p.status != "copied" and len(mine) == 1 and len(theirs) == 1:
                by_sentence.setdefault(mine[0], []).append(n)
        for k, rivals in by_sentence.items():
            if len(rivals) > 1 and _same_words(texts[side][k], [texts[other][getattr(pairs[n], other)[0]]
                                                                 for n in rivals]):
                out.append((other, rivals))
    return out


def drop_strays(texts: dict[str, list[str]], pairs: list[Pair], contested: list[tuple[str, list[int]]],
                support: Support) -> set[int]:
    """The contested links to drop: a partner with no other link within `ALONE` loses to a
    rival with one within `CONTEXT`, unless the passages around the two retell one story
    (a first take and its rewrite: a careful reader links both).  Where every rival is
    near other links, or none is, all are kept.  `texts`: each side's sentence texts."""
    doomed: set[int] = set()
    for side, rivals in contested:
        partner = {n: getattr(pairs[n], side)[0] for n in rivals}
        them = [pairs[n] for n in rivals]
        winners = [partner[n] for n in rivals if support.near(side, partner[n], CONTEXT, them)]
        if winners:
            doomed.update(n for n in rivals if not support.near(side, partner[n], ALONE, them) and not any(
                _retold(texts[side], partner[n], w) for w in winners))
    return doomed


def _retold(texts: list[str], a: int, b: int) -> bool:
    """Whether the passages around sentences `a` and `b` tell one story twice: some
    sentence near one has a version near the other."""
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
    mine = content_of(text)
    theirs = [content_of(t) for t in partners]
    shared = [mine & t for t in theirs]
    for i, (a, ta) in enumerate(zip(shared, theirs)):
        for b, tb in zip(shared[i + 1:], theirs[i + 1:]):
            if len(a & b) < SAME_WORDS * min(len(a), len(b)):
                return False
            rest_a, rest_b = ta - mine, tb - mine
            if len(rest_a & rest_b) > VERSION_WORDS * min(len(rest_a), len(rest_b)):
                return False
    return all(shared)
