"""What the library screen (`L`) shows, computed without Textual.

Which library: `--library FILE`, else the `library` key of the app's config file,
else the user's default library (`reader.library.default_path`), the same file
`reader library add` fills.  The check itself is `reader.library.check_article`,
run on chunks of the folder's articles (`check_chunk`, which a helper process runs,
so leaving the screen kills a long check and both cores work); this module turns
its results into a row per article and the passages of one article.  Everything
returned here is plain text from the files: the screen makes it inert.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import STATUS_SYMBOL

CHECK_REMOTE = "reader.tui.library_view:check_chunk"
CHUNK = 4            # articles per helper call: a few tenths of a second, so escape is prompt
PASSAGES_SHOWN = 40  # per matched document, in the passages pane


def library_path(cli: str | Path | None, config: str | None) -> Path:
    """The library the app checks against: the command line's, the config's, the user's."""
    chosen = cli if cli else config
    if chosen:
        return Path(chosen).expanduser()
    from ..library import default_path

    return default_path()


@dataclass(frozen=True, slots=True)
class Opened:
    """The library could be opened: how many documents it holds (0: empty)."""

    path: str
    documents: int


def open_library(path: Path) -> Opened:
    """Open the library once to count its documents; raises `LibraryError` (missing,
    damaged, busy) with the one-line reason the screen shows."""
    from ..library import Library

    with Library(path) as lib:
        return Opened(str(lib.path), lib.count())


def empty_message(opened: Opened) -> str:
    return (f"The library {opened.path} holds no documents yet. Add wire copy, press releases or "
            "past coverage with: reader library add PATH...")


def missing_message(path: Path) -> str:
    return (f"No library at {path}. Make one with: reader library add PATH... "
            "(or open the app with --library FILE, or set 'library' in the config file)")


def check_chunk(articles: list, path: str, align_options, n_docs: int) -> list:
    """Check `articles` against the library at `path` (what a helper process runs).

    Opens the file here: SQLite connections stay in the process and thread that made them."""
    from ..library import CheckOptions, Library, check_article

    with Library(path) as lib:
        return [check_article(lib, art, align_options, CheckOptions(), n_docs) for art in articles]


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One article's line in the library screen."""

    documents: int          # library documents it reuses (verified and aligned)
    best: str               # the best one: its title, else its path ("" when none)
    best_id: int | None
    copied: float           # shares of the article's words, from the best document
    changed: float
    more: int               # candidates left unexamined (a story carried by many documents)


def result_row(result) -> ResultRow:
    """The summary of a `CheckResult` for its row: the best match (matches come best first)."""
    if not result.matches:
        return ResultRow(0, "", None, 0.0, 0.0, result.unexamined)
    best = result.matches[0]
    shares = best.shares
    return ResultRow(len(result.matches), best.doc.title or best.doc.path, best.doc.id,
                     shares["copied"], shares["changed"], result.unexamined)


@dataclass(frozen=True, slots=True)
class PassageLine:
    kind: str       # "document" (a heading), "passage" (article text), "source" (the document's wording)
    text: str
    status: str = ""  # copied | changed for passages


def passage_lines(result, limit: int = PASSAGES_SHOWN) -> list[PassageLine]:
    """The passages of every matched document, best document first, as lines to draw.

    A copied passage is the article's sentence (the document says the same); a changed
    one is followed by the document's wording, so the edit can be read."""
    out: list[PassageLine] = []
    for m in result.matches:
        s = m.shares
        doc = m.doc
        heading = (f"#{doc.id} {doc.title or doc.path} · {pct(s['copied'])} copied, {pct(s['changed'])} changed"
                   + (f" · {doc.date_iso}" if doc.date_iso else ""))
        out.append(PassageLine("document", heading))
        al = m.alignment
        for p in al.pairs[:limit]:
            mine = " ".join(al.left.sentences[i].text for i in p.left)
            out.append(PassageLine("passage", f"{STATUS_SYMBOL[p.status]} {mine}", p.status))
            if p.status != "copied":
                theirs = " ".join(al.right.sentences[j].text for j in p.right)
                out.append(PassageLine("source", f"from: {theirs}"))
        if len(al.pairs) > limit:
            out.append(PassageLine("source", f"… and {len(al.pairs) - limit} more passages "
                                   "(reader library check shows them all)"))
    return out


def pct(x: float) -> str:
    return f"{round(100 * x)}%"
