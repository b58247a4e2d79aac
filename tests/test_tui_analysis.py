"""The Textual-free helpers behind the app's views."""
from __future__ import annotations

from reader.articles import load_articles
from reader.layout import side_by_side
from reader.rules import load_rules
from reader.tui.analysis import AlignmentCache, bar_cells, diff_items, echoes, reading_items, step
from reader.tui.widgets.reading_rows import gutter_text
from reader.tui.analysis import Echo
from tui_support import STORY


def _story():
    arts, skipped = load_articles([STORY], load_rules(include_user=False))
    assert not skipped
    return arts


def test_bar_cells_fill_the_width_by_largest_remainder():
    assert bar_cells({"copied": 0.5, "changed": 0.25, "added": 0.25}, 8) == [("copied", 4), ("changed", 2), ("added", 2)]
    assert sum(n for _, n in bar_cells({"copied": 1 / 3, "changed": 1 / 3, "added": 1 / 3}, 10)) == 10
    assert bar_cells({"copied": 0.0, "changed": 0.0, "added": 1.0}, 6) == [("added", 6)]


def test_step_finds_next_and_previous():
    assert step([1, 4, 7], 4, True) == 7
    assert step([1, 4, 7], 4, False) == 1
    assert step([1, 4, 7], 7, True) is None


def test_cache_aligns_each_pair_once_and_reads_either_direction():
    a, b, _ = _story()
    cache = AlignmentCache()
    first = cache.get(a, b)
    assert cache.get(a, b) is first
    assert cache.statuses(b, a) == first.right_status  # reuses the a->b alignment
    assert cache.peek(b, a) is None


def test_echoes_take_the_best_status_and_name_the_sharers():
    arts = _story()
    cache = AlignmentCache()
    out = echoes(0, arts, cache)
    ab = cache.get(arts[0], arts[1]).left_status
    ac = cache.get(arts[0], arts[2]).left_status
    rank = {"added": 0, "changed": 1, "copied": 2}
    for e, x, y in zip(out, ab, ac):
        assert e.status == max(x, y, key=rank.get)
        assert (1 in e.copied_in) == (x == "copied") and (2 in e.changed_in) == (y == "changed")
    assert echoes(0, arts, cache, stop=lambda done, total: True) is None


def test_reading_items_interleave_stripped_lines_by_position():
    a = _story()[0]
    plain = reading_items(a, False)
    assert [it.index for it in plain] == list(range(len(a.sentences)))
    items = reading_items(a, True)
    pos = [a.sentences[it.index].start if it.kind == "sentence" else it.stripped.start for it in items]
    assert pos == sorted(pos) and sum(it.kind == "stripped" for it in items) == len(a.stripped)


def test_diff_items_put_stripped_lines_after_the_row_before_them():
    a, b, _ = _story()
    al = AlignmentCache().get(a, b)
    rows = side_by_side(al)
    items = diff_items(rows, al, True)
    assert len(items) == len(rows) + len(a.stripped) + len(b.stripped)
    for n, it in enumerate(items):
        if it.stripped is None or it.side != "left":
            continue
        before = [x.row for x in items[:n] if x.row and x.row.left]
        if before:
            assert a.sentences[max(before[-1].left)].start < it.stripped.start


def test_gutter_names_sharers_and_caps_the_list():
    assert gutter_text(None) == "·"
    assert gutter_text(Echo("copied", [0], [3])) == "= 1 4"
    assert gutter_text(Echo("changed", [], [1, 2, 3, 4, 5])) == "~ 2 3 4 +2"
    assert gutter_text(Echo("added")) == "+"


def test_source_order_is_the_column_means_of_every_cell():
    """`order_articles(m, "source")` sums only the cells that are not empty; it must give
    the order of the mean over every cell of each column."""
    import math
    import random

    import pytest

    from reader.folder.matrix import Cell, FolderMatrix
    from reader.model import Article
    from reader.tui.matrix_view import column_means, order_articles

    rnd = random.Random(3)
    n = 40
    cells = {(a, b): Cell(copied=rnd.choice([0.1, 0.25, 0.5]), changed=rnd.choice([0.0, 0.1]))
             for a in range(n) for b in range(n) if a != b and rnd.random() < 0.2}
    m = FolderMatrix([Article(path=f"{k}.txt", text="") for k in range(n)], cells, [[] for _ in range(n)])
    brute = [math.fsum(m.cell(a, b).total for a in range(n) if a != b) / (n - 1) for b in range(n)]
    assert column_means(m) == pytest.approx(brute)
    assert order_articles(m, "source") == sorted(range(n), key=lambda b: -brute[b])
