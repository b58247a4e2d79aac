"""The HTML export: one self-contained, offline, safe page for a compared pair.

A journalist sends this file to an editor or a lawyer, so it must open anywhere
(from disk, an email attachment, offline) and must never run what an article
says.  Hence:
- one file: the stylesheet and the small script are inlined from package files;
  no fonts, images or scripts are fetched;
- jinja2 with autoescaping is the only road from article text to markup
  (`view.py` keeps text as plain strings);
- a Content-Security-Policy forbids every load and allows only our own inline
  script and style, by hash: even if something slipped through the escaping, an
  injected `<script>` or `onerror=` would not run.
`render_html` is pure; `write_html` (exit status, message on stderr) is what the CLI
calls; `save_html` (raises `WriteError`) suits the app, which shows its own messages.
"""
from __future__ import annotations

import base64
import hashlib
import sys
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import __version__
from ..fileio import WriteError, write_atomic
from ..model import Alignment
from .view import page_view

HERE = Path(__file__).parent


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def template_environment(folder: Path) -> jinja2.Environment:
    """The one set of Jinja settings for every page reader writes (the pair export, the
    library check): every {{ }} escaped, whatever the file name; a missing value an error.
    Templates of `folder` also see this folder's, for the head lines all pages share."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)), jinja2.FileSystemLoader(str(HERE))])
    return jinja2.Environment(loader=loader, autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def content_security_policy(css: str, js: str | None = None) -> str:
    """A policy that forbids every load and allows exactly this inline CSS (and JS, if any)."""
    script = _sha256(js) if js is not None else "'none'"
    return (f"default-src 'none'; style-src {_sha256(css)}; script-src {script}; "
            "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")


@lru_cache(maxsize=1)
def _assets() -> tuple[jinja2.Template, str, str, str]:
    """Template, CSS, JS and the CSP that allows exactly that CSS and JS."""
    css = (HERE / "page.css").read_text(encoding="utf-8")
    js = (HERE / "page.js").read_text(encoding="utf-8")
    return template_environment(HERE).get_template("page.html"), css, js, content_security_policy(css, js)


def render_html(alignment: Alignment) -> str:
    """The whole page as one string."""
    template, css, js, csp = _assets()
    return template.render(
        page=page_view(alignment), version=__version__, csp=csp,
        # Our own package files, hashed into the CSP above: inserted verbatim.
        css=Markup(css), js=Markup(js),
    )


def save_html(alignment: Alignment, path: str | Path) -> Path:
    """Write the page to a file atomically; raise `WriteError` (a message fit for the
    user) when the path cannot be written.  For callers that show errors themselves,
    such as the app, where a line on stderr would never be seen."""
    return write_atomic(path, render_html(alignment))


def write_html(alignment: Alignment, path: str) -> int:
    """Write the page to `path` ('-' for stdout); return an exit status.

    A path that cannot be written gives one line on stderr and status 1, and leaves
    no file behind (`write_atomic` writes a temporary file, then renames it).
    """
    if path == "-":
        page = render_html(alignment)
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:      # the page says charset=utf-8, whatever the locale
            sys.stdout.flush()
            out.write(page.encode("utf-8"))
            out.flush()
        else:
            sys.stdout.write(page)
        return 0
    try:
        save_html(alignment, path)
    except WriteError as e:
        print(f"reader: {e}", file=sys.stderr)
        return 1
    return 0
