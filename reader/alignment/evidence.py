"""What two sentences share that a careful reader would call evidence of reuse.

Newspapers rewrite wire copy: "Collins, reputed to be worth more than #300 million"
becomes "HE IS worth an estimated £300million".  The words change; the specific facts
stay: numbers (sums, ages, dates, sentences: "a seven-year sentence" / "jailed for
seven years"), the rare words of the story's detail ("cleaner", "scarf", "door"),
names, and runs of a quotation.  The subject of the story ("Collins", "Sky", "BBC")
is in every sentence of both sides, so it weighs little: rarity is measured over the
two articles (idf), in "rare units" (the idf of a word found in one sentence on each
side), so a weight means the same in a brief and in a long report.

`Profile` is one sentence seen this way; `PairEvidence` is what two profiles share.
Both are pure functions of the text: the linker (`linker`) turns them into one
calibrated probability.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import compress

from .clauses import unit_parts
from ..normalise import stem
from ..options import rare_unit, stopwords
from .prepared import prepare_sentence

# Number words a rewrite may spell out ("seven years" / "7 years"); "one" is left out:
# it is far more often a pronoun ("one of the") than a fact.
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split()) if i >= 2}
_NUMBER_WORDS |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                  "ninety": 90, "hundred": 100, "dozen": 12, "half": 0.5}
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9}
_NUM_SUFFIX = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mn|bn|million|billion|thousand)$")
_DIGITS = re.compile(r"^\d+(?:\.\d+)?$")
_DIGIT = re.compile(r"\d")
# Words that say something about quantity or time but are not the fact themselves.
_WEAK = frozenset("said say says told tell year years month day week today yesterday".split())
_WEAK_STEMS = frozenset(map(stem, _WEAK))


@dataclass(frozen=True, slots=True)
class Profile:
    """One sentence as evidence: its stems (in order), content stems split into names and
    facts (written lower case or as digits), and the numbers it states.

    The word pairs two sentences share (`PairEvidence.phrases`) are found from the stems
    when a pair is compared (`runs_and_phrases`), not kept here: a set of word pairs was
    half of every cached profile, and a folder's workers keep 100,000 profiles."""

    stems: tuple[str, ...]          # every word, stemmed, in order (for runs)
    content: frozenset[str]         # content stems (stopwords out)
    names: frozenset[str]           # content stems only ever written with a capital
    numbers: frozenset[float]       # values stated, spelled or in digits, scaled
    # The linker's index keys, made once per sentence: content stems, then numbers, each
    # sorted (set order follows string hashes, which differ from process to process, and
    # the linker's sums and ties must not: a diff is reproducible).
    keys: tuple


def content_of(text: str) -> frozenset[str]:
    """A sentence's content stems: the clause pass's stem bag (`clauses.unit_parts`, cached
    per sentence) less the reporting and time words that say nothing specific."""
    prep = prepare_sentence(text)
    return unit_parts(text, prep.words, stopwords()).bag - _WEAK_STEMS


def profile(text: str) -> Profile:
    """The evidence view of a sentence; cached by the caller (`linker`) per text.

    A name is a content stem whose words are never written in lower case (the aligner's
    `facts` ids hold the others); the first word is capitalised by position, not as a name.
    """
    prep = prepare_sentence(text)
    words = prep.words
    stems = tuple(map(stem, words))
    content = content_of(text)
    lower = set(compress(stems, map(prep.facts.__contains__, prep.seq)))  # stems of the `facts` words
    if stems:
        lower.add(stems[0])
    numbers = numbers_in(words)
    return Profile(stems, content, frozenset(content - lower), numbers, (*sorted(content), *sorted(numbers)))


def numbers_in(words: list[str]) -> frozenset[float]:
    """Values of the numbers stated in `words` (comparison words, lower case).

    "300 million" / "300million" / "#300m" all give 3e8; "seven" gives 7.  A bare
    year and a bare age compare by value too, which is what a reader checks.
    """
    if not (_DIGIT.search(" ".join(words)) or not _NUMBER_WORDS.keys().isdisjoint(words)):
        return frozenset()  # most sentences: one C-level scan instead of a loop over words
    out = set()
    for k, w in enumerate(words):
        if w[:1].isdigit():
            m = _NUM_SUFFIX.match(w)
            if m:
                value = float(m.group(1)) * _SCALE[m.group(2)]
            elif _DIGITS.match(w):
                value = float(w)
            else:
                continue  # "75th" and the like: a stem, not a quantity
        elif w in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[w])
        else:
            continue
        if not _has_scale(w) and k + 1 < len(words) and words[k + 1] in _SCALE:
            value *= _SCALE[words[k + 1]]
        if value != 1.0:
            out.add(value)
    return frozenset(out)


