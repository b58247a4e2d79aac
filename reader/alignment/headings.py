"""A subhead glued to the front of a copied sentence is page furniture, not an edit.

Pages copied as text lose the line break after an inline subhead: "Leading supplier of
crude oil Russia has become China's top crude supplier, ..." is a heading and then,
word for word, the other outlet's sentence.  Seen alone, the heading cannot be told
from the start of the sentence ("oil Russia" reads on); beside the other article it
can: the rest of the sentence is that article's sentence exactly.  Such a sentence is
copied, its heading marked as the words the other side lacks, and the pair says so
in its evidence.

The rule is strict, since a wrong "copied" is the worst error the aligner can make:
an edit that puts words in front of a sentence ("On Tuesday Russia has ...",
"Meanwhile, Russia ...", "Officials said Russia ...") or cuts an epithet from it
("JCB worker Mr Jones told ...") must stay "changed".  A heading here is 4-8 words
with no punctuation but hyphens, starting with a capital, neither starting nor
ending with a function word, holding no reporting or time word, and followed by a
capital; the sentence after it has at least 6 words.  On the 954 METER pairs (wire
and paper) the rule never fires; with 2-word headings it fired on three cut epithets.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..normalise import word_spans
from ..options import stopwords

# A heading's length in comparison words.  Shorter leads are mostly an epithet a paper
# cut from the wire's sentence ("JCB worker Mr Jones told the court ..." / "Mr Jones told
# the court ..."; "Powerfully-built Barwell first struck ..."): an edit, not furniture.
MIN_WORDS, MAX_WORDS = 4, 8
MIN_REST = 6                  # the copied sentence after it
# Anything but letters, digits, spaces, hyphens and ampersands: a heading has no sentence
# punctuation, a comma or a colon in front of a sentence is the writer's own, and a
# possessive leads into it ("Noel's own brother Liam and his wife ...").
_NOT_HEADING = re.compile(r"[^\w\s\-&]")
# Words that put a sentence in time or attribute it: an edit's opening, not a heading's.
_OPENERS = frozenset("""
    today yesterday tonight tomorrow now earlier later recently currently previously then
    morning afternoon evening night week weekend month year decade
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    according separately meanwhile however also additionally furthermore moreover instead
    said says say told tells added adds reported reports announced announces
""".split())


def heading_cut(words: tuple[str, ...], text: str, other: tuple[str, ...]) -> int:
    """How many leading words of a sentence (`words`, its comparison words; `text`) are a
    heading glued to a copy of `other`: 0 when the rest is not `other` word for word, or
    the lead does not read as a heading."""
    k = len(words) - len(other)
    if not MIN_WORDS <= k <= MAX_WORDS or len(other) < MIN_REST or words[k:] != other:
        return 0
    return k if _reads_as_heading(words[:k], text, k) else 0


def heading_span(text: str, start: int, k: int) -> tuple[int, int]:
    """Article offsets of a sentence's first `k` comparison words (the heading), given the
    sentence's `text` and its `start` in the article."""
    spans = word_spans(text)
    return (start + spans[0][0], start + spans[k - 1][1])


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(stopwords()) | _OPENERS


def _reads_as_heading(head: tuple[str, ...], text: str, k: int) -> bool:
    spans = word_spans(text)
    if len(spans) <= k:
        return False
    written, rest = text[:spans[k][0]].strip(), text[spans[k][0]:]
    function = _function_words()
    return (bool(written) and written[0].isupper() and not _NOT_HEADING.search(written)
            and head[0] not in function and head[-1] not in function
            and _OPENERS.isdisjoint(head) and rest[:1].isupper())


def heading_links(left, right, taken_l: set[int], taken_r: set[int]) -> list[tuple[int, int]]:
    """Pairs (i, j), neither side already copied (`taken_*`, updated here), where one
    sentence is a heading and then the other word for word.  `left`, `right`: the
    aligner's prepared sides (`prepared.Side`).

    Every alignment of a folder matrix runs this, and almost never finds one: the other
    side's sentences are indexed by their last word, so a sentence costs one look-up,
    and words are compared only where the last words agree and the lengths differ by
    a heading's.
    """
    out = []
    for a, b, ta, tb, flip in ((left, right, taken_l, taken_r, False), (right, left, taken_r, taken_l, True)):
        ends: dict[str, list[int]] = {}
        for j, ws in enumerate(b.words):
            if len(ws) >= MIN_REST and j not in tb:
                ends.setdefault(ws[-1], []).append(j)
        if not ends:
            continue
        others = b.words
        for i, ws in enumerate(a.words):
            js = ends.get(ws[-1]) if ws else None
            if js is None or i in ta:
                continue
            for j in js:
                if (MIN_WORDS <= len(ws) - len(others[j]) <= MAX_WORDS and j not in tb
                        and heading_cut(ws, a.art.sentences[i].text, others[j])):
                    out.append((j, i) if flip else (i, j))
                    ta.add(i)
                    tb.add(j)
                    break
    return out
