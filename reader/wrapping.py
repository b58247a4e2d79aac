"""Hard-wrapped text: paragraphs broken into lines at a fixed width.

Wire copy, e-mail, typed notes and text pasted from a PDF break every paragraph
into lines of 60-80 columns; the cleaner and the splitter take a line end as the
end of a block, so such text would be judged, and split into "sentences", one
fragment at a time.  Here a text is recognised as hard-wrapped and its wrapped
paragraphs are turned back into one logical line each.

`unwrap` replaces each wrap's newline by a space, and nothing else: the result has
the same length as the text, so every offset into it is an offset into the file's
decoded text, and `result[a:b]` is `text[a:b]` with the wraps flattened; sentences
are split on it and their texts taken from it ("re- election" keeps its hyphen and
gains a space: removing either would change the length, and the views index a
sentence's text by file offsets).  The cleaner judges lines on `join_hyphens` of it,
where a word hyphenated at a wrap is whole again ("re-election", its first part moved
onto the newline), so that a line's words, and so the classifier's verdict, are those
of the unwrapped paragraph.  Neither view repairs a word split at a wrap
("inter- national"): without a dictionary it cannot be told from a compound.

Text that is not hard-wrapped (one paragraph per line, as pages copied from a
browser are) is returned unchanged: the gate (`wrap_column`) needs most of the longer
lines to break where the next word would not have fitted, at a width that nearly no
line passes, and mostly mid-sentence.  A paragraph wrapped into only two lines, with
no other wrapped paragraph beside it, is too little evidence and stays two lines.
"""
from __future__ import annotations

import re
from collections import Counter

MIN_WIDTH, MAX_WIDTH = 30, 120  # a wrap width outside these is not a wrapped column
MIN_WRAPS = 2  # fewer adjacent-line wraps than this is no evidence
WRAP_SHARE = 0.5  # of the lines of half the width or more with a line below, this share must wrap
OPEN_SHARE = 0.5  # and at least this share of those wraps must break mid-sentence
LOWER_SHARE = 0.25  # and at least this share must go on in lower case (prose does, headlines do not)
EXACT_SHARE = 0.9  # wraps at the exact width, of those within the slack: a fixed-width wrap
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_BULLET = re.compile(r"[-–—•*·▪►]\s|\d{1,2}[.)]\s|[a-z][.)]\s")
_LABEL = re.compile(r"[A-Z][A-Z .'’-]{1,30}:\s")  # "READ ALSO: ...", a dateline "NEW DELHI: ..."


def views(text: str) -> tuple[str, str]:
    """(`unwrap(text)`, the same with `join_hyphens`): the sentence view and the judging
    view; both are `text` itself when it is not hard-wrapped."""
    joins = wrap_joins(text)
    flat = unwrap(text, joins)
    return flat, join_hyphens(flat, joins)


def unwrap(text: str, joins: list[int] | None = None) -> str:
    """`text` with the newlines inside wrapped paragraphs (`joins`, found when not given)
    replaced by spaces: same length, same offsets; `text` itself when it is not hard-wrapped."""
    joins = wrap_joins(text) if joins is None else joins
    if not joins:
        return text
    chars = list(text)
    for k in joins:
        chars[k] = " "
    return "".join(chars)


def join_hyphens(flat: str, joins: list[int]) -> str:
    """`flat` (`unwrap` at `joins`) with each word hyphenated at a wrap made whole again.

    The part before the wrap moves right over the joined newline (and the next line's
    indentation), so the length, and every logical line's first and last character,
    stay: a part that opens its logical line is left alone.  For judging lines only; a
    sentence could start inside the moved part, so sentences use `flat`.
    """
    chars: list[str] | None = None
    for k in joins:
        if not (k >= 2 and flat[k - 1] == "-" and flat[k - 2].isalpha()):
            continue
        j = k - 1
        while j > 0 and not flat[j - 1].isspace():
            j -= 1
        before = j - 1
        while before >= 0 and flat[before] == " ":
            before -= 1
        n = k + 1
        while n < len(flat) and flat[n] == " ":
            n += 1
        if before < 0 or flat[before] == "\n" or n >= len(flat) or not flat[n].isalpha():
            continue
        chars = chars if chars is not None else list(flat)
        chars[j:n] = " " * (n - k) + flat[j:k]
    return flat if chars is None else "".join(chars)


