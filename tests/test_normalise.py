"""Comparison words: the words road and the spans road must describe the same words.

`words_and_caps` (no spans, used on every sentence) and `word_spans` (used for
highlights) are two passes over a sentence; if they ever disagreed, a pair labelled
on one list of words would be highlighted on another.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.normalise import word_spans, words, words_and_caps

# Pieces that exercise every branch: house-style phrases and numbers, acronyms,
# accents, typographic quotes and dashes, -ize spellings, empty folds.
PIECES = ["world", "view", "per", "cent", "on", "line", "e", "mail", "cease", "fire", "US", "U.S.",
          "26.3%", "$240.1bn", "1,200", "5k", "Café", "“quoted”", "—", "organize", "realized", "%",
          "don’t", "Putin", "the", "and", "x", "£5m", "nation-wide", "E-mail", "₂", "İstanbul", " ", ", "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join) | st.text(max_size=60))
def test_words_and_spans_agree(text):
    ws, caps = words_and_caps(text)
    spans = word_spans(text)
    assert ws == words(text)
    assert len(ws) == len(caps) == len(spans)
    for w, c, (a, b) in zip(ws, caps, spans):
        assert w in words(text[a:b])  # each word comes from its span
        assert c == text[a].isupper()


def test_house_style_phrases_join_once():
    assert words("the world view on line per cent") == ["the", "worldview", "online", "percent"]
    assert words("per per cent") == ["per", "percent"]
    assert words("26.3 per cent, 26.3%") == ["26.3", "percent", "26.3", "percent"]


def test_phrase_spans_cover_both_words():
    text = "A world view."
    ws, spans = words(text), word_spans(text)
    a, b = spans[ws.index("worldview")]
    assert text[a:b] == "world view"


def test_a_number_with_its_unit_is_two_words_on_one_span():
    text = "up 26.3%"
    assert words(text) == ["up", "26.3", "percent"]
    assert [text[a:b] for a, b in word_spans(text)] == ["up", "26.3%", "26.3%"]
