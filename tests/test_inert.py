"""`reader.inert.inert`: nothing it returns can drive a terminal."""
from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reader.inert import inert

BIDI_OVERRIDES = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, surrogates included
HOSTILE = st.sampled_from(["\x1b]0;pwned\x07", "\x1b]52;c;cm0gLXJmIH4=\x07", "\x1b[2J", "\x9b31m", "\u202e",
                           "\u2066", "\x1bP+q\x1b\\", "\r", "\x08", "\x00", "\udcff", "\x7f", "\x85"])
# Every character that must be escaped, so each is drawn often (not left to chance).
UNSAFE_CHAR = st.sampled_from([chr(c) for c in [*range(0x20), *range(0x7f, 0xa0)]] + sorted(BIDI_OVERRIDES)
                              + ["\ud800", "\udc80", "\udfff"])
TEXT = st.lists(st.one_of(st.text(ANY_CHAR, max_size=20), HOSTILE, UNSAFE_CHAR), max_size=12).map("".join)


def _is_control(ch: str, keep: str) -> bool:
    return ch not in keep and (unicodedata.category(ch) == "Cc" or ch in BIDI_OVERRIDES
                               or unicodedata.category(ch) == "Cs")


@given(TEXT)
def test_no_control_bidi_override_or_surrogate_survives(text):
    out = inert(text)
    assert not [c for c in out if _is_control(c, "\n\t")]
    out.encode("utf-8")  # strict: no lone surrogate left
    one = inert(text, line=True)
    assert not [c for c in one if _is_control(c, "")]
    assert "\n" not in one


@given(TEXT)
def test_safe_text_is_untouched_and_escapes_stay_inert(text):
    out = inert(text)
    assert inert(out) == out
    if not any(_is_control(c, "\n\t") for c in text):
        assert out == text
    assert out.count("\n") == text.count("\n")


def test_what_a_reader_sees():
    assert inert("a\x1b]0;title\x07b") == "a\\x1b]0;title\\x07b"
    assert inert("abc\u202edef") == "abc\\u202edef"
    assert inert("r\u200el\u200f") == "r\u200el\u200f"  # direction marks override nothing
    assert inert("one\ntwo\tthree") == "one\ntwo\tthree"
    assert inert("one\ntwo", line=True) == "one\\x0atwo"
    assert inert("caf\udce9.txt") == "caf\\xe9.txt"
