"""A sentence broken across a blank line (print systems, PDF page breaks) is read whole.

"A WOMAN was jailed for seven years yesterday" / "for torturing her husband..." are
one sentence; read line by line, the first half was taken for a headline and a
rewrite of the whole was judged half by half.  Offsets still index the file's text,
and menus, tag lists, link labels and real subheads are not joined.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.align import AlignOptions, align
from reader.articles import article_from_text
from reader.cleaning import line_spans
from reader.wrapping import continued_lines

from support import SHARED

BROKEN = ("A WOMAN was jailed for seven years yesterday\n\n"
          "for torturing her teenage husband and leaving him scarred for life.\n\n"
          "\tMother-of-four Dawn Example forced her husband to scald himself, the court heard.\n\n"
          "\tMr Example was\n\n\tscarred for life with 20 per\n\ncent burns. His mother did not recognise him.\n\n"
          "The judge told her she was a dangerous woman.\n")


def test_the_halves_of_a_broken_sentence_are_one_sentence_with_file_offsets():
    art = article_from_text(BROKEN)
    texts = [" ".join(s.text.split()) for s in art.sentences]
    assert texts[0] == ("A WOMAN was jailed for seven years yesterday for torturing her teenage husband "
                        "and leaving him scarred for life.")
    assert "Mr Example was scarred for life with 20 per cent burns." in texts
    assert art.title is None  # the "headline" was the first half of the first sentence
    assert art.display_title.startswith("A WOMAN was jailed") and art.body.startswith("A WOMAN was jailed")
    for s in art.sentences:
        assert " ".join(BROKEN[s.start:s.end].split()) == " ".join(s.text.split())
        assert len(s.text) == s.end - s.start
    assert all(s.kind == "body" for s in art.sentences)  # no half is a subhead any more


def test_a_rewrite_of_the_whole_sentence_is_linked_to_both_halves():
    wire = article_from_text("A 35-year-old mother-of-four was today jailed for seven years for torturing "
                             "her teenage husband and leaving him scarred for life.\n\n"
                             "The judge told her she was a dangerous woman.\n")
    paper = article_from_text(BROKEN)
    first = next(p for p in align(wire, paper, AlignOptions()).pairs if 0 in p.left)
    assert first.right == [0] and first.status == "changed"
    assert paper.sentences[0].end > BROKEN.index("for torturing")


@pytest.mark.parametrize("text", [
    "Rock star sues his old band\n\nThe singer says he overpaid them.\n",            # a headline, then a sentence
    "The band was paid twice.\n\nthen the label noticed, the court heard.\n",        # the first line ends a sentence
    "Our picks for the weekend\n\niPhone deals are everywhere this week.\n",        # not a lower-case word
    "Read more on the site\n\nvox.com\n",                                            # a link label
    "adote um amigo agua alerta ambiente\n\ncursos dança\n\ndia edital educacao\n",  # a tag list never ends a sentence
    "Two words\n\nand then a whole sentence follows here.\n",                       # too short to be cut mid-sentence
])
def test_headlines_lists_and_link_labels_are_not_joined(text):
    lines = line_spans(text)
    joined, view = continued_lines(text, lines)
    assert joined == lines and view is text


def test_lines_with_something_between_them_are_not_joined():
    text = "The minister said the plan was\n\nADVERTISEMENT\n\nlikely to be delayed until next year.\n"
    lines = [(a, b) for a, b in line_spans(text) if text[a:b] != "ADVERTISEMENT"]  # the cleaner dropped it
    assert continued_lines(text, lines)[0] == lines


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab .,\n\tAB", max_size=30), max_size=8))
def test_the_view_keeps_length_and_every_character_but_joined_breaks(parts):
    text = "\n\n".join(parts)
    lines = line_spans(text)
    joined, view = continued_lines(text, lines)
    assert len(view) == len(text)
    assert all(v == t or (t.isspace() and v == " ") for v, t in zip(view, text))
    assert [a for a, _ in joined] == sorted(a for a, _ in joined)
    assert {a for a, _ in joined} <= {a for a, _ in lines} and {b for _, b in joined} <= {b for _, b in lines}


def test_dev_pages_join_only_sentences_of_their_gold_body():
    """On the 181 dev pages (menus, tag clouds, link lists) every joined sentence is text
    of the page's gold body (5 are joined today)."""
    from reader.articles import load_article

    pages = sorted((SHARED / "cleaning" / "pages").glob("*.txt"))
    if not pages:
        pytest.skip("cleaning dev set not found beside the repo")
    gold = json.loads((SHARED / "cleaning" / "gold.json").read_text(encoding="utf-8"))
    joined = 0
    for page in pages:
        art = load_article(page)
        starts = {a for a, _ in art.body_lines}
        body = " ".join(gold[page.stem]["body"].split())
        for s in art.sentences:
            if any(s.start < a < s.end for a in starts):
                joined += 1
                assert " ".join(s.text.split()) in body, (page.name, s.text)
    assert joined >= 1


def test_meter_broken_sentences_are_read_whole():
    files = sorted(Path("/tmp/meter/all").glob("*.txt"))
    if not files:
        pytest.skip("METER texts not built at /tmp/meter (see ../shared/meter/README.md)")
    from reader.articles import load_article

    joined = 0
    for f in files:
        art = load_article(f)
        starts = {a for a, _ in art.body_lines}
        joined += sum(1 for s in art.sentences if any(s.start < a < s.end for a in starts))
    assert joined >= 40  # 51 today, in 27 texts
