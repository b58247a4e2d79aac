"""The data every part of reader passes around.

These are plain dataclasses so the CLI, the Textual app, the HTML export and the
folder matrix all speak the same language, and so nothing here imports Textual.

All offsets (`start`, `end`) are indices into `Article.text`: the decoded file text
with newlines normalised to ``\\n`` (for HTML, web addresses, PDF, Word, e-mail and
WARC input, the extracted text; for a JSONL/CSV row, its text field), as the JSON's
"offsets" says (`inputs.registry.OFFSETS`). Keeping
offsets into the original text, rather than copies of cleaned strings, is what lets
every view point back at exactly what the outlet published.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

Status = Literal["copied", "changed", "added"]
SentenceKind = Literal["title", "heading", "body"]
STATUSES: tuple[str, ...] = ("copied", "changed", "added")
# Every view marks a status with a symbol too, so it reads without colour.
STATUS_SYMBOL: dict[str, str] = {"copied": "=", "changed": "~", "added": "+"}


@dataclass(slots=True)
class Sentence:
    """One sentence (or headline / subhead) of an article, located in its text."""

    start: int
    end: int
    text: str
    kind: SentenceKind = "body"


@dataclass(slots=True)
class Stripped:
    """A line the cleaner removed, kept so the user can see what went and why."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(slots=True)
class Article:
    """A loaded and cleaned article.

    `body_lines` are the (start, end) spans of the lines kept as article body,
    title excluded; `sentences` are split from them (plus the title, kind "title",
    so that a headline can be compared with the other article's headline).
    """

    path: str
    text: str
    title: str | None = None
    date: str | None = None
    date_iso: str | None = None
    byline: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    stripped: list[Stripped] = field(default_factory=list)
    body_lines: list[tuple[int, int]] = field(default_factory=list)
    source: str = "text"
    encoding: str = "utf-8"
    notes: list[str] = field(default_factory=list)
    repaired: bool = False  # mojibake repaired on reading: `text` (and the offsets) are the repaired text
    outlet: str | None = None  # who published it, where the source says (site name, host, sender)
    url: str | None = None     # where it was fetched from (web address, WARC record, corpus url field)

    @property
    def name(self) -> str:
        """The file name without its folder: what the user recognises."""
        return Path(self.path).name

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    @property
    def body(self) -> str:
        """The cleaned article body, one kept line per line, headline excluded."""
        return "\n".join(self.text[a:b] for a, b in self.body_lines)

    @property
    def display_title(self) -> str:
        """The title, or the first words of the body when the page has none."""
        if self.title:
            return self.title
        words = self.body.split()
        return " ".join(words[:10]) + ("…" if len(words) > 10 else "") if words else self.name

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.sentences if s.kind != "title")


@dataclass(slots=True)
class Pair:
    """A link between sentence(s) on the left and sentence(s) on the right.

    One index on each side is the usual case; several on one side is a merge or a
    split.  `left_marks` / `right_marks` are the (start, end) article offsets of the
    words that differ (deleted on the left, inserted on the right), for highlighting.
    `reused_left` / `reused_right` are offsets of a reused clause when only part of
    a sentence derives from the other side (partial reuse).
    """

    left: list[int]
    right: list[int]
    status: Literal["copied", "changed"]
    score: float
    left_marks: list[tuple[int, int]] = field(default_factory=list)
    right_marks: list[tuple[int, int]] = field(default_factory=list)
    reused_left: list[tuple[int, int]] = field(default_factory=list)
    reused_right: list[tuple[int, int]] = field(default_factory=list)
    method: str = "lexical"
    evidence: dict = field(default_factory=dict)  # why the sentences are linked (`alignment.linker.why`)


@dataclass(slots=True)
class Hint:
    """A likely rewrite the aligner did not link: a sentence left "added" and its most
    likely counterpart on the other side (`alignment.relink.hints_of`).

    Not a link: it changes no status and no share.  It is there so that a journalist
    reading an "added" sentence can check, in seconds, the one sentence of the other
    article it may have been rewritten from, with the evidence (`evidence`, as a pair's,
    probability included) that was not strong enough to link them.
    """

    left: int
    right: int
    evidence: dict

    def partner(self, side: Literal["left", "right"]) -> int:
        """The sentence on the other side from `side`'s (the one it may come from)."""
        return self.right if side == "left" else self.left


@dataclass(slots=True)
class Alignment:
    """The result of comparing two articles: pairs plus a status per sentence."""

    left: Article
    right: Article
    pairs: list[Pair]
    left_status: list[Status]
    right_status: list[Status]
    options: dict = field(default_factory=dict)
    hints: list[Hint] = field(default_factory=list)  # likely rewrites not linked (`Hint`)
    # (side, sentence) -> its hints, for `hints_at`, and what it was built from
    _hint_index: dict | None = field(default=None, init=False, repr=False, compare=False)
    _hint_key: tuple = field(default=(), init=False, repr=False, compare=False)

    def hints_at(self, side: Literal["left", "right"], indexes: Iterable[int]) -> list[Hint]:
        """The hints of the sentences `indexes` of `side`.  Views ask once per row, so the
        lookup goes through an index built once (rebuilt if `hints` is replaced or grows):
        a scan of every hint per row was quadratic on a long pair."""
        key = (id(self.hints), len(self.hints))
        if self._hint_index is None or self._hint_key != key:
            index: dict[tuple[str, int], list[Hint]] = {}
            for h in self.hints:
                index.setdefault(("left", h.left), []).append(h)
                index.setdefault(("right", h.right), []).append(h)
            self._hint_index, self._hint_key = index, key
        return [h for k in indexes for h in self._hint_index.get((side, k), ())]

    def _tally(self, side: Literal["left", "right"], weigh) -> dict[str, int]:
        """Sum `weigh(sentence)` per status over one side's sentences, titles excluded."""
        art = self.left if side == "left" else self.right
        status = self.left_status if side == "left" else self.right_status
        out = {s: 0 for s in STATUSES}
        for sent, st in zip(art.sentences, status):
            if sent.kind != "title":
                out[st] += weigh(sent)
        return out

    def counts(self, side: Literal["left", "right"]) -> dict[str, int]:
        """How many sentences of one side are copied / changed / added (titles excluded)."""
        return self._tally(side, lambda s: 1)

    def word_shares(self, side: Literal["left", "right"]) -> dict[str, float]:
        """Share of one side's body words in copied / changed / added sentences."""
        words = self._tally(side, lambda s: word_count(s.text))
        total = sum(words.values()) or 1
        return {k: v / total for k, v in words.items()}


@lru_cache(maxsize=200_000)
def word_count(text: str) -> int:
    """The words of a sentence as the shares count them (`Alignment.word_shares`): split on
    whitespace.  Cached: a folder's matrix counts each sentence once per pair it is in."""
    return len(text.split())
