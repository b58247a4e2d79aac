"""One calibrated score for "a careful reader links these two sentences", and the links it makes.

The word-overlap passes (`align`, `clauses`) find copies and close rewrites; real papers
rewrite wire copy much further, keeping the specific facts and little else.  The
linker looks at every sentence pair that shares evidence (`evidence`), describes it
by a few features (shared facts, names, numbers, how much of each sentence they
cover, the longest run of words in order, whether it is the best counterpart on each
side, whether the neighbours are linked too, since papers mostly keep the wire's
order locally), and a logistic model turns them into a probability.  The weights are
data (`reader/data/linker.json`), fitted on the hand-labelled gold by
`bench/fit_linker.py`, which also reports leave-one-story-out figures.

Topic is not reuse: two sentences about the same people with different facts share
only names, which the model weighs little; a clash of numbers weighs against; and two
reports of different events (articles naming different people, `story_names`) share
reporting formulas, not sentences: the fit also sees such pairs, every candidate
between them a wrong link.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from operator import mul
from pathlib import Path

from ..options import rare_unit
from ..runtime.text_cache import TextCache
from .evidence import PairEvidence, Profile, content_of, content_weight, evidence, idf_table, profile

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "linker.json"
MODEL_ENV = "READER_LINKER_MODEL"  # another weights file (the refit script's cross-validation)
# A sentence the word-overlap passes linked this closely (a copy, or a light edit) has its
# counterpart: the linker leaves it out, which on a long copied article is most of the work.
SETTLED = 0.8
SAME_VERSION = 0.7  # `_exclusive`: candidates sharing this much (Jaccard) are one sentence told twice
MIN_SHARED = 1.0  # rare units (`evidence.idf_table`) a candidate pair must share, numbers counting one each

FEATURES = ("bias", "facts", "names", "numbers", "number_clash", "cover_small", "cover_large",
            "run", "best_left", "best_right", "position", "neighbours", "lexical", "title",
            "facts_x_cover", "article_linked", "facts_x_linked", "left_taken", "right_taken", "phrases",
            "exclusive", "story_names")
# The second stage reads the first stage's probabilities around a pair: papers keep the
# wire's order locally, so a likely link beside a likely link (the diagonal: the next
# sentence of each; or beside it: a merge or split) is more likely than one alone.
CONTEXT_FEATURES = ("bias", "first", "diagonal", "beside", "rank_left", "rank_right")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class LinkerModel:
    weights: tuple[float, ...]  # first stage, over FEATURES
    context: tuple[float, ...]  # second stage, over CONTEXT_FEATURES
    threshold: float            # second-stage probability from which a pair is linked
    keep: float                 # a link the word-overlap passes made is dropped below this

    def probability(self, x: list[float]) -> float:
        return _sigmoid(sum(map(mul, self.weights, x)))  # the same products and sum as a loop, in C

    def in_context(self, x: list[float]) -> float:
        return _sigmoid(sum(map(mul, self.context, x)))


@lru_cache(maxsize=4)
def _load(path: str) -> LinkerModel:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    w, cw = data["weights"], data["context"]
    return LinkerModel(tuple(float(w[f]) for f in FEATURES), tuple(float(cw[f]) for f in CONTEXT_FEATURES),
                       float(data["threshold"]), float(data["keep"]))


def load_model() -> LinkerModel:
    return _load(os.environ.get(MODEL_ENV) or str(MODEL_FILE))


_CACHE_LIMIT = 100_000
_PROFILES: TextCache[str, Profile] = TextCache(_CACHE_LIMIT)


def profiles(texts: list[str], skip: set[int] = frozenset()) -> list[Profile | None]:
    """The evidence view of each sentence (None for those in `skip`), cached per text."""
    out: list[Profile | None] = []
    for k, t in enumerate(texts):
        if k in skip:
            out.append(None)
            continue
        p = _PROFILES.get(t)
        if p is None:
            p = profile(t)
            _PROFILES.put(t, p)
        out.append(p)
    return out


def _base(ev: PairEvidence) -> float:
    """A quick strength of a pair, used to rank each sentence's candidates."""
    return ev.facts + 0.5 * ev.names + ev.numbers


