"""Comparison words: the fast road the aligner takes must agree with the spans road.

`words_and_caps` (no spans, used on every sentence) and `tokens` (with spans, used
for highlights) are two implementations of one rule; if they ever disagreed, a pair
labelled on one list of words would be highlighted on another.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.normalise import tokens, word_spans, words, words_and_caps

# Pieces that exercise every branch: house-style phrases and numbers, acronyms,
# accents, typographic quotes and dashes, -ize spellings, empty folds.
PIECES = ["world", "view", "per", "cent", "on", "line", "e", "mail", "cease", "fire", "US", "U.S.",
          "26.3%", "$240.1bn", "1,200", "5k", "Café", "“quoted”", "—", "organize", "realized", "%",
          "don’t", "Putin", "the", "and", "x", "£5m", "nation-wide", "E-mail", "₂", "İstanbul", " ", ", "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join) | st.text(max_size=60))
def test_fast_words_agree_with_spans(text):
    toks = tokens(text)
    fast, caps = words_and_caps(text)
    assert fast == [w for w, _, _ in toks] == words(text)
    assert caps == [text[a].isupper() for _, a, _ in toks]
    assert list(word_spans(text)) == [(a, b) for _, a, b in toks]


def test_house_style_phrases_join_once():
    assert words("the world view on line per cent") == ["the", "worldview", "online", "percent"]
    assert words("per per cent") == ["per", "percent"]
    assert words("26.3 per cent, 26.3%") == ["26.3", "percent", "26.3", "percent"]


def test_phrase_spans_cover_both_words():
    text = "A world view."
    (w, a, b), = [t for t in tokens(text) if t[0] == "worldview"]
    assert text[a:b] == "world view"
