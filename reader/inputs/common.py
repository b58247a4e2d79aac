"""Turning extracted text plus metadata into an `Article`: shared by every input kind.

The input modules only extract (a PDF's text layer, a Word file's paragraphs, an
e-mail's body); cleaning and sentence splitting are the same for all of them, so an
article reads the same whichever road it came by.  A title that the source gives
apart from the text (a Word title paragraph, an e-mail subject) is pinned as the
headline sentence, as `html_input` does with the page's headline, so headlines can
be compared with headlines; offsets index the text built here, which becomes
`Article.text` (`registry.OFFSETS` names that text, per source, in the JSON).
"""
from __future__ import annotations

from ..articles import apply_cleaned
from ..cleaning import clean_text, parse_date
from ..loading import LoadError, normalise_newlines
from ..model import Article

def build_article(text: str, path: str, rules, *, source: str, title: str | None = None,
                  prepend_title: bool = True, date: str | None = None, date_iso: str | None = None,
                  byline: str | None = None, outlet: str | None = None, url: str | None = None,
                  encoding: str = "utf-8", model: bool = True, notes: list[str] | tuple = ()) -> Article:
    """Clean and split `text`; metadata fills what the text itself does not say.

    `prepend_title=False` keeps the text exactly as given (a corpus row's text field,
    so its offsets are the researcher's), with the title as metadata only.
    """
    from ..rules import load_rules

    text = normalise_newlines(text)
    title = " ".join(title.split()) if title else None
    if title and prepend_title and text.lstrip("\n").split("\n", 1)[0].strip() != title:
        text = f"{title}\n\n{text.lstrip(chr(10))}"
    rules = load_rules() if rules is None else rules
    cleaned = clean_text(text, rules, model=model)
    if title and text.startswith(title):
        _pin_title(cleaned, title)
    art = Article(path=str(path), text=text, source=source, encoding=encoding)
    apply_cleaned(art, cleaned)
    if title and not art.title:
        art.title = title
    if date and not art.date:
        art.date, art.date_iso = date, date_iso or parse_date(date)
    if byline and not art.byline:
        art.byline = byline
    art.outlet, art.url = outlet or None, url or None
    art.notes.extend(notes)
    if not any(s.kind != "title" for s in art.sentences):
        raise LoadError(path, "no article text left after cleaning")
    return art


def _pin_title(cleaned, title: str) -> None:
    """Make the first line, `title`, the headline even if the cleaner chose another line."""
    span = (0, len(title))
    if cleaned.title_span not in (None, span):  # the cleaner took another line: it is body
        cleaned.body_lines = sorted([*cleaned.body_lines, cleaned.title_span])
    cleaned.body_lines = [s for s in cleaned.body_lines if s != span]
    cleaned.stripped = [s for s in cleaned.stripped if (s.start, s.end) != span]
    cleaned.headings.discard(0)
    cleaned.title, cleaned.title_span = title, span
