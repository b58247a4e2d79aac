"""Numbers that describe each line of a page, for the body/furniture classifier.

A page copied from a browser is a column of lines; whether one is article text is
rarely visible in the line alone ("Share" is obvious, a short subhead or a teaser
headline is not), so every line is described by its own shape (length, sentence
punctuation, stopword density, Title Case, separators, the YAML rule it matches),
by its neighbours, and by where it sits relative to the page's densest run of prose
(the body is one dense region; menus, teasers and comments cluster around it).

Everything here is language-agnostic or multilingual and knows nothing about any
site: the classifier is used on pages from outlets it has never seen.  The order of
`STAGE1_NAMES` / `STAGE2_NAMES` is the contract with the weights in `reader/data/`.
"""
from __future__ import annotations

import math
import operator
import re
import string
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"\w+")
_TERMINAL = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_SENT_BREAK = re.compile(r"[.!?…][\"'”’»)\]]*\s+[\"'“‘«(]?[A-ZА-ЯЁ0-9]")
_SEPARATOR = re.compile(r"\s(?:[|·•»›/–—-]\s|[|·•]\s?)|[|·•]\s?")  # = \s[...]\s|\s?[|·•]\s?, faster to scan
_SEPARATOR_CHAR = re.compile(r"[|·•»›/–—-]")  # every separator contains one
_URL = re.compile(r"https?://|www\.|\.com\b|@\w|#\w")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_DATE_NUMERIC = (r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
                 r"|\b\d+\s+(minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b")
_DATE_MONTH = re.compile(rf"\b{_MONTH}[a-z]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}[a-z]*\b")
_DATE_NUMERIC_RX = re.compile(_DATE_NUMERIC)
_TIME_HINT = re.compile(r"\d[:.]\d\d")  # every time of day contains one
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(am|pm|a\.m\.|p\.m\.)?\b")  # on the lower-cased line
_BULLET = re.compile(r"^([-–—•*·▪►]|\d{1,2}[.)]\s)")
_GLUED = re.compile(r"[a-z?!’”)][A-Z]")  # "Student-AthleteA 24-year-old": teaser headline glued to its summary
_QUOTE_START = re.compile(r"^[\"'“‘«„]")
_COMMENT_HEAD = re.compile(r"\b(said|says|wrote|replied)\s*:?\s*$|\breply\b|\b(\d+|one|two)\s+(comments?|replies|responses)\b"
                           r"|\b(leave|post|add|write) a (comment|reply)\b|\bcomments?\s*(\(\d+\))?\s*:?$", re.I)
