"""Hand-made alignments for the export tests, built without the aligner or the cleaner.

The golden page must change only when the export changes, not when someone tunes
the aligner, so these pairs spell out their sentences, links and marked words by
hand.  Offsets are found in the text, as `Article` requires.
"""
from __future__ import annotations

from reader.model import Alignment, Article, Pair, Sentence, Stripped

RIVER_A = """Ministers agree plan to clean up the River Wey
By Jane Doe
12 March 2024

The government agreed a plan to clean up the River Wey on Tuesday after years of complaints.
The scheme will cost £40m over five years and will be paid for by the water company.
Local fishermen said the river had been dying for a decade.
Critics said the money was "far too little, far too late" & <not enough>.
READ MORE: Council tax to rise again
The environment secretary will visit the town next month.
"""

RIVER_B = """River Wey clean-up plan agreed by ministers
13 March 2024

The environment secretary will visit the town next month.
The government agreed a plan on Tuesday to clean up the River Wey after years of local complaints.
The scheme will cost £40m over five years. It will be paid for by the water company.
Critics said the money was "far too little, far too late" & <not enough>.
A spokesman for the water company declined to comment.
ADVERTISEMENT
"""


def make_article(path: str, text: str, sentences: list[tuple[str, str]],
                 stripped: list[tuple[str, str]] = (), date: str | None = None) -> Article:
    """An Article whose (kind, sentence) and (line, reason) are located in `text`."""
    sents, pos = [], 0
    for kind, s in sentences:
        a = text.index(s, pos)
        sents.append(Sentence(a, a + len(s), s, kind))
        pos = a + len(s)
    strips = []
    for line, reason in stripped:
        a = text.index(line)
        strips.append(Stripped(a, a + len(line), line, reason))
    title = next((s for k, s in sentences if k == "title"), None)
    body = [(s.start, s.end) for s in sents if s.kind != "title"]
    return Article(path=path, text=text, title=title, date=date, sentences=sents,
                   stripped=strips, body_lines=body)


def spans_of(art: Article, i: int, words: list[str]) -> list[tuple[int, int]]:
    """Article offsets of each phrase in `words`, searched within sentence i."""
    s = art.sentences[i]
    out = []
    for w in words:
        a = s.text.index(w)
        out.append((s.start + a, s.start + a + len(w)))
    return out


def statuses(n: int, pairs: list[Pair], side: str) -> list[str]:
    st = ["added"] * n
    for p in pairs:
        for i in getattr(p, side):
            if st[i] != "copied":
                st[i] = p.status
    return st


def river_pair() -> Alignment:
    """Headline reworded, a sentence copied, one changed, one split in two, one moved,
    added sentences on both sides, stripped lines on both sides."""
    a = make_article("river_a.txt", RIVER_A, [
        ("title", "Ministers agree plan to clean up the River Wey"),
        ("body", "The government agreed a plan to clean up the River Wey on Tuesday after years of complaints."),
        ("body", "The scheme will cost £40m over five years and will be paid for by the water company."),
        ("body", "Local fishermen said the river had been dying for a decade."),
        ("body", 'Critics said the money was "far too little, far too late" & <not enough>.'),
        ("body", "The environment secretary will visit the town next month."),
    ], [("By Jane Doe", "byline"), ("12 March 2024", "date line"),
        ("READ MORE: Council tax to rise again", "link to another article")], date="12 March 2024")
    b = make_article("river_b.txt", RIVER_B, [
        ("title", "River Wey clean-up plan agreed by ministers"),
        ("body", "The environment secretary will visit the town next month."),
        ("body", "The government agreed a plan on Tuesday to clean up the River Wey after years of local complaints."),
        ("body", "The scheme will cost £40m over five years."),
        ("body", "It will be paid for by the water company."),
        ("body", 'Critics said the money was "far too little, far too late" & <not enough>.'),
        ("body", "A spokesman for the water company declined to comment."),
    ], [("13 March 2024", "date line"), ("ADVERTISEMENT", "advertisement label")], date="13 March 2024")
    pairs = [
        Pair([0], [0], "changed", 0.55,
             spans_of(a, 0, ["Ministers agree", "to"]), spans_of(b, 0, ["clean-up", "agreed by ministers"])),
        Pair([1], [2], "changed", 0.86,
             spans_of(a, 1, ["on Tuesday"]), spans_of(b, 2, ["on Tuesday", "local"])),
        Pair([2], [3, 4], "changed", 0.81,
             spans_of(a, 2, ["and"]), spans_of(b, 4, ["It"]),
             reused_left=spans_of(a, 2, ["will be paid for by the water company"]),
             reused_right=spans_of(b, 4, ["It will be paid for by the water company"])),
        Pair([4], [5], "copied", 1.0),
        Pair([5], [1], "copied", 1.0),
    ]
    return Alignment(a, b, pairs, statuses(len(a.sentences), pairs, "left"),
                     statuses(len(b.sentences), pairs, "right"),
                     options={"mode": "lexical", "link": 0.36, "semantic": False})


def test_river_pair_is_consistent():
    """The hand-made offsets really point at the sentences they claim."""
    al = river_pair()
    for art in (al.left, al.right):
        for s in art.sentences:
            assert art.text[s.start:s.end] == s.text
        for st in art.stripped:
            assert art.text[st.start:st.end] == st.text
    assert al.counts("left") == {"copied": 2, "changed": 2, "added": 1}
    assert al.counts("right") == {"copied": 2, "changed": 3, "added": 1}
