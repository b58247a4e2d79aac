"""A check's results for people: plain text for the terminal, one HTML page to send on.

Text: per article, the documents it reuses, best first, each with its shares of the
article's words and its passages (`=` copied, `~` changed, then the document's
wording).  Every piece of article text and every path goes through `inert`, as in
the rest of the CLI: library documents come from anywhere.

HTML: one self-contained page for the whole check, built like the pair export
(`reader.export`): jinja2 with autoescaping is the only road from text to markup,
the export's stylesheet is inlined and allowed by hash in a Content-Security-Policy
that forbids everything else (no script at all here).  A summary per article links
to one section per matched document, whose rows are the export's own rows
(`export.view.page_view`: the same highlighted edits and "why" boxes) without the
sentences neither side shares.
"""
from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from ..inert import inert
from ..model import STATUS_SYMBOL
from .check import CheckResult

HERE = Path(__file__).parent


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def render_text(results: list[CheckResult], library: str, n_docs: int, out: TextIO,
                passages: bool = True) -> None:
    for k, r in enumerate(results):
        art = r.article
        if k:
            out.write("\n")
        title = f' "{inert(art.title, line=True)}"' if art.title else ""
        n = len(r.matches)
        out.write(f"{inert(art.path, line=True)}{title} ({art.word_count} words): "
                  f"{'reuses ' + ('at least ' if r.unexamined else '') + str(n) if n else 'reuses none'}"
                  f" of the {n_docs} documents "
                  f"in {inert(library, line=True)}\n")
        for m in r.matches:
            s = m.shares
            doc = m.doc
            meta = "  ".join(x for x in (f'"{inert(doc.title, line=True)}"' if doc.title else "",
                                         doc.date_iso or "") if x)
            out.write(f"  {_pct(m.total):>4}  {_pct(s['copied'])} copied, {_pct(s['changed'])} changed  "
                      f"#{doc.id} {inert(doc.path, line=True)}{'  ' + meta if meta else ''}\n")
            if not passages:
                continue
            al = m.alignment
            for p in al.pairs:
                mine = " ".join(al.left.sentences[i].text for i in p.left)
                theirs = " ".join(al.right.sentences[j].text for j in p.right)
                out.write(f"        {STATUS_SYMBOL[p.status]} {inert(mine, line=True)}\n")
                if p.status != "copied":
                    out.write(f"          from: {inert(theirs, line=True)}\n")
        if r.unexamined:
            out.write(f"  ({r.unexamined} more candidate documents not examined; --top and --examine "
                      "raise the limits)\n")


@lru_cache(maxsize=1)
def _assets():
    from ..export.html import content_security_policy, template_environment  # jinja2 only when writing HTML

    css = (HERE.parent / "export" / "page.css").read_text(encoding="utf-8") + "\n" + LIBRARY_CSS
    return template_environment(HERE).get_template("check.html"), css, content_security_policy(css)


LIBRARY_CSS = """
.summary { border-collapse: collapse; margin: .4rem 0 1rem; }
.summary th, .summary td { border-bottom: 1px solid var(--line); padding: .2rem .6rem; text-align: left; }
.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
.match { margin: 1.2rem 0 2rem; }
.match h3 { font-size: 1rem; margin: .2rem 0; }
.path { color: var(--muted); overflow-wrap: anywhere; }
"""


def render_html(results: list[CheckResult], library: str, n_docs: int) -> str:
    from markupsafe import Markup

    from .. import __version__
    from ..export.view import page_view

    template, css, csp = _assets()
    articles = []
    for a, r in enumerate(results):
        matches = []
        for m in r.matches:
            view = page_view(m.alignment)
            rows = [row for row in view.rows if row.status != "added"]
            matches.append({"anchor": f"a{a}-d{m.doc.id}", "doc": m.doc, "shares": m.shares,
                            "total": m.total, "rows": rows, "pairs": len(m.alignment.pairs)})
        articles.append({"anchor": f"a{a}", "article": r.article, "matches": matches,
                         "unexamined": r.unexamined})
    return template.render(articles=articles, library=library, n_docs=n_docs, version=__version__,
                           when=time.strftime("%Y-%m-%d %H:%M"), csp=csp, css=Markup(css), pct=_pct)
