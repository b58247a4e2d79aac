"""Regression: the cleaner's word 4-gram F1 on the 181 dev pages stays above 0.85.

Reads ../shared/cleaning beside the repo (as CI clones it); skips with a message
when that folder is absent.  The metric is the one of shared/eval/clean_score.py:
per-page F1 of word 4-gram shingles of the body against the gold, averaged.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from statistics import mean

import pytest

from reader.articles import load_articles
from reader.rules import load_rules

DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "cleaning"
WORD = re.compile(r"\w+")
MIN_F1 = 0.85


def _shingles(text: str) -> Counter:
    w = WORD.findall(text.lower())
    return Counter(tuple(w[i:i + 4]) for i in range(max(len(w) - 3, 1 if w else 0)))


def _f1(pred: str, gold: str) -> float:
    p, g = _shingles(pred), _shingles(gold)
    if not p and not g:
        return 1.0
    tp = sum((p & g).values())
    prec, rec = (tp / sum(p.values()) if p else 0.0), (tp / sum(g.values()) if g else 0.0)
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def test_f1_on_the_dev_pages_stays_above_the_bound():
    if not (DEV / "gold.json").is_file():
        pytest.skip(f"cleaning dev set not found at {DEV.resolve()} (clone shared/ beside the repo)")
    gold = json.loads((DEV / "gold.json").read_text(encoding="utf-8"))
    pages = sorted((DEV / "pages").glob("*.txt"))
    articles, skipped = load_articles([str(p) for p in pages], load_rules(include_user=False))
    bodies = {Path(a.path).stem: a.body for a in articles}
    scores = [_f1(bodies.get(p.stem, ""), gold[p.stem]["body"]) for p in pages]
    f1 = mean(scores)
    assert len(scores) == len(gold)
    assert f1 >= MIN_F1, f"dev-set F1 {f1:.3f} < {MIN_F1} ({len(skipped)} pages skipped)"
