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
_raw_cache: dict[str, tuple[str, ...]] = {}


def _raw_words(raw: str) -> tuple[str, ...]:
    hit = _raw_cache.get(raw)
    if hit is None:
        low = raw.lower()
        # Plain a-z words outside the house-style list and not -ize spellings are themselves
        # (isascii+isalpha is `[a-z]+` after lower(); the -ize pattern needs "iz" or "yz").
        if (low.isascii() and low.isalpha() and low not in _style()[3]
                and not (("iz" in low or "yz" in low) and _IZE.match(low))):
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


def _expand(raws: list[str]) -> tuple[list[str], list[int] | None]:
    """Comparison words of a sentence's raw tokens, and for each word the raw token it
    came from (None when that is one word per token, by far the usual case)."""
    get = _raw_cache.get
    per_raw = [get(g) or _raw_words(g) for g in raws]
    words = [w for ws in per_raw for w in ws]
    if len(words) == len(raws) and all(per_raw):
        return words, None
    return words, [k for k, ws in enumerate(per_raw) for _ in ws]


def _phrase_groups(words: list[str]) -> list[tuple[int, int, str]]:
    """(first word, word count, canonical word) of each multi-word house-style variant,
    left to right, never overlapping: "world view" -> "worldview"."""
    phrases, firsts = _phrase_tokens()
    if firsts.isdisjoint(words):
        return []
    found: list[tuple[int, int, str]] = []
    free = 0
    for i in [k for k, w in enumerate(words) if w in firsts]:
        if i < free:
            continue
        for n in (3, 2):
            canon = phrases.get(tuple(words[i:i + n])) if i + n <= len(words) else None
            if canon is not None:
                found.append((i, n, canon))
                free = i + n
                break
    return found


def _join(items: list, groups: list[tuple[int, int, str]], merge) -> list:
    """`items` (one per word) with each phrase group replaced by `merge(group items, canon)`."""
    out, i = [], 0
    for k, n, canon in groups:
        out.extend(items[i:k])
        out.append(merge(items[k:k + n], canon))
        i = k + n
    out.extend(items[i:])
    return out


def words_and_caps(text: str) -> tuple[list[str], list[bool]]:
    """`words(text)`, and for each word whether it is written with a capital (a name, mostly).

    The fast road for the aligner, which tokenises every sentence: no match objects,
    no spans (`word_spans` gives those, for the sentences that need highlights).
    """
    raws = _RAW.findall(text)
    words, src = _expand(raws)
    caps = [g[0].isupper() for g in raws]
    if src is not None:
        caps = [caps[k] for k in src]
    groups = _phrase_groups(words)
    if groups:
        words = _join(words, groups, lambda part, canon: canon)
        caps = _join(caps, groups, lambda part, canon: part[0])
    return words, caps


@lru_cache(maxsize=50_000)
def word_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) in `text` of each of its comparison words, for highlighting them.

    Each visible word is normalised on its own ("26.3%" -> "26.3", "percent", both
    pointing at "26.3%"), then multi-word house-style variants are joined ("world
    view" -> "worldview", spanning both words), so words and highlights always agree.
    """
    matches = list(_RAW.finditer(text))
    words, src = _expand([m.group() for m in matches])
    spans = [m.span() for m in matches]
    if src is not None:
        spans = [spans[k] for k in src]
    groups = _phrase_groups(words)
    if groups:
        spans = _join(spans, groups, lambda part, canon: (part[0][0], part[-1][1]))
    return tuple(spans)


def words(text: str) -> list[str]:
    """The comparison words of a sentence: equal lists mean the sentence was copied."""
    return words_and_caps(text)[0]


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s", "e", "ly")


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
