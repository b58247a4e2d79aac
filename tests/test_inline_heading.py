"""A subhead glued to the front of a copied sentence (pages copied as text lose its line
break) leaves the sentence copied; words an edit puts in front of a sentence do not."""
from __future__ import annotations

import pytest

from reader.align import AlignOptions, align
from reader.articles import article_from_text

SOURCE = ("Putin will visit Harbin for a trade fair. "
          "Russia has become China's top crude supplier, with its oil shipments to China jumping "
          "more than 24 percent in 2023 despite Western sanctions. "
          "The Kremlin said a joint statement would be signed.")


def _with_lead(lead: str) -> str:
    return SOURCE.replace("Russia has become", f"{lead} Russia has become")


def _pair_of_crude_sentence(text: str, swap: bool = False):
    a, b = article_from_text(SOURCE, "wire.txt"), article_from_text(text, "copy.txt")
    al = align(b, a, AlignOptions()) if swap else align(a, b, AlignOptions())
    side = "right" if swap else "left"
    return al, next(p for p in al.pairs if getattr(p, side) == [1])


@pytest.mark.parametrize("swap", [False, True], ids=["heading on the right", "heading on the left"])
def test_glued_heading_leaves_the_sentence_copied_and_marks_the_heading(swap):
    text = _with_lead("Leading supplier of crude oil")
    al, pair = _pair_of_crude_sentence(text, swap)
    assert pair.status == "copied"
    assert pair.evidence.get("inline_heading") == "Leading supplier of crude oil"
    art = al.left if swap else al.right
    marks = pair.left_marks if swap else pair.right_marks
    assert [art.text[a:b] for a, b in marks] == ["Leading supplier of crude oil"]
    assert (pair.right_marks if swap else pair.left_marks) == []
    assert set(al.left_status) == set(al.right_status) == {"copied"}


def test_the_matrix_view_without_highlights_agrees():
    text = _with_lead("Energy lifeline for Chinese refineries")
    al = align(article_from_text(SOURCE, "w.txt"), article_from_text(text, "c.txt"), highlights=False)
    assert [p.status for p in al.pairs] == ["copied"] * 3


@pytest.mark.parametrize("lead", [
    "On Tuesday",                  # time: the writer's own words
    "Meanwhile",                   # one word, an adverb
    "Officials said",              # attribution
    "In short,",                   # punctuation: a writer's opening
    "Last year",                   # time
    "Oil:",                        # a colon
    "By the end of the decade",    # starts with a function word
    "A very long heading that goes on for more words",  # too long for a heading
    "JCB worker",                  # an epithet a paper cut (METER): too short for a heading
    "Powerfully-built",
    "Our own energy correspondent",  # starts with a function word
    "Moscow's leading crude oil supplier",  # a possessive leads into the sentence
])
def test_words_put_in_front_of_a_sentence_are_an_edit(lead):
    al, pair = _pair_of_crude_sentence(_with_lead(lead))
    assert pair.status == "changed"
    assert "inline_heading" not in pair.evidence


def test_a_heading_before_a_short_sentence_is_not_taken_for_furniture():
    left = "Oil exports rose. Ships sailed."
    right = "Energy Trade Oil exports rose. Ships sailed."
    al = align(article_from_text(left, "l.txt"), article_from_text(right, "r.txt"))
    assert al.right_status[0] != "copied"


def test_why_says_which_words_were_the_subhead():
    from reader.why import why_phrases

    _, pair = _pair_of_crude_sentence(_with_lead("Leading supplier of crude oil"))
    assert why_phrases(pair) == ["exact copy: the same words",
                                 "after a subhead run into the sentence: Leading supplier of crude oil"]


def test_the_export_marks_the_subhead_and_says_why():
    from reader.export import render_html

    al, _ = _pair_of_crude_sentence(_with_lead("Leading supplier of crude oil"))
    page = render_html(al)
    assert "<ins>Leading supplier of crude oil</ins>" in page
    assert "after a subhead run into the sentence: Leading supplier of crude oil" in page


def test_the_app_highlights_the_subhead_in_the_copied_row(tmp_path):
    from tui_support import make_app, run_async, settle

    from reader.tui.widgets.diff_rows import DiffRow

    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a_wire.txt").write_text(SOURCE + "\n", encoding="utf-8")
    (folder / "b_copy.txt").write_text(_with_lead("Leading supplier of crude oil") + "\n", encoding="utf-8")

    @run_async
    async def check():
        app = make_app(tmp_path, [folder])
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await pilot.press("j", "d")
            await settle(pilot)
            rows = list(app.screen.query(DiffRow))
            crude = next(r for r in rows if "crude supplier" in str(r._side("right")[0]))
            assert crude.item.row.status == "copied"
            right = crude._side("right")[0]
            marked = {str(right)[s.start:s.end] for s in right.spans if "Leading" in str(right)[s.start:s.end]}
            assert marked == {"Leading supplier of crude oil"}

    check()
