"""Rows of the diff view: one aligned pair of sentence groups, or a stripped line.

Each row is left text | gutter | right text.  The gutter carries the status symbol
(= copied, ~ changed, + added) so the diff reads without colour; the changed words
inside a changed pair are highlighted from the pair's marks (article offsets).
`WhyLine` is the one extra line `w` shows under the cursor row: the pair's evidence, or
for an added sentence with a likely rewrite that was not linked (`model.Hint`), that.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from ...layout import Row
from ...model import Alignment, Article, Stripped
from ...why import excerpt, hint_phrases, why_line
from ..analysis import SYMBOL, DiffItem
from ..safe_text import marked, plain
from .row_list import CursorRow

MARK_STYLE = "bold underline on $changed 45%"


def sentence_content(art: Article, indexes: list[int], marks: list[tuple[int, int]]) -> Content:
    """The sentences at `indexes`, numbered, with the marked words highlighted."""
    parts: list[Content] = []
    for n, i in enumerate(indexes):
        s = art.sentences[i]
        spans = [(max(a, s.start) - s.start, min(b, s.end) - s.start) for a, b in marks]
        safe, spans = marked(s.text, [(a, b) for a, b in spans if a < b])
        text = Content(safe)
        if s.kind != "body":
            text = text.stylize("bold")
        for a, b in spans:
            text = text.stylize(MARK_STYLE, a, b)
        if n:
            parts.append(Content("\n"))
        parts += [Content.styled(f"{i + 1} ", "dim"), text]
    return Content.assemble(*parts)


def stripped_content(s: Stripped) -> Content:
    return Content.assemble(plain(s.text, "strike"), plain(f"  ✂ {s.reason}", "italic"))


class DiffRow(CursorRow):
    """One line of the diff; its classes (-copied, -changed, -added, -stripped) set the tint."""

    def __init__(self, item: DiffItem, al: Alignment):
        self.item = item
        self.al = al
        row = item.row
        self.status = row.status if row else "stripped"
        super().__init__(classes=f"diff-row -{self.status}")

    def _side(self, side: str) -> tuple[Content, bool]:
        item, al = self.item, self.al
        art = al.left if side == "left" else al.right
        if item.row is None:
            return (stripped_content(item.stripped), True) if item.side == side else (Content(""), False)
        row: Row = item.row
        idx = row.left if side == "left" else row.right
        if not idx:
            return Content(""), False
        pair = al.pairs[row.pair] if row.pair is not None else None
        # As the export: a linked row shows its pair's marks (a copied pair has some only for a
        # subhead run into its sentence, `alignment.headings`); an added row has no pair.
        marks = (pair.left_marks if side == "left" else pair.right_marks) if pair else []
        text = sentence_content(art, idx, marks)
        notes = []
        if side == "right" and row.moved:
            notes.append(f"↕ moved: sentence {min(idx) + 1} of {len(art.sentences)} in this article")
        if (row.left_repeat if side == "left" else row.right_repeat):
            notes.append("↺ shown again (linked twice)")
        if pair is None and al.hints_at(side, idx):
            notes.append("? perhaps reworded from the other article, not linked (w: why)")
        if len(idx) > 1:
            other = row.right if side == "left" else row.left
            notes.append(f"⇉ {len(idx)} sentences ↔ {len(other)}" if other else f"{len(idx)} sentences")
        if notes:
            text = Content.assemble(text, Content.styled("\n" + " · ".join(notes), "italic $accent"))
        return text, True

    def _gutter(self) -> str:
        row = self.item.row
        if row is None:
            return "✂"
        if row.status == "added":
            return "+ " if row.side == "left" else " +"
        return SYMBOL[row.status]

    def compose(self) -> ComposeResult:
        left, lfill = self._side("left")
        right, rfill = self._side("right")
        yield Static(left, classes="cell left" + (" -filled" if lfill else " -blank"))
        yield Static(self._gutter(), classes="gutter")
        yield Static(right, classes="cell right" + (" -filled" if rfill else " -blank"))


class WhyLine(Static):
    """The evidence of the cursor row's pair, in words; one per diff, moved with the cursor.

    A single widget that follows the cursor costs nothing per row, where a hidden line
    in every row would double the widgets of a long diff.
    """


def why_content(item: DiffItem, al: Alignment) -> Content | None:
    """What links the pair shown in `item`, or None when nothing was recorded.

    The phrases contain article words: they go in as plain `Content`, never markup.
    """
    row = item.row
    if row is None:
        return None
    if row.pair is None:
        return _hint_content(row, al)
    pair = al.pairs[row.pair]
    texts = [al.left.sentences[i].text for i in pair.left] + [al.right.sentences[j].text for j in pair.right]
    line = why_line(pair, texts)
    if not line:
        return None
    return Content.assemble(Content.styled("why: ", "bold $accent"), plain(line))


def _hint_content(row: Row, al: Alignment) -> Content | None:
    """An added row's likely rewrite that was not linked (`model.Hint`), or None."""
    side, idx = ("left", row.left) if row.left else ("right", row.right)
    own, other = (al.left, al.right) if side == "left" else (al.right, al.left)
    lines = []
    for h in al.hints_at(side, idx):
        k = h.partner(side)
        text = other.sentences[k].text
        mine = own.sentences[h.left if side == "left" else h.right].text
        lines.append(" · ".join(hint_phrases(h, f"sentence {k + 1} of {other.name}: {excerpt(text)}", [mine, text])))
    if not lines:
        return None
    return Content.assemble(Content.styled("maybe: ", "bold $accent"), plain(" / ".join(lines)))


def summary_content(al: Alignment, left_label: str, right_label: str) -> Content:
    """The header: copied / changed / added sentence counts on each side, and the mode used.

    The mode (lexical / semantic, `S` toggles it) is read from the alignment itself,
    so the header can never claim a mode the rows were not aligned in.
    """
    lines = []
    width = max(len(left_label), len(right_label))
    mode = al.options.get("mode", "")
    for n, (side, label) in enumerate((("left", left_label), ("right", right_label))):
        c = al.counts(side)
        lines.append(Content.assemble(
            Content.styled(f"{label:<{width}}  ", "bold"),
            Content.styled(f"= {c['copied']} copied", "bold $copied"), "   ",
            Content.styled(f"~ {c['changed']} changed", "bold $changed"), "   ",
            Content.styled(f"+ {c['added']} added", "bold $added"),
            Content.styled("  sentences" + (f" · {mode} mode" if mode and n == 0 else ""), "dim"),
        ))
    return Content("\n").join(lines)
