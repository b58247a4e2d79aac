"""Articles saved as HTML pages: extract with trafilatura, then clean like text.

With the page structure to go by, trafilatura finds the article far better than any
line classifier can on copied text (word 4-gram F1 0.943 on the dev pages' original
HTML), so its output is taken as the body candidate and only the YAML noise rules
(and the repeated-line check) run over it: the learned line model was fitted on
whole copied pages and would second-guess an extractor that already removed the
page furniture.  The headline trafilatura finds is put on the first line of the
text so it can be compared with other headlines; the date and author become
metadata.  All offsets refer to this extracted text, which becomes `Article.text`;
`Article.source` is "html" so that every view and the JSON say so.

This module is imported only for .html/.htm input: trafilatura and lxml are slow
to import and never needed for plain text.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from .articles import apply_cleaned
from .cleaning import clean_text, parse_date
from .loading import LoadError, normalise_newlines, read_bytes
from .model import Article
from .rules import Rule, load_rules


def _decode(data: bytes) -> tuple[str, str]:
    """The page as text and the encoding used: UTF-8 first, then trafilatura's guesses."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from trafilatura.utils import detect_encoding

    for enc in detect_encoding(data):
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace"), "cp1252"


# A start tag longer than this is not markup a page needs for its text (a data: URI or a
# tag with thousands of attributes): its attributes are dropped before parsing.  One tag
# of 200,000 attributes kept trafilatura busy for minutes; no real tag comes close.
MAX_TAG = 8192
_HUGE_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)[^<>]{%d,}>" % MAX_TAG)


def defuse(html: str) -> str:
    """`html` with every start tag over `MAX_TAG` characters cut to its bare name (one
    linear scan: the class of characters inside a tag cannot run past its end)."""
    return _HUGE_TAG.sub(lambda m: f"<{m.group(1)}>", html) if len(html) > MAX_TAG else html


def extract(html: str) -> tuple[str, dict]:
    """The article text of an HTML page (title on the first line) and its metadata."""
    try:
        import trafilatura
    except ImportError:  # a dependency, but say what is missing rather than crash
        raise RuntimeError("reading HTML needs the 'trafilatura' package (pip install trafilatura)") from None
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its warnings are not the user's business
    doc = trafilatura.bare_extraction(defuse(html), with_metadata=True, include_comments=False,
                                      include_tables=True)
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        return "", {}
    body = normalise_newlines(doc.text).strip()
    title = " ".join((getattr(doc, "title", None) or "").split()) or None
    if title and body.split("\n", 1)[0].strip() != title:
        body = f"{title}\n\n{body}"
    date_text = getattr(doc, "date", None) or None
    meta = {"title": title, "date": date_text, "date_iso": parse_date(date_text) if date_text else None,
            "byline": getattr(doc, "author", None) or None,
            "outlet": " ".join((getattr(doc, "sitename", None) or "").split()) or None}  # og:site_name
    return body, meta


def load_html(path: str | Path, rules: list[Rule] | None = None) -> Article:
    """Load a saved web page as an Article; LoadError (with a reason) when nothing usable is in it."""
    p = Path(path)
    data = read_bytes(p, "a web page")
    try:
        html, encoding = _decode(data)
    except Exception as e:  # noqa: BLE001 - a broken page must be skipped, never crash a folder load
        raise LoadError(p, f"cannot decode the HTML ({type(e).__name__})") from None
    return html_article(html, str(p), encoding, rules)


def html_article(html: str, path: str, encoding: str, rules: list[Rule] | None = None, *,
                 source: str = "html", url: str | None = None, outlet: str | None = None,
                 notes: list[str] | tuple = ()) -> Article:
    """An Article from a decoded page: a saved file, a fetched page (`inputs.web`), a WARC record.

    `outlet` is the fallback when the page names no site (og:site_name): the host name.
    """
    p = path
    try:
        text, meta = extract(html)
    except RuntimeError as e:
        raise LoadError(p, str(e)) from None
    except Exception as e:  # noqa: BLE001 - a broken page must be skipped, never crash a folder load
        raise LoadError(p, f"cannot extract an article from the HTML ({type(e).__name__})") from None
    if not text:
        raise LoadError(p, "no article text found in the HTML page")
    rules = load_rules() if rules is None else rules
    cleaned = clean_text(text, rules, model=False)
    if meta.get("title") and text.startswith(meta["title"]):
        span = (0, len(meta["title"]))
        if cleaned.title_span not in (None, span):  # the cleaner took another line: it is body
            cleaned.body_lines = sorted([*cleaned.body_lines, cleaned.title_span])
        cleaned.body_lines = [s for s in cleaned.body_lines if s != span]
        cleaned.stripped = [s for s in cleaned.stripped if (s.start, s.end) != span]
        cleaned.headings.discard(0)
        cleaned.title, cleaned.title_span = meta["title"], span
    art = Article(path=str(p), text=text, source=source, encoding=encoding)
    apply_cleaned(art, cleaned)
    for key in ("date", "date_iso", "byline"):
        if meta.get(key) and not getattr(art, key):
            setattr(art, key, meta[key])
    art.outlet, art.url = meta.get("outlet") or outlet, url
    art.notes.extend(notes)
    if not any(s.kind != "title" for s in art.sentences):
        raise LoadError(p, "no article text left after cleaning")
    return art
