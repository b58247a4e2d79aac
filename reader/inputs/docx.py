"""Word files (.docx): drafts, press releases, agency copy saved from Word.

Read with python-docx (MIT, pure Python over lxml, which reader already has).  The
body is the document's paragraphs and tables in order, one paragraph per line (a
table row is one line, its cells joined by " | "), which is the shape the cleaner
reads best; page headers and footers live apart from the body in a .docx, so they
never reach the text.  The title is the paragraph styled "Title", else the first
"Heading 1" near the top; the document properties' title is used only when the text
has no heading (it is often a template's leftover, so it never enters the text).
No date is taken from the properties: they say when the file was made or saved, not
when the article was published, and a wrong date would mislead the folder matrix.
Offsets index the extracted text (`Article.text`).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..loading import LoadError, read_bytes
from ..model import Article
from .common import build_article

HEAD = 5  # a "Heading 1" among the first paragraphs can be the title


def load(path: str | Path, rules=None) -> Article:
    return article_from_bytes(read_bytes(path, "a Word file"), str(path), rules)


def article_from_bytes(data: bytes, path: str, rules=None, *, source: str = "docx") -> Article:
    """An Article from a .docx file's bytes (a file, or an e-mail attachment)."""
    lines, title, meta_title = extract(data, path)
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise LoadError(path, "the Word file has no text")
    return build_article(text, path, rules, source=source, title=title or meta_title,
                         prepend_title=False)


def extract(data: bytes, path: str) -> tuple[list[str], str | None, str | None]:
    """The body's lines, the title paragraph's text and the properties' title."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
    except ImportError:  # a dependency, but say what is missing rather than crash
        raise LoadError(path, "reading Word files needs the 'python-docx' package (pip install python-docx)") from None
    if not data.startswith(b"PK"):
        raise LoadError(path, "not a Word .docx file (an old .doc, or another format: save it as .docx)")
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        title = heading = None
        for n, block in enumerate(document.iter_inner_content()):
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
                continue
            text = block.text.replace("\t", " ").strip()
            style = _style(block)
            if text and title is None and style == "title":
                title = text
            elif text and heading is None and n < HEAD and style == "heading 1":
                heading = text
            lines.append(text)
        meta_title = (document.core_properties.title or "").strip() or None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError) as e:
        raise LoadError(path, f"damaged Word file, cannot be read ({type(e).__name__})") from None
    except Exception as e:  # noqa: BLE001 - lxml's XMLSyntaxError and the like: one line, never a crash
        raise LoadError(path, f"damaged Word file, cannot be read ({type(e).__name__})") from None
    return lines, title or heading, meta_title


def _style(paragraph) -> str:
    try:
        return (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    except (KeyError, AttributeError, ValueError):
        return ""


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return lines
