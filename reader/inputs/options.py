"""How inputs are read, as the user set it on the command line: one place, process-wide.

The options (where fetched pages are kept, whether to fetch again, which corpus
fields hold the text and metadata) matter deep inside loading, which the CLI, the
app, the folder matrix and the forked loader of `reader diff` all reach through
`load_article` / `iter_articles`.  Threading an options object through every one of
those signatures would touch all of them for settings that never change within a
run, so, like `userdirs.disable_cache`, they are set once when the command starts
(`apply_arguments`) and read where needed (`current`).  A forked child inherits them.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field, replace
from pathlib import Path

# Corpus field names tried in order when the user names none (first match wins).
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "maintext", "full_text"),
    "title": ("title", "headline"),
    "date": ("date", "published", "date_published", "pubdate", "publish_date", "published_at", "date_publish"),
    "outlet": ("outlet", "publisher", "site", "site_name", "sitename", "media", "source_name"),
    "url": ("url", "link", "uri"),
    "id": ("id", "_id", "doc_id", "article_id", "uid"),
}


@dataclass(frozen=True, slots=True)
class InputOptions:
    keep: Path | None = None         # folder for fetched pages; None: <cache folder>/pages
    refetch: bool = False            # fetch a URL again even when a kept copy exists
    timeout: float = 20.0            # seconds: connect, each read, and the whole download
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    fields: dict[str, str] = field(default_factory=dict)  # corpus field -> column the user named


_current = InputOptions()


def current() -> InputOptions:
    return _current


def configure(**changes) -> InputOptions:
    """Replace some options for the rest of the process (tests restore with `reset`)."""
    global _current
    _current = replace(_current, **changes)
    return _current


def reset() -> None:
    global _current
    _current = InputOptions()


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The input options every command that reads articles takes."""
    g = p.add_argument_group("inputs (web addresses, corpus files)")
    g.add_argument("--keep", metavar="DIR", default=None,
                   help="keep fetched pages (and what was fetched when) in DIR; default: the user cache "
                        "folder. A kept page is read again instead of fetched, so results can be reproduced")
    g.add_argument("--refetch", action="store_true", help="fetch web addresses again even when a copy is kept")
    for name in ("text", "title", "date", "outlet", "url", "id"):
        g.add_argument(f"--{name}-field", metavar="NAME", default=None,
                       help=f"JSONL/CSV: the field holding the article's {name} "
                            f"(default: the first of {', '.join(DEFAULT_FIELDS[name][:3])}...)")


def apply_arguments(args: argparse.Namespace) -> None:
    """Set the options from parsed arguments (commands without them leave the defaults)."""
    fields = {name: getattr(args, f"{name}_field") for name in DEFAULT_FIELDS
              if getattr(args, f"{name}_field", None)}
    keep = getattr(args, "keep", None)
    configure(keep=Path(keep).expanduser() if keep else None, refetch=bool(getattr(args, "refetch", False)),
              fields=fields)
