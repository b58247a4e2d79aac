"""Partial reuse and honest labels on small hand-written pairs.

The clause thresholds are measured in "rare words" (see `align.rare_unit`), so the
same reuse is found whether the articles have four sentences or forty.
"""
from __future__ import annotations

import pytest

from reader.align import AlignOptions, align
from reader.articles import article_from_text

WIRE = ("The Kremlin said the two leaders would sign a joint statement after the meeting. "
        "Trade between the countries reached a record last year, customs data show. "
        "The talks will cover energy supplies through the Siberian pipeline.")
OUTLET = ("Putin and Xi will also sign a joint statement after the meeting, attending a gala in Harbin "
          "that celebrates the anniversary of relations. "
          "Analysts in Moscow expect little change in the western sanctions regime. "
          "Students gathered outside the embassy holding colourful banners.")
FILLER = " ".join(f"Unrelated filler sentence number {k} mentions harvest {k} and weather {k}." for k in range(30))


def _pair(left: str, right: str, **opts):
    return align(article_from_text(left, "left.txt"), article_from_text(right, "right.txt"), AlignOptions(**opts))


def _reused_text(al, pair, side):
    art = al.left if side == "left" else al.right
    spans = pair.reused_left if side == "left" else pair.reused_right
    return " ".join(art.text[a:b] for a, b in spans)


@pytest.mark.parametrize("filler", ["", " " + FILLER], ids=["three sentences", "thirty-three sentences"])
def test_reused_clause_is_found_with_its_spans(filler):
    al = _pair(WIRE + filler, OUTLET + filler)
    pair = next(p for p in al.pairs if p.right == [0])
    assert pair.left == [0] and pair.status == "changed"
    assert "sign a joint statement" in _reused_text(al, pair, "right")
    assert "sign a joint statement" in _reused_text(al, pair, "left")
    assert "gala in Harbin" not in _reused_text(al, pair, "right")
    assert pair.score < 1.0


def test_topic_words_alone_are_not_a_link():
    left = ("Putin will visit China this week for talks with Xi. "
            "Russia and China have deepened their partnership since the war began.")
    right = ("Putin praised China during a visit to a factory in Russia. "
             "Xi met students from Russia and China at a university event this week.")
    al = _pair(left, right)
    assert al.pairs == []
    assert set(al.left_status) == {"added"} and set(al.right_status) == {"added"}


def test_copied_only_for_the_same_words():
    left = "Russia has become China's top crude supplier, with shipments jumping more than 24 percent in 2023."
    copy = "Russia has become China’s top crude supplier, with shipments jumping more than 24% in 2023."
    rewrite = "Russia has become the top crude supplier of China, with shipments rising over 24% in 2023."
    al = _pair(left, copy)
    assert [p.status for p in al.pairs] == ["copied"] and al.pairs[0].score == 1.0
    al = _pair(left, rewrite)
    assert [p.status for p in al.pairs] == ["changed"] and al.pairs[0].score < 1.0
    assert al.pairs[0].left_marks and al.pairs[0].right_marks


def test_split_sentence_is_one_pair_and_repeat_is_kept():
    left = ("During the visit, Putin will meet Chinese Premier Li Qiang to discuss economic cooperation "
            "and will also travel to Harbin for a trade and investment exposition.")
    right = ("During the visit, Putin will meet Chinese Premier Li Qiang to discuss economic cooperation. "
             "He will also travel to Harbin for a trade and investment exposition.")
    al = _pair(left, right)
    assert len(al.pairs) == 1 and al.pairs[0].left == [0] and al.pairs[0].right == [0, 1]
    assert al.right_status == ["changed", "changed"]


def test_clause_pass_can_be_switched_off():
    al = _pair(WIRE + " " + FILLER, OUTLET + " " + FILLER, clause=False)
    assert all(not p.reused_left and not p.reused_right for p in al.pairs)


def test_a_sentence_folded_into_a_longer_one_is_linked_with_the_reused_part_shown():
    left = ("Officials confirmed the reservoir near Lakeside will reopen to anglers next spring. "
            "The council approved a new budget for road repairs on Tuesday evening.")
    right = ("Fishing clubs welcomed the news, and officials confirmed the reservoir near Lakeside will reopen "
             "to anglers next spring, although environmental groups warned that stocks of native trout remain "
             "dangerously low after three dry summers in a row. "
             "A bakery on the high street won a national award for its sourdough.")
    al = _pair(left, right)
    pair = next(p for p in al.pairs if p.right == [0])
    assert pair.left == [0] and pair.status == "changed"
    assert "reservoir near Lakeside will reopen" in _reused_text(al, pair, "right")
    assert "native trout" not in _reused_text(al, pair, "right")
    assert al.right_status[1] == "added" and al.left_status[1] == "added"


def test_sharing_only_names_is_not_reuse():
    # A photo caption and a news sentence naming the same people: the story's subject, not a copy.
    left = ("Russian President Vladimir Putin and Chinese President Xi Jinping in Beijing, February 2022. "
            "Farmers in the south expect a poor harvest after the drought.")
    right = ("President Vladimir Putin will visit China at the invitation of Chinese President Xi Jinping, "
             "marking his first trip abroad since being sworn in for his fifth term. "
             "The museum reopens on Monday after a long renovation.")
    al = _pair(left, right)
    assert al.pairs == []
    # the names alone would pass the other clause tests (the linker, another layer, is left out)
    assert _pair(left, right, clause_facts=0, rewrite=False).pairs


def test_two_short_sentences_sharing_their_one_content_word_are_not_linked():
    """Found between two unrelated court reports: the same content words on both sides
    let a pair skip the rare-weight test, which must not hold for a single word."""
    left = "Counsel asked about his years in parliament. Is that right? He said nothing more."
    right = "The barrister described the risks as obvious. He is right. The jury will decide."
    assert _pair(left, right).pairs == []
    # the same words in another order, two of them, still stand for themselves
    al = _pair("The court was told the truth. Smith denies murder. It went on.",
               "A bus crashed in the rain. Murder, Smith denies. Nobody was hurt.")
    assert [(p.left, p.right) for p in al.pairs] == [([1], [1])]
