"""Making untrusted text safe to print on a terminal: `inert(text)`.

Articles are scraped from anywhere and file names are whatever someone chose.  A
terminal obeys control sequences in what it prints: ESC ] 0 ; ... BEL retitles the
window, ESC ] 52 ; ... writes the clipboard, ESC [ 2 J wipes the screen, and C1
controls (U+0080-U+009F, e.g. U+009B, a one-character CSI) do the same on some
terminals.  Bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069) make text
display in an order other than the one it has, so a file name can pretend to be
another.  Every such character is replaced by a visible escape in printable ASCII
(`\\x1b`, `\\u202e`), so the reader sees that it was there and nothing acts on it.
Left alone: newline and tab (layout; `line=True` escapes those too, for text that
must stay on one line, such as a file name in an error message), and the plain
direction marks U+200E/U+200F, which override nothing.

Lone surrogates (a file name's undecodable bytes, kept by Python as U+DC80-U+DCFF)
are escaped too, as the byte they stand for: printing one would raise instead.

The CLI runs every piece of article text and every file name through this before a
terminal can see it (the JSON output needs nothing: JSON escapes controls itself).
It is pure and cheap on clean text (one regex search), so the app can use it too.
"""
from __future__ import annotations

import re

_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_BLOCK = re.compile(f"[{_UNSAFE}]")
_LINE = re.compile(f"[{_UNSAFE}\t\n]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, *, line: bool = False) -> str:
    """`text` with terminal controls, bidi overrides and lone surrogates made visible escapes.

    Newline and tab are kept unless `line` is true (then the result is one line).
    """
    pattern = _LINE if line else _BLOCK
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)
