"""`reader diff` as text: a side-by-side table that fits the terminal, with a summary.

Colour is a convenience, never the only signal: every row carries a symbol
(= copied, ~ changed, + added) and, without colour, edited words are marked the
way wdiff does ([-deleted-] {+inserted+}), so the output reads in a pipe, in an
email or on a monochrome screen.  An added sentence that is perhaps a rewrite too weak
to link (`model.Hint`) says where from: "(perhaps from #2, 72%)", the other article's
sentence number.  Article text and names pass through `inert` first:
a scraped page's escape sequences must never reach the terminal.
"""
from __future__ import annotations

import shutil
import sys

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..inert import inert
from ..layout import Row, side_by_side
from ..model import STATUS_SYMBOL, Alignment, Article, Pair
from ..why import percent

STYLE = {"copied": "green", "changed": "yellow", "added": "cyan"}
DEL_STYLE = "bold red strike"
INS_STYLE = "bold green underline"
REUSED_STYLE = "reverse"


def summary_line(al: Alignment) -> str:
    def part(side: str) -> str:
        c = al.counts(side)
        return f"{c['copied']} copied, {c['changed']} changed, {c['added']} added"

    left, right = inert(al.left.name, line=True), inert(al.right.name, line=True)
    line = f"{left}: {part('left')}  |  {right}: {part('right')}"
    # Semantic mode may come from the config file (the app's `S` key saves it there): the
    # counts differ from lexical mode's, so the line says which mode made them.
    return line + "  (semantic mode)" if al.options.get("mode") == "semantic" else line


def _cell(art: Article, idx: list[int], pair: Pair | None, side: str, color: bool) -> Text:
    marks = (pair.left_marks if side == "left" else pair.right_marks) if pair else []
    reused = (pair.reused_left if side == "left" else pair.reused_right) if pair else []
    out = Text()
    for n, i in enumerate(idx):
        s = art.sentences[i]
        if n:
            out.append(" ")
        out.append_text(_marked(art.text, s.start, s.end, marks, reused, side, color))
    return out


def _marked(text: str, start: int, end: int, marks, reused, side: str, color: bool) -> Text:
    """One sentence with its edited words and its reused clause(s) marked.

    With colour: edits struck through (left) or underlined (right), the reused
    clause in reverse video.  Without: [-deleted-] / {+inserted+} and ⟦reused⟧.
    """
    cuts = {start, end}
    spans = [(max(a, start), min(b, end)) for a, b in marks if a < end and b > start]
    clauses = [(max(a, start), min(b, end)) for a, b in reused if a < end and b > start]
    for a, b in spans + clauses:
        cuts.update((a, b))
    points = sorted(cuts)
    out = Text()
    for a, b in zip(points, points[1:]):
        piece = inert(text[a:b].replace("\n", " "))  # one line if hard-wrapped; no terminal controls
        edited = any(x <= a and b <= y for x, y in spans)
        in_clause = any(x <= a and b <= y for x, y in clauses)
        if not color:
            if any(x == a for x, _ in clauses):
                out.append("⟦")
            out.append(piece if not edited else (f"[-{piece}-]" if side == "left" else f"{{+{piece}+}}"))
            if any(y == b for _, y in clauses):
                out.append("⟧")
            continue
        style = (DEL_STYLE if side == "left" else INS_STYLE) if edited else ""
        if in_clause:
            style = f"{style} {REUSED_STYLE}".strip()
        out.append(piece, style=style or None)
    return out


def _row_symbol(row: Row) -> str:
    sym = STATUS_SYMBOL[row.status]
    if row.status == "added":
        return "+ " if row.side == "left" else " +"
    return sym + (" ↕" if row.moved else "")


def build_table(al: Alignment, color: bool) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_lines=False, pad_edge=False, padding=(0, 1))
    table.add_column(_heading(al.left), ratio=1, overflow="fold")
    table.add_column("", width=3, justify="center", no_wrap=True)
    table.add_column(_heading(al.right), ratio=1, overflow="fold")
    rows = side_by_side(al)
    for n, row in enumerate(rows):
        pair = al.pairs[row.pair] if row.pair is not None else None
        left = _cell(al.left, row.left, pair, "left", color)
        right = _cell(al.right, row.right, pair, "right", color)
        if row.moved and row.right:
            right = Text(f"(#{row.right[0] + 1}) ", style="dim") + right
        if row.right_repeat:
            right = Text("(again) ", style="dim") + right
        if row.left_repeat:
            left = Text("(again) ", style="dim") + left
        if pair is None:  # an added sentence: its likely rewrite that was not linked (`model.Hint`)
            left, right = _with_hints(al, "left", row.left, left), _with_hints(al, "right", row.right, right)
        style = STYLE[row.status] if color else ""
        table.add_row(left, Text(_row_symbol(row), style=style), right,
                      end_section=n < len(rows) - 1)
    return table


def _with_hints(al: Alignment, side: str, idx: list[int], cell: Text) -> Text:
    """`cell` with "(perhaps from #k)" in front for each hint of its sentences: the other
    article's sentence number (1-based, as `(#n)` of a moved row)."""
    notes = []
    for h in al.hints_at(side, idx):
        likely = percent(h.evidence)
        notes.append(f"(perhaps from #{h.partner(side) + 1}{', ' + likely if likely else ''}) ")
    return Text("".join(notes), style="dim") + cell if notes else cell


def _heading(art: Article) -> Text:
    t = Text(inert(art.name, line=True), style="bold")
    if art.title:
        t.append(f"\n{inert(art.title, line=True)}", style="italic")
    if art.date:
        t.append(f"\n{inert(art.date, line=True)}", style="dim")
    return t


def render_diff(al: Alignment, *, width: int | None = None, color: bool = False, file: str | None = None) -> None:
    """Print the aligned pair; `file` writes plain text to a path instead of stdout."""
    width = width or shutil.get_terminal_size((120, 40)).columns
    if file is not None:
        from io import StringIO

        from ..fileio import write_atomic

        buf = StringIO()
        console = Console(file=buf, width=width, color_system=None, force_terminal=False, highlight=False)
        _print(console, al, color=False)
        write_atomic(file, buf.getvalue())  # WriteError is turned into a message by the caller
        return
    console = _PipeConsole(file=sys.stdout, width=width, highlight=False,
                      color_system="auto" if color else None, force_terminal=color or None,
                      no_color=not color)
    _print(console, al, color)


class _PipeConsole(Console):
    """Rich exits with status 1 when the reader of a pipe goes away (`| head`); we let
    the command line treat that as the normal end it is (`cli.main`)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def _print(console: Console, al: Alignment, color: bool) -> None:
    console.print(build_table(al, color))
    legend = "= copied   ~ changed   + added   ↕ moved (#n: its position)"
    legend += "   [-deleted-] {+inserted+} ⟦reused clause⟧" if not color else "   reversed: reused clause"
    console.print(Text(legend, style="dim"))
    console.print(Text(summary_line(al), style="bold"))
