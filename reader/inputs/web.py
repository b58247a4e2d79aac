"""Web addresses: fetch a page once, keep it, and read it like a saved HTML page.

A link is how most people hold an article.  Fetching is done with urllib3 (already
installed with trafilatura), with limits so a bad address costs one line and never a
hung command: a connect and read timeout plus a deadline for the whole download, a
redirect limit, a size limit (checked on Content-Length and again while reading),
and a content-type check (HTML, XHTML, plain text and PDF are articles; images,
JSON and the like are refused).  Every request says who it is: "reader/<version>".
A proxy named in the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) is used as
curl would, except for this machine's own addresses.

What was fetched is kept (`keep_dir`: `--keep DIR`, else ``<cache folder>/pages``):
the page's bytes as they came, and beside them ``<name>.fetch.json`` with the URL,
final URL, fetch time, status and content type.  A kept page is read instead of
fetched the next time (`--refetch` fetches again), so the same command gives the
same result offline and next year; and a keep folder opened as a folder reads each
page with its sidecar (`load_kept`), URL and outlet included.

The outlet is the page's og:site_name, else the host name; the date is the page's
(trafilatura's htmldate), never the fetch time.  `Article.path` is the address as the
user gave it, `Article.url` the final one; offsets index the extracted text.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from time import monotonic
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..loading import LoadError, decode, normalise_newlines, read_bytes
from ..model import Article
from .options import current
from .registry import KEPT_SIDECAR, kept_sidecar

USER_AGENT = f"reader/{__version__} (sentence-aligned article comparison; fetches only the URLs its user gives)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# content type -> the extension the kept copy gets (and so how a keep folder reads it back)
ARTICLE_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
                 "application/pdf": ".pdf"}
CHUNK = 64 * 1024


@dataclass(slots=True)
class Fetched:
    """One HTTP response that passed every check: the bytes and what the server said."""

    url: str
    final_url: str
    status: int
    content_type: str  # the media type alone, lower case
    charset: str | None
    data: bytes
    fetched: str  # ISO 8601, UTC


def load(url: str, rules=None) -> Article:
    """The article at `url`: the kept copy when there is one (unless --refetch), else fetched."""
    opts = current()
    kept = _kept_for(url)
    if kept is not None and not opts.refetch:
        return _article(kept, url, rules, note=f"read from the copy kept on {kept.fetched[:16].replace('T', ' ')}")
    try:
        got = fetch(url)
    except LoadError as e:
        if kept is None:
            raise
        return _article(kept, url, rules, note=f"fetching again failed ({e.reason}); read the copy kept on "
                                               f"{kept.fetched[:16].replace('T', ' ')}")
    note = None
    try:
        keep(got)
    except OSError as e:
        note = f"not kept ({e.strerror or e}): this result cannot be reproduced offline"
    return _article(got, url, rules, note=note)


def load_kept(path: str | Path, rules=None) -> Article:
    """A page in a keep folder, read with its sidecar: the URL, the fetch time, the outlet."""
    p = Path(path)
    try:
        meta = _record(kept_sidecar(p))
        got = Fetched(meta["url"], meta.get("final_url") or meta["url"], int(meta.get("status", 200)),
                      meta.get("content_type") or "text/html", meta.get("charset"), read_bytes(p, "a kept page"),
                      meta.get("fetched") or "")
    except LoadError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise LoadError(p, f"kept page or its {KEPT_SIDECAR} is unreadable ({type(e).__name__})") from None
    return _article(got, str(p), rules, note=f"page kept from {got.url} on {got.fetched[:16].replace('T', ' ')}")


def fetch(url: str) -> Fetched:
    """GET `url` within the limits of `options.current()`; LoadError with a one-line reason."""
    import urllib3
    from urllib3.exceptions import (HTTPError, LocationParseError, MaxRetryError, NameResolutionError,
                                    NewConnectionError, ProtocolError, ReadTimeoutError, ResponseError,
                                    TimeoutError as Urllib3Timeout)

    opts = current()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise LoadError(url, "only http and https addresses can be fetched")
    settings = dict(
        headers={"User-Agent": USER_AGENT,
                 "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.1"},
        retries=urllib3.Retry(total=None, connect=0, read=0, status=0, other=0,
                              redirect=opts.max_redirects, raise_on_redirect=True),
        timeout=urllib3.Timeout(connect=opts.timeout, read=opts.timeout))
    proxy = _proxy_for(url)
    http = urllib3.ProxyManager(proxy, **settings) if proxy else urllib3.PoolManager(**settings)
    deadline = monotonic() + 3 * opts.timeout  # a server trickling bytes must not hold us for ever
    try:
        resp = http.request("GET", url, preload_content=False, redirect=True)
        try:
            got = _checked(url, resp, deadline)
        finally:
            resp.release_conn()
    except LoadError:
        raise
    except MaxRetryError as e:
        reason = e.reason
        if isinstance(reason, ResponseError) and "redirect" in str(reason).lower():
            raise LoadError(url, f"too many redirects (more than {opts.max_redirects})") from None
        raise LoadError(url, _network_reason(reason, opts.timeout)) from None
    except (Urllib3Timeout, ReadTimeoutError):
        raise LoadError(url, f"timed out (no answer within {opts.timeout:g} s)") from None
    except (LocationParseError, ValueError) as e:
        raise LoadError(url, f"not a valid web address ({_one_line(e)})") from None
    except (NameResolutionError, NewConnectionError, ProtocolError, HTTPError, OSError) as e:
        raise LoadError(url, _network_reason(e, opts.timeout)) from None
    finally:
        http.clear()
    return got


def _proxy_for(url: str) -> str | None:
    """The proxy the environment names for this address (HTTP(S)_PROXY, minus NO_PROXY), as
    browsers and curl use it; never for this machine's own addresses."""
    from urllib.request import getproxies, proxy_bypass

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in ("localhost", "::1") or host.startswith("127."):
        return None
    proxy = getproxies().get(parts.scheme.lower())
    if not proxy or proxy_bypass(host):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _checked(url: str, resp, deadline: float) -> Fetched:
    """Status, content type and size checks, then the body read within the deadline."""
    opts = current()
    history = getattr(getattr(resp, "retries", None), "history", None) or ()
    final = next((urljoin(h.url or url, h.redirect_location) for h in reversed(history) if h.redirect_location), url)
    if resp.status >= 400:
        raise LoadError(url, f"HTTP {resp.status} {resp.reason or ''}".rstrip())
    if resp.status >= 300:
        raise LoadError(url, f"HTTP {resp.status}: redirect without a usable Location")
    media, charset = _content_type(resp.headers.get("Content-Type", ""))
    if media and media not in ARTICLE_TYPES:
        raise LoadError(url, f"not an article page (content type {media})")
    length = resp.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > opts.max_bytes:
        raise LoadError(url, f"too large ({_size(int(length))}; the limit is {_size(opts.max_bytes)})")
    chunks: list[bytes] = []
    size = 0
    while True:
        if monotonic() > deadline:
            raise LoadError(url, f"timed out (download took longer than {3 * opts.timeout:g} s)")
        chunk = resp.read1(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > opts.max_bytes:
            raise LoadError(url, f"too large (more than {_size(opts.max_bytes)})")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data.strip():
        raise LoadError(url, "the page is empty")
    if not media:  # no Content-Type: judge by the bytes
        media = "application/pdf" if data.startswith(b"%PDF") else "text/html" if data.lstrip()[:1] == b"<" \
            else "text/plain"
    fetched = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return Fetched(url, final, resp.status, media, charset, data, fetched)


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.IGNORECASE)
    return media.strip().lower(), (m.group(1).lower() if m else None)


