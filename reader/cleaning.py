"""Separating the article from page furniture, line by line.

Articles arrive as text copied from a web page, one block per line: ads, share
buttons, "READ ALSO" links, comment widgets and date stamps sit between the
paragraphs.  Each line is judged whole (never cut in half), so a stripped line can
be shown back to the user exactly, with the reason it went; the one exception is a
bracketed wire note glued to the front of a line (`match_rules`), judged apart.

Three layers decide, in this order:
1. known phrases: the YAML rules (`rules/noise.yaml`, plus the user's own files)
   always strip a line, and keep dates and bylines as metadata;
2. repetition: a short line seen earlier in the page, or (with a `FolderContext`)
   a menu-like line that recurs in several files of the same folder;
3. a learned line classifier (`line_model`, weights in `data/line_model.json`,
   features in `linefeatures`) for everything else: page position, the densest
   prose block, neighbours, comment threads, teasers.  Two small structural
   rules follow it (a subhead between body lines stays; a prose line at the very
   edge of the body that the model doubts stays), since those are the cases where
   one line's own shape misleads most.
The headline is then picked from the top of the body or just above it.

Hard-wrapped text (wire copy, e-mail, PDF pastes) is first joined back into one
logical line per paragraph (`wrapping.views`: same length, same offsets), and all of
the above runs on that view; `Cleaned.unwrapped` carries the splitter's view.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .line_model import LineModel, load_model
from .linefeatures import STAGE1_NAMES, STAGE2_NAMES, page_features, prob_features
from .model import Stripped
from .rules import Rule, first_match, load_rules
from .wrapping import views

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
    unwrapped: str | None = None  # the text with its wrapped paragraphs joined, when it was hard-wrapped


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


_BY = re.compile(r"^\s*(written |words |reporting |story )?by\s+", re.I)


def byline_text(line: str) -> str:
    """The byline's names and roles: "By Jo Butler, Home Affairs Correspondent, PA News."
    gives "Jo Butler, Home Affairs Correspondent, PA News" (wire bylines may end in a stop;
    one after an abbreviation such as "Jr." or "Inc." stays)."""
    return _STOP_AFTER_WORD.sub("", _BY.sub("", line).rstrip())


_STOP_AFTER_WORD = re.compile(r"(?<=[a-z]{3})\.$")


def is_sentence_like(line: str) -> bool:
    return bool(_TERMINAL.search(line))


@dataclass(slots=True)
class RuledLine:
    """A non-blank line of the text and the first rule that matches it, if any."""

    start: int
    end: int
    text: str
    words: int
    rule: Rule | None


def match_rules(text: str, rules: list[Rule]) -> list[RuledLine]:
    """Every non-blank line with the first rule that strips it, if any.  A bracketed note
    that a rule strips on its own and that shares its line with text ("(Corrected
    repetition ...) MISSING WIFE - HUSBAND JAILED") is judged as a line of its own: the
    note goes with its reason, the rest is judged as any line."""
    out = []
    for a, b in line_spans(text):
        whole = _ruled(text, a, b, rules)
        parts = None if whole.rule is not None else _split_glued_note(text, a, b, rules)
        if parts is None:
            out.append(whole)
            continue
        (na, nb, note_rule), (ra, rb) = parts
        out += [_ruled(text, na, nb, rules, note_rule), _ruled(text, ra, rb, rules)]
    return out


def _ruled(text: str, a: int, b: int, rules: list[Rule], rule: Rule | None = None) -> RuledLine:
    line = text[a:b]
    words = len(line.split())  # = len(_WORDS.findall(line)): both split on str.isspace
    return RuledLine(a, b, line, words, rule or first_match(rules, line, words))


_OPEN_CLOSE = {"(": ")", "[": "]"}
_WORD_CHAR = re.compile(r"\w")


def _split_glued_note(text: str, a: int, b: int, rules: list[Rule]
                      ) -> tuple[tuple[int, int, Rule], tuple[int, int]] | None:
    """The line [a, b) as a leading bracketed note (with the rule that strips it) and the
    words after it, or None when it does not start so.  Only the first closing bracket
    ends the note: a nested bracket is no note a rule knows."""
    close = _OPEN_CLOSE.get(text[a])
    end = text.find(close, a + 1, b) if close else -1
    if end < 0 or not _WORD_CHAR.search(text, end + 1, b):
        return None
    note = text[a:end + 1]
    rule = first_match(rules, note, len(note.split()))
    if rule is None or rule.kind in ("date", "byline"):
        return None
    rest = end + 1
    while text[rest].isspace():
        rest += 1
    return (a, end + 1, rule), (rest, b)


def clean_text(text: str, rules: list[Rule] | None = None, *, folder: FolderContext | None = None,
               model: LineModel | None | bool = True) -> Cleaned:
    """Decide, for every non-blank line of `text`, whether it is article body.

    Rules first (known phrases: always stripped, dates and bylines kept as metadata),
    then the learned line classifier (`line_model`, over `linefeatures`) for the rest;
    `folder` adds what the other files of the same folder say (lines that recur in
    several of them are outlet boilerplate).  `model=False` (or no shipped weights)
    leaves the rules alone in charge, as before the classifier existed.  A hard-wrapped
    text is judged paragraph by paragraph (see `wrapping`); the offsets stay the text's.
    """
    rules = load_rules() if rules is None else rules
    if model is True:
        model = load_model()
    flat, judged = views(text)
    out = Cleaned(unwrapped=None if flat is text else flat)
    text = judged  # from here on the unwrapped paragraphs are judged (same offsets)
    lines = match_rules(text, rules)
    verdicts = _classify(text, lines, model or None, folder)
    seen: set[str] = set()
    kept: list[tuple[int, int]] = []
    for ln, verdict in zip(lines, verdicts):
        a, b, line, rule = ln.start, ln.end, ln.text, ln.rule
        if rule is not None:
            out.stripped.append(Stripped(a, b, line, rule.reason))
            if rule.kind == "date" and out.date is None:
                m = _DATE_TEXT.search(line)
                out.date = m.group(0) if m else line
                out.date_iso = parse_date(line)
            elif rule.kind == "byline" and out.byline is None:
                out.byline = byline_text(line)
            continue
        key = " ".join(line.lower().split())
        if key in seen and (ln.words <= 12 or not is_sentence_like(line)):
            out.stripped.append(Stripped(a, b, line, "repeated line"))
            continue
        seen.add(key)
        if verdict is not None:
            out.stripped.append(Stripped(a, b, line, verdict))
            continue
        kept.append((a, b))
    _take_title(text, lines, kept, out)
    out.body_lines = kept
    out.headings = {a for a, b in kept if _is_heading(text[a:b])}
    out.stripped.sort(key=lambda s: s.start)
    return out


def _classify(text: str, lines: list[RuledLine], model: LineModel | None,
              folder: FolderContext | None) -> list[str | None]:
    """A strip reason for each line the classifier rejects, None for kept lines."""
    n = len(lines)
    reasons: list[str | None] = [None] * n
    folder_counts = folder.counts(text, lines) if folder is not None else None
    if folder_counts is not None:
        for i, ln in enumerate(lines):
            if folder.is_boilerplate(ln.text, ln.words, folder_counts[i]):
                reasons[i] = f"recurs in {folder_counts[i]} other files of the folder"
    if model is None or n == 0:
        return reasons
    if model.stages[0].features != tuple(STAGE1_NAMES) or any(
            st.features != tuple(STAGE2_NAMES) for st in model.stages[1:]):
        raise RuntimeError("the line model was fitted on other features than linefeatures computes; "
                           "refit it with bench/clean_train.py")
    spans = [(ln.start, ln.end) for ln in lines]
    kinds = [ln.rule.kind if ln.rule is not None else None for ln in lines]
    rows = page_features(text, spans, kinds, folder_counts)
    probs = model.stages[0].proba(rows)
    for stage in model.stages[1:]:
        probs = stage.proba(prob_features(rows, probs))
    threshold = model.threshold
    candidates = [p for i, p in enumerate(probs) if lines[i].rule is None and reasons[i] is None]
    if candidates and max(candidates) < threshold:  # never an empty article: keep its likeliest part
        threshold = max(candidates) * 0.6
    probs = _structural_rescue(lines, rows, probs, threshold)
    body = [i for i, p in enumerate(probs) if p >= threshold]
    first, last = (body[0], body[-1]) if body else (n, -1)
    comment_col = STAGE1_NAMES.index("after_comment_head")
    for i, p in enumerate(probs):
        if p >= threshold or reasons[i] is not None:
            continue
        if i < first:
            reasons[i] = "page header before the article (menu, teaser or link)"
        elif i > last:
            reasons[i] = ("comment thread after the article" if rows[i][comment_col]
                          else "after the article (related links, footer)")
        else:
            reasons[i] = "inside the article but not prose (link, teaser or widget)"
    return reasons


_RESCUE_FLOOR = 0.1
_SUBHEAD_FLOOR = 0.05
_STOP_COL = STAGE1_NAMES.index("stop_ratio")


def _structural_rescue(lines: list[RuledLine], rows: list[list[float]], probs: list[float],
                        threshold: float) -> list[float]:
    """Two structural corrections to the classifier, where one line's shape misleads.

    Edges: a last paragraph without its full stop, or a standfirst just above the
    body, looks less like a sentence than it is; when such a line reads as prose
    (eight words or more, a fair share of function words) and sits right at the edge
    of the kept body (rule-stripped furniture in between does not count), it is kept.
    Inside: a subhead or a short quoted line between two kept lines is kept unless
    the model is sure it is not body.  Both were neutral on the held-out dev pages
    (two-fold F1 within 0.001) and fix the hand-labelled seeds.
    """
    probs = list(probs)
    body = [i for i, p in enumerate(probs) if p >= threshold]
    if not body:
        return probs
    for start, step in ((body[0], -1), (body[-1], 1)):
        j = start + step
        while 0 <= j < len(lines):
            if lines[j].rule is not None:
                j += step
                continue
            if probs[j] < _RESCUE_FLOOR or lines[j].words < 8 or rows[j][_STOP_COL] < 0.15:
                break
            probs[j] = threshold
            j += step
    for i in range(body[0] + 1, body[-1]):
        if (probs[i] < threshold and probs[i] >= _SUBHEAD_FLOOR and lines[i].rule is None
                and _inline_short(lines[i]) and _kept_neighbour(lines, probs, threshold, i, -1)
                and _kept_neighbour(lines, probs, threshold, i, 1)):
            probs[i] = threshold
    return probs


def _inline_short(ln: RuledLine) -> bool:
    """A subhead, or a short quoted or one-sentence line, as articles have between paragraphs."""
    return _is_heading(ln.text) or (ln.words <= 25 and (ln.text[:1] in "\"'“‘«„" or is_sentence_like(ln.text)))


def _kept_neighbour(lines: list[RuledLine], probs: list[float], threshold: float, i: int, step: int) -> bool:
    """Whether the nearest line in direction `step` that no rule stripped is kept."""
    j = i + step
    while 0 <= j < len(lines) and lines[j].rule is not None:
        j += step
    return 0 <= j < len(lines) and probs[j] >= threshold


class FolderContext:
    """Which lines recur across the files of one folder (one outlet's boilerplate).

    Built from all the texts of a folder before any is cleaned.  Articles on one story
    copy each other's sentences, which is exactly what reader shows, so only short
    lines without sentence punctuation (menus, section names, sign-offs) are ever
    stripped for recurring; a copied sentence never is.
    """

    def __init__(self, texts: list[str], min_files: int = 3, max_words: int = 12):
        self.min_files = min_files
        self.max_words = max_words
        self._files: dict[str, int] = {}
        for text in texts:
            _, text = views(text)  # wrapped paragraphs as the cleaner judges them
            for key in {_key(text[a:b]) for a, b in line_spans(text)}:
                self._files[key] = self._files.get(key, 0) + 1

    def counts(self, text: str, lines: list[RuledLine]) -> list[int]:
        """For each line, in how many *other* files of the folder it occurs."""
        return [max(self._files.get(_key(ln.text), 1) - 1, 0) for ln in lines]

    def is_boilerplate(self, line: str, words: int, others: int) -> bool:
        return others + 1 >= self.min_files and words <= self.max_words and not is_sentence_like(line)


def _key(line: str) -> str:
    return " ".join(line.lower().split())


def clean_texts(texts: list[str], rules: list[Rule] | None = None) -> list[Cleaned]:
    """Clean the articles of one folder together, so cross-file boilerplate is seen."""
    folder = FolderContext(texts) if len(texts) >= 3 else None
    return [clean_text(t, rules, folder=folder) for t in texts]


def _take_title(text: str, lines: list[RuledLine], kept: list[tuple[int, int]], out: Cleaned) -> None:
    """The headline: a short line without sentence punctuation at the head of the body.

    Either the first kept line looks like one (plain text pasted headline-first), or
    the classifier stripped it as "not body" and it sits just above the first body
    line, past the byline, date and share buttons; then it moves from `stripped` to
    the metadata, since a headline is article content, only not body text.
    """
    if not kept:
        return
    a, b = kept[0]
    if len(kept) >= 2 and _title_like(text[a:b]):
        out.title, out.title_span = text[a:b], (a, b)
        del kept[0]
        return
    first = next((k for k, ln in enumerate(lines) if ln.start == a), 0)
    for ln in reversed(lines[max(0, first - _TITLE_LOOKBACK):first]):
        if ln.rule is None and _title_like(ln.text):
            out.title, out.title_span = ln.text, (ln.start, ln.end)
            out.stripped = [s for s in out.stripped if s.start != ln.start]
            return


_TITLE_LOOKBACK = 8


def _title_like(line: str) -> bool:
    words = len(_WORDS.findall(line))
    return 3 <= words <= 25 and not line.rstrip("\"'”’").endswith((".", "…", ";", ",", "!", "?", ":"))


def _is_heading(line: str) -> bool:
    words = _WORDS.findall(line)
    if not words or len(words) > 12 or is_sentence_like(line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) <= 6 or capitalised / len(words) >= 0.6

