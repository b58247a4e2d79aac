"""WARC web archives (.warc, .warc.gz): each archived HTML page an article.

Read with warcio (Apache-2.0, pure Python), record by record, never the whole file:
a crawl can hold thousands of pages.  A `response` record with status 200 and an
HTML content type, or a `resource` record of HTML, is a page; it goes through the
same extraction as a saved or fetched page (`html_input.html_article`), with the
record's target URI as `Article.url` and its host as the outlet when the page names
none.  Requests, metadata, redirects, images, scripts and styles are passed over
without a word (a crawl is mostly those); a page with no article text in it is one
`Skipped` line.  Articles are named ``ARCHIVE#N``, N the record's position in the file
(from 1).  The crawl time (WARC-Date) is not taken as the article's date: that is
when the page was fetched, not published; the date comes from the page.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from ..loading import LoadError, Skipped
from ..model import Article
from .options import current
from .web import HTML_TYPES, _content_type, _decode


def iter_warc(path: str | Path, rules=None, only: str | None = None) -> Iterator[Article | Skipped]:
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:  # a dependency, but say what is missing rather than crash
        raise LoadError(path, "reading WARC files needs the 'warcio' package (pip install warcio)") from None
    from ..html_input import html_article

    limit = current().max_bytes
    records = pages = 0
    try:
        fh = open(path, "rb")
    except OSError as e:
        raise LoadError(path, f"cannot read ({e.strerror or e})") from None
    with fh:
        if not _starts_as_warc(fh):
            raise LoadError(path, "not a WARC file (it does not start with a WARC/1.x record header)")
        try:
            for n, record in enumerate(ArchiveIterator(fh), 1):
                records = n
                page = _page(record)
                if page is None:
                    continue
                pages += 1
                if only is not None and only != str(n):
                    continue
                uri, charset = page
                where = f"{path}#{n}"
                data = record.content_stream().read(limit + 1)
                if len(data) > limit:
                    yield Skipped(where, f"record {n} ({uri}) is too large for an article")
                    continue
                try:
                    html, encoding = _decode(data, charset, html=True, path=where)
                    yield html_article(html, where, encoding, rules, source="warc", url=uri,
                                       outlet=(urlsplit(uri).hostname or "").removeprefix("www.") or None,
                                       notes=[f"archived page {uri}"])
                except LoadError as e:
                    yield Skipped(where, f"{e.reason} ({uri})")
        except ArchiveLoadFailed as e:
            where = "not a WARC file" if records == 0 else f"damaged after record {records}"
            raise LoadError(path, f"{where} ({_short(e)})") from None
        except (OSError, EOFError, ValueError) as e:  # a cut or corrupt gzip stream
            raise LoadError(path, f"damaged after record {records} ({type(e).__name__})") from None
    if records and not _gzip_intact(path):  # warcio reads a cut gzip member as a short record, silently
        raise LoadError(path, f"damaged: the archive is cut short (in or after record {records})")
    if records == 0:
        raise LoadError(path, "empty WARC file (no records)")
    if pages == 0:
        raise LoadError(path, f"no HTML pages among its {records} records")


def _page(record) -> tuple[str, str | None] | None:
    """(target URI, declared charset) when the record is an HTML page; None otherwise."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return None
        ctype = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        ctype = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    media, charset = _content_type(ctype)
    return (uri, charset) if media in HTML_TYPES else None


def _starts_as_warc(fh) -> bool:
    """Whether the (possibly gzipped) file begins with "WARC/": warcio reads other text as records."""
    import zlib

    head = fh.read(4096)
    fh.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.lstrip()[:5] == b"WARC/"


def _gzip_intact(path) -> bool:
    """False when a .gz file's compressed stream ends early (a cut download, a full disk)."""
    import gzip

    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return True  # not compressed: nothing to check
    try:
        with gzip.open(path, "rb") as gz:
            while gz.read(1 << 20):
                pass
    except (OSError, EOFError):
        return False
    return True


def _short(e) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 120 else text[:117] + "..."