def _network_reason(e, timeout: float) -> str:
    from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError, ReadTimeoutError

    # NewConnectionError subclasses ConnectTimeoutError (urllib3 keeps it for old code): test it first
    if isinstance(e, NameResolutionError):
        return "cannot fetch: host not found"
    if isinstance(e, NewConnectionError):
        text = str(e).lower()
        return "cannot fetch: connection refused" if "refused" in text else "cannot fetch: cannot connect"
    if isinstance(e, (ConnectTimeoutError, ReadTimeoutError)):
        return f"timed out (no answer within {timeout:g} s)"
    return f"cannot fetch ({_one_line(e)})"


def _one_line(e) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB" if n >= 1024 else f"{n} bytes"


# -- the keep folder ------------------------------------------------------------------------------
def keep_dir() -> Path:
    from ..userdirs import cache_dir

    return current().keep or cache_dir() / "pages"


def kept_stem(url: str) -> str:
    """A readable, stable file name for `url`: host and path, plus a hash of the whole URL."""
    parts = urlsplit(url)
    readable = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{parts.hostname or 'page'}{parts.path}").strip("-.")[:80]
    return f"{readable or 'page'}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def keep(got: Fetched) -> Path:
    """Write the page and its sidecar into the keep folder (atomically: never half a page)."""
    folder = keep_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = kept_stem(got.url)
    page = folder / (stem + ARTICLE_TYPES.get(got.content_type, ".html"))
    meta = {"url": got.url, "final_url": got.final_url, "fetched": got.fetched, "status": got.status,
            "content_type": got.content_type, "charset": got.charset, "file": page.name, "bytes": len(got.data),
            "sha256": hashlib.sha256(got.data).hexdigest(), "user_agent": USER_AGENT}
    _write(page, got.data)
    _write(folder / (stem + KEPT_SIDECAR), (json.dumps(meta, indent=1) + "\n").encode())
    return page


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _kept_for(url: str) -> Fetched | None:
    """The kept copy of `url`, or None (none kept, or the copy is damaged: fetch again)."""
    folder = keep_dir()
    stem = kept_stem(url)
    try:
        meta = _record(folder / (stem + KEPT_SIDECAR))
        data = read_bytes(folder / meta["file"], "a kept page")
        if meta.get("sha256") and hashlib.sha256(data).hexdigest() != meta["sha256"]:
            return None
        return Fetched(meta["url"], meta.get("final_url") or url, int(meta.get("status", 200)),
                       meta.get("content_type") or "text/html", meta.get("charset"), data, meta.get("fetched") or "")
    except (LoadError, OSError, ValueError, KeyError, TypeError):
        return None


