"""reader: see who copied whom across news articles, sentence by sentence.

The package is a pure core (loading, cleaning, sentences, alignment, export) that
never imports Textual; `reader.tui` is the app on top of it.  Public API:

    from reader import load_article, load_articles, align
    diff = align(load_article("a.txt"), load_article("b.txt"))
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "align", "load_article", "load_articles", "article_from_text"]


def __getattr__(name: str):
    # Lazy so that `import reader` stays cheap for the CLI's fast start.
    if name in ("load_article", "load_articles", "article_from_text"):
        from . import articles

        return getattr(articles, name)
    if name == "align":
        from .align import align

        return align
    raise AttributeError(name)
