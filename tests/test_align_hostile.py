"""Hostile input to the aligner: repeats must not make the work or the output quadratic."""
from __future__ import annotations

import time

from reader.align import align
from reader.articles import article_from_sentences


def test_a_sentence_repeated_k_times_makes_k_links_not_k_squared():
    s = "The minister said the new policy would cost taxpayers millions of pounds over the next decade."
    art = article_from_sentences([s] * 400)
    t = time.perf_counter()
    al = align(art, art)
    assert time.perf_counter() - t < 30  # generous: the k * k version took over a minute
    assert len(al.pairs) == 400
    assert set(al.left_status) == set(al.right_status) == {"copied"}
    assert sorted((p.left[0], p.right[0]) for p in al.pairs) == [(k, k) for k in range(400)]


def test_uneven_repeats_link_every_copy():
    """Three copies on the left, one on the right: all three are copied (the gold's rule for a
    standfirst repeated in the body), through three links, not one."""
    s = "Putin will visit China on May 16-17."
    left = article_from_sentences([s, "Other news.", s, s])
    right = article_from_sentences(["Something else entirely here.", s])
    al = align(left, right)
    assert [al.left_status[k] for k in (0, 2, 3)] == ["copied"] * 3
    assert al.right_status[1] == "copied"
    assert sorted((p.left[0], p.right[0]) for p in al.pairs) == [(0, 1), (2, 1), (3, 1)]


def test_a_line_of_punctuation_in_both_is_copied_not_added():
    art = article_from_sentences(["First sentence here is fine.", "?!", "Second sentence is here too.", "***"])
    al = align(art, art)
    assert al.left_status == al.right_status == ["copied"] * 4
    other = article_from_sentences(["First sentence here is fine.", "***"])
    al = align(article_from_sentences(["First sentence here is fine.", "?!"]), other)
    assert al.left_status == ["copied", "added"]  # different punctuation is no copy


def test_one_20000_word_sentence_against_an_article_is_bounded():
    """An article run together into one sentence of 20,000 words, against the article: every
    clause of it is searched.  That took 1.6 s as a command (4.7 s under the profiler): a scan
    of the whole sentence per clause."""
    from support import SEEDS

    from reader.articles import load_article

    seed = load_article(sorted(SEEDS.glob("001_*.txt"))[0])
    words = " ".join(s.text.replace(".", "") for s in seed.sentences).split()
    long = article_from_sentences([" ".join((words * (20_000 // len(words) + 1))[:20_000]) + "."])
    t = time.perf_counter()
    al = align(long, seed)
    assert time.perf_counter() - t < 30  # generous for a loaded machine: about half a second
    assert al.left_status == ["changed"]
