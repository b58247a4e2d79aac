"""What the HTML page shows, worked out from an `Alignment` as plain data.

The template only loops and prints; every decision (which words are marked, which
sentence faces which, how a sentence is numbered, what a moved row says) is made
here, in ordinary Python that tests can inspect without parsing HTML.  Article text
is never turned into markup here: segments stay plain strings and the template
escapes them, so there is exactly one place where text meets HTML.  A row's `why`
is its pair's evidence in words (`reader.why`: the same phrases as the app's `w`),
plain strings too, since they quote the articles' words.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..layout import Row, side_by_side
from ..model import STATUSES, Alignment, Article, Pair
from ..why import excerpt, hint_phrases, why_phrases

# Status -> (symbol, label): the symbol and the word carry the meaning without colour.
STATUS_SIGNS: dict[str, tuple[str, str]] = {
    "copied": ("=", "copied"),
    "changed": ("≈", "changed"),
    "added": ("+", "added"),
}


@dataclass(slots=True)
class Segment:
    """A run of sentence text with the same highlighting.

    `edit` is "del" (left) or "ins" (right) for words that differ, "" otherwise;
    `reused` is true inside a reused clause (partial reuse).
    """

    text: str
    edit: str = ""
    reused: bool = False


@dataclass(slots=True)
class SentenceView:
    key: str                  # "L3" / "R7": index-based, shared by every copy shown
    number: str               # what the reader sees: "T" for the headline, else 1, 2, ...
    kind: str
    status: str
    partners: str             # space-separated keys of counterpart sentences
    segments: list[Segment]
    repeat: bool = False      # already shown in an earlier row


@dataclass(slots=True)
class RowView:
    status: str
    symbol: str
    label: str
    side: str                 # "both", or for added rows the side that has the text
    left: list[SentenceView]
    right: list[SentenceView]
    moved: bool = False
    moved_from: str = ""      # the right sentence number(s) where the outlet had it
    score: float | None = None
    why: list[str] = field(default_factory=list)   # what links the two sides, in words


@dataclass(slots=True)
class ArticleView:
    letter: str
    title: str
    name: str
    date: str
    byline: str
    source: str
    counts: dict[str, int]
    sentences: int
    words: int
    stripped: list[tuple[str, str]] = field(default_factory=list)   # (reason, text)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PageView:
    left: ArticleView
    right: ArticleView
    rows: list[RowView]
    options: list[tuple[str, str]]
    statuses: list[tuple[str, str, str]]   # (status, symbol, label) for the legend
    has_why: bool = False                  # some row has evidence: the legend explains "why"


def sentence_numbers(art: Article) -> list[str]:
    """Headline as "T", other sentences 1, 2, ... in reading order (as the counts do)."""
    out, n = [], 0
    for s in art.sentences:
        if s.kind == "title":
            out.append("T")
        else:
            n += 1
            out.append(str(n))
    return out


def partner_keys(al: Alignment) -> tuple[list[str], list[str]]:
    """For each sentence, the keys of every sentence it is linked to, through any pair."""
    left: list[list[str]] = [[] for _ in al.left.sentences]
    right: list[list[str]] = [[] for _ in al.right.sentences]
    for p in al.pairs:
        for i in p.left:
            left[i].extend(f"R{j}" for j in p.right if f"R{j}" not in left[i])
        for j in p.right:
            right[j].extend(f"L{i}" for i in p.left if f"L{i}" not in right[j])
    return [" ".join(x) for x in left], [" ".join(x) for x in right]


def segments(text: str, start: int, edits: list[tuple[int, int]], edit_tag: str,
             reused: list[tuple[int, int]]) -> list[Segment]:
    """Cut one sentence (at article offset `start`) into runs by edit and reuse spans.

    Spans are article offsets and may cover several sentences of a merged pair, so
    each is clipped to this sentence first.
    """
    if not edits and not reused:
        return [Segment(text)]
    end = start + len(text)
    eds = [(max(a, start), min(b, end)) for a, b in edits if a < end and b > start]
    res = [(max(a, start), min(b, end)) for a, b in reused if a < end and b > start]
    if not eds and not res:
        return [Segment(text)]
    cuts = {start, end}
    for a, b in eds + res:
        cuts.add(a)
        cuts.add(b)
    cuts = sorted(cuts)
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        edit = edit_tag if any(x <= a and b <= y for x, y in eds) else ""
        reuse = any(x <= a and b <= y for x, y in res) if res else False
        piece = text[a - start:b - start]
        if out and out[-1].edit == edit and out[-1].reused == reuse:
            out[-1].text += piece
        else:
            out.append(Segment(piece, edit, reuse))
    return out


def _article_view(art: Article, letter: str, counts: dict[str, int]) -> ArticleView:
    return ArticleView(
        letter=letter, title=art.display_title, name=art.name,
        date=art.date or "", byline=art.byline or "", source=art.source,
        counts=counts, sentences=sum(1 for s in art.sentences if s.kind != "title"),
        words=art.word_count, stripped=[(s.reason, s.text) for s in art.stripped],
        notes=list(art.notes))


def _option_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class _Builder:
    """Holds the per-sentence lookups so each row is built in time proportional to it."""

    def __init__(self, al: Alignment):
        self.al = al
        self.numbers = {"left": sentence_numbers(al.left), "right": sentence_numbers(al.right)}
        lp, rp = partner_keys(al)
        self.partners = {"left": lp, "right": rp}
        self.status = {"left": al.left_status, "right": al.right_status}
        self.article = {"left": al.left, "right": al.right}

    def sentences(self, side: str, prefix: str, idx: list[int], pair: Pair | None,
                  repeat: bool) -> list[SentenceView]:
        art = self.article[side]
        if pair is None:
            edits, reused, tag = [], [], ""
        elif side == "left":
            edits, reused, tag = pair.left_marks, pair.reused_left, "del"
        else:
            edits, reused, tag = pair.right_marks, pair.reused_right, "ins"
        out = []
        for i in idx:
            s = art.sentences[i]
            out.append(SentenceView(
                key=f"{prefix}{i}", number=self.numbers[side][i], kind=s.kind,
                status=self.status[side][i], partners=self.partners[side][i],
                segments=segments(s.text, s.start, edits, tag, reused), repeat=repeat))
        return out

    def row(self, r: Row) -> RowView:
        pair = self.al.pairs[r.pair] if r.pair is not None else None
        symbol, label = STATUS_SIGNS[r.status]
        moved_from = ", ".join(self.numbers["right"][j] for j in r.right) if r.moved else ""
        return RowView(
            status=r.status, symbol=symbol, label=label, side=r.side,
            left=self.sentences("left", "L", r.left, pair, r.left_repeat),
            right=self.sentences("right", "R", r.right, pair, r.right_repeat),
            moved=r.moved, moved_from=moved_from,
            score=round(pair.score, 2) if pair is not None else None,
            why=self.why(pair) if pair is not None else self.hints(r))

    def why(self, pair: Pair) -> list[str]:
        texts = [self.al.left.sentences[i].text for i in pair.left]
        return why_phrases(pair, texts + [self.al.right.sentences[j].text for j in pair.right])

    def hints(self, r: Row) -> list[str]:
        """An added row's likely rewrite that was not linked (`model.Hint`), if any."""
        side, idx = ("left", r.left) if r.left else ("right", r.right)
        out: list[str] = []
        other_side, letter = ("right", "B") if side == "left" else ("left", "A")
        for h in self.al.hints_at(side, idx):
            k = h.partner(side)
            other = self.article[other_side].sentences[k].text
            mine = self.article[side].sentences[h.partner(other_side)].text
            out += hint_phrases(h, f"{letter} #{self.numbers[other_side][k]} {excerpt(other)}", [mine, other])
        return out


def page_view(al: Alignment) -> PageView:
    """Everything the page shows, in display order."""
    b = _Builder(al)
    rows = [b.row(r) for r in side_by_side(al)]
    return PageView(
        left=_article_view(al.left, "A", al.counts("left")),
        right=_article_view(al.right, "B", al.counts("right")),
        rows=rows,
        options=[(str(k), _option_text(v)) for k, v in sorted(al.options.items())],
        statuses=[(s, *STATUS_SIGNS[s]) for s in STATUSES],
        has_why=any(r.why for r in rows),
    )
