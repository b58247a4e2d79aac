"""PDF files (press releases, court documents, reports): the text layer, without page furniture.

Read with pypdf (BSD; pure Python, no AGPL code such as PyMuPDF).  Its layout mode
keeps the blank lines between paragraphs (the plain mode drops them, and with them
every paragraph break); the runs of spaces it adds to place words are folded back to
one, and a page whose lines mostly hold a wide gap (two columns side by side) is read
in plain mode instead, which follows the columns.

What a PDF adds to an article and the article never said is removed before the text
reaches the cleaner, and named in `Article.notes`:

* running headers and footers: a line among the first or last three of a page that
  recurs (digits aside: "Page 2 of 9") on at least half of the pages, two at least;
* page numbers: a bare number ("7", "- 7 -", "Page 7", "7/9") at the top or bottom;
* words hyphenated at a line end, where that is safe: a soft hyphen always; a plain
  hyphen only when the document itself writes the word whole elsewhere ("re-/build"
  with "rebuild" elsewhere becomes "rebuild") or hyphenated mid-line ("long-/term"
  with "long-term" elsewhere).  Otherwise it stays as printed.  The joined word moves
  down to the next line, as if the typesetter had not hyphenated: the line stays no
  longer than the column, so `wrapping` still recognises the hard wraps;
* typographic ligatures (ﬁ, ﬂ) spelt as letters, so words match other articles.

Hard wraps are left to `reader.wrapping`, which joins each wrapped paragraph; pages are
joined with a single newline so a paragraph running over a page break stays one.
Offsets index this extracted text (`Article.text`).
"""
from __future__ import annotations

import io
import logging
import re
from collections import Counter
from pathlib import Path

from ..loading import LoadError, read_bytes
from ..model import Article
from .common import build_article

ZONE = 3  # lines at the top and at the bottom of a page where headers and footers live
_PAGE_NUMBER = re.compile(r"(?:page|p\.|seite|página|pagina)?\s*[-–—]?\s*\d{1,4}\s*(?:[-–—]|(?:of|/|von|de)\s*\d{1,4})?",
                          re.IGNORECASE)
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_HYPHEN_END = re.compile(r"([A-Za-zÀ-ÿ]*[a-zß-ÿ])([-\u00ad])$")
_WORD_START = re.compile(r"([a-zß-ÿ][A-Za-zÀ-ÿ]*)")
_TERMINAL = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
_WIDE_GAP = re.compile(r"\S {6,}\S")
_TITLE_JUNK = re.compile(r"^(microsoft word|untitled)|\.(docx?|pdf|indd|rtf|odt)$", re.IGNORECASE)


def load(path: str | Path, rules=None) -> Article:
    return article_from_bytes(read_bytes(path, "a PDF"), str(path), rules)


def article_from_bytes(data: bytes, path: str, rules=None, *, source: str = "pdf", url: str | None = None,
                       outlet: str | None = None) -> Article:
    """An Article from a PDF's bytes (a file, an e-mail attachment, a fetched address)."""
    pages, title = extract_pages(data, path)
    text, notes = page_text(pages)
    if not text.strip():
        raise LoadError(path, "no text layer (a scanned PDF? reader does not read text in images)")
    if title and (_TITLE_JUNK.search(title) or len(title.split()) < 2):
        title = None
    return build_article(text, path, rules, source=source, title=title, prepend_title=False, url=url,
                         outlet=outlet, notes=[f"PDF, {len(pages)} page{'s' * (len(pages) != 1)}", *notes])