def wrap_joins(text: str) -> list[int]:
    """Offsets of the newlines that wrap a paragraph (none when the text is not hard-wrapped)."""
    lines = _lines(text)
    column = wrap_column(lines)
    if column is None:
        return []
    margin = _margin(lines, *column)
    return [lines[i][0] + len(lines[i][1]) for i in range(len(lines) - 1)
            if _joins(lines[i][1], lines[i + 1][1], *column, margin)]


def wrap_column(lines: list[tuple[int, str]]) -> tuple[int, int] | None:
    """(width, slack) of the column the text is wrapped at, or None when it is not hard-wrapped.

    The width is the longest line bar a few (a long URL may overflow it).  The text
    counts as wrapped when enough of its longer lines with a line below break where
    that line's first word would not have fitted (a greedy wrap always breaks so; short
    lines, such as a menu's, say nothing either way), most of those breaks fall
    mid-sentence and a fair share go on in lower case: a column of one sentence per
    line fails the second test, a column of headlines the third.  The tests allow a
    slack of a tenth of the width (a PDF's proportional font); when nearly all those
    wraps hold at the exact width (a fixed-width wrap, as e-mail and wire copy have),
    the slack is 0, since every column of slack lets more paragraph ends pass for wraps.
    """
    lengths = sorted(len(s) for _, s in lines if s.strip())
    if len(lengths) < MIN_WRAPS + 1:
        return None
    width = lengths[max(0, -(-len(lengths) * 95 // 100) - 1)]  # the 95th percentile
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return None
    pairs = [(a, b) for (_, a), (_, b) in zip(lines, lines[1:]) if len(a) >= width // 2 and b.strip()]
    slack = width // 10
    if not _wrapped(pairs, width, slack):
        return None
    exact = sum(1 for a, b in pairs if _would_not_fit(a, b, width, 0))
    tolerant = sum(1 for a, b in pairs if _would_not_fit(a, b, width, slack))
    return (width, 0) if exact >= EXACT_SHARE * tolerant else (width, slack)


def _wrapped(pairs: list[tuple[str, str]], width: int, slack: int) -> bool:
    """Whether these (line, next line) pairs read as a paragraph column wrapped at `width`."""
    wraps = [(a, b) for a, b in pairs if _would_not_fit(a, b, width, slack)]
    open_ = sum(1 for a, _ in wraps if not _TERMINAL.search(a))
    lower = sum(1 for _, b in wraps if b.lstrip()[:1].islower())
    return (len(wraps) >= max(MIN_WRAPS, WRAP_SHARE * len(pairs)) and open_ >= OPEN_SHARE * len(wraps)
            and lower >= LOWER_SHARE * len(wraps))


def _lines(text: str) -> list[tuple[int, str]]:
    """(start, line without trailing space) of every line of `text`, blank ones included."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line.rstrip()))
        pos += len(line) + 1
    return out


def _would_not_fit(line: str, nxt: str, width: int, slack: int) -> bool:
    """Whether `nxt`'s first word would have overflowed `line` (within `slack` columns)."""
    first = nxt.split(None, 1)[0]
    return len(line) + 1 + len(first) > width - slack


def _joins(line: str, nxt: str, width: int, slack: int, margin: int) -> bool:
    """Whether `nxt` continues the paragraph of `line` in text wrapped at `width`.

    Never across a blank line, into a line indented past the text's margin (an indented
    first line opens a paragraph) or into a list item; otherwise when the next word
    would not have fitted, or when a long line stops mid-sentence and the next one goes
    on in lower case.
    """
    if not line.strip() or not nxt.strip():
        return False
    if _indent(nxt) > margin or _opens_item(line, nxt):
        return False
    if _would_not_fit(line, nxt, width, slack):
        return True
    return len(line) >= width // 2 and not _TERMINAL.search(line) and nxt.lstrip()[:1].islower()


def _opens_item(line: str, nxt: str) -> bool:
    """Whether `nxt` starts a list item or a labelled block ("READ ALSO: ...", a dateline):
    a bullet after a line that ends a sentence or introduces the list, or after an item
    with the same bullet (a dash inside a wrapped sentence, as in "...after hours\n-
    although...", continues it), or an upper-case label, which prose wraps rarely open."""
    if _LABEL.match(nxt.lstrip()):
        return True
    bullet = _BULLET.match(nxt.lstrip())
    return bool(bullet) and (bool(_TERMINAL.search(line)) or line.lstrip().startswith(bullet.group()))


def _margin(lines: list[tuple[int, str]], width: int, slack: int) -> int:
    """The indentation of most lines that follow a wrap: a wrapped paragraph's continuation
    lines sit at it, its first line may be indented past it (as one-line paragraphs are)."""
    indents = Counter(_indent(b) for (_, a), (_, b) in zip(lines, lines[1:])
                      if a.strip() and b.strip() and _would_not_fit(a, b, width, slack))
    return indents.most_common(1)[0][0] if indents else 0


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


_OPENING_WORD = re.compile(r"([^\W\d_]+)[ ,;]")  # a word, then a space or a clause mark: not "vox.com"
MIN_BROKEN_WORDS = 3  # words a line cut mid-sentence has at least ("Mr Winstanley was")


def continued_lines(text: str, lines: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], str]:
    """Kept lines (`lines`, (start, end) spans in order) joined where a paragraph break
    falls mid-sentence, and `text` with those breaks flattened to spaces (same length,
    same offsets; `text` itself when nothing is joined).

    Newspaper text from print systems, PDF page and column breaks and some e-mail break a
    sentence across a blank line: "A WOMAN was jailed for seven years yesterday" /
    "for torturing her teenage husband".  Read line by line, each half is a "sentence"
    and a rewrite of the whole is judged half by half (METER: 51 sentences in 27 of
    1,888 texts; the cleaner took such halves for a headline or subheads).  A line is
    joined to the next when only white space lies between them, the first has a few
    words and does not end a sentence (`_TERMINAL`), and the next opens with a word
    written in lower case followed by a space ("iPhone" and "vox.com" do not): a new
    paragraph, a standfirst or a list item opens otherwise.  The joined run must end a
    sentence where it stops: menus, tag lists and link labels on web pages run on in
    lower case without ever doing so, and are left as they were.
    """
    runs: list[list[tuple[int, int]]] = []
    for a, b in lines:
        if runs and _continues(text, runs[-1][-1], (a, b)):
            runs[-1].append((a, b))
        else:
            runs.append([(a, b)])
    out: list[tuple[int, int]] = []
    gaps: list[tuple[int, int]] = []
    for run in runs:  # only a run's last line can end a sentence (no other is continued)
        a, b = run[-1]
        if len(run) > 1 and _TERMINAL.search(text[a:b].rstrip()):
            gaps += [(x[1], y[0]) for x, y in zip(run, run[1:])]
            out.append((run[0][0], b))
        else:
            out += run
    if not gaps:
        return out, text
    chars = list(text)
    for a, b in gaps:
        chars[a:b] = " " * (b - a)
    return out, "".join(chars)


def _continues(text: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    if text[prev[1]:nxt[0]].strip():
        return False
    before = text[prev[0]:prev[1]].rstrip()
    if _TERMINAL.search(before) or len(before.split()) < MIN_BROKEN_WORDS:
        return False
    first = _OPENING_WORD.match(text, nxt[0], nxt[1])
    return first is not None and first.group(1).islower()