_STOP_FILE = Path(__file__).parent / "data" / "stopwords_multi.txt"


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Frequent function words of several languages (`data/stopwords_multi.txt`)."""
    words: set[str] = set()
    for line in _STOP_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.update(line.partition(":")[2].split())
    return frozenset(words)


LOCAL_NAMES = [
    "log_words", "log_chars", "ends_terminal", "ends_colon", "sentence_breaks", "comma_per_word",
    "stop_ratio", "titlecase_ratio", "upper_ratio", "digit_ratio", "letter_ratio", "separators",
    "url_like", "rule_noise", "rule_date", "rule_byline", "date_like", "time_like", "bullet",
    "comment_head", "mean_word_len", "quote_start", "ends_ellipsis", "starts_lower",
    "glued_words", "lead_titlecase",
]
_NEIGHBOUR_KEYS = ("log_words", "ends_terminal", "stop_ratio", "titlecase_ratio")
PAGE_NAMES = [
    "repeat_log", "later_repeat", "folder_repeat", "same_block_prev", "same_block_next",
    "pos_rel", "chars_before", "log_lines", "short_run",
    *[f"{k}@{d:+d}" for d in (-2, -1, 1, 2) for k in _NEIGHBOUR_KEYS],
    "win3_words", "win3_terminal", "win10_words", "win10_terminal",
    "in_dense", "before_dense", "after_dense", "rel_in_dense", "prose_before",
    "after_comment_head", "comment_meta_win", "meta_from_dense", "block_lines",
]
STAGE1_NAMES = LOCAL_NAMES + PAGE_NAMES
PROB_NAMES = ["p", "p@-1", "p@+1", "p@-2", "p@+2", "p_win5", "p_win15", "p_max_before", "p_max_after",
              "in_pblock", "before_pblock", "after_pblock", "rel_in_pblock", "pbody_before"]
STAGE2_NAMES = STAGE1_NAMES + PROB_NAMES
_IDX = {name: k for k, name in enumerate(LOCAL_NAMES)}


def local_features(line: str, rule_kind: str | None) -> list[float]:
    """What one line looks like on its own (order: `LOCAL_NAMES`).

    Written for speed (it runs on every line of every page): `str.split` for the
    tokens, the case-insensitive patterns run on the lower-cased line, and counts
    via `map` over builtins.  `tests/test_linefeatures.py` pins the values.
    """
    low = line.lower()
    tokens = line.split()
    words = _WORD.findall(low)
    n_tok = len(tokens) or 1
    chars = len(line) or 1
    alpha_tokens = [t for t in tokens if t[0].isalpha()]
    n_alpha = len(alpha_tokens) or 1
    initials = [t[0] for t in alpha_tokens]
    letters, digits = _letters_digits(line)
    return [
        math.log1p(len(tokens)),
        math.log1p(len(line)),
        1.0 if _TERMINAL.search(line) else 0.0,
        1.0 if line.endswith(":") else 0.0,
        float(len(_SENT_BREAK.findall(line))),
        line.count(",") / n_tok,
        sum(map(stopwords().__contains__, words)) / (len(words) or 1),
        sum(map(str.isupper, initials)) / n_alpha,
        sum(len(t) > 1 for t in filter(str.isupper, alpha_tokens)) / n_alpha,
        digits / chars,
        letters / chars,
        float(len(_SEPARATOR.findall(line))) if _SEPARATOR_CHAR.search(line) else 0.0,
        1.0 if _url_hint(line) and _URL.search(line) else 0.0,
        1.0 if rule_kind == "noise" else 0.0,
        1.0 if rule_kind == "date" else 0.0,
        1.0 if rule_kind == "byline" else 0.0,
        1.0 if digits and _date_like(low, words) else 0.0,
        1.0 if digits and _TIME_HINT.search(low) and _TIME.search(low) else 0.0,
        1.0 if _BULLET.search(line) else 0.0,
        1.0 if len(tokens) <= 20 and _COMMENT_HEAD.search(line) else 0.0,
        letters / n_tok,
        1.0 if _QUOTE_START.search(line) else 0.0,
        1.0 if line.rstrip("\"'”’»)]").endswith(("...", "…")) else 0.0,
        1.0 if line[:1].islower() else 0.0,
        float(len(_GLUED.findall(line))),
        sum(map(str.isupper, initials[:6])) / min(n_alpha, 6),
    ]


def _url_hint(line: str) -> bool:
    """Whether `line` holds a substring every `_URL` match contains (substring tests are faster)."""
    return "://" in line or "www." in line or ".com" in line or "@" in line or "#" in line


def _letters_digits(line: str) -> tuple[int, int]:
    """`sum(map(str.isalpha, line))` and the same for isdigit; ASCII lines counted in C."""
    if line.isascii():
        b = line.encode("ascii")
        return len(b) - len(b.translate(None, _ASCII_LETTERS)), len(b) - len(b.translate(None, _ASCII_DIGITS))
    return sum(map(str.isalpha, line)), sum(map(str.isdigit, line))


_ASCII_LETTERS = string.ascii_letters.encode("ascii")
_ASCII_DIGITS = string.digits.encode("ascii")
_FIRST3 = operator.itemgetter(slice(0, 3))
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())


def _date_like(low: str, words: list[str]) -> bool:
    """Whether `low` (a lower-cased line) holds a date: an ISO or slashed date, a month
    name next to a day number, or "N hours/days/... ago".  Each form is tried only where it can match: the
    numeric forms need their separator, the month forms a word starting with a month,
    "ago" its word (the full pattern costs a regex attempt at every position)."""
    if ("-" in low or "/" in low or "ago" in low) and _DATE_NUMERIC_RX.search(low):
        return True
    return not _MONTHS.isdisjoint(map(_FIRST3, words)) and bool(_DATE_MONTH.search(low))


def _prose_weight(loc: list[float]) -> float:
    """How much a line adds to the 'dense prose' run: long sentences add, the rest costs."""
    words = math.expm1(loc[0])
    if loc[2] and words >= 8:
        return min(words, 60.0) - 6.0
    return -2.0 - min(words, 10.0) / 2.0


def best_run(weights: list[float]) -> tuple[int, int]:
    """The contiguous run [start, end) with the largest total weight (Kadane)."""
    best, best_span, cur, start = float("-inf"), (0, 0), 0.0, 0
    for i, w in enumerate(weights):
        if cur <= 0:
            cur, start = w, i
        else:
            cur += w
        if cur > best:
            best, best_span = cur, (start, i + 1)
    return best_span


def _window(values: list[float], radius: int) -> list[float]:
    """Mean of `values` over a centred window, via prefix sums (linear time)."""
    n = len(values)
    pre = [0.0]
    for v in values:
        pre.append(pre[-1] + v)
    out = []
    for i in range(n):
        a, b = max(0, i - radius), min(n, i + radius + 1)
        out.append((pre[b] - pre[a]) / (b - a))
    return out


def _count_from(flags: list[float], origin: int) -> list[float]:
    """For each line, how many flagged lines lie between `origin` and it (either side)."""
    n = len(flags)
    out = [0.0] * n
    acc = 0.0
    for i in range(origin, n):
        out[i] = acc
        acc += flags[i]
    acc = 0.0
    for i in range(min(origin, n) - 1, -1, -1):
        out[i] = acc
        acc += flags[i]
    return out


def _run_position(i: int, run: tuple[int, int]) -> tuple[float, float, float, float]:
    a, b = run
    inside = 1.0 if a <= i < b else 0.0
    before = math.log1p(a - i) if i < a else 0.0
    after = math.log1p(i - b + 1) if i >= b else 0.0
    rel = (i - a) / max(b - a, 1) if inside else (-1.0 if i < a else 2.0)
    return inside, before, after, rel


def page_features(text: str, spans: list[tuple[int, int]], rule_kinds: list[str | None],
                  folder_counts: list[int] | None = None) -> list[list[float]]:
    """Stage-1 features of every line of a page (order: `STAGE1_NAMES`).

    `spans` are the non-blank lines (`cleaning.line_spans`); `folder_counts[i]` is
    how many *other* files of the same folder contain line i (0 when unknown).
    """
    n = len(spans)
    lines = [text[a:b] for a, b in spans]
    loc = [local_features(line, kind) for line, kind in zip(lines, rule_kinds)]
    keys = [" ".join(line.lower().split()) for line in lines]
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    seen: set[str] = set()
    lw = [f[0] for f in loc]
    term = [f[2] for f in loc]
    win3w, win3t, win10w, win10t = _window(lw, 3), _window(term, 3), _window(lw, 10), _window(term, 10)
    weights = [_prose_weight(f) for f in loc]
    dense = best_run(weights)
    total_chars = sum(b - a for a, b in spans) or 1
    prose_total = sum(max(w, 0.0) for w in weights) or 1.0
    short = [1 if f[0] <= math.log1p(5) and not f[2] else 0 for f in loc]
    run_len = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and short[j]:
            j += 1
        for k in range(i, j):
            run_len[k] = j - i
        i = j + 1 if j == i else j
    meta = [1.0 if f[0] <= math.log1p(20) and (f[_IDX["comment_head"]] or f[_IDX["time_like"]] or
                                               (f[_IDX["date_like"]] and f[0] <= math.log1p(8))) else 0.0
            for f in loc]
    meta_win = _window(meta, 5)
    meta_from_dense = _count_from(meta, dense[0])
    comment_idx = next((k for k in range(dense[0], n)
                        if (loc[k][_IDX["comment_head"]] or (loc[k][_IDX["rule_noise"]] and "comment" in keys[k]))
                        and any(meta[k + 1:k + 7])), n)
    block_of = [0] * n  # lines not separated by a blank line form one block
    for i in range(1, n):
        block_of[i] = block_of[i - 1] + (1 if "\n\n" in text[spans[i - 1][1]:spans[i][0]] else 0)
    block_size: dict[int, int] = {}
    for b in block_of:
        block_size[b] = block_size.get(b, 0) + 1
    out: list[list[float]] = []
    chars_before = 0
    prose_before = 0.0
    for i, (a, b) in enumerate(spans):
        row = list(loc[i])
        k = keys[i]
        row.append(math.log(counts[k]))
        row.append(1.0 if k in seen else 0.0)
        seen.add(k)
        row.append(math.log1p(folder_counts[i]) if folder_counts else 0.0)
        row.append(1.0 if i > 0 and "\n\n" not in text[spans[i - 1][1]:a] else 0.0)
        row.append(1.0 if i + 1 < n and "\n\n" not in text[b:spans[i + 1][0]] else 0.0)
        row.append(i / max(n - 1, 1))
        row.append(chars_before / total_chars)
        row.append(math.log1p(n))
        row.append(math.log1p(run_len[i]))
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f = loc[j]
                row.extend((f[0], f[2], f[6], f[7]))
            else:
                row.extend((0.0, 0.0, 0.0, 0.0))
        row.extend((win3w[i], win3t[i], win10w[i], win10t[i]))
        row.extend(_run_position(i, dense))
        row.append(prose_before / prose_total)
        row.append(1.0 if i > comment_idx else 0.0)
        row.append(meta_win[i])
        row.append(math.log1p(meta_from_dense[i]))
        row.append(math.log(block_size[block_of[i]]))
        out.append(row)
        chars_before += b - a
        prose_before += max(weights[i], 0.0)
    return out


def prob_features(stage1: list[list[float]], probs: list[float]) -> list[list[float]]:
    """Stage-2 features: stage-1 features plus what the first pass thought of the neighbourhood."""
    n = len(probs)
    words = [math.expm1(r[0]) for r in stage1]
    w5, w15 = _window(probs, 5), _window(probs, 15)
    run = best_run([(p - 0.5) * (1.0 + min(w, 40.0)) for p, w in zip(probs, words)])
    body_words = [p * w for p, w in zip(probs, words)]
    total = sum(body_words) or 1.0
    max_before, m = [], 0.0
    for p in probs:
        max_before.append(m)
        m = max(m, p)
    max_after, m = [0.0] * n, 0.0
    for i in range(n - 1, -1, -1):
        max_after[i] = m
        m = max(m, probs[i])
    out = []
    acc = 0.0
    for i, row in enumerate(stage1):
        def p_at(j: int) -> float:
            return probs[j] if 0 <= j < n else 0.0
        out.append(row + [probs[i], p_at(i - 1), p_at(i + 1), p_at(i - 2), p_at(i + 2), w5[i], w15[i],
                          max_before[i], max_after[i], *_run_position(i, run), acc / total])
        acc += body_words[i]
    return out
