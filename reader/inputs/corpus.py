"""Corpus files: JSON Lines and CSV/TSV with one article per row (researchers' datasets).

Each row is an article named ``FILE#ID`` (the row's id field, else its row number,
from 1), so `reader matrix corpus.jsonl` compares every row with every other, as it
would a folder, and `reader diff corpus.jsonl#17 corpus.jsonl#42` compares two.  The
fields are found by name (`options.DEFAULT_FIELDS`: text, body, content...; title,
headline; date, published...; outlet, publisher...; url, link; id) unless the user
names them (`--text-field`, `--title-field`, ...).  Only the text is required.

The text field is taken exactly as given (newlines normalised), with no headline
put in front of it, so the offsets in the JSON index the row's own text field
(`"offsets": "text field"`) and a researcher can map them back to the dataset; the
title is metadata.  Files are read row by row, never whole: a corpus may be far
larger than any article.  A row that cannot be used (bad JSON, no text) is one
`Skipped` line and the other rows still load; a file whose first row is already
wrong (not JSON Lines, no text column) is one line for the whole file.
"""
from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..cleaning import parse_date
from ..loading import LoadError, Skipped
from ..model import Article
from .common import build_article
from .options import DEFAULT_FIELDS, current

FIELDS = ("text", "title", "date", "outlet", "url", "id")


def iter_jsonl(path: str | Path, rules=None, only: str | None = None) -> Iterator[Article | Skipped]:
    names = _field_names()
    for item in jsonl_rows(path):
        if isinstance(item, Skipped):
            yield item
            continue
        article = _row_article(item[1], path, item[0], names, "jsonl", rules, only)
        if article is not None:
            yield article


def jsonl_rows(path: str | Path) -> Iterator[tuple[int, dict] | Skipped]:
    """`(row number, row)` of a JSON Lines file, uncleaned (or why a line cannot be used):
    callers that clean rows elsewhere (`reader matrix --store` in worker processes)."""
    first = True
    try:
        fh = open(path, "rb")
    except OSError as e:
        raise LoadError(path, f"cannot read ({e.strerror or e})") from None
    with fh:
        for n, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line:
                continue
            try:
                row = json.loads(line.decode("utf-8-sig" if first else "utf-8"))
                if not isinstance(row, dict):
                    raise ValueError("not an object")
            except (ValueError, UnicodeDecodeError):
                if first:
                    raise LoadError(path, f"not JSON Lines (line {n} is not a JSON object)") from None
                yield Skipped(f"{path}#{n}", f"line {n} is not a JSON object")
                continue
            first = False
            yield n, row
    if first:
        raise LoadError(path, "empty file")


def iter_csv(path: str | Path, rules=None, only: str | None = None) -> Iterator[Article | Skipped]:
    names = _field_names()
    for n, row in csv_rows(path):
        item = _row_article(row, path, n, names, "csv", rules, only)
        if item is not None:
            yield item


def csv_rows(path: str | Path) -> Iterator[tuple[int, dict]]:
    """`(row number, row)` of a CSV/TSV file, uncleaned (see `jsonl_rows`)."""
    names = _field_names()
    encoding = _csv_encoding(path)
    csv.field_size_limit(max(csv.field_size_limit(), current().max_bytes))
    with open(path, newline="", encoding=encoding) as fh:
        sample = fh.read(64 * 1024)
        fh.seek(0)
        if not sample.strip():
            raise LoadError(path, "empty file")
        dialect = _dialect(Path(path), sample)
        reader = csv.DictReader(fh, dialect=dialect)
        header = [h for h in (reader.fieldnames or []) if h]
        if _pick(dict.fromkeys(header, "x"), "text", names) is None:
            wanted = names.get("text") or ", ".join(DEFAULT_FIELDS["text"][:4])
            raise LoadError(path, f"no text column (looked for {wanted}; name it with --text-field)")
        try:
            for n, row in enumerate(reader, 1):
                yield n, {k: v for k, v in row.items() if k}
        except csv.Error as e:
            raise LoadError(path, f"CSV damaged after row {reader.line_num} ({e})") from None


def row_article(row: dict, path, n: int, kind: str, rules) -> Article | Skipped:
    """One raw row's article (as `iter_jsonl` / `iter_csv` make it), or why not."""
    return _row_article(row, path, n, _field_names(), kind, rules)


def _field_names() -> dict[str, str]:
    return dict(current().fields)


def _pick(row: dict, field: str, names: dict[str, str]):
    """The row's value for `field`: the column the user named, else the first default present."""
    if field in names:
        return row.get(names[field])
    lower = {str(k).lower(): k for k in row}
    for candidate in DEFAULT_FIELDS[field]:
        if candidate in lower:
            return row[lower[candidate]]
    return None


def _row_article(row: dict, path, n: int, names: dict[str, str], source: str, rules,
                 only: str | None = None) -> Article | Skipped | None:
    """The row's article (or why not); None when `only` names another row."""
    values = {f: _pick(row, f, names) for f in FIELDS}
    key = _key(values["id"]) or str(n)
    if only is not None and key != only:
        return None
    where = f"{path}#{key}"
    text = values["text"]
    if not isinstance(text, str) or not text.strip():
        name = names.get("text") or "text"
        return Skipped(where, f"row {n} has no text ('{name}' field missing or empty)")
    if len(text) > current().max_bytes:
        return Skipped(where, f"row {n}: text too large for an article")
    date = _text(values["date"])
    try:
        return build_article(text, where, rules, source=source, title=_text(values["title"]), prepend_title=False,
                             date=date, date_iso=_iso(date), outlet=_text(values["outlet"]),
                             url=_text(values["url"]))
    except LoadError as e:
        return Skipped(where, f"row {n}: {e.reason}")


def _text(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _key(value) -> str | None:
    text = _text(value)
    return re.sub(r"[#/\\\x00-\x1f]", "_", text)[:80] if text else None


def _iso(date: str | None) -> str | None:
    if not date:
        return None
    iso = parse_date(date)
    if iso is None:
        m = re.match(r"(\d{4})[-/.](\d{2})[-/.](\d{2})", date)
        iso = f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None
    return iso


def _csv_encoding(path) -> str:
    """UTF-8 (with or without a BOM) when the whole file decodes as UTF-8, else cp1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    except OSError as e:
        raise LoadError(path, f"cannot read ({e.strerror or e})") from None
    return "utf-8-sig"


def _dialect(path: Path, sample: str):
    """Excel's CSV rules with the delimiter of the header line (",", ";", tab or "|")."""
    if path.suffix.lower() == ".tsv":
        return csv.excel_tab
    header = sample.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        return csv.excel
    return type("Sniffed", (csv.excel,), {"delimiter": delimiter})
