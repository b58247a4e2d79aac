"""What the folder-matrix screen and the reader's gutter show, computed without Textual.

The matrix itself is the core's (`reader.folder.matrix.build_matrix`); this module only
turns it into things to draw: the order of the articles, the per-sentence echoes
with their likely source, the words that explain a source verdict, and the colour
of a heat-map cell.  Plain Python, so it is tested without a terminal.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from .analysis import Echo

if TYPE_CHECKING:  # only for annotations: the app imports reader.folder.matrix when `m` is first used
    from ..folder.matrix import FolderMatrix

# (key, short label for the sub-title, what the order means, for the legend)
ORDERS: list[tuple[str, str, str]] = [
    ("folder", "folder order", "as in the folder"),
    ("copied", "copied most first",
     "by the share of the article's words found in any other article (its row, 'elsewhere')"),
    ("source", "copied from most first",
     "by how much of the other articles' words is found in it (its column, on average)"),
]


def column_means(m: FolderMatrix) -> list[float]:
    """Average share of the other articles' words found in each article (its column).

    Summed over the cells that are not empty, in one pass: reading every cell of every
    column took 1.2 s for 2,000 articles, most of them empty."""
    n = len(m.articles)
    columns: list[list[float]] = [[] for _ in range(n)]
    for (a, b), cell in m.cells.items():
        if a != b:
            columns[b].append(cell.total)
    return [math.fsum(c) / (n - 1) if n > 1 else 0.0 for c in columns]  # exact: ties stay ties


def order_articles(m: FolderMatrix, order: str) -> list[int]:
    """Article indexes in the display order; ties keep folder order (stable sort)."""
    n = len(m.articles)
    if order == "copied":
        return sorted(range(n), key=lambda a: -m.shared_share(a))
    if order == "source":
        means = column_means(m)
        return sorted(range(n), key=lambda b: -means[b])
    return list(range(n))


def next_order(order: str) -> str:
    keys = [k for k, _, _ in ORDERS]
    return keys[(keys.index(order) + 1) % len(keys)] if order in keys else keys[0]


def order_label(order: str) -> str:
    return next((label for k, label, _ in ORDERS if k == order), order)


def order_meaning(order: str) -> str:
    return next((what for k, _, what in ORDERS if k == order), "")


def echoes_from_matrix(index: int, m: FolderMatrix) -> list[Echo]:
    """The reader's echoes for article `index`, read off the matrix's provenance.

    Same shape as `analysis.echoes` (best status, who shares it), plus the source
    verdict, so the reader view draws either; an article that holds a sentence both
    copied and changed (two of its sentences) is counted as copied.
    """
    out = []
    for p in m.provenance[index]:
        copied = sorted({k.article for k in p.shared if k.status == "copied"})
        changed = sorted({k.article for k in p.shared if k.status == "changed"} - set(copied))
        status = "copied" if copied else "changed" if changed else "added"
        out.append(Echo(status, copied, changed, verdict=p.verdict,
                        candidates=list(p.candidates), source=p.source))
    return out


def source_note(echo: Echo, own: int, name: Callable[[int], str]) -> str:
    """The likely source of a shared sentence in words, or "" when there is nothing to say.

    Dates decide; when they cannot (equal, or missing), say so rather than guess.
    """
    if echo.verdict in (None, "unshared"):
        return ""
    if echo.verdict == "earliest":
        if echo.source == own:
            return "likely source: this article (the earliest date of those sharing it)"
        return f"from {name(echo.source)} (earliest date)"
    others = ", ".join(name(k) for k in echo.candidates)
    if echo.verdict == "same date":
        return f"source unclear: same date ({others})"
    return f"source unclear: not every article has a date (could be {others})"


def source_marker(echo: Echo, own: int) -> str:
    """The gutter's hint: '←N' came from N, '→' this article is the source, '?' unclear."""
    if echo.verdict in (None, "unshared"):
        return ""
    if echo.verdict == "earliest":
        return "→" if echo.source == own else f"←{echo.source + 1}"
    return "?"


def heat_level(value: float) -> float:
    """How strongly a cell is tinted: nothing at 0, a visible tint from the first percent."""
    if value <= 0:
        return 0.0
    return 0.18 + 0.82 * min(1.0, value)
