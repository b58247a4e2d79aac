"""The line classifier's features: the fast `local_features` must equal the plain definition.

The shipped weights were fitted on these exact numbers, so a speed-up that changed
any of them would silently retrain nothing and misclassify lines.  `plain_local` is
the readable definition (one regex or generator per feature, case-insensitive
patterns on the original line); the fast one must agree on every line.
"""
from __future__ import annotations

import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from support import SEEDS

from reader import linefeatures as lf

DATE_I = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
                    r"|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
                    r"|\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
                    r"|\b\d+\s+(minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b", re.I)
TIME_I = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(am|pm|a\.m\.|p\.m\.)?\b", re.I)
SEPARATOR = re.compile(r"\s[|·•»›/–—-]\s|\s?[|·•]\s?")


def plain_local(line: str, rule_kind: str | None) -> list[float]:
    tokens = re.findall(r"\S+", line)
    words = re.findall(r"\w+", line.lower())
    n_tok = len(tokens) or 1
    chars = len(line) or 1
    stop = lf.stopwords()
    alpha = [t for t in tokens if t[:1].isalpha()]
    n_alpha = len(alpha) or 1
    letters = sum(1 for c in line if c.isalpha())
    digits = sum(1 for c in line if c.isdigit())
    return [
        math.log1p(len(tokens)), math.log1p(len(line)),
        1.0 if lf._TERMINAL.search(line) else 0.0, 1.0 if line.endswith(":") else 0.0,
        float(len(lf._SENT_BREAK.findall(line))), line.count(",") / n_tok,
        sum(1 for w in words if w in stop) / (len(words) or 1),
        sum(1 for t in alpha if t[0].isupper()) / n_alpha,
        sum(1 for t in alpha if len(t) > 1 and t.isupper()) / n_alpha,
        digits / chars, letters / chars, float(len(SEPARATOR.findall(line))),
        1.0 if lf._URL.search(line) else 0.0,
        1.0 if rule_kind == "noise" else 0.0, 1.0 if rule_kind == "date" else 0.0,
        1.0 if rule_kind == "byline" else 0.0,
        1.0 if DATE_I.search(line) else 0.0, 1.0 if TIME_I.search(line) else 0.0,
        1.0 if lf._BULLET.search(line) else 0.0,
        1.0 if len(tokens) <= 20 and lf._COMMENT_HEAD.search(line) else 0.0,
        letters / n_tok, 1.0 if lf._QUOTE_START.search(line) else 0.0,
        1.0 if line.rstrip("\"'”’»)]").endswith(("...", "…")) else 0.0,
        1.0 if line[:1].islower() else 0.0, float(len(lf._GLUED.findall(line))),
        sum(1 for t in alpha[:6] if t[0].isupper()) / min(n_alpha, 6),
    ]


LINE_PIECES = ["Posted", "MAY", "12", "Sept.", "3", "7:45", "a.m.", "21.05", "minutes", "ago", "1999-01-02", "-", "2024", "10:30", "PM", "|", "·", " - ", "—", "By", "Jane", "Doe", "said:",
               "Reply", "3 comments", "2024-05-14", "5/14/24", "Jan.", "5", "hours ago", "the", "of", "www.x.com", "http://x", "x.com", "@who", "#tag", "a@", "www",
               "“Quote”", "end.", "Next", "•", "…", "İ", "ǅ", "Ⅻ", "x", "\u00a0", ","]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINE_PIECES), min_size=1, max_size=30).map(" ".join) | st.text(min_size=1),
       st.sampled_from([None, "noise", "date", "byline"]))
def test_fast_local_features_equal_the_plain_definition(line, kind):
    assert lf.local_features(line, kind) == plain_local(line, kind)


def test_every_seed_line():
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert lf.local_features(line, None) == plain_local(line, None), line


def test_names_and_values_line_up():
    row = lf.local_features("Posted 3 hours ago | Share", None)
    named = dict(zip(lf.LOCAL_NAMES, row))
    assert len(row) == len(lf.LOCAL_NAMES)
    assert named["date_like"] == 1.0 and named["separators"] == 1.0 and named["ends_terminal"] == 0.0