@dataclass(slots=True)
class Candidate:
    i: int
    j: int
    ev: PairEvidence
    x: list[float]
    p: float = 0.0
    in_order: bool = False  # the sentences before or after each are likely linked too


def candidates(left_texts: list[str], right_texts: list[str], settled: tuple[set[int], set[int]] = (set(), set()),
               idf: dict[str, float] | None = None, per_sentence: int = 4, df_cap: int = 40
               ) -> dict[tuple[int, int], PairEvidence]:
    """Pairs sharing a content stem or a number: each left sentence's `per_sentence` best.

    Found through an inverted index of stems in at most `df_cap` sentences (and numbers),
    so the work follows the overlaps, not n * m.  `settled` sentences (`settled_of`) have
    their counterpart already and take no part.  This is the linker's costly step, and it
    needs only the texts and the word passes' first links: on long inputs `align` runs it
    in a forked child, beside the clause search.  `idf`: the clause pass's idf of the same
    sentences' stems (`clauses.idf_of`), when the aligner has it: the same numbers.
    """
    if idf is None:
        idf = idf_table([content_of(t) for t in (*left_texts, *right_texts)])
    else:
        per_unit = 1.0 / rare_unit(len(left_texts) + len(right_texts))
        idf = dict(zip(idf, map(per_unit.__mul__, idf.values())))  # v * per_unit, C-level
    left, right = profiles(left_texts, settled[0]), profiles(right_texts, settled[1])
    index: dict[object, list[int]] = {}
    for j, p in enumerate(right):
        if p is None:
            continue
        for key in p.keys:
            index.setdefault(key, []).append(j)
    cap = max(df_cap, int(2 * math.sqrt(len(left) + len(right))))
    weight_r: dict[int, float] = {}  # content_weight of the right sentences met, each once
    found: dict[tuple[int, int], PairEvidence] = {}
    for i, p in enumerate(left):
        if p is None:
            continue
        hits: dict[int, float] = {}
        for key in filter(index.__contains__, p.keys):  # keys of no right sentence add nothing
            post = index[key]
            if len(post) <= cap:
                w = idf.get(key, 1.0) if isinstance(key, str) else 1.0
                for j in post:
                    hits[j] = hits.get(j, 0.0) + w
        # Less than one rare unit in common (one word found in a sentence or two on each
        # side) is never a link: such pairs are most of the work on long inputs.
        best = sorted([kv for kv in hits.items() if kv[1] >= MIN_SHARED], key=lambda kv: (-kv[1], kv[0]))
        if not best:
            continue
        wp = content_weight(p, idf)
        for j, _ in best[:per_sentence]:
            wj = weight_r.get(j)
            if wj is None:
                wj = weight_r[j] = content_weight(right[j], idf)
            found[(i, j)] = evidence(p, right[j], idf, wp, wj)
    return {k: found[k] for k in sorted(found)}


def _best_per_side(values: dict[tuple[int, int], float]) -> tuple[dict[int, float], dict[int, float]]:
    """The largest value of each left sentence's pairs, and of each right sentence's (0 floor):
    what "best counterpart on each side" is measured against."""
    best_i: dict[int, float] = {}
    best_j: dict[int, float] = {}
    for (i, j), v in values.items():
        best_i[i] = max(best_i.get(i, 0.0), v)
        best_j[j] = max(best_j.get(j, 0.0), v)
    return best_i, best_j


