"""Side-by-side rows: every sentence shown, counterparts opposite, reorders marked."""
from __future__ import annotations

from reader.align import align
from reader.articles import article_from_text
from reader.layout import side_by_side

LEFT = ("Alpha fell sharply on Monday in Paris. Beta rose after the central bank report. "
        "Gamma stayed flat all week long. Delta is a sentence only the left article has.")
RIGHT = ("Gamma stayed flat all week long. Alpha fell sharply on Monday in Paris. "
         "A brand new sentence that nobody else wrote appears. Beta rose strongly after the central bank report.")


def test_every_sentence_appears_and_pairs_face_each_other():
    al = align(article_from_text(LEFT, "l"), article_from_text(RIGHT, "r"))
    rows = side_by_side(al)
    left_seen = [i for r in rows for i in r.left]
    right_seen = [j for r in rows for j in r.right]
    assert sorted(set(left_seen)) == list(range(len(al.left.sentences)))
    assert sorted(set(right_seen)) == list(range(len(al.right.sentences)))
    by_left = {r.left[0]: r for r in rows if r.left}
    assert by_left[0].right == [1] and by_left[0].status == "copied"
    assert by_left[1].right == [3] and by_left[1].status == "changed"
    assert by_left[3].right == [] and by_left[3].status == "added"
    added_right = [r for r in rows if not r.left]
    assert [r.right for r in added_right] == [[2]]


def test_moved_sentence_is_marked_once():
    al = align(article_from_text(LEFT, "l"), article_from_text(RIGHT, "r"))
    rows = side_by_side(al)
    moved = [r for r in rows if r.moved]
    assert len(moved) == 1 and moved[0].right == [0]


def test_left_order_is_kept():
    al = align(article_from_text(LEFT, "l"), article_from_text(RIGHT, "r"))
    firsts = [r.left[0] for r in side_by_side(al) if r.left]
    assert firsts == sorted(firsts)
