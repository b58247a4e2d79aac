"""Turning a sentence into the words that decide "copied", folding typography and house style.

Two outlets running the same wire sentence rarely agree on quotes, dashes, "per cent"
or "U.S."; the gold's rule is that such sentences are still copied word for word.
So every comparison runs on `words(text)`: lower case, accents and typography folded,
house-style spellings (`rules/house_style.yaml`) mapped to one form, punctuation gone.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .rules import house_style

_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
_DASHES = re.compile(r"[‐‑‒–—―−]")
_ACRONYM = re.compile(r"\b(?:[a-z]\.){2,}")
_TOKEN = re.compile(r"\d+(?:\.\d+)*|[^\W_]+|[$£€¥]")
_IZE = re.compile(r"^(\w{3,})(iz|yz)(e|ed|es|er|ers|ing|ation|ations)$")


@lru_cache(maxsize=1)
def _style() -> tuple[list[tuple[re.Pattern, str]], re.Pattern | None, dict[str, str], dict[str, str]]:
    data = house_style()
    replaces = [(re.compile(a), b) for a, b in data.get("replace", [])]
    phrase_map: dict[str, str] = {}
    word_map: dict[str, str] = {}
    for group in data.get("words", []):
        canon = str(group[0]).lower()
        for variant in group[1:]:
            v = str(variant).lower()
            if re.search(r"[\s-]", v):
                phrase_map[v] = canon
            else:
                word_map[v] = canon
    phrases = None
    if phrase_map:
        alts = "|".join(re.escape(p) for p in sorted(phrase_map, key=len, reverse=True))
        phrases = re.compile(rf"\b(?:{alts})\b")
    return replaces, phrases, phrase_map, word_map


def fold(text: str) -> str:
    """Lower case, no accents, straight quotes, plain hyphens."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _DASHES.sub("-", text.translate(_QUOTES)).casefold()


def _fold_string(s: str) -> list[str]:
    """Words of an already-folded string, house style applied."""
    replaces, phrases, phrase_map, word_map = _style()
    s = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), s)
    for rx, repl in replaces:
        s = rx.sub(repl, s)
    if phrases is not None:
        s = phrases.sub(lambda m: phrase_map[m.group(0)], s)
    out = []
    for tok in _TOKEN.findall(s):
        tok = word_map.get(tok, tok)
        m = _IZE.match(tok)
        if m:
            tok = m.group(1) + ("is" if m.group(2) == "iz" else "ys") + m.group(3)
        out.append(tok)
    return out


_RAW = re.compile(r"(?:[^\W_]\.){2,}|[^\W_]+(?:['’.,\-‐‑–][^\W_]+)*%?|[$£€¥%]")
_PLAIN = re.compile(r"[a-z]+")
_raw_cache: dict[str, tuple[str, ...]] = {}


def _raw_words(raw: str) -> tuple[str, ...]:
    hit = _raw_cache.get(raw)
    if hit is None:
        low = raw.lower()
        if _PLAIN.fullmatch(low) and low not in _style()[3] and not _IZE.match(low):
            hit = (low,)
        else:
            hit = tuple(_fold_string(fold(raw)))
        if len(_raw_cache) < 200_000:
            _raw_cache[raw] = hit
    return hit


@lru_cache(maxsize=1)
def _phrase_tokens() -> tuple[dict[tuple[str, ...], str], frozenset[str]]:
    """Multi-word house-style variants as word tuples, and the words that can start one."""
    _, _, phrase_map, _ = _style()
    out = {}
    for variant, canon in phrase_map.items():
        toks = tuple(_TOKEN.findall(variant))
        if len(toks) > 1:
            out[toks] = canon
    return out, frozenset(t[0] for t in out)


def tokens(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """Comparison words with the (start, end) span of text each came from.

    Each visible word is normalised on its own ("26.3%" -> "26.3", "percent", both
    pointing at "26.3%"), then two-word house-style variants are joined ("world
    view" -> "worldview"), so the words and the highlights always agree.
    """
    out: list[tuple[str, int, int]] = []
    for m in _RAW.finditer(text):
        a, b = m.start() + offset, m.end() + offset
        for w in _raw_words(m.group(0)):
            out.append((w, a, b))
    phrases, firsts = _phrase_tokens()
    if not firsts or not any(t[0] in firsts for t in out):
        return out
    joined, i = [], 0
    while i < len(out):
        if out[i][0] in firsts:
            for n in (3, 2):
                key = tuple(w for w, _, _ in out[i:i + n])
                if len(key) == n and key in phrases:
                    joined.append((phrases[key], out[i][1], out[i + n - 1][2]))
                    i += n
                    break
            else:
                joined.append(out[i])
                i += 1
        else:
            joined.append(out[i])
            i += 1
    return joined


def words(text: str) -> list[str]:
    """The comparison words of a sentence: equal lists mean the sentence was copied."""
    return [w for w, _, _ in tokens(text)]


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s", "e", "ly")


@lru_cache(maxsize=100_000)
@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A light stem of a comparison word, for finding reworded clauses, never for "copied".

    "signed" / "signing" / "sign", "leaders" / "leader", "75th" / "75": enough to see
    that a rewrite kept the same facts; a full stemmer would also merge words that
    differ in meaning, and here a false match costs more than a missed one.
    """
    m = _ORDINAL.match(word)
    if m:
        return m.group(1)
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            base = word[: -len(suf)]
            if suf in ("ied", "ies"):
                base += "y"
            elif len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiouls":
                base = base[:-1]  # "planned" -> "plan"
            return base
    return word