def featurise(found: dict[tuple[int, int], PairEvidence], n_left: int, n_right: int,
              lexical: dict[tuple[int, int], float], titles: tuple[set[int], set[int]],
              story: float = 0.7) -> list[Candidate]:
    """The feature vector of every candidate (order as `FEATURES`).

    `article_linked` (`linked_share`) and `story_names` (`story`, from the function of
    that name) are the same for every pair of two articles: how much of one the
    word-overlap passes already found in the other, and how many of the people and
    places one names the other names too.  The same shared words mean reuse in a story
    made from the wire, the same news in an independent report, and a reporting formula
    ("the case was adjourned until tomorrow") in a report of another trial; a reader
    weighs them so.  `story` defaults to `story_names`'s value when nothing is known.
    """
    share = linked_share(lexical, n_left, n_right)
    # How well each sentence is already matched elsewhere by the word-overlap passes: a
    # sentence copied to one place is rarely also rewritten in another.
    taken_l: dict[int, list[tuple[float, int]]] = {}
    taken_r: dict[int, list[tuple[float, int]]] = {}
    for (i, j), v in lexical.items():
        taken_l.setdefault(i, []).append((v, j))
        taken_r.setdefault(j, []).append((v, i))
    base = {k: _base(ev) for k, ev in found.items()}
    best_i, best_j = _best_per_side(base)
    exclusive = _exclusive(found)
    out = []
    for (i, j), ev in found.items():
        b = base[(i, j)]
        pos = abs((i + 0.5) / max(n_left, 1) - (j + 0.5) / max(n_right, 1))
        near = max(base.get((i - 1, j - 1), 0.0), base.get((i + 1, j + 1), 0.0),
                   base.get((i - 1, j), 0.0), base.get((i + 1, j), 0.0),
                   base.get((i, j - 1), 0.0), base.get((i, j + 1), 0.0))
        title = float((i in titles[0]) != (j in titles[1]))
        x = [1.0, min(ev.facts, 6.0), min(ev.names, 6.0), float(min(ev.numbers, 3)), float(ev.number_clash),
             ev.cover_small, ev.cover_large, math.log1p(ev.run),
             b / best_i[i] if best_i[i] else 0.0, b / best_j[j] if best_j[j] else 0.0,
             pos, min(near, 6.0) / 6.0, float((i, j) in lexical), title,
             min(ev.facts, 6.0) * ev.cover_small, share, min(ev.facts, 6.0) * share,
             max((v for v, k in taken_l.get(i, ()) if k != j), default=0.0),
             max((v for v, k in taken_r.get(j, ()) if k != i), default=0.0), math.log1p(ev.phrases),
             0.0 if (i, j) in lexical else exclusive[(i, j)],
             4 * story]  # 0-4, like the other features: the fit's L2 penalty is the same for all
        out.append(Candidate(i, j, ev, x))
    return out


def _exclusive(found: dict[tuple[int, int], PairEvidence]) -> dict[tuple[int, int], float]:
    """How much of what each pair shares no other candidate of either sentence shares.

    The same names and story words run through every sentence of a rewritten story, so
    they are shared with several candidates; what a sentence took from its source is
    shared with that source alone ("Ltd", "1990", "tour" against the wire sentence that
    has them, where the names are everywhere).  Per pair: the share of its shared stems
    found in no other candidate of its right sentence, plus the same for its left one
    (0-2).  A candidate sharing nearly the same stems (Jaccard >= `SAME_VERSION`) is
    another version of the same sentence (wire files often tell the story twice), not
    a rival: it does not count.
    """
    shared = {k: frozenset(ev.shared_stems) for k, ev in found.items()}
    by_l: dict[int, list[frozenset[str]]] = {}
    by_r: dict[int, list[frozenset[str]]] = {}
    for (i, j), s in shared.items():
        by_l.setdefault(i, []).append(s)
        by_r.setdefault(j, []).append(s)
    out = {}
    for (i, j), s in shared.items():
        if not s:
            out[(i, j)] = 0.0
            continue
        share = 0.0
        for rivals in (by_r[j], by_l[i]):
            others = set()
            for o in rivals:
                if o is not s and len(o & s) < SAME_VERSION * len(o | s):
                    others |= o
            share += len(s - others) / len(s)
        out[(i, j)] = share
    return out


