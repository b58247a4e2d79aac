"""What the app shows, computed without Textual: shared alignments, per-sentence echoes.

Everything here is plain Python on top of the core so it can run in worker threads
and be tested without a terminal.  The app only calls these functions and draws
their results.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from ..options import AlignOptions
from ..layout import Row
from ..model import STATUS_SYMBOL, Alignment, Article, Status, Stripped
from .offload import Offloader

Cancelled = Callable[[], bool]

STATUS_RANK = {"added": 0, "changed": 1, "copied": 2}


def align(left: Article, right: Article, options: AlignOptions) -> Alignment:
    """`reader.align.align`, imported when first used: the app aligns in helper processes,
    so its own start-up need not load the aligner (rapidfuzz, the clause search)."""
    from ..align import align as core_align

    return core_align(left, right, options)
SYMBOL = STATUS_SYMBOL  # the same marks as the text output and the help


class AlignmentCache:
    """Alignments by (left path, right path), shared by the list, reader and diff workers.

    Aligning is the costly step and the same pair is wanted by several views (the list's
    share bar, the reader's echoes, the diff), so each pair is aligned once.  The lock
    only guards the dictionary; aligning runs outside it, so two threads may align the
    same pair at once, and the first result stored wins (they are equal anyway).
    """

    REMOTE = "reader.tui.analysis:align_fields"  # what a helper process runs (tests stand in a slow one)

    def __init__(self, options: AlignOptions | None = None, offload: Offloader | None = None):
        self.options = options or AlignOptions()
        self.offload = offload
        self._lock = threading.Lock()
        self._store: dict[tuple[str, str], Alignment] = {}

    def peek(self, left: Article, right: Article) -> Alignment | None:
        with self._lock:
            return self._store.get((left.path, right.path))

    def get(self, left: Article, right: Article, cancelled: Cancelled | None = None,
            timeout: float | None = None) -> Alignment:
        """The pair's alignment, aligning it if needed.

        With an `Offloader` the work runs in a helper process: `offload.Cancelled` is
        raised as soon as `cancelled()` is true (the helper is killed), and
        `offload.HelperFailed` (one line) when it fails, runs out of memory or takes
        more than `timeout` seconds.  Semantic mode aligns here: its model is loaded
        once in this process, and loading it again in every helper would cost more
        than it saves.
        """
        found = self.peek(left, right)
        if found is not None:
            return found
        result = self._align(left, right, cancelled, timeout)
        with self._lock:
            return self._store.setdefault((left.path, right.path), result)

    def _align(self, left: Article, right: Article, cancelled: Cancelled | None, timeout: float | None) -> Alignment:
        offload = self.offload
        if offload is None or self.options.semantic:
            return align(left, right, self.options)
        try:
            rest = offload.call(self.REMOTE, (left, right, self.options), cancelled, timeout)
        except OSError:  # no process can be started here: align in this thread (it cannot be stopped)
            self.offload = None
            return align(left, right, self.options)
        return Alignment(left=left, right=right, **rest)

    def statuses(self, article: Article, other: Article, cancelled: Cancelled | None = None,
                 timeout: float | None = None) -> list[Status]:
        """The status of each of `article`'s sentences against `other` (either direction cached)."""
        rev = self.peek(other, article)
        if rev is not None:
            return rev.right_status
        return self.get(article, other, cancelled, timeout).left_status


def align_fields(left: Article, right: Article, options: AlignOptions) -> dict:
    """In a helper process: the alignment's fields but its two articles (the app has them).

    Sending the articles back would double the traffic, and the app's views expect
    the alignment to hold the very `Article` objects of the folder.
    """
    al = align(left, right, options)
    return {f.name: getattr(al, f.name) for f in fields(al) if f.init and f.name not in ("left", "right")}


@dataclass(slots=True)
class Echo:
    """One sentence's best counterpart across the folder, and who shares it.

    The source fields are set only when the echo comes from the folder matrix
    (`matrix_view.echoes_from_matrix`); pairwise echoes know no dates.
    """

    status: Status = "added"
    copied_in: list[int] = field(default_factory=list)   # article indexes
    changed_in: list[int] = field(default_factory=list)
    verdict: str | None = None     # reader.folder.matrix.Provenance.verdict
    candidates: list[int] = field(default_factory=list)
    source: int | None = None

    @property
    def shared_by(self) -> list[int]:
        return sorted(self.copied_in + self.changed_in)


BACKGROUND_ALIGN_SECONDS = 60.0  # one pair of a background view (bars, echoes) gives up after this


def echoes(index: int, articles: list[Article], cache: AlignmentCache,
           stop: Callable[[int, int], bool] = lambda done, total: False,
           cancelled: Cancelled | None = None, failed: list[tuple[int, str]] | None = None) -> list[Echo] | None:
    """For each sentence of `articles[index]`, its best status against every other article.

    Copied beats changed beats added.  `stop(done, total)` is called before each other
    article (so a worker can report progress); when it returns True this returns None,
    so a worker can stop early when the user has moved on.  `cancelled` also stops an
    alignment under way (see `AlignmentCache.get`).  An article that cannot be aligned
    (its helper failed or took too long) counts as sharing nothing and is listed in
    `failed` with the reason, so one hostile file does not stop the view.
    """
    from .offload import HelperFailed

    art = articles[index]
    out = [Echo() for _ in art.sentences]
    others = [k for k in range(len(articles)) if k != index]
    for done, k in enumerate(others):
        other = articles[k]
        if stop(done, len(others)):
            return None
        try:
            statuses = cache.statuses(art, other, cancelled, BACKGROUND_ALIGN_SECONDS)
        except HelperFailed as e:
            if failed is not None:
                failed.append((k, str(e)))
            continue
        for echo, st in zip(out, statuses):
            if st == "copied":
                echo.copied_in.append(k)
            elif st == "changed":
                echo.changed_in.append(k)
            if STATUS_RANK[st] > STATUS_RANK[echo.status]:
                echo.status = st
    return out


def bar_cells(shares: dict[str, float], width: int) -> list[tuple[str, int]]:
    """Split `width` cells among copied/changed/added by share (largest remainder)."""
    order = ("copied", "changed", "added")
    raw = [shares.get(s, 0.0) * width for s in order]
    cells = [int(x) for x in raw]
    rest = sorted(range(3), key=lambda k: raw[k] - cells[k], reverse=True)
    for k in rest[: max(0, width - sum(cells))]:
        cells[k] += 1
    return [(s, n) for s, n in zip(order, cells) if n]


@dataclass(slots=True)
class Item:
    """One line of a reading view: a sentence (by index) or a stripped noise line."""

    kind: str                      # "sentence" | "stripped"
    index: int = -1
    stripped: Stripped | None = None
    paragraph: bool = False        # a sentence that starts a new kept line


def reading_items(art: Article, show_stripped: bool) -> list[Item]:
    """The article in reading order, with stripped lines interleaved by position if asked."""
    starts = {a for a, _ in art.body_lines}
    items = [Item("sentence", i, paragraph=s.start in starts or s.kind != "body")
             for i, s in enumerate(art.sentences)]
    if show_stripped:
        items += [Item("stripped", stripped=s) for s in art.stripped]
        items.sort(key=lambda it: art.sentences[it.index].start if it.kind == "sentence" else it.stripped.start)
    return items


@dataclass(slots=True)
class DiffItem:
    """One line of the diff view: an aligned row, or a stripped line on one side."""

    row: Row | None = None
    side: str = ""                 # for stripped lines: "left" | "right"
    stripped: Stripped | None = None


def diff_items(rows: list[Row], al: Alignment, show_stripped: bool) -> list[DiffItem]:
    """Rows, with each side's stripped lines after the last row that precedes them there."""
    items = [DiffItem(row=r) for r in rows]
    if not show_stripped:
        return items
    after: dict[int, list[DiffItem]] = {}
    for side, art in (("left", al.left), ("right", al.right)):
        anchors = []  # (sentence start, row position) for rows that keep this side's order
        for n, r in enumerate(rows):
            idx = r.left if side == "left" else r.right
            if idx and not (side == "right" and r.moved):
                anchors.append((art.sentences[min(idx)].start, n))
        for s in art.stripped:
            before = [n for start, n in anchors if start < s.start]
            after.setdefault(max(before) if before else -1, []).append(DiffItem(side=side, stripped=s))
    out = list(after.get(-1, []))
    for n, item in enumerate(items):
        out.append(item)
        out.extend(after.get(n, []))
    return out


def step(positions: list[int], current: int, forward: bool) -> int | None:
    """The next (or previous) position in sorted `positions` after `current`, or None."""
    if forward:
        return next((p for p in positions if p > current), None)
    return next((p for p in reversed(positions) if p < current), None)


def short_source(art: Article) -> str:
    """What to show as the outlet: the outlet when the source names one (site, sender,
    corpus field), else the byline when the page gave one, else the file name."""
    return art.outlet or art.byline or art.stem


# `Article.source` as a short tag for the list: text given in memory reads as a .txt file.
SOURCE_TAGS = {"text": "txt"}


def source_tag(art: Article) -> str:
    """Which kind of input the article came from (txt, html, url, pdf, docx, eml, jsonl, csv,
    warc): who copied whom reads differently for a wire feed row than for a press release PDF."""
    return SOURCE_TAGS.get(art.source, art.source or "?")
