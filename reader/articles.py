"""Building `Article`s from files or text: load, clean, split into sentences.

This is the one road from a path to an article, used by the CLI, the app, the
export and the folder matrix alike, so that they can never disagree about what an
article says.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .cleaning import Cleaned, clean_text
from .loading import HTML_SUFFIXES, LoadError, Skipped, discover, read_text_repaired
from .model import Article, Sentence
from .rules import Rule, load_rules
from .sentences import split_spans
from .wrapping import continued_lines

# Shown with the article (`Article.notes`) when its text was hard-wrapped (`wrapping`).
WRAPPED_NOTE = "hard-wrapped text: each wrapped paragraph was read as one line"


def article_from_text(text: str, path: str = "<text>", rules: list[Rule] | None = None,
                      *, source: str = "text", encoding: str = "utf-8",
                      meta: dict | None = None) -> Article:
    """Clean and split text that is already decoded (newlines normalised)."""
    cleaned = clean_text(text, rules)
    art = Article(path=str(path), text=text, source=source, encoding=encoding)
    apply_cleaned(art, cleaned)
    for key in ("title", "date", "date_iso", "byline"):
        if meta and meta.get(key) and not getattr(art, key):
            setattr(art, key, meta[key])
    return art


def article_from_sentences(sentences: Iterable[str], path: str = "<sentences>") -> Article:
    """An article made of exactly these sentences, one per line: no cleaning, no splitting.

    For callers that already have their sentences: benchmarks that compare with
    line-based diff tools on the same lists, tests that must not depend on the
    cleaner's choices.
    """
    text, sents = "", []
    for s in sentences:
        sents.append(Sentence(len(text), len(text) + len(s), s, "body"))
        text += s + "\n"
    art = Article(path=str(path), text=text, sentences=sents)
    art.body_lines = [(x.start, x.end) for x in sents]
    return art


def apply_cleaned(art: Article, cleaned: Cleaned) -> None:
    """Copy the cleaner's decisions onto `art` and split its kept lines into sentences."""
    art.title, art.date, art.date_iso, art.byline = cleaned.title, cleaned.date, cleaned.date_iso, cleaned.byline
    art.stripped = cleaned.stripped
    art.body_lines = cleaned.body_lines
    # A hard-wrapped text is split on its unwrapped view: same offsets, wraps as spaces,
    # so a sentence's text lines up character for character with the file's text.
    text = cleaned.unwrapped if cleaned.unwrapped is not None else art.text
    # A sentence broken across a blank line is read whole, on a view with the break as
    # spaces (the same offsets again); the kept lines stay as the cleaner drew them.  A
    # "headline" or "subhead" that such a break cut off is the start of a sentence.
    title, body = cleaned.title_span, cleaned.body_lines
    first = [title] if title is not None and (not body or title[1] <= body[0][0]) else []  # a title above the body
    lines, text = continued_lines(text, first + cleaned.body_lines)
    if first and lines[0] == title:
        lines = lines[1:]
    elif first:  # the body now starts there (`Article.body`, the list's title when none)
        art.body_lines = sorted([*art.body_lines, title])
        title, art.title = None, None
    kept = set(cleaned.body_lines)
    sents: list[Sentence] = []
    if title is not None:
        a, b = title
        sents.append(Sentence(a, b, text[a:b], "title"))
    for a, b in lines:
        kind = "heading" if a in cleaned.headings and (a, b) in kept else "body"
        spans = [(a, b)] if kind == "heading" else split_spans(text, a, b)
        sents.extend(Sentence(s, e, text[s:e], kind) for s, e in spans)
    art.sentences = sents
    if cleaned.unwrapped is not None:
        art.notes.append(WRAPPED_NOTE)


def load_article(path: str | Path, rules: list[Rule] | None = None) -> Article:
    """Load one file; raise LoadError (with a reason for the user) when it cannot be used.

    Web addresses, PDF, Word, e-mail and corpus files (and ``FILE#KEY``, one article of
    a file that holds several) are read by `reader.inputs`.
    """
    from .inputs import registry

    if registry.kind_of(path) is not None or registry.split_selector(path) is not None:
        return registry.load_one(path, rules)
    p = Path(path)
    if p.suffix.lower() in HTML_SUFFIXES:
        from .html_input import load_html  # optional path: trafilatura is imported only for HTML

        return load_html(p, rules)
    text, enc, repaired = read_text_repaired(p)
    art = article_from_text(text, str(p), rules, source="txt", encoding=enc)
    if repaired:
        art.repaired = True
        art.notes.append("mojibake repaired (UTF-8 read as Latin-1): offsets index the repaired text")
    if not art.sentences:
        raise LoadError(p, "no article text left after cleaning")
    return art


def iter_articles(paths: Iterable[str | Path], rules: list[Rule] | None = None
                  ) -> Iterator[tuple[int, int, Article | Skipped]]:
    """Yield `(done, total, article_or_skipped)` file by file, so a view can grow as they arrive.

    Paths that yield no file at all (missing, empty folders) come first with done=0.
    """
    rules = load_rules() if rules is None else rules
    found = discover(list(paths))
    total = len(found.files)
    for s in found.skipped:
        yield 0, total, s
    for n, f in enumerate(found.files, 1):
        for item in iter_file(f, rules):
            yield n, total, item


def iter_file(path: str | Path, rules: list[Rule] | None = None) -> Iterator[Article | Skipped]:
    """Every article one file (or web address) holds: one for most, several for a corpus,
    an mbox or an e-mail with attachments; what cannot be used comes as `Skipped`."""
    from .inputs import registry

    if registry.kind_of(path) in registry.MULTI:
        yield from registry.iter_all(path, rules)
        return
    try:
        yield load_article(path, rules)
    except LoadError as e:
        yield Skipped(e.path, e.reason)


def load_articles(paths: Iterable[str | Path], rules: list[Rule] | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> tuple[list[Article], list[Skipped]]:
    """Load every article under `paths`; bad files are returned as skipped, never raised."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for n, total, item in iter_articles(paths, rules):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            articles.append(item)
        if progress is not None and n:
            progress(n, total, item.path)
    return articles, skipped