def story_names(left_texts: list[str], right_texts: list[str]) -> float:
    """Share of the names (`evidence.Profile.names`: stems a sentence writes only with a
    capital, its first word aside: people, places, bodies) of the article naming fewer
    that the other article names too, smoothed toward 0.7 when there are few to go by
    ((shared + 4.2) / (names + 6)): two articles put side by side are usually on one
    story, and a brief naming two people says little either way.

    Two reports of one story name the same people and places: on the METER wire/paper
    pairs this is 0.58 or more nine times in ten, and 0.60-0.89 on the dev pairs, the
    heaviest rewrites included.  Two court reports of different trials score 0.38 or
    less nine times in ten ("Crown Court", "London", "Monday"), whatever reporting
    formulas they have in common.  A shared sentence between articles that name
    different people is a formula or a coincidence far more often than reuse, and the
    linker learns so from pairs of different stories (`bench/fit_linker.py
    --negatives`).  Shared vocabulary separates the two far less well: every court
    report has "jury", "guilty" and "charges".
    """
    sides = []
    for texts in (left_texts, right_texts):
        names: set[str] = set()
        for p in profiles(texts):  # cached per sentence: the candidate search made most
            names |= p.names
        sides.append(names)
    small, large = sorted(sides, key=len)
    return (len(small & large) + 4.2) / (len(small) + 6)


def linked_share(lexical: dict[tuple[int, int], float], n_left: int, n_right: int) -> float:
    """Share of the shorter article's sentences that the word-overlap passes linked."""
    n = min(n_left, n_right)
    if not n:
        return 0.0
    return min(len({i for i, _ in lexical}) if n == n_left else len({j for _, j in lexical}), n) / n


def settled_of(word_links: dict[tuple[int, int], float]) -> tuple[set[int], set[int]]:
    """The sentences the word passes linked at `SETTLED` or more (their combined score, as
    `align._select` gives it): they have their counterpart, the linker leaves them out."""
    return ({i for (i, _), v in word_links.items() if v >= SETTLED},
            {j for (_, j), v in word_links.items() if v >= SETTLED})


def score_candidates(found: dict[tuple[int, int], PairEvidence], n_left: int, n_right: int,
                     lexical: dict[tuple[int, int], float], titles: tuple[set[int], set[int]],
                     model: LinkerModel | None = None, story: float = 0.7) -> list[Candidate]:
    """The candidates `found` (`candidates`) with their features (`featurise`) and their
    probability: the first stage reads the pair, the second (`context_features`) the first
    stage's verdicts around it."""
    model = model or load_model()
    cands = featurise(found, n_left, n_right, lexical, titles, story)
    first = [model.probability(c.x) for c in cands]
    diagonal = CONTEXT_FEATURES.index("diagonal")
    for c, x in zip(cands, context_features(cands, first, lexical)):
        c.p = model.in_context(x)
        c.in_order = x[diagonal] >= 0.5
    return cands


def context_features(cands: list[Candidate], first: list[float], lexical: dict[tuple[int, int], float]
                     ) -> list[list[float]]:
    """Second-stage features of each candidate from the first-stage probabilities `first`
    (a settled word-overlap link, which is no candidate, counts as certain)."""
    p = {(i, j): 1.0 for (i, j), v in lexical.items() if v >= SETTLED}
    p.update(((c.i, c.j), v) for c, v in zip(cands, first))
    best_i, best_j = _best_per_side(p)
    out = []
    for c, v in zip(cands, first):
        i, j = c.i, c.j
        diagonal = max(p.get((i - 1, j - 1), 0.0), p.get((i + 1, j + 1), 0.0))
        beside = max(p.get((i - 1, j), 0.0), p.get((i + 1, j), 0.0), p.get((i, j - 1), 0.0), p.get((i, j + 1), 0.0))
        z = math.log(max(v, 1e-6) / max(1 - v, 1e-6))
        out.append([1.0, z, diagonal, beside, v / best_i[i] if best_i[i] else 0.0, v / best_j[j] if best_j[j] else 0.0])
    return out


def why(c: Candidate) -> dict:
    """The evidence of a link, as a journalist checks it: shared facts, numbers, run, order."""
    ev = c.ev
    return {"probability": round(c.p, 3), "shared_words": list(ev.shared_stems[:8]),
            "shared_numbers": [_fmt(v) for v in ev.shared_numbers], "run": ev.run,
            "in_order": c.in_order, "number_clash": ev.number_clash}


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)
