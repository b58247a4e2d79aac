"""Separating the article from page furniture, line by line.

Articles arrive as text copied from a web page, one block per line: ads, share
buttons, "READ ALSO" links, comment widgets and date stamps sit between the
paragraphs.  Each line is judged whole (never cut in half), so a stripped line can
be shown back to the user exactly, with the reason it went.  The phrases are data
(`rules/noise.yaml`, plus the user's own files); this module holds only the
mechanism: match rules, drop repeated furniture, find the headline and the date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .model import Stripped
from .rules import Rule, load_rules

_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_WORDS = re.compile(r"\S+")
MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})")
_MDY = re.compile(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}(?:,?\s*\d{1,2}[:.]\d{2}(?:\s*[A-Z]{2,5})?)?"
                        r"|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}")


@dataclass(slots=True)
class Cleaned:
    """What the cleaner decided about a text: body lines, metadata, stripped lines."""

    body_lines: list[tuple[int, int]] = field(default_factory=list)
    stripped: list[Stripped] = field(default_factory=list)
    title: str | None = None
    title_span: tuple[int, int] | None = None
    date: str | None = None
    date_iso: str | None = None
    byline: str | None = None
    headings: set[int] = field(default_factory=set)  # starts of body lines that are subheads


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, trimmed of surrounding space."""
    out, pos = [], 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def parse_date(s: str) -> str | None:
    """ISO date from the few formats news pages use; None when unsure (e.g. 05/06/2024)."""
    for rx, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_MDY, "mdy")):
        m = rx.search(s)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        month = parts["m"]
        month_no = int(month) if month.isdigit() else MONTHS.get(month[:3].lower())
        try:
            return date(int(parts["y"]), month_no or 0, int(parts["d"])).isoformat()
        except (TypeError, ValueError):
            continue
    return None


def is_sentence_like(line: str) -> bool:
    return bool(_TERMINAL.search(line))


def clean_text(text: str, rules: list[Rule] | None = None) -> Cleaned:
    """Decide, for every non-blank line of `text`, whether it is article body."""
    rules = load_rules() if rules is None else rules
    out = Cleaned()
    seen: dict[str, int] = {}
    kept: list[tuple[int, int]] = []
    for a, b in line_spans(text):
        line = text[a:b]
        words = len(_WORDS.findall(line))
        rule = next((r for r in rules if r.matches(line, words)), None)
        if rule is not None:
            out.stripped.append(Stripped(a, b, line, rule.reason))
            if rule.kind == "date" and out.date is None:
                m = _DATE_TEXT.search(line)
                out.date = m.group(0) if m else line
                out.date_iso = parse_date(line)
            elif rule.kind == "byline" and out.byline is None:
                out.byline = re.sub(r"^\s*(written |words |reporting |story )?by\s+", "", line, flags=re.I)
            continue
        key = " ".join(line.lower().split())
        if key in seen and (words <= 12 or not is_sentence_like(line)):
            out.stripped.append(Stripped(a, b, line, "repeated line"))
            continue
        seen[key] = a
        kept.append((a, b))
    _take_title(text, kept, out)
    out.body_lines = kept
    out.headings = {a for a, b in kept if _is_heading(text[a:b])}
    out.stripped.sort(key=lambda s: s.start)
    return out


def _take_title(text: str, kept: list[tuple[int, int]], out: Cleaned) -> None:
    """The headline: a short first line without sentence punctuation, before the body."""
    if len(kept) < 2:
        return
    a, b = kept[0]
    line = text[a:b]
    words = len(_WORDS.findall(line))
    if 3 <= words <= 25 and not line.rstrip("\"'”’").endswith((".", "…", ";", ",")):
        out.title, out.title_span = line, (a, b)
        del kept[0]


def _is_heading(line: str) -> bool:
    words = _WORDS.findall(line)
    if not words or len(words) > 12 or is_sentence_like(line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) <= 6 or capitalised / len(words) >= 0.6


def clean_file_rules(paths: list[Path] | None = None) -> list[Rule]:
    """Rules for a run: the shipped ones, the user's config file, then `paths`."""
    return load_rules(extra=paths or [])
