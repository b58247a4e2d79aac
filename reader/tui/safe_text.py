"""Untrusted text on the app's screen: made inert, and never read as markup.

Article text, titles, bylines, dates, file names and paths come from anywhere.
Textual passes the characters of plain text through to the terminal, so an
`ESC ] 0 ; … BEL` in a title retitled the user's terminal pane and `ESC [ 2 J` wiped
the list (issue 13); a name like `[bold red]x` would also be read as markup by the
widgets that parse it (Label, notify).  Every view builds what it shows from these
helpers: `reader.inert` turns controls and bidi overrides into visible escapes, and
`plain` wraps the result in `Content`, which never parses markup.

`marked` keeps highlight offsets right when an escape makes the text longer: the
diff highlights changed words by offsets into the sentence.
"""
from __future__ import annotations

from textual.content import Content

from ..inert import inert


def line(text: object) -> str:
    """One line for the screen: controls, bidi overrides, newlines and tabs made visible."""
    return inert(str(text), line=True)


def block(text: object) -> str:
    """Text for the screen, newlines and tabs kept; everything else unsafe made visible."""
    return inert(str(text))


def plain(text: object, style: str = "", *, one_line: bool = True) -> Content:
    """Inert text as `Content` (never markup), optionally styled."""
    safe = line(text) if one_line else block(text)
    return Content.styled(safe, style) if style else Content(safe)


def marked(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """`block(text)` and `spans` (offsets into `text`) moved to the same characters in it."""
    safe = block(text)
    if safe == text:
        return text, spans
    starts = []
    pos = 0
    for ch in text:  # only hostile text gets here: one inert call per character is fine
        starts.append(pos)
        pos += len(block(ch))
    starts.append(pos)
    return safe, [(starts[a], starts[b]) for a, b in spans]
