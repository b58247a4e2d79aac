"""Which module reads a path or web address, and the dispatch to it.

Kept free of heavy imports: `loading.discover` asks it about every path, and
`reader diff a.txt b.txt` must not pay for PDF, Word or HTTP code it never uses.
`kind_of` returns None for what reader always read (plain text, saved HTML), which
stays on its old road in `reader.articles`.

Some inputs hold several articles (an mbox, a JSONL or CSV corpus, a WARC archive,
an e-mail with attached press releases).  Each of those articles is named
``FILE#KEY`` (a row id or number, a message number, an attachment's name), and that
name is accepted back wherever a path is, so `reader diff corpus.jsonl#17 story.txt`
compares one row with a file.
"""
from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
SUFFIX_KINDS = {".pdf": "pdf", ".docx": "docx", ".eml": "eml", ".mbox": "mbox", ".jsonl": "jsonl",
                ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv", ".warc": "warc"}
# Read when found inside a folder.  Corpus files are read only when named: a folder of
# articles with a spreadsheet of notes beside them should not become hundreds of articles.
FOLDER_SUFFIXES = frozenset({".pdf", ".docx", ".eml", ".mbox"})
MULTI = frozenset({"eml", "mbox", "jsonl", "csv", "warc"})  # kinds that may hold several articles
# What `Article.text`, which every offset indexes, is for each `Article.source` (said in the JSON).
OFFSETS = {"txt": "file text", "text": "given text", "html": "extracted text", "url": "extracted text",
           "pdf": "extracted text", "docx": "extracted text", "eml": "extracted text",
           "jsonl": "text field", "csv": "text field", "warc": "extracted text"}
KEPT_SIDECAR = ".fetch.json"  # beside a kept web page: what was fetched, from where, when

# kind -> (module, function); single kinds' function returns an Article, multi kinds' yields
# Article or Skipped items and raises LoadError when the whole file is unusable.
_READERS = {"url": ("web", "load"), "kept": ("web", "load_kept"), "pdf": ("pdf", "load"), "docx": ("docx", "load"),
            "eml": ("email", "iter_eml"), "mbox": ("email", "iter_mbox"), "jsonl": ("corpus", "iter_jsonl"),
            "csv": ("corpus", "iter_csv"), "warc": ("warc", "iter_warc")}


def is_url(s) -> bool:
    return isinstance(s, str) and _URL.match(s) is not None


def kind_of(path) -> str | None:
    """The input kind of a path or URL; None for plain text and saved HTML (read as before).

    String operations, not `Path` objects: the app asks this of every file of a folder
    it reopens, before the list is drawn (500 files: 22 ms with `Path`, most of it
    building paths)."""
    if is_url(path):
        return "url"
    s = os.fspath(path)
    name = os.path.basename(s).lower()
    if name.endswith(".warc.gz"):
        return "warc"
    suffix = os.path.splitext(name)[1]
    if suffix in (".html", ".htm", ".txt", ".pdf") and os.path.isfile(_sidecar_of(s)):
        return "kept"  # a page `web` kept
    return SUFFIX_KINDS.get(suffix)


def kept_sidecar(path) -> Path:
    """The record `web` keeps beside a kept page: `page.html` -> `page.fetch.json`."""
    return Path(_sidecar_of(os.fspath(path)))


def _sidecar_of(path: str) -> str:
    return os.path.splitext(path)[0] + KEPT_SIDECAR


def in_folder(path: Path) -> bool:
    """Whether a file found in a folder is one of the new article kinds (`FOLDER_SUFFIXES`)."""
    return path.suffix.lower() in FOLDER_SUFFIXES


def split_selector(raw) -> tuple[str, str] | None:
    """("corpus.jsonl", "17") for "corpus.jsonl#17" when that is no file but the corpus is."""
    s = str(raw)
    if "#" not in s or is_url(s) or Path(s).exists():
        return None
    base, _, key = s.rpartition("#")
    if key and Path(base).is_file() and kind_of(base) in MULTI:
        return base, key
    return None


def not_a_file(raw) -> str | None:
    """`raw` as `discover` must take it although no such file exists: a URL or FILE#KEY."""
    if is_url(raw) or split_selector(raw) is not None:
        return str(raw)
    return None


def _reader(kind: str):
    module, function = _READERS[kind]
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


def load_one(path, rules):
    """The one article `path` names; LoadError (with a reason) when there is none."""
    from ..loading import LoadError, Skipped
    from ..model import Article

    selected = split_selector(path)
    if selected is not None:
        base, key = selected
        wanted = f"{base}#{key}"
        for item in iter_all(base, rules, only=key):
            if item.path == wanted:
                if isinstance(item, Skipped):
                    raise LoadError(item.path, item.reason)
                return item
        raise LoadError(path, f"no article '{key}' in {base} (reader clean {base} lists them)")
    kind = kind_of(path)
    if kind not in MULTI:
        return _reader(kind)(path, rules)
    found: list = []
    problems: list = []
    for item in iter_all(path, rules):
        (found if isinstance(item, Article) else problems).append(item)
        if found and (kind == "eml" or len(found) > 1):
            break  # an e-mail is its message (attachments are named #file); others need one article
    if len(found) == 1:
        return found[0]
    if found:
        raise LoadError(path, f"holds several articles; name one as {path}#KEY "
                              f"(reader clean {path} lists their names)")
    raise LoadError(path, problems[0].reason if len(problems) == 1 else "no usable article in it")


def iter_all(path, rules, only: str | None = None) -> Iterator:
    """Every article `path` holds, as Article or Skipped items, in file order.

    `only` (a KEY of ``FILE#KEY``) lets a reader skip the work on every other article
    (cleaning a corpus's rows up to row 40,000 to get that one); it may yield others."""
    from ..loading import LoadError, Skipped

    kind = kind_of(path)
    try:
        if kind in MULTI:
            yield from _reader(kind)(path, rules, only=only)
        else:
            yield load_one(path, rules)
    except LoadError as e:
        yield Skipped(e.path, e.reason)
