"""Loading the two articles of a diff, using the machine's second core when they are long.

`reader diff` on long articles spends a third of its time loading (cleaning,
splitting) and tokenising them, and the two sides are independent: a forked child
(`forking`) loads and tokenises the right article while this process does the left
one, then hands over the article and its words (no word ids: those are this
process's, `align.adopt` assigns them).  Same result, same errors, as loading both
here; short articles are simply loaded here.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import align
from .articles import load_article
from .runtime.forking import Forked
from .runtime.gcpause import gc_paused
from .model import Article
from .rules import Rule, load_rules

FORK_BYTES = 32_000  # below this an article loads in a few ms: not worth a process


def load_pair(left: str | Path, right: str | Path, rules: list[Rule] | None = None) -> tuple[Article, Article]:
    """Both articles, ready to align; raises `LoadError` for the first one that cannot be used."""
    with gc_paused():  # tens of thousands of small objects, no cycles: see `gcpause`
        return _load_pair(left, right, load_rules() if rules is None else rules)


def _load_pair(left: str | Path, right: str | Path, rules: list[Rule]) -> tuple[Article, Article]:
    try:
        big = os.path.getsize(right) >= FORK_BYTES
    except OSError:
        big = False  # load_article reports the problem
    with Forked(_load_tokenised, right, rules, worth=big) as job:
        first = load_article(left, rules)
        align.warm(first)
        second, tokens = job.result()
    align.adopt(tokens)
    return first, second


def _load_tokenised(path: str | Path, rules: list[Rule]) -> tuple[Article, dict]:
    art = load_article(path, rules)
    return art, align.tokenise(art)
