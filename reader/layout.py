"""Laying an alignment out as side-by-side rows: shared by the app, text output and HTML.

The left article sets the reading order.  Each pair becomes one row with its
sentence(s) on both sides; a sentence with no counterpart sits opposite a blank.
Right-side sentences with no counterpart go just after the row holding the right
sentence before them, so each column still reads in its own order where it can.
A right sentence that the outlet moved (it appears earlier on the right than the
rows before it) is marked `moved`, so views can show its original position; one
shown a second time (a sentence linked twice, e.g. a standfirst repeated in the
body) is marked `repeat` on that side.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Alignment


@dataclass(slots=True)
class Row:
    left: list[int]
    right: list[int]
    status: str               # copied | changed | added
    pair: int | None = None   # index into Alignment.pairs
    moved: bool = False       # right side out of the left's order
    left_repeat: bool = False
    right_repeat: bool = False

    @property
    def side(self) -> str:
        """For an added row, which side has the text ("left" or "right"); else "both"."""
        if self.left and self.right:
            return "both"
        return "left" if self.left else "right"


def side_by_side(al: Alignment) -> list[Row]:
    pairs_of_left: dict[int, list[int]] = {}
    for k, p in enumerate(al.pairs):
        for i in p.left:
            pairs_of_left.setdefault(i, []).append(k)
    rows: list[Row] = []
    emitted: set[int] = set()
    shown_left: set[int] = set()
    shown_right: set[int] = set()
    for i in range(len(al.left.sentences)):
        ks = pairs_of_left.get(i)
        if not ks:
            rows.append(Row([i], [], "added"))
            shown_left.add(i)
            continue
        for k in ks:
            if k in emitted:
                continue
            emitted.add(k)
            p = al.pairs[k]
            row = Row(list(p.left), list(p.right), p.status, k,
                      left_repeat=any(x in shown_left for x in p.left),
                      right_repeat=any(x in shown_right for x in p.right))
            shown_left.update(p.left)
            shown_right.update(p.right)
            rows.append(row)
    _mark_moved(rows)
    return _insert_right_only(rows, len(al.right.sentences), shown_right)


def _mark_moved(rows: list[Row]) -> None:
    """A right sentence is moved when it comes before one already placed above it.

    Judged against the longest increasing run of right indices, so that one moved
    sentence marks itself, not every sentence after it.
    """
    firsts = [(n, min(r.right)) for n, r in enumerate(rows) if r.right and not r.right_repeat]
    keep = _longest_increasing([j for _, j in firsts])
    for k, (n, _) in enumerate(firsts):
        rows[n].moved = k not in keep


def _longest_increasing(seq: list[int]) -> set[int]:
    """Indices (into seq) of one longest strictly increasing subsequence."""
    import bisect

    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(seq)
    for k, v in enumerate(seq):
        pos = bisect.bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
            tail_idx.append(k)
        else:
            tails[pos] = v
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out, k = set(), tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


def _insert_right_only(rows: list[Row], n_right: int, shown: set[int]) -> list[Row]:
    after: dict[int, list[int]] = {}   # row position -> right-only sentences to put after it
    where: dict[int, int] = {}         # right index -> row position holding it (first, unmoved)
    for n, r in enumerate(rows):
        for j in r.right:
            if not r.moved:
                where.setdefault(j, n)
    for j in range(n_right):
        if j in shown:
            continue
        pos = next((where[x] for x in range(j - 1, -1, -1) if x in where), -1)
        after.setdefault(pos, []).append(j)
        where[j] = pos
    out = [Row([], [j], "added") for j in after.get(-1, [])]
    for n, r in enumerate(rows):
        out.append(r)
        out.extend(Row([], [j], "added") for j in after.get(n, []))
    return out