def extract_pages(data: bytes, path: str) -> tuple[list[list[str]], str | None]:
    """Each page's lines (stripped, blank lines kept) and the document's title, if it has one."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
    except ImportError:  # a dependency, but say what is missing rather than crash
        raise LoadError(path, "reading PDF needs the 'pypdf' package (pip install pypdf)") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about damaged files are ours to say
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LoadError(path, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are "encrypted" with an empty password
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise LoadError(path, "encrypted PDF (it needs a password; reader cannot open it)")
        pages = [_page_lines(page) for page in reader.pages]
        title = None
        try:
            meta = reader.metadata
            title = " ".join(str(meta.title).split()) if meta and meta.title else None
        except Exception:  # noqa: BLE001 - a damaged info dictionary costs the title only
            pass
    except LoadError:
        raise
    except FileNotDecryptedError:
        raise LoadError(path, "encrypted PDF (it needs a password; reader cannot open it)") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            AssertionError, ZeroDivisionError, OverflowError) as e:
        raise LoadError(path, f"damaged PDF, cannot be read ({type(e).__name__})") from None
    if not pages:
        raise LoadError(path, "damaged PDF, cannot be read (no pages)")
    return pages, title


def _page_lines(page) -> list[str]:
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception:  # noqa: BLE001 - layout mode fails on some pages that plain mode reads
        text = None
    lines = (text or "").splitlines()
    wide = sum(1 for ln in lines if _WIDE_GAP.search(ln.strip()))
    if text is None or (lines and wide >= 0.3 * sum(1 for ln in lines if ln.strip())):
        lines = (page.extract_text() or "").splitlines()  # columns side by side: follow the stream
    return [" ".join(ln.translate(_LIGATURES).replace("\u00ad\u0020", "\u00ad").split()) for ln in lines]


def page_text(pages: list[list[str]]) -> tuple[str, list[str]]:
    """The pages' lines as one text, furniture removed and safe hyphenations joined; and notes."""
    furniture = _running_lines(pages)
    removed: Counter = Counter()
    numbers = 0
    kept: list[str] = []
    for lines in pages:
        zone = _zone(lines)
        page: list[str] = []
        for k, line in enumerate(lines):
            if k in zone and _key(line) in furniture:
                removed[line] += 1
            elif k in zone and _PAGE_NUMBER.fullmatch(line):
                numbers += 1
            else:
                page.append(line)
        while page and not page[-1]:
            page.pop()
        while page and not page[0]:
            page.pop(0)
        if kept and page and _TERMINAL.search(kept[-1]):
            kept.append("")  # the page ended a sentence: take it as a paragraph end too
        kept.extend(page)  # else the paragraph runs on over the page break: one newline
    lines, joined = _join_hyphens(kept)
    text = "\n".join(lines).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    notes = []
    if removed:
        shown = "; ".join(f"'{line}'" for line, _ in removed.most_common(3))
        more = f" and {len(removed) - 3} more" if len(removed) > 3 else ""
        notes.append(f"running header/footer lines removed: {shown}{more}")
    if numbers:
        notes.append(f"{numbers} page number{'s' * (numbers != 1)} removed")
    if joined:
        notes.append(f"{joined} word{'s' * (joined != 1)} hyphenated at a line end joined")
    return text, notes


def _zone(lines: list[str]) -> set[int]:
    filled = [k for k, line in enumerate(lines) if line]
    return set(filled[:ZONE]) | set(filled[-ZONE:])


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of the lines that recur near the top or bottom of at least half of the pages."""
    if len(pages) < 2:
        return set()
    seen: Counter = Counter()
    for lines in pages:
        seen.update({_key(lines[k]) for k in _zone(lines)})
    need = max(2, (len(pages) + 1) // 2)
    return {key for key, n in seen.items() if n >= need and key.strip("# ")}


def _join_hyphens(lines: list[str]) -> tuple[list[str], int]:
    """Join words hyphenated at a line end where the document shows how it writes them."""
    text = "\n".join(lines)
    whole = Counter(w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text))
    hyphened = Counter(w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+-[A-Za-zÀ-ÿ]+", text))
    out = list(lines)
    joined = 0
    for k in range(len(out) - 1):
        end = _HYPHEN_END.search(out[k])
        start = _WORD_START.match(out[k + 1])
        if not end or not start or end.start() == 0:
            continue
        head, mark, tail = end.group(1), end.group(2), start.group(1)
        if mark == "\u00ad" or (whole[(head + tail).lower()] and not hyphened[f"{head}-{tail}".lower()]):
            word = head + tail
        elif hyphened[f"{head}-{tail}".lower()]:
            word = f"{head}-{tail}"
        else:
            continue
        out[k] = out[k][:end.start()].rstrip()
        out[k + 1] = word + out[k + 1][start.end():]
        joined += 1
    return [line.replace("\u00ad", "") for line in out], joined
