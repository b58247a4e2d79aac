"""Why two sentences are linked, in plain words: the phrases the app and the export show.

A journalist checks a "changed" verdict by looking at what the two sentences share,
not at a score.  The aligner records that on each pair (`Pair.evidence`: probability,
shared stems, shared numbers, run, order, number clash; or, for a close rewrite the word
passes settled, its word overlap); this module turns it into
short phrases such as "87% likely", "shared: scarf, cleaner, door", "numbers: 15,000".
It lives in the core (no Textual, no jinja2) so the app's `w` line and the HTML
export's "why" box say exactly the same thing.

The phrases are plain strings, some made of article words: every caller must show
them as text, never as markup (the app uses `Content(...)`, the export autoescapes).
"""
from __future__ import annotations

from collections.abc import Iterable

from .model import Hint, Pair
from .normalise import stem, word_spans, words

# How a pair was found, when that adds something to the evidence itself; "lexical"
# (word overlap, the usual road) goes without saying.
METHOD_WORDS = {"rewrite": "rewritten", "clause": "clause reused", "semantic": "same meaning"}
MAX_WORDS = 8


def surface_words(texts: Iterable[str]) -> dict[str, str]:
    """Stem -> the word as the article wrote it (first occurrence), over `texts`.

    The aligner keeps stems ("collin", "evidenc"), which read as typos; showing
    "Collins" and "evidence" lets the reader find the word in the sentence at once.
    """
    out: dict[str, str] = {}
    for text in texts:
        for w, (a, b) in zip(words(text), word_spans(text)):
            out.setdefault(stem(w), text[a:b])
    return out


def number_text(value) -> str:
    """A shared number as a reader writes it: 15,000; 300 million; 2.5; years unchanged."""
    s = str(value).strip()
    try:
        v = float(s)
    except ValueError:
        return s
    if v != int(v):
        return s
    n = int(v)
    for scale, word in ((10**9, "billion"), (10**6, "million")):
        if n >= scale and n % (scale // 10) == 0:
            return f"{n / scale:g} {word}"
    return f"{n:,}" if n >= 10_000 else str(n)  # 2024 is a year, not 2,024


def _strings(value) -> list[str]:
    """A list field of the evidence as strings; anything else (absent, malformed) as []."""
    if not isinstance(value, (list, tuple)):
        return []
    return [str(v) for v in value if str(v)]


def why_phrases(pair: Pair, texts: Iterable[str] = ()) -> list[str]:
    """The evidence of `pair` as short phrases, most telling first; [] when none was recorded.

    `texts` are the linked sentences' texts, used only to show shared words as written.
    """
    ev = pair.evidence if isinstance(pair.evidence, dict) else {}
    if not ev:
        return []
    if ev.get("copied"):
        heading = ev.get("inline_heading")
        if isinstance(heading, str) and heading:  # words of an article: shown as text by every caller
            return ["exact copy: the same words", f"after a subhead run into the sentence: {heading}"]
        return ["exact copy: the same words"]
    return _evidence_phrases(ev, pair.method, texts)


def hint_phrases(hint: Hint, other: str, texts: Iterable[str] = ()) -> list[str]:
    """A likely rewrite that was not linked (`model.Hint`), as phrases: first what it is,
    naming the other sentence (`other`, e.g. "A #12", as the caller numbers sentences),
    then its evidence.  `texts`: the two sentences' texts, for the shared words."""
    ev = hint.evidence if isinstance(hint.evidence, dict) else {}
    return [f"perhaps reworded from {other}, not linked", *_evidence_phrases(ev, "", texts)]


def percent(ev: object) -> str:
    """The evidence's probability as a reader says it ("87%", "over 99%"); "" if none.
    Never "100%": a calibrated probability is an estimate, and rounding hides the doubt."""
    p = ev.get("probability") if isinstance(ev, dict) else None
    if not isinstance(p, (int, float)) or isinstance(p, bool):
        return ""
    return "over 99%" if p >= 0.995 else f"{round(p * 100)}%"


def _evidence_phrases(ev: dict, method: str, texts: Iterable[str]) -> list[str]:
    out: list[str] = []
    if percent(ev):
        out.append(f"{percent(ev)} likely")
    if method in METHOD_WORDS:
        out.append(METHOD_WORDS[method])
    overlap = ev.get("word_overlap")
    if isinstance(overlap, (int, float)) and not isinstance(overlap, bool):
        out.append(f"{round(overlap * 100)}% of the words in common, in order")
    numbers = _strings(ev.get("shared_numbers"))
    stems = _strings(ev.get("shared_words"))
    if numbers:  # a digit stem is already said, better, under numbers
        stems = [s for s in stems if not s[:1].isdigit()]  # "300", "300million"
    if stems:
        written = surface_words(texts)
        out.append("shared: " + ", ".join(written.get(s, s) for s in stems[:MAX_WORDS]))
    if numbers:
        out.append("numbers: " + ", ".join(number_text(n) for n in numbers))
    if ev.get("number_clash"):
        out.append("numbers differ")
    run = ev.get("run")
    if isinstance(run, int) and not isinstance(run, bool) and run >= 2:
        out.append(f"{run} words in a row")
    if ev.get("in_order"):
        out.append("same order as neighbours")
    return out


def why_line(pair: Pair, texts: Iterable[str] = ()) -> str:
    """All the phrases on one line ("" when there is no evidence)."""
    return " · ".join(why_phrases(pair, texts))


def excerpt(text: str, words: int = 10) -> str:
    """The first `words` words of a sentence, quoted ("…" when cut): enough to find it."""
    parts = text.split()
    return "“" + " ".join(parts[:words]) + ("…" if len(parts) > words else "") + "”"
