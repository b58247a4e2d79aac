"""`reader clean PATH...`: the articles with page noise removed, as text or JSON lines."""
from __future__ import annotations

import sys

from ..inert import inert
from ..serialise import article_json
from .common import guarded, many_articles, print_json_line, rules_from


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: the clean article; json: one object per article per line")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra noise rules (YAML)")
    p.add_argument("--show-stripped", action="store_true", help="text format: list the removed lines")


@guarded
def run(args) -> int:
    articles = many_articles(args.paths, rules_from(args))
    out = sys.stdout
    for n, art in enumerate(articles):
        if args.format == "json":
            print_json_line(article_json(art, body=True))
            continue
        # Text goes to terminals: every piece of the article is made inert (`reader.inert`).
        if n:
            out.write("\n")
        out.write(f"# {inert(art.name, line=True)}\n")
        if art.title:
            out.write(f"Title: {inert(art.title, line=True)}\n")
        if art.date:
            out.write(f"Date: {inert(art.date, line=True)}\n")
        if art.byline:
            out.write(f"By: {inert(art.byline, line=True)}\n")
        if art.source not in ("txt", "text"):  # read from a page, PDF, mail...: say so, and from where
            from ..serialise import offsets_of

            for label, value in (("Outlet", art.outlet), ("URL", art.url)):
                if value:
                    out.write(f"{label}: {inert(value, line=True)}\n")
            out.write(f"Source: {art.source} (offsets index the {offsets_of(art.source)})\n")
        out.write("\n" + inert(art.body) + "\n")
        if args.show_stripped and art.stripped:
            out.write(f"\nStripped ({len(art.stripped)} lines):\n")
            for s in art.stripped:
                out.write(f"  - {inert(s.text, line=True)}  [{inert(s.reason, line=True)}]\n")
    return 0