def _has_scale(word: str) -> bool:
    """Whether a number word already carries its scale ("300million", "1m")."""
    return word[-1:].isalpha() and word[:1].isdigit()


def idf_table(contents: list[frozenset[str]]) -> dict[str, float]:
    """idf of every content stem over the sentences of both articles (`content_of` each),
    in rare units."""
    df: dict[str, int] = {}
    for c in contents:
        for s in c:
            df[s] = df.get(s, 0) + 1
    n = len(contents)
    unit = rare_unit(n) if n > 2 else 1.0
    return {s: math.log((n + 1) / (d + 0.5)) / unit for s, d in df.items()}


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """What sentence i (left) and j (right) share, in rare units and counts."""

    facts: float            # shared weight of content stems written in lower case / digits
    names: float            # shared weight of names
    numbers: int            # numbers both state
    number_clash: bool      # both state numbers, none in common
    cover_small: float      # share of the smaller sentence's weight found in the other
    cover_large: float      # ...and of the larger's
    run: int                # longest run of words (stems) both have in the same order
    phrases: int            # word pairs holding a content stem both have: a phrase kept, not only its words
    shared_stems: tuple[str, ...]  # the shared content stems, rarest first (shown as "why")
    shared_numbers: tuple[float, ...]


def content_weight(p: Profile, idf: dict[str, float]) -> float:
    """The idf weight of a sentence's content stems (1.0 for none): what `evidence` measures
    cover against."""
    # fsum: exact, so the weights do not depend on the (per-process) order of the sets
    return math.fsum(map(idf.__getitem__, p.content)) or 1.0


def evidence(a: Profile, b: Profile, idf: dict[str, float], wa: float | None = None,
             wb: float | None = None) -> PairEvidence:
    """What a and b share.  `wa`, `wb`: their `content_weight`, when the caller has them (the
    linker weighs each sentence once, not once per candidate pair it is in)."""
    common = a.content & b.content
    names = common & (a.names | b.names)
    facts = common - names
    wf = math.fsum(map(idf.__getitem__, facts))
    wn = math.fsum(map(idf.__getitem__, names))
    wa = content_weight(a, idf) if wa is None else wa
    wb = content_weight(b, idf) if wb is None else wb
    shared = wf + wn
    nums = a.numbers & b.numbers
    run, phrases = runs_and_phrases(a, b) if shared else (0, 0)
    return PairEvidence(
        facts=wf, names=wn, numbers=len(nums),
        number_clash=bool(a.numbers and b.numbers and not nums),
        cover_small=shared / min(wa, wb), cover_large=shared / max(wa, wb),
        run=run, phrases=phrases,
        shared_stems=tuple(sorted(common, key=lambda s: (-idf[s], s))),
        shared_numbers=tuple(sorted(nums)))


def longest_run(a: tuple[str, ...], b: tuple[str, ...], cap: int = 400) -> int:
    """Longest run of equal words in the same order (each side capped at `cap` words, so a
    pathological sentence costs a bounded amount)."""
    return _runs(a, b, cap)[0]


def runs_and_phrases(a: Profile, b: Profile, cap: int = 400) -> tuple[int, int]:
    """The longest run of stems `a` and `b` have in the same order, and how many distinct
    word pairs holding a content stem of each ("exclusive right", "said it") both have:
    a run of two or more is such a pair, so one pass finds both."""
    best, ends = _runs(a.stems, b.stems, cap)
    if best < 2:
        return best, 0
    sa, ca, cb = a.stems, a.content, b.content
    pairs = {(sa[k - 1], sa[k]) for k in ends}
    return best, sum(1 for x, y in pairs if (x in ca or y in ca) and (x in cb or y in cb))


def _runs(a: tuple[str, ...], b: tuple[str, ...], cap: int) -> tuple[int, set[int]]:
    """The longest common run of `a` and `b` (each capped at `cap` words), and the positions
    in `a` where a run of two or more ends (the second word of a shared word pair)."""
    a, b = a[:cap], b[:cap]
    pos: dict[str, list[int]] = {}
    for k, w in enumerate(b):
        pos.setdefault(w, []).append(k)
    best, prev = 0, _NO_RUN
    ends: set[int] = set()
    get = pos.get
    for i, w in enumerate(a):
        ks = get(w)
        if ks is None:  # most words of a: no run goes through them (no new dict for that)
            prev = _NO_RUN
            continue
        cur = {}
        for k in ks:
            cur[k] = v = prev.get(k - 1, 0) + 1
            if v > best:
                best = v
            if v > 1:
                ends.add(i)
        prev = cur
    return best, ends


_NO_RUN: dict[int, int] = {}  # never written to
