"""Sentence splitting: the traps of news copy, and offsets that always hold."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.sentences import split_spans


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_spans(text)]


@pytest.mark.parametrize("text,expected", [
    ("Mr. Smith met Gen. Lee on Jan. 5. They talked.", ["Mr. Smith met Gen. Lee on Jan. 5.", "They talked."]),
    ("No. 10 replied. It was late.", ["No. 10 replied.", "It was late."]),
    ("U.S. President Joe Biden spoke. Others listened.", ["U.S. President Joe Biden spoke.", "Others listened."]),
    ("Trade hit $240.1bn, up 26.3%. Exports rose.", ["Trade hit $240.1bn, up 26.3%.", "Exports rose."]),
    ('They discussed "issues of common interest." The Kremlin agreed.',
     ['They discussed "issues of common interest."', "The Kremlin agreed."]),
    ("He said: “It is done.” Then he left.", ["He said: “It is done.”", "Then he left."]),
    ("Is it over? Nobody knows! We wait...", ["Is it over?", "Nobody knows!", "We wait..."]),
    ("It went to the U.S. The next day it came back.", ["It went to the U.S.", "The next day it came back."]),
    ("Beijing, 2022. (Source: AFP/Sputnik) On May 16 he flew.", ["Beijing, 2022. (Source: AFP/Sputnik)", "On May 16 he flew."]),
    ("J. K. Rowling wrote it. Then she rested.", ["J. K. Rowling wrote it.", "Then she rested."]),
    ("a headline with no full stop", ["a headline with no full stop"]),
])
def test_news_traps(text, expected):
    assert split(text) == expected


def test_many_sentences_on_one_long_line():
    line = " ".join(f"Sentence number {k} ends here." for k in range(40))
    assert len(split(line)) == 40


def test_offsets_into_a_larger_text():
    text = "Title\n\nFirst one. Second one.\nThird"
    a = text.index("First")
    b = text.index("\nThird")
    assert [text[s:e] for s, e in split_spans(text, a, b)] == ["First one.", "Second one."]


ALPHABET = st.sampled_from(list("abc XYZ.!?\"'“”()$%0123456789,;:-\t") + ["Mr.", "U.S.", " The", "..."])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_spans_are_ordered_disjoint_trimmed_and_in_bounds(text):
    spans = split_spans(text)
    prev_end = 0
    for a, b in spans:
        assert prev_end <= a < b <= len(text)
        piece = text[a:b]
        assert piece == piece.strip() and piece
        prev_end = b
    # Nothing but whitespace is lost between sentences.
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=' \n\t"\'“‘([abc.\u00a0', max_size=30), st.data())
def test_word_before_scans_like_the_pattern(text, data):
    """The backward scan must find exactly what the forward pattern it replaced finds
    (a newline at the end included, where `$` also matches)."""
    import re

    from reader.sentences import _word_before

    word_before = re.compile(r"([^\s\"'“‘(\[]*)$")

    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    assert _word_before(text, lo, hi) == word_before.search(text, lo, hi).group(1)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Word", "word", ".", "!", "?", "…", ")", "(", "\"", "”", " ", "  ", "\n", "A",
                                 "1", "(Source: AFP)", "x.)", "U.S.", "é"]), max_size=25).map("".join),
       st.integers(0, 30), st.integers(0, 30))
@example("x) Word", 2, 7)  # the bracket just before the start: the search sees it
def test_boundary_search_equals_the_full_pattern(text, a, b):
    """The splitter's cheaper pattern for text without ")" finds exactly what the full one does."""
    from reader.sentences import _BOUNDARY, _boundaries

    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    got = [(m.span(), m.groupdict()) for m in _boundaries(text, start, end)]
    assert got == [(m.span(), m.groupdict()) for m in _BOUNDARY.finditer(text, start, end)]


def test_runs_of_punctuation_split_in_linear_time():
    """Hostile input: a run of 100,000 dots (or '!?') took minutes when the boundary pattern
    was tried from every dot of the run; now it is matched from the run's start only."""
    import time

    for run in (".", "!?", "…"):
        text = "A sentence before. " + run * (100_000 // len(run)) + " And after.\n"
        t = time.perf_counter()
        spans = split_spans(text)
        assert time.perf_counter() - t < 10  # generous for a loaded machine: it takes milliseconds
        assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.strip().replace(" ", "")