def _record(path: Path) -> dict:
    """A kept page's fetch record: read through the same size cap as any input (the keep
    folder is only as trusted as whoever can write to it); ValueError if not an object."""
    meta = json.loads(read_bytes(path, "a fetch record").decode("utf-8"))
    if not isinstance(meta, dict):
        raise ValueError("not a fetch record")
    return meta


# -- from bytes to an article ---------------------------------------------------------------------
def _article(got: Fetched, path: str, rules, note: str | None) -> Article:
    host = (urlsplit(got.final_url).hostname or "").removeprefix("www.") or None
    notes = [f"fetched from {got.final_url}" + (f" (asked for {got.url})" if got.final_url != got.url else "")]
    if note:
        notes.append(note)
    if got.content_type == "application/pdf":  # a press release linked as a PDF
        from .pdf import article_from_bytes

        art = article_from_bytes(got.data, path, rules, source="url", url=got.final_url, outlet=host)
        art.notes.extend(notes)
        return art
    text, encoding = _decode(got.data, got.charset, html=got.content_type in HTML_TYPES, path=path)
    if got.content_type in HTML_TYPES:
        from ..html_input import html_article

        return html_article(text, path, encoding, rules, source="url", url=got.final_url, outlet=host,
                            notes=notes)
    from .common import build_article

    return build_article(text, path, rules, source="url", url=got.final_url, outlet=host, encoding=encoding,
                         notes=notes, prepend_title=False)


def _decode(data: bytes, declared: str | None, *, html: bool, path: str) -> tuple[str, str]:
    """UTF-8 if the bytes are UTF-8 (servers often mislabel it), else the declared charset,
    else what the page's own meta tag or the bytes suggest."""
    try:
        return normalise_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared and declared.replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return normalise_newlines(data.decode(declared)), declared
        except (LookupError, UnicodeDecodeError):
            pass
    if html:
        from ..html_input import _decode as decode_html

        text, enc = decode_html(data)
        return normalise_newlines(text), enc
    try:
        text, enc = decode(data)
    except ValueError as e:
        raise LoadError(path, str(e)) from None
    return normalise_newlines(text), enc
